// The upsert source as a consumer-group member (commits after the handler, restart without
// re-emitting, rebalance), bounded scans and metadata, on the embedded cluster.
#include <gtest/gtest.h>
#include <upsertkit/print.hpp>
#include <upsertkit/source.hpp>
#include <upsertkit/testing/embedded_cluster.hpp>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "orders/orders_table.hpp"
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

using source_type = upsertkit::upsert_source<orders::table, printed>;

upsertkit::source_options options_for(const embedded_cluster& cluster, std::string topic,
                                      std::string group = {}) {
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
  return options;
}

TEST(EmbeddedGroup, RestartInTheSameGroupRebuildsWithoutReemittingThenGoesOn) {
  embedded_cluster cluster;
  cluster.create_topic("orders", 2);
  producer p = make_producer(cluster);
  p.produce("orders", 0, "1", order("1", "Ann"));
  p.produce("orders", 1, "2", order("2", "Ben"));
  p.produce("orders", 0, "1", order("1", "Ann B."));
  p.flush(10s);

  std::vector<std::string> first;
  {
    source_type source(options_for(cluster, "orders", "g1"), printed{&first});
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
  source_type source(options_for(cluster, "orders", "g1"), printed{&second});
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
  EXPECT_EQ(c.records, 6u);
  EXPECT_EQ(c.replayed, 4u);  // the first run's four changes, rebuilt silently
  EXPECT_EQ(c.inserts, 1u);
  EXPECT_EQ(c.update_befores, 1u);
  EXPECT_EQ(c.update_afters, 1u);
  EXPECT_EQ(c.deletes, 1u);
  EXPECT_EQ(c.state_keys, 2u);
  EXPECT_GT(c.state_bytes, 0u);
  EXPECT_EQ(c.bytes, 6u + order("1", "Ann").size() + order("2", "Ben").size() +
                         order("1", "Ann B.").size() + order("1", "Ann C.").size() +
                         order("3", "Cy").size());
}

TEST(EmbeddedGroup, ARecordWhoseHandlerThrewIsNotCommittedAndIsReadAgain) {
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
    upsertkit::upsert_source<orders::table, failing> source(options_for(cluster, "orders", "g2"),
                                                            failing{&first});
    EXPECT_THROW(source.read_to_end(30s), std::runtime_error);
    EXPECT_THROW(source.poll(1ms), upsertkit::error);  // stopped
  }  // destroyed without a successful close: commits only what was handled
  EXPECT_EQ(first, (std::vector<std::string>{"0", "1", "2"}));

  std::vector<std::string> second;
  source_type source(options_for(cluster, "orders", "g2"), printed{&second});
  source.read_to_end(30s);
  // Record 3 was never committed: it comes again, and so does everything after it.
  EXPECT_EQ(second,
            (std::vector<std::string>{"+I[3, null, null, null, null, null, null, n, null]",
                                      "+I[4, null, null, null, null, null, null, n, null]"}));
  EXPECT_EQ(source.counters().replayed, 3u);
}

TEST(EmbeddedGroup, TwoMembersShareThePartitionsAndTheSurvivorTakesOver) {
  embedded_cluster cluster;
  cluster.create_topic("orders", 4);
  producer p = make_producer(cluster);

  std::vector<std::string> a_changes, b_changes;
  auto a = std::make_unique<source_type>(options_for(cluster, "orders", "g3"), printed{&a_changes});
  source_type b(options_for(cluster, "orders", "g3"), printed{&b_changes});
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

  // `a` leaves (committing); `b` takes over every partition and rebuilds a's share silently.
  // (The embedded cluster notices a member that left only when its session ends.)
  a->close();
  a.reset();
  while (assigned(b) < 4 && std::chrono::steady_clock::now() < deadline)
    b.poll(10ms);
  ASSERT_EQ(assigned(b), 4);
  b.read_to_end(30s);
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

TEST(EmbeddedBounded, SpecificOffsetsStopExactlyThere) {
  // The reference's bounded test: partition:0,offset:2 reads the first two records only.
  embedded_cluster cluster;
  cluster.create_topic("orders", 1);
  producer p = make_producer(cluster);
  p.produce("orders", 0, "1", order("1", "payload 1"));
  p.produce("orders", 0, "1", order("1", "payload 1-new"));
  p.produce("orders", 0, "2", order("2", "payload 2"));
  p.flush(10s);
  std::vector<std::string> changes;
  auto options = options_for(cluster, "orders");
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

TEST(EmbeddedBounded, ZeroLengthAndLatestOffsetBounds) {
  embedded_cluster cluster;
  cluster.create_topic("orders", 2);
  producer p = make_producer(cluster);
  p.produce("orders", 0, "1", order("1", "a"));
  p.produce("orders", 1, "2", order("2", "b"));
  p.flush(10s);
  {
    std::vector<std::string> changes;
    auto options = options_for(cluster, "orders");
    options.bounded.mode = upsertkit::bounded_mode::specific_offsets;
    options.bounded.offsets[0] = 0;  // partition 1 has no offset: it ends at once too
    source_type source(options, printed{&changes});
    EXPECT_TRUE(source.finished());
    EXPECT_EQ(source.run_to_bound(10s), 0u);
    EXPECT_TRUE(changes.empty());
  }
  std::vector<std::string> changes;
  auto options = options_for(cluster, "orders");
  options.bounded.mode = upsertkit::bounded_mode::latest_offset;
  source_type source(options, printed{&changes});
  p.produce("orders", 0, "3", order("3", "after the start"));
  p.flush(10s);
  EXPECT_EQ(source.run_to_bound(30s), 2u);
  EXPECT_EQ(changes.size(), 2u);
}

TEST(EmbeddedMetadata, HeadersTimestampAndProgressReachTheHandler) {
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
  upsertkit::upsert_source<orders::table, seen> source(options_for(cluster, "orders"), seen{});
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
