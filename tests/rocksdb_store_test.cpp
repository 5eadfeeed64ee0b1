// The RocksDB state store: the store contract (as the memory store's), its checkpoint written
// atomically with the state, what survives a close without commit (nothing), the lock, the
// fingerprint, and the materializer on it giving exactly the memory store's changelog.
#include <gtest/gtest.h>
#include <unistd.h>
#include <upsertkit/materializer.hpp>
#include <upsertkit/print.hpp>
#include <upsertkit/stores/rocksdb_store.hpp>

#include <filesystem>
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

  std::filesystem::path dir;
};

std::optional<std::string> row_of(const rocksdb_store& store, std::string_view key) {
  const auto* e = store.find(key, 0);
  if (e == nullptr) return std::nullopt;
  return std::string(e->row());
}

using RocksdbStore = StoreDir;

TEST_F(RocksdbStore, PendingChangesAreReadBeforeTheyAreCommitted) {
  rocksdb_store store(options());
  EXPECT_EQ(store.checkpoint(), -1);
  EXPECT_EQ(store.find("a", 0), nullptr);
  const auto* e = store.insert("a", 0, "row-a", 7);
  EXPECT_EQ(e->key(), "a");
  EXPECT_EQ(e->row(), "row-a");
  EXPECT_EQ(e->write_time, 7);
  store.insert("b", 0, "", 8);  // an empty row is a row
  EXPECT_EQ(row_of(store, "a"), "row-a");
  EXPECT_EQ(row_of(store, "b"), "");
  const auto* found = store.find("a", 0);
  ASSERT_NE(found, nullptr);
  store.replace(found, 0, "row-a2", 9);
  EXPECT_EQ(row_of(store, "a"), "row-a2");
  ASSERT_NE(store.find("a", 0), nullptr);
  EXPECT_EQ(store.find("a", 0)->write_time, 9);
  EXPECT_EQ(store.size(), 2u);
  EXPECT_TRUE(store.erase("b", 0));
  EXPECT_FALSE(store.erase("b", 0));
  EXPECT_FALSE(store.erase("never", 0));
  EXPECT_EQ(row_of(store, "b"), std::nullopt);
  EXPECT_EQ(store.size(), 1u);
  EXPECT_GT(store.pending_bytes(), 0u);
}

TEST_F(RocksdbStore, ReopensAtItsLastCommitAndDropsWhatCameAfter) {
  {
    rocksdb_store store(options());
    store.insert("a", 0, "a1", 1);
    store.insert("b", 0, "b1", 1);
    store.commit(42);
    EXPECT_EQ(store.checkpoint(), 42);
    EXPECT_EQ(store.pending_bytes(), 0u);
    // After the commit: changed, removed and added, never committed (a crash here).
    const auto* a = store.find("a", 0);
    ASSERT_NE(a, nullptr);
    store.replace(a, 0, "a2", 2);
    store.erase("b", 0);
    store.insert("c", 0, "c1", 2);
  }
  rocksdb_store store(options());
  EXPECT_FALSE(store.rebuilt());
  EXPECT_EQ(store.checkpoint(), 42);
  EXPECT_EQ(store.size(), 2u);
  EXPECT_EQ(row_of(store, "a"), "a1");
  EXPECT_EQ(row_of(store, "b"), "b1");
  EXPECT_EQ(row_of(store, "c"), std::nullopt);
  ASSERT_NE(store.find("a", 0), nullptr);
  EXPECT_EQ(store.find("a", 0)->write_time, 1);
}

TEST_F(RocksdbStore, DiscardReturnsToTheCommittedState) {
  rocksdb_store store(options());
  store.insert("a", 0, "a1", 1);
  store.commit(5);
  store.insert("b", 0, "b1", 1);
  store.erase("a", 0);
  store.discard();
  EXPECT_EQ(store.size(), 1u);
  EXPECT_EQ(row_of(store, "a"), "a1");
  EXPECT_EQ(row_of(store, "b"), std::nullopt);
  EXPECT_EQ(store.checkpoint(), 5);
}

TEST_F(RocksdbStore, ScansSeeCommittedAndPendingEntriesInKeyOrder) {
  rocksdb_store store(options());
  store.insert("b", 0, "b1", 1);
  store.insert("d", 0, "d1", 1);
  store.commit(1);
  store.insert("a", 0, "a1", 2);
  store.insert("c", 0, "c1", 3);
  store.erase("d", 0);
  std::vector<std::string> seen;
  store.for_each([&](const rocksdb_store::entry& e) {
    seen.push_back(std::string(e.key()) + "=" + std::string(e.row()));
  });
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
    store.insert("a", 0, "a1", 1);
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

}  // namespace
}  // namespace rocksdb_store_test
