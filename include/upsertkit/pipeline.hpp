// upsertkit: one Kafka record in, changes out. The decode half of the upsert-kafka source
// (Flink's DynamicKafkaDeserializationSchema in upsert mode) in front of the materializer.
//
//   key null or empty            -> dropped and counted (Flink drops a null key, and an empty
//                                   JSON key, silently; we drop an empty key in every format)
//   key decodes to no row        -> dropped and counted
//   value null (tombstone)       -> materializer.remove(key)
//   value decodes to no row      -> dropped and counted (an empty JSON value is not a delete)
//   value decodes                -> key columns from the key, then value columns on top
//                                   (with ALL the value's copy of a key column wins, as in Flink)
//   either side fails to decode  -> under `fail`: record_error naming topic, partition, offset,
//                                   key/value and field, and nothing is applied;
//                                   with `<format>.ignore-parse-errors`: skipped, counted, and
//                                   handed to the dead-letter hook.
#ifndef UPSERTKIT_PIPELINE_HPP
#define UPSERTKIT_PIPELINE_HPP

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "error.hpp"
#include "formats/format.hpp"
#include "materializer.hpp"
#include "metadata.hpp"
#include "schema.hpp"

namespace upsertkit {

/// One Kafka record as bytes: std::nullopt is a null key or value, "" is empty bytes.
struct record_view {
  std::optional<std::string_view> key;
  std::optional<std::string_view> value;
  record_position where;
  const record_metadata* metadata = nullptr;
};

/// The formats and layout of an upsert table: everything needed to turn bytes into rows.
struct format_config {
  std::string key_format = "csv";
  std::string value_format = "json";
  format_options key_options;    // `key.<format>.*` without that prefix
  format_options value_options;  // `value.<format>.*` without that prefix
  key_value_layout layout;
};

/// What decoding one record produced.
enum class record_outcome : std::uint8_t {
  upsert,         // a full row
  tombstone,      // a key row and a null value
  dropped_key,    // null or empty key, or a key that decodes to no row
  dropped_value,  // a value that decodes to no row
  failed,         // see status and part
};

template <class Table>
class record_decoder {
 public:
  using row_type = typename Table::row_type;

  explicit record_decoder(const format_config& config)
      : projections_(config.layout),
        key_(config.key_format, projections_.key, config.key_options, json::role::key),
        value_(config.value_format, projections_.value, config.value_options, json::role::value) {}

  /// Decodes `record` into `row`. String columns may point into the record's bytes.
  record_outcome decode(const record_view& record, row_type& row) {
    if (!record.key || record.key->empty()) return record_outcome::dropped_key;
    status_ = key_.decode(*record.key, row);
    if (status_.is_no_row()) return record_outcome::dropped_key;
    if (!status_) {
      part_ = record_part::key;
      return record_outcome::failed;
    }
    if (!record.value) return record_outcome::tombstone;
    status_ = value_.decode(*record.value, row);
    if (status_.is_no_row()) return record_outcome::dropped_value;
    if (!status_) {
      part_ = record_part::value;
      return record_outcome::failed;
    }
    return record_outcome::upsert;
  }

  /// After `failed`: what failed and where.
  const decode_status& status() const noexcept { return status_; }
  record_part failed_part() const noexcept { return part_; }
  bool ignores_errors(record_part part) const {
    return part == record_part::key ? key_.ignore_parse_errors() : value_.ignore_parse_errors();
  }

  any_codec<Table>& key_codec() noexcept { return key_; }
  any_codec<Table>& value_codec() noexcept { return value_; }
  const table_projections<Table>& projections() const noexcept { return projections_; }

