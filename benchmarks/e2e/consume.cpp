// The end-to-end benchmark's consuming contenders. Each reads the whole topic from offset 0 to
// the end offsets it had at start, then prints one JSON result line (the contract shared with
// the JVM peers, see docs/performance.md).
//
//   upsertkit_e2e_consume --mode raw|parse|source --brokers B --topic T [--properties K=V ...]
//       [--store memory|rocksdb --state-dir DIR [--dynamic-membership]]   (source)
//       [--workers N]                                                      (source, pipe)
//       [--pass-through]                                                   (pipe)
//   upsertkit_e2e_consume --mode pipe --brokers B --topic T --out-topic OUT
//       --guarantee at-least-once|exactly-once [--commit-interval MS] [--partitions P]
//       [--drop-topic]
//
//   raw     the ceiling: librdkafka's consumer (through the thin client), every partition
//           assigned, messages and key+value bytes counted, nothing decoded
//   parse   a second ceiling: the raw consumer plus raw simdjson On-Demand over every value
//           (copied into a reused padded buffer, every field of the order touched, as
//           BM_SimdjsonBaselineOrders does) and tombstones counted; nothing materialized. The
//           JSON parse is a cost every decoding consumer pays: the gap between raw and parse
//           is not the source's to close
//   source  upsertkit::upsert_source (a bounded scan to the latest offsets) into the
//           materializer; the handler only counts the changelog by kind
//   pipe    `INSERT INTO out SELECT * FROM in`: the upsert source in a consumer group (of its
//           own) whose handler is an upsert sink writing OUT (created anew, P partitions),
//           reading the topic to its end. Every --commit-interval (100 ms by default, Kafka
//           Streams' exactly-once default) the source reaches its durability point: at-least-once
//           flushes the sink and commits; exactly-once commits the sink's transaction with the
//           source's offsets in it. The window ends after the last commit and the sink's close.
//           "written" counts the records sent; "commits" the durability points reached
//
// --workers N (source, pipe): N workers in N threads (parallel.hpp, `scan.parallelism`): the
// source's without a group, each reading its fixed share of the partitions; the pipe's as N
// members of its group, each with its own sink. The counts are the workers' added up.
//
// --pass-through (pipe): materializer_options::pass_through, every record copied as it is with
// no state; the contender's name gets "-pass-through".
//
// All use e2e::consumer_properties(). The timed window starts before the consumer is created
// (connecting and reading metadata are part of it, alike for all) and ends after the last
// record was processed.
#include <cstdio>
#include <cstring>
#include <exception>

#include "e2e_common.hpp"

#ifdef UPSERTKIT_E2E_ROCKSDB
#include <upsertkit/stores/rocksdb_store.hpp>
#define UPSERTKIT_E2E_ROCKSDB_NAME " or rocksdb"
#else
#define UPSERTKIT_E2E_ROCKSDB_NAME ""
#endif
#include <filesystem>

namespace {

using namespace std::chrono_literals;

constexpr auto scan_timeout = 30min;

// Parses every value with raw simdjson On-Demand and touches every field of the order, as
// BM_SimdjsonBaselineOrders (benchmarks/core_bench.cpp) does, except that the DOUBLE columns
// are JSON numbers here (the workload's encoder writes numbers). Each value is copied into one
// reused buffer with simdjson's padding, as a consumer of librdkafka's unpadded payloads must.
class value_parser {
 public:
  void operator()(std::string_view value) {
    if (buffer_.size() < value.size() + simdjson::SIMDJSON_PADDING)
      buffer_.resize(2 * value.size() + simdjson::SIMDJSON_PADDING);
    std::memcpy(buffer_.data(), value.data(), value.size());
    simdjson::ondemand::document doc =
        parser_.iterate(buffer_.data(), value.size(), buffer_.size());
    for (auto field : doc.get_object()) {
      const std::string_view key = field.unescaped_key();
      if (key == "pay_amount" || key == "real_pay") {
        const double d = field.value().get_double();
        checksum_ += static_cast<std::uint64_t>(d);
      } else {
        const std::string_view text = field.value().get_string();
        checksum_ += text.size();
      }
    }
  }
  std::uint64_t checksum() const noexcept { return checksum_; }

