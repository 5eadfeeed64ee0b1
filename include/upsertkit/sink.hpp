// upsertkit: the upsert-kafka sink: a changelog in, Kafka records out.
//
//   +I, +U  -> a record with key and value
//   -D      -> a tombstone (the key, a null value)
//   -U      -> nothing
//
// Key bytes are the PRIMARY KEY columns in PRIMARY KEY order, encoded by the key format, and
// the partition is Kafka's Java default partitioner on those bytes (murmur2), so a key lands
// where Kafka's Java producer would put it. With `sink.buffer-flush.max-rows` and
// `sink.buffer-flush.interval` both set, Flink's ReducingUpsertWriter is reproduced: the last
// change per key is kept and the buffer is written when it holds max-rows distinct keys, when
// the interval has passed, on flush() and on close.
//
// Delivery reports are checked: flush() throws if any record failed to deliver.
#ifndef UPSERTKIT_SINK_HPP
#define UPSERTKIT_SINK_HPP

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

#include "formats/format.hpp"
#include "kafka/client.hpp"
#include "partitioner.hpp"
#include "pipeline.hpp"
#include "row_kind.hpp"

namespace upsertkit {

struct sink_options {
  std::string topic;
  std::string bootstrap_servers;                       // `properties.bootstrap.servers`
  format_config formats;                               // key/value formats and layout
  std::map<std::string, std::string> properties;       // other `properties.*`, prefix stripped
  std::size_t buffer_flush_max_rows = 0;               // `sink.buffer-flush.max-rows`
  std::chrono::milliseconds buffer_flush_interval{0};  // `sink.buffer-flush.interval`
  std::chrono::milliseconds metadata_timeout{10000};
};

template <class Table>
class upsert_sink {
 public:
  using row_type = typename Table::row_type;

  explicit upsert_sink(sink_options options)
      : options_(std::move(options)),
        projections_(options_.formats.layout),
        key_(options_.formats.key_format, projections_.key, options_.formats.key_options,
             json::role::key),
        value_(options_.formats.value_format, projections_.value, options_.formats.value_options,
               json::role::value),
        producer_(make_config(options_, this)) {
    const bool max_rows = options_.buffer_flush_max_rows > 0;
    const bool interval = options_.buffer_flush_interval.count() > 0;
    if (max_rows != interval)
      throw config_error(
          "'sink.buffer-flush.max-rows' and 'sink.buffer-flush.interval' must be set to be "
          "greater than zero together to enable sink buffer flushing.");
    buffered_ = max_rows && interval;
    partitions_ = producer_.partition_count(options_.topic, options_.metadata_timeout);
    last_flush_ = std::chrono::steady_clock::now();
  }

  upsert_sink(const upsert_sink&) = delete;
  upsert_sink& operator=(const upsert_sink&) = delete;

  /// Flushes what is buffered and waits for delivery; errors are swallowed here (call close()
  /// to see them).
  ~upsert_sink() {
    try {
      close(std::chrono::seconds(30));
    } catch (...) {
    }
  }

  /// Takes one change. A sink is a change handler: it can be the materializer's Handler.
  void operator()(const change<row_type>& c) { write(c.kind, c.row); }

  void write(row_kind kind, const row_type& row) {
    if (kind == row_kind::update_before) return;  // upsert-kafka writes no -U
    key_bytes_.clear();
    key_.encode(row, key_bytes_);
    const bool tombstone = kind == row_kind::delete_;
    if (!tombstone) {
      value_bytes_.clear();
      value_.encode(row, value_bytes_);
    }
    if (!buffered_) {
      send(key_bytes_, tombstone ? std::nullopt : std::optional<std::string_view>(value_bytes_));
      return;
    }
    // ReducingUpsertWriter: last change per key wins; flushed at max-rows distinct keys.
    auto& slot = buffer_[key_bytes_];
    if (tombstone)
      slot.reset();
    else
      slot = value_bytes_;
    if (buffer_.size() >= options_.buffer_flush_max_rows) flush_buffer();
    poll();
  }

  /// Serves delivery reports and the flush interval. Call it from the loop that writes.
  void poll() {
    producer_.poll(std::chrono::milliseconds(0));
    if (buffered_ && !buffer_.empty() &&
        std::chrono::steady_clock::now() - last_flush_ >= options_.buffer_flush_interval)
      flush_buffer();
  }

  /// Writes the buffer and waits until every record is delivered. Throws kafka_error if a
  /// record failed to deliver or the timeout passed.
  void flush(std::chrono::milliseconds timeout) {
    flush_buffer();
    producer_.flush(timeout);
    if (failed_deliveries_ > 0)
      throw kafka::kafka_error(first_failure_,
                               std::to_string(failed_deliveries_) + " record(s) failed to deliver",
                               options_.topic);
  }

  /// flush(), then no more writes are expected.
  void close(std::chrono::milliseconds timeout) { flush(timeout); }

  std::int32_t partition_count() const noexcept { return partitions_; }
  std::size_t buffered_keys() const noexcept { return buffer_.size(); }
  std::uint64_t records_sent() const noexcept { return records_sent_; }
  std::uint64_t failed_deliveries() const noexcept { return failed_deliveries_; }

 private:
  static kafka::config make_config(const sink_options& options, upsert_sink* self) {
    kafka::config conf;
    conf.set("bootstrap.servers", options.bootstrap_servers);
    // at-least-once: no reordering or duplicates on retries within the producer session.
    conf.set("enable.idempotence", "true");
    conf.set("acks", "all");
    for (const auto& [key, value] : options.properties)
      conf.set(key, value);
    conf.on_delivery(&upsert_sink::on_delivery, self);
    return conf;
  }

  static void on_delivery(rd_kafka_t*, const rd_kafka_message_t* m, void* opaque) {
    auto* self = static_cast<upsert_sink*>(opaque);
    if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR) return;
    if (self->failed_deliveries_++ == 0) self->first_failure_ = m->err;
  }

  void send(std::string_view key, std::optional<std::string_view> value) {
    const std::int32_t partition = partition_for_key(key, partitions_);
    producer_.produce(options_.topic, partition, key, value);
    ++records_sent_;
  }

  void flush_buffer() {
    for (const auto& [key, value] : buffer_)
      send(key, value ? std::optional<std::string_view>(*value) : std::nullopt);
    buffer_.clear();
    last_flush_ = std::chrono::steady_clock::now();
  }

  sink_options options_;
  table_projections<Table> projections_;
  any_codec<Table> key_;
  any_codec<Table> value_;
  kafka::producer producer_;
  std::int32_t partitions_ = 0;
  bool buffered_ = false;
  std::unordered_map<std::string, std::optional<std::string>> buffer_;  // key -> value or tombstone
  std::chrono::steady_clock::time_point last_flush_;
  std::string key_bytes_;
  std::string value_bytes_;
  std::uint64_t records_sent_ = 0;
  std::uint64_t failed_deliveries_ = 0;
  rd_kafka_resp_err_t first_failure_ = RD_KAFKA_RESP_ERR_NO_ERROR;
};

}  // namespace upsertkit

#endif  // UPSERTKIT_SINK_HPP
