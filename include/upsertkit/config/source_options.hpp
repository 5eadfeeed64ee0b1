// upsertkit: the options of the two sources, as plain data (no Kafka client, no parser).
#ifndef UPSERTKIT_CONFIG_SOURCE_OPTIONS_HPP
#define UPSERTKIT_CONFIG_SOURCE_OPTIONS_HPP

#include <chrono>
#include <string>
#include <vector>

#include "../materializer_options.hpp"
#include "../schema.hpp"
#include "connection.hpp"
#include "format_options.hpp"
#include "positions.hpp"

namespace upsertkit {

/// An upsert-kafka source (upsert_source): kafka_connection, and these.
struct source_options : kafka_connection {
  format_config formats;  // key/value formats and layout
  materializer_options state;
  bounded_position bounded;  // `scan.bounded.*`
  /// Group mode: rebuild state below the group's committed offsets without emitting. Off, every
  /// change is emitted from the first offset on, as the reference does.
  bool resume_after_committed = true;
  /// Group mode: how often poll() reaches the durability point and commits processed offsets
  /// (asynchronously; in the handler's transaction under exactly-once).
  std::chrono::milliseconds commit_interval{5000};
  std::chrono::milliseconds metadata_timeout{10000};
  /// Parse record headers for `change::metadata->headers`; see topic_reader_options.
  bool read_headers = true;
  /// Where a source with a durable state store (a checkpointing_store such as rocksdb_store)
  /// keeps each partition's state: `<state_dir>/<group.id, or no-group>/<topic>/<partition>`.
  /// Not a WITH-clause option (Flink's state location is deployment configuration, not the
  /// table's); required with such a store, unused with the memory store.
  std::string state_dir;
  /// Group mode with a durable store, when `properties.group.instance.id` is not set: the
  /// source is a static member with an id kept in its state directory
  /// (static_membership.hpp), so that a restart, after a close or a crash, takes its
  /// partitions back at once. false: a dynamic member, as with the memory store.
  bool static_membership = true;
  /// `scan.parallelism`: how many workers a parallel_source runs (parallel_source.hpp), each
  /// with its own consumer, partitions, state and handler. An upsert_source is one of them:
  /// worker `worker` of `parallelism`. In a group, the group shares the partitions out among
  /// the workers; without one, worker `w` reads the partitions `p` with
  /// `p % parallelism == w`.
  int parallelism = 1;
  int worker = 0;
};

/// A plain `kafka` source (append_source): kafka_connection, and these.
struct append_source_options : kafka_connection {
  std::string value_format = "json";  // `format` or `value.format`
  format_options value_options;       // `<format>.*` / `value.<format>.*` without the prefix
  /// `key.format` and `key.fields` (column names): empty for a value-only table.
  std::string key_format;
  format_options key_options;
  std::vector<std::string> key_fields;
  fields_include include = fields_include::all;  // `value.fields-include`
  std::string key_prefix;                        // `key.fields-prefix`
  startup_position startup;                      // `scan.startup.*`
  bounded_position bounded;                      // `scan.bounded.*`
  std::chrono::milliseconds commit_interval{5000};
  std::chrono::milliseconds metadata_timeout{10000};
  /// Parse record headers for `change::metadata->headers`; see topic_reader_options.
  bool read_headers = true;
};

}  // namespace upsertkit

#endif  // UPSERTKIT_CONFIG_SOURCE_OPTIONS_HPP
