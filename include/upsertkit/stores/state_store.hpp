// upsertkit: what a state store of the materializer must offer, checked at compile time. The
// materializer keeps one store per Kafka partition; memory_store is the default, and any type
// that satisfies state_store can replace it (materializer<Table, Handler, Store>).
#ifndef UPSERTKIT_STORES_STATE_STORE_HPP
#define UPSERTKIT_STORES_STATE_STORE_HPP

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace upsertkit {

/// A key -> row map of encoded bytes (row_codec.hpp), its keys hashed with hash_bytes
/// (key_hash.hpp) by the caller:
///   Store::entry                       one key's state: key() and row() views, write_time
///                                      (processing time of the last write, for the state TTL)
///   find(key, hash) const              the entry, or nullptr
///   insert(key, hash, row, now)        adds an absent key; its entry
///   replace(entry, hash, row, now)     a new row for a found key; its entry (which may move)
///   erase(key, hash)                   removes; whether it was there
///   erase_if(pred), for_each(f) const  sweeps (the state TTL, rebuilds)
///   size() const, memory_bytes() const accounting
/// Views returned by entry stay valid until the next insert, replace or erase.
/// Optional: prefetch_slot(hash) const and prefetch_entry(hash) const, hints the materializer's
/// batch path gives before it looks keys up.
template <class Store>
concept state_store = std::default_initializable<Store> &&
    requires(Store& store, const Store& const_store, std::string_view bytes, std::uint64_t hash,
             std::int64_t now, const typename Store::entry* entry) {
  { entry->key() } -> std::convertible_to<std::string_view>;
  { entry->row() } -> std::convertible_to<std::string_view>;
  { entry->write_time } -> std::convertible_to<std::int64_t>;
  { const_store.find(bytes, hash) } -> std::same_as<const typename Store::entry*>;
  { store.insert(bytes, hash, bytes, now) } -> std::same_as<const typename Store::entry*>;
  { store.replace(entry, hash, bytes, now) } -> std::same_as<const typename Store::entry*>;
  { store.erase(bytes, hash) } -> std::convertible_to<bool>;
  {
    store.erase_if([](const typename Store::entry&) { return false; })
    } -> std::convertible_to<std::size_t>;
  const_store.for_each([](const typename Store::entry&) {});
  { const_store.size() } -> std::convertible_to<std::size_t>;
  { const_store.memory_bytes() } -> std::convertible_to<std::size_t>;
};

}  // namespace upsertkit

#endif  // UPSERTKIT_STORES_STATE_STORE_HPP
