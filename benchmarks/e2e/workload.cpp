// The end-to-end benchmark's workload: writes the seed's orders as an upsert topic (CSV keys,
// JSON values, null values as tombstones) and the changelog it must give (--expect).
//
//   upsertkit_e2e_workload --brokers B --topic T [--records 2000000] [--keys 200000]
//       [--partitions 4] [--seed 42] [--mix 80,10,5,5] --expect FILE.json [--recreate]
//       [--properties K=V ...]
//
// Keys go to the partition Kafka's Java producer would pick (murmur2), so a Java producer
// writing the same keys would place them alike. The mix is e2e::workload_model's.
#include <cstdio>
#include <exception>

#include "e2e_common.hpp"

namespace {

using namespace std::chrono_literals;

struct delivery_state {
  std::uint64_t delivered = 0;
  std::uint64_t failed = 0;
  rd_kafka_resp_err_t first = RD_KAFKA_RESP_ERR_NO_ERROR;
};

void on_delivery(rd_kafka_t*, const rd_kafka_message_t* m, void* opaque) {
  auto* state = static_cast<delivery_state*>(opaque);
  if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
    ++state->delivered;
  } else if (state->failed++ == 0) {
    state->first = m->err;
  }
}

int run(const e2e::args& a) {
  const std::string brokers = a.required("brokers");
  const std::string topic = a.required("topic");
  const std::string expect_path = a.required("expect");
  const auto partitions = static_cast<std::int32_t>(a.number("partitions", 4));
  const e2e::workload_params params = e2e::workload_params::from(a);

  delivery_state deliveries;
  upsertkit::kafka::config conf;
  conf.set("bootstrap.servers", brokers);
  for (const auto& [k, v] : e2e::producer_properties())
    conf.set(k, v);
  for (const auto& [k, v] : a.properties())
    conf.set(k, v);
  conf.on_delivery(&on_delivery, &deliveries);
  upsertkit::kafka::producer producer(std::move(conf));

  if (const std::int32_t existing = e2e::existing_partitions(producer.get(), topic)) {
    if (!a.flag("recreate"))
      throw std::runtime_error("topic " + topic + " exists (" + std::to_string(existing) +
                               " partitions): pass --recreate to delete and write it again");
    e2e::delete_topic(producer.get(), topic);
  }
  // cleanup.policy=delete: a log cleaner running between two contenders would let them read
  // different records; an upsert topic in production would be compacted.
  upsertkit::kafka::create_topic(producer.get(), topic, partitions, {{"cleanup.policy", "delete"}},
                                 30s);
  if (producer.partition_count(topic, 30s) != partitions)
    throw std::runtime_error("topic " + topic + " does not have " + std::to_string(partitions) +
                             " partitions");

  const e2e::window timing;
  std::uint64_t produced = 0;
  e2e::workload_model model(params);
  const e2e::counts c =
      model.run([&](e2e::effect, std::string_view key, std::optional<std::string_view> value,
                    const auto*, const auto*) {
        producer.produce(topic, upsertkit::partition_for_key(key, partitions), key, value);
        if (++produced % 1024 == 0) producer.poll(0ms);
      });
  producer.flush(10min);
  if (deliveries.failed > 0 || deliveries.delivered != produced)
    throw upsertkit::kafka::kafka_error(
        deliveries.first,
        std::to_string(deliveries.failed) + " of " + std::to_string(produced) +
            " records failed to deliver (" + std::to_string(deliveries.delivered) + " delivered)",
        topic);
  const double seconds = timing.seconds();

  std::FILE* out = std::fopen(expect_path.c_str(), "w");
  if (out == nullptr) throw std::runtime_error("cannot write " + expect_path);
  std::fprintf(
      out,
      "{\"records\":%llu,\"bytes\":%llu,\"inserts\":%llu,\"update_befores\":%llu,"
      "\"update_afters\":%llu,\"deletes\":%llu,\"unchanged\":%llu,\"live_keys\":%llu,"
      "\"keys\":%llu,\"partitions\":%d,\"seed\":%llu,\"mix\":\"%u,%u,%u,%u\"}\n",
      static_cast<unsigned long long>(c.records), static_cast<unsigned long long>(c.bytes),
      static_cast<unsigned long long>(c.inserts), static_cast<unsigned long long>(c.update_befores),
      static_cast<unsigned long long>(c.update_afters), static_cast<unsigned long long>(c.deletes),
      static_cast<unsigned long long>(c.unchanged),
      static_cast<unsigned long long>(model.live_keys()),
      static_cast<unsigned long long>(params.keys), partitions,
      static_cast<unsigned long long>(params.seed), params.update, params.repeat, params.tombstone,
      params.fresh);
  if (std::fclose(out) != 0) throw std::runtime_error("cannot write " + expect_path);
  std::fprintf(stderr,
               "upsertkit_e2e_workload: %llu records (%llu bytes) into %s in %.1f s; expect: %llu "
               "+I, %llu -U, %llu +U, %llu -D, %llu unchanged, %llu live keys\n",
               static_cast<unsigned long long>(c.records), static_cast<unsigned long long>(c.bytes),
               topic.c_str(), seconds, static_cast<unsigned long long>(c.inserts),
               static_cast<unsigned long long>(c.update_befores),
               static_cast<unsigned long long>(c.update_afters),
               static_cast<unsigned long long>(c.deletes),
               static_cast<unsigned long long>(c.unchanged),
               static_cast<unsigned long long>(model.live_keys()));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  return e2e::guarded_main("upsertkit_e2e_workload",
                           "--brokers B --topic T --expect FILE [--records N] [--keys K] "
                           "[--partitions P] [--seed S] [--mix U,R,T,N] [--recreate] "
                           "[--properties K=V]...",
                           [&] { return run(e2e::args(argc, argv)); });
}
