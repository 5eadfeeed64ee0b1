// upsertkit: a state store on RocksDB: one partition's table on disk, with the offset it is
// complete up to, written atomically with the state it covers.
//
// The keys in use live in memory (a memory_store in front of the database): the materializer's
// changes stay there, pending, and reads are answered there once a key was read.
// commit(next_offset) writes the pending changes, the checkpoint and the key count in one
// atomic RocksDB write batch (the rows in the default column family, keyed by the key's bytes;
// the checkpoint, the key count and the table's fingerprint in a column family of their own). Until
// then nothing reaches the database, so the stored state is never ahead of what its owner declared
// durable (see docs/decisions.md, "RocksDB state"): after a crash the store reopens at its last
// checkpoint and the source reads on from there.
//
// Link upsertkit::rocksdb (CMake) for this header; the in-memory store stays the default.
#ifndef UPSERTKIT_STORES_ROCKSDB_STORE_HPP
#define UPSERTKIT_STORES_ROCKSDB_STORE_HPP

#include <rocksdb/cache.h>
#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/table.h>
#include <rocksdb/write_buffer_manager.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "../error.hpp"
#include "../key_hash.hpp"
#include "memory_store.hpp"
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
  /// A block cache, shared by the stores of a process that should have one (nullptr: none).
  /// Reads fill it. None by default: the keys in use are in the store's own memory (a cache
  /// of rows, not of the 4 KiB blocks around them), the OS page cache holds the files, and
  /// for a table much larger than memory filling a cache cost more than its hits saved (at
  /// 10M keys: 17% of the process's CPU, docs/performance.md).
  std::shared_ptr<rocksdb::Cache> block_cache;
  /// Bounds the memtables of every store sharing it (nullptr: each store its own, 2 x 16 MiB).
  std::shared_ptr<rocksdb::WriteBufferManager> write_buffers;
  /// fsync the write-ahead log on commit: survives a power loss, not only a process crash.
  bool sync = false;
  /// The keys in use are kept in memory (pending changes, and what was read since): past
  /// this many bytes commit_due() says so, and a commit empties it.
  std::size_t memory_limit = std::size_t{16} << 20;
  /// A database that cannot be opened (damaged files) is deleted and the store starts empty
  /// (rebuilt() says why) instead of throwing: the state is the topic's, read again. What
  /// open(location) sets for a source's stores; a store at a path of the user's throws.
  bool rebuild_unreadable = false;
};

class rocksdb_store {
 public:
  /// One key's state, as the in-memory store keeps it: the views stay valid until the store's
  /// next insert, replace or erase (or the next find of a key not in memory).
  using entry = memory_store::entry;

  explicit rocksdb_store(rocksdb_store_options options) : options_(std::move(options)) { open(); }

  /// A store at `where` with the process's shared cache and write buffers (shared_resources):
  /// what a source opens for each partition it is given.
  static std::unique_ptr<rocksdb_store> open(const state_location& where) {
    rocksdb_store_options o;
    o.path = where.path;
    o.fingerprint = where.fingerprint;
    const shared_memory& shared = shared_resources();
    o.block_cache = shared.block_cache;
    o.write_buffers = shared.write_buffers;
    o.memory_limit = shared.store_memory;
    o.rebuild_unreadable = true;
    return std::make_unique<rocksdb_store>(std::move(o));
  }

  /// The memory every store opened by open() shares: the memtables' budget (64 MiB), no
  /// block cache (see rocksdb_store_options::block_cache), and each store's own memory for
  /// the keys in use (16 MiB). Set them before the first open() to change them; a block cache
  /// set here has the memtables' budget charged to it only if write_buffers is made with it.
  struct shared_memory {
    std::shared_ptr<rocksdb::Cache> block_cache;
    std::shared_ptr<rocksdb::WriteBufferManager> write_buffers =
        std::make_shared<rocksdb::WriteBufferManager>(std::size_t{64} << 20);
    std::size_t store_memory = std::size_t{16} << 20;
  };
  static shared_memory& shared_resources() {
    static shared_memory shared;
    return shared;
  }

  rocksdb_store(const rocksdb_store&) = delete;
  rocksdb_store& operator=(const rocksdb_store&) = delete;

