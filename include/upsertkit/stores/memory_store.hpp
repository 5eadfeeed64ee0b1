// upsertkit: the default state store of the materializer: an in-memory hash table.
//
// One block per key holds a small header, the key bytes and the row bytes; the table is open
// addressing with linear probing over 16-byte slots (hash + pointer), so a lookup touches the
// slot array and, on a hash match, one block. Deletion shifts the following cluster back, so no
// tombstones accumulate. A row that grows past its block's capacity moves to a new block.
//
// Blocks come from chunks carved in 16-byte steps, with one free list per size: no per-block
// allocator header, neighbouring keys' blocks share pages, and dropping a store frees a few
// chunks instead of one block per key. Chunks are 64 KiB, then 2 MiB huge-page candidates once
// the store holds 2 MiB (see page_memory). Memory freed by erase is reused by later blocks of
// the same size and returned to the system when the store empties or is dropped.
//
// Any type with this interface can replace it: the state_store concept (state_store.hpp).
#ifndef UPSERTKIT_STORES_MEMORY_STORE_HPP
#define UPSERTKIT_STORES_MEMORY_STORE_HPP

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

// Huge chunks are mapped with mmap and advised with madvise. On 64-bit glibc Linux the three
// calls are declared here with the kernel ABI's constants instead of including <sys/mman.h>,
// whose PROT_*/MAP_*/MADV_* macros would otherwise reach every program that includes the
// materializer; the declarations match glibc's, so a program may include both (the memory
// store test does, and checks the constants against it). The mapping call is mmap64: under
// _FILE_OFFSET_BITS=64 glibc renames mmap with an asm label, which clang refuses to apply
// after a first use, while mmap64 is declared the same way in every mode (and is mmap on a
// 64-bit system). Elsewhere the header is included.
#if defined(__linux__) && defined(__GLIBC__) && defined(__LP64__) && \
    (defined(__x86_64__) || defined(__aarch64__))
#define UPSERTKIT_OWN_MMAN_DECLARATIONS 1
extern "C" {
void* mmap64(void* address, std::size_t length, int protection, int flags, int fd,
             long offset) noexcept;
int munmap(void* address, std::size_t length) noexcept;
int madvise(void* address, std::size_t length, int advice) noexcept;
}
#elif defined(__linux__)
#include <sys/mman.h>
#endif

#include "../key_hash.hpp"
#include "state_store.hpp"

// Under AddressSanitizer, free and not-yet-used chunk memory is poisoned, so a stale view into
// a freed block is reported as a use-after-free, as it would be with one heap block per key.
#if defined(__SANITIZE_ADDRESS__)
#define UPSERTKIT_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UPSERTKIT_ASAN 1
#endif
#endif
#ifdef UPSERTKIT_ASAN
#include <sanitizer/asan_interface.h>
#define UPSERTKIT_POISON(address, size) __asan_poison_memory_region((address), (size))
#define UPSERTKIT_UNPOISON(address, size) __asan_unpoison_memory_region((address), (size))
#else
#define UPSERTKIT_POISON(address, size) ((void)(address), (void)(size))
#define UPSERTKIT_UNPOISON(address, size) ((void)(address), (void)(size))
#endif

