// The seed's Example 2: a plain (append-only) Kafka topic of JSON orders, read with the `kafka`
// connector, written into an upsert-kafka topic (`insert into upsertKafkaSink select * from
// orders`), and the upsert topic read back raw.
//
//   upsertkit-seed-example-2 [--brokers HOST:PORT]
//
// Without --brokers it runs on the embedded Kafka cluster. Both tables come from the seed's
// WITH clauses; only the bootstrap address (and the topic names, which the seed leaves as
// placeholders) differ.
#include <upsertkit/testing/embedded_cluster.hpp>
#include <upsertkit/upsertkit.hpp>

#include <algorithm>
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "orders/orders_table.hpp"
#include "orders/seed_example.hpp"

namespace {

using namespace std::chrono_literals;
using orders_source = upsertkit::table<orders::Order, upsertkit::no_primary_key>;
using sink_type = upsertkit::upsert_sink<orders::table>;

struct raw_record {
  std::int32_t partition;
  std::int64_t offset;
  std::string key;
  std::optional<std::string> value;
};

// The upsert topic as a plain consumer sees it (step 5 of the seed).
std::vector<raw_record> read_raw(const std::string& servers, const std::string& topic) {
  upsertkit::kafka::config conf;
  conf.set("bootstrap.servers", servers);
  conf.set("group.id", "seed-example-2-reader");
  conf.set("enable.partition.eof", "true");
  upsertkit::kafka::consumer consumer(std::move(conf));
  const std::int32_t partitions = consumer.partition_count(topic, 30s);
  consumer.assign_all(topic, partitions, RD_KAFKA_OFFSET_BEGINNING);
  std::vector<raw_record> out;
  std::vector<bool> at_end(static_cast<std::size_t>(partitions), false);
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  while (std::count(at_end.begin(), at_end.end(), false) > 0 &&
         std::chrono::steady_clock::now() < deadline) {
    upsertkit::kafka::message m = consumer.poll(100ms);
    if (!m) continue;
    if (m.error() == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      at_end[static_cast<std::size_t>(m.partition())] = true;
      continue;
    }
    if (m.error() != RD_KAFKA_RESP_ERR_NO_ERROR)
      throw upsertkit::kafka::kafka_error(m.error(), m.error_text(), topic, m.partition());
    out.push_back({m.partition(), m.offset(), std::string(m.key().value_or("")),
                   m.value() ? std::optional<std::string>(*m.value()) : std::nullopt});
  }
  std::sort(out.begin(), out.end(), [](const raw_record& a, const raw_record& b) {
    return std::tie(a.partition, a.offset) < std::tie(b.partition, b.offset);
  });
  return out;
}

int run(const std::string& servers) {
  // The seed's two tables, as written (bootstrap servers and topic names filled in).
  const upsertkit::option_map orders_with = {{"connector", "kafka"},
                                             {"topic", "seed-example-2-orders"},
                                             {"properties.bootstrap.servers", servers},
                                             {"properties.group.id", "GroupId"},
                                             {"scan.startup.mode", "latest-offset"},
                                             {"format", "json"}};
  const upsertkit::option_map sink_with = {{"connector", "upsert-kafka"},
                                           {"topic", "seed-example-2-upsert"},
                                           {"properties.bootstrap.servers", servers},
                                           {"key.format", "csv"},
                                           {"value.format", "json"}};
  upsertkit::append_source_options source_options =
      upsertkit::parse_kafka_options(orders_with).source;
  const upsertkit::sink_options sink_options =
      upsertkit::parse_upsert_kafka_options(sink_with).to_sink_options();

  // insert into upsertKafkaSink select * from orders: the sink is the source's handler.
  sink_type sink(sink_options);
  upsertkit::append_source<orders_source, sink_type&> orders(source_options, sink);

  // latest-offset: wait until the group gave us the partitions and their end is known, then
  // send the seed's three records (step 4).
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  auto ready = [&] {
    const auto progress = orders.progress();
    return std::all_of(progress.begin(), progress.end(),
                       [](const auto& p) { return p.assigned && p.next_offset >= 0; });
  };
  while (!ready() && std::chrono::steady_clock::now() < deadline)
    orders.poll(100ms);
  if (!ready()) throw upsertkit::error("the source was not assigned its partitions in time");
  {
    upsertkit::kafka::config conf;
    conf.set("bootstrap.servers", servers);
    upsertkit::kafka::producer producer(std::move(conf));
    for (const auto& record : orders::seed::records)
      producer.produce(source_options.topic, 0, std::nullopt, record.second);
    producer.flush(30s);
  }
  while (orders.rows() < orders::seed::records.size() &&
         std::chrono::steady_clock::now() < deadline)
    orders.poll(100ms);
  sink.flush(30s);
  orders.close();

  for (const raw_record& r : read_raw(servers, sink_options.topic))
    std::printf("partition %d  key %s  value %s\n", r.partition, r.key.c_str(),
                r.value ? r.value->c_str() : "null");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    std::optional<std::string> brokers;
    for (int i = 1; i < argc; ++i) {
      const std::string flag = argv[i];
      if (flag == "--brokers" && i + 1 < argc) {
        brokers = argv[++i];
      } else {
        std::fprintf(stderr, "usage: upsertkit-seed-example-2 [--brokers HOST:PORT]\n");
        return 2;
      }
    }
    if (brokers) {
      upsertkit::kafka::config conf;
      conf.set("bootstrap.servers", *brokers);
      upsertkit::kafka::producer admin(std::move(conf));
      upsertkit::kafka::create_topic(admin.get(), "seed-example-2-orders", 1, {}, 30s);
      upsertkit::kafka::create_topic(admin.get(), "seed-example-2-upsert", 3, {}, 30s);
      return run(*brokers);
    }
    upsertkit::kafka::embedded_cluster cluster;
    cluster.create_topic("seed-example-2-orders", 1);
    cluster.create_topic("seed-example-2-upsert", 3);
    return run(cluster.bootstrap_servers());
  } catch (const upsertkit::error& e) {
    std::fprintf(stderr, "upsertkit-seed-example-2: %s\n", e.what());
    return 1;
  }
}