 private:
  simdjson::ondemand::parser parser_;
  std::vector<char> buffer_;
  std::uint64_t checksum_ = 0;
};

// The raw consumer; with Parse, the parse ceiling (a template parameter, so the raw loop has
// nothing more than before). simdjson errors throw (exceptions on).
template <bool Parse>
int run_raw(const e2e::args& a) {
  const std::string topic = a.required("topic");
  e2e::counts c;
  value_parser parser;
  std::uint64_t tombstones = 0;
  const e2e::window timing;
  upsertkit::kafka::config conf;
  conf.set("bootstrap.servers", a.required("brokers"));
  // librdkafka 2.0 needs a group.id even for manual assignment; nothing is committed.
  conf.set("group.id", "upsertkit-e2e-raw-" + std::to_string(std::random_device()()));
  conf.set("enable.auto.commit", "false");
  conf.set("enable.auto.offset.store", "false");
  conf.set("auto.offset.reset", "earliest");
  for (const auto& [k, v] : e2e::consumer_properties())
    conf.set(k, v);
  for (const auto& [k, v] : a.properties())
    conf.set(k, v);
  upsertkit::kafka::consumer consumer(std::move(conf));
  const std::int32_t partitions = consumer.partition_count(topic, 30s);
  std::vector<std::int64_t> end(static_cast<std::size_t>(partitions));
  std::vector<std::int64_t> next(static_cast<std::size_t>(partitions), 0);
  std::int32_t open = 0;
  for (std::int32_t p = 0; p < partitions; ++p) {
    const auto [low, high] = consumer.watermarks(topic, p, 30s);
    end[static_cast<std::size_t>(p)] = high;
    next[static_cast<std::size_t>(p)] = low;
    if (low < high) ++open;
  }
  consumer.assign_all(topic, partitions, RD_KAFKA_OFFSET_BEGINNING);
  const auto deadline = std::chrono::steady_clock::now() + scan_timeout;
  while (open > 0) {
    if (std::chrono::steady_clock::now() > deadline)
      throw std::runtime_error("the topic was not read to its end in time");
    const upsertkit::kafka::message m = consumer.poll(100ms);
    if (!m) continue;
    if (m.error() == RD_KAFKA_RESP_ERR__PARTITION_EOF) continue;
    if (m.error() != RD_KAFKA_RESP_ERR_NO_ERROR)
      throw upsertkit::kafka::kafka_error(m.error(), "cannot consume: " + m.error_text(), topic,
                                          m.partition(), m.offset());
    const auto p = static_cast<std::size_t>(m.partition());
    if (m.offset() >= end[p]) continue;  // written after the start: not part of the scan
    ++c.records;
    const auto value = m.value();
    c.bytes += (m.key() ? m.key()->size() : 0) + (value ? value->size() : 0);
    if constexpr (Parse) {
      if (value)
        parser(*value);
      else
        ++tombstones;
    }
    next[p] = m.offset() + 1;
    if (next[p] >= end[p]) --open;
  }
  const double seconds = timing.seconds();
  const double cpu = timing.cpu_seconds();
  consumer.close();
  if constexpr (!Parse) {
    e2e::print_result("raw-consume", c, seconds, cpu);
    return 0;
  }
  char extra[96];
  std::snprintf(extra, sizeof extra, ",\"tombstones\":%llu,\"checksum\":%llu",
                static_cast<unsigned long long>(tombstones),
                static_cast<unsigned long long>(parser.checksum()));
  e2e::print_result("parse", c, seconds, cpu, extra);
  return 0;
}

// Counts the changelog and does nothing else with it.
struct counting_handler {
  e2e::counts* c;
  void operator()(const upsertkit::change<orders::Order>& change) const noexcept {
    switch (change.kind) {
      case upsertkit::row_kind::insert:
        ++c->inserts;
        break;
      case upsertkit::row_kind::update_before:
        ++c->update_befores;
        break;
      case upsertkit::row_kind::update_after:
        ++c->update_afters;
        break;
      case upsertkit::row_kind::delete_:
        ++c->deletes;
        break;
    }
  }
};

// What the source of `source` and of `pipe` shares: the topic, e2e::consumer_properties() and
// --properties on top.
upsertkit::source_options source_options_from(const e2e::args& a) {
  upsertkit::source_options options;
  options.topic = a.required("topic");
  options.bootstrap_servers = a.required("brokers");
  options.properties = e2e::consumer_properties();
  for (const auto& [k, v] : a.properties())
    options.properties[k] = v;
  // The seed's orders table declares no `headers` metadata column; Flink reads only the
  // metadata a table declares, and so do we here.
  options.read_headers = false;
  return options;
}

// --store rocksdb --state-dir DIR: the table's state in RocksDB under DIR (a restart with the
// same DIR and group reads from the state's checkpoint; in a group it is a static member
// unless --dynamic-membership). The result adds the peak RSS and the state's bytes on disk.
template <class Source>
upsertkit::source_counters counters_then_close(Source& source) {
  upsertkit::source_counters counters = source.counters();
  source.close();
  return counters;
}

template <class Store>
int run_source(const e2e::args& a) {
  e2e::counts c;
  const int workers = static_cast<int>(a.number("workers", 1));
  std::vector<e2e::counts> per_worker(static_cast<std::size_t>(workers));
  const e2e::window timing;
  upsertkit::source_options options = source_options_from(a);
  options.bounded.mode = upsertkit::bounded_mode::latest_offset;  // scan.bounded.mode
  if (a.flag("state-dir")) options.state_dir = a.get("state-dir");
  options.static_membership = !a.flag("dynamic-membership");
  upsertkit::source_counters counters;
  double seconds = 0;
  double cpu = 0;
  if (workers == 1) {
    upsertkit::upsert_source<orders::table, counting_handler, Store> source(std::move(options),
                                                                            counting_handler{&c});
    source.run_to_bound(scan_timeout);
    seconds = timing.seconds();
    cpu = timing.cpu_seconds();
    counters = counters_then_close(source);
  } else {
    options.parallelism = workers;
    upsertkit::parallel_source<orders::table, counting_handler, Store> source(
        std::move(options), [&](std::size_t w) { return counting_handler{&per_worker[w]}; });
    source.run_to_bound(scan_timeout);
    seconds = timing.seconds();
    cpu = timing.cpu_seconds();
    counters = counters_then_close(source);
    for (const e2e::counts& w : per_worker) {
      c.inserts += w.inserts;
      c.update_befores += w.update_befores;
      c.update_afters += w.update_afters;
      c.deletes += w.deletes;
    }
  }
  c.records = counters.records;
  c.bytes = counters.bytes;
  c.unchanged = counters.unchanged;
  // The materializer's own counters must agree with the handler's.
  if (counters.inserts != c.inserts || counters.update_befores != c.update_befores ||
      counters.update_afters != c.update_afters || counters.deletes != c.deletes)
    throw std::runtime_error("the materializer's counters disagree with the handler's");
  std::uint64_t disk = 0;
  if (a.flag("state-dir") && std::filesystem::exists(a.get("state-dir")))
    for (const auto& f : std::filesystem::recursive_directory_iterator(a.get("state-dir")))
      if (f.is_regular_file()) disk += f.file_size();
  char extra[320];
  std::snprintf(extra, sizeof extra,
                ",\"state_keys\":%llu,\"state_bytes\":%llu,\"skipped\":%llu,\"dropped\":%llu,"
                "\"replayed\":%llu,\"peak_rss_kb\":%llu,\"state_disk_bytes\":%llu,"
                "\"store\":\"%s\"",
                static_cast<unsigned long long>(counters.state_keys),
                static_cast<unsigned long long>(counters.state_bytes),
                static_cast<unsigned long long>(counters.skipped),
                static_cast<unsigned long long>(counters.dropped),
                static_cast<unsigned long long>(counters.replayed),
                static_cast<unsigned long long>(e2e::peak_rss_kb()),
                static_cast<unsigned long long>(disk),
                a.flag("store") ? a.get("store").c_str() : "memory");
  const std::string name =
      workers == 1 ? "upsertkit-source" : "upsertkit-source-" + std::to_string(workers) + "w";
  e2e::print_result(name, c, seconds, cpu,
                    extra + std::string(",\"workers\":") + std::to_string(workers));
  return 0;
}

int run_source(const e2e::args& a) {
  const std::string store = a.flag("store") ? a.get("store") : "memory";
  if (store == "memory") return run_source<upsertkit::memory_store>(a);
#ifdef UPSERTKIT_E2E_ROCKSDB
  if (store == "rocksdb") return run_source<upsertkit::rocksdb_store>(a);
#endif
  throw std::invalid_argument("--store must be memory" + std::string(UPSERTKIT_E2E_ROCKSDB_NAME) +
                              " (not " + store + ")");
}

// The output topic of a pipe run, created anew (and, with --drop-topic, deleted at the end).
class output_topic {
 public:
  output_topic(const e2e::args& a, std::string topic, std::int32_t partitions)
      : brokers_(a.required("brokers")), topic_(std::move(topic)), drop_(a.flag("drop-topic")) {
    upsertkit::kafka::producer admin = make_admin();
    if (e2e::existing_partitions(admin.get(), topic_) > 0) e2e::delete_topic(admin.get(), topic_);
    upsertkit::kafka::create_topic(admin.get(), topic_, partitions, {{"cleanup.policy", "delete"}},
                                   30s);
    admin.partition_count(topic_, 30s);
  }
  output_topic(const output_topic&) = delete;
  output_topic& operator=(const output_topic&) = delete;
  ~output_topic() {
    if (!drop_) return;
    try {
      upsertkit::kafka::producer admin = make_admin();
      e2e::delete_topic(admin.get(), topic_);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "upsertkit_e2e_consume: %s\n", e.what());
    }
  }

