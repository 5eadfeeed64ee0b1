// upsertkit: a state store on RocksDB: one partition's table on disk, with the offset it is
// complete up to, written atomically with the state it covers.
//
// The materializer's changes go into a pending write batch that reads see (RocksDB's
// WriteBatchWithIndex); commit(next_offset) writes the batch, the checkpoint and the key count
// in one atomic RocksDB write. Until then nothing reaches the database, so the stored state is
// never ahead of what its owner declared durable (see docs/decisions.md, "RocksDB state"):
// after a crash the store reopens at its last checkpoint and the source reads on from there.
//
// Link upsertkit::rocksdb (CMake) for this header; the in-memory store stays the default.
#ifndef UPSERTKIT_STORES_ROCKSDB_STORE_HPP
#define UPSERTKIT_STORES_ROCKSDB_STORE_HPP

#include <rocksdb/cache.h>
#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/table.h>
#include <rocksdb/utilities/write_batch_with_index.h>
#include <rocksdb/write_buffer_manager.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "../error.hpp"
#include "state_store.hpp"

namespace upsertkit {

/// Where and how a rocksdb_store keeps one partition's state.
struct rocksdb_store_options {
  /// The store's own directory (created with its parents). One store per directory: a second
  /// open, in this process or another, fails (RocksDB's LOCK file).
  std::filesystem::path path;
  /// What the stored rows depend on (columns, types, key, formats): a store opened with a
  /// different fingerprint than the one it was written with starts empty (rebuilt() tells).
  std::string fingerprint;
  /// Shared by every store of a process, so that memory is bounded once (nullptr: 8 MiB each).
  std::shared_ptr<rocksdb::Cache> block_cache;
  /// Bounds the memtables of every store sharing it (nullptr: each store its own, 2 x 16 MiB).
  std::shared_ptr<rocksdb::WriteBufferManager> write_buffers;
  /// fsync the write-ahead log on commit: survives a power loss, not only a process crash.
  bool sync = false;
};

class rocksdb_store {
 public:
  /// One key's state. The views point into the store and stay valid until the store's next
  /// call (find included): the materializer uses one entry at a time.
  struct entry {
    std::string_view key_bytes;
    std::string_view row_bytes;
    std::int64_t write_time = 0;
    std::string_view key() const noexcept { return key_bytes; }
    std::string_view row() const noexcept { return row_bytes; }
  };

  explicit rocksdb_store(rocksdb_store_options options)
      : options_(std::move(options)), batch_(rocksdb::BytewiseComparator(), 0, true) {
    open();
  }

  /// A store at `where` with the process's shared cache and write buffers (shared_resources):
  /// what a source opens for each partition it is given.
  static std::unique_ptr<rocksdb_store> open(const state_location& where) {
    rocksdb_store_options o;
    o.path = where.path;
    o.fingerprint = where.fingerprint;
    const shared_memory& shared = shared_resources();
    o.block_cache = shared.block_cache;
    o.write_buffers = shared.write_buffers;
    return std::make_unique<rocksdb_store>(std::move(o));
  }

  /// The memory every store opened by open() shares: one block cache (64 MiB) and one budget
  /// for memtables (64 MiB). Set them before the first open() to change the sizes.
  struct shared_memory {
    std::shared_ptr<rocksdb::Cache> block_cache = rocksdb::NewLRUCache(std::size_t{64} << 20);
    std::shared_ptr<rocksdb::WriteBufferManager> write_buffers =
        std::make_shared<rocksdb::WriteBufferManager>(std::size_t{64} << 20, block_cache);
  };
  static shared_memory& shared_resources() {
    static shared_memory shared;
    return shared;
  }

  rocksdb_store(const rocksdb_store&) = delete;
  rocksdb_store& operator=(const rocksdb_store&) = delete;

  /// Closes the database; changes not committed are dropped (they are not durable yet).
  ~rocksdb_store() = default;

  const entry* find(std::string_view key, std::uint64_t /*hash*/) const {
    data_key(key);
    found_.Reset();
    const rocksdb::Status s =
        batch_.GetFromBatchAndDB(db_.get(), rocksdb::ReadOptions(), key_buffer_, &found_);
    key_present_ = !s.IsNotFound();
    if (!key_present_) return nullptr;
    check(s, "read");
    return decode(std::string_view(key_buffer_).substr(1), found_.data(), found_.size());
  }

  const entry* insert(std::string_view key, std::uint64_t /*hash*/, std::string_view row,
                      std::int64_t now) {
    const entry* e = put(key, row, now);
    ++count_;
    return e;
  }

  const entry* replace(const entry* existing, std::uint64_t /*hash*/, std::string_view row,
                       std::int64_t now) {
    return put(existing->key(), row, now);  // the key is in key_buffer_ already (data_key)
  }

