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
inline options parse_options(const option_map& format_options) {
  options result;
  std::string unsupported;
  for (const auto& [key, value] : format_options) {
    if (key == "encoding") {
      if (text::equals_ignore_case(value, "json"))
        throw config_error(
            "Option 'avro.encoding' = 'json' is not supported by upsertkit: only the binary "
            "encoding of the plain avro format is.");
      if (!text::equals_ignore_case(value, "binary"))
        throw config_error("Could not parse value '" + value +
                           "' for key 'avro.encoding'. Possible values: [BINARY, JSON]");
    } else if (key == "timestamp_mapping.legacy" || key == "open.fastread") {
      if (text::equals_ignore_case(value, "true")) {
        if (key == "timestamp_mapping.legacy") result.timestamp_mapping_legacy = true;
      } else if (text::equals_ignore_case(value, "false")) {
        if (key == "timestamp_mapping.legacy") result.timestamp_mapping_legacy = false;
      } else {
        throw config_error("Could not parse value '" + value + "' for key 'avro." + key + "'.");
      }
    } else if (key == "codec") {
      // The output codec of Avro container files (file-system connector only).
    } else {
      unsupported += "\navro." + key;
    }
  }
  if (!unsupported.empty()) {
    std::string supported;
    for (std::string_view key : detail::option_keys)
      supported.append("\navro.").append(key);
    throw config_error("Unsupported options found for 'avro'.\n\nUnsupported options:\n" +
                       unsupported + "\n\nSupported options:\n" + supported);
  }
  return result;
}

}  // namespace upsertkit::avro

#endif  // UPSERTKIT_CONFIG_AVRO_OPTIONS_HPP
