// The RocksDB state store: the store contract (as the memory store's), its checkpoint written
// atomically with the state, what survives a close without commit (nothing), the lock, the
// fingerprint, and the materializer on it giving exactly the memory store's changelog.
#include <gtest/gtest.h>
#include <unistd.h>
#include <upsertkit/materializer.hpp>
#include <upsertkit/print.hpp>
#include <upsertkit/stores/rocksdb_store.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "item_table.hpp"

namespace rocksdb_store_test {
namespace {

using test_items::Item;
using test_items::items;
using upsertkit::rocksdb_store;
using upsertkit::rocksdb_store_options;

// A directory of its own per test, removed afterwards.
class StoreDir : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir = std::filesystem::temp_directory_path() /
          ("upsertkit-rocksdb-" + std::to_string(::getpid()) + "-" + info->test_suite_name() + "-" +
           info->name());
    std::filesystem::remove_all(dir);
  }
  void TearDown() override { std::filesystem::remove_all(dir); }

  rocksdb_store_options options(std::string fingerprint = "v1") const {
    rocksdb_store_options o;
    o.path = dir / "p0";
    o.fingerprint = std::move(fingerprint);
    return o;
  }

  // A RocksDB database at the store's path written as another program would: one column
  // family, none of upsertkit's metadata.
  std::unique_ptr<rocksdb::DB> plain_database() const {
    std::filesystem::create_directories(dir / "p0");
    rocksdb::DB* raw = nullptr;
    rocksdb::Options o;
    o.create_if_missing = true;
    EXPECT_TRUE(rocksdb::DB::Open(o, (dir / "p0").string(), &raw).ok());
    return std::unique_ptr<rocksdb::DB>(raw);
  }

  std::vector<std::string> column_families() const {
    std::vector<std::string> families;
    EXPECT_TRUE(
        rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), (dir / "p0").string(), &families)
            .ok());
    return families;
  }

  std::filesystem::path dir;
};

// Keys are hashed as the materializer hashes them: the store relies on it.
std::uint64_t h(std::string_view key) {
  return upsertkit::hash_bytes(key);
}

std::optional<std::string> row_of(const rocksdb_store& store, std::string_view key) {
  const auto* e = store.find(key, h(key));
  if (e == nullptr) return std::nullopt;
  return std::string(e->row());
}

using RocksdbStore = StoreDir;

TEST_F(RocksdbStore, PendingChangesAreReadBeforeTheyAreCommitted) {
  rocksdb_store store(options());
  EXPECT_EQ(store.checkpoint(), -1);
  EXPECT_EQ(store.find("a", h("a")), nullptr);
  const auto* e = store.insert("a", h("a"), "row-a", 7);
  EXPECT_EQ(e->key(), "a");
  EXPECT_EQ(e->row(), "row-a");
  EXPECT_EQ(e->write_time, 7);
  store.insert("b", h("b"), "", 8);  // an empty row is a row
  EXPECT_EQ(row_of(store, "a"), "row-a");
  EXPECT_EQ(row_of(store, "b"), "");
  const auto* found = store.find("a", h("a"));
  ASSERT_NE(found, nullptr);
  store.replace(found, h("a"), "row-a2", 9);
  EXPECT_EQ(row_of(store, "a"), "row-a2");
  ASSERT_NE(store.find("a", h("a")), nullptr);
  EXPECT_EQ(store.find("a", h("a"))->write_time, 9);
  EXPECT_EQ(store.size(), 2u);
  EXPECT_TRUE(store.erase("b", h("b")));
  EXPECT_FALSE(store.erase("b", h("b")));
  EXPECT_FALSE(store.erase("never", h("never")));
  EXPECT_EQ(row_of(store, "b"), std::nullopt);
  EXPECT_EQ(store.size(), 1u);
  EXPECT_GT(store.pending_bytes(), 0u);
}