  // The materializer erases a key it has just found: that lookup is not made again.
  bool erase(std::string_view key, std::uint64_t hash) {
    data_key(key);
    if (!key_present_ && find(key, hash) == nullptr) return false;
    check(batch_.Delete(key_buffer_), "delete");
    key_present_ = false;
    --count_;
    return true;
  }

  /// Removes every entry for which `pred(entry)` holds (a full scan: the state TTL's sweep).
  template <class Pred>
  std::size_t erase_if(Pred&& pred) {
    std::vector<std::string> doomed;
    for_each([&](const entry& e) {
      if (pred(e)) doomed.emplace_back(e.key());
    });
    for (const std::string& key : doomed) {
      data_key(key);
      check(batch_.Delete(key_buffer_), "delete");
    }
    key_present_ = false;
    count_ -= doomed.size();
    return doomed.size();
  }

  /// Calls `f(entry)` for every key, committed or pending, in key order.
  template <class F>
  void for_each(F&& f) const {
    std::unique_ptr<rocksdb::Iterator> it(
        batch_.NewIteratorWithBase(db_->NewIterator(rocksdb::ReadOptions())));
    for (it->Seek(rocksdb::Slice(&data_prefix, 1)); it->Valid(); it->Next()) {
      const rocksdb::Slice k = it->key();
      if (k.size() == 0 || k[0] != data_prefix) break;
      const rocksdb::Slice v = it->value();
      f(*decode(std::string_view(k.data() + 1, k.size() - 1), v.data(), v.size()));
    }
    check(it->status(), "scan");
  }

  std::size_t size() const noexcept { return count_; }

  /// This store's memtables, table readers and pending batch (the shared block cache is not
  /// counted: it belongs to every store using it).
  std::size_t memory_bytes() const {
    std::uint64_t memtables = 0, readers = 0;
    db_->GetIntProperty("rocksdb.cur-size-all-mem-tables", &memtables);
    db_->GetIntProperty("rocksdb.estimate-table-readers-mem", &readers);
    return static_cast<std::size_t>(memtables + readers) + pending_bytes();
  }

  /// The offset the state is complete up to (the next record to apply), -1 when none was
  /// committed.
  std::int64_t checkpoint() const noexcept { return checkpoint_; }

  /// Writes the pending changes, the checkpoint `next_offset` and the key count as one atomic
  /// write: after it, reopening the store gives exactly this state.
  void commit(std::int64_t next_offset) {
    put_meta(checkpoint_key, next_offset);
    put_meta(count_key, static_cast<std::int64_t>(count_));
    rocksdb::WriteOptions write;
    write.sync = options_.sync;
    check(db_->Write(write, batch_.GetWriteBatch()), "commit");
    batch_.Clear();
    checkpoint_ = next_offset;
    committed_count_ = count_;
  }

  /// Forgets the changes since the last commit (the state is the committed one again).
  void discard() {
    batch_.Clear();
    key_present_ = false;
    count_ = committed_count_;
  }

  /// Bytes of changes not committed yet (0 when there are none).
  std::size_t pending_bytes() const {
    const rocksdb::WriteBatch* batch = batch_.GetWriteBatch();
    return batch->Count() == 0 ? 0 : batch->GetDataSize();
  }

  /// True when the stored state was thrown away on open because its fingerprint differed.
  bool rebuilt() const noexcept { return rebuilt_; }
  /// Why it was, for the log: the stored and the expected fingerprint.
  const std::string& rebuild_reason() const noexcept { return rebuild_reason_; }

  const std::filesystem::path& path() const noexcept { return options_.path; }

  /// Deletes a store's directory (a closed store: a partition this process no longer owns).
  static void destroy(const std::string& path) { destroy(std::filesystem::path(path)); }
  static void destroy(const std::filesystem::path& path) {
    const rocksdb::Status s = rocksdb::DestroyDB(path.string(), rocksdb::Options());
    if (!s.ok())
      throw error("cannot delete the state store '" + path.string() + "': " + s.ToString());
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }

 private:
  static constexpr char data_prefix = 'd';
  static constexpr std::string_view checkpoint_key = "m/checkpoint";
  static constexpr std::string_view count_key = "m/count";
  static constexpr std::string_view fingerprint_key = "m/fingerprint";

  rocksdb::Options db_options() const {
    rocksdb::BlockBasedTableOptions table;
    table.block_cache =
        options_.block_cache ? options_.block_cache : rocksdb::NewLRUCache(std::size_t{8} << 20);
    // Point lookups: a Bloom filter saves the read of a block for a key not in the file.
    table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
    // Index and filters count against the cache instead of growing with the table.
    table.cache_index_and_filter_blocks = true;
    table.pin_l0_filter_and_index_blocks_in_cache = true;
    rocksdb::Options o;
    o.create_if_missing = true;
    o.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
    o.write_buffer_size = std::size_t{16} << 20;
    o.max_write_buffer_number = 2;
    if (options_.write_buffers) o.write_buffer_manager = options_.write_buffers;
    o.IncreaseParallelism(2);
    return o;
  }

