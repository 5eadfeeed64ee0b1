// Benchmarks of the offline core: JSON/CSV decode and encode, the materializer, murmur2.
// Each group has a baseline measured in the same run (raw simdjson, std::unordered_map) so
// docs/performance.md can quote ratios rather than machine-dependent absolute numbers.
#include <benchmark/benchmark.h>
#include <simdjson.h>
#include <upsertkit/upsertkit.hpp>
#ifdef UPSERTKIT_BENCH_ROCKSDB
#include <unistd.h>

#include <filesystem>
#include <upsertkit/stores/rocksdb_store.hpp>
#endif

#include <algorithm>
#include <cstdlib>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "orders/orders_table.hpp"
#include "orders_data.hpp"
#include "unordered_map_peer.hpp"

namespace {

using orders::Order;
using table = orders::table;

constexpr std::size_t record_count = 10000;

// The field order of the JSON values: the schema's; a new random order per record (the worst
// case: no two records alike); or one fixed order other than the schema's for every record
// (a producer that writes its fields in another order).
enum class field_order { schema, shuffled, reordered };

const std::vector<std::string>& json_values(field_order order) {
  static const auto make = [](field_order o) {
    std::mt19937_64 random(42);
    std::vector<std::string> values;
    for (std::size_t i = 0; i < record_count; ++i) {
      const orders_bench::order_fields fields = orders_bench::make_order(i, random);
      std::mt19937_64 fixed(7);  // the same permutation for every record
      values.push_back(orders_bench::to_json(fields, o == field_order::shuffled    ? &random
                                                     : o == field_order::reordered ? &fixed
                                                                                   : nullptr));
    }
    return values;
  };
  static const std::vector<std::string> in_order = make(field_order::schema);
  static const std::vector<std::string> shuffled_values = make(field_order::shuffled);
  static const std::vector<std::string> reordered_values = make(field_order::reordered);
  return order == field_order::shuffled    ? shuffled_values
         : order == field_order::reordered ? reordered_values
                                           : in_order;
}

std::size_t total_bytes(const std::vector<std::string>& values) {
  std::size_t n = 0;
  for (const auto& v : values)
    n += v.size();
  return n;
}

// The ceiling: a hand-written simdjson On-Demand reader of the same records that touches every
// field once (iterating the object and dispatching on the key, as our decoder does), reading
// strings as views and the two amounts as doubles. Inputs are pre-padded, so it does not even
// pay the copy into a padded buffer that messages from Kafka need.
void simdjson_baseline(benchmark::State& state, field_order order) {
  const auto& values = json_values(order);
  std::vector<simdjson::padded_string> padded(values.begin(), values.end());
  simdjson::ondemand::parser parser;
  for (auto _ : state) {
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
    benchmark::DoNotOptimize(checksum);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * values.size()));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * total_bytes(values)));
}

void BM_SimdjsonBaselineOrders(benchmark::State& state) {
  simdjson_baseline(state, field_order::schema);
}
BENCHMARK(BM_SimdjsonBaselineOrders);

// The ceiling on the shuffled records: what the same minimal reader pays when no two records
// have their fields in the same order (the branch history of the field loop is of no help).
// Its time over BM_SimdjsonBaselineOrders' is the part of the shuffle penalty any reader that
// walks the fields pays.
void BM_SimdjsonBaselineOrdersShuffled(benchmark::State& state) {
  simdjson_baseline(state, field_order::shuffled);
}
BENCHMARK(BM_SimdjsonBaselineOrdersShuffled);

// `general`: decode_general(), simdjson's walk of every message, without decode()'s
// flat-object fast path.
void json_decode_values(benchmark::State& state, const std::vector<std::string>& values,
                        bool general) {
  upsertkit::table_projections<table> projections;
  upsertkit::json::codec<table> codec(projections.value);
  Order row{};
  for (auto _ : state) {
    for (const auto& json : values) {
      auto status = general ? codec.decode_general(json, row) : codec.decode(json, row);
      if (!status) state.SkipWithError(status.describe().c_str());
      benchmark::DoNotOptimize(row);
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * values.size()));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * total_bytes(values)));
}

