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
#include <iterator>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "batch_result.hpp"
#include "config/format_options.hpp"
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
  /// Apply to the state, emit nothing: a source rebuilding a partition below the offset its
  /// downstream already saw (source_options::resume_after_committed).
  bool replay = false;
};

/// What decoding one record produced.
enum class record_outcome : std::uint8_t {
  upsert,         // a full row
  tombstone,      // a key row and a null value
  dropped_key,    // null or empty key, or a key that decodes to no row
  dropped_value,  // a value that decodes to no row
  failed,         // see status and part
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

/// The decode-error policy of every source, in one place: a record whose `part` failed to
/// decode with `status` throws a record_error naming topic, partition, offset, part and field
/// under the format's `fail` policy; under `ignore-parse-errors` it is skipped, counted in
/// `skipped` and handed to the dead-letter hook.
void apply_decode_error_policy(const record_view& record, record_part part,
                               const decode_status& status, bool ignore_errors,
                               std::uint64_t& skipped, const dead_letter_hook& dead_letter);

#include "formats/simd_namespace.ipp"

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

/// Decoder plus materializer: feed records, the handler receives the changelog.
template <class Table, class Handler, class Store = memory_store>
class upsert_pipeline {
 public:
  using row_type = typename Table::row_type;

  upsert_pipeline(const format_config& formats, Handler handler, materializer_options options = {})
      : decoder_(formats), materializer_(std::forward<Handler>(handler), options) {}

  /// Applies one record: a batch of one. Throws record_error when it cannot be decoded and the
  /// failing format does not ignore parse errors (nothing has been applied then), or what the
  /// handler or the dead-letter hook threw.
  void apply(const record_view& record) {
    apply(std::span<const record_view>(&record, 1)).rethrow_if_failed();
  }

  /// Applies one record given as key and value bytes (std::nullopt = null), at partition 0.
  void apply(std::optional<std::string_view> key, std::optional<std::string_view> value) {
    record_view record;
    record.key = key;
    record.value = value;
    apply(record);
  }

