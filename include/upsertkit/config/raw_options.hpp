// upsertkit: the `raw` format's options, apart from its codec, so that reading a WITH clause
// (options.hpp) compiles no codec.
#ifndef UPSERTKIT_CONFIG_RAW_OPTIONS_HPP
#define UPSERTKIT_CONFIG_RAW_OPTIONS_HPP

#include <string>

#include "../error.hpp"
#include "../option_map.hpp"
#include "../text.hpp"

namespace upsertkit::raw {

/// The `raw.*` options.
struct options {
  bool big_endian = true;            // endianness: big-endian (default) / little-endian
  bool ignore_parse_errors = false;  // Flink's raw format has no such option; always false
};

/// Parses `raw.*` options given without their prefix. Throws config_error.
///   charset     UTF-8 (the default; any spelling Java accepts for it). Others are refused.
///   endianness  big-endian / little-endian, any case (Flink's text when invalid).
options parse_options(const option_map& format_options);

}  // namespace upsertkit::raw

// The definitions: inline here, or compiled once (separate_compilation.hpp).
#ifndef UPSERTKIT_SEPARATE_COMPILATION
#include "raw_options.ipp"
#endif

#endif  // UPSERTKIT_CONFIG_RAW_OPTIONS_HPP
