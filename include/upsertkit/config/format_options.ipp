// upsertkit: the definitions of format_options.hpp's functions, inline in that header or compiled
// once under UPSERTKIT_SEPARATE_COMPILATION (separate_compilation.hpp).
#ifdef UPSERTKIT_SEPARATE_COMPILATION
#define UPSERTKIT_INLINE
#else
#define UPSERTKIT_INLINE inline
#endif

namespace upsertkit {

UPSERTKIT_INLINE void validate_format_options(std::string_view name,
                                              const format_options& options) {
  if (name == "json")
    (void)json::parse_options(options);
  else if (name == "csv")
    (void)csv::parse_options(options);
  else if (name == "avro")
    (void)avro::parse_options(options);
  else if (name == "raw")
    (void)raw::parse_options(options);
  else
    throw config_error("Could not find any format factory for identifier '" + std::string(name) +
                       "'. Supported formats: avro, csv, json, raw.");
}

}  // namespace upsertkit

#undef UPSERTKIT_INLINE
