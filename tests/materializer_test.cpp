// The materializer against the reference's ChangelogNormalize transition table, Flink's own
// test scenarios, and a model of the table fed random record sequences.
//
// Every test here is a typed test over the state stores (store_fixtures.hpp): Suite.Test on the
// memory store (ctest: Suite.Test<store_fixtures::memory>, GoogleTest: Suite/0.Test) and, when
// configured with UPSERTKIT_ROCKSDB=ON, on the RocksDB store (Suite.Test<store_fixtures::rocksdb>,
// Suite/1.Test), each RocksDB store in a directory of the test's own. A RocksDB variant also
// reaches durability points where the memory store has none (stores.durability_point(m): the
// pending changes written, the keys in memory forgotten), so that its reads come from the
// database as well as from the changes not committed yet; the expected changelog is the same.
//
// Memory-only: none of this file's tests. What is about the memory store's layout, its
// memory_bytes figures or its prefetching is the memory store's own and is tested on it alone,
// in tests/memory_store_test.cpp (block moves and reuse, huge chunks, large rows leaving the
// chunks, memory accounting, hash collisions) and by the codegen.prefetches_kept probe.
// MaterializerRows.PreviousRowSurvivesAGrowingUpdate and MaterializerBatch.SameChangesAsOneByOne
// were written with the memory store's block moves in mind, but what they assert is the
// changelog, which any store must give: they run with both.
#include <gtest/gtest.h>
#include <upsertkit/materializer.hpp>
#include <upsertkit/print.hpp>

#include <algorithm>
#include <map>
#include <optional>
#include <random>
#include <span>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include "item_table.hpp"
#include "store_fixtures.hpp"

