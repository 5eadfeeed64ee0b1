// upsertkit: the default state store of the materializer: an in-memory hash table.
//
// One block per key holds a small header, the key bytes and the row bytes; the table is open
// addressing with linear probing over 16-byte slots (hash + pointer), so a lookup touches the
// slot array and, on a hash match, one block. Deletion shifts the following cluster back, so no
// tombstones accumulate. A row that grows past its block's capacity moves to a new block.
//
// Blocks come from 64 KiB chunks carved in 16-byte steps, with one free list per size: no
// per-block allocator header, neighbouring keys' blocks share pages, and dropping a store
// frees a few hundred chunks instead of one block per key. Memory freed by erase is reused by
// later blocks of the same size and returned to the system when the store empties or is dropped.
//
// Any type with this interface can replace it (see docs/materializer.md, "State stores").
#ifndef UPSERTKIT_STORES_MEMORY_STORE_HPP
#define UPSERTKIT_STORES_MEMORY_STORE_HPP

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <string_view>
#include <vector>

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

/// 64-bit hash of key bytes (a multiply-xorshift over 8-byte words). Not for adversaries that
/// can choose keys to collide: see docs/materializer.md.
inline std::uint64_t hash_bytes(std::string_view bytes) noexcept {
  constexpr std::uint64_t k = 0x9E3779B97F4A7C15ull;
  std::uint64_t h = 0x243F6A8885A308D3ull ^ (bytes.size() * k);
  const char* p = bytes.data();
  std::size_t n = bytes.size();
  auto mix = [](std::uint64_t x) {
    x ^= x >> 32;
    x *= 0xD6E8FEB86659FD93ull;
    x ^= x >> 32;
    return x;
  };
  while (n >= 8) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    h = mix(h ^ w) * k;
    p += 8;
    n -= 8;
  }
  if (n > 0) {
    std::uint64_t w = 0;
    std::memcpy(&w, p, n);
    h = mix(h ^ w ^ (std::uint64_t{n} << 56)) * k;
  }
  return mix(h);
}

class memory_store {
 public:
  /// The header of one key's block; key bytes and row bytes follow it.
  struct entry {
    std::int64_t write_time;  // processing time of the last write (for state TTL)
    std::uint32_t key_size;
    std::uint32_t row_size;
    std::uint32_t row_capacity;
    std::uint32_t reserved;

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
    if (!slots_.empty()) __builtin_prefetch(&slots_[hash & mask_]);
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
          __builtin_prefetch(block + line * 64);
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
      if (s.hash == hash && s.block->key() == key) return s.block;
    }
  }

  /// Adds `key` (which must be absent) with `row`.
  const entry* insert(std::string_view key, std::uint64_t hash, std::string_view row,
                      std::int64_t now) {
    if ((size_ + 1) * 8 > slots_.size() * 7) grow();
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
      if (slots_[i].hash == hash && slots_[i].block->key() == key) break;
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

  /// Calls `f(const entry&)` for every entry; `f` returns true to erase that entry.
  template <class F>
  std::size_t erase_if(F&& f) {
    std::vector<std::pair<std::uint64_t, std::string_view>> doomed;
    for (const slot& s : slots_)
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
    for (const slot& s : slots_)
      if (s.block != nullptr) f(*s.block);
  }

  void clear() noexcept {
    for (slot& s : slots_)
      if (s.block != nullptr && !pooled(block_size(s.block->key_size, s.block->row_capacity)))
        ::operator delete(s.block);
    release_chunks();
    slots_.clear();
    slots_.shrink_to_fit();
    mask_ = 0;
    size_ = 0;
  }

  std::size_t size() const noexcept { return size_; }

  /// Bytes held: chunks (blocks in use, free blocks kept for reuse, the unused tail), blocks
  /// too large for a chunk (with the allocator's usual 16-byte header), and the slots.
  std::size_t memory_bytes() const noexcept {
    return chunks_.size() * chunk_bytes + large_bytes_ + slots_.capacity() * sizeof(slot);
  }

 private:
  struct slot {
    std::uint64_t hash = 0;
    entry* block = nullptr;
  };
  static constexpr std::size_t granule = 16;
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
    block->reserved = 0;
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
      // The tail of the full chunk is left unused (at most max_pooled bytes of 64 KiB).
      chunks_.push_back(std::unique_ptr<chunk>(new chunk));  // not zeroed
      chunk_next_ = chunks_.back()->bytes;
      chunk_left_ = chunk_bytes;
      UPSERTKIT_POISON(chunk_next_, chunk_bytes);
    }
    void* memory = chunk_next_;
    UPSERTKIT_UNPOISON(memory, bytes);
    chunk_next_ += bytes;
    chunk_left_ -= bytes;
    return memory;
  }

  void release_chunks() noexcept {
    for (auto& c : chunks_)
      UPSERTKIT_UNPOISON(c->bytes, chunk_bytes);
    chunks_.clear();
    chunks_.shrink_to_fit();
    for (auto& head : free_lists_)
      head = nullptr;
    chunk_next_ = nullptr;
    chunk_left_ = 0;
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
    const std::size_t capacity = slots_.empty() ? 16 : slots_.size() * 2;
    std::vector<slot> fresh(capacity);
    std::swap(slots_, fresh);
    mask_ = capacity - 1;
    for (const slot& s : fresh)
      if (s.block != nullptr) place(s);
  }

  void swap(memory_store& other) noexcept {
    std::swap(slots_, other.slots_);
    std::swap(mask_, other.mask_);
    std::swap(size_, other.size_);
    std::swap(chunks_, other.chunks_);
    std::swap(free_lists_, other.free_lists_);
    std::swap(chunk_next_, other.chunk_next_);
    std::swap(chunk_left_, other.chunk_left_);
    std::swap(large_bytes_, other.large_bytes_);
  }

  std::vector<slot> slots_;
  std::size_t mask_ = 0;
  std::size_t size_ = 0;
  struct free_block {
    free_block* next;
  };
  struct chunk {
    alignas(std::max_align_t) char bytes[chunk_bytes];
  };

  std::vector<std::unique_ptr<chunk>> chunks_;
  std::array<free_block*, max_pooled / granule + 1> free_lists_{};
  char* chunk_next_ = nullptr;
  std::size_t chunk_left_ = 0;
  std::size_t large_bytes_ = 0;
};

}  // namespace upsertkit

#endif  // UPSERTKIT_STORES_MEMORY_STORE_HPP