TEST_F(RocksdbStore, ReopensAtItsLastCommitAndDropsWhatCameAfter) {
  {
    rocksdb_store store(options());
    store.insert("a", h("a"), "a1", 1);
    store.insert("b", h("b"), "b1", 1);
    store.commit(42);
    EXPECT_EQ(store.checkpoint(), 42);
    EXPECT_EQ(store.pending_bytes(), 0u);
    // After the commit: changed, removed and added, never committed (a crash here).
    const auto* a = store.find("a", h("a"));
    ASSERT_NE(a, nullptr);
    store.replace(a, h("a"), "a2", 2);
    store.erase("b", h("b"));
    store.insert("c", h("c"), "c1", 2);
  }
  rocksdb_store store(options());
  EXPECT_FALSE(store.rebuilt());
  EXPECT_EQ(store.checkpoint(), 42);
  EXPECT_EQ(store.size(), 2u);
  EXPECT_EQ(row_of(store, "a"), "a1");
  EXPECT_EQ(row_of(store, "b"), "b1");
  EXPECT_EQ(row_of(store, "c"), std::nullopt);
  ASSERT_NE(store.find("a", h("a")), nullptr);
  EXPECT_EQ(store.find("a", h("a"))->write_time, 1);
}

// No block cache by default (reads go to the page cache); a cache of the user's is used and
// filled by the store's reads, through find() and load() alike.
TEST_F(RocksdbStore, ABlockCacheOfTheUsersIsFilledByReads) {
  {
    rocksdb_store store(options());
    for (int i = 0; i < 1000; ++i) {
      const std::string key = "k" + std::to_string(i);
      store.insert(key, h(key), std::string(100, 'r'), 1);
    }
    store.commit(1000);
  }  // closed: the rows are in a table file
  auto o = options();
  o.block_cache = rocksdb::NewLRUCache(std::size_t{4} << 20);
  rocksdb_store store(o);
  const std::size_t opened = o.block_cache->GetUsage();  // the metadata read at open
  EXPECT_EQ(row_of(store, "k7"), std::string(100, 'r'));
  const std::size_t after_find = o.block_cache->GetUsage();
  EXPECT_GT(after_find, opened + 1000);  // a data block of rows
  std::vector<std::string> keys;
  for (int i = 500; i < 1000; i += 5)
    keys.push_back("k" + std::to_string(i));
  std::vector<upsertkit::stored_key> wanted;
  for (const std::string& k : keys)
    wanted.push_back({k, h(k)});
  store.load(wanted);
  EXPECT_GT(o.block_cache->GetUsage(), after_find);
  for (const std::string& k : keys)
    EXPECT_EQ(row_of(store, k), std::string(100, 'r')) << k;
}

TEST_F(RocksdbStore, DiscardReturnsToTheCommittedState) {
  rocksdb_store store(options());
  store.insert("a", h("a"), "a1", 1);
  store.commit(5);
  store.insert("b", h("b"), "b1", 1);
  store.erase("a", h("a"));
  store.discard();
  EXPECT_EQ(store.size(), 1u);
  EXPECT_EQ(row_of(store, "a"), "a1");
  EXPECT_EQ(row_of(store, "b"), std::nullopt);
  EXPECT_EQ(store.checkpoint(), 5);
}

TEST_F(RocksdbStore, ScansSeeCommittedAndPendingEntriesOnce) {
  rocksdb_store store(options());
  store.insert("b", h("b"), "b1", 1);
  store.insert("d", h("d"), "d1", 1);
  store.commit(1);
  store.insert("a", h("a"), "a1", 2);
  store.insert("c", h("c"), "c1", 3);
  store.erase("d", h("d"));
  std::vector<std::string> seen;
  store.for_each([&](const rocksdb_store::entry& e) {
    seen.push_back(std::string(e.key()) + "=" + std::string(e.row()));
  });
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(seen, (std::vector<std::string>{"a=a1", "b=b1", "c=c1"}));
  // The TTL's sweep: entries written before time 2.
  EXPECT_EQ(store.erase_if([](const rocksdb_store::entry& e) { return e.write_time < 2; }), 1u);
  EXPECT_EQ(row_of(store, "b"), std::nullopt);
  EXPECT_EQ(store.size(), 2u);
}

TEST_F(RocksdbStore, ASecondOpenOfTheDirectoryIsRefused) {
  rocksdb_store store(options());
  try {
    rocksdb_store again(options());
    FAIL() << "a second store opened the same directory";
  } catch (const upsertkit::config_error& e) {
    EXPECT_NE(std::string(e.what()).find("in use by another store or process"), std::string::npos)
        << e.what();
    EXPECT_NE(std::string(e.what()).find((dir / "p0").string()), std::string::npos) << e.what();
  }
}

