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

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "batch_result.hpp"
#include "error.hpp"
#include "key_hash.hpp"
#include "materializer_options.hpp"
#include "metadata.hpp"
#include "row_codec.hpp"
#include "row_kind.hpp"
#include "schema.hpp"
#include "stores/memory_store.hpp"
#include "stores/state_store.hpp"

namespace upsertkit {

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
  std::uint64_t replayed = 0;            // changes not emitted for replayed ops (upsert_op)
};

/// One record for materializer::apply: an upsert of `*row`, or (tombstone) a delete of the key
/// of `*row`, of which only the PRIMARY KEY columns are read. A replayed op updates the state
/// and emits nothing: a source rebuilding a partition's state up to the offsets a downstream
/// already saw (see source.hpp); its changes are counted in materializer_stats::replayed.
template <class Row>
struct upsert_op {
  std::int32_t partition = 0;
  const Row* row = nullptr;
  bool tombstone = false;
  const record_metadata* metadata = nullptr;
  bool replay = false;
};

namespace detail {
// A growable byte buffer for encoded keys and rows. Unlike std::string::resize it does not
// zero the bytes it hands out, and growing is the only call it makes.
class byte_buffer {
 public:
  void clear() noexcept { size_ = 0; }
  std::size_t size() const noexcept { return size_; }
  const char* data() const noexcept { return bytes_.get(); }

  /// Room for `n` more bytes; returns where they start (earlier pointers may be invalidated,
  /// offsets stay valid).
  char* extend(std::size_t n) {
    if (capacity_ - size_ < n) grow(size_ + n);
    char* at = bytes_.get() + size_;
    size_ += n;
    return at;
  }

 private:
  void grow(std::size_t needed) {
    const std::size_t capacity = std::max({needed, capacity_ * 2, std::size_t{1024}});
    auto fresh = std::make_unique_for_overwrite<char[]>(capacity);
    if (size_ != 0) std::memcpy(fresh.get(), bytes_.get(), size_);
    bytes_ = std::move(fresh);
    capacity_ = capacity;
  }

  std::unique_ptr<char[]> bytes_;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

template <class Store>
concept loading_store = requires(const Store& store, std::span<const stored_key> keys) {
  store.load(keys);
};

template <class Store>
concept prefetching_store = requires(const Store& store, std::uint64_t hash) {
  store.prefetch_slot(hash);
  store.prefetch_entry(hash);
};
}  // namespace detail

template <class Table, class Handler, state_store Store = memory_store>
class materializer {
 public:
  using table_type = Table;
  using row_type = typename Table::row_type;
  using handler_type = Handler;
  using store_type = Store;

  explicit materializer(Handler handler, materializer_options options = {})
      : handler_(std::forward<Handler>(handler)), options_(options) {}

  using op_type = upsert_op<row_type>;

  /// Creates the store of a partition when the partition's first record arrives (or when
  /// store_for is asked): for stores that need to know where their partition lives (a
  /// directory per partition), or to be opened with shared resources. Without one the store
  /// is default-constructed.
  using store_factory = std::function<std::unique_ptr<Store>(std::int32_t partition)>;
  void set_store_factory(store_factory factory) { factory_ = std::move(factory); }

  /// Applies an upsert. `row` holds every column.
  void upsert(std::int32_t partition, const row_type& row,
              const record_metadata* metadata = nullptr) {
    if (options_.pass_through) return emit(row_kind::update_after, row, partition, metadata, false);
    scratch_.clear();
    const encoded_op e = encode(partition, row, false);
    apply_upsert<false>(partition, row, key_of(e), e.hash, row_of(e), metadata, false);
  }

  /// Applies a tombstone. Only the PRIMARY KEY columns of `key_row` are read.
  void remove(std::int32_t partition, const row_type& key_row,
              const record_metadata* metadata = nullptr) {
    if (options_.pass_through)
      return emit(row_kind::delete_, key_row_of(key_row), partition, metadata, false);
    scratch_.clear();
    const encoded_op e = encode(partition, key_row, true);
    apply_remove<false>(partition, key_of(e), e.hash, metadata, false);
  }

  /// Applies records in order, exactly as the same upsert/remove calls would, but first
  /// starts loading the state of every key of the batch, so that the memory latency of one
  /// key's lookup overlaps the others' instead of adding up. If the handler throws, the records
  /// before the one it threw on are applied and that one and the rest are not: the result says
  /// how many were applied and holds the exception.
  batch_result apply(std::span<const op_type> ops) {
    batch_result result;
    if (options_.pass_through) return pass_through(ops);
    try {
      // A batch of one (a record polled alone): no other key's lookup to overlap with.
      if (ops.size() == 1 && !ops.front().replay) {
        apply_alone(ops.front());
        result.done = 1;
        return result;
      }
      while (result.done < ops.size()) {
        const std::size_t n = std::min(ops.size() - result.done, batch_window);
        apply_window(ops.subspan(result.done, n), result.done);
      }
    } catch (...) {
      result.failure = std::current_exception();
    }
    return result;
  }

