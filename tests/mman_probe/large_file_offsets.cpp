// Built with -D_FILE_OFFSET_BITS=64 (tests/CMakeLists.txt): glibc then renames mmap with an asm
// label, and clang refuses that label once mmap has been used. The memory store declares its
// own mapping call, so including it first and <sys/mman.h> after must still compile, and a
// store large enough to map 2 MiB chunks must still work. Exits non-zero on a wrong lookup.
#include <upsertkit/key_hash.hpp>
#include <upsertkit/stores/memory_store.hpp>

#include <sys/mman.h>

#include <cstdio>
#include <string>

static_assert(sizeof(off_t) == 8);

int main() {
  upsertkit::memory_store store;
  constexpr int keys = 100000;  // ~13 MiB of blocks: past the 2 MiB mapped-chunk threshold
  const std::string row(100, 'r');
  for (int i = 0; i < keys; ++i) {
    const std::string key = "key-" + std::to_string(i);
    store.insert(key, upsertkit::hash_bytes(key), row, 0);
  }
  for (int i = 0; i < keys; ++i) {
    const std::string key = "key-" + std::to_string(i);
    const auto* entry = store.find(key, upsertkit::hash_bytes(key));
    if (entry == nullptr || entry->row() != row) {
      std::fprintf(stderr, "large_file_offsets: %s lost\n", key.c_str());
      return 1;
    }
  }
  if (store.size() != static_cast<std::size_t>(keys)) return 1;
  std::printf("large_file_offsets: %zu keys, %zu bytes of memory\n", store.size(),
              store.memory_bytes());
  return 0;
}
