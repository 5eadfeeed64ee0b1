// The upsert source as a consumer-group member (commits after the handler, restart without
// re-emitting, rebalance), bounded scans and metadata, on the embedded cluster.
//
// Every test is a typed test over the state stores (store_fixtures.hpp): Suite.Test<memory> and,
// configured with UPSERTKIT_ROCKSDB=ON, Suite.Test<rocksdb> (GoogleTest's Suite/0.Test and
// Suite/1.Test), whose sources keep their state under a directory of the test's own
// (source_options::state_dir; a restarted source is given the same one, as a restarted process
// finds its disk). Both must give the same changelog. What
// differs is what a restart reads: the memory store rebuilds a partition from its first offset
// (silently up to the group's commit), the RocksDB store resumes from the checkpoint it wrote
// at the last durability point; where a test counts the records read or rebuilt, it states
// what each store must do.
#include <gtest/gtest.h>
#include <upsertkit/print.hpp>
#include <upsertkit/source.hpp>
#include <upsertkit/testing/embedded_cluster.hpp>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "orders/orders_table.hpp"
#include "store_fixtures.hpp"
#include "test_support.hpp"

namespace kafka_group_test {
namespace {

using test_support::make_producer;
using test_support::order;

using upsertkit::kafka::config;
using upsertkit::kafka::embedded_cluster;
using upsertkit::kafka::producer;
using namespace std::chrono_literals;

using test_support::printed;

// A test on one store (store_fixtures.hpp).
template <class Stores>
class StoreTest : public ::testing::Test {
 protected:
  using source_type = upsertkit::upsert_source<orders::table, printed, typename Stores::store>;

  // A source of `topic`, in `group` if one is given; a durable store keeps its state in the
  // test's directory `state` (the same for a restarted source).
  upsertkit::source_options options_for(const embedded_cluster& cluster, std::string topic,
                                        std::string group = {},
                                        std::string_view state = "state") const {
    upsertkit::source_options options;
    options.topic = std::move(topic);
    options.bootstrap_servers = cluster.bootstrap_servers();
    if (!group.empty()) {
      options.properties["group.id"] = group;
      // The embedded cluster does not end a member's session when it leaves: a short session
      // lets the next member join without waiting 45 s.
      options.properties["session.timeout.ms"] = "6000";
      options.properties["heartbeat.interval.ms"] = "500";
    }
    if (getenv("UK_DEBUG")) options.properties["debug"] = getenv("UK_DEBUG");
    stores.use_state(options, state);
    return options;
  }

