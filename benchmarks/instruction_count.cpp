// Instruction-count harness for the JSON decoder, for `valgrind --tool=callgrind`: wall-clock
// time on a shared VM moves by ±30%, instruction counts do not. It generates the 10,000 order
// values of core_bench.cpp, then runs one decoder over them once:
//
//   instruction_count none|baseline|ours|general|shuffled
//
// (`general`: decode_general(), simdjson's walk without decode()'s flat-object fast path.)
// Instructions per record = (callgrind total of a mode - total of `none`) / 10,000.
// scripts/instruction-count.sh runs them and prints the table of docs/performance.md.
//
//   instruction_count e2e-none|e2e
//
// The end-to-end benchmark's per-record cost: 50,000 records of its workload (5,000 keys, the
// same mix and encoders: benchmarks/e2e/e2e_common.hpp), each CSV key and JSON value decoded
// and applied to the materializer (upsert_pipeline), as the upsert source does after
// librdkafka hands it a message. `e2e-none` only generates them;
// `scripts/instruction-count.sh --e2e` prints (e2e - e2e-none) / 50,000.
#include <simdjson.h>
#include <upsertkit/upsertkit.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <span>
#include <string>
#include <vector>

#include "e2e/e2e_common.hpp"
#include "orders/orders_table.hpp"
#include "orders_data.hpp"