 private:
  upsertkit::kafka::producer make_admin() const {
    upsertkit::kafka::config conf;
    conf.set("bootstrap.servers", brokers_);
    return upsertkit::kafka::producer(std::move(conf));
  }
  std::string brokers_;
  std::string topic_;
  bool drop_;
};

// Counts the durability points a pipe's sink reaches (the source calls these members).
class counted_sink : public upsertkit::upsert_sink<orders::table> {
 public:
  using upsert_sink::upsert_sink;
  void flush() {
    ++points_;
    upsert_sink::flush();
  }
  void commit_transaction(const upsertkit::kafka::consumed_offsets& offsets) {
    ++points_;
    upsert_sink::commit_transaction(offsets);
  }
  std::uint64_t points() const noexcept { return points_; }

 private:
  std::uint64_t points_ = 0;
};

// A pipe's two sides: the sink writing OUT under the guarantee (a transactional id of the run's
// own), and the source in a group of the run's own, flushing every --commit-interval.
upsertkit::sink_options pipe_sink_options(const e2e::args& a, const std::string& out,
                                          bool exactly_once, const std::string& run_id) {
  upsertkit::sink_options options;
  options.topic = out;
  options.bootstrap_servers = a.required("brokers");
  options.properties = e2e::producer_properties();
  options.guarantee = exactly_once ? upsertkit::delivery_guarantee::exactly_once
                                   : upsertkit::delivery_guarantee::at_least_once;
  options.transactional_id_prefix = "upsertkit-e2e-pipe-" + run_id;
  return options;
}