void json_decode(benchmark::State& state, field_order order, bool general = false) {
  json_decode_values(state, json_values(order), general);
}

void BM_JsonDecodeOrders(benchmark::State& state) {
  json_decode(state, field_order::schema);
}
BENCHMARK(BM_JsonDecodeOrders);

// The same records through simdjson's walk (decode_general): what decode() cost before its
// fast path, and what it costs for messages the fast path leaves to simdjson.
void BM_JsonDecodeOrdersGeneral(benchmark::State& state) {
  json_decode(state, field_order::schema, true);
}
BENCHMARK(BM_JsonDecodeOrdersGeneral);

// The same orders as Flink's JSON format (and upsertkit's encoder) writes them: compact, the
// DOUBLE columns as numbers (`"pay_amount":60.5`), not the seed's strings.
const std::vector<std::string>& flink_written_values() {
  static const std::vector<std::string> values = [] {
    upsertkit::table_projections<table> projections;
    upsertkit::json::codec<table> codec(projections.value);
    std::vector<std::string> out;
    for (const std::string& json : json_values(field_order::schema)) {
      Order row{};
      if (!codec.decode(json, row)) std::abort();
      codec.encode(row, out.emplace_back());
    }
    return out;
  }();
  return values;
}

void BM_JsonDecodeOrdersFlinkWritten(benchmark::State& state) {
  json_decode_values(state, flink_written_values(), false);
}
BENCHMARK(BM_JsonDecodeOrdersFlinkWritten);

void BM_JsonDecodeOrdersFlinkWrittenGeneral(benchmark::State& state) {
  json_decode_values(state, flink_written_values(), true);
}
BENCHMARK(BM_JsonDecodeOrdersFlinkWrittenGeneral);

void BM_JsonDecodeOrdersShuffled(benchmark::State& state) {
  json_decode(state, field_order::shuffled);
}
BENCHMARK(BM_JsonDecodeOrdersShuffled);

// One fixed order other than the schema's, the same for every record.
void BM_JsonDecodeOrdersReordered(benchmark::State& state) {
  json_decode(state, field_order::reordered);
}
BENCHMARK(BM_JsonDecodeOrdersReordered);

// The baseline of the shuffled case: simdjson On-Demand looking fields up by name in schema
// order (`object["field"]`), what a simdjson user most often writes.
void BM_SimdjsonFindFieldShuffled(benchmark::State& state) {
  const auto& values = json_values(field_order::shuffled);
  std::vector<simdjson::padded_string> padded(values.begin(), values.end());
  simdjson::ondemand::parser parser;
  static constexpr const char* names[] = {"order_id",   "order_channel", "order_time",
                                          "pay_amount", "real_pay",      "pay_time",
                                          "user_id",    "user_name",     "area_id"};
  for (auto _ : state) {
    std::size_t checksum = 0;
    for (const auto& json : padded) {
      simdjson::ondemand::document doc = parser.iterate(json);
      simdjson::ondemand::object object = doc.get_object();
      for (const char* name : names) {
        std::string_view s = object[name].get_string();
        checksum += s.size();
      }
    }
    benchmark::DoNotOptimize(checksum);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * values.size()));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * total_bytes(values)));
}
BENCHMARK(BM_SimdjsonFindFieldShuffled);

void BM_JsonEncodeOrders(benchmark::State& state) {
  const auto& values = json_values(field_order::schema);
  upsertkit::table_projections<table> projections;
  upsertkit::json::codec<table> codec(projections.value);
  std::vector<Order> rows(values.size());
  for (std::size_t i = 0; i < values.size(); ++i)
    (void)codec.decode(values[i], rows[i]);
  // Decoded rows point into the codec's scratch only for escaped strings; these have none.
  std::string out;
  std::size_t bytes = 0;
  for (auto _ : state) {
    for (const auto& row : rows) {
      out.clear();
      codec.encode(row, out);
      bytes += out.size();
      benchmark::DoNotOptimize(out.data());
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * rows.size()));
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}
BENCHMARK(BM_JsonEncodeOrders);

