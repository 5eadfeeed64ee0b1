// upsertkit: all the cores: a source (parallel_source) or a source -> sink copy
// (parallel_pipe) run as N workers in N threads, the way Kafka Streams' `num.stream.threads`
// and Flink's parallelism do it.
//
// Each worker is an upsert_source of its own: its own consumer, partitions, state (memory or
// a durable store, per partition as always) and handler, and for a pipe its own producer.
// Nothing is shared on the hot path: no lock, no queue between threads. A key's changes stay
// in order because a key lives in one partition and a partition is read by one worker at a
// time.
//   - In a consumer group (`properties.group.id`), every worker is a member: the group shares
//     the partitions out among the workers of this process and of every other process of the
//     group, and gives a leaving worker's partitions to the others.
//   - Without a group, worker `w` of N reads the partitions `p` with `p % N == w` (a fixed
//     split, as Flink's Kafka enumerator assigns partitions to its readers).
// Handlers are called from the worker threads. parallel_source asks a factory for one handler
// per worker (`make_handler(w)`), called on the constructing thread; a factory that hands out
// one shared object (a Handler that is a reference) must give a thread-safe one.
// docs/parallelism.md says what this costs and gains, and how it composes with processes.
#ifndef UPSERTKIT_PARALLEL_HPP
#define UPSERTKIT_PARALLEL_HPP

#include <atomic>
#include <chrono>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "sink.hpp"
#include "source.hpp"

namespace upsertkit {

namespace detail {
// The sum of the workers' counters (each partition is counted by the worker that read it).
inline void add_counters(source_counters& to, const source_counters& c) {
  to.records += c.records;
  to.bytes += c.bytes;
  to.inserts += c.inserts;
  to.update_befores += c.update_befores;
  to.update_afters += c.update_afters;
  to.deletes += c.deletes;
  to.unchanged += c.unchanged;
  to.replayed += c.replayed;
  to.skipped += c.skipped;
  to.dropped += c.dropped;
  to.state_keys += c.state_keys;
  to.state_bytes += c.state_bytes;
  to.lag += c.lag;
}

// The worker count's check, shared by the source and the pipe (whose sinks are built first).
inline int checked_parallelism(const source_options& options) {
  if (options.parallelism < 1)
    throw config_error("topic '" + options.topic +
                       "': 'scan.parallelism' must be at least 1 (was " +
                       std::to_string(options.parallelism) + ")");
  return options.parallelism;
}
}  // namespace detail

#include "formats/simd_namespace.ipp"

/// `source_options::parallelism` upsert sources of one table, each in its own thread while
/// one of the run functions runs. Between runs (and before the first) the owning thread may
/// call anything; during a run only the workers touch their sources.
template <class Table, class Handler, class Store = memory_store>
class parallel_source {
 public:
  using worker_type = upsert_source<Table, Handler, Store>;

  /// Builds every worker (each joins the group, or takes its share of the partitions, now):
  /// worker `w` gets `make_handler(w)` as its handler. A configuration error throws here.
  /// With more than one worker and a `properties.group.instance.id`, worker `w`'s is that id
  /// with `-w` appended (static members need one id each).
  template <class MakeHandler>
  requires std::invocable<MakeHandler&, std::size_t> parallel_source(source_options options,
                                                                     MakeHandler make_handler) {
    const int n = detail::checked_parallelism(options);
    workers_.reserve(static_cast<std::size_t>(n));
    for (int w = 0; w < n; ++w) {
      source_options mine = options;
      mine.worker = w;
      if (n > 1)
        if (auto id = mine.properties.find("group.instance.id"); id != mine.properties.end())
          id->second += "-" + std::to_string(w);
      workers_.push_back(std::make_unique<worker_type>(std::move(mine),
                                                       make_handler(static_cast<std::size_t>(w))));
    }
  }

  parallel_source(const parallel_source&) = delete;
  parallel_source& operator=(const parallel_source&) = delete;

  std::size_t size() const noexcept { return workers_.size(); }
  worker_type& worker(std::size_t w) noexcept { return *workers_[w]; }
  const worker_type& worker(std::size_t w) const noexcept { return *workers_[w]; }

  /// Every worker reads until the whole topic was read up to the end it had when this was
  /// called (upsert_source::read_to_end: in a group, what other members hold counts once the
  /// group committed it). Returns the records read. The first failure of a worker stops the
  /// others (each at a batch boundary, its handled records committable) and is rethrown here
  /// once every thread ended.
  std::uint64_t read_to_end(std::chrono::milliseconds timeout) {
    return until_all_done([timeout](worker_type& w, std::stop_token stop) {
      return w.read_to_end(timeout, std::move(stop));
    });
  }

  /// Every worker polls until its partitions reached their bound (scan.bounded.*).
  std::uint64_t run_to_bound(std::chrono::milliseconds timeout) {
    return until_all_done([timeout](worker_type& w, std::stop_token stop) {
      return w.run_to_bound(timeout, std::move(stop));
    });
  }