namespace materializer_test {
namespace {

using test_items::Item;
using test_items::items;

struct recorder {
  std::vector<std::string>* lines;
  void operator()(const upsertkit::change<Item>& c) {
    std::string line;
    upsertkit::append_printed_row<items>(line, c.kind, c.row, upsertkit::print_style::modern);
    line += " p" + std::to_string(c.partition);
    lines->push_back(std::move(line));
  }
};

// A test on one store (store_fixtures.hpp); `stores` gives materializers their stores.
template <class Stores>
class StoreTest : public ::testing::Test {
 protected:
  Stores stores;
};

template <class Stores>
class MaterializerTest : public StoreTest<Stores> {
 protected:
  MaterializerTest() { this->stores.attach(m); }
  std::vector<std::string> out;
  upsertkit::materializer<items, recorder, typename Stores::store> m{recorder{&out}};
};
TYPED_TEST_SUITE(MaterializerTest, store_fixtures::all);

template <class Stores>
class MaterializerTtl : public StoreTest<Stores> {};
TYPED_TEST_SUITE(MaterializerTtl, store_fixtures::all);

template <class Stores>
class MaterializerHandlerFailure : public StoreTest<Stores> {};
TYPED_TEST_SUITE(MaterializerHandlerFailure, store_fixtures::all);

template <class Stores>
class MaterializerOptions : public StoreTest<Stores> {};
TYPED_TEST_SUITE(MaterializerOptions, store_fixtures::all);

template <class Stores>
class MaterializerRows : public StoreTest<Stores> {};
TYPED_TEST_SUITE(MaterializerRows, store_fixtures::all);

template <class Stores>
class MaterializerFlinkCases : public StoreTest<Stores> {};
TYPED_TEST_SUITE(MaterializerFlinkCases, store_fixtures::all);

template <class Stores>
class MaterializerModel : public StoreTest<Stores> {};
TYPED_TEST_SUITE(MaterializerModel, store_fixtures::all);

template <class Stores>
class MaterializerBatch : public StoreTest<Stores> {};
TYPED_TEST_SUITE(MaterializerBatch, store_fixtures::all);

Item item(std::string_view id, std::int32_t region, std::optional<std::string_view> name,
          std::optional<double> price) {
  return Item{id, name, region, price};
}

// A source rebuilding state below a committed offset: the state moves, nothing is emitted, and
// the first change after the replay carries the replayed row.
TYPED_TEST(MaterializerTest, ReplayingBuildsStateWithoutEmitting) {
  auto& m = this->m;
  auto& out = this->out;
  const Item a1 = item("a", 1, "apple", 1.5), a2 = item("a", 1, "apricot", 2.0),
             b = item("b", 1, "banana", 1.0), b_key = item("b", 1, std::nullopt, std::nullopt);
  const upsertkit::upsert_op<Item> replayed[] = {{0, &a1, false, nullptr, true},
                                                 {0, &a2, false, nullptr, true},
                                                 {0, &b, false, nullptr, true},
                                                 {0, &b_key, true, nullptr, true}};
  EXPECT_TRUE(m.apply(replayed).ok());
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(m.stats().replayed, 5u);  // +I, -U, +U, +I, -D
  EXPECT_EQ(m.stats().inserts + m.stats().update_afters + m.stats().deletes, 0u);
  this->stores.durability_point(m);
  m.upsert(0, item("a", 1, "avocado", 3.0));
  EXPECT_EQ(out,
            (std::vector<std::string>{"-U[a, apricot, 1, 2.0] p0", "+U[a, avocado, 1, 3.0] p0"}));
  EXPECT_EQ(m.stats().update_befores, 1u);
  EXPECT_EQ(m.state_keys(), 1u);
}

TYPED_TEST(MaterializerTest, NewKeyIsInsert) {  // (a)
  auto& m = this->m;
  auto& out = this->out;
  m.upsert(0, item("a", 1, "apple", 1.5));
  EXPECT_EQ(out, (std::vector<std::string>{"+I[a, apple, 1, 1.5] p0"}));
  EXPECT_EQ(m.stats().inserts, 1u);
  EXPECT_EQ(m.state_keys(), 1u);
}

TYPED_TEST(MaterializerTest, ChangedRowIsUpdateBeforeThenAfter) {  // (b)
  auto& m = this->m;
  auto& out = this->out;
  m.upsert(0, item("a", 1, "apple", 1.5));
  this->stores.durability_point(m);
  m.upsert(0, item("a", 1, "apple", 2.0));
  EXPECT_EQ(out, (std::vector<std::string>{"+I[a, apple, 1, 1.5] p0", "-U[a, apple, 1, 1.5] p0",
                                           "+U[a, apple, 1, 2.0] p0"}));
}

TYPED_TEST(MaterializerTest, IdenticalRowEmitsNothingWithoutTtl) {  // (c)
  auto& m = this->m;
  auto& out = this->out;
  m.upsert(0, item("a", 1, "apple", 1.5));
  this->stores.durability_point(m);
  m.upsert(0, item("a", 1, "apple", 1.5));
  EXPECT_EQ(out.size(), 1u);
  EXPECT_EQ(m.stats().unchanged, 1u);
}

TYPED_TEST(MaterializerTest, NullAndValueAreDifferentRows) {
  auto& m = this->m;
  auto& out = this->out;
  m.upsert(0, item("a", 1, std::nullopt, 1.5));
  this->stores.durability_point(m);
  m.upsert(0, item("a", 1, "", 1.5));  // empty string is not NULL
  m.upsert(0, item("a", 1, "", std::nullopt));
  EXPECT_EQ(out, (std::vector<std::string>{"+I[a, null, 1, 1.5] p0", "-U[a, null, 1, 1.5] p0",
                                           "+U[a, , 1, 1.5] p0", "-U[a, , 1, 1.5] p0",
                                           "+U[a, , 1, null] p0"}));
}

TYPED_TEST(MaterializerTest, TombstoneEmitsFullPreviousRow) {  // (d)
  auto& m = this->m;
  auto& out = this->out;
  m.upsert(0, item("a", 1, "apple", 1.5));
  this->stores.durability_point(m);
  m.remove(0, item("a", 1, std::nullopt, std::nullopt));  // a tombstone carries only the key
  EXPECT_EQ(out, (std::vector<std::string>{"+I[a, apple, 1, 1.5] p0", "-D[a, apple, 1, 1.5] p0"}));
  EXPECT_EQ(m.state_keys(), 0u);
  this->stores.durability_point(m);
  m.upsert(0, item("a", 1, "apple", 1.5));  // after a delete the key is new again
  EXPECT_EQ(out.back(), "+I[a, apple, 1, 1.5] p0");
}

TYPED_TEST(MaterializerTest, TombstoneOfUnknownKeyEmitsNothing) {  // (e)
  auto& m = this->m;
  auto& out = this->out;
  m.remove(0, item("zz", 1, std::nullopt, std::nullopt));
  m.upsert(0, item("a", 1, "apple", 1.5));
  this->stores.durability_point(m);
  m.remove(0, item("a", 2, std::nullopt, std::nullopt));  // same id, other region: other key
  EXPECT_EQ(out, (std::vector<std::string>{"+I[a, apple, 1, 1.5] p0"}));
  EXPECT_EQ(m.stats().unknown_tombstones, 2u);
}

TYPED_TEST(MaterializerTest, CompositeKeyUsesEveryKeyColumn) {
  auto& m = this->m;
  m.upsert(0, item("a", 1, "x", 1));
  m.upsert(0, item("a", 2, "y", 1));
  m.upsert(0, item("b", 1, "z", 1));
  EXPECT_EQ(m.stats().inserts, 3u);
  EXPECT_EQ(m.state_keys(), 3u);
}

TYPED_TEST(MaterializerTest, StateIsPerPartition) {
  auto& m = this->m;
  auto& out = this->out;
  m.upsert(0, item("a", 1, "apple", 1.5));
  m.upsert(3, item("a", 1, "apple", 1.5));  // same key, other partition: its own state
  EXPECT_EQ(out, (std::vector<std::string>{"+I[a, apple, 1, 1.5] p0", "+I[a, apple, 1, 1.5] p3"}));
  m.drop_partition(3);
  EXPECT_EQ(m.partition_state(3), nullptr);
  ASSERT_NE(m.partition_state(0), nullptr);
  EXPECT_EQ(m.partition_state(0)->size(), 1u);
  // Rebuilt from scratch: new again. (A durable store dropped keeps only what it committed, and
  // nothing of partition 3 was: it reopens empty.)
  m.upsert(3, item("a", 1, "apple", 1.5));
  EXPECT_EQ(out.back(), "+I[a, apple, 1, 1.5] p3");
  EXPECT_EQ(m.state_keys(), 2u);
  if constexpr (TypeParam::durable) {
    // Committed, then dropped: the partition's store reopens with its committed state, and the
    // same row again is no change.
    this->stores.durability_point(m);
    m.drop_partition(3);
    EXPECT_EQ(m.partition_state(3), nullptr);
    m.upsert(3, item("a", 1, "apple", 1.5));
    EXPECT_EQ(out.size(), 3u);
    EXPECT_EQ(m.stats().unchanged, 1u);
    EXPECT_EQ(m.state_keys(), 2u);
  }
}

TYPED_TEST(MaterializerTtl, IdenticalRowIsEmittedWhenTtlIsOn) {  // (c')
  std::vector<std::string> out;
  upsertkit::materializer<items, recorder, typename TypeParam::store> m(
      recorder{&out}, {.state_ttl = std::chrono::milliseconds(1000)});
  this->stores.attach(m);
  m.set_time(100);
  m.upsert(0, item("a", 1, "apple", 1.5));
  this->stores.durability_point(m);
  m.upsert(0, item("a", 1, "apple", 1.5));
  EXPECT_EQ(out, (std::vector<std::string>{"+I[a, apple, 1, 1.5] p0", "-U[a, apple, 1, 1.5] p0",
                                           "+U[a, apple, 1, 1.5] p0"}));
}

TYPED_TEST(MaterializerTtl, ExpiredKeysAreForgotten) {
  std::vector<std::string> out;
  upsertkit::materializer<items, recorder, typename TypeParam::store> m(
      recorder{&out}, {.state_ttl = std::chrono::milliseconds(1000)});
  this->stores.attach(m);
  m.set_time(0);
  m.upsert(0, item("a", 1, "apple", 1.5));
  m.upsert(0, item("b", 1, "banana", 2.5));
  this->stores.durability_point(m);  // write times are kept with the rows
  m.set_time(999);
  m.upsert(0, item("b", 1, "banana", 3.0));  // refreshes b's write time
  this->stores.durability_point(m);
  m.set_time(1000);  // a: 0 + 1000 <= 1000 -> expired
  m.remove(0, item("a", 1, std::nullopt, std::nullopt));
  EXPECT_EQ(out.size(), 4u) << "a tombstone for an expired key emits nothing";
  m.upsert(0, item("a", 1, "apple", 1.5));
  EXPECT_EQ(out.back(), "+I[a, apple, 1, 1.5] p0") << "an expired key is new again";
  this->stores.durability_point(m);
  m.set_time(1998);
  EXPECT_EQ(m.evict_expired(), 0u);
  m.set_time(1999);
  EXPECT_EQ(m.evict_expired(), 1u);  // b, written at 999
  EXPECT_EQ(m.state_keys(), 1u);
  EXPECT_EQ(m.stats().expired, 2u);
}

TYPED_TEST(MaterializerTtl, ForeverDoesNotOverflow) {
  std::vector<std::string> out;
  upsertkit::materializer_options options;
  options.state_ttl = std::chrono::milliseconds::max();
  upsertkit::materializer<items, recorder, typename TypeParam::store> m(recorder{&out}, options);
  this->stores.attach(m);
  m.set_time(1'700'000'000'000);
  m.upsert(0, item("a", 1, "apple", 1.5));
  this->stores.durability_point(m);
  m.set_time(1'800'000'000'000);
  m.upsert(0, item("a", 1, "apple", 2.5));
  EXPECT_EQ(out, (std::vector<std::string>{"+I[a, apple, 1, 1.5] p0", "-U[a, apple, 1, 1.5] p0",
                                           "+U[a, apple, 1, 2.5] p0"}));
  EXPECT_EQ(m.evict_expired(), 0u);
}

// A handler that throws leaves the state as it was before the record, so applying the record
// again emits its changes again instead of losing them.
struct flaky_recorder {
  std::vector<std::string>* lines;
  int* throws_left;
  void operator()(const upsertkit::change<Item>& c) {
    if (*throws_left > 0) {
      --*throws_left;
      throw std::runtime_error("downstream unavailable");
    }
    recorder{lines}(c);
  }
};

TYPED_TEST(MaterializerHandlerFailure, InsertIsEmittedAgainOnRetry) {
  std::vector<std::string> out;
  int throws = 1;
  upsertkit::materializer<items, flaky_recorder, typename TypeParam::store> m(
      flaky_recorder{&out, &throws});
  this->stores.attach(m);
  EXPECT_THROW(m.upsert(0, item("a", 1, "apple", 1.5)), std::runtime_error);
  EXPECT_EQ(m.state_keys(), 0u);
  this->stores.durability_point(m);  // nothing to write
  EXPECT_EQ(m.state_keys(), 0u);
  m.upsert(0, item("a", 1, "apple", 1.5));
  EXPECT_EQ(out, (std::vector<std::string>{"+I[a, apple, 1, 1.5] p0"}));
}

TYPED_TEST(MaterializerHandlerFailure, UpdateIsEmittedAgainOnRetry) {
  std::vector<std::string> out;
  int throws = 0;
  upsertkit::materializer<items, flaky_recorder, typename TypeParam::store> m(
      flaky_recorder{&out, &throws});
  this->stores.attach(m);
  m.upsert(0, item("a", 1, "apple", 1.5));
  this->stores.durability_point(m);
  throws = 1;  // the -U fails
  EXPECT_THROW(m.upsert(0, item("a", 1, "apple", 2.5)), std::runtime_error);
  this->stores.durability_point(m);  // the state is still the first row
  m.upsert(0, item("a", 1, "apple", 2.5));
  EXPECT_EQ(out, (std::vector<std::string>{"+I[a, apple, 1, 1.5] p0", "-U[a, apple, 1, 1.5] p0",
                                           "+U[a, apple, 1, 2.5] p0"}));
  // The same for a failing +U after a delivered -U: the retry repeats the pair.
  m.upsert(0, item("a", 1, "apple", 3.5));
  EXPECT_EQ(out.back(), "+U[a, apple, 1, 3.5] p0");
}

TYPED_TEST(MaterializerOptions, WithoutUpdateBefore) {
  std::vector<std::string> out;
  upsertkit::materializer_options options;
  options.emit_update_before = false;
  upsertkit::materializer<items, recorder, typename TypeParam::store> m(recorder{&out}, options);
  this->stores.attach(m);
  m.upsert(0, item("a", 1, "apple", 1.5));
  this->stores.durability_point(m);
  m.upsert(0, item("a", 1, "apple", 2.5));
  EXPECT_EQ(out, (std::vector<std::string>{"+I[a, apple, 1, 1.5] p0", "+U[a, apple, 1, 2.5] p0"}));
}

TYPED_TEST(MaterializerRows, PreviousRowSurvivesAGrowingUpdate) {
  // The -U row is decoded from state and the +U row must be intact after the block moves.
  std::vector<std::string> out;
  upsertkit::materializer<items, recorder, typename TypeParam::store> m(recorder{&out});
  this->stores.attach(m);
  m.upsert(0, item("a", 1, "x", 1));
  this->stores.durability_point(m);
  const std::string long_name(1000, 'n');
  m.upsert(0, item("a", 1, long_name, 1));
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[1], "-U[a, x, 1, 1.0] p0");
  EXPECT_EQ(out[2], "+U[a, " + long_name + ", 1, 1.0] p0");
  this->stores.durability_point(m);
  m.remove(0, item("a", 1, std::nullopt, std::nullopt));
  EXPECT_EQ(out[3], "-D[a, " + long_name + ", 1, 1.0] p0");
}

// Flink's UpsertKafkaTableITCase word count: the raw topic holds good:1,2,3; day:1,2; study,
// up, boy: 1. Reading it back gives exactly these changes.
struct Word {
  std::string_view word;
  std::optional<std::int64_t> count;
};
}  // namespace
}  // namespace materializer_test