upsertkit::source_options pipe_source_options(const e2e::args& a, const std::string& run_id) {
  upsertkit::source_options options = source_options_from(a);
  options.properties["group.id"] = "upsertkit-e2e-pipe-" + run_id;
  options.commit_interval = std::chrono::milliseconds(a.number("commit-interval", 100));
  options.state.pass_through = a.flag("pass-through");
  return options;
}

e2e::counts counts_of(const upsertkit::source_counters& counters) {
  e2e::counts c;
  c.records = counters.records;
  c.bytes = counters.bytes;
  c.inserts = counters.inserts;
  c.update_befores = counters.update_befores;
  c.update_afters = counters.update_afters;
  c.deletes = counters.deletes;
  c.unchanged = counters.unchanged;
  return c;
}

int run_pipe(const e2e::args& a) {
  const std::string guarantee = a.get("guarantee", "at-least-once");
  if (guarantee != "at-least-once" && guarantee != "exactly-once")
    throw std::invalid_argument("--guarantee must be at-least-once or exactly-once");
  const bool exactly_once = guarantee == "exactly-once";
  const std::string out = a.required("out-topic");
  const output_topic topic(a, out, static_cast<std::int32_t>(a.number("partitions", 4)));
  const std::string run_id = std::to_string(std::random_device()());
  const int workers = static_cast<int>(a.number("workers", 1));
  const std::string name = "pipe-" + guarantee +
                           (workers > 1 ? "-" + std::to_string(workers) + "w" : std::string()) +
                           (a.flag("pass-through") ? "-pass-through" : "");
  const auto commit_interval = static_cast<unsigned long long>(a.number("commit-interval", 100));

  const e2e::window timing;
  char extra[200];
  if (workers > 1) {
    // parallel_pipe: N members of the pipe's group, each with its own sink.
    upsertkit::source_options options = pipe_source_options(a, run_id);
    options.parallelism = workers;
    upsertkit::parallel_pipe<orders::table> pipe(std::move(options),
                                                 pipe_sink_options(a, out, exactly_once, run_id));
    pipe.read_to_end(scan_timeout);
    pipe.close(scan_timeout);
    const double seconds = timing.seconds();
    const double cpu = timing.cpu_seconds();
    const upsertkit::source_counters counters = pipe.counters();
    std::snprintf(extra, sizeof extra,
                  ",\"written\":%llu,\"replayed\":%llu,\"commit_interval_ms\":%llu,\"workers\":%d",
                  static_cast<unsigned long long>(pipe.records_sent()),
                  static_cast<unsigned long long>(counters.replayed), commit_interval, workers);
    e2e::print_result(name, counts_of(counters), seconds, cpu, extra);
    return 0;
  }
  counted_sink sink(pipe_sink_options(a, out, exactly_once, run_id));
  upsertkit::upsert_source<orders::table, counted_sink&> source(pipe_source_options(a, run_id),
                                                                sink);
  source.read_to_end(scan_timeout);
  source.close();
  sink.close(scan_timeout);
  const double seconds = timing.seconds();
  const double cpu = timing.cpu_seconds();
  std::snprintf(extra, sizeof extra,
                ",\"written\":%llu,\"commits\":%llu,\"commit_interval_ms\":%llu",
                static_cast<unsigned long long>(sink.records_sent()),
                static_cast<unsigned long long>(sink.points()), commit_interval);
  e2e::print_result(name, counts_of(source.counters()), seconds, cpu, extra);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  return e2e::guarded_main(
      "upsertkit_e2e_consume",
      "--mode raw|parse|source|pipe --brokers B --topic T "
      "[--out-topic OUT --guarantee G --commit-interval MS] "
      "[--properties K=V]...",
      [&] {
        const e2e::args a(argc, argv);
        const std::string mode = a.get("mode");
        if (mode == "raw") return run_raw<false>(a);
        if (mode == "parse") return run_raw<true>(a);
        if (mode == "source") return run_source(a);
        if (mode == "pipe") return run_pipe(a);
        throw std::invalid_argument("--mode must be raw, parse, source or pipe");
      });
}
