// Fuzz target: the whole record path (upsert_pipeline: key and value decode, then the
// materializer). The first byte picks the formats, their ignore-parse-errors options, the
// layout, update-befores and the table; the rest is split into records: a flags byte (null
// key, null value, partition), then a length-prefixed key and a length-prefixed value.
//
// Checks, besides the sanitizers:
//   - a record_error is thrown only when the failing part's format does not ignore parse
//     errors; its what() names topic, partition, offset and (when set) field; nothing of the
//     record was applied (no change emitted, state as before);
//   - a record skipped under ignore-parse-errors is counted once, reaches the dead-letter hook
//     once with the same error, and emits nothing;
//   - after every record, the changelog applied to an empty table equals the stored state and
//     -U / -D carry the row emitted before (changelog_model); the counters add up;
//   - the same records applied in batches (apply(span), as the Kafka source does: a window of
//     records decoded before any is applied) give the same changes, state and counters, and
//     a batch stops exactly at the record that fails.
#include <upsertkit/pipeline.hpp>

#include <algorithm>
#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "changelog_model.hpp"
#include "fuzz_common.hpp"

namespace {

bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

// Every stored row as (partition, canonical bytes), sorted.
template <class Materializer>
std::vector<std::pair<std::int32_t, std::string>> stored_rows(const Materializer& state) {
  using table = typename Materializer::table_type;
  std::vector<std::pair<std::int32_t, std::string>> rows;
  state.for_each_row([&](std::int32_t partition, const typename table::row_type& row) {
    std::string bytes;
    upsertkit::row_codec<table>::encode(row, bytes);
    rows.emplace_back(partition, std::move(bytes));
  });
  std::sort(rows.begin(), rows.end());
  return rows;
}

template <class Table>
void run(std::uint8_t choice, fuzz::input& in) {
  upsertkit::format_config formats;
  formats.key_format = (choice & 0x01) ? "json" : "csv";
  formats.value_format = (choice & 0x02) ? "csv" : "json";
  if (choice & 0x04) formats.key_options["ignore-parse-errors"] = "true";
  if (choice & 0x08) formats.value_options["ignore-parse-errors"] = "true";
  if (choice & 0x10) formats.layout.include = upsertkit::fields_include::except_key;
  upsertkit::materializer_options options;
  options.emit_update_before = !(choice & 0x20);

  fuzz::changelog_model<Table> model(options.emit_update_before, false);
  upsertkit::upsert_pipeline<Table, fuzz::model_handler<Table>> pipeline(
      formats, fuzz::model_handler<Table>{&model}, options);
  std::uint64_t dead_letters = 0;
  std::string last_dead_letter;
  pipeline.set_dead_letter_hook(
      [&](const upsertkit::record_view&, const upsertkit::record_error& e) {
        ++dead_letters;
        last_dead_letter = e.what();
      });

  std::int64_t offset = 0;
  std::uint64_t thrown = 0;
  std::vector<upsertkit::record_view> records;
  while (!in.empty()) {
    const std::uint8_t flags = in.byte();
    const std::string_view key = in.chunk(64);
    const std::string_view value = in.chunk(255);
    upsertkit::record_view record;
    if (!(flags & 0x01)) record.key = key;
    if (!(flags & 0x02)) record.value = value;
    record.where = {"fuzz", static_cast<std::int32_t>((flags >> 2) & 0x03), offset++};
    records.push_back(record);

    const std::uint64_t changes_before = model.changes();
    const std::uint64_t skipped_before = pipeline.stats().skipped;
    const std::uint64_t dead_before = dead_letters;
    try {
      pipeline.apply(record);
    } catch (const upsertkit::record_error& e) {
      ++thrown;
      FUZZ_CHECK(!pipeline.decoder().ignores_errors(e.part()), e.what());
      const std::string what = e.what();
      FUZZ_CHECK(contains(what, "topic 'fuzz'"), what);
      FUZZ_CHECK(contains(what, "partition " + std::to_string(record.where.partition) + ","), what);
      FUZZ_CHECK(contains(what, "offset " + std::to_string(record.where.offset)), what);
      FUZZ_CHECK(e.field().empty() || contains(what, "field '" + e.field() + "'"), what);
      FUZZ_CHECK(e.offset() == record.where.offset && e.partition() == record.where.partition);
      FUZZ_CHECK(model.changes() == changes_before, "a failed record emitted changes", what);
      FUZZ_CHECK(pipeline.stats().skipped == skipped_before);
    }
    if (pipeline.stats().skipped != skipped_before) {
      FUZZ_CHECK(pipeline.stats().skipped == skipped_before + 1);
      FUZZ_CHECK(dead_letters == dead_before + 1, "skipped without the dead-letter hook");
      FUZZ_CHECK(contains(last_dead_letter, "offset " + std::to_string(record.where.offset)),
                 last_dead_letter);
      FUZZ_CHECK(model.changes() == changes_before, "a skipped record emitted changes");
    } else {
      FUZZ_CHECK(dead_letters == dead_before);
    }
    model.check_equals(pipeline.state());
  }
  const upsertkit::pipeline_stats& s = pipeline.stats();
  FUZZ_CHECK(s.records == static_cast<std::uint64_t>(offset));
  const upsertkit::materializer_stats& m = pipeline.state().stats();
  FUZZ_CHECK(s.dropped_null_key + s.dropped_empty_value + s.skipped + thrown + m.upserts +
                 m.tombstones ==
             s.records);
  FUZZ_CHECK(m.inserts + m.update_afters + m.update_befores + m.deletes == model.changes());

  fuzz::changelog_model<Table> batch_model(options.emit_update_before, false);
  upsertkit::upsert_pipeline<Table, fuzz::model_handler<Table>> batched(
      formats, fuzz::model_handler<Table>{&batch_model}, options);
  std::span<const upsertkit::record_view> rest(records);
  std::uint64_t batch_thrown = 0;
  while (!rest.empty()) {
    const upsertkit::batch_result result = batched.apply(rest);
    if (result.ok()) {
      FUZZ_CHECK(result.done == rest.size());
      rest = {};
      continue;
    }
    try {
      result.rethrow_if_failed();
    } catch (const upsertkit::record_error& e) {
      ++batch_thrown;
      FUZZ_CHECK(result.done < rest.size() && e.offset() == rest[result.done].where.offset,
                 "a batch stopped away from its failing record", e.what());
    }
    rest = rest.subspan(result.done + 1);
  }
  batch_model.check_equals(batched.state());
  const upsertkit::materializer_stats& b = batched.state().stats();
  FUZZ_CHECK(batch_thrown == thrown);
  FUZZ_CHECK(batch_model.changes() == model.changes());
  FUZZ_CHECK(b.inserts == m.inserts && b.update_befores == m.update_befores &&
                 b.update_afters == m.update_afters && b.deletes == m.deletes &&
                 b.unchanged == m.unchanged,
             "batches changed the changelog");
  FUZZ_CHECK(batched.stats().records == s.records && batched.stats().skipped == s.skipped);
  FUZZ_CHECK(stored_rows(batched.state()) == stored_rows(pipeline.state()),
             "batches stored other rows");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::input in(data, size);
  const std::uint8_t choice = in.byte();
  if (choice & 0x80)
    run<fuzz::all_types>(choice, in);
  else
    run<orders::table>(choice, in);
  return 0;
}
