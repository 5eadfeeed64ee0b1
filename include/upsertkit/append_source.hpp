// upsertkit: the plain `kafka` connector as a source (the seed's Example 2 reads one): every
// record's value is one INSERT (+I) row, nothing is materialized, and reading starts where
// `scan.startup.mode` says. Its rows can go straight into an upsert sink.
//
// As in the reference, a record whose value is null (a tombstone) or decodes to no row is
// skipped; with `key.format` and `key.fields`, the key columns come from the key.
#ifndef UPSERTKIT_APPEND_SOURCE_HPP
#define UPSERTKIT_APPEND_SOURCE_HPP

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "config/source_options.hpp"
#include "durability.hpp"
#include "error.hpp"
#include "formats/format.hpp"
#include "kafka/client.hpp"
#include "kafka/topic_reader.hpp"
#include "metadata.hpp"
#include "pipeline.hpp"
#include "row_kind.hpp"
#include "schema.hpp"

namespace upsertkit {

#include "formats/simd_namespace.ipp"

template <class Table, class Handler>
class append_source {
 public:
  using row_type = typename Table::row_type;

  append_source(append_source_options options, Handler handler)
      : options_(std::move(options)),
        projections_(make_projections(options_)),
        value_(options_.value_format, projections_.second, options_.value_options,
               json::role::value),
        handler_(std::forward<Handler>(handler)),
        reader_(reader_options(options_), durability_hooks(handler_)) {
    if (!options_.key_format.empty())
      key_.emplace(options_.key_format, projections_.first, options_.key_options, json::role::key);
  }

  append_source(const append_source&) = delete;
  append_source& operator=(const append_source&) = delete;

  /// Waits up to `timeout` for one record; returns false when none came. A record that cannot
  /// be decoded throws record_error (the source stops there) unless its format ignores parse
  /// errors, in which case it is skipped, counted and given to the dead-letter hook (the same
  /// policy as the upsert source's: apply_decode_error_policy).
  bool poll(std::chrono::milliseconds timeout) {
    return reader_.poll(
        timeout, [this](const kafka::message& m, const record_metadata& meta) { apply(m, meta); });
  }

  bool finished() const noexcept { return reader_.finished(); }

  /// Reads what the assigned partitions hold now; returns the number of records read.
  std::uint64_t read_to_end(std::chrono::milliseconds timeout) {
    const std::uint64_t before = reader_.records_read();
    reader_.read_to_end(
        timeout, [this](const kafka::message& m, const record_metadata& meta) { apply(m, meta); });
    return reader_.records_read() - before;
  }

  /// Polls until finished() (a bounded scan), or throws when `timeout` passes first.
  std::uint64_t run_to_bound(std::chrono::milliseconds timeout) {
    const std::uint64_t before = reader_.records_read();
    reader_.run_to_bound(
        timeout, [this](const kafka::message& m, const record_metadata& meta) { apply(m, meta); });
    return reader_.records_read() - before;
  }

  /// The durability point, then (group mode) a commit: as upsert_source::commit().
  void commit() { reader_.commit(); }
  /// commit(), then leaves the group: as upsert_source::close().
  void close() { reader_.close(); }

  std::uint64_t records_read() const noexcept { return reader_.records_read(); }
  std::uint64_t rows() const noexcept { return rows_; }
  std::uint64_t skipped() const noexcept { return skipped_; }        // parse errors ignored
  std::uint64_t tombstones() const noexcept { return tombstones_; }  // null values
  std::vector<partition_progress> progress() const { return reader_.progress(); }
  Handler& handler() noexcept { return handler_; }

  /// Called for each record skipped under ignore-parse-errors, as upsert_pipeline's.
  void set_dead_letter_hook(dead_letter_hook hook) { dead_letter_ = std::move(hook); }

