// upsertkit: the upsert-kafka source: a Kafka topic in, the table's changelog out.
//
// Reads every partition from the earliest offset (the reference's rule: "always use earliest
// to keep data integrity"), decodes each record in place from librdkafka's buffer, and feeds
// the per-partition materializer, whose handler receives each change with the record's
// metadata. The user drives the loop: no thread besides librdkafka's own.
//
// This first version assigns all partitions itself (no consumer group, no offset commits) and
// offers a bounded read of what the topic holds now; group membership, commits and rebuild on
// rebalance come with the rest of the Kafka I/O work (see docs/decisions.md).
#ifndef UPSERTKIT_SOURCE_HPP
#define UPSERTKIT_SOURCE_HPP

#include <chrono>
#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "kafka/client.hpp"
#include "metadata.hpp"
#include "pipeline.hpp"

namespace upsertkit {

struct source_options {
  std::string topic;
  std::string bootstrap_servers;                  // `properties.bootstrap.servers`
  format_config formats;                          // key/value formats and layout
  std::map<std::string, std::string> properties;  // other `properties.*`, prefix stripped
  materializer_options state;
  std::chrono::milliseconds metadata_timeout{10000};
};

template <class Table, class Handler, class Store = memory_store>
class upsert_source {
 public:
  upsert_source(source_options options, Handler handler)
      : options_(std::move(options)),
        pipeline_(options_.formats, std::forward<Handler>(handler), options_.state),
        consumer_(make_config(options_)) {
    partitions_ = consumer_.partition_count(options_.topic, options_.metadata_timeout);
    consumer_.assign_all(options_.topic, partitions_, RD_KAFKA_OFFSET_BEGINNING);
    next_offset_.assign(static_cast<std::size_t>(partitions_), 0);
  }

  /// Waits up to `timeout` for one message and applies it. Returns false when none came.
  /// Throws record_error for a record that cannot be decoded under the `fail` policy.
  bool poll(std::chrono::milliseconds timeout) {
    kafka::message m = consumer_.poll(timeout);
    if (!m) return false;
    if (m.error() == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      // The end of a partition: offsets a consumer never sees (transaction markers) count as
      // read, so read_to_end cannot wait for them.
      advance(m.partition(), m.offset());
      return false;
    }
    if (m.error() != RD_KAFKA_RESP_ERR_NO_ERROR)
      throw kafka::kafka_error(m.error(), "cannot consume: " + m.error_text(), options_.topic,
                               m.partition(), m.offset());
    apply(m);
    return true;
  }

  /// Reads until every partition has reached the end offset it had when this was called (a
  /// bounded scan of what the topic holds now), or throws when `timeout` passes first.
  std::uint64_t read_to_end(std::chrono::milliseconds timeout) {
    std::vector<std::int64_t> end(static_cast<std::size_t>(partitions_));
    for (std::int32_t p = 0; p < partitions_; ++p) {
      const auto [low, high] = consumer_.watermarks(options_.topic, p, options_.metadata_timeout);
      const auto index = static_cast<std::size_t>(p);
      end[index] = high;
      // Records below the low watermark were deleted (retention, compaction): never read.
      if (next_offset_[index] < low) next_offset_[index] = low;
    }
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    const std::uint64_t before = pipeline_.stats().records;
    auto done = [&] {
      for (std::size_t p = 0; p < end.size(); ++p)
        if (next_offset_[p] < end[p]) return false;
      return true;
    };
    while (!done()) {
      if (std::chrono::steady_clock::now() > deadline)
        throw kafka::kafka_error(RD_KAFKA_RESP_ERR__TIMED_OUT,
                                 "the topic was not read to its end in time", options_.topic);
      poll(std::chrono::milliseconds(100));
    }
    return pipeline_.stats().records - before;
  }

  std::int32_t partition_count() const noexcept { return partitions_; }
  const pipeline_stats& stats() const noexcept { return pipeline_.stats(); }
  upsert_pipeline<Table, Handler, Store>& pipeline() noexcept { return pipeline_; }

 private:
  static kafka::config make_config(const source_options& options) {
    kafka::config conf;
    conf.set("bootstrap.servers", options.bootstrap_servers);
    // librdkafka 2.0's consumer needs a group.id even for manual assignment; this one is
    // private to the instance and never commits.
    std::random_device random;
    conf.set("group.id", "upsertkit-assign-" + std::to_string(random()));
    conf.set("enable.auto.commit", "false");
    conf.set("enable.auto.offset.store", "false");
    conf.set("enable.partition.eof", "true");
    conf.set("auto.offset.reset", "earliest");
    for (const auto& [key, value] : options.properties)
      conf.set(key, value);
    return conf;
  }

  void apply(const kafka::message& m) {
    rd_kafka_timestamp_type_t type = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE;
    metadata_.topic = m.topic();
    metadata_.partition = m.partition();
    metadata_.offset = m.offset();
    metadata_.timestamp_ms = m.timestamp(type);
    metadata_.type = type == RD_KAFKA_TIMESTAMP_CREATE_TIME ? timestamp_type::create_time
                     : type == RD_KAFKA_TIMESTAMP_LOG_APPEND_TIME
                         ? timestamp_type::log_append_time
                         : timestamp_type::no_timestamp_type;
    metadata_.leader_epoch = m.leader_epoch();
    record_view record;
    record.key = m.key();
    record.value = m.value();
    record.where = {metadata_.topic, m.partition(), m.offset()};
    record.metadata = &metadata_;
    // Processing time for the state TTL: once per record is one clock read.
    pipeline_.state().set_time(std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
    try {
      pipeline_.apply(record);
    } catch (...) {
      // The consumer has moved past this record either way; read_to_end must not wait for it.
      advance(m.partition(), m.offset() + 1);
      throw;
    }
    advance(m.partition(), m.offset() + 1);
  }

  void advance(std::int32_t partition, std::int64_t next) noexcept {
    if (partition < 0 || partition >= partitions_) return;
    auto& offset = next_offset_[static_cast<std::size_t>(partition)];
    if (offset < next) offset = next;
  }

  source_options options_;
  upsert_pipeline<Table, Handler, Store> pipeline_;
  kafka::consumer consumer_;
  std::int32_t partitions_ = 0;
  std::vector<std::int64_t> next_offset_;
  record_metadata metadata_;
};

}  // namespace upsertkit

#endif  // UPSERTKIT_SOURCE_HPP
