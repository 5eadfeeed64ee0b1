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
options parse_options(const option_map& format_options);

/// Whether the codec reads a Kafka key or value. A value codec leaves a PRIMARY KEY column that
/// the value lacks as the key set it (a NOT NULL key never becomes NULL); a key codec fails.
enum class role : std::uint8_t { key, value };

}  // namespace upsertkit::json

// The definitions: inline here, or compiled once (separate_compilation.hpp).
#ifndef UPSERTKIT_SEPARATE_COMPILATION
#include "json_options.ipp"
#endif

#endif  // UPSERTKIT_CONFIG_JSON_OPTIONS_HPP