  /// Closes the database; changes not committed are dropped (they are not durable yet). The
  /// committed ones still in memtables are written to table files first, so that the next
  /// open has no log to replay (a crash skips this: the log is replayed then).
  ~rocksdb_store() {
    if (db_.db) db_.db->Flush(rocksdb::FlushOptions(), db_.handles);
  }

  const entry* find(std::string_view key, std::uint64_t hash) const {
    const entry* e = resident(key, hash);
    return (e->tag & absent) != 0 ? nullptr : e;
  }

  /// Reads the keys of a batch not in memory yet with one RocksDB MultiGet, so that the
  /// lookups that follow are answered from memory (the materializer calls it per window).
  void load(std::span<const stored_key> keys) const {
    wanted_.clear();
    for (const stored_key& k : keys)
      if (memory_.find(k.key, k.hash) == nullptr) wanted_.push_back(k);
    if (wanted_.empty()) return;
    if (wanted_.size() == 1) {
      resident(wanted_.front().key, wanted_.front().hash);
      return;
    }
    slices_.clear();
    for (const stored_key& k : wanted_)
      slices_.emplace_back(k.key.data(), k.key.size());
    values_.resize(wanted_.size());
    statuses_.resize(wanted_.size());
    db_.db->MultiGet(rocksdb::ReadOptions(), db_.rows(), slices_.size(), slices_.data(),
                     values_.data(), statuses_.data());
    for (std::size_t i = 0; i < wanted_.size(); ++i) {
      // A key twice in one batch is read twice and kept once.
      if (memory_.find(wanted_[i].key, wanted_[i].hash) == nullptr)
        keep(wanted_[i].key, wanted_[i].hash, statuses_[i], values_[i]);
      values_[i].Reset();
    }
  }

  const entry* insert(std::string_view key, std::uint64_t hash, std::string_view row,
                      std::int64_t now) {
    const entry* e = memory_.find(key, hash);  // the absence the caller found, if it is kept
    const bool was_pending = e != nullptr && (e->tag & pending) != 0;
    e = e != nullptr ? memory_.replace(e, hash, row, now) : memory_.insert(key, hash, row, now);
    mark_pending(e, 0, was_pending);
    ++count_;
    return e;
  }

  const entry* replace(const entry* existing, std::uint64_t hash, std::string_view row,
                       std::int64_t now) {
    const bool was_pending = (existing->tag & pending) != 0;
    const entry* e = memory_.replace(existing, hash, row, now);
    mark_pending(e, 0, was_pending);
    return e;
  }

  bool erase(std::string_view key, std::uint64_t hash) {
    const entry* e = resident(key, hash);
    if ((e->tag & absent) != 0) return false;
    const bool was_pending = (e->tag & pending) != 0;
    e = memory_.replace(e, hash, empty_row, e->write_time);
    mark_pending(e, absent, was_pending);
    --count_;
    return true;
  }

  /// Removes every entry for which `pred(entry)` holds (a full scan: the state TTL's sweep).
  template <class Pred>
  std::size_t erase_if(Pred&& pred) {
    std::vector<std::pair<std::string, std::uint64_t>> doomed;
    for_each([&](const entry& e) {
      if (pred(e)) doomed.emplace_back(std::string(e.key()), hash_bytes(e.key()));
    });
    for (const auto& [key, hash] : doomed)
      erase(key, hash);
    return doomed.size();
  }

