// upsertkit: reading one topic with librdkafka's consumer: which partitions (all of them, or
// a consumer group's share), from where (`scan.startup.*`), up to where (`scan.bounded.*`),
// offset commits that never run ahead of the caller, and per-partition progress.
//
// Both sources build on it: the upsert source always starts at the earliest offset and
// rebuilds state below the committed offsets without emitting; the plain `kafka` source starts
// where `scan.startup.mode` says.
#ifndef UPSERTKIT_KAFKA_TOPIC_READER_HPP
#define UPSERTKIT_KAFKA_TOPIC_READER_HPP

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <exception>
#include <functional>
#include <map>
#include <optional>
#include <random>
#include <span>
#include <stop_token>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "../batch_result.hpp"
#include "../config/connection.hpp"
#include "../config/positions.hpp"
#include "../metadata.hpp"
#include "client.hpp"
#include "log.hpp"

namespace upsertkit {

/// What one partition's reader knows, for counters and progress displays.
struct partition_progress {
  std::int32_t partition = -1;
  bool assigned = false;
  std::int64_t next_offset = -1;     // next offset to process; -1 before the first record
  std::int64_t high_watermark = -1;  // last seen in a fetch; -1 when not known yet
  std::int64_t lag = -1;             // high_watermark - next_offset, when both are known
  std::int64_t committed = -1;       // what the group has committed; -1 for nothing
  std::int64_t stop_offset = -1;     // bounded reads: first offset not read; -1 unbounded
  bool finished = false;             // bounded reads: reached stop_offset
};

/// What a topic reader reads and how: the topic, the brokers and the librdkafka settings
/// (`group.id` joins a group) of kafka_connection, and these.
struct topic_reader_options : kafka_connection {
  startup_position startup;
  bounded_position bounded;
  /// Group mode: how often poll() commits the offsets of processed records (asynchronously).
  /// commit() and close() commit synchronously whatever the interval.
  std::chrono::milliseconds commit_interval{5000};
  std::chrono::milliseconds metadata_timeout{10000};
  /// Hand each record's headers to the caller (`record_metadata::headers`). Off, they are not
  /// parsed at all: Debian's librdkafka 2.0.2 spends ~0.15 us per record looking for them
  /// even when there are none (a fifth of the upsert source's time in the end-to-end
  /// benchmark). Turn it off when no `headers` metadata column is read.
  bool read_headers = true;
  /// Without a group: this reader's share of the partitions, those `p` with
  /// `p % share_count == share_index` (how a parallel source splits a topic among its
  /// workers, as Flink's enumerator splits partitions among readers). With a group the group
  /// decides and these are ignored.
  std::int32_t share_index = 0;
  std::int32_t share_count = 1;
};

namespace kafka {

/// The prefetch settings every topic reader (and so every source) starts from, for the
/// librdkafka `version` given (rd_kafka_version()'s form); the user's `properties` win. librdkafka
/// stops fetching while its prefetch queue is full and, until 2.2, looks again only a second
/// later (librdkafka issue #2879; since 2.2 `fetch.queue.backoff.ms`, default 1000). A reader
/// catching up processes records slower than librdkafka fetches them, so on librdkafka's own
/// settings it sat idle most of each second: the upsert source read 2,000,000 records in 6-8 s
/// instead of 1.3 s (docs/performance.md, "The prefetch queue"). From 2.2 on: the queue's
/// default size, looked at again after 10 ms. Before: a queue large enough to outlast most of
/// that second (1,000,000 records or 256 MiB), which costs memory: set
/// `queued.max.messages.kbytes` lower where memory matters more than catch-up speed.
std::map<std::string, std::string> prefetch_defaults(int version = rd_kafka_version());

/// Reads a topic and hands each record to the caller. Without `group.id` it assigns every
/// partition itself; with it, it joins that consumer group, takes the partitions the group
/// gives it and commits offsets only for records the caller has finished with.
class topic_reader {
 public:
  /// What the reader tells its owner.
  ///   start_at(partition, committed, low, high)
  ///                                   before a partition is read: an offset to read it from
  ///                                   instead of the startup mode's (a durable state's
  ///                                   checkpoint), or -1; low and high are its watermarks
  ///                                   (asked from the broker only when this hook is set)
  ///   assigned(partition, committed)  before a partition is read (committed is the group's
  ///                                   committed offset or -1)
  ///   revoked(partition)              after its last record
  ///   make_durable(offsets)           the durability point, before every commit: make
  ///                                   everything processed so far durable, or throw (nothing
  ///                                   is committed then). Returns true when it committed
  ///                                   `offsets` itself, in a transaction with its output;
  ///                                   the reader then does not commit them.
  ///   discard()                       processing failed: the output given since the last
  ///                                   durability point may be dropped (an aborted transaction).
  ///                                   Returns true when it was; the records processed since
  ///                                   then are then not committed either
  ///   durability_due()                the processing state wants its durability point before
  ///                                   the commit interval is over (a durable store whose
  ///                                   memory is full); when set, the point is also reached on
  ///                                   the interval outside a group (there is state to keep)
  ///   lost()                          the group took every partition away without a revocation
  ///                                   (the session ran out): their new owner writes the changes
  ///                                   since the last commit again, and newer ones after them,
  ///                                   so drop what is not written yet rather than write it late
  struct hooks {
    std::function<std::int64_t(std::int32_t, std::int64_t, std::int64_t, std::int64_t)> start_at;
    std::function<void(std::int32_t, std::int64_t)> assigned;
    std::function<void(std::int32_t)> revoked;
    std::function<bool(const consumed_offsets&)> make_durable;
    std::function<bool()> discard;
    std::function<bool()> durability_due;
    std::function<void()> lost;
  };