  /// Every worker polls batches (up to `max_records` each) until `stop` is requested or one
  /// of them fails (rethrown here). Returns the records read.
  std::uint64_t run(std::stop_token stop,
                    std::size_t max_records = kafka::topic_reader::default_batch) {
    return run_each(
        [this, max_records](std::size_t w, std::stop_token mine) {
          std::uint64_t records = 0;
          while (!mine.stop_requested())
            records += workers_[w]->poll_batch(std::chrono::milliseconds(100), max_records);
          return records;
        },
        std::move(stop));
  }

  /// A loop of the caller's own: `body(w, stop)` runs on worker `w`'s thread for every worker
  /// (one worker: on this thread), returning a count; it should return soon after `stop` is
  /// requested, which happens when `stop` given here is, or once a body threw. Returns the sum
  /// of the counts; rethrows the first failure once every thread ended.
  template <class Body>
  requires std::invocable<Body&, std::size_t, std::stop_token> std::uint64_t run_each(
      Body body, std::stop_token outer = {}) {
    if (workers_.size() == 1) {
      const std::uint64_t records = body(std::size_t{0}, std::move(outer));
      workers_.front()->publish_counters();
      return records;
    }
    // On the heap: a local std::stop_source makes g++ 12 (-O1, ASan) warn that it may be used
    // uninitialized inside <stop_token>, a false -Wmaybe-uninitialized.
    const auto source = std::make_unique<std::stop_source>();
    std::stop_source& stop = *source;
    const std::stop_callback forward(outer, [&stop] { stop.request_stop(); });
    std::vector<std::uint64_t> records(workers_.size(), 0);
    std::vector<std::exception_ptr> failures(workers_.size());
    std::atomic<std::size_t> first_failure{workers_.size()};
    {
      std::vector<std::jthread> threads;
      threads.reserve(workers_.size());
      for (std::size_t w = 0; w < workers_.size(); ++w)
        threads.emplace_back([&, w] {
          try {
            records[w] = body(w, stop.get_token());
            workers_[w]->publish_counters();
          } catch (...) {
            failures[w] = std::current_exception();
            std::size_t none = workers_.size();
            first_failure.compare_exchange_strong(none, w);
            stop.request_stop();
          }
        });
    }  // joined
    if (const std::size_t w = first_failure.load(); w < workers_.size())
      std::rethrow_exception(failures[w]);
    std::uint64_t sum = 0;
    for (const std::uint64_t r : records)
      sum += r;
    return sum;
  }

  /// Every worker's commit() in turn; the first failure is rethrown after all were tried.
  void commit() {
    each([](worker_type& w) { w.commit(); });
  }

  /// Every worker's close() in turn (each commits, then leaves or keeps its static place).
  void close() {
    each([](worker_type& w) { w.close(); });
  }

  /// Every worker's leave_group() in turn.
  void leave_group() {
    each([](worker_type& w) { w.leave_group(); });
  }

  /// The workers' counters added up. Between runs only (a worker's counters are its thread's
  /// while it runs).
  source_counters counters() const {
    source_counters sum;
    for (const auto& w : workers_)
      detail::add_counters(sum, w->counters());
    return sum;
  }

  /// The workers' published counters added up (upsert_source::published_counters): any
  /// thread may call it while the workers run, for a metrics exporter. Each worker's part is
  /// at most `worker_type::counters_interval` old while records flow; once a run returned,
  /// it equals counters().
  source_counters published_counters() const {
    source_counters sum;
    for (const auto& w : workers_)
      detail::add_counters(sum, w->published_counters());
    return sum;
  }

  /// Every partition's progress as the worker that holds it sees it (between runs only).
  std::vector<partition_progress> progress() const {
    std::vector<partition_progress> all = workers_.front()->progress();
    for (std::size_t w = 1; w < workers_.size(); ++w)
      for (const partition_progress& p : workers_[w]->progress())
        if (p.assigned && static_cast<std::size_t>(p.partition) < all.size())
          all[static_cast<std::size_t>(p.partition)] = p;
    return all;
  }

 private:
  // Runs `read(worker, stop)` on every worker. In a group, a worker that is done commits at
  // once (the others may be waiting on its partitions' committed offsets) and keeps serving the
  // group until every worker is done: a member that stopped polling would hold up the group's
  // next rebalance, and with it the partitions it was given there. A worker given records
  // meanwhile reads again.
  template <class Read>
  std::uint64_t until_all_done(Read read) {
    if (workers_.size() == 1 || !workers_.front()->group_mode())
      return run_each([this, &read](std::size_t w, std::stop_token stop) {
        return read(*workers_[w], std::move(stop));
      });
    std::atomic<std::size_t> done{0};
    return run_each([this, &read, &done](std::size_t w, std::stop_token stop) {
      worker_type& worker = *workers_[w];
      std::uint64_t records = 0;
      for (;;) {
        records += read(worker, stop);
        if (stop.stop_requested()) return records;
        worker.commit();
        done.fetch_add(1);
        std::uint64_t more = 0;
        while (more == 0 && done.load() < workers_.size() && !stop.stop_requested())
          more = worker.poll_batch(std::chrono::milliseconds(50));
        if (more == 0) return records;
        records += more;
        done.fetch_sub(1);
      }
    });
  }