TEST_F(RocksdbStore, AChangedFingerprintStartsEmpty) {
  {
    rocksdb_store store(options("columns:a,b"));
    store.insert("a", h("a"), "a1", 1);
    store.commit(10);
  }
  {
    rocksdb_store same(options("columns:a,b"));
    EXPECT_FALSE(same.rebuilt());
    EXPECT_EQ(same.checkpoint(), 10);
  }
  rocksdb_store changed(options("columns:a,b,c"));
  EXPECT_TRUE(changed.rebuilt());
  EXPECT_NE(changed.rebuild_reason().find("columns:a,b,c"), std::string::npos);
  EXPECT_EQ(changed.checkpoint(), -1);
  EXPECT_EQ(changed.size(), 0u);
  EXPECT_EQ(row_of(changed, "a"), std::nullopt);
}

TEST_F(RocksdbStore, DestroyRemovesTheDirectory) {
  { rocksdb_store store(options()); }
  ASSERT_TRUE(std::filesystem::exists(dir / "p0"));
  rocksdb_store::destroy(dir / "p0");
  EXPECT_FALSE(std::filesystem::exists(dir / "p0"));
}

TEST_F(RocksdbStore, AMaterializerWithoutFactoryCannotCreateIt) {
  auto handler = [](const upsertkit::change<Item>&) {};
  upsertkit::materializer<items, decltype(handler), rocksdb_store> m(handler);
  EXPECT_THROW(m.upsert(0, Item{"a", std::nullopt, 1, std::nullopt}), upsertkit::config_error);
}