void BM_CsvDecodeKey(benchmark::State& state) {
  std::vector<std::string> keys;
  for (std::size_t i = 0; i < record_count; ++i)
    keys.push_back(orders_bench::order_id(i));
  upsertkit::table_projections<table> projections;
  upsertkit::csv::codec<table> codec(projections.key);
  Order row{};
  for (auto _ : state) {
    for (const auto& key : keys) {
      auto status = codec.decode(key, row);
      benchmark::DoNotOptimize(status);
      benchmark::DoNotOptimize(row.order_id);
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * keys.size()));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * keys.size() * 18));
}
BENCHMARK(BM_CsvDecodeKey);

void BM_Murmur2(benchmark::State& state) {
  std::vector<std::string> keys;
  for (std::size_t i = 0; i < record_count; ++i)
    keys.push_back(orders_bench::order_id(i));
  for (auto _ : state) {
    std::uint32_t sum = 0;
    for (const auto& key : keys)
      sum += static_cast<std::uint32_t>(upsertkit::partition_for_key(key, 12));
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * keys.size()));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * keys.size() * 18));
}
BENCHMARK(BM_Murmur2);

// ---------------------------------------------------------------------------------------------
// The materializer: 1M changes over 100k keys, ~10% identical rows, ~5% tombstones, applied to
// an empty state each iteration. Rows are decoded before timing.

// The changes as canonical row bytes in one contiguous buffer: the benchmark reads its input
// sequentially (as a consumer reads a fetched batch), so what it measures is the state.
struct decoded_stream {
  std::vector<orders_bench::record> records;
  std::string rows;                                        // canonical bytes, back to back
  std::vector<std::pair<std::size_t, std::size_t>> spans;  // offset and size per change
  std::size_t raw_bytes_of_final_state = 0;
  std::size_t final_keys = 0;
};

decoded_stream make_decoded_stream(std::size_t changes, std::size_t keys) {
  decoded_stream s;
  s.records = orders_bench::upsert_stream(changes, keys, 7);
  upsertkit::table_projections<table> projections;
  upsertkit::json::codec<table> codec(projections.value);
  std::unordered_map<std::string_view, std::size_t> final_state;
  Order row{};
  for (const auto& r : s.records) {
    row = Order{};
    row.order_id = r.key;
    if (r.tombstone) {
      final_state.erase(r.key);
    } else {
      (void)codec.decode(r.value, row);
      final_state[r.key] = r.key.size() + r.value.size();
    }
    const std::size_t at = s.rows.size();
    upsertkit::row_codec<table>::encode(row, s.rows);
    s.spans.emplace_back(at, s.rows.size() - at);
  }
  for (const auto& [key, bytes] : final_state)
    s.raw_bytes_of_final_state += bytes;
  s.final_keys = final_state.size();
  return s;
}

const decoded_stream& materialize_input() {
  static const decoded_stream stream = make_decoded_stream(1000000, 100000);
  return stream;
}

// The changes decoded into rows once, before any timing: what a format decoder hands over.
std::vector<Order> decode_rows(const decoded_stream& input) {
  std::vector<Order> decoded(input.spans.size());
  const std::string_view bytes = input.rows;
  for (std::size_t i = 0; i < input.spans.size(); ++i)
    upsertkit::row_codec<table>::decode(bytes.substr(input.spans[i].first, input.spans[i].second),
                                        decoded[i]);
  return decoded;
}

const std::vector<Order>& materialize_rows() {
  static const std::vector<Order> rows = decode_rows(materialize_input());
  return rows;
}

struct counting_handler {
  std::uint64_t* counts;
  void operator()(const upsertkit::change<Order>& c) { ++counts[static_cast<int>(c.kind)]; }
};

// One upsert or remove call per change, at partition 0.
template <class Materializer>
void apply_one_by_one(Materializer& m, const decoded_stream& input,
                      const std::vector<Order>& rows) {
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (input.records[i].tombstone)
      m.remove(0, rows[i]);
    else
      m.upsert(0, rows[i]);
  }
}

