// Integration tests against a real Apache Kafka broker (KRaft, started by
// scripts/broker-tests.sh). They fail, never skip, when the broker is not there.
#include <gtest/gtest.h>
#include <upsertkit/append_source.hpp>
#include <upsertkit/options.hpp>
#include <upsertkit/print.hpp>
#include <upsertkit/sink.hpp>
#include <upsertkit/source.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "broker_support.hpp"
#include "orders/orders_table.hpp"
#include "orders/seed_example.hpp"

namespace broker_test {
namespace {

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
  const std::string topic = unique_name("seed-example-1");
  create_topic(topic, 1);
  auto producer = raw_producer();
  for (const auto& [key, value] : seed_records)
    producer.produce(topic, 0, key, value);
  producer.flush(std::chrono::seconds(30));
  const auto options =
      upsertkit::parse_upsert_kafka_options({{"connector", "upsert-kafka"},
                                             {"topic", topic},
                                             {"properties.bootstrap.servers", bootstrap()},
                                             {"key.format", "csv"},
                                             {"value.format", "json"}});
  EXPECT_EQ(read_changelog(options.to_source_options()), seed_rows);
}

// Runs an example program and returns its stdout (exit status checked).
std::string run_program(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) {
    ADD_FAILURE() << "cannot run " << command;
    return out;
  }
  char buffer[4096];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0)
    out.append(buffer, n);
  EXPECT_EQ(pclose(pipe), 0) << command;
  return out;
}

// The seed's Example 2 program: plain JSON topic -> kafka source -> upsert sink -> raw read.
TEST(RealBroker, SeedExampleTwoProgram) {
  const std::string out = run_program(env("UPSERTKIT_EXAMPLES_DIR") +
                                      "/upsertkit-seed-example-2 --brokers " + bootstrap());
  EXPECT_EQ(out, read_file(std::string(UPSERTKIT_SOURCE_DIR) +
                           "/examples/seed/example2_kafka_to_upsert.expected"));
}