  topic_reader(topic_reader_options options, hooks on_rebalance = {});

  topic_reader(const topic_reader&) = delete;
  topic_reader& operator=(const topic_reader&) = delete;

  /// Commits what was processed and closes (leaving the group, but for a static member).
  /// Errors are swallowed here: call close() to see them.
  ~topic_reader();

  /// Waits up to `timeout` for one record and calls `process(message, metadata)` with it: a
  /// batch of one (see poll_batch). The record counts as processed (and its offset may be
  /// committed) only once `process` returns. Returns false when no record was processed. If
  /// `process` throws, the reader stops: every later poll throws, commits stay below that
  /// record, and the next reader of the group reads it again.
  template <class Process>
  bool poll(std::chrono::milliseconds timeout, Process&& process) {
    return poll_batch(timeout, 1, record_by_record(process)) > 0;
  }

  /// Waits up to `timeout` for the first record, takes up to `max_records` of those already
  /// fetched, and calls `process(messages, metadata)` with them (spans of equal length, in the
  /// order of each partition). `process` returns a batch_result: the records it finished, in
  /// order, and the exception that stopped it, if any; the records before `done` count as
  /// processed (their offsets may be committed), the rest do not, and a failure stops the
  /// reader: every later poll throws it again, commits stay below the record it stopped on, and
  /// the next reader of the group reads that record again. A `process` that returns nothing
  /// finished the whole batch, or, if it throws, none of it. Returns the number of records
  /// processed, or throws what stopped `process`.
  /// A batch never holds a record of a partition that was revoked or reassigned while it was
  /// gathered, nor one past a partition's end, error or bound: those end the batch and are
  /// handled after it, exactly as poll() would.
  template <class Process>
  std::size_t poll_batch(std::chrono::milliseconds timeout, std::size_t max_records,
                         Process&& process) {
    if (failed_)
      throw error("the reader of topic '" + options_.topic + "' stopped after: " + *failed_);
    maybe_commit();
    // librdkafka's consumer cannot close while the application holds messages: the batch
    // gives them back on every way out.
    struct release_batch {
      std::vector<message>& batch;
      ~release_batch() { batch.clear(); }
    } release{batch_};
    batch_.clear();
    batch_generation_.clear();
    batch_metadata_.clear();
    batch_headers_.clear();
    batch_header_spans_.clear();
    message special(nullptr);
    message m = consumer_.poll(timeout);
    while (m) {
      const classified c = classify(m);
      if (c == classified::special) {
        special = std::move(m);
        break;
      }
      if (c == classified::record) {
        batch_generation_.push_back(generation_[static_cast<std::size_t>(m.partition())]);
        batch_.push_back(std::move(m));
        if (batch_.size() >= max_records) break;
      }
      // Only what librdkafka holds already: the batch never waits for more.
      m = consumer_.poll(std::chrono::milliseconds(0));
    }
    // A rebalance served by one of the polls above may have revoked or reassigned a
    // partition: its records were fetched for an assignment that is gone (a new owner, or
    // this reader again from its start position, reads them again).
    std::size_t kept = 0;
    for (std::size_t i = 0; i < batch_.size(); ++i) {
      const auto p = static_cast<std::size_t>(batch_[i].partition());
      if (generation_[p] != batch_generation_[i] || !state_[p].progress.assigned) continue;
      if (kept != i) batch_[kept] = std::move(batch_[i]);
      ++kept;
    }
    batch_.erase(batch_.begin() + static_cast<std::ptrdiff_t>(kept), batch_.end());
    for (const message& r : batch_) {
      const std::size_t first = batch_headers_.size();
      if (options_.read_headers) r.headers(batch_headers_);
      batch_header_spans_.emplace_back(first, batch_headers_.size() - first);
      batch_metadata_.push_back(metadata_of(r));
      ++records_;
      bytes_ += (r.key() ? r.key()->size() : 0) + (r.value() ? r.value()->size() : 0);
    }
    for (std::size_t i = 0; i < batch_.size(); ++i) {
      const auto [first, count] = batch_header_spans_[i];
      batch_metadata_[i].headers = count == 0 ? nullptr : batch_headers_.data() + first;
      batch_metadata_[i].header_count = count;
    }
    std::size_t processed = 0;
    if (!batch_.empty()) {
      const batch_result result = run(process);
      processed = std::min(result.done, batch_.size());
      mark_processed(processed);
      if (!result.ok()) {
        stop_after_failure(result.failure);
        result.rethrow_if_failed();
      }
    }
    if (special) handle_special(special);
    return processed;
  }