namespace {

constexpr std::size_t record_count = 10000;

std::vector<std::string> make_values(bool shuffle) {
  std::mt19937_64 random(42);
  std::vector<std::string> values;
  for (std::size_t i = 0; i < record_count; ++i)
    values.push_back(
        orders_bench::to_json(orders_bench::make_order(i, random), shuffle ? &random : nullptr));
  return values;
}

// The same reader as BM_SimdjsonBaselineOrders, on pre-padded inputs.
[[gnu::noinline]] std::size_t baseline(const std::vector<simdjson::padded_string>& padded) {
  simdjson::ondemand::parser parser;
  std::size_t checksum = 0;
  for (const auto& json : padded) {
    simdjson::ondemand::document doc = parser.iterate(json);
    for (auto field : doc.get_object()) {
      std::string_view key = field.unescaped_key();
      if (key == "pay_amount" || key == "real_pay") {
        double d = field.value().get_double_in_string();
        checksum += static_cast<std::size_t>(d);
      } else {
        std::string_view s = field.value().get_string();
        checksum += s.size();
      }
    }
  }
  return checksum;
}

// `general`: decode_general() (simdjson's walk of every message) instead of decode().
[[gnu::noinline]] std::size_t ours(const std::vector<std::string>& values, bool general = false) {
  upsertkit::table_projections<orders::table> projections;
  upsertkit::json::codec<orders::table> codec(projections.value);
  orders::Order row{};
  std::size_t checksum = 0;
  for (const auto& json : values) {
    if (!(general ? codec.decode_general(json, row) : codec.decode(json, row))) {
      std::fprintf(stderr, "decode failed\n");
      return 0;
    }
    checksum += row.order_id.size() + static_cast<std::size_t>(*row.pay_amount);
  }
  return checksum;
}

// Decodes every value as ours() does, then encodes every row back: minus ours(), the cost of
// the JSON encoder.
[[gnu::noinline]] std::size_t decode_and_encode(const std::vector<std::string>& values) {
  upsertkit::table_projections<orders::table> projections;
  upsertkit::json::codec<orders::table> codec(projections.value);
  std::vector<orders::Order> rows(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (!codec.decode(values[i], rows[i])) {
      std::fprintf(stderr, "decode failed\n");
      return 0;
    }
  }
  std::string out;
  std::size_t checksum = 0;
  for (const orders::Order& row : rows) {
    out.clear();
    codec.encode(row, out);
    checksum += out.size();
  }
  return checksum;
}

struct e2e_record {
  std::string key;
  std::optional<std::string> value;
};

constexpr std::size_t e2e_records = 50000;

std::vector<e2e_record> make_e2e_records() {
  e2e::workload_params params;
  params.records = e2e_records;
  params.keys = e2e_records / 10;
  params.seed = 42;
  std::vector<e2e_record> out;
  out.reserve(e2e_records);
  e2e::workload_model model(params);
  model.run([&](e2e::effect, std::string_view key, std::optional<std::string_view> value,
                const auto*, const auto*) {
    out.push_back({std::string(key), value ? std::optional<std::string>(*value) : std::nullopt});
  });
  return out;
}

struct count_changes {
  std::size_t* changes;
  void operator()(const upsertkit::change<orders::Order>&) const noexcept { ++*changes; }
};

[[gnu::noinline]] std::size_t decode_and_materialize(const std::vector<e2e_record>& records) {
  std::size_t changes = 0;
  upsertkit::format_config formats;  // key csv, value json, ALL
  upsertkit::upsert_pipeline<orders::table, count_changes> pipeline(formats,
                                                                    count_changes{&changes});
  for (const e2e_record& r : records)
    pipeline.apply(r.key, r.value ? std::optional<std::string_view>(*r.value) : std::nullopt);
  return changes;
}

// The same records in batches of 256, as the Kafka sources hand them to the pipeline (their
// poll batch): the path a source takes. Written for both batch signatures (before issue 15 the
// batch call reported its progress through an out-parameter) so that old headers compile it.
template <class Pipeline>
void apply_batch(Pipeline& pipeline, std::span<const upsertkit::record_view> batch) {
  if constexpr (requires { pipeline.apply(batch).ok(); }) {
    if (!pipeline.apply(batch).ok()) std::abort();
  } else {
    std::size_t processed = 0;
    pipeline.apply(batch, processed);
  }
}

[[gnu::noinline]] std::size_t decode_and_materialize_batches(
    const std::vector<e2e_record>& records) {
  std::size_t changes = 0;
  upsertkit::format_config formats;  // key csv, value json, ALL
  upsertkit::upsert_pipeline<orders::table, count_changes> pipeline(formats,
                                                                    count_changes{&changes});
  std::vector<upsertkit::record_view> views(records.size());
  for (std::size_t i = 0; i < records.size(); ++i) {
    views[i].key = records[i].key;
    if (records[i].value) views[i].value = *records[i].value;
    views[i].where.offset = static_cast<std::int64_t>(i);
  }
  constexpr std::size_t poll_batch = 256;
  for (std::size_t at = 0; at < views.size(); at += poll_batch)
    apply_batch(pipeline, std::span<const upsertkit::record_view>(views).subspan(
                              at, std::min(poll_batch, views.size() - at)));
  return changes;
}

// The workload of BM_Materialize at a fifth of its size (200,000 changes over 20,000 keys, 10%
// identical rows, 5% tombstones), decoded into rows before counting: the materializer alone.
constexpr std::size_t materialize_changes = 200000;

struct materialize_input {
  std::vector<orders_bench::record> records;
  std::vector<orders::Order> rows;
};

materialize_input make_materialize_input() {
  materialize_input in;
  in.records = orders_bench::upsert_stream(materialize_changes, materialize_changes / 10, 7);
  upsertkit::table_projections<orders::table> projections;
  upsertkit::json::codec<orders::table> codec(projections.value);
  in.rows.resize(in.records.size());
  for (std::size_t i = 0; i < in.records.size(); ++i) {
    in.rows[i].order_id = in.records[i].key;
    if (!in.records[i].tombstone && !codec.decode(in.records[i].value, in.rows[i]))
      std::fprintf(stderr, "decode failed\n");
  }
  return in;
}

[[gnu::noinline]] std::size_t materialize(const materialize_input& in) {
  std::size_t changes = 0;
  upsertkit::materializer<orders::table, count_changes> m(count_changes{&changes});
  for (std::size_t i = 0; i < in.rows.size(); ++i) {
    if (in.records[i].tombstone)
      m.remove(0, in.rows[i]);
    else
      m.upsert(0, in.rows[i]);
  }
  return changes;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "none";
  if (mode == "e2e" || mode == "e2e-batch" || mode == "e2e-none") {
    const std::vector<e2e_record> records = make_e2e_records();
    const std::size_t changes = mode == "e2e"         ? decode_and_materialize(records)
                                : mode == "e2e-batch" ? decode_and_materialize_batches(records)
                                                      : 0;
    std::printf("%s: %zu records, %zu changes\n", mode.c_str(), records.size(), changes);
    return 0;
  }
  if (mode == "materialize" || mode == "materialize-none") {
    const materialize_input in = make_materialize_input();
    const std::size_t changes = mode == "materialize" ? materialize(in) : 0;
    std::printf("%s: %zu records, %zu changes\n", mode.c_str(), in.records.size(), changes);
    return 0;
  }
  // Generation is the same in every mode (both record sets and the padded copies), so the
  // `none` run subtracts it exactly.
  const std::vector<std::string> in_order = make_values(false);
  const std::vector<std::string> shuffled = make_values(true);
  const std::vector<simdjson::padded_string> padded(in_order.begin(), in_order.end());
  std::size_t checksum = 0;
  if (mode == "baseline")
    checksum = baseline(padded);
  else if (mode == "ours")
    checksum = ours(in_order);
  else if (mode == "shuffled")
    checksum = ours(shuffled);
  else if (mode == "general")
    checksum = ours(in_order, true);
  else if (mode == "encode")
    checksum = decode_and_encode(in_order);
  else if (mode != "none") {
    std::fprintf(
        stderr,
        "usage: %s "
        "none|baseline|ours|general|shuffled|encode|e2e-none|e2e|e2e-batch|materialize-none|"
        "materialize\n",
        argv[0]);
    return 2;
  }
  std::printf("%s: checksum %zu\n", mode.c_str(), checksum);
  return 0;
}