namespace upsertkit {

namespace detail {

namespace mman {
#ifdef UPSERTKIT_OWN_MMAN_DECLARATIONS
inline void* map(void* address, std::size_t length, int protection, int flags) noexcept {
  return ::mmap64(address, length, protection, flags, -1, 0);
}
// Linux's values on x86-64 and AArch64 (asm-generic/mman-common.h).
inline constexpr int prot_read = 0x1;
inline constexpr int prot_write = 0x2;
inline constexpr int map_private = 0x02;
inline constexpr int map_anonymous = 0x20;
inline constexpr int madv_hugepage = 14;
#elif defined(__linux__)
inline void* map(void* address, std::size_t length, int protection, int flags) noexcept {
  return ::mmap(address, length, protection, flags, -1, 0);
}
inline constexpr int prot_read = PROT_READ;
inline constexpr int prot_write = PROT_WRITE;
inline constexpr int map_private = MAP_PRIVATE;
inline constexpr int map_anonymous = MAP_ANONYMOUS;
inline constexpr int madv_hugepage = MADV_HUGEPAGE;
#endif
}  // namespace mman

// Starts loading the cache line at `address`. An asm statement, not __builtin_prefetch: GCC 12
// at -O2 and above deletes a __builtin_prefetch whose address comes out of a probing loop (it
// treats the prefetch as removable and the loop as finite, so both go), which silently turned
// the batch path's block prefetch into nothing.
inline void prefetch_line(const void* address) noexcept {
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
  asm volatile("prefetcht0 %0" : : "m"(*static_cast<const char*>(address)));
#elif defined(__GNUC__) && defined(__aarch64__)
  asm volatile("prfm pldl1keep, %0" : : "Q"(*static_cast<const char*>(address)));
#elif defined(__GNUC__)
  __builtin_prefetch(address);
#else
  (void)address;
#endif
}

inline constexpr std::size_t huge_page_bytes = std::size_t{2} << 20;

// Memory for the slot array and the block chunks. Regions of 2 MiB or more are 2 MiB-aligned
// and the kernel is asked to back them with transparent huge pages (madvise; no effect when
// THP is off): a lookup then costs no page walk, which on a VM with nested paging is a good
// part of a state miss. Smaller regions come from operator new, so a small store stays small.
// Define UPSERTKIT_NO_HUGE_PAGES to take every region from operator new (for a service that
// cannot afford the kernel compacting memory when a huge-page region is first touched).
class page_memory {
 public:
  page_memory() = default;
  /// `bytes` of memory, zeroed if `zeroed`.
  page_memory(std::size_t bytes, bool zeroed) : bytes_(bytes) {
    if (bytes >= huge_page_bytes && bytes % huge_page_bytes == 0) {
      data_ = map_huge(bytes);  // mapped anonymous memory is zero
      mapped_ = data_ != nullptr;
    }
    if (data_ == nullptr) {
      data_ = static_cast<char*>(::operator new (bytes, std::align_val_t{64}));
      if (zeroed) std::memset(data_, 0, bytes);
    }
  }
  page_memory(page_memory&& other) noexcept
      : data_(std::exchange(other.data_, nullptr)),
        bytes_(std::exchange(other.bytes_, 0)),
        mapped_(std::exchange(other.mapped_, false)) {}
  page_memory& operator=(page_memory&& other) noexcept {
    page_memory moved(std::move(other));
    std::swap(data_, moved.data_);
    std::swap(bytes_, moved.bytes_);
    std::swap(mapped_, moved.mapped_);
    return *this;
  }
  ~page_memory() { release(); }

  char* data() const noexcept { return data_; }
  std::size_t size() const noexcept { return bytes_; }

 private:
  static char* map_huge([[maybe_unused]] std::size_t bytes) noexcept {
#if defined(__linux__) && !defined(UPSERTKIT_NO_HUGE_PAGES)
    // Map one huge page more than asked, then unmap the unaligned head and tail.
    const std::size_t span = bytes + huge_page_bytes;
    void* raw = mman::map(nullptr, span, mman::prot_read | mman::prot_write,
                          mman::map_private | mman::map_anonymous);
    if (raw == reinterpret_cast<void*>(-1)) return nullptr;  // MAP_FAILED
    const auto start = reinterpret_cast<std::uintptr_t>(raw);
    const auto aligned = (start + huge_page_bytes - 1) & ~(huge_page_bytes - 1);
    if (aligned != start) ::munmap(raw, aligned - start);
    const auto tail = aligned + bytes;
    if (start + span != tail) ::munmap(reinterpret_cast<void*>(tail), start + span - tail);
    ::madvise(reinterpret_cast<void*>(aligned), bytes, mman::madv_hugepage);
    return reinterpret_cast<char*>(aligned);
#else
    return nullptr;
#endif
  }

  void release() noexcept {
    if (data_ == nullptr) return;
#if defined(__linux__)
    if (mapped_) {
      ::munmap(data_, bytes_);
      data_ = nullptr;
      return;
    }
#endif
    ::operator delete (data_, std::align_val_t{64});
    data_ = nullptr;
  }