void BM_Materialize(benchmark::State& state) {
  const auto& input = materialize_input();
  const auto& rows = materialize_rows();
  std::uint64_t counts[4] = {};
  std::size_t state_bytes = 0, keys = 0;
  for (auto _ : state) {
    upsertkit::materializer<table, counting_handler> m(counting_handler{counts});
    apply_one_by_one(m, input, rows);
    state.PauseTiming();
    state_bytes = m.state_bytes();
    keys = m.state_keys();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * input.spans.size()));
  state.counters["state_keys"] = static_cast<double>(keys);
  state.counters["state_bytes_per_key"] =
      static_cast<double>(state_bytes) / static_cast<double>(keys);
  state.counters["raw_bytes_per_key"] =
      static_cast<double>(input.raw_bytes_of_final_state) / static_cast<double>(input.final_keys);
  state.counters["memory_vs_raw"] =
      static_cast<double>(state_bytes) / static_cast<double>(input.raw_bytes_of_final_state);
}
BENCHMARK(BM_Materialize)->Unit(benchmark::kMillisecond);

// The same mix over 1,000 keys (200,000 changes), record by record: the state (~200 KB) stays
// in the core's cache, so this is the materializer's cost without memory misses, the floor
// BM_Materialize would reach if its 100,000 keys' state did not miss.
void BM_MaterializeStateInCache(benchmark::State& state) {
  static const decoded_stream input = make_decoded_stream(200000, 1000);
  static const std::vector<Order> rows = decode_rows(input);
  std::uint64_t counts[4] = {};
  for (auto _ : state) {
    upsertkit::materializer<table, counting_handler> m(counting_handler{counts});
    apply_one_by_one(m, input, rows);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * rows.size()));
}
BENCHMARK(BM_MaterializeStateInCache)->Unit(benchmark::kMillisecond);

// The same changes handed over in batches (materializer::apply), as a consumer hands over a
// fetched batch: the state of a batch's keys is loaded ahead, so lookups overlap.
void BM_MaterializeBatch(benchmark::State& state) {
  const auto& input = materialize_input();
  const auto batch = static_cast<std::size_t>(state.range(0));
  std::uint64_t counts[4] = {};
  std::size_t state_bytes = 0, keys = 0;
  const auto& rows = materialize_rows();
  std::vector<upsertkit::upsert_op<Order>> ops(batch);
  for (auto _ : state) {
    upsertkit::materializer<table, counting_handler> m(counting_handler{counts});
    for (std::size_t at = 0; at < rows.size(); at += batch) {
      const std::size_t n = std::min(batch, rows.size() - at);
      for (std::size_t i = 0; i < n; ++i)
        ops[i] = {0, &rows[at + i], input.records[at + i].tombstone, nullptr};
      benchmark::DoNotOptimize(m.apply(std::span(ops.data(), n)).done);
    }
    state.PauseTiming();
    state_bytes = m.state_bytes();
    keys = m.state_keys();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * input.spans.size()));
  state.counters["memory_vs_raw"] =
      static_cast<double>(state_bytes) / static_cast<double>(input.raw_bytes_of_final_state);
  state.counters["state_keys"] = static_cast<double>(keys);
}
BENCHMARK(BM_MaterializeBatch)->Arg(64)->Unit(benchmark::kMillisecond);

#ifdef UPSERTKIT_BENCH_ROCKSDB
// BM_MaterializeBatch on the RocksDB store, committed every `commit_every` changes as a source
// commits at its durability points (writing the changes since the last commit, the
// checkpoint and the key count): a first build of 100,000 keys into an empty directory, then
// (Arg 2) the same changes again over the stored state, which every key is read from.
void BM_MaterializeBatchRocksdb(benchmark::State& state) {
  const auto& input = materialize_input();
  const auto& rows = materialize_rows();
  const auto passes = static_cast<std::size_t>(state.range(0));
  constexpr std::size_t batch = 64, commit_every = 100000;
  const std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                    ("upsertkit-bench-rocksdb-" + std::to_string(::getpid()));
  std::uint64_t counts[4] = {};
  std::vector<upsertkit::upsert_op<Order>> ops(batch);
  for (auto _ : state) {
    state.PauseTiming();
    std::filesystem::remove_all(dir);
    state.ResumeTiming();
    {
      upsertkit::materializer<table, counting_handler, upsertkit::rocksdb_store> m(
          counting_handler{counts});
      m.set_store_factory([&](std::int32_t) {
        upsertkit::rocksdb_store_options o;
        o.path = dir;
        o.fingerprint = "bench";
        return std::make_unique<upsertkit::rocksdb_store>(std::move(o));
      });
      for (std::size_t pass = 0; pass < passes; ++pass) {
        std::size_t since_commit = 0;
        for (std::size_t at = 0; at < rows.size(); at += batch) {
          const std::size_t n = std::min(batch, rows.size() - at);
          for (std::size_t i = 0; i < n; ++i)
            ops[i] = {0, &rows[at + i], input.records[at + i].tombstone, nullptr};
          benchmark::DoNotOptimize(m.apply(std::span(ops.data(), n)).done);
          since_commit += n;
          auto& store = m.partition_store(0);
          if (since_commit >= commit_every || store.commit_due()) {
            store.commit(static_cast<std::int64_t>(pass * rows.size() + at + n));
            since_commit = 0;
          }
        }
        m.partition_store(0).commit(static_cast<std::int64_t>((pass + 1) * rows.size()));
      }
    }
  }
  std::filesystem::remove_all(dir);
  state.SetItemsProcessed(
      static_cast<std::int64_t>(state.iterations() * passes * input.spans.size()));
}
BENCHMARK(BM_MaterializeBatchRocksdb)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);
#endif