// The seed's Example 3 program over SASL_PLAINTEXT (PLAIN), credentials from the environment.
TEST(RealBroker, SeedExampleThreeProgramOverSasl) {
  setenv("UPSERTKIT_SASL_USERNAME", "alice", 1);
  setenv("UPSERTKIT_SASL_PASSWORD", "alice-secret", 1);
  const std::string out =
      run_program(env("UPSERTKIT_EXAMPLES_DIR") + "/upsertkit-seed-example-3 --brokers " +
                  env("UPSERTKIT_KAFKA_SASL_BOOTSTRAP") + " 2>&1");
  for (const auto& row : seed_rows)
    EXPECT_NE(out.find(row + "\n"), std::string::npos) << row << "\nin\n" << out;
  EXPECT_NE(out.find("properties.sasl.password = ******"), std::string::npos) << out;
  EXPECT_EQ(out.find("alice-secret"), std::string::npos) << "a secret was printed";
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
    const std::string name = std::string("v").append(std::to_string(i));
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

// Folds a changelog into a table, checking every change against the table so far: -U and -D
// must carry the current row, +I must be for an absent key. Counts what does not fit.
struct checked_table {
  std::map<std::string, std::string> rows;
  int violations = 0;
  void apply(upsertkit::row_kind kind, const std::string& key, const std::string& value) {
    const auto it = rows.find(key);
    switch (kind) {
      case upsertkit::row_kind::insert:
        if (it != rows.end()) ++violations;
        rows[key] = value;
        break;
      case upsertkit::row_kind::update_before:
        if (it == rows.end() || it->second != value) ++violations;
        break;
      case upsertkit::row_kind::update_after:
        if (it == rows.end()) ++violations;
        rows[key] = value;
        break;
      case upsertkit::row_kind::delete_:
        if (it == rows.end() || it->second != value) ++violations;
        rows.erase(key);
        break;
    }
  }
};

// A group member stops after a failure; a new member of the same group goes on from the last
// commit: the two changelogs, one after the other, fold to the exact final table with every
// -U and -D matching, so there is neither a duplicate nor a gap.
TEST(RealBroker, GroupMemberRestartGivesNeitherDuplicatesNorGaps) {
  const std::string topic = unique_name("restart");
  create_topic(topic, 3);
  auto producer = raw_producer();
  std::map<std::string, std::string> expected;
  for (int i = 0; i < 3000; ++i) {
    const std::string key = std::to_string(i * 7919 % 300);
    const std::int32_t partition = upsertkit::partition_for_key(key, 3);
    if (i % 13 == 0) {
      producer.produce(topic, partition, key, std::nullopt);
      expected.erase(key);
    } else {
      const std::string name = "v" + std::to_string(i % 7 / 2);  // some rows repeat unchanged
      producer.produce(topic, partition, key,
                       R"({"order_id":")" + key + R"(","user_name":")" + name + "\"}");
      expected[key] = name;
    }
  }
  producer.flush(std::chrono::seconds(30));

  checked_table table;
  int handled = 0;
  // Per member and partition: the first and last offset whose changes were handled.
  std::map<std::pair<int, std::int32_t>, std::pair<std::int64_t, std::int64_t>> spans;
  int member = 0;
  auto handler = [&](const upsertkit::change<orders::Order>& c) {
    if (handled == 1500) throw std::runtime_error("simulated crash");
    ++handled;
    if (c.metadata != nullptr) {
      auto [it, fresh] =
          spans.try_emplace({member, c.partition}, c.metadata->offset, c.metadata->offset);
      if (!fresh) {
        it->second.first = std::min(it->second.first, c.metadata->offset);
        it->second.second = std::max(it->second.second, c.metadata->offset);
      }
    }
    table.apply(c.kind, std::string(c.row.order_id), std::string(c.row.user_name.value_or("")));
  };
  upsertkit::source_options options;
  options.topic = topic;
  options.bootstrap_servers = bootstrap();
  options.properties["group.id"] = unique_name("restart-group");
  options.commit_interval = std::chrono::milliseconds(50);
  std::vector<upsertkit::partition_progress> first_progress;
  {
    upsertkit::upsert_source<orders::table, decltype(handler)&> first(options, handler);
    EXPECT_THROW(first.read_to_end(std::chrono::seconds(60)), std::runtime_error);
    first_progress = first.progress();
  }  // commits what was handled, not the record whose change threw
  EXPECT_EQ(handled, 1500);
  handled = -1'000'000;  // the second member never throws
  member = 1;
  upsertkit::upsert_source<orders::table, decltype(handler)&> second(options, handler);
  second.read_to_end(std::chrono::seconds(60));
  EXPECT_EQ(table.violations, 0);
  EXPECT_EQ(table.rows, expected);
  if (table.rows != expected) {
    for (const auto& [where, span] : spans)
      std::printf("member %d, partition %d: changes of offsets %lld..%lld handled\n", where.first,
                  where.second, static_cast<long long>(span.first),
                  static_cast<long long>(span.second));
    for (const upsertkit::partition_progress& p : first_progress)
      std::printf("first member, partition %d: assigned %d, next offset %lld, committed %lld\n",
                  p.partition, p.assigned ? 1 : 0, static_cast<long long>(p.next_offset),
                  static_cast<long long>(p.committed));
    for (const auto& [key, name] : expected)
      if (table.rows.count(key) == 0 || table.rows.at(key) != name)
        std::printf("key %s (partition %d): expected %s, changelog gives %s\n", key.c_str(),
                    upsertkit::partition_for_key(key, 3), name.c_str(),
                    table.rows.count(key) ? table.rows.at(key).c_str() : "nothing");
  }
  if (table.rows != expected)
    for (const upsertkit::partition_progress& p : second.progress())
      std::printf("second member, partition %d: assigned %d, next offset %lld, committed %lld\n",
                  p.partition, p.assigned ? 1 : 0, static_cast<long long>(p.next_offset),
                  static_cast<long long>(p.committed));
  EXPECT_GT(second.counters().replayed, 0u);
  std::printf("restart: first member handled 1500 changes, second rebuilt %llu silently\n",
              static_cast<unsigned long long>(second.counters().replayed));
}