  char* data_ = nullptr;
  std::size_t bytes_ = 0;
  bool mapped_ = false;
};

// Key equality without a library call for keys of 4 to 32 bytes (most keys): overlapping
// word compares.
inline bool same_key(std::string_view a, std::string_view b) noexcept {
  const std::size_t n = a.size();
  if (n != b.size()) return false;
  const char* x = a.data();
  const char* y = b.data();
  if (n >= 8 && n <= 16)
    return ((load_u64(x) ^ load_u64(y)) | (load_u64(x + n - 8) ^ load_u64(y + n - 8))) == 0;
  if (n > 16 && n <= 32)
    return ((load_u64(x) ^ load_u64(y)) | (load_u64(x + 8) ^ load_u64(y + 8)) |
            (load_u64(x + n - 16) ^ load_u64(y + n - 16)) |
            (load_u64(x + n - 8) ^ load_u64(y + n - 8))) == 0;
  if (n >= 4 && n < 8)
    return ((load_u32(x) ^ load_u32(y)) | (load_u32(x + n - 4) ^ load_u32(y + n - 4))) == 0;
  return n == 0 || std::memcmp(x, y, n) == 0;
}
}  // namespace detail

class memory_store {
 public:
  /// The header of one key's block; key bytes and row bytes follow it.
  struct entry {
    std::int64_t write_time;  // processing time of the last write (for state TTL)
    std::uint32_t key_size;
    std::uint32_t row_size;
    std::uint32_t row_capacity;
    // 0 when written; a store layered on this one keeps a word of its own per key here
    // (set_tag: rocksdb_store marks what is pending).
    std::uint32_t tag;

    std::string_view key() const noexcept { return {data(), key_size}; }
    std::string_view row() const noexcept { return {data() + key_size, row_size}; }

   private:
    friend class memory_store;
    char* data() noexcept { return reinterpret_cast<char*>(this + 1); }
    const char* data() const noexcept { return reinterpret_cast<const char*>(this + 1); }
  };

  memory_store() = default;
  memory_store(const memory_store&) = delete;
  memory_store& operator=(const memory_store&) = delete;
  memory_store(memory_store&& other) noexcept { swap(other); }
  memory_store& operator=(memory_store&& other) noexcept {
    memory_store moved(std::move(other));
    swap(moved);
    return *this;
  }
  ~memory_store() { clear(); }

  /// Starts loading the slot where a lookup of `hash` begins (a hint: no effect on contents).
  void prefetch_slot(std::uint64_t hash) const noexcept {
    if (slots_ != nullptr) detail::prefetch_line(&slots_[hash & mask_]);
  }

  /// Starts loading the block of the first entry with `hash`, if its slot is cached (call
  /// prefetch_slot earlier); a hash shared by two keys prefetches one of them, which is harmless.
  void prefetch_entry(std::uint64_t hash) const noexcept {
    if (size_ == 0) return;
    for (std::size_t i = hash & mask_;; i = (i + 1) & mask_) {
      const slot& s = slots_[i];
      if (s.block == nullptr) return;
      if (s.hash == hash) {
        // Four lines: the header, the key and a typical row (a longer row's tail is streamed
        // by the hardware prefetcher once the compare walks into it).
        const char* block = reinterpret_cast<const char*>(s.block);
        for (int line = 0; line < 4; ++line)
          detail::prefetch_line(block + line * 64);
        return;
      }
    }
  }

  /// The entry for `key`, or nullptr.
  const entry* find(std::string_view key, std::uint64_t hash) const noexcept {
    if (size_ == 0) return nullptr;
    for (std::size_t i = hash & mask_;; i = (i + 1) & mask_) {
      const slot& s = slots_[i];
      if (s.block == nullptr) return nullptr;
      if (s.hash == hash && detail::same_key(s.block->key(), key)) return s.block;
    }
  }

  /// Adds `key` (which must be absent) with `row`.
  const entry* insert(std::string_view key, std::uint64_t hash, std::string_view row,
                      std::int64_t now) {
    if ((size_ + 1) * 8 > slot_count_ * 7) grow();
    entry* block = allocate(key, row, row.size());
    block->write_time = now;
    place(slot{hash, block});
    ++size_;
    return block;
  }

  /// Replaces the row of an entry returned by find or insert. Returns the entry, which may
  /// have moved.
  const entry* replace(const entry* existing, std::uint64_t hash, std::string_view row,
                       std::int64_t now) {
    auto* block = const_cast<entry*>(existing);
    if (row.size() <= block->row_capacity) {
      std::memcpy(block->data() + block->key_size, row.data(), row.size());
      block->row_size = static_cast<std::uint32_t>(row.size());
      block->write_time = now;
      return block;
    }
    // Grow by a quarter so a row that keeps growing is not moved on every update.
    entry* moved = allocate(block->key(), row, row.size() + row.size() / 4);
    moved->write_time = now;
    for (std::size_t i = hash & mask_;; i = (i + 1) & mask_) {
      if (slots_[i].block == block) {
        slots_[i].block = moved;
        break;
      }
    }
    release(block);
    return moved;
  }

