// upsertkit: the options of the upsert-kafka sink, as plain data (no Kafka client, no codec).
#ifndef UPSERTKIT_CONFIG_SINK_OPTIONS_HPP
#define UPSERTKIT_CONFIG_SINK_OPTIONS_HPP

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

#include "connection.hpp"
#include "format_options.hpp"

namespace upsertkit {

/// `sink.delivery-guarantee`.
enum class delivery_guarantee : std::uint8_t { none, at_least_once, exactly_once };

/// An upsert-kafka sink (upsert_sink): kafka_connection, and these.
struct sink_options : kafka_connection {
  format_config formats;                               // key/value formats and layout
  std::size_t buffer_flush_max_rows = 0;               // `sink.buffer-flush.max-rows`
  std::chrono::milliseconds buffer_flush_interval{0};  // `sink.buffer-flush.interval`
  delivery_guarantee guarantee = delivery_guarantee::at_least_once;
  std::string transactional_id_prefix;  // `sink.transactional-id-prefix` (exactly-once)
  /// This sink's index among the sinks of one table (a parallel pipe's workers): the suffix of
  /// its `transactional.id`, `<prefix>-<subtask>`, so that each keeps its own transactions and
  /// a restarted one fences its own predecessor only.
  int subtask = 0;
  std::chrono::milliseconds metadata_timeout{10000};
  std::chrono::milliseconds transaction_timeout{60000};  // init/commit/abort waits
  /// How long flush() without an argument (a source's durability point) waits for every
  /// delivery report: librdkafka's own message.timeout.ms (5 min), after which a record
  /// fails anyway.
  std::chrono::milliseconds flush_timeout{300000};
};

}  // namespace upsertkit

#endif  // UPSERTKIT_CONFIG_SINK_OPTIONS_HPP