 private:
  // materializer_options::pass_through: each op as the change Flink's source emits before
  // ChangelogNormalize, no state read or written.
  batch_result pass_through(std::span<const op_type> ops) {
    batch_result result;
    try {
      for (; result.done < ops.size(); ++result.done) {
        const op_type& op = ops[result.done];
        if (op.tombstone)
          emit(row_kind::delete_, key_row_of(*op.row), op.partition, op.metadata, op.replay);
        else
          emit(row_kind::update_after, *op.row, op.partition, op.metadata, op.replay);
      }
    } catch (...) {
      result.failure = std::current_exception();
    }
    return result;
  }

  // A tombstone's row as Flink's source gives it: the key columns, every other column NULL (its
  // default value when the member is not optional). Only the key columns of a tombstone's
  // decoded row are written by the decoder; the others may hold an earlier record's views.
  static row_type key_row_of(const row_type& row) {
    row_type key_row{};
    [&]<std::size_t... K>(std::index_sequence<K...>) {
      ((Table::fields::template get<Table::key_columns[K]>(key_row) =
            Table::fields::template get<Table::key_columns[K]>(row)),
       ...);
    }
    (std::make_index_sequence<Table::key_count>{});
    return key_row;
  }

  // A window's records are encoded first, each starting the load of its key's slot; then,
  // while record i is applied, the block of record i + prefetch_distance is loaded. Issuing
  // all of a window's block loads at once measured slower: they exceed the core's outstanding
  // misses, and the first records wait behind the last ones' loads.
  static constexpr std::size_t batch_window = 32;
  static constexpr std::size_t prefetch_distance = 8;

  // Where one record's key bytes and (for an upsert) row bytes lie in scratch_: the row
  // follows the key.
  struct encoded_op {
    std::size_t key_at, key_size, row_size;
    std::uint64_t hash;
  };

  // Appends the record's key bytes, then its row bytes unless it is a tombstone, to scratch_.
  // The key's slot starts loading once the key is hashed, so the row's encoding overlaps it.
  // Forced inline: as a call, returning encoded_op cost 9% with the state in cache
  // (BM_MaterializeStateInCache 15.9 -> 17.3 ms).
  [[gnu::always_inline]] encoded_op encode(std::int32_t partition, const row_type& row,
                                           bool tombstone) {
    using codec = row_codec<Table>;
    encoded_op e{scratch_.size(), codec::key_size(row), tombstone ? 0 : codec::row_size(row), 0};
    char* key = scratch_.extend(e.key_size + e.row_size);
    char* row_bytes = codec::write_key(row, key);
    e.hash = hash_bytes(std::string_view(key, e.key_size));
    if constexpr (detail::prefetching_store<Store>) store_for(partition).prefetch_slot(e.hash);
    if (!tombstone) codec::write_row(row, row_bytes);
    return e;
  }

  // A batch of one: the batch path's instantiations of apply_upsert/apply_remove without the
  // window's bookkeeping. Out of line, and not through upsert()/remove(), so that those stay
  // the only callers of their instantiations (see apply_upsert).
  [[gnu::noinline]] void apply_alone(const op_type& op) {
    scratch_.clear();
    const encoded_op e = encode(op.partition, *op.row, op.tombstone);
    if (op.tombstone)
      apply_remove<true>(op.partition, key_of(e), e.hash, op.metadata, false);
    else
      apply_upsert<true>(op.partition, *op.row, key_of(e), e.hash, row_of(e), op.metadata, false);
  }

  std::string_view key_of(const encoded_op& e) const noexcept {
    return {scratch_.data() + e.key_at, e.key_size};
  }
  std::string_view row_of(const encoded_op& e) const noexcept {
    return {scratch_.data() + e.key_at + e.key_size, e.row_size};
  }

  void apply_window(std::span<const op_type> ops, std::size_t& done) {
    batch_.clear();
    scratch_.clear();
    for (const op_type& op : ops)
      batch_.push_back(encode(op.partition, *op.row, op.tombstone));
    if constexpr (detail::loading_store<Store>) load_window(ops);
    if constexpr (detail::prefetching_store<Store>) {
      for (std::size_t i = 0; i < ops.size() && i < prefetch_distance; ++i)
        store_for(ops[i].partition).prefetch_entry(batch_[i].hash);
    }
    for (std::size_t i = 0; i < ops.size(); ++i) {
      const encoded_op& e = batch_[i];
      if constexpr (detail::prefetching_store<Store>) {
        // Read at this point, the slot is current even if earlier records moved it.
        if (const std::size_t ahead = i + prefetch_distance; ahead < ops.size())
          store_for(ops[ahead].partition).prefetch_entry(batch_[ahead].hash);
      }
      if (ops[i].tombstone)
        apply_remove<true>(ops[i].partition, key_of(e), e.hash, ops[i].metadata, ops[i].replay);
      else
        apply_upsert<true>(ops[i].partition, *ops[i].row, key_of(e), e.hash, row_of(e),
                           ops[i].metadata, ops[i].replay);
      ++done;
    }
  }