  /// Removes the entry for `key` if present.
  bool erase(std::string_view key, std::uint64_t hash) noexcept {
    if (size_ == 0) return false;
    std::size_t i = hash & mask_;
    for (;; i = (i + 1) & mask_) {
      if (slots_[i].block == nullptr) return false;
      if (slots_[i].hash == hash && detail::same_key(slots_[i].block->key(), key)) break;
    }
    release(slots_[i].block);
    // Backward-shift deletion: move later members of the cluster into the hole when their
    // home slot lies at or before it, so lookups never need tombstones.
    std::size_t hole = i;
    for (std::size_t j = (i + 1) & mask_; slots_[j].block != nullptr; j = (j + 1) & mask_) {
      std::size_t home = slots_[j].hash & mask_;
      if (((j - home) & mask_) >= ((j - hole) & mask_)) {
        slots_[hole] = slots_[j];
        hole = j;
      }
    }
    slots_[hole] = slot{};
    if (--size_ == 0) release_chunks();
    return true;
  }

  /// Sets the tag word of an entry returned by find, insert or replace.
  void set_tag(const entry* e, std::uint32_t tag) noexcept { const_cast<entry*>(e)->tag = tag; }

  /// An entry that no store holds, built in `buffer` (the caller's, reused from call to call):
  /// a store that keeps rows elsewhere hands out this one entry type all the same.
  static const entry& detached(std::vector<std::uint64_t>& buffer, std::string_view key,
                               std::string_view row, std::int64_t write_time) {
    buffer.resize((sizeof(entry) + key.size() + row.size() + 7) / 8);
    auto* block = ::new (static_cast<void*>(buffer.data())) entry;
    block->write_time = write_time;
    block->key_size = static_cast<std::uint32_t>(key.size());
    block->row_size = static_cast<std::uint32_t>(row.size());
    block->row_capacity = static_cast<std::uint32_t>(row.size());
    block->tag = 0;
    if (!key.empty()) std::memcpy(block->data(), key.data(), key.size());
    if (!row.empty()) std::memcpy(block->data() + key.size(), row.data(), row.size());
    return *block;
  }

  /// Calls `f(const entry&)` for every entry; `f` returns true to erase that entry.
  template <class F>
  std::size_t erase_if(F&& f) {
    std::vector<std::pair<std::uint64_t, std::string_view>> doomed;
    for (const slot& s : slot_range())
      if (s.block != nullptr && f(*s.block)) doomed.emplace_back(s.hash, s.block->key());
    // Keys are copied out first: erase frees the block the view points into.
    std::vector<std::pair<std::uint64_t, std::string>> keys;
    keys.reserve(doomed.size());
    for (auto& [hash, key] : doomed)
      keys.emplace_back(hash, std::string(key));
    for (auto& [hash, key] : keys)
      erase(key, hash);
    return keys.size();
  }

  template <class F>
  void for_each(F&& f) const {
    for (const slot& s : slot_range())
      if (s.block != nullptr) f(*s.block);
  }

  void clear() noexcept {
    free_large_blocks();
    release_chunks();
    slot_memory_ = detail::page_memory();
    slots_ = nullptr;
    slot_count_ = 0;
    mask_ = 0;
    size_ = 0;
  }

  /// Forgets every entry and keeps the memory for the entries to come: a store refilled to
  /// about its former size (a cache emptied whenever it outgrows its budget) then takes its
  /// chunks and slots back instead of mapping new ones and faulting their pages in again
  /// (the kernel zeroing them was 2% of a RocksDB-backed source's CPU, perf).
  void reset() noexcept {
    free_large_blocks();
    large_bytes_ = 0;
    if (slots_ != nullptr) std::memset(static_cast<void*>(slots_), 0, slot_count_ * sizeof(slot));
    size_ = 0;
    for (auto& head : free_lists_)
      head = nullptr;
    chunk_in_use_ = 0;
    chunk_bytes_before_ = 0;
    chunk_next_ = chunks_.empty() ? nullptr : chunks_.front().data();
    chunk_left_ = chunks_.empty() ? 0 : chunks_.front().size();
    for (auto& c : chunks_)
      UPSERTKIT_POISON(c.data(), c.size());
  }