  template <class Action>
  void each(Action action) {
    std::exception_ptr first;
    for (auto& w : workers_) {
      try {
        action(*w);
      } catch (...) {
        if (!first) first = std::current_exception();
      }
    }
    if (first) std::rethrow_exception(first);
  }

  std::vector<std::unique_ptr<worker_type>> workers_;
};

/// `INSERT INTO to SELECT * FROM from` for two upsert-kafka tables of one schema, run as
/// `from.parallelism` workers: each an upsert source whose handler is its own upsert sink
/// (`to.subtask` = the worker's index, so exactly-once workers have transactional ids of their
/// own). The sink is its source's durability point, as in a one-worker pipe: an input offset
/// is committed only once its changes are in Kafka (or in the same transaction).
/// `sink.parallelism`, when given, must equal the number of workers: a worker's source feeds
/// its own sink, with no shuffle between threads (docs/parallelism.md).
template <class Table, class Store = memory_store>
class parallel_pipe {
 public:
  using sink_type = upsert_sink<Table>;

  parallel_pipe(source_options from, sink_options to, std::optional<int> sink_parallelism = {})
      : sinks_(make_sinks(from, to, sink_parallelism)),
        source_(std::move(from), [this](std::size_t w) -> sink_type& { return *sinks_[w]; }) {}

  parallel_pipe(const parallel_pipe&) = delete;
  parallel_pipe& operator=(const parallel_pipe&) = delete;

  /// The sources close first (their last commit flushes their sinks), then the sinks.
  ~parallel_pipe() {
    try {
      close(std::chrono::seconds(30));
    } catch (...) {
    }
  }

  std::size_t size() const noexcept { return sinks_.size(); }
  parallel_source<Table, sink_type&, Store>& source() noexcept { return source_; }
  sink_type& sink(std::size_t w) noexcept { return *sinks_[w]; }

  /// Copies what the input topic holds now (parallel_source::read_to_end).
  std::uint64_t read_to_end(std::chrono::milliseconds timeout) {
    return source_.read_to_end(timeout);
  }

  /// Copies until `stop` is requested: each worker polls its source and, between batches,
  /// its sink (delivery reports, and the reducing buffer's interval while the input is idle).
  std::uint64_t run(std::stop_token stop,
                    std::size_t max_records = kafka::topic_reader::default_batch) {
    return source_.run_each(
        [this, max_records](std::size_t w, std::stop_token mine) {
          std::uint64_t records = 0;
          while (!mine.stop_requested()) {
            records += source_.worker(w).poll_batch(std::chrono::milliseconds(100), max_records);
            sinks_[w]->poll();
          }
          return records;
        },
        std::move(stop));
  }

  /// Every source commits (each flushing its sink first), then every sink closes. Idempotent.
  void close(std::chrono::milliseconds timeout) {
    if (closed_) return;
    closed_ = true;
    std::exception_ptr first;
    try {
      source_.close();
    } catch (...) {
      first = std::current_exception();
    }
    for (auto& sink : sinks_) {
      try {
        sink->close(timeout);
      } catch (...) {
        if (!first) first = std::current_exception();
      }
    }
    if (first) std::rethrow_exception(first);
  }

  source_counters counters() const { return source_.counters(); }

  /// parallel_source::published_counters(): for any thread, while the pipe runs.
  source_counters published_counters() const { return source_.published_counters(); }

  /// Records the sinks wrote (between runs only).
  std::uint64_t records_sent() const noexcept {
    std::uint64_t sum = 0;
    for (const auto& sink : sinks_)
      sum += sink->records_sent();
    return sum;
  }

 private:
  static std::vector<std::unique_ptr<sink_type>> make_sinks(const source_options& from,
                                                            const sink_options& to,
                                                            std::optional<int> sink_parallelism) {
    if (sink_parallelism && *sink_parallelism != from.parallelism)
      throw config_error(
          "'sink.parallelism' (" + std::to_string(*sink_parallelism) +
          ") must equal 'scan.parallelism' (" + std::to_string(from.parallelism) +
          ") in a pipe: each worker feeds its own sink (no shuffle between threads)");
    const int n = detail::checked_parallelism(from);
    std::vector<std::unique_ptr<sink_type>> sinks;
    for (int w = 0; w < n; ++w) {
      sink_options mine = to;
      mine.subtask = w;
      sinks.push_back(std::make_unique<sink_type>(std::move(mine)));
    }
    return sinks;
  }

  std::vector<std::unique_ptr<sink_type>> sinks_;
  parallel_source<Table, sink_type&, Store> source_;  // after the sinks: it refers to them
  bool closed_ = false;
};

}  // inline namespace simd_...

}  // namespace upsertkit

#endif  // UPSERTKIT_PARALLEL_HPP