  Stores stores;
};

template <class Stores>
class EmbeddedGroup : public StoreTest<Stores> {};
TYPED_TEST_SUITE(EmbeddedGroup, store_fixtures::all);

template <class Stores>
class EmbeddedBounded : public StoreTest<Stores> {};
TYPED_TEST_SUITE(EmbeddedBounded, store_fixtures::all);

template <class Stores>
class EmbeddedMetadata : public StoreTest<Stores> {};
TYPED_TEST_SUITE(EmbeddedMetadata, store_fixtures::all);

TYPED_TEST(EmbeddedGroup, RestartInTheSameGroupRebuildsWithoutReemittingThenGoesOn) {
  using source_type = typename TestFixture::source_type;
  embedded_cluster cluster;
  cluster.create_topic("orders", 2);
  producer p = make_producer(cluster);
  p.produce("orders", 0, "1", order("1", "Ann"));
  p.produce("orders", 1, "2", order("2", "Ben"));
  p.produce("orders", 0, "1", order("1", "Ann B."));
  p.flush(10s);

  std::vector<std::string> first;
  {
    source_type source(this->options_for(cluster, "orders", "g1"), printed{&first});
    EXPECT_TRUE(source.group_mode());
    source.read_to_end(30s);
    source.close();  // commits
  }
  ASSERT_EQ(first.size(), 4u);

  p.produce("orders", 0, "1", order("1", "Ann C."));
  p.produce("orders", 1, "2", std::nullopt);
  p.produce("orders", 1, "3", order("3", "Cy"));
  p.flush(10s);

  std::vector<std::string> second;
  source_type source(this->options_for(cluster, "orders", "g1"), printed{&second});
  source.read_to_end(30s);
  std::sort(second.begin(), second.end());
  // The rebuilt state knows the rows the first run emitted: -U and -D carry them in full.
  const std::vector<std::string> expected = {
      "+I[3, null, null, null, null, null, null, Cy, null]",
      "+U[1, null, null, null, null, null, null, Ann C., null]",
      "-D[2, null, null, null, null, null, null, Ben, null]",
      "-U[1, null, null, null, null, null, null, Ann B., null]",
  };
  EXPECT_EQ(second, expected);
  const upsertkit::source_counters c = source.counters();
  // Key and value bytes of the first run's three records, and of the three after it.
  const std::uint64_t first_bytes =
      3u + order("1", "Ann").size() + order("2", "Ben").size() + order("1", "Ann B.").size();
  const std::uint64_t new_bytes = 3u + order("1", "Ann C.").size() + order("3", "Cy").size();
  if constexpr (TypeParam::durable) {
    // Resumed from the checkpoint the first run wrote at its close: only the three new
    // records are read, nothing is rebuilt.
    EXPECT_EQ(c.records, 3u);
    EXPECT_EQ(c.replayed, 0u);
    EXPECT_EQ(c.bytes, new_bytes);
  } else {
    EXPECT_EQ(c.records, 6u);
    EXPECT_EQ(c.replayed, 4u);  // the first run's four changes, rebuilt silently
    EXPECT_EQ(c.bytes, first_bytes + new_bytes);
  }
  EXPECT_EQ(c.inserts, 1u);
  EXPECT_EQ(c.update_befores, 1u);
  EXPECT_EQ(c.update_afters, 1u);
  EXPECT_EQ(c.deletes, 1u);
  EXPECT_EQ(c.state_keys, 2u);
  EXPECT_GT(c.state_bytes, 0u);
}

TYPED_TEST(EmbeddedGroup, ARecordWhoseHandlerThrewIsNotCommittedAndIsReadAgain) {
  using source_type = typename TestFixture::source_type;
  embedded_cluster cluster;
  cluster.create_topic("orders", 1);
  producer p = make_producer(cluster);
  for (int i = 0; i < 5; ++i)
    p.produce("orders", 0, std::to_string(i), order(std::to_string(i), "n"));
  p.flush(10s);

  struct failing {
    std::vector<std::string>* out;
    void operator()(const upsertkit::change<orders::Order>& c) {
      if (c.row.order_id == "3") throw std::runtime_error("downstream unavailable");
      out->push_back(std::string(c.row.order_id));
    }
  };
  std::vector<std::string> first;
  {
    upsertkit::upsert_source<orders::table, failing, typename TypeParam::store> source(
        this->options_for(cluster, "orders", "g2"), failing{&first});
    EXPECT_THROW(source.read_to_end(30s), std::runtime_error);
    EXPECT_THROW(source.poll(1ms), upsertkit::error);  // stopped
  }  // destroyed without a successful close: commits only what was handled
  EXPECT_EQ(first, (std::vector<std::string>{"0", "1", "2"}));

  std::vector<std::string> second;
  source_type source(this->options_for(cluster, "orders", "g2"), printed{&second});
  source.read_to_end(30s);
  // Record 3 was never committed: it comes again, and so does everything after it.
  EXPECT_EQ(second,
            (std::vector<std::string>{"+I[3, null, null, null, null, null, null, n, null]",
                                      "+I[4, null, null, null, null, null, null, n, null]"}));
  if constexpr (TypeParam::durable) {
    // The first source's close wrote the state of records 0-2 (the ones handled) with
    // checkpoint 3: the restart reads records 3 and 4 only.
    EXPECT_EQ(source.counters().records, 2u);
    EXPECT_EQ(source.counters().replayed, 0u);
  } else {
    EXPECT_EQ(source.counters().records, 5u);
    EXPECT_EQ(source.counters().replayed, 3u);
  }
  EXPECT_EQ(source.counters().state_keys, 5u);
}

TYPED_TEST(EmbeddedGroup, TwoMembersShareThePartitionsAndTheSurvivorTakesOver) {
  using source_type = typename TestFixture::source_type;
  embedded_cluster cluster;
  cluster.create_topic("orders", 4);
  producer p = make_producer(cluster);

  // Two members as two processes: a state directory each.
  std::vector<std::string> a_changes, b_changes;
  auto a = std::make_unique<source_type>(this->options_for(cluster, "orders", "g3", "member-a"),
                                         printed{&a_changes});
  source_type b(this->options_for(cluster, "orders", "g3", "member-b"), printed{&b_changes});
  auto assigned = [](const source_type& s) {
    int n = 0;
    for (const auto& partition : s.progress())
      n += partition.assigned ? 1 : 0;
    return n;
  };
  // Both poll until the group gave each of them a share.
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  while (!(assigned(*a) > 0 && assigned(b) > 0 && assigned(*a) + assigned(b) == 4) &&
         std::chrono::steady_clock::now() < deadline) {
    a->poll(10ms);
    b.poll(10ms);
  }
  ASSERT_EQ(assigned(*a) + assigned(b), 4);
  ASSERT_GT(assigned(*a), 0);
  ASSERT_GT(assigned(b), 0);

  for (int i = 0; i < 40; ++i)
    p.produce("orders", i % 4, std::to_string(i), order(std::to_string(i), "n"));
  p.flush(10s);
  while (a_changes.size() + b_changes.size() < 40 && std::chrono::steady_clock::now() < deadline) {
    a->poll(10ms);
    b.poll(10ms);
  }
  ASSERT_EQ(a_changes.size() + b_changes.size(), 40u);
  b.commit();
  EXPECT_EQ(b.counters().replayed, 0u);

  // `a` leaves (committing); `b` takes over every partition and rebuilds a's share silently.
  // (The embedded cluster notices a member that left only when its session ends.)
  a->close();
  a.reset();
  while (assigned(b) < 4 && std::chrono::steady_clock::now() < deadline)
    b.poll(10ms);
  ASSERT_EQ(assigned(b), 4);
  b.read_to_end(30s);
  if constexpr (TypeParam::durable) {
    // b's own partitions resume from the checkpoint of its commit; a's are not in b's state
    // directory and are rebuilt from the topic, silently up to a's commit: a's records only.
    EXPECT_EQ(b.counters().replayed, a_changes.size());
  } else {
    // The rebalance (eager: librdkafka's default assignors) revoked and gave back b's own
    // partitions too: the memory store rebuilds all four, every record silently.
    EXPECT_EQ(b.counters().replayed, 40u);
  }
  const std::size_t before = b_changes.size();
  p.produce("orders", 0, "0", order("0", "changed"));
  p.flush(10s);
  while (b_changes.size() < before + 2 && std::chrono::steady_clock::now() < deadline)
    b.poll(10ms);
  b.read_to_end(30s);
  ASSERT_EQ(b_changes.size(), before + 2);
  EXPECT_EQ(b_changes[before], "-U[0, null, null, null, null, null, null, n, null]");
  EXPECT_EQ(b_changes[before + 1], "+U[0, null, null, null, null, null, null, changed, null]");
  EXPECT_EQ(b.counters().state_keys, 40u);
}

TYPED_TEST(EmbeddedBounded, SpecificOffsetsStopExactlyThere) {
  using source_type = typename TestFixture::source_type;
  // The reference's bounded test: partition:0,offset:2 reads the first two records only.
  embedded_cluster cluster;
  cluster.create_topic("orders", 1);
  producer p = make_producer(cluster);
  p.produce("orders", 0, "1", order("1", "payload 1"));
  p.produce("orders", 0, "1", order("1", "payload 1-new"));
  p.produce("orders", 0, "2", order("2", "payload 2"));
  p.flush(10s);
  std::vector<std::string> changes;
  auto options = this->options_for(cluster, "orders");
  options.bounded.mode = upsertkit::bounded_mode::specific_offsets;
  options.bounded.offsets[0] = 2;
  source_type source(options, printed{&changes});
  EXPECT_EQ(source.run_to_bound(30s), 2u);
  EXPECT_TRUE(source.finished());
  EXPECT_EQ(changes, (std::vector<std::string>{
                         "+I[1, null, null, null, null, null, null, payload 1, null]",
                         "-U[1, null, null, null, null, null, null, payload 1, null]",
                         "+U[1, null, null, null, null, null, null, payload 1-new, null]"}));
  EXPECT_FALSE(source.poll(50ms));  // nothing past the bound
}

TYPED_TEST(EmbeddedBounded, ZeroLengthAndLatestOffsetBounds) {
  using source_type = typename TestFixture::source_type;
  embedded_cluster cluster;
  cluster.create_topic("orders", 2);
  producer p = make_producer(cluster);
  p.produce("orders", 0, "1", order("1", "a"));
  p.produce("orders", 1, "2", order("2", "b"));
  p.flush(10s);
  {
    std::vector<std::string> changes;
    auto options = this->options_for(cluster, "orders");
    options.bounded.mode = upsertkit::bounded_mode::specific_offsets;
    options.bounded.offsets[0] = 0;  // partition 1 has no offset: it ends at once too
    source_type source(options, printed{&changes});
    EXPECT_TRUE(source.finished());
    EXPECT_EQ(source.run_to_bound(10s), 0u);
    EXPECT_TRUE(changes.empty());
  }
  // The same state directory: the first source read nothing, so this one starts from the
  // first offsets with either store.
  std::vector<std::string> changes;
  auto options = this->options_for(cluster, "orders");
  options.bounded.mode = upsertkit::bounded_mode::latest_offset;
  source_type source(options, printed{&changes});
  p.produce("orders", 0, "3", order("3", "after the start"));
  p.flush(10s);
  EXPECT_EQ(source.run_to_bound(30s), 2u);
  EXPECT_EQ(changes.size(), 2u);
}

TYPED_TEST(EmbeddedMetadata, HeadersTimestampAndProgressReachTheHandler) {
  embedded_cluster cluster;
  cluster.create_topic("orders", 1);
  producer p = make_producer(cluster);
  const upsertkit::header headers[] = {{"trace", std::string_view("abc")}, {"empty", std::nullopt}};
  p.produce("orders", 0, "1", order("1", "a"), 1'234'567, headers, 2);
  p.flush(10s);

  struct seen {
    std::vector<std::pair<std::string, std::string>> headers;
    std::int64_t timestamp = 0;
    upsertkit::timestamp_type type{};
    void operator()(const upsertkit::change<orders::Order>& c) {
      timestamp = c.metadata->timestamp_ms;
      type = c.metadata->type;
      for (std::size_t i = 0; i < c.metadata->header_count; ++i) {
        const auto& h = c.metadata->headers[i];
        headers.emplace_back(std::string(h.key), h.value ? std::string(*h.value) : "<null>");
      }
    }
  };
  upsertkit::upsert_source<orders::table, seen, typename TypeParam::store> source(
      this->options_for(cluster, "orders"), seen{});
  source.read_to_end(30s);
  const seen& s = source.pipeline().state().handler();
  EXPECT_EQ(s.timestamp, 1'234'567);
  EXPECT_EQ(s.type, upsertkit::timestamp_type::create_time);
  EXPECT_EQ(s.headers, (std::vector<std::pair<std::string, std::string>>{{"trace", "abc"},
                                                                         {"empty", "<null>"}}));
  const auto progress = source.progress();
  ASSERT_EQ(progress.size(), 1u);
  EXPECT_TRUE(progress[0].assigned);
  EXPECT_EQ(progress[0].next_offset, 1);
  EXPECT_EQ(progress[0].lag, 0);
}

}  // namespace
}  // namespace kafka_group_test
