// The thin librdkafka layer and the upsert source against the embedded (in-process) cluster.
//
// The source's tests (EmbeddedSource) are typed tests over the state stores (store_fixtures.hpp):
// EmbeddedSource.*<store_fixtures::memory> and, configured with UPSERTKIT_ROCKSDB=ON,
// EmbeddedSource.*<store_fixtures::rocksdb> (GoogleTest's EmbeddedSource/0.* and /1.*), whose
// source keeps its state under a directory of the test's own (source_options::state_dir).
// The changelog must be the same with either store. Tests that read a topic with two sources
// from its start give each its own state directory: with the same one, the second would resume
// from the first one's checkpoint (kafka_group_test.cpp tests restarts).
#include <gtest/gtest.h>
#include <upsertkit/print.hpp>
#include <upsertkit/source.hpp>
#include <upsertkit/testing/embedded_cluster.hpp>

#include <algorithm>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "orders/orders_table.hpp"
#include "store_fixtures.hpp"
#include "test_support.hpp"

namespace kafka_embedded_test {
namespace {

using test_support::make_producer;

using upsertkit::kafka::config;
using upsertkit::kafka::embedded_cluster;
using upsertkit::kafka::kafka_error;
using upsertkit::kafka::producer;

struct seen_change {
  std::string row;
  std::string topic;
  std::int32_t partition;
  std::int64_t offset;
};

struct collector {
  std::vector<seen_change>* out;
  void operator()(const upsertkit::change<orders::Order>& c) {
    std::string row;
    upsertkit::append_printed_row<orders::table>(row, c.kind, c.row,
                                                 upsertkit::print_style::modern);
    ASSERT_NE(c.metadata, nullptr);
    out->push_back(
        {row, std::string(c.metadata->topic), c.metadata->partition, c.metadata->offset});
  }
};

// A source test on one store (store_fixtures.hpp).
template <class Stores>
class EmbeddedSource : public ::testing::Test {
 protected:
  // A source of `topic` without a group; a durable store keeps its state in the test's
  // directory `state`.
  upsertkit::source_options options_for(const embedded_cluster& cluster, std::string topic,
                                        std::string_view state = "state") const {
    upsertkit::source_options options;
    options.topic = std::move(topic);
    options.bootstrap_servers = cluster.bootstrap_servers();
    stores.use_state(options, state);
    return options;
  }

