// Integration tests against a real Apache Kafka broker (KRaft, started by
// scripts/broker-tests.sh). They fail, never skip, when the broker is not there.
#include <gtest/gtest.h>
#include <upsertkit/options.hpp>
#include <upsertkit/print.hpp>
#include <upsertkit/sink.hpp>
#include <upsertkit/source.hpp>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "orders/orders_table.hpp"
#include "orders/seed_example.hpp"

namespace broker_test {
namespace {

std::string env(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') {
    ADD_FAILURE() << name << " is not set: run these tests through scripts/broker-tests.sh";
    return "127.0.0.1:1";
  }
  return value;
}

std::string bootstrap() {
  return env("UPSERTKIT_KAFKA_BOOTSTRAP");
}

// Creates a topic with the Admin API and waits for the result.
void create_topic(const std::string& name, int partitions,
                  const std::map<std::string, std::string>& configs = {}) {
  upsertkit::kafka::config conf;
  conf.set("bootstrap.servers", bootstrap());
  upsertkit::kafka::producer admin(std::move(conf));
  char reason[512];
  rd_kafka_NewTopic_t* topic =
      rd_kafka_NewTopic_new(name.c_str(), partitions, 1, reason, sizeof reason);
  ASSERT_NE(topic, nullptr) << reason;
  for (const auto& [key, value] : configs)
    rd_kafka_NewTopic_set_config(topic, key.c_str(), value.c_str());
  rd_kafka_queue_t* queue = rd_kafka_queue_new(admin.get());
  rd_kafka_CreateTopics(admin.get(), &topic, 1, nullptr, queue);
  rd_kafka_event_t* event = rd_kafka_queue_poll(queue, 30000);
  ASSERT_NE(event, nullptr) << "CreateTopics timed out";
  const rd_kafka_CreateTopics_result_t* result = rd_kafka_event_CreateTopics_result(event);
  size_t count = 0;
  const rd_kafka_topic_result_t** results = rd_kafka_CreateTopics_result_topics(result, &count);
  ASSERT_EQ(count, 1u);
  EXPECT_EQ(rd_kafka_topic_result_error(results[0]), RD_KAFKA_RESP_ERR_NO_ERROR)
      << rd_kafka_topic_result_error_string(results[0]);
  rd_kafka_event_destroy(event);
  rd_kafka_queue_destroy(queue);
  rd_kafka_NewTopic_destroy(topic);
}

upsertkit::kafka::producer raw_producer() {
  upsertkit::kafka::config conf;
  conf.set("bootstrap.servers", bootstrap());
  return upsertkit::kafka::producer(std::move(conf));
}

std::vector<std::string> read_changelog(upsertkit::source_options options) {
  std::vector<std::string> rows;
  auto handler = [&](const upsertkit::change<orders::Order>& c) {
    std::string row;
    upsertkit::append_printed_row<orders::table>(row, c.kind, c.row,
                                                 upsertkit::print_style::legacy);
    rows.push_back(row);
  };
  upsertkit::upsert_source<orders::table, decltype(handler)&> source(std::move(options), handler);
  source.read_to_end(std::chrono::seconds(60));
  return rows;
}

const auto& seed_records = orders::seed::records;
const std::vector<std::string> seed_rows(orders::seed::changelog.begin(),
                                         orders::seed::changelog.end());

// The seed's Example 1, from its WITH clause, on a real broker.
TEST(RealBroker, SeedExampleOne) {
  create_topic("seed-example-1", 1);
  auto producer = raw_producer();
  for (const auto& [key, value] : seed_records)
    producer.produce("seed-example-1", 0, key, value);
  producer.flush(std::chrono::seconds(30));
  const auto options =
      upsertkit::parse_upsert_kafka_options({{"connector", "upsert-kafka"},
                                             {"topic", "seed-example-1"},
                                             {"properties.bootstrap.servers", bootstrap()},
                                             {"key.format", "csv"},
                                             {"value.format", "json"}});
  EXPECT_EQ(read_changelog(options.to_source_options()), seed_rows);
}

// The seed's Example 2: a plain JSON topic written into an upsert topic by the sink, read back.
TEST(RealBroker, SeedExampleTwoThroughTheSink) {
  create_topic("example-2-upsert", 3);
  {
    upsertkit::sink_options options;
    options.topic = "example-2-upsert";
    options.bootstrap_servers = bootstrap();
    upsertkit::upsert_sink<orders::table> sink(options);
    // The append-only source gives +I rows; decode the seed's values as such.
    upsertkit::table_projections<orders::table> projections;
    upsertkit::json::codec<orders::table> value(projections.value);
    for (const auto& [key, json] : seed_records) {
      orders::Order row{};
      ASSERT_TRUE(value.decode(json, row).ok());
      sink.write(upsertkit::row_kind::insert, row);
    }
    sink.flush(std::chrono::seconds(30));
  }
  upsertkit::source_options options;
  options.topic = "example-2-upsert";
  options.bootstrap_servers = bootstrap();
  // The two keys may sit in different partitions, read in no defined order; per key the order
  // is the partition's. Compare as sorted lists (the -U/+U pair of one key stays in order).
  auto rows = read_changelog(options);
  auto expected = seed_rows;
  std::stable_sort(rows.begin(), rows.end(),
                   [](const auto& a, const auto& b) { return a.substr(3, 18) < b.substr(3, 18); });
  std::stable_sort(expected.begin(), expected.end(),
                   [](const auto& a, const auto& b) { return a.substr(3, 18) < b.substr(3, 18); });
  EXPECT_EQ(rows, expected);
}

// Records produced by Kafka's own Java console producer (scripts/broker-tests.sh) sit in the
// partition our murmur2 computes.
TEST(RealBroker, PartitionsMatchTheJavaProducerForAThousandKeys) {
  upsertkit::kafka::config conf;
  conf.set("bootstrap.servers", bootstrap());
  conf.set("group.id", "parity-check");
  conf.set("enable.partition.eof", "true");
  upsertkit::kafka::consumer consumer(std::move(conf));
  const std::int32_t partitions = consumer.partition_count("java-keys", std::chrono::seconds(30));
  ASSERT_EQ(partitions, 8);
  consumer.assign_all("java-keys", partitions, RD_KAFKA_OFFSET_BEGINNING);
  int seen = 0, at_end = 0, mismatches = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (at_end < partitions && std::chrono::steady_clock::now() < deadline) {
    auto m = consumer.poll(std::chrono::milliseconds(200));
    if (!m) continue;
    if (m.error() == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      ++at_end;
      continue;
    }
    ASSERT_EQ(m.error(), RD_KAFKA_RESP_ERR_NO_ERROR) << m.error_text();
    ++seen;
    if (m.partition() != upsertkit::partition_for_key(*m.key(), partitions)) ++mismatches;
  }
  EXPECT_EQ(seen, 1000);
  EXPECT_EQ(mismatches, 0);
}

// A compacted topic read after compaction gives the same final table.
TEST(RealBroker, CompactedTopicGivesTheSameFinalTable) {
  create_topic("compacted", 1,
               {{"cleanup.policy", "compact"},
                {"segment.ms", "100"},
                {"min.cleanable.dirty.ratio", "0.01"},
                {"delete.retention.ms", "100"}});
  auto producer = raw_producer();
  std::map<std::string, std::string> expected;
  int produced = 0;
  for (int i = 0; i < 400; ++i) {
    const std::string key = std::to_string(i % 20);
    const std::string name = "v" + std::to_string(i);
    producer.produce("compacted", 0, key,
                     std::string(R"({"order_id":")") + key + R"(","user_name":")" + name + "\"}");
    expected[key] = name;
    ++produced;
  }
  producer.flush(std::chrono::seconds(30));
  auto read_table = [&](std::uint64_t* records) {
    std::map<std::string, std::string> table;
    auto handler = [&](const upsertkit::change<orders::Order>& c) {
      if (c.kind == upsertkit::row_kind::delete_)
        table.erase(std::string(c.row.order_id));
      else if (c.kind != upsertkit::row_kind::update_before)
        table[std::string(c.row.order_id)] = std::string(c.row.user_name.value_or(""));
    };
    upsertkit::source_options options;
    options.topic = "compacted";
    options.bootstrap_servers = bootstrap();
    upsertkit::upsert_source<orders::table, decltype(handler)&> source(std::move(options), handler);
    source.read_to_end(std::chrono::seconds(60));
    *records = source.stats().records;
    return table;
  };
  // Segments roll only on an append: keep appending a marker-free duplicate until the cleaner
  // has run (fewer records than produced), for at most 60 s.
  std::uint64_t records = 0;
  auto table = read_table(&records);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (records >= static_cast<std::uint64_t>(produced) &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    producer.produce("compacted", 0, "19",
                     std::string(R"({"order_id":"19","user_name":")") + expected["19"] + "\"}");
    producer.flush(std::chrono::seconds(10));
    ++produced;
    table = read_table(&records);
  }
  EXPECT_LT(records, static_cast<std::uint64_t>(produced)) << "the topic was never compacted";
  EXPECT_EQ(table, expected);
}

// SASL_PLAINTEXT with PLAIN, passed through properties.* as in the seed's Example 3.
TEST(RealBroker, SaslPlainRightAndWrongCredentials) {
  create_topic("sasl-topic", 1);
  auto producer = raw_producer();
  producer.produce("sasl-topic", 0, "1", R"({"order_id":"1"})");
  producer.flush(std::chrono::seconds(30));
  auto with = [&](const std::string& password) {
    return upsertkit::parse_upsert_kafka_options(
        {{"connector", "upsert-kafka"},
         {"topic", "sasl-topic"},
         {"properties.bootstrap.servers", env("UPSERTKIT_KAFKA_SASL_BOOTSTRAP")},
         {"properties.security.protocol", "SASL_PLAINTEXT"},
         {"properties.sasl.mechanism", "PLAIN"},
         {"properties.sasl.username", "alice"},
         {"properties.sasl.password", password},
         {"key.format", "csv"},
         {"value.format", "json"}});
  };
  EXPECT_EQ(read_changelog(with("alice-secret").to_source_options()).size(), 1u);
  auto wrong = with("wrong-password").to_source_options();
  wrong.metadata_timeout = std::chrono::milliseconds(10000);
  try {
    read_changelog(wrong);
    FAIL() << "wrong credentials were accepted";
  } catch (const upsertkit::kafka::kafka_error& e) {
    const std::string what = e.what();
    EXPECT_EQ(what.find("wrong-password"), std::string::npos) << "no secret in errors";
    EXPECT_NE(what.find("Authentication failed"), std::string::npos) << what;
    std::printf("wrong credentials: %s\n", what.c_str());
  }
}

}  // namespace
}  // namespace broker_test
