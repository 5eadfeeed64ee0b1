// upsertkit: the upsert materializer, Flink's ChangelogNormalize for one table.
//
// Turns upserts and tombstones into the changelog Flink's upsert-kafka source produces after
// ChangelogNormalize (DeduplicateFunctionHelper.processLastRowOnChangelog):
//
//   input for key K        state     output                      new state
//   upsert R               empty     +I R                        R
//   upsert R               P != R    -U P, +U R                  R
//   upsert R               P == R    nothing (TTL off)           R
//                                    -U P, +U R (TTL on)
//   tombstone              P         -D P (the full previous row) empty
//   tombstone              empty     nothing                     empty
//
// Rows are compared by their canonical bytes (row_codec), as Flink compares BinaryRowData.
// State is kept per Kafka partition so one partition's state can be dropped or rebuilt alone.
// The handler is a template parameter: one inlined call per change, no virtual dispatch.
#ifndef UPSERTKIT_MATERIALIZER_HPP
#define UPSERTKIT_MATERIALIZER_HPP

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "metadata.hpp"
#include "row_codec.hpp"
#include "row_kind.hpp"
#include "schema.hpp"
#include "stores/memory_store.hpp"

namespace upsertkit {

struct materializer_options {
  /// Idle state retention (Flink's `table.exec.state.ttl`); zero disables it. With TTL on,
  /// a key not written for this long is forgotten and identical rows are emitted as -U/+U
  /// (Flink does so "to prevent too early state eviction of downstream operators").
  std::chrono::milliseconds state_ttl{0};
  /// Emit -U rows. Sinks that take only upserts (like upsert-kafka) do not need them.
  bool emit_update_before = true;
};

/// Counters of what the materializer did; all monotonic.
struct materializer_stats {
  std::uint64_t upserts = 0;             // upserts applied
  std::uint64_t tombstones = 0;          // tombstones applied
  std::uint64_t inserts = 0;             // +I emitted
  std::uint64_t update_befores = 0;      // -U emitted
  std::uint64_t update_afters = 0;       // +U emitted
  std::uint64_t deletes = 0;             // -D emitted
  std::uint64_t unchanged = 0;           // upserts equal to the stored row: nothing emitted
  std::uint64_t unknown_tombstones = 0;  // tombstones for keys not in state: nothing emitted
  std::uint64_t expired = 0;             // keys forgotten by the state TTL
  std::uint64_t replayed = 0;            // changes not emitted while replaying (see replaying)
};

template <class Table, class Handler, class Store = memory_store>
class materializer {
 public:
  using row_type = typename Table::row_type;
  using handler_type = Handler;
  using store_type = Store;

  explicit materializer(Handler handler, materializer_options options = {})
      : handler_(std::forward<Handler>(handler)), options_(options) {}

  /// Applies an upsert. `row` holds every column.
  void upsert(std::int32_t partition, const row_type& row,
              const record_metadata* metadata = nullptr) {
    ++stats_.upserts;
    key_bytes_.clear();
    row_codec<Table>::encode_key(row, key_bytes_);
    row_bytes_.clear();
    row_codec<Table>::encode(row, row_bytes_);
    const std::uint64_t hash = hash_bytes(key_bytes_);
    Store& store = store_for(partition);

    // Changes are emitted before the state is written: a handler that throws leaves the state
    // as it was before this record, so applying the record again emits its changes again
    // instead of losing them.
    const auto* existing = live(store, key_bytes_, hash);
    if (existing == nullptr) {
      emit(row_kind::insert, row, partition, metadata);
      store.insert(key_bytes_, hash, row_bytes_, now_ms_);
      return;
    }
    if (!ttl_enabled() && existing->row() == std::string_view(row_bytes_)) {
      ++stats_.unchanged;
      return;
    }
    if (options_.emit_update_before) {
      // The previous row is decoded in place: its string views point into the state block,
      // which stays untouched until the handler returns.
      row_codec<Table>::decode(existing->row(), previous_);
      emit(row_kind::update_before, previous_, partition, metadata);
    }
    emit(row_kind::update_after, row, partition, metadata);
    store.replace(existing, hash, row_bytes_, now_ms_);
  }

  /// Applies a tombstone. Only the PRIMARY KEY columns of `key_row` are read.
  void remove(std::int32_t partition, const row_type& key_row,
              const record_metadata* metadata = nullptr) {
    ++stats_.tombstones;
    key_bytes_.clear();
    row_codec<Table>::encode_key(key_row, key_bytes_);
    const std::uint64_t hash = hash_bytes(key_bytes_);
    Store& store = store_for(partition);
    const auto* existing = live(store, key_bytes_, hash);
    if (existing == nullptr) {
      ++stats_.unknown_tombstones;
      return;
    }
    // -D carries the full previous row: a Kafka tombstone carries only the key.
    row_codec<Table>::decode(existing->row(), previous_);
    emit(row_kind::delete_, previous_, partition, metadata);
    store.erase(key_bytes_, hash);
  }