  Stores stores;
};
TYPED_TEST_SUITE(EmbeddedSource, store_fixtures::all);

TEST(KafkaConfig, UnknownPropertyIsAnErrorNamingIt) {
  config conf;
  try {
    conf.set("no.such.property", "secret-value");
    FAIL();
  } catch (const kafka_error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("'no.such.property'"), std::string::npos) << what;
    EXPECT_EQ(what.find("secret-value"), std::string::npos) << "values may be secrets";
  }
}

TYPED_TEST(EmbeddedSource, ReadsEveryPartitionWithMetadataAndKeepsTombstonesApartFromEmptyValues) {
  embedded_cluster cluster;
  cluster.create_topic("orders", 3);
  producer p = make_producer(cluster);
  p.produce("orders", 2, "a", R"({"order_id":"a","user_name":"Ann"})");
  p.produce("orders", 0, "b", R"({"order_id":"b","user_name":"Ben"})");
  p.produce("orders", 2, "a", std::string_view());              // empty (null data()): not a delete
  p.produce("orders", 2, "a", std::nullopt);                    // tombstone: delete
  p.produce("orders", 1, std::nullopt, R"({"order_id":"c"})");  // null key: dropped
  p.flush(std::chrono::seconds(10));

  std::vector<seen_change> changes;
  upsertkit::upsert_source<orders::table, collector, typename TypeParam::store> source(
      this->options_for(cluster, "orders"), collector{&changes});
  EXPECT_EQ(source.partition_count(), 3);
  EXPECT_EQ(source.read_to_end(std::chrono::seconds(20)), 5u);
  ASSERT_EQ(changes.size(), 3u);
  // Partitions are read concurrently: order across partitions is not defined.
  std::sort(changes.begin(), changes.end(), [](const auto& x, const auto& y) {
    return std::tie(x.partition, x.offset) < std::tie(y.partition, y.offset);
  });
  EXPECT_EQ(changes[0].row, "+I[b, null, null, null, null, null, null, Ben, null]");
  EXPECT_EQ(changes[0].partition, 0);
  EXPECT_EQ(changes[0].offset, 0);
  EXPECT_EQ(changes[1].row, "+I[a, null, null, null, null, null, null, Ann, null]");
  EXPECT_EQ(changes[1].topic, "orders");
  EXPECT_EQ(changes[1].partition, 2);
  EXPECT_EQ(changes[1].offset, 0);
  EXPECT_EQ(changes[2].row, "-D[a, null, null, null, null, null, null, Ann, null]");
  EXPECT_EQ(changes[2].offset, 2);
  EXPECT_EQ(source.stats().dropped_empty_value, 1u);
  EXPECT_EQ(source.stats().dropped_null_key, 1u);
}

TYPED_TEST(EmbeddedSource, BadRecordNamesTopicPartitionOffsetAndField) {
  embedded_cluster cluster;
  cluster.create_topic("bad", 1);
  producer p = make_producer(cluster);
  p.produce("bad", 0, "1", R"({"order_id":"1"})");
  p.produce("bad", 0, "2", R"({"order_id":"2","real_pay":true})");
  p.flush(std::chrono::seconds(10));
  std::vector<seen_change> changes;
  upsertkit::upsert_source<orders::table, collector, typename TypeParam::store> source(
      this->options_for(cluster, "bad"), collector{&changes});
  try {
    source.read_to_end(std::chrono::seconds(20));
    FAIL() << "expected a record_error";
  } catch (const upsertkit::record_error& e) {
    EXPECT_EQ(e.topic(), "bad");
    EXPECT_EQ(e.partition(), 0);
    EXPECT_EQ(e.offset(), 1);
    EXPECT_EQ(e.field(), "real_pay");
  }
  EXPECT_EQ(changes.size(), 1u);
  // The source stops at the bad record: going on would let a later commit skip it.
  try {
    source.poll(std::chrono::milliseconds(10));
    FAIL() << "a stopped source must not read on";
  } catch (const upsertkit::error& e) {
    EXPECT_NE(std::string(e.what()).find("stopped"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("real_pay"), std::string::npos) << e.what();
  }
  EXPECT_EQ(changes.size(), 1u);
  // Without a state TTL processing time is never needed, so the clock is not read.
  EXPECT_EQ(source.pipeline().state().time(), 0);
}

// The source stamps processing time for the state TTL, and state older than the TTL is
// forgotten: the key's next upsert is an insert again (Flink's ChangelogNormalize with
// table.exec.state.ttl), while within the TTL it is an update.
TYPED_TEST(EmbeddedSource, StateOlderThanTheTtlIsForgotten) {
  embedded_cluster cluster;
  cluster.create_topic("ttl", 1);
  producer p = make_producer(cluster);
  std::vector<seen_change> changes;
  auto options = this->options_for(cluster, "ttl");
  options.state.state_ttl = std::chrono::milliseconds(3000);
  upsertkit::upsert_source<orders::table, collector, typename TypeParam::store> source(
      options, collector{&changes});
  const auto before = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  auto write_and_read = [&](const char* name) {
    p.produce("ttl", 0, "a", std::string(R"({"order_id":"a","user_name":")") + name + "\"}");
    p.flush(std::chrono::seconds(10));
    EXPECT_EQ(source.read_to_end(std::chrono::seconds(20)), 1u);
    source.commit();  // the durability point: a durable store writes the rows and their times
  };
  write_and_read("Ann");
  EXPECT_GE(source.pipeline().state().time(), before);
  write_and_read("Ann B.");  // within the TTL: an update
  std::this_thread::sleep_for(std::chrono::milliseconds(3500));
  write_and_read("Ann C.");  // past it: the key was forgotten
  std::vector<std::string> rows;
  for (const seen_change& c : changes)
    rows.push_back(c.row);
  EXPECT_EQ(rows, (std::vector<std::string>{
                      "+I[a, null, null, null, null, null, null, Ann, null]",
                      "-U[a, null, null, null, null, null, null, Ann, null]",
                      "+U[a, null, null, null, null, null, null, Ann B., null]",
                      "+I[a, null, null, null, null, null, null, Ann C., null]",
                  }));
  EXPECT_EQ(source.pipeline().state().stats().expired, 1u);
}

// poll_batch hands over many records at once; what comes out must be what poll() gives record
// by record: the same changes per partition, in offset order, each with its own record's
// metadata and headers.
TYPED_TEST(EmbeddedSource, PollBatchGivesWhatPollGives) {
  embedded_cluster cluster;
  cluster.create_topic("batch", 3);
  producer p = make_producer(cluster);
  std::mt19937_64 random(11);
  for (int i = 0; i < 3000; ++i) {
    const std::string key = std::to_string(random() % 200);
    const std::string n = std::to_string(i);
    const upsertkit::header h{"seq", n};
    const auto partition = static_cast<std::int32_t>(random() % 3);
    if (random() % 8 == 0)
      p.produce("batch", partition, key, std::nullopt, 0, &h, 1);
    else
      p.produce(
          "batch", partition, key,
          R"({"order_id":")" + key + R"(","user_name":"u)" + std::to_string(random() % 4) + R"("})",
          0, &h, 1);
  }
  p.flush(std::chrono::seconds(10));

  struct seen {
    std::string row;
    std::int32_t partition;
    std::int64_t offset;
    std::string header;
    bool operator==(const seen&) const = default;
  };
  struct recorder {
    std::vector<seen>* out;
    void operator()(const upsertkit::change<orders::Order>& c) {
      std::string row;
      upsertkit::append_printed_row<orders::table>(row, c.kind, c.row,
                                                   upsertkit::print_style::modern);
      ASSERT_NE(c.metadata, nullptr);
      ASSERT_EQ(c.metadata->header_count, 1u);
      out->push_back({row, c.metadata->partition, c.metadata->offset,
                      std::string(c.metadata->headers[0].value.value_or("?"))});
    }
  };
  auto by_partition = [](std::vector<seen> v) {
    std::stable_sort(v.begin(), v.end(),
                     [](const seen& a, const seen& b) { return a.partition < b.partition; });
    return v;
  };

  std::vector<seen> one_by_one, batched;
  // Two sources reading the topic from its start: a state directory each.
  auto options = this->options_for(cluster, "batch", "one-by-one");
  options.bounded.mode = upsertkit::bounded_mode::latest_offset;
  using store = typename TypeParam::store;
  {
    upsertkit::upsert_source<orders::table, recorder, store> source(options, recorder{&one_by_one});
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (!source.finished() && std::chrono::steady_clock::now() < deadline)
      source.poll(std::chrono::milliseconds(100));
    ASSERT_TRUE(source.finished());
  }
  std::size_t largest = 0;
  this->stores.use_state(options, "batched");
  {
    upsertkit::upsert_source<orders::table, recorder, store> source(options, recorder{&batched});
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (!source.finished() && std::chrono::steady_clock::now() < deadline)
      largest = std::max(largest, source.poll_batch(std::chrono::milliseconds(100), 100));
    ASSERT_TRUE(source.finished());
    EXPECT_EQ(source.counters().records, 3000u);
  }
  EXPECT_GT(largest, 1u);  // batches did form
  EXPECT_LE(largest, 100u);
  EXPECT_GT(one_by_one.size(), 2000u);
  EXPECT_EQ(by_partition(batched), by_partition(one_by_one));
  // The header of each change is the one its own record carried.
  std::set<std::string> headers;
  for (const seen& s : batched)
    headers.insert(s.header);
  EXPECT_GT(headers.size(), 1500u);
}

TYPED_TEST(EmbeddedSource, HeadersAreNotParsedWhenNotWanted) {
  embedded_cluster cluster;
  cluster.create_topic("quiet", 1);
  producer p = make_producer(cluster);
  const upsertkit::header h{"trace", "abc"};
  p.produce("quiet", 0, "a", R"({"order_id":"a"})", 0, &h, 1);
  p.flush(std::chrono::seconds(10));
  for (const bool wanted : {true, false}) {
    std::vector<std::size_t> counts;
    auto handler = [&](const upsertkit::change<orders::Order>& c) {
      counts.push_back(c.metadata->header_count);
    };
    // Each source reads the topic from its start: a state directory each.
    auto options = this->options_for(cluster, "quiet", wanted ? "with-headers" : "without-headers");
    options.read_headers = wanted;
    upsertkit::upsert_source<orders::table, decltype(handler), typename TypeParam::store> source(
        options, handler);
    source.read_to_end(std::chrono::seconds(20));
    EXPECT_EQ(counts, std::vector<std::size_t>{wanted ? 1u : 0u});
  }
}

}  // namespace
}  // namespace kafka_embedded_test