TEST(RealBroker, TimestampStartupAndBoundedScans) {
  create_topic("timed", 1);
  auto producer = raw_producer();
  for (int i = 0; i < 6; ++i)
    producer.produce("timed", 0, std::to_string(i),
                     R"({"order_id":")" + std::to_string(i) + R"("})", 1'000'000 + i * 1000);
  producer.flush(std::chrono::seconds(30));
  // Bounded at t = 1'003'500: offsets 0..3.
  std::vector<std::string> rows;
  auto handler = [&](const upsertkit::change<orders::Order>& c) {
    rows.emplace_back(c.row.order_id);
  };
  upsertkit::source_options options;
  options.topic = "timed";
  options.bootstrap_servers = bootstrap();
  options.bounded.mode = upsertkit::bounded_mode::timestamp;
  options.bounded.timestamp_ms = 1'003'500;
  upsertkit::upsert_source<orders::table, decltype(handler)&> source(options, handler);
  EXPECT_EQ(source.run_to_bound(std::chrono::seconds(60)), 4u);
  EXPECT_EQ(rows, (std::vector<std::string>{"0", "1", "2", "3"}));

  // The plain source starting at t = 1'002'000: offsets 2..5.
  std::vector<std::string> plain;
  auto plain_handler = [&](const upsertkit::change<orders::Order>& c) {
    plain.emplace_back(c.row.order_id);
  };
  upsertkit::append_source_options plain_options;
  plain_options.topic = "timed";
  plain_options.bootstrap_servers = bootstrap();
  plain_options.startup.mode = upsertkit::startup_mode::timestamp;
  plain_options.startup.timestamp_ms = 1'002'000;
  upsertkit::append_source<orders::table, decltype(plain_handler)&> append(plain_options,
                                                                           plain_handler);
  append.read_to_end(std::chrono::seconds(60));
  EXPECT_EQ(plain, (std::vector<std::string>{"2", "3", "4", "5"}));
}

TEST(RealBroker, ExactlyOnceSinkCommitsPerFlushAndFencesItsPredecessor) {
  create_topic("eos", 2);
  upsertkit::sink_options options;
  options.topic = "eos";
  options.bootstrap_servers = bootstrap();
  options.guarantee = upsertkit::delivery_guarantee::exactly_once;
  options.transactional_id_prefix = "eos-test";
  auto make = [](const char* id, const char* name) {
    orders::Order o{};
    o.order_id = id;
    o.user_name = std::string_view(name);
    return o;
  };
  {
    upsertkit::upsert_sink<orders::table> sink(options);
    sink.write(upsertkit::row_kind::insert, make("1", "committed"));
    sink.flush(std::chrono::seconds(30));
    sink.write(upsertkit::row_kind::insert, make("2", "aborted"));
    sink.abort(std::chrono::seconds(30));
    sink.write(upsertkit::row_kind::insert, make("3", "left open"));
    sink.poll();
    // A second sink with the same id fences the first: its open transaction is aborted.
    upsertkit::upsert_sink<orders::table> successor(options);
    successor.write(upsertkit::row_kind::insert, make("4", "successor"));
    successor.close(std::chrono::seconds(30));
    EXPECT_THROW(sink.close(std::chrono::seconds(30)), upsertkit::kafka::kafka_error);
  }
  upsertkit::source_options read;
  read.topic = "eos";
  read.bootstrap_servers = bootstrap();
  std::vector<std::string> ids;
  auto handler = [&](const upsertkit::change<orders::Order>& c) {
    ids.emplace_back(c.row.order_id);
  };
  upsertkit::upsert_source<orders::table, decltype(handler)&> source(read, handler);
  source.read_to_end(std::chrono::seconds(60));
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(ids, (std::vector<std::string>{"1", "4"}));
}

// TLS: the broker's certificate is signed by a CA the test generated (scripts/kafka-broker.sh);
// the source and the sink verify it. A client trusting another CA is refused, clearly.
upsertkit::option_map secured(const std::string& servers, const std::string& protocol,
                              const std::string& ca) {
  return {{"connector", "upsert-kafka"},
          {"topic", "secured"},
          {"properties.bootstrap.servers", servers},
          {"properties.security.protocol", protocol},
          {"properties.ssl.ca.location", ca},
          {"properties.ssl.endpoint.identification.algorithm", "https"},
          {"key.format", "csv"},
          {"value.format", "json"}};
}

TEST(RealBrokerSecurity, TlsVerifiesTheBrokerAndRefusesAnotherCa) {
  create_topic("secured", 1);
  const auto options = upsertkit::parse_upsert_kafka_options(
      secured(env("UPSERTKIT_KAFKA_SSL_BOOTSTRAP"), "SSL", env("UPSERTKIT_KAFKA_CA")));
  {
    upsertkit::upsert_sink<orders::table> sink(options.to_sink_options());
    orders::Order o{};
    o.order_id = "tls-1";
    sink.write(upsertkit::row_kind::insert, o);
    sink.flush(std::chrono::seconds(30));
  }
  EXPECT_EQ(read_changelog(options.to_source_options()).size(), 1u);

  auto wrong =
      upsertkit::parse_upsert_kafka_options(
          secured(env("UPSERTKIT_KAFKA_SSL_BOOTSTRAP"), "SSL", env("UPSERTKIT_KAFKA_WRONG_CA")))
          .to_source_options();
  wrong.metadata_timeout = std::chrono::milliseconds(10000);
  try {
    read_changelog(wrong);
    FAIL() << "a broker certificate from another CA was accepted";
  } catch (const upsertkit::kafka::kafka_error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("certificate verify failed"), std::string::npos) << what;
    std::printf("wrong CA: %s\n", what.c_str());
  }
}