  /// While replaying, records update the state but emit nothing: a source rebuilding a
  /// partition's state up to the offsets a downstream already saw (see source.hpp).
  void set_replaying(bool replaying) noexcept { replaying_ = replaying; }
  bool replaying() const noexcept { return replaying_; }

  /// Sets the processing time (epoch milliseconds) used to stamp and expire state under TTL.
  void set_time(std::int64_t now_ms) noexcept { now_ms_ = now_ms; }
  std::int64_t time() const noexcept { return now_ms_; }

  /// Forgets every key whose last write is older than the TTL; returns how many.
  std::size_t evict_expired() {
    if (!ttl_enabled()) return 0;
    std::size_t evicted = 0;
    for (auto& store : stores_)
      if (store) evicted += store->erase_if([&](const auto& e) { return expired(e); });
    stats_.expired += evicted;
    return evicted;
  }

  /// Drops the state of one partition (after a revoke, or before rebuilding it).
  void drop_partition(std::int32_t partition) {
    if (partition >= 0 && static_cast<std::size_t>(partition) < stores_.size())
      stores_[static_cast<std::size_t>(partition)].reset();
  }

  void clear() { stores_.clear(); }

  /// The store of a partition, or nullptr when it holds no state.
  const Store* partition_state(std::int32_t partition) const noexcept {
    if (partition < 0 || static_cast<std::size_t>(partition) >= stores_.size()) return nullptr;
    return stores_[static_cast<std::size_t>(partition)].get();
  }

  /// Calls `f(partition, row)` for every stored row (row views valid during the call).
  template <class F>
  void for_each_row(F&& f) const {
    row_type row{};
    for (std::size_t p = 0; p < stores_.size(); ++p) {
      if (!stores_[p]) continue;
      stores_[p]->for_each([&](const auto& e) {
        if (expired(e)) return;
        row_codec<Table>::decode(e.row(), row);
        f(static_cast<std::int32_t>(p), static_cast<const row_type&>(row));
      });
    }
  }

  std::size_t state_keys() const noexcept {
    std::size_t n = 0;
    for (const auto& store : stores_)
      if (store) n += store->size();
    return n;
  }

  std::size_t state_bytes() const noexcept {
    std::size_t n = stores_.capacity() * sizeof(std::unique_ptr<Store>);
    for (const auto& store : stores_)
      if (store) n += sizeof(Store) + store->memory_bytes();
    return n;
  }

  const materializer_stats& stats() const noexcept { return stats_; }
  const materializer_options& options() const noexcept { return options_; }
  Handler& handler() noexcept { return handler_; }
  const Handler& handler() const noexcept { return handler_; }

 private:
  bool ttl_enabled() const noexcept { return options_.state_ttl.count() > 0; }

  template <class Entry>
  bool expired(const Entry& e) const noexcept {
    // Flink's state TTL: expired when last write + ttl <= now (NeverReturnExpired).
    // Written as a difference so that a TTL of milliseconds::max() ("forever") cannot overflow.
    return ttl_enabled() && now_ms_ - e.write_time >= options_.state_ttl.count();
  }

  // The entry of a key that is present and not expired; an expired entry is erased first so
  // it behaves exactly like a key never seen.
  const typename Store::entry* live(Store& store, std::string_view key, std::uint64_t hash) {
    const auto* e = store.find(key, hash);
    if (e != nullptr && expired(*e)) {
      store.erase(key, hash);
      ++stats_.expired;
      return nullptr;
    }
    return e;
  }

  Store& store_for(std::int32_t partition) {
    const auto index = static_cast<std::size_t>(partition < 0 ? 0 : partition);
    if (index >= stores_.size()) stores_.resize(index + 1);
    if (!stores_[index]) stores_[index] = std::make_unique<Store>();
    return *stores_[index];
  }

  void emit(row_kind kind, const row_type& row, std::int32_t partition,
            const record_metadata* metadata) {
    if (replaying_) {
      ++stats_.replayed;
      return;
    }
    handler_(change<row_type>{kind, row, partition, metadata});
    // Counted once the handler returned: a change it threw on is applied again, not twice.
    switch (kind) {
      case row_kind::insert:
        ++stats_.inserts;
        break;
      case row_kind::update_before:
        ++stats_.update_befores;
        break;
      case row_kind::update_after:
        ++stats_.update_afters;
        break;
      case row_kind::delete_:
        ++stats_.deletes;
        break;
    }
  }

  Handler handler_;
  materializer_options options_;
  std::vector<std::unique_ptr<Store>> stores_;
  std::string key_bytes_;
  std::string row_bytes_;
  row_type previous_{};
  std::int64_t now_ms_ = 0;
  bool replaying_ = false;
  materializer_stats stats_;
};

}  // namespace upsertkit

#endif  // UPSERTKIT_MATERIALIZER_HPP
