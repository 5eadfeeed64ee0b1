// The plain `kafka` connector as a source (the seed's Example 2): its WITH clause, startup
// modes, key fields, and its rows written into an upsert topic, on the embedded cluster.
#include <gtest/gtest.h>
#include <upsertkit/append_source.hpp>
#include <upsertkit/options.hpp>
#include <upsertkit/sink.hpp>
#include <upsertkit/testing/embedded_cluster.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "orders/orders_table.hpp"
#include "orders/seed_example.hpp"
#include "test_support.hpp"

namespace append_source_test {
namespace {

using test_support::make_producer;
using test_support::order;

using upsertkit::config_error;
using upsertkit::option_map;
using upsertkit::kafka::config;
using upsertkit::kafka::embedded_cluster;
using upsertkit::kafka::producer;
using namespace std::chrono_literals;

// The seed's Example 2 source table has no PRIMARY KEY.
using plain_orders = upsertkit::table<orders::Order, upsertkit::no_primary_key>;

struct collected {
  std::vector<std::string>* ids;
  void operator()(const upsertkit::change<orders::Order>& c) {
    EXPECT_EQ(c.kind, upsertkit::row_kind::insert);
    ids->push_back(std::string(c.row.order_id) + "/" + std::string(c.row.user_name.value_or("-")));
  }
};

option_map seed_example_2(const std::string& servers) {
  return {{"connector", "kafka"},
          {"topic", "KafkaTopic"},
          {"properties.bootstrap.servers", servers},
          {"properties.group.id", "GroupId"},
          {"scan.startup.mode", "latest-offset"},
          {"format", "json"}};
}

std::string error_of(const option_map& with) {
  try {
    upsertkit::parse_kafka_options(with);
  } catch (const config_error& e) {
    return e.what();
  }
  return "no error";
}

upsertkit::append_source_options options_for(const embedded_cluster& cluster,
                                             upsertkit::startup_mode mode) {
  upsertkit::append_source_options options;
  options.topic = "plain";
  options.bootstrap_servers = cluster.bootstrap_servers();
  options.startup.mode = mode;
  return options;
}

TEST(KafkaOptions, SeedExampleTwo) {
  const auto options = upsertkit::parse_kafka_options(seed_example_2("a:9092,b:9092"));
  EXPECT_EQ(options.source.topic, "KafkaTopic");
  EXPECT_EQ(options.source.bootstrap_servers, "a:9092,b:9092");
  EXPECT_EQ(options.source.value_format, "json");
  EXPECT_EQ(options.source.startup.mode, upsertkit::startup_mode::latest_offset);
  EXPECT_EQ(options.source.properties.at("group.id"), "GroupId");
  EXPECT_NE(options.describe().find("properties.group.id = GroupId"), std::string::npos);
}

TEST(KafkaOptions, StartupModesAndTheirCompanions) {
  option_map with = seed_example_2("x:1");
  with["scan.startup.mode"] = "specific-offsets";
  EXPECT_EQ(error_of(with),
            "'scan.startup.specific-offsets' is required in 'specific-offsets' startup mode but "
            "missing.");
  with["scan.startup.specific-offsets"] = "partition:0,offset:42;partition:1,offset:300";
  auto parsed = upsertkit::parse_kafka_options(with);
  EXPECT_EQ(parsed.source.startup.offsets,
            (std::map<std::int32_t, std::int64_t>{{0, 42}, {1, 300}}));
  with["scan.startup.mode"] = "timestamp";
  EXPECT_EQ(error_of(with),
            "'scan.startup.timestamp-millis' is required in 'timestamp' startup mode but missing.");
  with["scan.startup.timestamp-millis"] = "1679700000000";
  EXPECT_EQ(upsertkit::parse_kafka_options(with).source.startup.timestamp_ms, 1679700000000);
  with["scan.startup.mode"] = "newest";
  EXPECT_EQ(error_of(with),
            "Could not parse value 'newest' for key 'scan.startup.mode'. Possible values: "
            "[earliest-offset, latest-offset, group-offsets, timestamp, specific-offsets]");
  // The reference's default is group-offsets, which needs a group.
  with.erase("scan.startup.mode");
  with.erase("properties.group.id");
  EXPECT_NE(error_of(with).find("'properties.group.id'"), std::string::npos);
}

TEST(KafkaOptions, RequiredUnsupportedAndFormatOptions) {
  EXPECT_EQ(error_of({{"connector", "kafka"}}),
            "One or more required options are missing.\n\nMissing required options are:\n\n"
            "properties.bootstrap.servers\ntopic\nformat");
  option_map with = seed_example_2("x:1");
  with["json.ignore-parse-errors"] = "true";
  EXPECT_EQ(upsertkit::parse_kafka_options(with).source.value_options.at("ignore-parse-errors"),
            "true");
  with["json.no-such-option"] = "1";
  EXPECT_NE(error_of(with), "no error");
  with.erase("json.no-such-option");
  with["sink.partitioner"] = "fixed";
  EXPECT_EQ(error_of(with).rfind("Unsupported options found for 'kafka'.", 0), 0u);
  with.erase("sink.partitioner");
  with["value.format"] = "json";
  EXPECT_NE(error_of(with).find("mutually exclusive"), std::string::npos);
  with.erase("value.format");
  with["key.format"] = "csv";
  const auto parsed = upsertkit::parse_kafka_options(with);
  EXPECT_EQ(parsed.source.key_format, "csv");
}

TEST(AppendSource, EarliestReadsEverythingAsInsertsAndSkipsTombstones) {
  embedded_cluster cluster;
  cluster.create_topic("plain", 2);
  producer p = make_producer(cluster);
  p.produce("plain", 0, std::nullopt, order("1", "a"));
  p.produce("plain", 0, std::nullopt, order("1", "a"));  // appended again: a second +I
  p.produce("plain", 1, "k", std::nullopt);              // a tombstone is no row
  p.produce("plain", 1, std::nullopt, order("2", "b"));
  p.flush(10s);
  std::vector<std::string> ids;
  upsertkit::append_source<plain_orders, collected> source(
      options_for(cluster, upsertkit::startup_mode::earliest_offset), collected{&ids});
  EXPECT_EQ(source.read_to_end(30s), 4u);
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(ids, (std::vector<std::string>{"1/a", "1/a", "2/b"}));
  EXPECT_EQ(source.rows(), 3u);
  EXPECT_EQ(source.tombstones(), 1u);
}

TEST(AppendSource, LatestSpecificAndGroupOffsets) {
  embedded_cluster cluster;
  cluster.create_topic("plain", 1);
  producer p = make_producer(cluster);
  for (int i = 0; i < 3; ++i)
    p.produce("plain", 0, std::nullopt, order(std::to_string(i), "old"));
  p.flush(10s);
  {
    std::vector<std::string> ids;
    auto options = options_for(cluster, upsertkit::startup_mode::specific_offsets);
    options.startup.offsets[0] = 2;
    upsertkit::append_source<plain_orders, collected> source(options, collected{&ids});
    source.read_to_end(30s);
    EXPECT_EQ(ids, (std::vector<std::string>{"2/old"}));
  }
  std::vector<std::string> latest_ids;
  upsertkit::append_source<plain_orders, collected> latest(
      options_for(cluster, upsertkit::startup_mode::latest_offset), collected{&latest_ids});
  latest.read_to_end(30s);  // reaches the end: nothing old is read
  EXPECT_TRUE(latest_ids.empty());
  p.produce("plain", 0, std::nullopt, order("3", "new"));
  p.flush(10s);
  latest.read_to_end(30s);
  EXPECT_EQ(latest_ids, (std::vector<std::string>{"3/new"}));

  // group-offsets: a second reader in the group goes on after the first one's commit.
  auto grouped = [&] {
    auto options = options_for(cluster, upsertkit::startup_mode::group_offsets);
    options.properties["group.id"] = "plain-readers";
    options.properties["session.timeout.ms"] = "6000";
    options.properties["heartbeat.interval.ms"] = "500";
    return options;
  };
  std::vector<std::string> first, second;
  {
    // No committed offset yet: group-offsets starts nowhere and says so (the reference's
    // default reset strategy is none); the user's auto.offset.reset decides otherwise.
    auto options = grouped();
    options.properties["auto.offset.reset"] = "earliest";
    upsertkit::append_source<plain_orders, collected> source(options, collected{&first});
    source.read_to_end(30s);
    source.close();
  }
  EXPECT_EQ(first.size(), 4u);
  p.produce("plain", 0, std::nullopt, order("4", "after"));
  p.flush(10s);
  upsertkit::append_source<plain_orders, collected> source(grouped(), collected{&second});
  source.read_to_end(30s);
  EXPECT_EQ(second, (std::vector<std::string>{"4/after"}));
}

TEST(AppendSource, KeyFieldsComeFromTheKey) {
  embedded_cluster cluster;
  cluster.create_topic("plain", 1);
  producer p = make_producer(cluster);
  p.produce("plain", 0, "k-1", R"({"user_name":"from value"})");
  p.flush(10s);
  std::vector<std::string> ids;
  auto options = options_for(cluster, upsertkit::startup_mode::earliest_offset);
  options.key_format = "csv";
  options.key_fields = {"order_id"};
  options.include = upsertkit::fields_include::except_key;
  upsertkit::append_source<plain_orders, collected> source(options, collected{&ids});
  source.read_to_end(30s);
  EXPECT_EQ(ids, (std::vector<std::string>{"k-1/from value"}));

  options.key_fields = {"no_such_column"};
  EXPECT_THROW((upsertkit::append_source<plain_orders, collected>(options, collected{&ids})),
               config_error);
}

TEST(AppendSource, BadValueNamesTheRecordAndStopsUnlessIgnored) {
  embedded_cluster cluster;
  cluster.create_topic("plain", 1);
  producer p = make_producer(cluster);
  p.produce("plain", 0, std::nullopt, R"({"order_id":"1","pay_amount":"lots"})");
  p.produce("plain", 0, std::nullopt, R"({"order_id":"2","pay_amount":)");  // truncated
  p.produce("plain", 0, std::nullopt, order("3", "ok"));
  p.flush(10s);
  std::vector<std::string> ids;
  {
    upsertkit::append_source<plain_orders, collected> source(
        options_for(cluster, upsertkit::startup_mode::earliest_offset), collected{&ids});
    try {
      source.read_to_end(30s);
      FAIL();
    } catch (const upsertkit::record_error& e) {
      EXPECT_EQ(e.topic(), "plain");
      EXPECT_EQ(e.offset(), 0);
      EXPECT_EQ(e.field(), "pay_amount");
    }
  }
  auto options = options_for(cluster, upsertkit::startup_mode::earliest_offset);
  options.value_options["ignore-parse-errors"] = "true";
  upsertkit::append_source<plain_orders, collected> source(options, collected{&ids});
  // The same policy as the upsert source's (apply_decode_error_policy): a skipped record goes
  // to the dead-letter hook with the error that names it.
  std::vector<std::string> dead;
  source.set_dead_letter_hook(
      [&](const upsertkit::record_view& record, const upsertkit::record_error& error) {
        dead.push_back(std::to_string(record.where.offset) + " " +
                       std::string(record.value.value_or("")) + " | " + error.what());
      });
  source.read_to_end(30s);
  // As the reference's JSON format: a bad field becomes NULL, a row that cannot be parsed at
  // all is skipped (and counted).
  EXPECT_EQ(ids, (std::vector<std::string>{"1/-", "3/ok"}));
  EXPECT_EQ(source.skipped(), 1u);
  ASSERT_EQ(dead.size(), 1u);
  EXPECT_EQ(dead[0].rfind(R"(1 {"order_id":"2","pay_amount": | )", 0), 0u) << dead[0];
  EXPECT_NE(dead[0].find("offset 1"), std::string::npos) << dead[0];
}

// The seed's Example 2 end to end: a plain JSON topic, `insert into upsertKafkaSink select *
// from orders`, and the upsert topic read back raw: one record per source record, keyed by
// order_id, in the partition Kafka's Java producer would choose.
TEST(AppendSource, SeedExampleTwoIntoAnUpsertTopic) {
  embedded_cluster cluster;
  cluster.create_topic("KafkaTopic", 1);
  cluster.create_topic("upsert", 3);
  upsertkit::sink_options sink_options;
  sink_options.topic = "upsert";
  sink_options.bootstrap_servers = cluster.bootstrap_servers();
  upsertkit::upsert_sink<orders::table> sink(sink_options);

  auto with = seed_example_2(cluster.bootstrap_servers());
  with["properties.session.timeout.ms"] = "6000";
  with["properties.auto.offset.reset"] = "earliest";
  upsertkit::append_source_options options = upsertkit::parse_kafka_options(with).source;
  options.startup.mode = upsertkit::startup_mode::earliest_offset;  // the records exist already
  producer p = make_producer(cluster);
  for (const auto& record : orders::seed::records)
    p.produce("KafkaTopic", 0, std::nullopt, record.second);
  p.flush(10s);
  upsertkit::append_source<orders::table, upsertkit::upsert_sink<orders::table>&> source(options,
                                                                                         sink);
  EXPECT_EQ(source.read_to_end(30s), 3u);
  sink.flush(10s);
  EXPECT_EQ(sink.records_sent(), 3u);

  config conf;
  conf.set("bootstrap.servers", cluster.bootstrap_servers());
  conf.set("group.id", "raw");
  conf.set("enable.partition.eof", "true");
  upsertkit::kafka::consumer raw(std::move(conf));
  raw.assign_all("upsert", 3, RD_KAFKA_OFFSET_BEGINNING);
  std::vector<std::string> values;
  int at_end = 0;
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (at_end < 3 && std::chrono::steady_clock::now() < deadline) {
    auto m = raw.poll(100ms);
    if (!m) continue;
    if (m.error() == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      ++at_end;
      continue;
    }
    ASSERT_TRUE(m.key());
    EXPECT_EQ(m.partition(), upsertkit::partition_for_key(*m.key(), 3));
    values.push_back(std::string(*m.key()) + " " + std::string(m.value().value_or("null")));
  }
  std::sort(values.begin(), values.end());
  ASSERT_EQ(values.size(), 3u);
  EXPECT_EQ(values[0].substr(0, 19), "202303251202020001 ");
  EXPECT_NE(values[0].find(R"("pay_amount":60.0)"), std::string::npos) << values[0];
  EXPECT_NE(values[1].find(R"("area_id":"330111")"), std::string::npos) << values[1];
  EXPECT_EQ(values[2].substr(0, 19), "202303251505050001 ");
}

}  // namespace
}  // namespace append_source_test