// SASL_SSL with PLAIN; the password comes from a file and never shows in errors or describe().
TEST(RealBrokerSecurity, SaslSslRightAndWrongCredentialsWithTheSecretFromAFile) {
  create_topic("secured", 1);
  const std::string secret_file = "/tmp/upsertkit-broker-test-secret";
  auto with = [&](const std::string& password) {
    {
      std::ofstream out(secret_file);
      out << password << "\n";
    }
    auto options =
        secured(env("UPSERTKIT_KAFKA_SASL_SSL_BOOTSTRAP"), "SASL_SSL", env("UPSERTKIT_KAFKA_CA"));
    options["properties.sasl.mechanism"] = "PLAIN";
    options["properties.sasl.username"] = "alice";
    options["properties.sasl.password"] = "${file:" + secret_file + "}";
    return upsertkit::parse_upsert_kafka_options(options);
  };
  const auto right = with("alice-secret");
  EXPECT_EQ(right.describe().find("alice-secret"), std::string::npos);
  EXPECT_NE(right.describe().find("properties.sasl.password = ******"), std::string::npos);
  {
    upsertkit::upsert_sink<orders::table> sink(right.to_sink_options());
    orders::Order o{};
    o.order_id = "sasl-ssl-1";
    sink.write(upsertkit::row_kind::insert, o);
    sink.flush(std::chrono::seconds(30));
  }
  EXPECT_GE(read_changelog(right.to_source_options()).size(), 1u);
  auto wrong = with("wrong-secret").to_source_options();
  wrong.metadata_timeout = std::chrono::milliseconds(10000);
  try {
    read_changelog(wrong);
    FAIL() << "wrong credentials were accepted";
  } catch (const upsertkit::kafka::kafka_error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("Authentication failed"), std::string::npos) << what;
    EXPECT_EQ(what.find("wrong-secret"), std::string::npos) << "no secret in errors";
  }
  std::remove(secret_file.c_str());
}

// Runs scripts/kafka-broker.sh COMMAND on the broker these tests use.
// Its output is printed when it fails; a restart is tried three times (a JVM start can fail on
// a loaded machine).
int broker_script(const std::string& command) {
  const std::string log = "/tmp/upsertkit-broker-script.log";
  const std::string line = std::string(UPSERTKIT_SOURCE_DIR) + "/scripts/kafka-broker.sh " +
                           command + " >" + log + " 2>&1";
  int status = 0;
  for (int attempt = 0; attempt < (command == "restart" ? 3 : 1); ++attempt) {
    status = std::system(line.c_str());
    if (status == 0) return 0;
    std::printf("kafka-broker.sh %s failed (attempt %d):\n%s\n", command.c_str(), attempt + 1,
                read_file(log).c_str());
    std::this_thread::sleep_for(std::chrono::seconds(2));
  }
  return status;
}