  std::size_t size() const noexcept { return size_; }

  /// Bytes the entries take (what memory_bytes() counts, less the chunks that reset() kept
  /// and nothing has used again yet).
  std::size_t bytes_in_use() const noexcept {
    const std::size_t chunk_used =
        chunks_.empty() ? 0 : chunk_bytes_before_ + chunks_[chunk_in_use_].size() - chunk_left_;
    return chunk_used + large_bytes_ + slot_count_ * sizeof(slot);
  }

  /// Bytes held: chunks (blocks in use, free blocks kept for reuse, the unused tail), blocks
  /// too large for a chunk (with the allocator's usual 16-byte header), and the slots.
  std::size_t memory_bytes() const noexcept {
    return chunk_total_bytes_ + large_bytes_ + slot_count_ * sizeof(slot);
  }

 private:
  struct slot {
    std::uint64_t hash = 0;
    entry* block = nullptr;
  };
  static constexpr std::size_t granule = 16;
  // Chunks are 64 KiB until the store holds 2 MiB of them, then 2 MiB (huge-page backed).
  static constexpr std::size_t chunk_bytes = 64 * 1024;
  static constexpr std::size_t max_pooled = 2048;  // larger blocks go to operator new
  static constexpr std::size_t large_overhead = 16;
  static_assert(sizeof(entry) >= sizeof(void*),
                "a free block's list link is written over its entry header");

  static bool pooled(std::size_t bytes) noexcept { return bytes <= max_pooled; }

  static std::size_t round_up(std::size_t bytes) noexcept {
    return (bytes + granule - 1) / granule * granule;
  }
  static std::size_t block_size(std::size_t key_size, std::size_t capacity) noexcept {
    return round_up(sizeof(entry) + key_size + capacity);
  }

  entry* allocate(std::string_view key, std::string_view row, std::size_t capacity) {
    const std::size_t bytes = block_size(key.size(), capacity);
    void* memory = nullptr;
    if (!pooled(bytes)) {
      memory = ::operator new(bytes);
      large_bytes_ += bytes + large_overhead;
    } else {
      memory = take(bytes);
    }
    auto* block = static_cast<entry*>(memory);
    block->key_size = static_cast<std::uint32_t>(key.size());
    block->row_size = static_cast<std::uint32_t>(row.size());
    // The rounding slack is row capacity too: a row that grows by a few bytes stays in place.
    block->row_capacity = static_cast<std::uint32_t>(bytes - sizeof(entry) - key.size());
    block->tag = 0;
    std::memcpy(block->data(), key.data(), key.size());
    std::memcpy(block->data() + key.size(), row.data(), row.size());
    return block;
  }

  void release(entry* block) noexcept {
    const std::size_t bytes = block_size(block->key_size, block->row_capacity);
    if (!pooled(bytes)) {
      large_bytes_ -= bytes + large_overhead;
      ::operator delete(block);
      return;
    }
    auto* node = reinterpret_cast<free_block*>(block);
    node->next = free_lists_[bytes / granule];
    free_lists_[bytes / granule] = node;
    UPSERTKIT_POISON(reinterpret_cast<char*>(block) + sizeof(free_block),
                     bytes - sizeof(free_block));
  }

  void* take(std::size_t bytes) {
    free_block*& head = free_lists_[bytes / granule];
    if (head != nullptr) {
      free_block* node = head;
      UPSERTKIT_UNPOISON(node, bytes);
      head = node->next;
      return node;
    }
    if (chunk_left_ < bytes) {
      // The tail of the full chunk is left unused (at most max_pooled bytes). A chunk kept by
      // reset() is used again before a new one is mapped.
      if (!chunks_.empty()) chunk_bytes_before_ += chunks_[chunk_in_use_].size();
      if (chunk_in_use_ + 1 < chunks_.size()) {
        ++chunk_in_use_;
      } else {
        const std::size_t size =
            chunk_total_bytes_ < detail::huge_page_bytes ? chunk_bytes : detail::huge_page_bytes;
        chunks_.reserve(chunks_.size() + 1);
        chunks_.emplace_back(size, false);
        chunk_total_bytes_ += size;
        chunk_in_use_ = chunks_.size() - 1;
        UPSERTKIT_POISON(chunks_.back().data(), size);
      }
      chunk_next_ = chunks_[chunk_in_use_].data();
      chunk_left_ = chunks_[chunk_in_use_].size();
    }
    void* memory = chunk_next_;
    UPSERTKIT_UNPOISON(memory, bytes);
    chunk_next_ += bytes;
    chunk_left_ -= bytes;
    return memory;
  }

