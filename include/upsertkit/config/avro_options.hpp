// upsertkit: the `avro` format's options, apart from its codec, so that reading a WITH clause
// (options.hpp) compiles no codec.
#ifndef UPSERTKIT_CONFIG_AVRO_OPTIONS_HPP
#define UPSERTKIT_CONFIG_AVRO_OPTIONS_HPP

#include <iterator>
#include <string>
#include <string_view>

#include "../error.hpp"
#include "../option_map.hpp"
#include "../text.hpp"

namespace upsertkit::avro {

/// The `avro.*` options (Flink's names without the `avro.` prefix in the comments).
struct options {
  /// timestamp_mapping.legacy (default true): TIMESTAMP(3) is `timestamp-millis`; false makes
  /// it `local-timestamp-millis`. The bytes are the same long either way.
  bool timestamp_mapping_legacy = true;
  /// Flink's avro format has no ignore-parse-errors option; always false (the pipeline asks).
  bool ignore_parse_errors = false;
};

namespace detail {
inline constexpr std::string_view option_keys[] = {"codec", "encoding", "open.fastread",
                                                   "timestamp_mapping.legacy"};
}  // namespace detail

/// Parses `avro.*` options given without their prefix. Throws config_error.
///   encoding                  `binary` (default; any case). `json` is not supported.
///   timestamp_mapping.legacy  `true` (default) / `false`, see options.
///   codec, open.fastread      accepted, no effect (file-system and reader-tuning options).
options parse_options(const option_map& format_options);

}  // namespace upsertkit::avro

// The definitions: inline here, or compiled once (separate_compilation.hpp).
#ifndef UPSERTKIT_SEPARATE_COMPILATION
#include "avro_options.ipp"
#endif

#endif  // UPSERTKIT_CONFIG_AVRO_OPTIONS_HPP
