// The end-to-end benchmark's producing contenders: the same changelog written to an upsert
// topic three ways, then one JSON result line (the contract of docs/performance.md).
//
//   upsertkit_e2e_produce --mode raw|sink|sink-buffered --brokers B --topic OUT
//       [--records N --keys K --seed S --mix U,R,T,N] [--partitions 4] [--drop-topic]
//       [--properties K=V ...]
//
// Untimed setup: the workload generator's model runs again with the same parameters, which
// gives the changelog the upsert source emits for the workload topic (+I, -U/+U, -D; identical
// repeats give nothing). Timed, from creating the producer to the last acknowledgement:
//   raw            librdkafka's producer (the thin client's produce, as the sink's) writing
//                  the key/value bytes the sink writes for that changelog, encoded and
//                  partitioned in the setup: the ceiling
//   sink           upsertkit::upsert_sink, one change at a time (encoding and murmur2 included)
//   sink-buffered  the same with the reducing buffer (sink.buffer-flush.max-rows 1000,
//                  sink.buffer-flush.interval 1 s, as in the seed): "written" says how many
//                  records it actually wrote
// `records`/`bytes` are the changelog's records to write (+I, +U, -D) and their key+value
// bytes, the same for the three modes, so records/s compare alike. All three use
// e2e::producer_properties() (acks=all, idempotence: the sink's at-least-once).
#include <cstdio>
#include <cstring>
#include <exception>
#include <memory>

#include "e2e_common.hpp"

namespace {

using namespace std::chrono_literals;

// Stable storage for the bytes the setup keeps: views into it never move.
class arena {
 public:
  std::string_view copy(std::string_view bytes) {
    if (chunks_.empty() || used_ + bytes.size() > chunk_size) {
      chunks_.push_back(std::make_unique<char[]>(std::max(chunk_size, bytes.size())));
      used_ = 0;
    }
    char* at = chunks_.back().get() + used_;
    if (!bytes.empty()) std::memcpy(at, bytes.data(), bytes.size());
    used_ += bytes.size();
    return {at, bytes.size()};
  }
  std::optional<std::string_view> copy(std::optional<std::string_view> bytes) {
    if (!bytes) return std::nullopt;
    return copy(*bytes);
  }

 private:
  static constexpr std::size_t chunk_size = std::size_t{64} << 20;
  std::vector<std::unique_ptr<char[]>> chunks_;
  std::size_t used_ = 0;
};

struct raw_record {
  std::string_view key;
  std::optional<std::string_view> value;
  std::int32_t partition;
};

struct change_row {
  upsertkit::row_kind kind;
  std::uint32_t row;  // index into the rows
};

void prepare_topic(const e2e::args& a, const std::string& topic, std::int32_t partitions) {
  upsertkit::kafka::config conf;
  conf.set("bootstrap.servers", a.required("brokers"));
  upsertkit::kafka::producer admin(std::move(conf));
  if (e2e::existing_partitions(admin.get(), topic) > 0) {
    if (!a.flag("recreate")) return;
    e2e::delete_topic(admin.get(), topic);
  }
  upsertkit::kafka::create_topic(admin.get(), topic, partitions, {{"cleanup.policy", "delete"}},
                                 30s);
  admin.partition_count(topic, 30s);
}

void drop_topic(const e2e::args& a, const std::string& topic) {
  upsertkit::kafka::config conf;
  conf.set("bootstrap.servers", a.required("brokers"));
  upsertkit::kafka::producer admin(std::move(conf));
  e2e::delete_topic(admin.get(), topic);
}

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
  const std::string mode = a.get("mode");
  if (mode != "raw" && mode != "sink" && mode != "sink-buffered")
    throw std::invalid_argument("--mode must be raw, sink or sink-buffered");
  const std::string brokers = a.required("brokers");
  const std::string topic = a.required("topic");
  const auto partitions = static_cast<std::int32_t>(a.number("partitions", 4));
  const e2e::workload_params params = e2e::workload_params::from(a);
  std::map<std::string, std::string> properties = e2e::producer_properties();
  for (const auto& [k, v] : a.properties())
    properties[k] = v;