  // The window's keys handed to their partitions' stores, a run of one partition at a time.
  void load_window(std::span<const op_type> ops) {
    for (std::size_t from = 0; from < ops.size();) {
      std::size_t to = from;
      keys_.clear();
      for (; to < ops.size() && ops[to].partition == ops[from].partition; ++to)
        keys_.push_back(stored_key{key_of(batch_[to]), batch_[to].hash});
      store_for(ops[from].partition).load(std::span<const stored_key>(keys_));
      from = to;
    }
  }

  // Two instantiations: <false> for the record-by-record calls (upsert()/remove(), its only
  // caller, into which it is inlined as before the batch path existed) and <true> for the
  // batch path (apply_window and apply_alone). Shared by both, GCC kept one out-of-line copy,
  // and upsert() paid a call with seven arguments and lost the inlining of the previous row's
  // decoding (+2.5% instructions per change in scripts/instruction-count.sh --materialize).
  template <bool FromBatch>
  void apply_upsert(std::int32_t partition, const row_type& row, std::string_view key,
                    std::uint64_t hash, std::string_view row_bytes, const record_metadata* metadata,
                    bool replay) {
    ++stats_.upserts;
    Store& store = store_for(partition);
    // Changes are emitted before the state is written: a handler that throws leaves the state
    // as it was before this record, so applying the record again emits its changes again
    // instead of losing them.
    const auto* existing = live(store, key, hash);
    if (existing == nullptr) {
      emit(row_kind::insert, row, partition, metadata, replay);
      store.insert(key, hash, row_bytes, now_ms_);
      return;
    }
    if (!ttl_enabled() && existing->row() == row_bytes) {
      ++stats_.unchanged;
      return;
    }
    if (options_.emit_update_before) {
      // The previous row is decoded in place: its string views point into the state block,
      // which stays untouched until the handler returns.
      row_codec<Table>::decode(existing->row(), previous_);
      emit(row_kind::update_before, previous_, partition, metadata, replay);
    }
    emit(row_kind::update_after, row, partition, metadata, replay);
    store.replace(existing, hash, row_bytes, now_ms_);
  }

  template <bool FromBatch>
  void apply_remove(std::int32_t partition, std::string_view key, std::uint64_t hash,
                    const record_metadata* metadata, bool replay) {
    ++stats_.tombstones;
    Store& store = store_for(partition);
    const auto* existing = live(store, key, hash);
    if (existing == nullptr) {
      ++stats_.unknown_tombstones;
      return;
    }
    // -D carries the full previous row: a Kafka tombstone carries only the key.
    row_codec<Table>::decode(existing->row(), previous_);
    emit(row_kind::delete_, previous_, partition, metadata, replay);
    store.erase(key, hash);
  }

 public:
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

  /// The store of a partition, created (by the store factory) if it has none yet.
  Store& partition_store(std::int32_t partition) { return store_for(partition); }

  /// Calls `f(partition, store)` for every partition's store that exists.
  template <class F>
  void for_each_store(F&& f) const {
    for (std::size_t p = 0; p < stores_.size(); ++p)
      if (stores_[p]) f(static_cast<std::int32_t>(p), static_cast<const Store&>(*stores_[p]));
  }

  /// The store of a partition, or nullptr when it holds no state.
  Store* partition_state(std::int32_t partition) noexcept {
    if (partition < 0 || static_cast<std::size_t>(partition) >= stores_.size()) return nullptr;
    return stores_[static_cast<std::size_t>(partition)].get();
  }
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

  // Called twice per record (the slot prefetch, then the lookup): the common case inline, the
  // first record of a partition out of line (as one call it cost ~33 instructions a time).
  [[gnu::always_inline]] Store& store_for(std::int32_t partition) {
    const auto index = static_cast<std::size_t>(partition < 0 ? 0 : partition);
    if (index < stores_.size()) [[likely]]
      if (Store* store = stores_[index].get()) [[likely]]
        return *store;
    return new_store(index);
  }

  [[gnu::noinline]] Store& new_store(std::size_t index) {
    if (index >= stores_.size()) stores_.resize(index + 1);
    if (!stores_[index]) {
      if (factory_) {
        stores_[index] = factory_(static_cast<std::int32_t>(index));
      } else if constexpr (std::is_default_constructible_v<Store>) {
        stores_[index] = std::make_unique<Store>();
      }
      if (!stores_[index])
        throw config_error("the materializer has no store for partition " + std::to_string(index) +
                           ": set a store factory (set_store_factory)");
    }
    return *stores_[index];
  }

  // A replayed op's changes update nothing downstream: they are counted, not emitted.
  void emit(row_kind kind, const row_type& row, std::int32_t partition,
            const record_metadata* metadata, bool replay) {
    if (replay) {
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
  store_factory factory_;
  detail::byte_buffer scratch_;  // the encoded keys and rows of a record or of a window
  std::vector<encoded_op> batch_;
  std::vector<stored_key> keys_;  // load_window's
  row_type previous_{};
  std::int64_t now_ms_ = 0;
  materializer_stats stats_;
};

}  // namespace upsertkit

#endif  // UPSERTKIT_MATERIALIZER_HPP