TEST_F(RocksdbStore, TheStateTtlExpiresStoredKeysAndSurvivesAReopen) {
  std::vector<std::string> out;
  auto handler = [&](const upsertkit::change<Item>& c) {
    out.push_back(std::string(upsertkit::short_string(c.kind)) + std::string(c.row.id));
  };
  auto factory = [&](std::int32_t) { return std::make_unique<rocksdb_store>(options()); };
  upsertkit::materializer_options ttl;
  ttl.state_ttl = std::chrono::milliseconds(1000);
  {
    upsertkit::materializer<items, decltype(handler)&, rocksdb_store> m(handler, ttl);
    m.set_store_factory(factory);
    m.set_time(10'000);
    m.upsert(0, Item{"a", std::nullopt, 1, std::nullopt});
    m.set_time(10'600);
    m.upsert(0, Item{"b", std::nullopt, 1, std::nullopt});
    m.partition_store(0).commit(2);
  }
  upsertkit::materializer<items, decltype(handler)&, rocksdb_store> m(handler, ttl);
  m.set_store_factory(factory);
  m.partition_store(0);  // opened before a record comes, as a source does on assignment
  EXPECT_EQ(m.state_keys(), 2u);
  m.set_time(11'000);  // "a" was written 1000 ms ago: expired; "b" 400 ms ago: live
  EXPECT_EQ(m.evict_expired(), 1u);
  EXPECT_EQ(m.state_keys(), 1u);
  m.upsert(0, Item{"a", std::nullopt, 1, std::nullopt});  // a new key again: +I
  m.upsert(0, Item{"b", std::nullopt, 1, std::nullopt});  // TTL on: -U/+U even if equal
  EXPECT_EQ(out, (std::vector<std::string>{"+Ia", "+Ib", "+Ia", "-Ub", "+Ub"}));
}

// Random upserts and tombstones over a few keys in three partitions, applied record by record
// and in batches to a materializer on the memory store and one on RocksDB (committing at random
// points): the changelogs must be identical. Then the RocksDB one is closed without committing
// its last changes and reopened: its state must be the memory store's state at the last commit
// (kept as a copy), and the records after that commit, applied again, must give the same
// changes again.
TEST_F(RocksdbStore, MaterializerGivesTheMemoryStoresChangelogAndResumesFromItsCheckpoint) {
  using row_t =
      std::tuple<std::string, std::optional<std::string>, std::int32_t, std::optional<double>>;
  struct record {
    std::int32_t partition;
    std::string id;
    std::int32_t region;
    std::optional<std::string> name;
    std::optional<double> price;
    bool tombstone;
  };
  std::mt19937_64 random(20261206);
  std::vector<record> records;
  const std::vector<std::string> names = {"x", "y", "", "a much longer name than the others"};
  for (int i = 0; i < 3000; ++i) {
    record r;
    r.partition = static_cast<std::int32_t>(random() % 3);
    r.id = "k" + std::to_string(random() % 40);
    r.region = static_cast<std::int32_t>(random() % 2);
    if (random() % 4 != 0) r.name = names[random() % names.size()];
    if (random() % 3 != 0) r.price = static_cast<double>(random() % 3) / 2;
    r.tombstone = random() % 5 == 0;
    records.push_back(std::move(r));
  }
  auto to_line = [](const upsertkit::change<Item>& c) {
    std::string line;
    upsertkit::append_printed_row<items>(line, c.kind, c.row, upsertkit::print_style::modern);
    return line + " p" + std::to_string(c.partition);
  };
  std::vector<std::string> memory_out, rocks_out;
  auto memory_handler = [&](const upsertkit::change<Item>& c) { memory_out.push_back(to_line(c)); };
  auto rocks_handler = [&](const upsertkit::change<Item>& c) { rocks_out.push_back(to_line(c)); };
  using rocks_materializer =
      upsertkit::materializer<items, decltype(rocks_handler)&, rocksdb_store>;
  auto factory = [&](std::int32_t partition) {
    rocksdb_store_options o;
    o.path = dir / ("p" + std::to_string(partition));
    o.fingerprint = "items-v1";
    return std::make_unique<rocksdb_store>(std::move(o));
  };
  upsertkit::materializer<items, decltype(memory_handler)&> memory(memory_handler);
  auto rocks = std::make_unique<rocks_materializer>(rocks_handler);
  rocks->set_store_factory(factory);

  auto input = [&](const record& r) {
    return Item{r.id, r.name ? std::optional<std::string_view>(*r.name) : std::nullopt, r.region,
                r.price};
  };
  auto apply = [&](auto& m, std::size_t from, std::size_t to) {
    // Alternately record by record and as one batch.
    if (from % 2 == 0) {
      for (std::size_t i = from; i < to; ++i) {
        const Item row = input(records[i]);
        if (records[i].tombstone)
          m.remove(records[i].partition, row);
        else
          m.upsert(records[i].partition, row);
      }
      return;
    }
    std::vector<Item> rows;
    for (std::size_t i = from; i < to; ++i)
      rows.push_back(input(records[i]));
    std::vector<upsertkit::upsert_op<Item>> ops;
    for (std::size_t i = from; i < to; ++i)
      ops.push_back({records[i].partition, &rows[i - from], records[i].tombstone, nullptr, false});
    const upsertkit::batch_result result = m.apply(ops);
    ASSERT_EQ(result.done, ops.size());
  };
  auto table_of = [](const auto& m) {
    std::map<std::string, row_t> table;
    m.for_each_row([&](std::int32_t p, const Item& r) {
      table[std::to_string(p) + "/" + std::to_string(r.region) + "/" + std::string(r.id)] =
          row_t{std::string(r.id), r.name ? std::optional<std::string>(*r.name) : std::nullopt,
                r.region, r.price};
    });
    return table;
  };

  std::size_t at = 0, committed_at = 0;
  std::map<std::string, row_t> committed_table;
  while (at < records.size()) {
    const std::size_t step = std::min<std::size_t>(1 + random() % 97, records.size() - at);
    apply(memory, at, at + step);
    apply(*rocks, at, at + step);
    at += step;
    ASSERT_EQ(rocks_out, memory_out) << "after record " << at;
    if (random() % 3 == 0 && at < records.size() - 200) {
      for (std::int32_t p = 0; p < 3; ++p)
        rocks->partition_store(p).commit(static_cast<std::int64_t>(at));
      committed_at = at;
      committed_table = table_of(memory);
    }
  }
  EXPECT_EQ(table_of(*rocks), table_of(memory));
  EXPECT_EQ(rocks->state_keys(), memory.state_keys());
  ASSERT_GT(committed_at, 0u);

  // A crash after the last commit: the changes since are gone, the checkpoint says where from.
  rocks.reset();
  rocks_out.clear();
  rocks = std::make_unique<rocks_materializer>(rocks_handler);
  rocks->set_store_factory(factory);
  for (std::int32_t p = 0; p < 3; ++p)
    EXPECT_EQ(rocks->partition_store(p).checkpoint(), static_cast<std::int64_t>(committed_at));
  EXPECT_EQ(table_of(*rocks), committed_table);

  // The records after the checkpoint, again: the same changes as the first time.
  upsertkit::materializer<items, decltype(memory_handler)&> reference(memory_handler);
  memory_out.clear();
  apply(reference, 0, committed_at);
  memory_out.clear();
  apply(reference, committed_at, records.size());
  apply(*rocks, committed_at, records.size());
  EXPECT_EQ(rocks_out, memory_out);
  EXPECT_FALSE(rocks_out.empty());
  EXPECT_EQ(table_of(*rocks), table_of(memory));
}

// ---------------------------------------------------------------- bad state directories
// (docs/bad-input.md, "Bad state directories"): a clear error or a rebuild, never a crash.

TEST_F(RocksdbStore, APathThatIsAFileIsAClearError) {
  std::filesystem::create_directories(dir);
  { std::ofstream(dir / "p0") << "not a directory"; }
  try {
    rocksdb_store store(options());
    FAIL() << "a store opened over a file";
  } catch (const upsertkit::config_error& e) {
    EXPECT_NE(std::string(e.what()).find("cannot create the state directory '" +
                                         (dir / "p0").string() + "'"),
              std::string::npos)
        << e.what();
  }
}

TEST_F(RocksdbStore, ADatabaseUpsertkitDidNotWriteIsRefusedAndLeftAlone) {
  {
    const std::unique_ptr<rocksdb::DB> db = plain_database();
    ASSERT_NE(db, nullptr);
    ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), "someone", "else's data").ok());
  }
  for (bool rebuild : {false, true}) {
    rocksdb_store_options o = options();
    o.rebuild_unreadable = rebuild;
    try {
      rocksdb_store store(o);
      FAIL() << "a foreign database was opened as state";
    } catch (const upsertkit::config_error& e) {
      EXPECT_NE(std::string(e.what()).find("holds a RocksDB database that upsertkit did not write"),
                std::string::npos)
          << e.what();
    }
  }
  rocksdb::DB* raw = nullptr;
  ASSERT_TRUE(rocksdb::DB::OpenForReadOnly(rocksdb::Options(), (dir / "p0").string(), &raw).ok());
  std::unique_ptr<rocksdb::DB> db(raw);
  std::string value;
  ASSERT_TRUE(db->Get(rocksdb::ReadOptions(), "someone", &value).ok());
  EXPECT_EQ(value, "else's data");
  // Not even a column family of upsertkit's was added to it.
  EXPECT_EQ(column_families(), std::vector<std::string>{rocksdb::kDefaultColumnFamilyName});
}

