// upsertkit: the default state store of the materializer: an in-memory hash table.
//
// One heap block per key holds a small header, the key bytes and the row bytes; the table is
// open addressing with linear probing over 16-byte slots (hash + pointer), so a lookup touches
// the slot array and, on a hash match, one block. Deletion shifts the following cluster back,
// so no tombstones accumulate. A row that grows past its block's capacity moves to a new block.
//
// Any type with this interface can replace it (see docs/materializer.md, "State stores").
#ifndef UPSERTKIT_STORES_MEMORY_STORE_HPP
#define UPSERTKIT_STORES_MEMORY_STORE_HPP

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <string_view>
#include <vector>

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
    --size_;
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
      if (s.block != nullptr) release(s.block);
    slots_.clear();
    slots_.shrink_to_fit();
    mask_ = 0;
    size_ = 0;
    block_bytes_ = 0;
  }

  std::size_t size() const noexcept { return size_; }

  /// Bytes held: blocks (with the allocator's usual 16-byte overhead each) plus the slots.
  std::size_t memory_bytes() const noexcept {
    return block_bytes_ + size_ * allocator_overhead + slots_.capacity() * sizeof(slot);
  }

 private:
  struct slot {
    std::uint64_t hash = 0;
    entry* block = nullptr;
  };
  static constexpr std::size_t allocator_overhead = 16;

  static std::size_t block_size(std::size_t key_size, std::size_t capacity) noexcept {
    return sizeof(entry) + key_size + capacity;
  }

  entry* allocate(std::string_view key, std::string_view row, std::size_t capacity) {
    const std::size_t bytes = block_size(key.size(), capacity);
    auto* block = static_cast<entry*>(::operator new(bytes));
    block->key_size = static_cast<std::uint32_t>(key.size());
    block->row_size = static_cast<std::uint32_t>(row.size());
    block->row_capacity = static_cast<std::uint32_t>(capacity);
    block->reserved = 0;
    std::memcpy(block->data(), key.data(), key.size());
    std::memcpy(block->data() + key.size(), row.data(), row.size());
    block_bytes_ += bytes;
    return block;
  }

  void release(entry* block) noexcept {
    block_bytes_ -= block_size(block->key_size, block->row_capacity);
    ::operator delete(block);
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
    std::swap(block_bytes_, other.block_bytes_);
  }

  std::vector<slot> slots_;
  std::size_t mask_ = 0;
  std::size_t size_ = 0;
  std::size_t block_bytes_ = 0;
};

}  // namespace upsertkit

#endif  // UPSERTKIT_STORES_MEMORY_STORE_HPP
