// upsertkit: the definitions of raw_options.hpp's functions, inline in that header or compiled once
// under UPSERTKIT_SEPARATE_COMPILATION (separate_compilation.hpp).
#ifdef UPSERTKIT_SEPARATE_COMPILATION
#define UPSERTKIT_INLINE
#else
#define UPSERTKIT_INLINE inline
#endif

namespace upsertkit::raw {

UPSERTKIT_INLINE options parse_options(const option_map& format_options) {
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

#undef UPSERTKIT_INLINE
