// upsertkit: the definitions of pipeline.hpp's functions, inline in that header or compiled once
// under UPSERTKIT_SEPARATE_COMPILATION (separate_compilation.hpp).
#ifdef UPSERTKIT_SEPARATE_COMPILATION
#define UPSERTKIT_INLINE
#else
#define UPSERTKIT_INLINE inline
#endif

namespace upsertkit {

UPSERTKIT_INLINE void apply_decode_error_policy(const record_view& record, record_part part,
                                                const decode_status& status, bool ignore_errors,
                                                std::uint64_t& skipped,
                                                const dead_letter_hook& dead_letter) {
  record_error error(record.where, part, status.failure());
  if (!ignore_errors) throw error;
  ++skipped;
  if (dead_letter) dead_letter(record, error);
}

}  // namespace upsertkit

#undef UPSERTKIT_INLINE