  void open() {
    std::error_code failed;
    std::filesystem::create_directories(options_.path, failed);
    if (failed)
      throw config_error("cannot create the state directory '" + options_.path.string() +
                         "': " + failed.message());
    open_db();
    std::string stored;
    const rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), fingerprint_key, &stored);
    if (s.ok() && stored != options_.fingerprint) {
      rebuilt_ = true;
      rebuild_reason_ =
          "the table's fingerprint changed from '" + stored + "' to '" + options_.fingerprint + "'";
      db_.reset();
      destroy(options_.path);
      std::filesystem::create_directories(options_.path, failed);
      open_db();
    } else if (!s.IsNotFound()) {
      check(s, "read the fingerprint");
    }
    if (!s.ok() || rebuilt_) {
      check(db_->Put(rocksdb::WriteOptions(), fingerprint_key, options_.fingerprint),
            "write the fingerprint");
      return;
    }
    checkpoint_ = read_meta(checkpoint_key);
    const std::int64_t count = read_meta(count_key);
    count_ = committed_count_ = count > 0 ? static_cast<std::size_t>(count) : 0;
  }

  void open_db() {
    rocksdb::DB* db = nullptr;
    const rocksdb::Status s = rocksdb::DB::Open(db_options(), options_.path.string(), &db);
    if (!s.ok()) {
      // RocksDB's LOCK file: another store (this process) or another process has it open.
      if (s.IsIOError() && s.ToString().find("lock") != std::string::npos)
        throw config_error("the state directory '" + options_.path.string() +
                           "' is in use by another store or process: " + s.ToString());
      throw error("cannot open the state store '" + options_.path.string() + "': " + s.ToString());
    }
    db_.reset(db);
  }

  std::int64_t read_meta(std::string_view key) const {
    std::string value;
    const rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), key, &value);
    if (s.IsNotFound()) return -1;
    check(s, "read metadata");
    std::int64_t v = -1;
    if (value.size() == sizeof v) std::memcpy(&v, value.data(), sizeof v);
    return v;
  }

  void put_meta(std::string_view key, std::int64_t value) {
    char bytes[sizeof value];
    std::memcpy(bytes, &value, sizeof value);
    check(batch_.Put(rocksdb::Slice(key.data(), key.size()), rocksdb::Slice(bytes, sizeof bytes)),
          "write metadata");
  }

  // The row is stored after its write time (8 bytes, this machine's byte order: a state
  // directory is not moved between machines of different endianness).
  const entry* put(std::string_view key, std::string_view row, std::int64_t now) {
    data_key(key);
    value_buffer_.resize(sizeof now + row.size());
    std::memcpy(value_buffer_.data(), &now, sizeof now);
    if (!row.empty()) std::memcpy(value_buffer_.data() + sizeof now, row.data(), row.size());
    check(batch_.Put(key_buffer_, value_buffer_), "write");
    key_present_ = true;
    current_ = entry{std::string_view(key_buffer_).substr(1),
                     std::string_view(value_buffer_).substr(sizeof now), now};
    return &current_;
  }

  const entry* decode(std::string_view key, const char* value, std::size_t size) const {
    if (size < sizeof(std::int64_t))
      throw error("the state store '" + options_.path.string() + "' holds a malformed entry");
    std::int64_t time = 0;
    std::memcpy(&time, value, sizeof time);
    current_ = entry{key, std::string_view(value + sizeof time, size - sizeof time), time};
    return &current_;
  }

  // key_buffer_ = 'd' + key. Kept as it is when it holds that key already (an entry's key
  // views it; rebuilding it from itself would overwrite what it copies), and with it whether
  // the key is known to be present.
  void data_key(std::string_view key) const {
    if (!key_buffer_.empty() && std::string_view(key_buffer_).substr(1) == key) return;
    key_buffer_.assign(1, data_prefix);
    key_buffer_.append(key);
    key_present_ = false;
  }

  void check(const rocksdb::Status& s, const char* what) const {
    if (!s.ok())
      throw error("state store '" + options_.path.string() + "': cannot " + what + ": " +
                  s.ToString());
  }

  rocksdb_store_options options_;
  std::unique_ptr<rocksdb::DB> db_;
  mutable rocksdb::WriteBatchWithIndex batch_;  // changes since the last commit; reads see them
  mutable std::string key_buffer_;
  mutable rocksdb::PinnableSlice found_;
  mutable entry current_;
  mutable bool key_present_ = false;  // key_buffer_'s key exists (found or written since)
  std::string value_buffer_;
  std::size_t count_ = 0;
  std::size_t committed_count_ = 0;
  std::int64_t checkpoint_ = -1;
  bool rebuilt_ = false;
  std::string rebuild_reason_;
};

}  // namespace upsertkit

#endif  // UPSERTKIT_STORES_ROCKSDB_STORE_HPP
