// upsertkit: the definitions of csv.hpp's functions, inline in that header or compiled once
// under UPSERTKIT_SEPARATE_COMPILATION (separate_compilation.hpp).
#ifdef UPSERTKIT_SEPARATE_COMPILATION
#define UPSERTKIT_INLINE
#else
#define UPSERTKIT_INLINE inline
#endif

namespace upsertkit::csv::detail {

UPSERTKIT_INLINE std::string char_description(char c) {
  const auto code = static_cast<unsigned char>(c);
  if (code < 0x20) return "(CTRL-CHAR, code " + std::to_string(code) + ")";
  return std::string("'") + c + "' (code " + std::to_string(code) + ")";
}

}  // namespace upsertkit::csv::detail

#undef UPSERTKIT_INLINE