 private:
  // key projection (from key.fields, in that order) and value projection.
  static std::pair<projection, projection> make_projections(const append_source_options& o) {
    projection key, value;
    if (o.key_format.empty() != o.key_fields.empty())
      throw config_error(o.key_format.empty()
                             ? "'key.fields' is set but 'key.format' is not"
                             : "A key format 'key.format' requires the declaration of one or more "
                               "of key fields using 'key.fields'.");
    if (!o.key_prefix.empty() && o.include == fields_include::all)
      throw config_error(
          "A key prefix is not allowed when option 'value.fields-include' is set to 'ALL'. Set "
          "it to 'EXCEPT_KEY' instead to avoid field overlaps.");
    std::vector<bool> is_key(Table::column_count, false);
    for (const std::string& name : o.key_fields) {
      std::size_t found = Table::column_count;
      for (std::size_t c = 0; c < Table::column_count; ++c)
        if (Table::column_names[c] == name) found = c;
      if (found == Table::column_count)
        throw config_error("Could not find the field '" + name +
                           "' in the table schema for usage in the key format. A key field must "
                           "be a regular, physical column.");
      std::string_view stripped = name;
      if (!o.key_prefix.empty()) {
        if (stripped.substr(0, o.key_prefix.size()) != o.key_prefix)
          throw config_error("All fields in 'key.fields' must be prefixed with '" + o.key_prefix +
                             "' when option 'key.fields-prefix' is set but field '" + name +
                             "' is not prefixed.");
        stripped.remove_prefix(o.key_prefix.size());
      }
      is_key[found] = true;
      key.columns.push_back(static_cast<std::uint16_t>(found));
      key.names.emplace_back(stripped);
    }
    for (std::size_t c = 0; c < Table::column_count; ++c) {
      if (o.include == fields_include::except_key && is_key[c]) continue;
      value.columns.push_back(static_cast<std::uint16_t>(c));
      value.names.emplace_back(Table::column_names[c]);
    }
    return {std::move(key), std::move(value)};
  }

  static kafka::topic_reader::hooks durability_hooks(Handler& handler) {
    kafka::topic_reader::hooks hooks;
    detail::set_durability_hooks(hooks, handler);
    return hooks;
  }

  static topic_reader_options reader_options(const append_source_options& options) {
    topic_reader_options r;
    static_cast<kafka_connection&>(r) = options;
    r.startup = options.startup;
    r.bounded = options.bounded;
    r.commit_interval = options.commit_interval;
    r.metadata_timeout = options.metadata_timeout;
    r.read_headers = options.read_headers;
    return r;
  }

  void apply(const kafka::message& m, const record_metadata& meta) {
    record_view record;
    record.key = m.key();
    record.value = m.value();
    record.where = {meta.topic, meta.partition, meta.offset};
    record.metadata = &meta;
    if (!record.value) {
      ++tombstones_;  // the reference's value formats turn null into no row
      return;
    }
    row_ = row_type{};
    if (key_) {
      const decode_status status =
          record.key ? key_->decode(*record.key, row_) : decode_status::no_row();
      if (!status.is_no_row() && !status) {
        apply_decode_error_policy(record, record_part::key, status, key_->ignore_parse_errors(),
                                  skipped_, dead_letter_);
        return;
      }
    }
    const decode_status status = value_.decode(*record.value, row_);
    if (status.is_no_row()) return;
    if (!status) {
      apply_decode_error_policy(record, record_part::value, status, value_.ignore_parse_errors(),
                                skipped_, dead_letter_);
      return;
    }
    ++rows_;
    handler_(change<row_type>{row_kind::insert, row_, meta.partition, &meta});
  }

  append_source_options options_;
  std::pair<projection, projection> projections_;
  any_codec<Table> value_;
  std::optional<any_codec<Table>> key_;
  Handler handler_;
  row_type row_{};
  std::uint64_t rows_ = 0;
  std::uint64_t skipped_ = 0;
  std::uint64_t tombstones_ = 0;
  dead_letter_hook dead_letter_;
  kafka::topic_reader reader_;  // last: it closes first, while the rest is alive
};

}  // inline namespace simd_...

}  // namespace upsertkit

#endif  // UPSERTKIT_APPEND_SOURCE_HPP
