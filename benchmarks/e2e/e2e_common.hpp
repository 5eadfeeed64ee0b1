// Shared by the end-to-end benchmark programs (docs/performance.md, "End to end on a real
// broker"): the workload model, the librdkafka properties every contender uses, the clocks and
// the one-line JSON result of the contract with the JVM peers.
#ifndef UPSERTKIT_BENCHMARKS_E2E_COMMON_HPP
#define UPSERTKIT_BENCHMARKS_E2E_COMMON_HPP

#include <simdjson.h>
#include <sys/resource.h>
#include <upsertkit/upsertkit.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "../orders_data.hpp"
#include "orders/orders_table.hpp"

namespace e2e {

// ------------------------------------------------------------------------ command line

/// `--name value` flags; `--flag` alone is "true". Unknown flags are the caller's to refuse.
class args {
 public:
  args(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
      std::string name = argv[i];
      if (name.rfind("--", 0) != 0) throw std::invalid_argument("unexpected argument " + name);
      name = name.substr(2);
      if (i + 1 < argc && std::string_view(argv[i + 1]).rfind("--", 0) != 0) {
        const std::string value = argv[++i];
        if (name == "properties")
          properties_.push_back(value);
        else
          values_[name] = value;
      } else {
        values_[name] = "true";
      }
    }
  }
  std::string get(const std::string& name, const std::string& fallback = {}) const {
    const auto it = values_.find(name);
    return it == values_.end() ? fallback : it->second;
  }
  std::string required(const std::string& name) const {
    const auto it = values_.find(name);
    if (it == values_.end()) throw std::invalid_argument("--" + name + " is required");
    return it->second;
  }
  std::uint64_t number(const std::string& name, std::uint64_t fallback) const {
    const auto it = values_.find(name);
    return it == values_.end() ? fallback : std::stoull(it->second);
  }
  bool flag(const std::string& name) const { return values_.count(name) > 0; }
  /// `--properties K=V`, repeatable: extra librdkafka settings.
  std::map<std::string, std::string> properties() const {
    std::map<std::string, std::string> out;
    for (const std::string& p : properties_) {
      const auto eq = p.find('=');
      if (eq == std::string::npos) throw std::invalid_argument("--properties wants K=V: " + p);
      out[p.substr(0, eq)] = p.substr(eq + 1);
    }
    return out;
  }

 private:
  std::map<std::string, std::string> values_;
  std::vector<std::string> properties_;
};

// ------------------------------------------------------------------------ librdkafka settings

// One set of consumer properties for the raw ceiling and the source, so the ceiling measures
// the same fetch path: bigger fetches than librdkafka's defaults, and the prefetch settings every
// upsertkit reader starts from (kafka::prefetch_defaults, for the librdkafka the program runs
// with). librdkafka stops fetching while its prefetch queue is full and, before 2.2, looks again
// only after a second (librdkafka issue #2879), so a consumer that drains the queue faster sat
// idle: on librdkafka's own queue settings the source read the 2,000,000-record workload in
// 6-8 s instead of 1.3 s (2026-12-08; 14.1 s instead of 4.9 s on 2026-11-29). Before 2.2 the
// remedy is a queue that may hold most of the topic (peak RSS ~300-450 MB instead of ~130 MB);
// from 2.2, a queue of the default size looked at again after 10 ms.
inline std::map<std::string, std::string> consumer_properties() {
  std::map<std::string, std::string> properties{{"fetch.max.bytes", "52428800"},
                                                {"max.partition.fetch.bytes", "4194304"},
                                                {"fetch.wait.max.ms", "100"}};
  properties.merge(upsertkit::kafka::prefetch_defaults());
  return properties;
}

// One set of producer properties for the workload, the raw ceiling and the sink: acks=all and
// idempotence (the sink's default at-least-once guarantee), large batches and a short linger
// so throughput is not capped by per-request overhead, no compression (records are compared
// byte for byte with what the sink would write).
inline std::map<std::string, std::string> producer_properties() {
  return {{"acks", "all"},
          {"enable.idempotence", "true"},
          {"linger.ms", "20"},
          {"batch.size", "1000000"},
          {"batch.num.messages", "100000"},
          {"queue.buffering.max.messages", "1000000"},
          {"queue.buffering.max.kbytes", "1048576"},
          {"compression.type", "none"}};
}

// ------------------------------------------------------------------------ clocks and output

/// Wall and CPU time (user+sys of every thread, librdkafka's included) of a window.
class window {
 public:
  window() : wall_(std::chrono::steady_clock::now()), cpu_(cpu_now()) {}
  double seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_).count();
  }
  double cpu_seconds() const { return cpu_now() - cpu_; }

 private:
  static double cpu_now() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
  }
  std::chrono::steady_clock::time_point wall_;
  double cpu_;
};