  /// Bounded reads: true once every assigned partition reached its stop offset.
  /// Without a group, a reader whose share holds no partition is finished at once.
  bool finished() const noexcept {
    if (options_.bounded.mode == bounded_mode::unbounded) return false;
    bool any = false;
    for (const auto& s : state_) {
      if (!s.progress.assigned) continue;
      any = true;
      if (!s.progress.finished) return false;
    }
    return any || (!group_mode_ && options_.share_count > 1);
  }

  /// Records handed over per call by read_to_end and run_to_bound when their `process` takes
  /// batches (see poll_batch).
  static constexpr std::size_t default_batch = 256;

  /// Polls until the topic has been read up to the high watermarks it had when this was called
  /// (or each partition's stop offset, if sooner): a read of what the topic holds now.
  /// In group mode this member reads the partitions the group gives it, and a partition another
  /// member holds counts as read once the group's committed offset reaches its end: the call
  /// never returns with part of the topic unread. A member restarted after a crash shares the
  /// group with its predecessor until the predecessor's session times out
  /// (`session.timeout.ms`, 45 s by default), so it waits that long for those partitions;
  /// static membership (`group.instance.id`) gives them back at once. Throws when `timeout`
  /// passes first, naming each partition not read and why. Once the partitions it holds are
  /// read, it commits them at once (not on the interval), for the members waiting on them.
  /// Returns false, early, when `stop` is requested; true once everything was read.
  template <class Process>
  bool read_to_end(std::chrono::milliseconds timeout, Process&& process,
                   std::stop_token stop = {}) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::vector<std::int64_t> start(state_.size(), -1);
    std::vector<std::int64_t> end(state_.size(), -1);
    std::vector<std::int64_t> group_committed(state_.size(), -1);  // partitions others hold
    auto end_of = [&](std::size_t p) {
      if (end[p] < 0)
        std::tie(start[p], end[p]) = consumer_.watermarks(
            options_.topic, static_cast<std::int32_t>(p), options_.metadata_timeout);
      return end[p];
    };
    auto read_here = [&](std::size_t p) {
      const partition_progress& s = state_[p].progress;
      return s.finished || s.next_offset >= end_of(p);
    };
    // Held by another member: read once the group committed it to its end, or when it holds
    // nothing to read (empty, or emptied by retention: its reader has nothing to commit).
    auto read_elsewhere = [&](std::size_t p) {
      const std::int64_t last = end_of(p);  // reads start[p] too
      return std::max(group_committed[p], start[p]) >= last;
    };
    auto last_group_check = std::chrono::steady_clock::time_point{};
    bool committed_own_part = false;
    auto caught_up = [&] {
      // Without a group every partition is assigned at once; with one, wait for the group's
      // first answer (which may give this member nothing).
      if (group_mode_ && assignments_ == 0) return false;
      std::vector<std::int32_t> elsewhere;
      for (std::size_t p = 0; p < state_.size(); ++p) {
        if (state_[p].progress.assigned) {
          if (!read_here(p)) return false;
        } else if (group_mode_ && !read_elsewhere(p)) {
          elsewhere.push_back(static_cast<std::int32_t>(p));
        }
      }
      if (elsewhere.empty()) return true;
      // Everything here is read: the members waiting on these partitions see it now, not at
      // the next commit interval (two members reading to the end would each wait for that).
      if (!committed_own_part) {
        committed_own_part = true;
        commit_processed(commit_reason::interval);
      }
      // Ask, every 100 ms (one request to the coordinator), how far the group got with the rest.
      const auto now = std::chrono::steady_clock::now();
      if (now - last_group_check < std::chrono::milliseconds(100)) return false;
      last_group_check = now;
      // This member's partitions too: the members waiting on them need their commits, and an
      // asynchronous commit the broker refused (during a rebalance) is not retried by
      // librdkafka: one that did not reach the group is sent again.
      partition_list_ptr list(rd_kafka_topic_partition_list_new(partitions_));
      for (std::int32_t p = 0; p < partitions_; ++p)
        rd_kafka_topic_partition_list_add(list.get(), options_.topic.c_str(), p);
      consumer_.committed(list.get(), options_.metadata_timeout);
      bool all = true;
      bool recommit = false;
      for (int i = 0; i < list->cnt; ++i) {
        const auto p = static_cast<std::size_t>(list->elems[i].partition);
        partition_state& s = state_[p];
        if (s.progress.assigned) {
          const std::int64_t group_has = std::max<std::int64_t>(list->elems[i].offset, -1);
          if (s.progress.next_offset >= 0 && s.progress.next_offset > group_has) {
            s.dirty = true;
            s.progress.committed = group_has;
            recommit = true;
          }
          continue;
        }
        group_committed[p] = list->elems[i].offset;
        if (!read_elsewhere(p)) all = false;
      }
      if (recommit) commit_processed(commit_reason::interval);
      return all;
    };
    while (!caught_up()) {
      if (stop.stop_requested()) return false;
      if (std::chrono::steady_clock::now() > deadline)
        throw kafka_error(RD_KAFKA_RESP_ERR__TIMED_OUT,
                          "the topic was not read to its end in time: " +
                              unread_partitions(start, end, group_committed),
                          options_.topic);
      poll_some(process);
    }
    return true;
  }

