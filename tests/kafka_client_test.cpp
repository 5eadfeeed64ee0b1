// The thin librdkafka layer's own checks: the bootstrap list before any client dials it, a
// missing topic named in the error, librdkafka's log lines through the handler, the prefetch
// settings a reader starts from.
#include <gtest/gtest.h>
#include <upsertkit/append_source.hpp>
#include <upsertkit/kafka/client.hpp>
#include <upsertkit/kafka/topic_reader.hpp>
#include <upsertkit/sink.hpp>
#include <upsertkit/source.hpp>
#include <upsertkit/testing/embedded_cluster.hpp>

#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "orders/orders_table.hpp"

namespace kafka_client_test {
namespace {

using namespace std::chrono_literals;

TEST(BootstrapServers, WellFormedListsPass) {
  for (const char* servers :
       {"broker:9092", "broker", "PLAINTEXT://broker:9092", "SASL_SSL://b1:9093,b2:9093",
        "[::1]:9092", "[fe80::1]", " b1:1 , b2:65535 ", "127.0.0.1:39092"})
    EXPECT_NO_THROW(upsertkit::kafka::check_bootstrap_servers(servers)) << servers;
}

TEST(BootstrapServers, MalformedListsAreConfigErrorsNamingTheEntry) {
  const std::pair<const char*, const char*> cases[] = {
      {"", "no broker is given"},
      {"  ", "no broker is given"},
      {"b1:9092,,b2:9092", "an entry is empty"},
      {"b1:9092,", "an entry is empty"},
      {"broker:", "'broker:': the port is empty"},
      {":9092", "':9092': the host is empty"},
      {"broker:kafka", "'broker:kafka': the port is not a number 1-65535"},
      {"broker:70000", "'broker:70000': the port is not a number 1-65535"},
      {"broker:0", "'broker:0': the port is not a number 1-65535"},
      {"[::1", "'[::1': an IPv6 address must be closed by ']'"},
      {"[::1]9092", "'[::1]9092': expected ':PORT' after ']'"},
      {"my broker:9092", "'my broker:9092': the host has a space or a '/'"},
  };
  for (const auto& [servers, why] : cases) {
    try {
      upsertkit::kafka::check_bootstrap_servers(servers);
      ADD_FAILURE() << "'" << servers << "' was accepted";
    } catch (const upsertkit::config_error& e) {
      EXPECT_NE(std::string(e.what()).find(why), std::string::npos)
          << "'" << servers << "': " << e.what();
    }
  }
}

// The sources and the sink check the list when they are built, before anything is dialled.
TEST(BootstrapServers, SourcesAndTheSinkRefuseABadListAtConstruction) {
  auto handler = [](const upsertkit::change<orders::Order>&) {};
  upsertkit::source_options source;
  source.topic = "orders";
  EXPECT_THROW((upsertkit::upsert_source<orders::table, decltype(handler)>(source, handler)),
               upsertkit::config_error);
  upsertkit::append_source_options plain;
  plain.topic = "orders";
  plain.bootstrap_servers = "broker:port";
  using plain_table = upsertkit::table<orders::Order, upsertkit::no_primary_key>;
  EXPECT_THROW((upsertkit::append_source<plain_table, decltype(handler)>(plain, handler)),
               upsertkit::config_error);
  upsertkit::sink_options sink;
  sink.topic = "orders";
  sink.bootstrap_servers = "b1:9092,,b2:9092";
  try {
    upsertkit::upsert_sink<orders::table> s(sink);
    FAIL() << "the sink accepted an empty entry";
  } catch (const upsertkit::config_error& e) {
    EXPECT_NE(std::string(e.what()).find("bootstrap.servers"), std::string::npos) << e.what();
  }
}

// `properties.*` are checked by librdkafka before any client is built: an unknown name or a bad
// value is a config_error naming the option.
TEST(KafkaProperties, ConfigErrorsNamingTheOptionAtConstruction) {
  EXPECT_NO_THROW(upsertkit::kafka::check_client_properties(
      {{"client.id", "orders-reader"}, {"enable.idempotence", "true"}}));
  auto error_of = [](const std::map<std::string, std::string>& properties) {
    try {
      upsertkit::kafka::check_client_properties(properties);
    } catch (const upsertkit::config_error& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  const std::string unknown = error_of({{"no.such.setting", "x"}});
  EXPECT_NE(unknown.find("'properties.no.such.setting'"), std::string::npos) << unknown;
  const std::string bad = error_of({{"enable.idempotence", "maybe"}});
  EXPECT_NE(bad.find("'properties.enable.idempotence'"), std::string::npos) << bad;

  auto handler = [](const upsertkit::change<orders::Order>&) {};
  upsertkit::source_options source;
  source.topic = "orders";
  source.bootstrap_servers = "127.0.0.1:9092";
  source.properties["no.such.setting"] = "x";
  EXPECT_THROW((upsertkit::upsert_source<orders::table, decltype(handler)>(source, handler)),
               upsertkit::config_error);
  upsertkit::append_source_options plain;
  static_cast<upsertkit::kafka_connection&>(plain) = source;
  using plain_table = upsertkit::table<orders::Order, upsertkit::no_primary_key>;
  EXPECT_THROW((upsertkit::append_source<plain_table, decltype(handler)>(plain, handler)),
               upsertkit::config_error);
  upsertkit::sink_options sink;
  static_cast<upsertkit::kafka_connection&>(sink) = source;
  EXPECT_THROW(upsertkit::upsert_sink<orders::table>{sink}, upsertkit::config_error);
}

// The prefetch settings (kafka::prefetch_defaults): before librdkafka 2.2 a queue big enough to
// outlast the second librdkafka waits once it is full; from 2.2 the default queue, looked at
// again after 10 ms. A reader's consumer starts from them, and the user's properties win.
TEST(PrefetchDefaults, FollowTheLibrdkafkaVersion) {
  using upsertkit::kafka::prefetch_defaults;
  const std::map<std::string, std::string> big_queue{{"queued.min.messages", "1000000"},
                                                     {"queued.max.messages.kbytes", "262144"}};
  const std::map<std::string, std::string> short_backoff{{"fetch.queue.backoff.ms", "10"}};
  EXPECT_EQ(prefetch_defaults(0x020002ff), big_queue);  // Debian 12's 2.0.2
  EXPECT_EQ(prefetch_defaults(0x020101ff), big_queue);  // 2.1.1
  EXPECT_EQ(prefetch_defaults(0x020200ff), short_backoff);
  EXPECT_EQ(prefetch_defaults(0x020200a0), short_backoff);  // a 2.2.0 pre-release
  EXPECT_EQ(prefetch_defaults(0x021000ff), short_backoff);  // 2.16.0
  // The defaults name settings the running librdkafka knows.
  EXPECT_NO_THROW(upsertkit::kafka::check_client_properties(prefetch_defaults()));
}

TEST(PrefetchDefaults, ReachTheConsumerAndTheUsersPropertiesWin) {
  upsertkit::kafka::embedded_cluster cluster;
  cluster.create_topic("orders", 2);
  auto setting = [](const upsertkit::kafka::topic_reader& reader, const char* name) {
    char value[64];
    std::size_t size = sizeof value;
    if (rd_kafka_conf_get(rd_kafka_conf(reader.handle()), name, value, &size) != RD_KAFKA_CONF_OK)
      return std::string("<unknown>");
    return std::string(value);
  };
  upsertkit::topic_reader_options options;
  options.topic = "orders";
  options.bootstrap_servers = cluster.bootstrap_servers();
  {
    const upsertkit::kafka::topic_reader reader(options);
    for (const auto& [name, value] : upsertkit::kafka::prefetch_defaults())
      EXPECT_EQ(setting(reader, name.c_str()), value) << name;
  }
  // Every default overridden by the user.
  for (const auto& [name, value] : upsertkit::kafka::prefetch_defaults())
    options.properties[name] = name == "fetch.queue.backoff.ms" ? "250" : "5000";
  const upsertkit::kafka::topic_reader reader(options);
  for (const auto& [name, value] : upsertkit::kafka::prefetch_defaults())
    EXPECT_EQ(setting(reader, name.c_str()), options.properties[name]) << name;
}

// librdkafka's log lines reach the handler (not librdkafka's own stderr printing), and an
// empty handler drops them.
TEST(LibrdkafkaLogs, GoToTheHandler) {
  struct captured {
    std::mutex mutex;
    std::vector<std::string> lines;
  } seen;
  upsertkit::kafka::set_log_handler([&seen](const upsertkit::kafka::log_line& line) {
    const std::lock_guard<std::mutex> lock(seen.mutex);
    seen.lines.push_back(std::to_string(line.level) + "|" + std::string(line.facility) + "|" +
                         std::string(line.client) + "|" + std::string(line.message));
  });
  auto count = [&seen] {
    const std::lock_guard<std::mutex> lock(seen.mutex);
    return seen.lines.size();
  };
  auto unreachable = [] {
    upsertkit::kafka::config conf;
    conf.set("bootstrap.servers", "127.0.0.1:1");  // nothing listens there
    conf.set("group.id", "log-test");
    upsertkit::kafka::consumer consumer(std::move(conf));
    EXPECT_THROW(consumer.partition_count("orders", 1500ms), upsertkit::kafka::kafka_error);
  };
  unreachable();
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (count() == 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(20ms);
  {
    const std::lock_guard<std::mutex> lock(seen.mutex);
    ASSERT_FALSE(seen.lines.empty());
    bool named = false;
    for (const std::string& line : seen.lines)
      named = named || (line.find("127.0.0.1:1") != std::string::npos &&
                        line.find("rdkafka#consumer") != std::string::npos);
    EXPECT_TRUE(named) << seen.lines.front();
  }
  upsertkit::kafka::set_log_handler(nullptr);
  const std::size_t before = count();
  unreachable();
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(count(), before) << "lines reached a handler that was taken away";
  upsertkit::kafka::set_log_handler(&upsertkit::kafka::log_to_stderr);
}

}  // namespace
}  // namespace kafka_client_test