// simdjson 3.0's SIMDJSON_VERSION is a bare token (3.0.1), not a string.
#define UPSERTKIT_E2E_STRING(x) #x
#define UPSERTKIT_E2E_EXPAND(x) UPSERTKIT_E2E_STRING(x)

/// A "<field>: N kB" line of /proc/self/status, in KiB; 0 when unknown.
inline std::uint64_t status_kb(const char* field) {
  std::FILE* status = std::fopen("/proc/self/status", "r");
  if (status == nullptr) return 0;
  const std::string format = std::string(field) + ": %llu kB";
  char line[256];
  unsigned long long kb = 0;
  while (std::fgets(line, sizeof line, status) != nullptr)
    if (std::sscanf(line, format.c_str(), &kb) == 1) break;
  std::fclose(status);
  return kb;
}

/// Resident set size now (VmRSS), in KiB; 0 when unknown.
inline std::uint64_t rss_kb() {
  return status_kb("VmRSS");
}

/// The peak resident set size (VmHWM), in KiB; 0 when unknown.
inline std::uint64_t peak_rss_kb() {
  return status_kb("VmHWM");
}

inline std::string version() {
  char buffer[160];
  std::snprintf(buffer, sizeof buffer, "upsertkit %d.%d.%d, librdkafka %s, simdjson %s",
                UPSERTKIT_VERSION_MAJOR, UPSERTKIT_VERSION_MINOR, UPSERTKIT_VERSION_PATCH,
                rd_kafka_version_str(), UPSERTKIT_E2E_EXPAND(SIMDJSON_VERSION));
  return buffer;
}

/// The changelog by kind: what the generator expects and what a contender counted.
struct counts {
  std::uint64_t records = 0;
  std::uint64_t bytes = 0;
  std::uint64_t inserts = 0;
  std::uint64_t update_befores = 0;
  std::uint64_t update_afters = 0;
  std::uint64_t deletes = 0;
  std::uint64_t unchanged = 0;
};

/// The contract's result line (also the JVM peers'): the last line of stdout. `extra` is
/// inserted verbatim (",\"k\":v" pairs).
inline void print_result(const std::string& contender, const counts& c, double seconds,
                         double cpu_seconds, const std::string& extra = {}) {
  std::printf(
      "{\"contender\":\"%s\",\"records\":%llu,\"bytes\":%llu,\"seconds\":%.6f,"
      "\"cpu_seconds\":%.6f,\"inserts\":%llu,\"update_befores\":%llu,\"update_afters\":%llu,"
      "\"deletes\":%llu,\"unchanged\":%llu%s,\"version\":\"%s\"}\n",
      contender.c_str(), static_cast<unsigned long long>(c.records),
      static_cast<unsigned long long>(c.bytes), seconds, cpu_seconds,
      static_cast<unsigned long long>(c.inserts), static_cast<unsigned long long>(c.update_befores),
      static_cast<unsigned long long>(c.update_afters), static_cast<unsigned long long>(c.deletes),
      static_cast<unsigned long long>(c.unchanged), extra.c_str(), version().c_str());
  std::fflush(stdout);
}

/// A program's main: runs `run`, printing `program: what` and the usage for a bad argument
/// (exit 2) and `program: what` for any other failure (exit 1).
template <class Run>
int guarded_main(const char* program, const char* usage, Run&& run) {
  try {
    return run();
  } catch (const std::invalid_argument& e) {
    std::fprintf(stderr, "%s: %s\nusage: %s %s\n", program, e.what(), program, usage);
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: %s\n", program, e.what());
    return 1;
  }
}

// ------------------------------------------------------------------------ topics

/// Partition count of `topic` from the list of all topics, or 0 when it does not exist.
/// (Asking for the topic by name could auto-create it on a broker that allows that.)
inline std::int32_t existing_partitions(rd_kafka_t* rk, const std::string& topic) {
  const rd_kafka_metadata_t* metadata = nullptr;
  const rd_kafka_resp_err_t err = rd_kafka_metadata(rk, 1, nullptr, &metadata, 10000);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
    throw upsertkit::kafka::kafka_error(err, "cannot read the metadata", topic);
  std::int32_t count = 0;
  for (int i = 0; i < metadata->topic_cnt; ++i)
    if (topic == metadata->topics[i].topic) count = std::max(1, metadata->topics[i].partition_cnt);
  rd_kafka_metadata_destroy(metadata);
  return count;
}