  /// Polls until finished() (a bounded scan), or throws when `timeout` passes first. Returns
  /// false, early, when `stop` is requested.
  template <class Process>
  bool run_to_bound(std::chrono::milliseconds timeout, Process&& process,
                    std::stop_token stop = {}) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!finished()) {
      if (stop.stop_requested()) return false;
      if (std::chrono::steady_clock::now() > deadline)
        throw kafka_error(RD_KAFKA_RESP_ERR__TIMED_OUT, "the bounded scan did not end in time",
                          options_.topic);
      poll_some(process);
    }
    return true;
  }

  /// The durability point, then (group mode) a synchronous commit of the offsets of every
  /// record processed so far. Throws when the durability point fails (nothing is committed),
  /// when the commit fails, and after a failure whose output was discarded.
  void commit();

  /// commit() (unless commits stopped after a failure), then leaves the group (a static
  /// member keeps its place until its session times out: see leave_group()); the reader
  /// cannot be used afterwards. The group is left even when the commit throws.
  void close();

  /// close(), but a static member (`group.instance.id`) leaves the group too, as a dynamic
  /// member always does: its partitions go to the others at once instead of after
  /// `session.timeout.ms`. For a member that is not coming back (scaling down, moving its
  /// state elsewhere); a restart should close() and keep its place.
  void leave_group();

  bool group_mode() const noexcept { return group_mode_; }
  std::int32_t partition_count() const noexcept { return partitions_; }
  const std::string& topic() const noexcept { return options_.topic; }
  /// librdkafka's consumer, for what this class does not wrap (its settings through
  /// rd_kafka_conf(), statistics). Polling, committing or changing its assignment through it
  /// breaks this reader's bookkeeping.
  rd_kafka_t* handle() const noexcept { return consumer_.get(); }
  std::uint64_t records_read() const noexcept { return records_; }
  std::uint64_t bytes_read() const noexcept { return bytes_; }
  /// Commits refused while partitions were revoked (their changes come again from the next
  /// owner), and revocations that came too late to commit at all.
  std::uint64_t failed_commits() const noexcept { return failed_commits_; }
  /// True once a failure stopped the commits (see hooks::discard): nothing more is committed.
  bool commits_stopped() const noexcept { return commits_stopped_; }
  std::uint64_t lost_assignments() const noexcept { return lost_assignments_; }

  /// Progress of every partition of the topic (lag from the last fetch: no request is sent).
  std::vector<partition_progress> progress() const;

  consumer& client() noexcept { return consumer_; }

 private:
  // A `process` taking (messages, metadata) gets batches; one taking (message, metadata) is
  // called for each record of a batch in turn.
  template <class Process>
  void poll_some(Process& process) {
    if constexpr (std::is_invocable_v<Process&, std::span<const message>,
                                      std::span<const record_metadata>>)
      poll_batch(std::chrono::milliseconds(100), default_batch, process);
    else
      poll_batch(std::chrono::milliseconds(100), default_batch, record_by_record(process));
  }

  // A batch process calling a per-record `process` on each record in turn.
  template <class Process>
  static auto record_by_record(Process& process) {
    return
        [&process](std::span<const message> messages, std::span<const record_metadata> metadata) {
          batch_result result;
          try {
            for (; result.done < messages.size(); ++result.done)
              process(messages[result.done], metadata[result.done]);
          } catch (...) {
            result.failure = std::current_exception();
          }
          return result;
        };
  }

  // Calls `process` on the gathered batch; a process returning nothing finished all of it, or
  // none if it threw.
  template <class Process>
  batch_result run(Process& process) {
    const std::span<const message> messages(batch_);
    const std::span<const record_metadata> metadata(batch_metadata_);
    if constexpr (std::is_same_v<std::invoke_result_t<Process&, std::span<const message>,
                                                      std::span<const record_metadata>>,
                                 batch_result>) {
      return process(messages, metadata);
    } else {
      batch_result result;
      try {
        process(messages, metadata);
        result.done = messages.size();
      } catch (...) {
        result.failure = std::current_exception();
      }
      return result;
    }
  }

  enum class classified : std::uint8_t { record, ignored, special };

  // What poll() does with a message, decided without side effects: a record to process, one
  // to ignore (revoked, or its partition is done), or an end of partition, error or bound,
  // which handle_special() deals with once the records before it are processed.
  classified classify(const message& m) const {
    const std::int32_t p = m.partition();
    // As in poll(): a message of no partition of the topic (a consumer-level event such as a
    // broker connection lost and retried by librdkafka) is passed over.
    // Except a fatal error (a static member fenced by another with its group.instance.id):
    // librdkafka stops the consumer after it, so passing it over would stall the reader.
    if (m.error() == RD_KAFKA_RESP_ERR__FATAL) return classified::special;
    if (p < 0 || p >= partitions_) return classified::ignored;
    // The caller did not poll for max.poll.interval.ms (a long durability point, a slow
    // handler): librdkafka left the group, the rebalance that follows reports the partitions
    // lost and the next poll joins again. News, not a failure of the reader.
    if (m.error() == RD_KAFKA_RESP_ERR__MAX_POLL_EXCEEDED) return classified::ignored;
    if (m.error() != RD_KAFKA_RESP_ERR_NO_ERROR) return classified::special;
    const partition_state& s = state_[static_cast<std::size_t>(p)];
    if (!s.progress.assigned || s.progress.finished) return classified::ignored;
    if (s.progress.stop_offset >= 0 && m.offset() >= s.progress.stop_offset)
      return classified::special;
    return classified::record;
  }

  void handle_special(const message& m);

  void mark_processed(std::size_t count) {
    for (std::size_t i = 0; i < count; ++i) {
      partition_state& s = state_[static_cast<std::size_t>(batch_[i].partition())];
      s.progress.next_offset = batch_[i].offset() + 1;
      s.dirty = true;
      check_finished(s);
    }
  }

  struct partition_state {
    partition_progress progress;
    bool dirty = false;  // processed records not committed yet
  };

  static config make_config(const topic_reader_options& options, bool group_mode);

  void rebalance(rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* list);

  // Sets each partition's start offset in `list` and its stop offset, and tells the hooks.
  void on_assigned(rd_kafka_topic_partition_list_t* list);

  std::int64_t stop_offset(std::int32_t p, std::int64_t committed,
                           const std::vector<std::int64_t>& by_time, std::size_t index);

  // The first offset at or after `timestamp_ms` per entry of `list`; the end offset where no
  // record is that recent.
  std::vector<std::int64_t> offsets_at(const rd_kafka_topic_partition_list_t* list,
                                       std::int64_t timestamp_ms);

  void check_finished(partition_state& s) {
    if (s.progress.stop_offset < 0 || s.progress.finished) return;
    if (s.progress.next_offset >= s.progress.stop_offset ||
        (s.progress.stop_offset == 0 && s.progress.assigned)) {
      s.progress.finished = true;
      // Nothing more is needed from this partition: stop fetching it.
      partition_list_ptr list(rd_kafka_topic_partition_list_new(1));
      rd_kafka_topic_partition_list_add(list.get(), options_.topic.c_str(), s.progress.partition);
      consumer_.pause(list.get());
    }
  }

  enum class commit_reason : std::uint8_t { interval, explicit_call, revocation };

  void maybe_commit() {
    if (!group_mode_ && !hooks_.durability_due) return;
    const auto now = std::chrono::steady_clock::now();
    if (now - last_commit_ < options_.commit_interval &&
        !(hooks_.durability_due && hooks_.durability_due()))
      return;
    last_commit_ = now;
    commit_processed(commit_reason::interval);
  }

  // The durability point, then the commit of every assigned partition's processed offset that
  // moved since the last commit (on the interval asynchronously, else synchronously). An
  // offset below what the group committed is never sent: that would move the group backwards.
  // Outside a group nothing is committed, and the durability point is reached on explicit
  // calls only (commit(), close()), or also on the interval when durability_due is set.
  void commit_processed(commit_reason reason);

  // The hook, if any. Its failure stops the reader and its commits: what the handler was given
  // is not known to be durable, so no offset may pass it.
  bool make_durable(const consumed_offsets& offsets);

  void mark_committed(const rd_kafka_topic_partition_list_t* list);

  // Processing threw: the reader stops. The records processed before the failure are still
  // committed by commit() or close(), unless the hook dropped their output (then committing
  // their offsets would lose it).
  void stop_after_failure(const std::exception_ptr& failure) noexcept;

  // A partition no longer this reader's (revoked, lost, or its consumer stopped): records
  // fetched for it are dropped, and the hook hears of it.
  void let_go(partition_state& s);

  // For the timeout error of read_to_end: each partition not read to `end`, and why.
  std::string unread_partitions(const std::vector<std::int64_t>& start,
                                const std::vector<std::int64_t>& end,
                                const std::vector<std::int64_t>& group_committed) const;

  // Everything but the headers, whose storage the caller owns.
  record_metadata metadata_of(const message& m) const {
    record_metadata meta;
    rd_kafka_timestamp_type_t type = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE;
    meta.topic = options_.topic;
    meta.partition = m.partition();
    meta.offset = m.offset();
    meta.timestamp_ms = m.timestamp(type);
    meta.type = type == RD_KAFKA_TIMESTAMP_CREATE_TIME       ? timestamp_type::create_time
                : type == RD_KAFKA_TIMESTAMP_LOG_APPEND_TIME ? timestamp_type::log_append_time
                                                             : timestamp_type::no_timestamp_type;
    meta.leader_epoch = m.leader_epoch();
    return meta;
  }

  topic_reader_options options_;
  hooks hooks_;
  bool group_mode_;
  std::vector<partition_state> state_;
  std::int32_t partitions_ = 0;
  std::chrono::steady_clock::time_point last_commit_;
  std::optional<std::string> failed_;
  bool commits_stopped_ = false;  // see stop_after_failure and make_durable
  bool closed_ = false;
  std::uint64_t assignments_ = 0;  // group answers received (assignments, possibly empty)
  std::uint64_t records_ = 0;
  std::uint64_t bytes_ = 0;
  std::uint64_t failed_commits_ = 0;
  std::uint64_t lost_assignments_ = 0;
  std::vector<std::uint64_t> generation_;  // per partition: bumped on every assign and revoke
  std::vector<message> batch_;
  std::vector<std::uint64_t> batch_generation_;
  std::vector<record_metadata> batch_metadata_;
  std::vector<header> batch_headers_;
  std::vector<std::pair<std::size_t, std::size_t>> batch_header_spans_;
  consumer consumer_;  // last: closed first, while the hooks' targets are still alive
};

}  // namespace kafka
}  // namespace upsertkit

// The definitions: inline here, or compiled once (separate_compilation.hpp).
#ifndef UPSERTKIT_SEPARATE_COMPILATION
#include "topic_reader.ipp"
#endif

#endif  // UPSERTKIT_KAFKA_TOPIC_READER_HPP
