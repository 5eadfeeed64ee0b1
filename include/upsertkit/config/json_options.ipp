// upsertkit: the definitions of json_options.hpp's functions, inline in that header or compiled
// once under UPSERTKIT_SEPARATE_COMPILATION (separate_compilation.hpp).
#ifdef UPSERTKIT_SEPARATE_COMPILATION
#define UPSERTKIT_INLINE
#else
#define UPSERTKIT_INLINE inline
#endif

namespace upsertkit::json {

UPSERTKIT_INLINE options parse_options(const option_map& format_options) {
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

}  // namespace upsertkit::json

#undef UPSERTKIT_INLINE