/// Deletes `topic` and waits until the cluster no longer lists it.
inline void delete_topic(rd_kafka_t* rk, const std::string& topic) {
  rd_kafka_DeleteTopic_t* request = rd_kafka_DeleteTopic_new(topic.c_str());
  rd_kafka_queue_t* queue = rd_kafka_queue_new(rk);
  rd_kafka_DeleteTopics(rk, &request, 1, nullptr, queue);
  rd_kafka_event_t* event = rd_kafka_queue_poll(queue, 30000);
  rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR__TIMED_OUT;
  if (event != nullptr) {
    err = rd_kafka_event_error(event);
    if (const auto* result = rd_kafka_event_DeleteTopics_result(event);
        result != nullptr && err == RD_KAFKA_RESP_ERR_NO_ERROR) {
      std::size_t n = 0;
      const rd_kafka_topic_result_t** topics = rd_kafka_DeleteTopics_result_topics(result, &n);
      if (n == 1) err = rd_kafka_topic_result_error(topics[0]);
    }
    rd_kafka_event_destroy(event);
  }
  rd_kafka_queue_destroy(queue);
  rd_kafka_DeleteTopic_destroy(request);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR && err != RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART)
    throw upsertkit::kafka::kafka_error(err, "cannot delete the topic", topic);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (existing_partitions(rk, topic) > 0) {
    if (std::chrono::steady_clock::now() > deadline)
      throw std::runtime_error("topic " + topic + " still listed 60 s after its deletion");
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
}

// ------------------------------------------------------------------------ the workload

struct workload_params {
  std::uint64_t records = 2000000;
  std::uint64_t keys = 200000;
  std::uint64_t seed = 42;
  // Percentages of the records after the initial load; they sum to 100.
  unsigned update = 80;
  unsigned repeat = 10;
  unsigned tombstone = 5;
  unsigned fresh = 5;

  static workload_params from(const args& a) {
    workload_params p;
    p.records = a.number("records", p.records);
    p.keys = a.number("keys", p.keys);
    p.seed = a.number("seed", p.seed);
    if (a.flag("mix")) {
      unsigned u = 0, r = 0, t = 0, f = 0;
      if (std::sscanf(a.get("mix").c_str(), "%u,%u,%u,%u", &u, &r, &t, &f) != 4 ||
          u + r + t + f != 100)
        throw std::invalid_argument(
            "--mix wants UPDATE,REPEAT,TOMBSTONE,NEW percentages (sum 100)");
      p.update = u, p.repeat = r, p.tombstone = t, p.fresh = f;
    }
    if (p.keys == 0 || p.records < p.keys)
      throw std::invalid_argument("--records must be at least --keys (the initial load)");
    return p;
  }
};

/// What a record does to the table (Flink's ChangelogNormalize without TTL).
enum class effect : std::uint8_t { insert, update, unchanged, remove };

/// The generator's exact model of the table. run() calls `visit(effect, key, value, before,
/// after)` once per record, in topic order: `key`/`value` are the record's bytes (value
/// std::nullopt for a tombstone), exactly as upsertkit's csv/json encoders write the row;
/// `before` is the row held for the key (updates, deletes), `after` the new row (inserts,
/// updates, repeats). Rows are views valid during the call only.
///
/// Mix: key ids 0..keys-1; the first `keys` records insert every key once; every later record
/// is, by the seeded PRNG, an update of a random live key with a changed value, an identical
/// repeat of a random live key's current value, a tombstone of a random live key, or a new key
/// (a re-insert of a deleted key; an update when none is deleted). With no live key left, a
/// record that needs one becomes a new key.
class workload_model {
 public:
  using row_type = orders::Order;

  explicit workload_model(workload_params params)
      : params_(params),
        projections_(formats_.layout),
        key_codec_(formats_.key_format, projections_.key, formats_.key_options,
                   upsertkit::json::role::key),
        value_codec_(formats_.value_format, projections_.value, formats_.value_options,
                     upsertkit::json::role::value) {}

  template <class Visit>
  counts run(Visit&& visit) {
    std::mt19937_64 random(params_.seed);
    keys_.assign(params_.keys, key_state{});
    live_.clear();
    dead_.clear();
    position_.assign(params_.keys, 0);
    counts c;
    for (std::uint64_t k = 0; k < params_.keys; ++k) {
      key_state& s = keys_[k];
      s.fields = orders_bench::make_order(k, random);
      row_type row = row_of(s.fields);
      s.key.clear();
      key_codec_.encode(row, s.key);
    }
    for (std::uint64_t i = 0; i < params_.records; ++i) {
      if (i < params_.keys) {
        insert(i, random, visit, c);
        continue;
      }
      const unsigned dice = static_cast<unsigned>(random() % 100);
      if (dice < params_.update) {
        if (live_.empty())
          reinsert(random, visit, c);
        else
          update(pick(live_, random), random, visit, c);
      } else if (dice < params_.update + params_.repeat) {
        if (live_.empty())
          reinsert(random, visit, c);
        else
          repeat(pick(live_, random), visit, c);
      } else if (dice < params_.update + params_.repeat + params_.tombstone) {
        if (live_.empty())
          reinsert(random, visit, c);
        else
          remove(pick(live_, random), visit, c);
      } else if (!dead_.empty()) {
        reinsert(random, visit, c);
      } else {
        update(pick(live_, random), random, visit, c);
      }
    }
    return c;
  }