TEST_F(RocksdbStore, ADatabaseWithColumnFamiliesOfAnotherProgramIsRefused) {
  {
    const std::unique_ptr<rocksdb::DB> db = plain_database();
    ASSERT_NE(db, nullptr);
    rocksdb::ColumnFamilyHandle* family = nullptr;
    ASSERT_TRUE(db->CreateColumnFamily(rocksdb::ColumnFamilyOptions(), "theirs", &family).ok());
    db->DestroyColumnFamilyHandle(family);
  }
  rocksdb_store_options o = options();
  o.rebuild_unreadable = true;
  EXPECT_THROW(rocksdb_store store(o), upsertkit::config_error);
  EXPECT_EQ(column_families(),
            (std::vector<std::string>{rocksdb::kDefaultColumnFamilyName, "theirs"}));
}

// A store written before the metadata had a column family of its own (one family, metadata
// keys beside the rows) is recognised by its fingerprint key and rebuilt, never read.
TEST_F(RocksdbStore, AStoreOfTheEarlierSingleFamilyLayoutIsRebuilt) {
  {
    const std::unique_ptr<rocksdb::DB> db = plain_database();
    ASSERT_NE(db, nullptr);
    ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), "m/fingerprint", "test").ok());
    ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), "da", std::string(8, '\0') + "a1").ok());
  }
  rocksdb_store store(options());
  EXPECT_TRUE(store.rebuilt());
  EXPECT_NE(store.rebuild_reason().find("earlier layout"), std::string::npos)
      << store.rebuild_reason();
  EXPECT_EQ(store.size(), 0u);
  EXPECT_EQ(store.checkpoint(), -1);
  EXPECT_EQ(store.find("a", h("a")), nullptr);
}

TEST_F(RocksdbStore, AMalformedStoredEntryIsAClearError) {
  {
    rocksdb_store store(options());
    store.insert("a", h("a"), "a1", 1);
    store.commit(3);
  }
  {
    // Rows are in the default column family; RocksDB opens a database with all of its.
    rocksdb::DB* raw = nullptr;
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    ASSERT_TRUE(rocksdb::DB::Open(rocksdb::Options(), (dir / "p0").string(),
                                  {{rocksdb::kDefaultColumnFamilyName, {}}, {"upsertkit.meta", {}}},
                                  &handles, &raw)
                    .ok());
    std::unique_ptr<rocksdb::DB> db(raw);
    ASSERT_TRUE(
        db->Put(rocksdb::WriteOptions(), handles[0], "a", "xyz").ok());  // shorter than its time
    for (rocksdb::ColumnFamilyHandle* h : handles)
      db->DestroyColumnFamilyHandle(h);
  }
  rocksdb_store store(options());
  try {
    store.find("a", h("a"));
    FAIL() << "a malformed entry was read";
  } catch (const upsertkit::error& e) {
    EXPECT_NE(std::string(e.what()).find("holds a malformed entry"), std::string::npos) << e.what();
  }
}