  // ---- untimed setup: the changelog, as the raw records or as rows
  arena bytes;
  std::vector<raw_record> records;
  std::vector<orders::Order> rows;
  std::vector<change_row> changes;
  e2e::counts c;
  auto keep_row = [&](const orders::Order& r) {
    orders::Order copy;
    copy.order_id = bytes.copy(r.order_id);
    copy.order_channel = bytes.copy(r.order_channel);
    copy.order_time = bytes.copy(r.order_time);
    copy.pay_amount = r.pay_amount;
    copy.real_pay = r.real_pay;
    copy.pay_time = bytes.copy(r.pay_time);
    copy.user_id = bytes.copy(r.user_id);
    copy.user_name = bytes.copy(r.user_name);
    copy.area_id = bytes.copy(r.area_id);
    rows.push_back(copy);
    return static_cast<std::uint32_t>(rows.size() - 1);
  };
  e2e::workload_model model(params);
  model.run([&](e2e::effect e, std::string_view key, std::optional<std::string_view> value,
                const orders::Order* before, const orders::Order* after) {
    if (e == e2e::effect::unchanged) return;  // ChangelogNormalize emits nothing
    ++c.records;
    c.bytes += key.size() + (value ? value->size() : 0);
    switch (e) {
      case e2e::effect::insert:
        ++c.inserts;
        break;
      case e2e::effect::update:
        ++c.update_befores;
        ++c.update_afters;
        break;
      case e2e::effect::remove:
        ++c.deletes;
        break;
      case e2e::effect::unchanged:
        break;
    }
    if (mode == "raw") {
      // What the sink writes: -U nothing, +I/+U the row's key and value, -D a tombstone.
      records.push_back(
          {bytes.copy(key), bytes.copy(value), upsertkit::partition_for_key(key, partitions)});
      return;
    }
    switch (e) {
      case e2e::effect::insert:
        changes.push_back({upsertkit::row_kind::insert, keep_row(*after)});
        break;
      case e2e::effect::update: {
        // The sink drops -U without reading its row: the +U's row stands in for it, which
        // spares keeping every previous row in memory.
        const std::uint32_t row = keep_row(*after);
        changes.push_back({upsertkit::row_kind::update_before, row});
        changes.push_back({upsertkit::row_kind::update_after, row});
        break;
      }
      case e2e::effect::remove:
        changes.push_back({upsertkit::row_kind::delete_, keep_row(*before)});
        break;
      case e2e::effect::unchanged:
        break;
    }
  });
  prepare_topic(a, topic, partitions);
  // What the setup holds (the changelog in memory), so the report can tell it from the peak.
  const std::uint64_t setup_rss_kb = e2e::rss_kb();

  // ---- timed
  std::uint64_t written = 0;
  double seconds = 0;
  double cpu = 0;
  if (mode == "raw") {
    delivery_state deliveries;
    const e2e::window timing;
    upsertkit::kafka::config conf;
    conf.set("bootstrap.servers", brokers);
    for (const auto& [k, v] : properties)
      conf.set(k, v);
    conf.on_delivery(&on_delivery, &deliveries);
    upsertkit::kafka::producer producer(std::move(conf));
    for (const raw_record& r : records) {
      producer.produce(topic, r.partition, r.key, r.value);
      if (++written % 1024 == 0) producer.poll(0ms);
    }
    producer.flush(10min);
    seconds = timing.seconds();
    cpu = timing.cpu_seconds();
    if (deliveries.failed > 0 || deliveries.delivered != written)
      throw upsertkit::kafka::kafka_error(
          deliveries.first, std::to_string(deliveries.failed) + " record(s) failed to deliver",
          topic);
  } else {
    const e2e::window timing;
    upsertkit::sink_options options;
    options.topic = topic;
    options.bootstrap_servers = brokers;
    options.properties = properties;
    if (mode == "sink-buffered") {
      options.buffer_flush_max_rows = 1000;                             // as in the seed
      options.buffer_flush_interval = std::chrono::milliseconds(1000);  // 1 s
    }
    upsertkit::upsert_sink<orders::table> sink(options);
    for (const change_row& change : changes)
      sink.write(change.kind, rows[change.row]);
    sink.close(10min);  // the buffer, then every acknowledgement; throws on a failed delivery
    seconds = timing.seconds();
    cpu = timing.cpu_seconds();
    written = sink.records_sent();
  }
  if (a.flag("drop-topic")) drop_topic(a, topic);
  e2e::print_result(mode == "raw" ? "raw-produce" : mode, c, seconds, cpu,
                    ",\"written\":" + std::to_string(written) +
                        ",\"setup_rss_kb\":" + std::to_string(setup_rss_kb));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  return e2e::guarded_main("upsertkit_e2e_produce",
                           "--mode raw|sink|sink-buffered --brokers B --topic OUT [--records N "
                           "--keys K --seed S --mix U,R,T,N] [--partitions P] [--recreate] "
                           "[--drop-topic] [--properties K=V]...",
                           [&] { return run(e2e::args(argc, argv)); });
}