  std::uint64_t live_keys() const noexcept { return live_.size(); }

 private:
  struct key_state {
    orders_bench::order_fields fields;
    std::string key;    // CSV key bytes
    std::string value;  // JSON value bytes of the current row (when live)
  };

  static row_type row_of(const orders_bench::order_fields& f) {
    row_type row;
    row.order_id = f.order_id;
    row.order_channel = f.order_channel;
    row.order_time = f.order_time;
    // DOUBLE columns: the JSON encoder writes numbers (Java's Double.toString).
    row.pay_amount = std::strtod(f.pay_amount.c_str(), nullptr);
    row.real_pay = std::strtod(f.real_pay.c_str(), nullptr);
    row.pay_time = f.pay_time;
    row.user_id = f.user_id;
    row.user_name = f.user_name;
    row.area_id = f.area_id;
    return row;
  }

  static std::uint64_t pick(const std::vector<std::uint64_t>& set, std::mt19937_64& random) {
    return set[random() % set.size()];
  }

  // live_ and dead_ are sets with O(1) add, remove and uniform pick (swap with the last).
  void add(std::vector<std::uint64_t>& set, std::uint64_t k) {
    position_[k] = set.size();
    set.push_back(k);
  }
  void drop(std::vector<std::uint64_t>& set, std::uint64_t k) {
    const std::uint64_t last = set.back();
    set[position_[k]] = last;
    position_[last] = position_[k];
    set.pop_back();
  }

  template <class Visit>
  void insert(std::uint64_t k, std::mt19937_64& random, Visit& visit, counts& c) {
    key_state& s = keys_[k];
    s.fields = orders_bench::make_order(k, random);
    const row_type row = row_of(s.fields);
    s.value.clear();
    value_codec_.encode(row, s.value);
    add(live_, k);
    ++c.inserts;
    emit(effect::insert, s, s.value, nullptr, &row, visit, c);
  }

  template <class Visit>
  void reinsert(std::mt19937_64& random, Visit& visit, counts& c) {
    const std::uint64_t k = pick(dead_, random);
    drop(dead_, k);
    insert(k, random, visit, c);
  }

  template <class Visit>
  void update(std::uint64_t k, std::mt19937_64& random, Visit& visit, counts& c) {
    key_state& s = keys_[k];
    orders_bench::order_fields next;
    std::string value;
    do {  // a changed value: different bytes from the same encoder are a different row
      next = orders_bench::make_order(k, random);
      value.clear();
      value_codec_.encode(row_of(next), value);
    } while (value == s.value);
    const row_type before = row_of(s.fields);
    const row_type after = row_of(next);
    ++c.update_befores;
    ++c.update_afters;
    emit(effect::update, s, value, &before, &after, visit, c);
    s.fields = std::move(next);
    s.value = std::move(value);
  }

  template <class Visit>
  void repeat(std::uint64_t k, Visit& visit, counts& c) {
    key_state& s = keys_[k];
    const row_type row = row_of(s.fields);
    ++c.unchanged;
    emit(effect::unchanged, s, s.value, &row, &row, visit, c);
  }

  template <class Visit>
  void remove(std::uint64_t k, Visit& visit, counts& c) {
    key_state& s = keys_[k];
    const row_type before = row_of(s.fields);
    drop(live_, k);
    add(dead_, k);
    ++c.deletes;
    emit(effect::remove, s, std::nullopt, &before, nullptr, visit, c);
    s.value.clear();
  }

  template <class Visit>
  void emit(effect e, const key_state& s, std::optional<std::string_view> value,
            const row_type* before, const row_type* after, Visit& visit, counts& c) {
    ++c.records;
    c.bytes += s.key.size() + (value ? value->size() : 0);
    visit(e, std::string_view(s.key), value, before, after);
  }

  workload_params params_;
  upsertkit::format_config formats_;  // key csv, value json, ALL: the seed's table
  upsertkit::table_projections<orders::table> projections_;
  upsertkit::any_codec<orders::table> key_codec_;
  upsertkit::any_codec<orders::table> value_codec_;
  std::vector<key_state> keys_;
  std::vector<std::uint64_t> live_;
  std::vector<std::uint64_t> dead_;
  std::vector<std::uint64_t> position_;  // index of a key in live_ or dead_
};

}  // namespace e2e

#endif  // UPSERTKIT_BENCHMARKS_E2E_COMMON_HPP