// Every file of a committed store damaged in turn (bytes overwritten at its start, middle and
// end, or the file cut short): opening and reading it back gives the committed state, or a
// rebuild (rebuild_unreadable) or an upsertkit::error that names the directory; never a crash
// or wrong rows (this runs under ASan+UBSan in the sanitizer build).
TEST_F(RocksdbStore, DamagedFilesGiveTheStateAnErrorOrARebuildNeverACrash) {
  const std::filesystem::path good = dir / "good";
  std::map<std::string, std::string> expected;
  {
    rocksdb_store_options o = options();
    o.path = good;
    rocksdb_store store(o);
    for (int i = 0; i < 2000; ++i) {
      const std::string key = "key-" + std::to_string(i);
      expected[key] = "row-" + std::to_string(i * 7);
      store.insert(key, h(key), expected[key], i);
    }
    store.commit(2000);
  }  // closed: flushed to a table file
  std::vector<std::filesystem::path> files;
  for (const auto& f : std::filesystem::directory_iterator(good))
    if (f.is_regular_file() && f.path().filename() != "LOCK") files.push_back(f.path().filename());
  ASSERT_GE(files.size(), 4u);   // CURRENT, MANIFEST, OPTIONS, a table file at least
  std::size_t outcomes[3] = {};  // intact, error, rebuilt
  for (const auto& name : files) {
    for (int damage = 0; damage < 4; ++damage) {
      for (bool rebuild : {false, true}) {
        const std::filesystem::path copy = dir / "copy";
        std::filesystem::remove_all(copy);
        std::filesystem::copy(good, copy);
        const std::filesystem::path file = copy / name;
        const auto size = std::filesystem::file_size(file);
        if (damage == 3) {
          std::filesystem::resize_file(file, size / 2);
        } else {
          std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
          const auto at = damage == 0 ? 0 : damage == 1 ? size / 2 : (size > 16 ? size - 16 : 0);
          f.seekp(static_cast<std::streamoff>(at));
          const std::string junk(std::min<std::uintmax_t>(16, size), '\x5a');
          f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
        }
        rocksdb_store_options o = options();
        o.path = copy;
        o.rebuild_unreadable = rebuild;
        const std::string what =
            name.string() + " damage " + std::to_string(damage) + (rebuild ? " (rebuild)" : "");
        try {
          rocksdb_store store(o);
          if (store.rebuilt()) {
            // Files that open as an empty database are a rebuild whatever the option says.
            if (store.rebuild_reason().find("cannot be read") != std::string::npos) {
              EXPECT_TRUE(rebuild) << what;
            }
            EXPECT_TRUE(store.rebuild_reason().find("cannot be read") != std::string::npos ||
                        store.rebuild_reason().find("hold no state") != std::string::npos)
                << what << ": " << store.rebuild_reason();
            EXPECT_EQ(store.size(), 0u) << what;
            EXPECT_EQ(store.checkpoint(), -1) << what;
            ++outcomes[2];
            continue;
          }
          std::map<std::string, std::string> seen;
          store.for_each([&](const rocksdb_store::entry& e) {
            seen[std::string(e.key())] = std::string(e.row());
          });
          EXPECT_EQ(seen, expected) << what;
          EXPECT_EQ(store.checkpoint(), 2000) << what;
          ++outcomes[0];
        } catch (const upsertkit::config_error& e) {
          ADD_FAILURE() << what << ": a damaged store is not a configuration error: " << e.what();
        } catch (const upsertkit::error& e) {
          EXPECT_NE(std::string(e.what()).find(copy.string()), std::string::npos)
              << what << ": " << e.what();
          ++outcomes[1];
        }
      }
    }
  }
  // Each outcome occurred: the damage reached what RocksDB checks.
  EXPECT_GT(outcomes[1], 0u);
  EXPECT_GT(outcomes[2], 0u);
}

}  // namespace
}  // namespace rocksdb_store_test