// Peer baseline (unordered_map_peer.hpp): the same state machine written the obvious way, with
// std::unordered_map<std::string, std::string> holding the canonical row bytes.
void BM_MaterializeUnorderedMapBaseline(benchmark::State& state) {
  const auto& input = materialize_input();
  const auto& rows = materialize_rows();
  std::uint64_t counts[4] = {};
  for (auto _ : state) {
    const std::size_t keys = bench_peer::apply_to_unordered_map<table>(
        rows, rows.size(), [&](std::size_t i) { return input.records[i].tombstone; },
        [](const Order& row) { return row.order_id; }, counts);
    benchmark::DoNotOptimize(keys);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * input.records.size()));
}
BENCHMARK(BM_MaterializeUnorderedMapBaseline)->Unit(benchmark::kMillisecond);

// End to end offline: CSV key + JSON value bytes through record_decoder and the materializer.
void BM_PipelineOrders(benchmark::State& state) {
  const auto& input = materialize_input();
  std::uint64_t counts[4] = {};
  std::size_t bytes = 0;
  for (const auto& r : input.records)
    bytes += r.key.size() + r.value.size();
  for (auto _ : state) {
    upsertkit::upsert_pipeline<table, counting_handler> pipeline(upsertkit::format_config{},
                                                                 counting_handler{counts});
    upsertkit::record_view view;
    for (const auto& r : input.records) {
      view.key = r.key;
      view.value = r.tombstone ? std::nullopt : std::optional<std::string_view>(r.value);
      pipeline.apply(view);
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * input.records.size()));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
}
BENCHMARK(BM_PipelineOrders)->Unit(benchmark::kMillisecond);

// The same records handed over in batches of 256 (upsert_pipeline::apply(span)), as the Kafka
// source hands over what one poll returned: decoded 32 at a time, then materialized with the
// state of each window's keys loaded ahead.
void BM_PipelineOrdersBatch(benchmark::State& state) {
  const auto& input = materialize_input();
  std::uint64_t counts[4] = {};
  std::size_t bytes = 0;
  std::vector<upsertkit::record_view> views(input.records.size());
  for (std::size_t i = 0; i < input.records.size(); ++i) {
    const auto& r = input.records[i];
    bytes += r.key.size() + r.value.size();
    views[i].key = r.key;
    views[i].value = r.tombstone ? std::nullopt : std::optional<std::string_view>(r.value);
  }
  const std::span<const upsertkit::record_view> all(views);
  for (auto _ : state) {
    upsertkit::upsert_pipeline<table, counting_handler> pipeline(upsertkit::format_config{},
                                                                 counting_handler{counts});
    std::size_t done = 0;
    for (std::size_t at = 0; at < all.size(); at += 256)
      done += pipeline.apply(all.subspan(at, std::min<std::size_t>(256, all.size() - at))).done;
    benchmark::DoNotOptimize(done);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * input.records.size()));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
}
BENCHMARK(BM_PipelineOrdersBatch)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