  // The blocks too large for the chunks' pools, which were allocated one by one.
  void free_large_blocks() noexcept {
    for (const slot& s : slot_range())
      if (s.block != nullptr && !pooled(block_size(s.block->key_size, s.block->row_capacity)))
        ::operator delete(s.block);
  }

  void release_chunks() noexcept {
    for (auto& c : chunks_)
      UPSERTKIT_UNPOISON(c.data(), c.size());
    chunks_.clear();
    chunks_.shrink_to_fit();
    chunk_total_bytes_ = 0;
    for (auto& head : free_lists_)
      head = nullptr;
    chunk_next_ = nullptr;
    chunk_left_ = 0;
    chunk_in_use_ = 0;
    chunk_bytes_before_ = 0;
  }

  void place(slot s) noexcept {
    for (std::size_t i = s.hash & mask_;; i = (i + 1) & mask_) {
      if (slots_[i].block == nullptr) {
        slots_[i] = s;
        return;
      }
    }
  }

  void grow() {
    // Allocate first: if that throws, the table is still whole.
    const std::size_t capacity = slot_count_ == 0 ? 16 : slot_count_ * 2;
    detail::page_memory fresh(capacity * sizeof(slot), true);  // zeroed: every slot empty
    const slot* old = slots_;
    const std::size_t old_count = slot_count_;
    std::swap(slot_memory_, fresh);
    slots_ = reinterpret_cast<slot*>(slot_memory_.data());
    slot_count_ = capacity;
    mask_ = capacity - 1;
    for (std::size_t i = 0; i < old_count; ++i)
      if (old[i].block != nullptr) place(old[i]);
  }

  void swap(memory_store& other) noexcept {
    std::swap(slot_memory_, other.slot_memory_);
    std::swap(slots_, other.slots_);
    std::swap(slot_count_, other.slot_count_);
    std::swap(mask_, other.mask_);
    std::swap(size_, other.size_);
    std::swap(chunks_, other.chunks_);
    std::swap(chunk_total_bytes_, other.chunk_total_bytes_);
    std::swap(free_lists_, other.free_lists_);
    std::swap(chunk_next_, other.chunk_next_);
    std::swap(chunk_left_, other.chunk_left_);
    std::swap(chunk_in_use_, other.chunk_in_use_);
    std::swap(chunk_bytes_before_, other.chunk_bytes_before_);
    std::swap(large_bytes_, other.large_bytes_);
  }

  std::span<const slot> slot_range() const noexcept { return {slots_, slot_count_}; }

  detail::page_memory slot_memory_;
  slot* slots_ = nullptr;  // slot_count_ slots in slot_memory_
  std::size_t slot_count_ = 0;
  std::size_t mask_ = 0;
  std::size_t size_ = 0;
  struct free_block {
    free_block* next;
  };
  std::vector<detail::page_memory> chunks_;
  std::size_t chunk_total_bytes_ = 0;
  std::array<free_block*, max_pooled / granule + 1> free_lists_{};
  char* chunk_next_ = nullptr;
  std::size_t chunk_left_ = 0;
  std::size_t chunk_in_use_ = 0;        // the chunk chunk_next_ points into
  std::size_t chunk_bytes_before_ = 0;  // bytes of the chunks before it
  std::size_t large_bytes_ = 0;
};

static_assert(state_store<memory_store>);

}  // namespace upsertkit

// The poisoning macros serve this header only: they must not reach the includer
// (header_check.no_internal_macros).
#undef UPSERTKIT_POISON
#undef UPSERTKIT_UNPOISON
#undef UPSERTKIT_ASAN
#undef UPSERTKIT_OWN_MMAN_DECLARATIONS

#endif  // UPSERTKIT_STORES_MEMORY_STORE_HPP