 private:
  table_projections<Table> projections_;
  any_codec<Table> key_;
  any_codec<Table> value_;
  decode_status status_;
  record_part part_ = record_part::key;
};

/// Counters of the records a pipeline saw.
struct pipeline_stats {
  std::uint64_t records = 0;
  std::uint64_t key_bytes = 0;
  std::uint64_t value_bytes = 0;
  std::uint64_t dropped_null_key = 0;  // null or empty key, or a key with no row
  std::uint64_t dropped_empty_value = 0;
  std::uint64_t skipped = 0;  // decode errors under ignore-parse-errors
};

/// Called for each record skipped under ignore-parse-errors (a dead-letter hook).
using dead_letter_hook = std::function<void(const record_view&, const record_error&)>;

/// Decoder plus materializer: feed records, the handler receives the changelog.
template <class Table, class Handler, class Store = memory_store>
class upsert_pipeline {
 public:
  using row_type = typename Table::row_type;

  upsert_pipeline(const format_config& formats, Handler handler, materializer_options options = {})
      : decoder_(formats), materializer_(std::forward<Handler>(handler), options) {}

  /// Applies one record. Throws record_error when it cannot be decoded and the failing
  /// format does not ignore parse errors; nothing has been applied then.
  void apply(const record_view& record) {
    ++stats_.records;
    if (record.key) stats_.key_bytes += record.key->size();
    if (record.value) stats_.value_bytes += record.value->size();
    const std::int32_t partition = record.where.partition < 0 ? 0 : record.where.partition;
    switch (decoder_.decode(record, row_)) {
      case record_outcome::upsert:
        materializer_.upsert(partition, row_, record.metadata);
        return;
      case record_outcome::tombstone:
        materializer_.remove(partition, row_, record.metadata);
        return;
      case record_outcome::dropped_key:
        ++stats_.dropped_null_key;
        return;
      case record_outcome::dropped_value:
        ++stats_.dropped_empty_value;
        return;
      case record_outcome::failed:
        break;
    }
    const record_part part = decoder_.failed_part();
    record_error error(record.where, part, decoder_.status().failure());
    if (!decoder_.ignores_errors(part)) throw error;
    ++stats_.skipped;
    if (dead_letter_) dead_letter_(record, error);
  }

  /// Applies records in order with exactly the results of apply(record) on each, decoding a
  /// window of them before handing the window to materializer::apply (which loads their
  /// state ahead). `processed` is incremented after each record is done with; on a throw
  /// (a decode error under `fail`, or from the handler or the dead-letter hook) it holds the
  /// index of the record that threw, everything before it is applied and nothing after it.
  void apply(std::span<const record_view> records, std::size_t& processed) {
    std::size_t i = 0;
    while (i < records.size()) {
      ops_.clear();
      op_record_.clear();
      std::size_t j = i;
      bool failed = false;
      for (; j < records.size() && j - i < batch_window; ++j) {
        const record_view& record = records[j];
        const std::int32_t partition = record.where.partition < 0 ? 0 : record.where.partition;
        row_type& row = batch_rows_[ops_.size()];
        const record_outcome outcome = decoder_.decode(record, row);
        if (outcome == record_outcome::failed) {
          failed = true;
          break;
        }
        outcomes_[j - i] = outcome;
        if (outcome == record_outcome::upsert || outcome == record_outcome::tombstone) {
          keep_views_alive(record, row, outcome == record_outcome::tombstone,
                           view_copies_[ops_.size()]);
          ops_.push_back({partition, &row, outcome == record_outcome::tombstone, record.metadata});
          op_record_.push_back(j);
        }
      }
      std::size_t applied = 0;
      try {
        materializer_.apply(ops_, &applied);
      } catch (...) {
        const std::size_t end = op_record_[applied];
        count(records, i, end);
        processed += end - i;
        throw;
      }
      count(records, i, j);
      processed += j - i;
      i = j;
      if (!failed) continue;
      // The record that failed to decode: the same outcome as apply(record) would give.
      const record_view& record = records[j];
      ++stats_.records;
      if (record.key) stats_.key_bytes += record.key->size();
      if (record.value) stats_.value_bytes += record.value->size();
      const record_part part = decoder_.failed_part();
      record_error error(record.where, part, decoder_.status().failure());
      if (!decoder_.ignores_errors(part)) throw error;
      ++stats_.skipped;
      if (dead_letter_) dead_letter_(record, error);
      ++processed;
      i = j + 1;
    }
  }

