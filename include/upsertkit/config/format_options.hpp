// upsertkit: a table's formats as configuration: the format names, their options and the
// key/value layout, validated without building a codec (no simdjson, no parser).
#ifndef UPSERTKIT_CONFIG_FORMAT_OPTIONS_HPP
#define UPSERTKIT_CONFIG_FORMAT_OPTIONS_HPP

#include <string>
#include <string_view>

#include "../error.hpp"
#include "../option_map.hpp"
#include "../schema.hpp"
#include "avro_options.hpp"
#include "csv_options.hpp"
#include "json_options.hpp"
#include "raw_options.hpp"

namespace upsertkit {

/// Options of one format, keyed without the `key.<format>.` / `value.<format>.` prefix.
using format_options = option_map;

/// Checks a format's name and options without building a codec (throws config_error).
void validate_format_options(std::string_view name, const format_options& options);

/// The formats and layout of an upsert table: everything needed to turn bytes into rows.
struct format_config {
  std::string key_format = "csv";
  std::string value_format = "json";
  format_options key_options;    // `key.<format>.*` without that prefix
  format_options value_options;  // `value.<format>.*` without that prefix
  key_value_layout layout;
};

}  // namespace upsertkit

// The definitions: inline here, or compiled once (separate_compilation.hpp).
#ifndef UPSERTKIT_SEPARATE_COMPILATION
#include "format_options.ipp"
#endif

#endif  // UPSERTKIT_CONFIG_FORMAT_OPTIONS_HPP
