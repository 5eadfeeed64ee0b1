// upsertkit: the `csv` format's options, apart from its codec, so that reading a WITH clause
// (options.hpp) compiles no codec.
#ifndef UPSERTKIT_CONFIG_CSV_OPTIONS_HPP
#define UPSERTKIT_CONFIG_CSV_OPTIONS_HPP

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>

#include "../error.hpp"
#include "../option_map.hpp"
#include "../text.hpp"

namespace upsertkit::csv {

/// The `csv` format options (Flink's names without the `csv.` prefix in the comments).
struct options {
  char field_delimiter = ',';                 // field-delimiter (Java-unescaped: "\t" means tab)
  char quote_character = '"';                 // quote-character
  bool disable_quote_character = false;       // disable-quote-character
  bool allow_comments = false;                // allow-comments ('#' lines are skipped)
  bool ignore_parse_errors = false;           // ignore-parse-errors (applied by the caller)
  std::string array_element_delimiter = ";";  // array-element-delimiter (ARRAY and ROW columns)
  std::optional<char> escape_character;       // escape-character
  std::optional<std::string> null_literal;    // null-literal
  bool write_bigdecimal_in_scientific_notation = true;  // write-bigdecimal-in-scientific-notation
};

namespace detail {

inline constexpr std::string_view option_keys[] = {
    "allow-comments",   "array-element-delimiter", "disable-quote-character",
    "escape-character", "field-delimiter",         "ignore-parse-errors",
    "null-literal",     "quote-character",         "write-bigdecimal-in-scientific-notation"};

/// commons-lang3 StringEscapeUtils.unescapeJava, which Flink applies to `field-delimiter` only.
/// Returns nullopt where the result is no single byte we can use (e.g. `\u00e4`, malformed `\u`).
std::optional<std::string> unescape_java(std::string_view text);

}  // namespace detail

/// Parses the format options as given WITHOUT the `csv.` prefix ({"field-delimiter", "|"}),
/// validated like CsvFormatFactory / CsvCommons.validateFormatOptions. Throws config_error.
options parse_options(const option_map& format_options);

}  // namespace upsertkit::csv

// The definitions: inline here, or compiled once (separate_compilation.hpp).
#ifndef UPSERTKIT_SEPARATE_COMPILATION
#include "csv_options.ipp"
#endif

#endif  // UPSERTKIT_CONFIG_CSV_OPTIONS_HPP
