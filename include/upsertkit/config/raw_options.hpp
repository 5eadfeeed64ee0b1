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
inline options parse_options(const option_map& format_options) {
  options result;
  std::string unsupported;
  for (const auto& [key, value] : format_options) {
    if (key == "endianness") {
      if (text::equals_ignore_case(value, "big-endian"))
        result.big_endian = true;
      else if (text::equals_ignore_case(value, "little-endian"))
        result.big_endian = false;
      else
        throw config_error("Unsupported endianness name: " + value +
                           ". Valid values of 'raw.endianness' option are 'big-endian' and "
                           "'little-endian'.");
    } else if (key == "charset") {
      if (!text::equals_ignore_case(value, "UTF-8") && !text::equals_ignore_case(value, "UTF8"))
        throw config_error("Unsupported 'raw.charset' name: " + value +
                           ". upsertkit reads and writes UTF-8 only.");
    } else {
      unsupported += "\nraw." + key;
    }
  }
  if (!unsupported.empty())
    throw config_error("Unsupported options found for 'raw'.\n\nUnsupported options:\n" +
                       unsupported + "\n\nSupported options:\n\nraw.charset\nraw.endianness");
  return result;
}

}  // namespace upsertkit::raw

#endif  // UPSERTKIT_CONFIG_RAW_OPTIONS_HPP
