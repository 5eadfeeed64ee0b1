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
//
// As a source's handler the sink is the source's durability point (durability.hpp): before
// the source commits, flush() writes the buffer and waits for every delivery report, so no
// offset is committed for a change that is not in Kafka; under exactly-once the source's
// offsets go into the sink's transaction instead (commit_transaction), so a read_committed
// consumer sees each change once whatever crashes.
//
// `sink.delivery-guarantee`:
//   none           no idempotence, acks=1: fastest; a broker failure can lose or duplicate
//   at-least-once  idempotent producer, acks=all (the default): nothing acknowledged is lost,
//                  and retries within a producer session write no duplicates
//   exactly-once   a Kafka transaction per flush() (or per commit of the source it serves): a
//                  read_committed consumer sees everything written between two flushes, or
//                  none of it
// The record timestamp and headers are writable, as the reference's `timestamp` and `headers`
// metadata columns are.
#ifndef UPSERTKIT_SINK_HPP
#define UPSERTKIT_SINK_HPP

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "config/sink_options.hpp"
#include "formats/format.hpp"
#include "kafka/client.hpp"
#include "partitioner.hpp"
#include "pipeline.hpp"
#include "row_kind.hpp"

namespace upsertkit {

/// The writable metadata of one record (the reference's `timestamp` and `headers` columns).
struct write_metadata {
  std::int64_t timestamp_ms = 0;  // 0: the producer stamps the record (CreateTime, now)
  const header* headers = nullptr;
  std::size_t header_count = 0;
};

#include "formats/simd_namespace.ipp"

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
    if (transactional()) {
      producer_.init_transactions(options_.transaction_timeout);
      producer_.begin_transaction();
    }
  }

  upsert_sink(const upsert_sink&) = delete;
  upsert_sink& operator=(const upsert_sink&) = delete;

  /// Flushes what is buffered and waits for delivery (commits the open transaction);
  /// errors are swallowed here: call close() to see them.
  ~upsert_sink() {
    if (closed_) return;
    try {
      close(std::chrono::seconds(30));
    } catch (...) {
    }
  }

  /// Takes one change. A sink is a change handler: it can be the materializer's Handler.
  void operator()(const change<row_type>& c) { write(c.kind, c.row); }

  void write(row_kind kind, const row_type& row, const write_metadata& metadata = {}) {
    if (kind == row_kind::update_before) return;  // upsert-kafka writes no -U
    key_bytes_.clear();
    key_.encode(row, key_bytes_);
    const bool tombstone = kind == row_kind::delete_;
    if (!tombstone) {
      value_bytes_.clear();
      value_.encode(row, value_bytes_);
    }
    if (!buffered_) {
      send(key_bytes_, tombstone ? std::nullopt : std::optional<std::string_view>(value_bytes_),
           metadata.timestamp_ms, metadata.headers, metadata.header_count);
      return;
    }
    // ReducingUpsertWriter: last change per key wins, with its own timestamp and headers;
    // flushed at max-rows distinct keys.
    auto it = buffer_.find(key_bytes_);
    if (it == buffer_.end()) it = insert_key(key_bytes_);
    buffered_change& slot = it->second;
    slot.tombstone = tombstone;
    if (!tombstone) slot.value.assign(value_bytes_);  // keeps the capacity of a reused node
    slot.timestamp_ms = metadata.timestamp_ms;
    slot.header_keys.clear();
    slot.header_values.clear();
    for (std::size_t i = 0; i < metadata.header_count; ++i) {
      slot.header_keys.emplace_back(metadata.headers[i].key);
      slot.header_values.emplace_back(metadata.headers[i].value);
    }
    if (buffer_.size() >= options_.buffer_flush_max_rows) flush_buffer();
    flush_if_due();
  }

  /// Serves delivery reports and the flush interval. Call it from the loop that writes.
  void poll() {
    producer_.poll(std::chrono::milliseconds(0));
    flush_if_due();
  }

  /// Writes the buffer and waits until every record is delivered; under exactly-once, commits
  /// the transaction and opens the next. Throws kafka_error if a record failed to deliver or
  /// the timeout passed (under exactly-once the transaction is then aborted: nothing since
  /// the last successful flush is visible to read_committed consumers).
  void flush(std::chrono::milliseconds timeout) {
    flush_buffer();
    if (transactional()) {
      try {
        producer_.commit_transaction(timeout);
      } catch (...) {
        abort_after_failure(timeout);
        throw;
      }
      check_deliveries();
      producer_.begin_transaction();
      return;
    }
    producer_.flush(timeout);
    check_deliveries();
  }

  /// flush(timeout) with `sink_options::flush_timeout`: the durability point a source calls
  /// before it commits (durability.hpp).
  void flush() { flush(options_.flush_timeout); }

  /// True under exactly-once: writes go into Kafka transactions.
  bool transactional() const noexcept {
    return options_.guarantee == delivery_guarantee::exactly_once;
  }

  /// Exactly-once, for a source → sink pipe: writes the buffer, adds the source's `offsets` to
  /// the open transaction, commits it (with `transaction_timeout`) and opens the next, so the
  /// changes and the progress of the input that produced them become visible together. Throws
  /// (having aborted the transaction) when it cannot commit: then neither is visible. Do not
  /// call flush() on a sink that serves a source this way: it would commit the transaction
  /// without the source's offsets.
  void commit_transaction(const kafka::consumed_offsets& offsets) {
    if (!transactional())
      throw config_error("commit_transaction() needs sink.delivery-guarantee = exactly-once");
    flush_buffer();
    try {
      if (!offsets.empty() && offsets.group() != nullptr)
        producer_.send_offsets_to_transaction(offsets.list(), offsets.group(),
                                              options_.transaction_timeout);
      producer_.commit_transaction(options_.transaction_timeout);
    } catch (...) {
      abort_after_failure(options_.transaction_timeout);
      throw;
    }
    check_deliveries();
    producer_.begin_transaction();
  }

  /// abort(timeout) with `transaction_timeout`: what a source calls when it stops on an error
  /// or loses its partitions.
  void abort_transaction() { abort(options_.transaction_timeout); }

  /// Drops the changes the reducing buffer holds, unwritten. What a source calls when the group
  /// took its partitions away without letting it commit (durability.hpp): their new owner
  /// writes those changes again and then newer ones, which these must not overwrite later.
  /// Records already handed to the producer cannot be called back.
  void discard_buffer() {
    while (!buffer_.empty())
      spare_nodes_.push_back(buffer_.extract(buffer_.begin()));
  }

  /// Exactly-once: drops the buffer and aborts the open transaction (read_committed consumers
  /// never see its records), then opens the next.
  void abort(std::chrono::milliseconds timeout) {
    if (!transactional())
      throw config_error("abort() needs sink.delivery-guarantee = exactly-once");
    buffer_.clear();
    // Let what is in flight land (inside the transaction, so it stays invisible) before the
    // abort: librdkafka 2.0 can send the abort while a partition is still being added to the
    // transaction, which the broker refuses with INVALID_TXN_STATE.
    try {
      producer_.flush(timeout);
    } catch (const kafka::kafka_error&) {
      // A timeout here is the abort's to report.
    }
    producer_.abort_transaction(timeout);
    producer_.begin_transaction();
  }

  /// flush(), then no more writes are expected.
  void close(std::chrono::milliseconds timeout) {
    flush_buffer();
    closed_ = true;
    if (transactional()) {
      try {
        producer_.commit_transaction(timeout);
      } catch (...) {
        abort_after_failure(timeout);
        throw;
      }
      check_deliveries();
      return;
    }
    producer_.flush(timeout);
    check_deliveries();
  }

  std::int32_t partition_count() const noexcept { return partitions_; }
  std::size_t buffered_keys() const noexcept { return buffer_.size(); }
  std::uint64_t records_sent() const noexcept { return records_sent_; }
  std::uint64_t failed_deliveries() const noexcept { return failed_deliveries_; }

 private:
  void check_deliveries() {
    if (failed_deliveries_ > 0)
      throw kafka::kafka_error(first_failure_,
                               std::to_string(failed_deliveries_) + " record(s) failed to deliver",
                               options_.topic);
  }

  void abort_after_failure(std::chrono::milliseconds timeout) noexcept {
    try {
      producer_.abort_transaction(timeout);
      if (!closed_) producer_.begin_transaction();
    } catch (...) {
      // A fatal producer error: the sink cannot go on, the caller sees the first error.
    }
  }

  static kafka::config make_config(const sink_options& options, upsert_sink* self) {
    kafka::check_bootstrap_servers(options.bootstrap_servers, options.properties);
    kafka::check_client_properties(options.properties);
    kafka::config conf;
    conf.set("bootstrap.servers", options.bootstrap_servers);
    switch (options.guarantee) {
      case delivery_guarantee::none:
        conf.set("enable.idempotence", "false");
        conf.set("acks", "1");
        break;
      case delivery_guarantee::at_least_once:
        // No reordering or duplicates on retries within the producer session.
        conf.set("enable.idempotence", "true");
        conf.set("acks", "all");
        break;
      case delivery_guarantee::exactly_once:
        if (options.transactional_id_prefix.empty())
          throw config_error(
              "sink.transactional-id-prefix must be specified when using "
              "DeliveryGuarantee.EXACTLY_ONCE.");
        // One producer per sink: the id is the prefix and the sink's subtask, so a restarted
        // sink fences its predecessor's open transaction, and no other sink's.
        if (options.subtask < 0)
          throw config_error("topic '" + options.topic + "': a sink's subtask is never negative");
        conf.set("transactional.id",
                 options.transactional_id_prefix + "-" + std::to_string(options.subtask));
        conf.set("enable.idempotence", "true");
        conf.set("acks", "all");
        break;
    }
    // A misspelt topic is an error naming it, not a new topic with the broker's default
    // partition count (librdkafka's producer would ask the broker to create it);
    // `properties.allow.auto.create.topics = true` restores that.
    conf.set("allow.auto.create.topics", "false");
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

  void send(std::string_view key, std::optional<std::string_view> value, std::int64_t timestamp_ms,
            const header* headers, std::size_t header_count) {
    const std::int32_t partition = partition_for_key(key, partitions_);
    producer_.produce(options_.topic, partition, key, value, timestamp_ms, headers, header_count);
    // Delivery reports are served every so many records even when the caller never polls:
    // each one holds its record's copy until served. Not on every record: a poll takes
    // librdkafka's queue lock.
    if (++records_sent_ % delivery_poll_interval == 0) producer_.poll(std::chrono::milliseconds(0));
  }

  static constexpr std::uint64_t delivery_poll_interval = 1024;

  void flush_if_due() {
    if (buffered_ && !buffer_.empty() &&
        std::chrono::steady_clock::now() - last_flush_ >= options_.buffer_flush_interval)
      flush_buffer();
  }

  void flush_buffer() {
    for (const auto& [key, change] : buffer_) {
      headers_.clear();
      for (std::size_t i = 0; i < change.header_keys.size(); ++i) {
        header h;
        h.key = change.header_keys[i];
        if (change.header_values[i]) h.value = *change.header_values[i];
        headers_.push_back(h);
      }
      send(key, change.tombstone ? std::nullopt : std::optional<std::string_view>(change.value),
           change.timestamp_ms, headers_.data(), headers_.size());
    }
    // The map's nodes, with their strings' capacity, serve the next keys: no allocation per
    // buffered record once the buffer has been full (at most max-rows nodes are kept).
    while (!buffer_.empty())
      spare_nodes_.push_back(buffer_.extract(buffer_.begin()));
    last_flush_ = std::chrono::steady_clock::now();
  }

  struct buffered_change {
    std::string value;
    bool tombstone = false;
    std::int64_t timestamp_ms = 0;
    std::vector<std::string> header_keys;
    std::vector<std::optional<std::string>> header_values;
  };

  sink_options options_;
  table_projections<Table> projections_;
  any_codec<Table> key_;
  any_codec<Table> value_;
  kafka::producer producer_;
  std::int32_t partitions_ = 0;
  bool buffered_ = false;
  using change_buffer = std::unordered_map<std::string, buffered_change>;

  typename change_buffer::iterator insert_key(const std::string& key) {
    if (spare_nodes_.empty()) return buffer_.emplace(key, buffered_change{}).first;
    typename change_buffer::node_type node = std::move(spare_nodes_.back());
    spare_nodes_.pop_back();
    node.key().assign(key);
    return buffer_.insert(std::move(node)).position;
  }

  change_buffer buffer_;  // key bytes -> last change
  std::vector<typename change_buffer::node_type> spare_nodes_;
  std::vector<header> headers_;
  bool closed_ = false;
  std::chrono::steady_clock::time_point last_flush_;
  std::string key_bytes_;
  std::string value_bytes_;
  std::uint64_t records_sent_ = 0;
  std::uint64_t failed_deliveries_ = 0;
  rd_kafka_resp_err_t first_failure_ = RD_KAFKA_RESP_ERR_NO_ERROR;
};

}  // inline namespace simd_...

}  // namespace upsertkit

#endif  // UPSERTKIT_SINK_HPP