// Producer side: the broker is killed (SIGKILL) and restarted twice while the sink writes
// 200,000 upserts and tombstones over 20,000 keys. Read back and folded by key, the topic is
// exactly the expected table; duplicates (allowed at-least-once) are reported.
TEST(RealBrokerFaults, SinkLosesNothingWhileTheBrokerIsKilledTwice) {
  create_topic("sink-faults", 4);
  upsertkit::sink_options options;
  options.topic = "sink-faults";
  options.bootstrap_servers = bootstrap();
  // Room for every record while the broker is down, so a broker that does not come back
  // fails the test at once instead of blocking produce().
  options.properties["queue.buffering.max.messages"] = "1000000";
  std::map<std::string, std::optional<std::string>> expected;
  std::thread killer;
  int kill_failures = 0;
  {
    upsertkit::upsert_sink<orders::table> sink(options);
    std::string name;
    for (int i = 0; i < 200'000; ++i) {
      const std::string key = std::to_string(i * 7919 % 20'000);
      orders::Order row{};
      row.order_id = key;
      if (i % 17 == 0) {
        sink.write(upsertkit::row_kind::delete_, row);
        expected[key] = std::nullopt;
      } else {
        name = "v" + std::to_string(i);
        row.user_name = std::string_view(name);
        sink.write(upsertkit::row_kind::insert, row);
        expected[key] = name;
      }
      if (i == 50'000 || i == 120'000) {
        if (killer.joinable()) killer.join();
        killer = std::thread([&kill_failures] {
          if (broker_script("kill") != 0) ++kill_failures;
          if (broker_script("restart") != 0) ++kill_failures;
        });
      }
      if (i % 1000 == 0) sink.poll();
    }
    if (killer.joinable()) killer.join();
    ASSERT_EQ(kill_failures, 0) << "the broker could not be killed and restarted";
    sink.flush(std::chrono::minutes(5));
    EXPECT_EQ(sink.failed_deliveries(), 0u);
  }
  ASSERT_EQ(kill_failures, 0) << "the broker could not be killed and restarted";

  // Read back with a plain consumer: the last record per key wins.
  upsertkit::kafka::config conf;
  conf.set("bootstrap.servers", bootstrap());
  conf.set("group.id", "sink-faults-reader");
  conf.set("enable.partition.eof", "true");
  upsertkit::kafka::consumer consumer(std::move(conf));
  consumer.assign_all("sink-faults", 4, RD_KAFKA_OFFSET_BEGINNING);
  std::map<std::string, std::optional<std::string>> table;
  std::uint64_t records = 0;
  int at_end = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(2);
  while (at_end < 4 && std::chrono::steady_clock::now() < deadline) {
    auto m = consumer.poll(std::chrono::milliseconds(200));
    if (!m) continue;
    if (m.error() == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      ++at_end;
      continue;
    }
    ASSERT_EQ(m.error(), RD_KAFKA_RESP_ERR_NO_ERROR) << m.error_text();
    ++records;
    const std::string key(*m.key());
    if (!m.value()) {
      table[key] = std::nullopt;
    } else {
      orders::Order row{};
      upsertkit::table_projections<orders::table> projections;
      upsertkit::json::codec<orders::table> value(projections.value);
      ASSERT_TRUE(value.decode(*m.value(), row).ok());
      table[key] = std::string(row.user_name.value_or(""));
    }
  }
  EXPECT_EQ(table, expected);
  EXPECT_GE(records, 200'000u);
  std::printf("broker killed twice: 200000 written, %llu read back, %llu duplicate(s)\n",
              static_cast<unsigned long long>(records),
              static_cast<unsigned long long>(records - 200'000));
}

// A topic that does not exist is an error naming it, for the sink as for the source; the sink
// does not create it (the embedded cluster cannot show this: librdkafka's mock creates any
// topic a client asks for).
TEST(RealBroker, AMissingTopicIsAnErrorNamingItAndTheSinkDoesNotCreateIt) {
  const std::string topic = unique_name("misspelt");
  upsertkit::sink_options sink;
  sink.topic = topic;  // never created
  sink.bootstrap_servers = bootstrap();
  sink.metadata_timeout = std::chrono::milliseconds(1500);
  try {
    upsertkit::upsert_sink<orders::table> s(sink);
    FAIL() << "a sink to a topic that does not exist was built";
  } catch (const upsertkit::kafka::kafka_error& e) {
    EXPECT_NE(std::string(e.what()).find("topic '" + topic + "'"), std::string::npos) << e.what();
  }
  auto handler = [](const upsertkit::change<orders::Order>&) {};
  upsertkit::source_options source;
  source.topic = topic;
  source.bootstrap_servers = bootstrap();
  source.metadata_timeout = std::chrono::milliseconds(1500);
  try {
    upsertkit::upsert_source<orders::table, decltype(handler)> s(source, handler);
    FAIL() << "a source of a topic that does not exist was built";
  } catch (const upsertkit::kafka::kafka_error& e) {
    EXPECT_NE(std::string(e.what()).find("topic '" + topic + "'"), std::string::npos) << e.what();
  }
  // Still not there: nobody created it.
  sink.metadata_timeout = std::chrono::milliseconds(500);
  EXPECT_THROW(upsertkit::upsert_sink<orders::table>{sink}, upsertkit::kafka::kafka_error);
}

}  // namespace
}  // namespace broker_test
