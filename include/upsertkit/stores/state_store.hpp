// upsertkit: what a state store of the materializer must offer, checked at compile time. The
// materializer keeps one store per Kafka partition; memory_store is the default, and any type
// that satisfies state_store can replace it (materializer<Table, Handler, Store>).
#ifndef UPSERTKIT_STORES_STATE_STORE_HPP
#define UPSERTKIT_STORES_STATE_STORE_HPP

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace upsertkit {

/// A key as the materializer hands it to a store: its encoded bytes and their hash_bytes.
struct stored_key {
  std::string_view key;
  std::uint64_t hash = 0;
};

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
/// Views returned by entry stay valid until the next insert, replace or erase (a store may
/// also reuse them on the next find: the materializer holds one entry at a time).
/// Optional: prefetch_slot(hash) const and prefetch_entry(hash) const, hints the materializer's
/// batch path gives before it looks keys up; load(span<const stored_key>) const, the keys of a
/// batch window given before they are looked up one by one (a store on disk reads them at
/// once). A store that is not default-constructible (it needs a directory, say) is created by
/// the materializer's store factory.
template <class Store>
concept state_store = requires(Store& store, const Store& const_store, std::string_view bytes,
                               std::uint64_t hash, std::int64_t now,
                               const typename Store::entry* entry) {
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

/// Where a durable store keeps one partition's state, as the source that owns it says.
struct state_location {
  std::string path;         // the partition's own directory
  std::string fingerprint;  // what the stored rows depend on (state_fingerprint, source.hpp)
  std::string topic;
  std::int32_t partition = -1;
};

/// A store whose state outlives the process: it keeps the offset its state is complete up to
/// (the checkpoint), written with the state by commit(next_offset); changes since the last
/// commit are pending and dropped by discard() or by closing the store. A source with such a
/// store reads a partition from its checkpoint instead of from the start (source.hpp).
///   open(location)             a store for the location (static), opening what is there
///   destroy(path)              deletes a closed store's files (static)
///   checkpoint() const         the next offset to apply, -1 when nothing was committed
///   rebuilt(), rebuild_reason() the stored state was dropped on open (a changed fingerprint)
///   commit_due() const         the store wants a commit before its owner's next interval (the
///                              memory it keeps pending changes in is full)
template <class Store>
concept checkpointing_store = state_store<Store> &&
    requires(Store& store, const Store& const_store, std::int64_t offset,
             const state_location& where) {
  { Store::open(where) } -> std::same_as<std::unique_ptr<Store>>;
  Store::destroy(where.path);
  { const_store.checkpoint() } -> std::convertible_to<std::int64_t>;
  store.commit(offset);
  store.discard();
  { const_store.commit_due() } -> std::convertible_to<bool>;
  { const_store.rebuilt() } -> std::convertible_to<bool>;
  { const_store.rebuild_reason() } -> std::convertible_to<std::string_view>;
};

}  // namespace upsertkit

#endif  // UPSERTKIT_STORES_STATE_STORE_HPP
