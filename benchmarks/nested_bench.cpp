// Benchmarks of a nested table (ARRAY of ROW, ARRAY<STRING>, MAP<STRING, STRING>, ROW): JSON
// decode against a hand-written simdjson On-Demand reader of the same records (the ceiling),
// and the materializer against the same state machine written with std::unordered_map (the
// peer), both measured in the same run (docs/performance.md, "Nested columns").
#include <benchmark/benchmark.h>
#include <simdjson.h>
#include <upsertkit/formats/json.hpp>
#include <upsertkit/materializer.hpp>
#include <upsertkit/row_codec.hpp>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "nested_data.hpp"
#include "unordered_map_peer.hpp"

namespace {

using nested_bench::json_values;
using nested_bench::make_record;
using nested_bench::NestedOrder;
using nested_bench::table;

std::size_t total_bytes(const std::vector<std::string>& values) {
  std::size_t n = 0;
  for (const auto& v : values)
    n += v.size();
  return n;
}

void set_counters(benchmark::State& state, const std::vector<std::string>& values) {
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * values.size()));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * total_bytes(values)));
}

// The ceiling (nested_bench::simdjson_read): a hand-written simdjson On-Demand reader that
// touches every value once and keeps nothing, on pre-padded inputs.
void BM_SimdjsonBaselineNested(benchmark::State& state) {
  const auto& values = json_values();
  std::vector<simdjson::padded_string> padded(values.begin(), values.end());
  simdjson::ondemand::parser parser;
  for (auto _ : state) {
    std::size_t checksum = 0;
    for (const auto& json : padded)
      checksum += nested_bench::simdjson_read(parser, json);
    benchmark::DoNotOptimize(checksum);
  }
  set_counters(state, values);
}
BENCHMARK(BM_SimdjsonBaselineNested);

void BM_JsonDecodeNested(benchmark::State& state) {
  const auto& values = json_values();
  upsertkit::json::codec<table> codec(upsertkit::table_projections<table>().value);
  NestedOrder row{};
  for (auto _ : state) {
    for (const auto& json : values) {
      auto status = codec.decode(json, row);
      if (!status) state.SkipWithError(status.describe().c_str());
      benchmark::DoNotOptimize(row);
    }
  }
  set_counters(state, values);
}
BENCHMARK(BM_JsonDecodeNested);

void BM_JsonEncodeNested(benchmark::State& state) {
  const auto& values = json_values();
  upsertkit::json::codec<table> codec(upsertkit::table_projections<table>().value);
  // Decoded once, before timing: the rows' views point into `values`, which outlive them.
  std::vector<NestedOrder> rows(values.size());
  for (std::size_t i = 0; i < values.size(); ++i)
    if (!codec.decode(values[i], rows[i])) state.SkipWithError("decode");
  std::string out;
  for (auto _ : state) {
    for (const auto& row : rows) {
      out.clear();
      codec.encode(row, out);
      benchmark::DoNotOptimize(out.data());
    }
  }
  set_counters(state, values);
}
BENCHMARK(BM_JsonEncodeNested);

// The materializer: 200,000 changes over 20,000 keys, ~10% identical rows, ~5% tombstones,
// applied to an empty state each iteration; rows decoded before timing.
struct change_input {
  std::vector<std::string> messages;  // the rows' strings point into these
  std::vector<NestedOrder> rows;
  std::vector<bool> tombstone;
};

const change_input& materialize_input() {
  static const change_input input = [] {
    change_input in;
    constexpr std::size_t changes = 200000, keys = 20000;
    std::mt19937_64 random(7);
    std::vector<std::string> last(keys);
    in.messages.reserve(changes);
    for (std::size_t i = 0; i < changes; ++i) {
      const std::size_t key = static_cast<std::size_t>(random() % keys);
      const unsigned roll = static_cast<unsigned>(random() % 100);
      const bool tomb = roll < 5;
      if (roll >= 5 && roll < 15 && !last[key].empty())
        in.messages.push_back(last[key]);  // an identical row
      else
        in.messages.push_back(make_record(key, random));
      last[key] = tomb ? std::string() : in.messages.back();
      in.tombstone.push_back(tomb);
    }
    upsertkit::json::codec<table> codec(upsertkit::table_projections<table>().value);
    in.rows.resize(changes);
    for (std::size_t i = 0; i < changes; ++i)
      (void)codec.decode(in.messages[i], in.rows[i]);
    return in;
  }();
  return input;
}

struct counting_handler {
  std::uint64_t* counts;
  void operator()(const upsertkit::change<NestedOrder>& c) { ++counts[static_cast<int>(c.kind)]; }
};

void BM_MaterializeNested(benchmark::State& state) {
  const auto& input = materialize_input();
  std::uint64_t counts[4] = {};
  for (auto _ : state) {
    upsertkit::materializer<table, counting_handler> m(counting_handler{counts});
    for (std::size_t i = 0; i < input.rows.size(); ++i) {
      if (input.tombstone[i])
        m.remove(0, input.rows[i]);
      else
        m.upsert(0, input.rows[i]);
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * input.rows.size()));
  state.counters["updates"] =
      static_cast<double>(counts[2]) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_MaterializeNested)->Unit(benchmark::kMillisecond);

// The peer (unordered_map_peer.hpp), as BM_MaterializeUnorderedMapBaseline is for the flat
// orders table.
void BM_MaterializeNestedUnorderedMapBaseline(benchmark::State& state) {
  const auto& input = materialize_input();
  std::uint64_t counts[4] = {};
  for (auto _ : state) {
    const std::size_t keys = bench_peer::apply_to_unordered_map<table>(
        input.rows, input.rows.size(), [&](std::size_t i) { return input.tombstone[i]; },
        [](const NestedOrder& row) { return row.order_id; }, counts);
    benchmark::DoNotOptimize(keys);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * input.rows.size()));
}
BENCHMARK(BM_MaterializeNestedUnorderedMapBaseline)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