  /// Applies records in order. A window of them is decoded before materializer::apply gets
  /// it (which loads their keys' state ahead). The result says how many records are done
  /// (applied, dropped, or skipped under ignore-parse-errors), in order, and holds what stopped
  /// the batch: a decode error under `fail`, or what the handler or the dead-letter hook
  /// threw on record `done`; nothing after that record is applied. stats() count the records
  /// done, and a record that failed to decode.
  batch_result apply(std::span<const record_view> records) {
    if (records.size() == 1) return apply_alone(records.front());
    batch_result result;
    try {
      while (result.done < records.size()) {
        const std::size_t from = result.done;
        ops_.clear();
        op_record_.clear();
        // A window decodes all its records before the materializer sees the first, so views
        // into a decoder's buffer must be copied out of its way; a batch of one needs no copy.
        const bool keep_views = records.size() - from > 1;
        std::size_t to = from;
        bool failed = false;
        for (; to < records.size() && to - from < batch_window; ++to) {
          const record_view& record = records[to];
          row_type& row = batch_rows_[ops_.size()];
          const record_outcome outcome = decoder_.decode(record, row);
          if (outcome == record_outcome::failed) {
            failed = true;
            break;
          }
          outcomes_[to - from] = outcome;
          if (outcome == record_outcome::upsert || outcome == record_outcome::tombstone) {
            const bool tombstone = outcome == record_outcome::tombstone;
            if (keep_views) keep_views_alive(record, row, tombstone, view_copies_[ops_.size()]);
            const std::int32_t partition = record.where.partition < 0 ? 0 : record.where.partition;
            ops_.push_back({partition, &row, tombstone, record.metadata, record.replay});
            op_record_.push_back(to);
          }
        }
        const batch_result applied = materializer_.apply(ops_);
        const std::size_t end = applied.ok() ? to : op_record_[applied.done];
        count(records, from, end);
        result.done = end;
        if (!applied.ok()) {
          result.failure = applied.failure;
          return result;
        }
        if (failed) {
          const record_view& record = records[to];
          count_bytes(record);
          const record_part part = decoder_.failed_part();
          apply_decode_error_policy(record, part, decoder_.status(), decoder_.ignores_errors(part),
                                    stats_.skipped, dead_letter_);
          result.done = to + 1;
        }
      }
    } catch (...) {
      result.failure = std::current_exception();
    }
    return result;
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

  // A batch of one (apply(key, value), or a record polled alone), as the loop above would do
  // it without a window's bookkeeping (-20 instructions per record in
  // scripts/instruction-count.sh --e2e).
  batch_result apply_alone(const record_view& record) {
    batch_result result;
    try {
      row_type& row = batch_rows_[0];
      const record_outcome outcome = decoder_.decode(record, row);
      if (outcome == record_outcome::failed) {
        count_bytes(record);
        const record_part part = decoder_.failed_part();
        apply_decode_error_policy(record, part, decoder_.status(), decoder_.ignores_errors(part),
                                  stats_.skipped, dead_letter_);
        result.done = 1;
        return result;
      }
      if (outcome == record_outcome::upsert || outcome == record_outcome::tombstone) {
        const std::int32_t partition = record.where.partition < 0 ? 0 : record.where.partition;
        const upsert_op<row_type> op{partition, &row, outcome == record_outcome::tombstone,
                                     record.metadata, record.replay};
        const batch_result applied =
            materializer_.apply(std::span<const upsert_op<row_type>>(&op, 1));
        if (!applied.ok()) {
          result.failure = applied.failure;
          return result;
        }
      }
      outcomes_[0] = outcome;
      count(std::span<const record_view>(&record, 1), 0, 1);
      result.done = 1;
    } catch (...) {
      result.failure = std::current_exception();
    }
    return result;
  }

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
    // The views to move, in two passes over the same views: first their total size, so
    // `copies` is allocated once and the moved views stay valid; then the moves. Views inside
    // nested values (ARRAY, MAP keys and values, MULTISET elements, ROW fields) count as well.
    std::size_t needed = 0;
    auto visit_views = [&](auto&& on_view) {
      auto on_view_to_move = [&](auto& view) {
        if (!view.empty() && !in_record(view.data())) on_view(view);
      };
      for_each_column<Table>([&](auto column) {
        constexpr std::size_t I = decltype(column)::value;
        if (key_only && !Table::is_key_column(I)) return;
        each_view(Table::fields::template get<I>(row), on_view_to_move);
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

  // Whether a member type holds a std::string_view or upsertkit::bytes anywhere inside.
  template <class Member>
  static constexpr bool holds_views() {
    using V = typename detail::unwrap_optional<Member>::type;
    if constexpr (std::is_same_v<V, std::string_view> || std::is_same_v<V, bytes>) {
      return true;
    } else if constexpr (detail::is_vector<V>) {
      return holds_views<typename V::value_type>();
    } else if constexpr (detail::is_map<V>) {
      return holds_views<typename V::key_type>() || holds_views<typename V::mapped_type>();
    } else if constexpr (detail::is_multiset<V>) {
      return holds_views<typename V::element_type>();
    } else if constexpr (detail::is_row<V>) {
      bool any = false;
      for_each_field<V>([&](auto f) {
        any = any ||
              holds_views<typename struct_fields<V>::template member_type<decltype(f)::value>>();
      });
      return any;
    } else {
      return false;
    }
  }

  // Calls on_view(view) for every std::string_view and upsertkit::bytes in `member`. A MAP's
  // or MULTISET's view keys are taken out of the map to be handed over (std::map keys are
  // const) and put back where they were: the bytes, so the order, do not change.
  template <class Member, class OnView>
  static void each_view(Member& member, OnView& on_view) {
    if constexpr (holds_views<Member>()) {
      if constexpr (detail::is_optional<Member>::value) {
        if (member) each_view(*member, on_view);
      } else if constexpr (std::is_same_v<Member, std::string_view> ||
                           std::is_same_v<Member, bytes>) {
        on_view(member);
      } else if constexpr (detail::is_vector<Member>) {
        for (auto& element : member)
          each_view(element, on_view);
      } else if constexpr (detail::is_map<Member> || detail::is_multiset<Member>) {
        auto& entries = [&]() -> auto& {
          if constexpr (detail::is_multiset<Member>)
            return member.counts;
          else
            return member;
        }
        ();
        using entries_type = std::remove_cvref_t<decltype(entries)>;
        if constexpr (holds_views<typename entries_type::key_type>()) {
          for (auto it = entries.begin(); it != entries.end();) {
            const auto next = std::next(it);
            auto node = entries.extract(it);
            each_view(node.key(), on_view);
            each_view(node.mapped(), on_view);
            entries.insert(next, std::move(node));
            it = next;
          }
        } else {
          for (auto& entry : entries)
            each_view(entry.second, on_view);
        }
      } else if constexpr (detail::is_row<Member>) {
        for_each_field<Member>([&](auto f) {
          each_view(struct_fields<Member>::template get<decltype(f)::value>(member), on_view);
        });
      }
    }
  }

  void count_bytes(const record_view& record) noexcept {
    ++stats_.records;
    if (record.key) stats_.key_bytes += record.key->size();
    if (record.value) stats_.value_bytes += record.value->size();
  }

  // Counters of the records [from, to) of the window that starts at `from`, once they are
  // done with.
  void count(std::span<const record_view> records, std::size_t from, std::size_t to) noexcept {
    for (std::size_t k = from; k < to; ++k) {
      count_bytes(records[k]);
      if (outcomes_[k - from] == record_outcome::dropped_key) ++stats_.dropped_null_key;
      if (outcomes_[k - from] == record_outcome::dropped_value) ++stats_.dropped_empty_value;
    }
  }

  record_decoder<Table> decoder_;
  materializer<Table, Handler, Store> materializer_;
  pipeline_stats stats_;
  std::array<row_type, batch_window> batch_rows_{};
  std::array<std::string, batch_window> view_copies_{};  // see keep_views_alive
  std::array<record_outcome, batch_window> outcomes_{};
  std::vector<upsert_op<row_type>> ops_;
  std::vector<std::size_t> op_record_;
  dead_letter_hook dead_letter_;
};

}  // inline namespace simd_...

}  // namespace upsertkit

// The definitions: inline here, or compiled once (separate_compilation.hpp).
#ifndef UPSERTKIT_SEPARATE_COMPILATION
#include "pipeline.ipp"
#endif

#endif  // UPSERTKIT_PIPELINE_HPP
