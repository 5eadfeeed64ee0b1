// Compiled on its own, at -O3, so that codegen.prefetches_kept can read its machine code: the
// memory store's prefetch hints must survive the optimizer. GCC 12 once deleted the block
// prefetch together with the probing loop feeding it, and nothing else noticed (the results
// are the same with or without it; only the batch path's speed changes).
#include <upsertkit/stores/memory_store.hpp>

#include <cstdint>

void upsertkit_probe_prefetch_slot(const upsertkit::memory_store& store, std::uint64_t hash);
void upsertkit_probe_prefetch_entry(const upsertkit::memory_store& store, std::uint64_t hash);

void upsertkit_probe_prefetch_slot(const upsertkit::memory_store& store, std::uint64_t hash) {
  store.prefetch_slot(hash);
}

void upsertkit_probe_prefetch_entry(const upsertkit::memory_store& store, std::uint64_t hash) {
  store.prefetch_entry(hash);
}
