// upsertkit: the definitions of avro_options.hpp's functions, inline in that header or compiled
// once under UPSERTKIT_SEPARATE_COMPILATION (separate_compilation.hpp).
#ifdef UPSERTKIT_SEPARATE_COMPILATION
#define UPSERTKIT_INLINE
#else
#define UPSERTKIT_INLINE inline
#endif

namespace upsertkit::avro {

UPSERTKIT_INLINE options parse_options(const option_map& format_options) {
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

#undef UPSERTKIT_INLINE