BOOST_HANA_ADAPT_STRUCT(materializer_test::Word, word, count);

namespace materializer_test {
namespace {
using words = upsertkit::table<Word, upsertkit::primary_key<"word">>;

TYPED_TEST(MaterializerFlinkCases, WordCount) {
  std::vector<std::string> out;
  auto handler = [&](const upsertkit::change<Word>& c) {
    std::string line;
    upsertkit::append_printed_row<words>(line, c.kind, c.row, upsertkit::print_style::legacy);
    out.push_back(line);
  };
  upsertkit::materializer<words, decltype(handler), typename TypeParam::store> m(handler);
  this->stores.attach(m);
  const std::vector<std::pair<std::string_view, std::int64_t>> topic = {
      {"good", 1}, {"good", 2}, {"study", 1}, {"day", 1},
      {"day", 2},  {"up", 1},   {"good", 3},  {"boy", 1}};
  for (std::size_t i = 0; i < topic.size(); ++i) {
    m.upsert(0, Word{topic[i].first, topic[i].second});
    if (i % 2 == 1) this->stores.durability_point(m);  // read back from the store, or pending
  }
  EXPECT_EQ(out, (std::vector<std::string>{"+I(good,1)", "-U(good,1)", "+U(good,2)", "+I(study,1)",
                                           "+I(day,1)", "-U(day,1)", "+U(day,2)", "+I(up,1)",
                                           "-U(good,2)", "+U(good,3)", "+I(boy,1)"}));
}

// Model check: random upserts and tombstones over a few keys. The emitted changelog must be
// exactly what the reference table predicts, and applying it to an empty table must give the
// materializer's state.
TYPED_TEST(MaterializerModel, RandomSequencesMatchTheReferenceTable) {
  std::mt19937_64 random(20261125);
  std::mt19937_64 points(7);  // where durability points are reached: the sequences stay the same
  using key_t = std::tuple<std::int32_t, std::string>;
  using row_t =
      std::tuple<std::string, std::optional<std::string>, std::int32_t, std::optional<double>>;
  for (int round = 0; round < 50; ++round) {
    struct event {
      upsertkit::row_kind kind;
      row_t row;
    };
    std::vector<event> emitted;
    auto handler = [&](const upsertkit::change<Item>& c) {
      emitted.push_back(
          {c.kind, row_t{std::string(c.row.id),
                         c.row.name ? std::optional<std::string>(*c.row.name) : std::nullopt,
                         c.row.region, c.row.price}});
    };
    upsertkit::materializer<items, decltype(handler), typename TypeParam::store> m(handler);
    this->stores.attach(m);
    std::map<key_t, row_t> model;
    std::vector<event> expected;
    std::vector<std::string> names = {"x", "y", "", "a much longer name that forces a move"};
    for (int step = 0; step < 400; ++step) {
      if (points() % 16 == 0) this->stores.durability_point(m);
      const std::string id = "k" + std::to_string(random() % 6);
      const auto region = static_cast<std::int32_t>(random() % 2);
      const key_t key{region, id};
      if (random() % 5 == 0) {
        auto it = model.find(key);
        if (it != model.end()) {
          expected.push_back({upsertkit::row_kind::delete_, it->second});
          model.erase(it);
        }
        m.remove(0, Item{id, std::nullopt, region, std::nullopt});
        continue;
      }
      std::optional<std::string> name;
      if (random() % 4 != 0) name = names[random() % names.size()];
      std::optional<double> price;
      if (random() % 3 != 0) price = static_cast<double>(random() % 3) / 2;
      row_t row{id, name, region, price};
      auto it = model.find(key);
      if (it == model.end()) {
        expected.push_back({upsertkit::row_kind::insert, row});
        model.emplace(key, row);
      } else if (it->second != row) {
        expected.push_back({upsertkit::row_kind::update_before, it->second});
        expected.push_back({upsertkit::row_kind::update_after, row});
        it->second = row;
      }
      Item input{id, name ? std::optional<std::string_view>(*name) : std::nullopt, region, price};
      m.upsert(0, input);
    }
    ASSERT_EQ(emitted.size(), expected.size()) << "round " << round;
    for (std::size_t i = 0; i < expected.size(); ++i) {
      ASSERT_EQ(emitted[i].kind, expected[i].kind) << "round " << round << " change " << i;
      ASSERT_EQ(emitted[i].row, expected[i].row) << "round " << round << " change " << i;
    }
    // Replaying the changelog onto an empty table gives the materializer's state.
    std::map<key_t, row_t> replayed;
    for (const auto& e : emitted) {
      key_t key{std::get<2>(e.row), std::get<0>(e.row)};
      if (e.kind == upsertkit::row_kind::insert || e.kind == upsertkit::row_kind::update_after)
        replayed[key] = e.row;
      else if (e.kind == upsertkit::row_kind::delete_)
        replayed.erase(key);
    }
    std::map<key_t, row_t> stored;
    m.for_each_row([&](std::int32_t, const Item& r) {
      stored[key_t{r.region, std::string(r.id)}] =
          row_t{std::string(r.id), r.name ? std::optional<std::string>(*r.name) : std::nullopt,
                r.region, r.price};
    });
    EXPECT_EQ(replayed, model);
    EXPECT_EQ(stored, model);
    EXPECT_EQ(m.state_keys(), model.size());
  }
}

// apply() on batches must give exactly the changes, stats and state of the same records applied
// one by one: batches of every size, keys repeated inside a batch, several partitions, rows that
// grow (their state block moves, or leaves the store's chunks) and tombstones of keys inserted
// earlier in the same batch.
TYPED_TEST(MaterializerBatch, SameChangesAsOneByOne) {
  std::mt19937_64 random(20261129);
  std::mt19937_64 points(13);  // where durability points are reached: the records stay the same
  const std::vector<std::string> names = {"x", "y", "", std::string(300, 'n'),
                                          std::string(3000, 'g')};
  for (std::size_t batch : {1u, 2u, 7u, 32u, 33u, 100u, 1000u}) {
    std::vector<std::string> ids;
    std::vector<Item> rows;
    std::vector<char> tombstone;
    std::vector<std::int32_t> partitions;
    for (int i = 0; i < 3000; ++i) {
      ids.push_back("k" + std::to_string(random() % 40));
      tombstone.push_back(random() % 6 == 0);
      partitions.push_back(static_cast<std::int32_t>(random() % 3));
    }
    for (std::size_t i = 0; i < ids.size(); ++i) {
      std::optional<std::string_view> name;
      if (random() % 4 != 0) name = names[random() % names.size()];
      std::optional<double> price;
      if (random() % 3 != 0) price = static_cast<double>(random() % 3);
      rows.push_back(Item{ids[i], name, static_cast<std::int32_t>(random() % 2), price});
    }
    std::vector<std::string> one_by_one, batched;
    upsertkit::materializer<items, recorder, typename TypeParam::store> single{
        recorder{&one_by_one}};
    upsertkit::materializer<items, recorder, typename TypeParam::store> grouped{recorder{&batched}};
    this->stores.attach(single);
    this->stores.attach(grouped);
    for (std::size_t i = 0; i < rows.size(); ++i) {
      if (points() % 64 == 0) this->stores.durability_point(single);
      if (tombstone[i])
        single.remove(partitions[i], rows[i]);
      else
        single.upsert(partitions[i], rows[i]);
    }
    std::vector<upsertkit::upsert_op<Item>> ops;
    for (std::size_t i = 0; i < rows.size(); ++i)
      ops.push_back({partitions[i], &rows[i], tombstone[i] != 0, nullptr});
    for (std::size_t at = 0; at < ops.size(); at += batch) {
      if (points() % 4 == 0) this->stores.durability_point(grouped);
      ASSERT_TRUE(grouped.apply(std::span(ops).subspan(at, std::min(batch, ops.size() - at))).ok());
    }
    ASSERT_EQ(batched, one_by_one) << "batch " << batch;
    EXPECT_GT(one_by_one.size(), 1000u);
    EXPECT_EQ(grouped.state_keys(), single.state_keys());
    EXPECT_EQ(grouped.stats().upserts, single.stats().upserts);
    EXPECT_EQ(grouped.stats().tombstones, single.stats().tombstones);
    EXPECT_EQ(grouped.stats().unchanged, single.stats().unchanged);
    EXPECT_EQ(grouped.stats().unknown_tombstones, single.stats().unknown_tombstones);
  }
}

// The handler throws on its second call, in the middle of a batch: the records before are
// applied, the one it threw on and the rest are not, and applying those again emits them whole.
struct throws_on_second_call {
  std::vector<std::string>* lines;
  int* calls;
  void operator()(const upsertkit::change<Item>& c) {
    if (++*calls == 2) throw std::runtime_error("downstream unavailable");
    recorder{lines}(c);
  }
};

TYPED_TEST(MaterializerBatch, AHandlerFailureAppliesTheRecordsBeforeIt) {
  std::vector<std::string> out;
  int calls = 0;
  upsertkit::materializer<items, throws_on_second_call, typename TypeParam::store> m(
      throws_on_second_call{&out, &calls});
  this->stores.attach(m);
  const Item a = item("a", 1, "apple", 1.0), b = item("b", 1, "banana", 2.0),
             a2 = item("a", 1, "apple", 9.0), c = item("c", 1, "cherry", 3.0);
  m.upsert(0, a);  // call 1
  this->stores.durability_point(m);
  const upsertkit::upsert_op<Item> ops[] = {
      {0, &b, false, nullptr}, {0, &a2, false, nullptr}, {0, &c, false, nullptr}};
  // +I b is call 2 and throws; nothing of the batch is applied.
  const upsertkit::batch_result failed = m.apply(ops);
  EXPECT_EQ(failed.done, 0u);
  EXPECT_THROW(failed.rethrow_if_failed(), std::runtime_error);
  EXPECT_EQ(m.state_keys(), 1u);
  this->stores.durability_point(m);
  EXPECT_EQ(m.state_keys(), 1u);
  calls = 2;
  EXPECT_TRUE(m.apply(ops).ok());
  EXPECT_EQ(m.state_keys(), 3u);
  EXPECT_EQ(out, (std::vector<std::string>{"+I[a, apple, 1, 1.0] p0", "+I[b, banana, 1, 2.0] p0",
                                           "-U[a, apple, 1, 1.0] p0", "+U[a, apple, 1, 9.0] p0",
                                           "+I[c, cherry, 1, 3.0] p0"}));
  // A failure on the second record of a batch: the first stays applied.
  const Item d = item("d", 1, "date", 4.0), e = item("e", 1, "elder", 5.0);
  const upsertkit::upsert_op<Item> more[] = {{0, &d, false, nullptr}, {0, &e, false, nullptr}};
  calls = 0;
  const upsertkit::batch_result second = m.apply(more);
  EXPECT_EQ(second.done, 1u);
  EXPECT_THROW(second.rethrow_if_failed(), std::runtime_error);
  EXPECT_EQ(m.state_keys(), 4u);  // d applied, e not
  EXPECT_EQ(out.back(), "+I[d, date, 1, 4.0] p0");
  EXPECT_TRUE(m.apply(std::span(more).subspan(1)).ok());
  EXPECT_EQ(out.back(), "+I[e, elder, 1, 5.0] p0");
  EXPECT_EQ(m.state_keys(), 5u);
}

}  // namespace
}  // namespace materializer_test