  /// Applies one record given as key and value bytes (std::nullopt = null), at partition 0.
  void apply(std::optional<std::string_view> key, std::optional<std::string_view> value) {
    record_view record;
    record.key = key;
    record.value = value;
    apply(record);
  }

  void set_dead_letter_hook(dead_letter_hook hook) { dead_letter_ = std::move(hook); }

  const pipeline_stats& stats() const noexcept { return stats_; }
  materializer<Table, Handler, Store>& state() noexcept { return materializer_; }
  const materializer<Table, Handler, Store>& state() const noexcept { return materializer_; }
  record_decoder<Table>& decoder() noexcept { return decoder_; }

 private:
  // Records decoded ahead of materializer::apply: its own window, so a window's rows are
  // still in cache when it applies them.
  static constexpr std::size_t batch_window = 32;

  // A decoded row's string and BYTES views point into the record's bytes, or, for an escaped
  // string or decoded BYTES, into a buffer of the decoder that its next decode overwrites.
  // A window decodes all its records before applying the first, so views of the second kind
  // are copied into `copies` (one per row of the window) and pointed there. Escapes are rare:
  // usually this only compares pointers. A tombstone's row holds only its key columns (the
  // others are left from an earlier record and never read).
  static void keep_views_alive(const record_view& record, row_type& row, bool key_only,
                               std::string& copies) {
    auto in_record = [&](const char* p) {
      auto within = [p](const std::optional<std::string_view>& part) {
        return part && !part->empty() && std::less_equal<>()(part->data(), p) &&
               std::less<>()(p, part->data() + part->size());
      };
      return within(record.key) || within(record.value);
    };
    // The views to move, as (member visitor) passes: first their total size, so `copies` is
    // allocated once and the moved views stay valid.
    std::size_t needed = 0;
    auto visit_views = [&](auto&& on_view) {
      for_each_column<Table>([&](auto column) {
        constexpr std::size_t I = decltype(column)::value;
        if (key_only && !Table::is_key_column(I)) return;
        auto& member = Table::fields::template get<I>(row);
        using V = typename column_traits<std::remove_cvref_t<decltype(member)>>::value_type;
        if constexpr (std::is_same_v<V, std::string_view> || std::is_same_v<V, bytes>) {
          const V* value = column_io::value_of(member);
          if (value != nullptr && !value->empty() && !in_record(value->data()))
            on_view(column_io::emplace(member));
        }
      });
    };
    visit_views([&](const auto& view) { needed += view.size(); });
    copies.clear();
    if (needed == 0) return;
    copies.reserve(needed);
    visit_views([&](auto& view) {
      const std::size_t at = copies.size();
      copies.append(view.data(), view.size());
      view = std::remove_cvref_t<decltype(view)>(copies.data() + at, view.size());
    });
  }

  // Counters of the records [from, to) of the window that starts at `from`, once they are
  // done with.
  void count(std::span<const record_view> records, std::size_t from, std::size_t to) {
    for (std::size_t k = from; k < to; ++k) {
      const record_view& record = records[k];
      ++stats_.records;
      if (record.key) stats_.key_bytes += record.key->size();
      if (record.value) stats_.value_bytes += record.value->size();
      if (outcomes_[k - from] == record_outcome::dropped_key) ++stats_.dropped_null_key;
      if (outcomes_[k - from] == record_outcome::dropped_value) ++stats_.dropped_empty_value;
    }
  }

  record_decoder<Table> decoder_;
  materializer<Table, Handler, Store> materializer_;
  row_type row_{};
  pipeline_stats stats_;
  std::array<row_type, batch_window> batch_rows_{};
  std::array<std::string, batch_window> view_copies_{};  // see keep_views_alive
  std::array<record_outcome, batch_window> outcomes_{};
  std::vector<upsert_op<row_type>> ops_;
  std::vector<std::size_t> op_record_;
  dead_letter_hook dead_letter_;
};

}  // namespace upsertkit

#endif  // UPSERTKIT_PIPELINE_HPP
