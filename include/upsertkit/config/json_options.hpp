// upsertkit: the `json` format's options, apart from its codec, so that reading a WITH clause
// (options.hpp) compiles no parser and needs no simdjson.
#ifndef UPSERTKIT_CONFIG_JSON_OPTIONS_HPP
#define UPSERTKIT_CONFIG_JSON_OPTIONS_HPP

#include <cstdint>
#include <string>

#include "../error.hpp"
#include "../option_map.hpp"
#include "../text.hpp"

namespace upsertkit::json {

/// The `json.*` options (names without the `json.` prefix in parse_options).
struct options {
  bool fail_on_missing_field = false;
  bool ignore_parse_errors = false;
  text::timestamp_standard timestamp_standard = text::timestamp_standard::sql;
  bool encode_ignore_null_fields = false;
  bool encode_decimal_as_plain_number = false;
};

/// Parses `json.*` options given without their prefix. Throws config_error with the
/// reference's texts. `map-null-key.*` and `decode.json-parser.enabled` are accepted and
/// validated for compatibility; they change nothing because no column type here is a MAP.
inline options parse_options(const option_map& format_options) {
  options result;
  auto flag = [](const std::string& key, const std::string& value) {
    if (text::equals_ignore_case(value, "true")) return true;
    if (text::equals_ignore_case(value, "false")) return false;
    throw config_error("Could not parse value '" + value + "' for key 'json." + key + "'.");
  };
  std::string unsupported;
  for (const auto& [key, value] : format_options) {
    if (key == "fail-on-missing-field") {
      result.fail_on_missing_field = flag(key, value);
    } else if (key == "ignore-parse-errors") {
      result.ignore_parse_errors = flag(key, value);
    } else if (key == "timestamp-format.standard") {
      if (value == "SQL")
        result.timestamp_standard = text::timestamp_standard::sql;
      else if (value == "ISO-8601")
        result.timestamp_standard = text::timestamp_standard::iso_8601;
      else
        throw config_error(
            "Unsupported value '" + value +
            "' for timestamp-format.standard. Supported values are [SQL, ISO-8601].");
    } else if (key == "encode.ignore-null-fields") {
      result.encode_ignore_null_fields = flag(key, value);
    } else if (key == "encode.decimal-as-plain-number") {
      result.encode_decimal_as_plain_number = flag(key, value);
    } else if (key == "map-null-key.mode") {
      // Flink upper-cases the value before checking it.
      if (!text::equals_ignore_case(value, "FAIL") && !text::equals_ignore_case(value, "DROP") &&
          !text::equals_ignore_case(value, "LITERAL"))
        throw config_error("Unsupported value '" + value +
                           "' for option map-null-key.mode. Supported values are [LITERAL, FAIL, "
                           "DROP].");
    } else if (key == "map-null-key.literal") {
    } else if (key == "decode.json-parser.enabled") {
      flag(key, value);
    } else {
      unsupported += "\njson." + key;
    }
  }
  if (!unsupported.empty())
    throw config_error(
        "Unsupported options found for 'json'.\n\nUnsupported options:\n" + unsupported +
        "\n\nSupported options:\n\njson.decode.json-parser.enabled\njson.encode.decimal-as-plain-"
        "number\njson.encode.ignore-null-fields\njson.fail-on-missing-field\njson.ignore-parse-"
        "errors\njson.map-null-key.literal\njson.map-null-key.mode\njson.timestamp-format."
        "standard");
  if (result.fail_on_missing_field && result.ignore_parse_errors)
    throw config_error("fail-on-missing-field and ignore-parse-errors shouldn't both be true.");
  return result;
}

/// Whether the codec reads a Kafka key or value. A value codec leaves a PRIMARY KEY column that
/// the value lacks as the key set it (a NOT NULL key never becomes NULL); a key codec fails.
enum class role : std::uint8_t { key, value };

}  // namespace upsertkit::json

#endif  // UPSERTKIT_CONFIG_JSON_OPTIONS_HPP