  /// Calls `f(entry)` for every key, committed or pending.
  template <class F>
  void for_each(F&& f) const {
    std::vector<std::uint64_t> buffer;
    std::unique_ptr<rocksdb::Iterator> it(db_.db->NewIterator(rocksdb::ReadOptions(), db_.rows()));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      const rocksdb::Slice k = it->key();
      const std::string_view key(k.data(), k.size());
      if (memory_.find(key, hash_bytes(key)) != nullptr) continue;  // memory has its latest
      const rocksdb::Slice v = it->value();
      const auto [time, row] = split(v.data(), v.size());
      f(memory_store::detached(buffer, key, row, time));
    }
    check(it->status(), "scan");
    memory_.for_each([&](const entry& e) {
      if ((e.tag & absent) == 0) f(e);
    });
  }

  std::size_t size() const noexcept { return count_; }

  /// This store's keys in memory, memtables and table readers (the shared block cache is not
  /// counted: it belongs to every store using it).
  std::size_t memory_bytes() const {
    std::uint64_t memtables = 0, readers = 0;
    for (rocksdb::ColumnFamilyHandle* family : db_.handles) {
      std::uint64_t m = 0, r = 0;
      db_.db->GetIntProperty(family, "rocksdb.cur-size-all-mem-tables", &m);
      db_.db->GetIntProperty(family, "rocksdb.estimate-table-readers-mem", &r);
      memtables += m;
      readers += r;
    }
    return static_cast<std::size_t>(memtables + readers) + memory_.memory_bytes();
  }

  /// The offset the state is complete up to (the next record to apply), -1 when none was
  /// committed.
  std::int64_t checkpoint() const noexcept { return checkpoint_; }

  /// Writes the pending changes, the checkpoint `next_offset` and the key count as one atomic
  /// write: after it, reopening the store gives exactly this state.
  void commit(std::int64_t next_offset) {
    if (pending_count_ == 0 && next_offset == checkpoint_) return;  // nothing new to write
    // In key order: the memtable's skip list then inserts each key next to the one before
    // instead of searching from its top (the commit's main cost, 2x faster measured).
    to_write_.clear();
    memory_.for_each([&](const entry& e) {
      if ((e.tag & pending) != 0) to_write_.push_back(&e);
    });
    std::sort(to_write_.begin(), to_write_.end(),
              [](const entry* a, const entry* b) { return a->key() < b->key(); });
    batch_.Clear();
    for (const entry* e : to_write_) {
      const rocksdb::Slice key(e->key().data(), e->key().size());
      if ((e->tag & absent) != 0) {
        check(batch_.Delete(db_.rows(), key), "delete");
        continue;
      }
      value_buffer_.resize(sizeof e->write_time + e->row().size());
      std::memcpy(value_buffer_.data(), &e->write_time, sizeof e->write_time);
      if (!e->row().empty())
        std::memcpy(value_buffer_.data() + sizeof e->write_time, e->row().data(), e->row().size());
      check(batch_.Put(db_.rows(), key, value_buffer_), "write");
    }
    put_meta(checkpoint_key, next_offset);
    put_meta(count_key, static_cast<std::int64_t>(count_));
    rocksdb::WriteOptions write;
    write.sync = options_.sync;
    check(db_.db->Write(write, &batch_), "commit");
    batch_.Clear();
    checkpoint_ = next_offset;
    committed_count_ = count_;
    pending_count_ = 0;
    // What stays in memory is a cache of the database now, as long as it fits; emptied, it
    // keeps its memory for the next keys.
    if (memory_.bytes_in_use() > options_.memory_limit)
      memory_.reset();
    else
      memory_.for_each([&](const entry& e) { memory_.set_tag(&e, e.tag & ~pending); });
  }

  /// True when the keys held in memory outgrew memory_limit: commit soon (a source reaches
  /// its durability point early for it). Never with no key in memory: what an emptied memory
  /// keeps (its slots) no commit can free.
  bool commit_due() const noexcept {
    return memory_.size() != 0 && memory_.bytes_in_use() > options_.memory_limit;
  }

  /// Forgets the changes since the last commit (the state is the committed one again).
  void discard() {
    memory_.clear();
    pending_count_ = 0;
    count_ = committed_count_;
  }

  /// Keys changed since the last commit.
  std::size_t pending_keys() const noexcept { return pending_count_; }

  /// Bytes of changes not committed yet (0 when there are none).
  std::size_t pending_bytes() const {
    std::size_t n = 0;
    memory_.for_each([&](const entry& e) {
      if ((e.tag & pending) != 0) n += 1 + e.key().size() + sizeof e.write_time + e.row().size();
    });
    return n;
  }

  /// True when the stored state was thrown away on open: its fingerprint differed, or (with
  /// rebuild_unreadable) its files could not be read.
  bool rebuilt() const noexcept { return rebuilt_; }
  /// Why it was, for the log.
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
  // The column family of the checkpoint, the key count and the fingerprint. Kept apart from
  // the rows so that a table file of rows spans only the keys it holds: keys written in
  // ascending order (a first build of a topic keyed by a sequence) then give table files that
  // do not overlap, which compactions move down instead of rewriting (a first build of 1M
  // keys: 4.1 -> 2.8 CPU-s measured).
  static constexpr const char* meta_family = "upsertkit.meta";
  static constexpr std::string_view checkpoint_key = "checkpoint";
  static constexpr std::string_view count_key = "count";
  static constexpr std::string_view fingerprint_key = "fingerprint";
  // Where an earlier layout (rows and metadata in one column family) kept the fingerprint.
  static constexpr std::string_view single_family_fingerprint_key = "m/fingerprint";

  // The database with its two column families: rows (the default family) and metadata.
  struct database {
    std::unique_ptr<rocksdb::DB> db;
    std::vector<rocksdb::ColumnFamilyHandle*> handles;  // rows, metadata
    rocksdb::ColumnFamilyHandle* rows() const noexcept { return handles[0]; }
    rocksdb::ColumnFamilyHandle* meta() const noexcept { return handles[1]; }
    void close() noexcept {
      for (rocksdb::ColumnFamilyHandle* h : handles)
        db->DestroyColumnFamilyHandle(h);
      handles.clear();
      db.reset();
    }
    database() = default;
    database(const database&) = delete;
    database& operator=(const database&) = delete;
    ~database() {
      if (db) close();
    }
  };
  // Tags of the keys in memory: a change not committed yet, a key known not to exist.
  static constexpr std::uint32_t pending = 1;
  static constexpr std::uint32_t absent = 2;
  // Not a null view: memory_store copies rows with memcpy.
  static constexpr std::string_view empty_row{""};

  rocksdb::Options db_options() const {
    rocksdb::BlockBasedTableOptions table;
    // Without a cache of the user's, none: RocksDB would otherwise make one of 8 MiB per store.
    table.block_cache = options_.block_cache;
    table.no_block_cache = options_.block_cache == nullptr;
    // Point lookups: a Bloom filter saves the read of a block for a key not in the file.
    table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
    // Index and filter blocks stay in memory with their table file, outside any cache: every
    // lookup checks a filter in each level, and with them in a cache (partitioned or whole)
    // they were evicted by data blocks and read back, most of a lookup's time at 10M keys.
    // They take ~2.5 bytes a key (10M keys: ~25 MB), counted by memory_bytes().
    table.cache_index_and_filter_blocks = false;
    rocksdb::Options o;
    o.create_if_missing = true;
    o.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
    // No compression (Kafka Streams' default too): a lookup reads a block from the page
    // cache, and decompressing it cost more than the read.
    o.compression = rocksdb::kNoCompression;
    // Level sizes from the last level up: less data rewritten by compactions as the table
    // grows (RocksDB's recommended setting for level compaction).
    o.level_compaction_dynamic_level_bytes = true;
    o.write_buffer_size = std::size_t{16} << 20;
    o.max_write_buffer_number = 2;
    // A key never seen (every key of a first build) is answered by the memtable's Bloom
    // filter instead of a walk down its skip list.
    o.memtable_whole_key_filtering = true;
    o.memtable_prefix_bloom_size_ratio = 0.05;
    if (options_.write_buffers) o.write_buffer_manager = options_.write_buffers;
    o.IncreaseParallelism(2);
    // The metadata family's memtable fills slowly: flushed with the rows' (atomically), it
    // never keeps the write-ahead log alive on its own.
    o.atomic_flush = true;
    o.create_missing_column_families = true;
    return o;
  }

  rocksdb::ColumnFamilyOptions meta_options(const rocksdb::Options& rows) const {
    rocksdb::ColumnFamilyOptions o(rows);
    o.write_buffer_size = std::size_t{64} << 10;
    o.memtable_prefix_bloom_size_ratio = 0;
    o.memtable_whole_key_filtering = false;
    return o;
  }

  void open() {
    std::error_code failed;
    std::filesystem::create_directories(options_.path, failed);
    if (failed)
      throw config_error("cannot create the state directory '" + options_.path.string() +
                         "': " + failed.message());
    const bool existed = std::filesystem::exists(options_.path / "CURRENT", failed);
    if (std::string earlier = check_existing_database(); !earlier.empty()) {
      restart_empty(std::move(earlier));
    } else if (const rocksdb::Status s = open_db(); !s.ok()) {
      if (!options_.rebuild_unreadable) throw error(unreadable(s));
      restart_empty(unreadable(s));
    }
    std::string stored;
    const rocksdb::Status s =
        db_.db->Get(rocksdb::ReadOptions(), db_.meta(), fingerprint_key, &stored);
    if (s.IsNotFound()) {
      // A database that holds anything without a fingerprint was not written by upsertkit (or
      // its first write never landed, and then it is empty): it is never read as state and
      // never deleted.
      for (rocksdb::ColumnFamilyHandle* family : db_.handles)
        if (holds_anything(*db_.db, family, true)) throw foreign();
      // RocksDB recovers some damage (a manifest cut short) to an empty database.
      if (existed && !rebuilt_) {
        rebuilt_ = true;
        rebuild_reason_ = "the state store's files in '" + options_.path.string() +
                          "' hold no state (damaged, or cut short)";
      }
    } else {
      check(s, "read the fingerprint");
      if (stored != options_.fingerprint) {
        restart_empty("the table's fingerprint changed from '" + stored + "' to '" +
                      options_.fingerprint + "'");
      } else {
        checkpoint_ = read_meta(checkpoint_key);
        const std::int64_t count = read_meta(count_key);
        count_ = committed_count_ = count > 0 ? static_cast<std::size_t>(count) : 0;
        return;
      }
    }
    check(db_.db->Put(rocksdb::WriteOptions(), db_.meta(), fingerprint_key, options_.fingerprint),
          "write the fingerprint");
  }

  config_error foreign() const {
    return config_error("the state directory '" + options_.path.string() +
                        "' holds a RocksDB database that upsertkit did not write (it has no "
                        "table fingerprint): choose another directory, or delete this one");
  }

  // Looks at an existing database before it is opened for writing (opening adds the metadata
  // family): a database of another program's is refused and left as it was (column families
  // of its own, or rows without upsertkit's fingerprint), one of an earlier layout of ours is
  // rebuilt. Returns the reason to rebuild, or nothing.
  std::string check_existing_database() const {
    std::vector<std::string> families;
    if (!rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), options_.path.string(), &families)
             .ok())
      return {};  // no database yet, or one that cannot be read: open_db() tells which
    bool has_meta = false;
    for (const std::string& name : families) {
      if (name == meta_family)
        has_meta = true;
      else if (name != rocksdb::kDefaultColumnFamilyName)
        throw foreign();
    }
    if (has_meta) return {};
    rocksdb::DB* db = nullptr;
    const rocksdb::Options options = db_options();
    if (!rocksdb::DB::OpenForReadOnly(options, options_.path.string(), &db).ok()) return {};
    const std::unique_ptr<rocksdb::DB> rows(db);
    std::string earlier;
    if (rows->Get(rocksdb::ReadOptions(), single_family_fingerprint_key, &earlier).ok())
      return "the state store in '" + options_.path.string() +
             "' was written in an earlier layout of upsertkit's";
    // A read error here is left to the open that follows, which rebuilds or reports it.
    if (holds_anything(*rows, rows->DefaultColumnFamily(), false)) throw foreign();
    return {};
  }

  bool holds_anything(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* family,
                      bool throw_on_error) const {
    std::unique_ptr<rocksdb::Iterator> it(db.NewIterator(rocksdb::ReadOptions(), family));
    it->SeekToFirst();
    if (it->Valid()) return true;
    if (throw_on_error) check(it->status(), "read");
    return false;
  }

  std::string unreadable(const rocksdb::Status& s) const {
    return "the state store '" + options_.path.string() + "' cannot be read: " + s.ToString();
  }

  // The stored state is dropped and the store starts empty (the topic is read again).
  void restart_empty(std::string reason) {
    rebuilt_ = true;
    rebuild_reason_ = std::move(reason);
    db_.close();
    destroy(options_.path);
    std::error_code failed;
    std::filesystem::create_directories(options_.path, failed);
    if (const rocksdb::Status s = open_db(); !s.ok()) throw error(unreadable(s));
  }

  // Throws for a directory in use; other failures are returned (a damaged database).
  rocksdb::Status open_db() {
    const rocksdb::Options rows = db_options();
    const std::vector<rocksdb::ColumnFamilyDescriptor> families = {
        {rocksdb::kDefaultColumnFamilyName, rocksdb::ColumnFamilyOptions(rows)},
        {meta_family, meta_options(rows)}};
    rocksdb::DB* db = nullptr;
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    const rocksdb::Status s = rocksdb::DB::Open(rocksdb::DBOptions(rows), options_.path.string(),
                                                families, &handles, &db);
    if (s.ok()) {
      db_.db.reset(db);
      db_.handles = std::move(handles);
      return s;
    }
    // RocksDB's LOCK file: another store (this process) or another process has it open.
    if (s.IsIOError() && s.ToString().find("lock") != std::string::npos)
      throw config_error("the state directory '" + options_.path.string() +
                         "' is in use by another store or process: " + s.ToString());
    if (!s.IsCorruption() && !s.IsIOError() && !s.IsInvalidArgument()) throw error(unreadable(s));
    return s;
  }

  std::int64_t read_meta(std::string_view key) const {
    std::string value;
    const rocksdb::Status s = db_.db->Get(rocksdb::ReadOptions(), db_.meta(), key, &value);
    if (s.IsNotFound()) return -1;
    check(s, "read metadata");
    std::int64_t v = -1;
    if (value.size() == sizeof v) std::memcpy(&v, value.data(), sizeof v);
    return v;
  }

  void put_meta(std::string_view key, std::int64_t value) {
    char bytes[sizeof value];
    std::memcpy(bytes, &value, sizeof value);
    check(batch_.Put(db_.meta(), rocksdb::Slice(key.data(), key.size()),
                     rocksdb::Slice(bytes, sizeof bytes)),
          "write metadata");
  }

  // The key's entry in memory, read from the database first when it is not there: a key the
  // database does not hold is kept as an absent entry, so that its insert needs no second read.
  const entry* resident(std::string_view key, std::uint64_t hash) const {
    if (const entry* e = memory_.find(key, hash)) return e;
    found_.Reset();
    const rocksdb::Status s = db_.db->Get(rocksdb::ReadOptions(), db_.rows(),
                                          rocksdb::Slice(key.data(), key.size()), &found_);
    const entry* e = keep(key, hash, s, found_);
    found_.Reset();
    return e;
  }

  const entry* keep(std::string_view key, std::uint64_t hash, const rocksdb::Status& s,
                    const rocksdb::PinnableSlice& value) const {
    if (s.IsNotFound()) {
      const entry* e = memory_.insert(key, hash, empty_row, 0);
      memory_.set_tag(e, absent);
      return e;
    }
    check(s, "read");
    const auto [time, row] = split(value.data(), value.size());
    return memory_.insert(key, hash, row, time);
  }

  // The row is stored after its write time (8 bytes, this machine's byte order: a state
  // directory is not moved between machines of different endianness).
  std::pair<std::int64_t, std::string_view> split(const char* value, std::size_t size) const {
    if (size < sizeof(std::int64_t))
      throw error("the state store '" + options_.path.string() + "' holds a malformed entry");
    std::int64_t time = 0;
    std::memcpy(&time, value, sizeof time);
    return {time, std::string_view(value + sizeof time, size - sizeof time)};
  }

  void mark_pending(const entry* e, std::uint32_t absence, bool was_pending) {
    memory_.set_tag(e, pending | absence);
    if (!was_pending) ++pending_count_;
  }

  void check(const rocksdb::Status& s, const char* what) const {
    if (!s.ok())
      throw error("state store '" + options_.path.string() + "': cannot " + what + ": " +
                  s.ToString());
  }

  rocksdb_store_options options_;
  database db_;
  // The keys in use: pending changes (committed by commit()) and what was read since, kept
  // while it fits in memory_limit. Reads are answered here first.
  mutable memory_store memory_;
  rocksdb::WriteBatch batch_;  // commit()'s, kept for its buffer
  std::vector<const entry*> to_write_;
  mutable rocksdb::PinnableSlice found_;
  // load()'s buffers, kept for their capacity.
  mutable std::vector<stored_key> wanted_;
  mutable std::vector<rocksdb::Slice> slices_;
  mutable std::vector<rocksdb::PinnableSlice> values_;
  mutable std::vector<rocksdb::Status> statuses_;
  std::string value_buffer_;
  std::size_t count_ = 0;
  std::size_t committed_count_ = 0;
  std::size_t pending_count_ = 0;
  std::int64_t checkpoint_ = -1;
  bool rebuilt_ = false;
  std::string rebuild_reason_;
};

}  // namespace upsertkit

#endif  // UPSERTKIT_STORES_ROCKSDB_STORE_HPP
