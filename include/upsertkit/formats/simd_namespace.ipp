// upsertkit: opens the inline namespace that names, for the linker, everything whose code
// depends on the SIMD kernels of its translation unit: simdjson's builtin implementation
// (chosen by simdjson from the compiler's target flags) and our own string scan. Two files of
// one program built with different -march then instantiate distinct entities (for example
// upsertkit::simd_haswell_avx2::upsert_pipeline<T, H> and ...::simd_westmere_sse2::...) instead
// of one name with two definitions, which the linker would merge (an ODR violation: the
// program could run AVX2 code from a file built for SSE2). docs/decisions.md, "SIMD kernels
// and the one-definition rule".
//
// Not a header: no include guard, and it opens a namespace that the including file closes
// (`}  // inline namespace simd_...`). Included by json.hpp, format.hpp, pipeline.hpp,
// source.hpp, sink.hpp and append_source.hpp. Its macros are undefined before it ends.
#include <simdjson.h>

#define UPSERTKIT_DETAIL_SIMD_JOIN2(simdjson_kernel, own_kernel) \
  simd_##simdjson_kernel##_##own_kernel
#define UPSERTKIT_DETAIL_SIMD_JOIN(simdjson_kernel, own_kernel) \
  UPSERTKIT_DETAIL_SIMD_JOIN2(simdjson_kernel, own_kernel)
#if defined(__AVX2__)
#define UPSERTKIT_DETAIL_SIMD_OWN avx2
#elif defined(__SSE2__)
#define UPSERTKIT_DETAIL_SIMD_OWN sse2
#else
#define UPSERTKIT_DETAIL_SIMD_OWN swar
#endif

inline namespace UPSERTKIT_DETAIL_SIMD_JOIN(SIMDJSON_BUILTIN_IMPLEMENTATION,
                                            UPSERTKIT_DETAIL_SIMD_OWN) {

#undef UPSERTKIT_DETAIL_SIMD_JOIN2
#undef UPSERTKIT_DETAIL_SIMD_JOIN
#undef UPSERTKIT_DETAIL_SIMD_OWN
