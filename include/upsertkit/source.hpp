// upsertkit: the upsert-kafka source: a Kafka topic in, the table's changelog out.
//
// Reads every partition from the earliest offset (the reference's rule: "always use earliest
// to keep data integrity"), decodes each record in place from librdkafka's buffer, and feeds
// the per-partition materializer, whose handler receives each change with the record's
// metadata. The user drives the loop: no thread besides librdkafka's own.
//
// Without `properties.group.id` the source reads all partitions. With it, the source is a
// member of that consumer group:
//   - it commits a record's offset only after the handler returned for every change of it and,
//     for a handler with a durability point (durability.hpp: a sink's flush(), or its
//     transaction under exactly-once), after that point made those changes durable;
//   - a partition it is given is rebuilt from its first offset; below the group's committed
//     offset the state is rebuilt without emitting (the downstream saw those changes), from
//     there on changes are emitted: a restart gives neither duplicates nor gaps;
//   - a partition taken away has its state dropped (after its offsets are committed).
// With a durable store (stores/state_store.hpp: checkpointing_store, e.g. rocksdb_store) the
// state of each partition lives in `source_options::state_dir` with the offset it is complete
// up to: a partition is read from that checkpoint instead of from its first offset (rebuilt
// silently up to the group's committed offset when that is further), each durability point
// commits the state after the handler's output and before the Kafka commit, and a partition
// taken away keeps its files (docs/decisions.md, "RocksDB state").
// See docs/source-and-sink.md for what a downstream sees during a rebuild and what log
// compaction can change in it.
#ifndef UPSERTKIT_SOURCE_HPP
#define UPSERTKIT_SOURCE_HPP

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <span>
#include <stop_token>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/source_options.hpp"
#include "durability.hpp"
#include "kafka/client.hpp"
#include "kafka/log.hpp"
#include "kafka/topic_reader.hpp"
#include "metadata.hpp"
#include "pipeline.hpp"
#include "static_membership.hpp"
#include "stores/state_store.hpp"

namespace upsertkit {

/// Counters a service can export; a snapshot taken by upsert_source::counters().
struct source_counters {
  std::uint64_t records = 0;  // records read (including those replayed to rebuild state)
  std::uint64_t bytes = 0;    // key and value bytes read
  std::uint64_t inserts = 0;  // changes emitted, by kind
  std::uint64_t update_befores = 0;
  std::uint64_t update_afters = 0;
  std::uint64_t deletes = 0;
  std::uint64_t unchanged = 0;  // upserts equal to the stored row: nothing emitted
  std::uint64_t replayed = 0;   // changes not emitted while rebuilding below the commit
  std::uint64_t skipped = 0;    // records skipped under ignore-parse-errors
  std::uint64_t dropped = 0;    // null or empty keys, values that decode to no row
  std::uint64_t state_keys = 0;
  std::uint64_t state_bytes = 0;
  std::int64_t lag = 0;  // sum over assigned partitions of high watermark - next offset
};

namespace detail {
// The counters a running source last published, for other threads (a metrics exporter beside
// the loop): a lock taken once per publication, never per record.
class counters_board {
 public:
  void publish(const source_counters& counters) {
    const std::lock_guard lock(mutex_);
    counters_ = counters;
  }
  source_counters read() const {
    const std::lock_guard lock(mutex_);
    return counters_;
  }

 private:
  mutable std::mutex mutex_;
  source_counters counters_;
};
}  // namespace detail

/// What a durable store's rows depend on, stored with them: a state written for another
/// table (columns, their types and nullability, the PRIMARY KEY) or read through other formats
/// or layout is not reused (the store starts empty and the partition is rebuilt).
template <class Table>
std::string state_fingerprint(const format_config& formats) {
  std::string out = "upsertkit-state-1;columns:";
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    ((out += std::string(Table::column_names[I]) + " " +
             detail::sql_type_text<typename Table::template member_type<I>>() +
             (Table::column_nullable[I] ? "," : " NOT NULL,")),
     ...);
  }
  (std::make_index_sequence<Table::column_count>{});
  out += ";key:";
  for (std::size_t k : Table::key_columns)
    out += std::string(Table::column_names[k]) + ",";
  auto format = [&](std::string_view part, const std::string& name, const option_map& options) {
    out += ";";
    out += part;
    out += ".format:" + name;
    for (const auto& [key, value] : options)
      out += "," + key + "=" + value;
  };
  format("key", formats.key_format, formats.key_options);
  format("value", formats.value_format, formats.value_options);
  out += formats.layout.include == fields_include::all ? ";fields-include:ALL"
                                                       : ";fields-include:EXCEPT_KEY";
  out += ";key.fields-prefix:" + formats.layout.key_prefix;
  return out;
}

namespace detail {
// A group id as one directory name: bytes other than [A-Za-z0-9._-] as %XX.
inline std::string path_component(std::string_view text) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    const auto b = static_cast<unsigned char>(c);
    if ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || c == '.' ||
        c == '_' || c == '-') {
      out += c;
    } else {
      out += '%';
      out += hex[b >> 4];
      out += hex[b & 15];
    }
  }
  return out.empty() || out == "." || out == ".." ? "%" + out : out;
}
}  // namespace detail

#include "formats/simd_namespace.ipp"

template <class Table, class Handler, class Store = memory_store>
class upsert_source {
 public:
  upsert_source(source_options options, Handler handler)
      : options_(std::move(options)),
        member_id_(derive_member_id(options_)),
        pipeline_(options_.formats, std::forward<Handler>(handler), options_.state),
        reader_(reader_options(options_), rebalance_hooks()) {}

  upsert_source(const upsert_source&) = delete;
  upsert_source& operator=(const upsert_source&) = delete;

  /// Waits up to `timeout` for one record and applies it. Returns false when none came.
  /// Throws record_error for a record that cannot be decoded under the `fail` policy; the
  /// source then stops (every later call throws) and that record's offset is never
  /// committed, so a new source in the same group reads it again.
  bool poll(std::chrono::milliseconds timeout) {
    const publish_on_return publish{*this, false};
    return reader_.poll_batch(timeout, 1, batch_applier()) > 0;
  }

  /// Waits up to `timeout` for records and applies up to `max_records` of those fetched, as
  /// a batch (see materializer::apply: the state of a batch's keys is loaded ahead). The same
  /// results, commits and failure rules as poll() record by record. Returns how many records
  /// were applied.
  std::size_t poll_batch(std::chrono::milliseconds timeout,
                         std::size_t max_records = kafka::topic_reader::default_batch) {
    const publish_on_return publish{*this, false};
    return reader_.poll_batch(timeout, max_records, batch_applier());
  }

  /// Bounded scans (`scan.bounded.mode`): true once every assigned partition reached its end.
  bool finished() const noexcept { return reader_.finished(); }

  /// Reads until every assigned partition reached the end offset it had when this was called
  /// (a bounded read of what the topic holds now), or throws when `timeout` passes first.
  /// Returns the number of records read.
  /// With `stop`: returns early, with what was read so far, once a stop is requested.
  std::uint64_t read_to_end(std::chrono::milliseconds timeout, std::stop_token stop = {}) {
    const publish_on_return publish{*this, true};
    const std::uint64_t before = reader_.records_read();
    reader_.read_to_end(timeout, batch_applier(), std::move(stop));
    return reader_.records_read() - before;
  }

  /// Polls until finished() (a bounded scan), or throws when `timeout` passes first. With
  /// `stop`: returns early once a stop is requested.
  std::uint64_t run_to_bound(std::chrono::milliseconds timeout, std::stop_token stop = {}) {
    const publish_on_return publish{*this, true};
    const std::uint64_t before = reader_.records_read();
    reader_.run_to_bound(timeout, batch_applier(), std::move(stop));
    return reader_.records_read() - before;
  }

  /// The durability point (the handler's flush() or transaction, see durability.hpp), then,
  /// in group mode, a synchronous commit of the offsets of every record whose changes were
  /// handled. Throws, having committed nothing, when the handler cannot make them durable.
  void commit() {
    const publish_on_return publish{*this, true};
    reader_.commit();
  }

  /// commit(), then leaves the group (even when commit() throws). The destructor does it too,
  /// swallowing errors. After the source stopped on an error, close() still commits the
  /// records handled before it, unless their output was dropped (an aborted transaction).
  /// A static member (the default with a durable store) does not leave: it keeps its place
  /// in the group for `session.timeout.ms`, for its restart (see leave_group()).
  void close() {
    const publish_on_return publish{*this, true};
    reader_.close();
  }

  /// close(), and a static member leaves the group too: its partitions go to the other
  /// members at once. For a member that is not coming back (scaling down). A leave that is not
  /// confirmed within `metadata_timeout` (or a fenced member's) is a plain close, with a log
  /// line (facility `MEMBER`).
  void leave_group() { reader_.leave_group(); }

  /// The `group.instance.id` this source derived from its state directory (see
  /// source_options::static_membership), or "" when it derived none.
  std::string_view derived_group_instance_id() const noexcept {
    return member_id_ ? std::string_view(member_id_->value()) : std::string_view();
  }

  source_counters counters() const {
    source_counters c;
    c.records = reader_.records_read();
    c.bytes = reader_.bytes_read();
    const materializer_stats& m = pipeline_.state().stats();
    c.inserts = m.inserts;
    c.update_befores = m.update_befores;
    c.update_afters = m.update_afters;
    c.deletes = m.deletes;
    c.unchanged = m.unchanged;
    c.replayed = m.replayed;
    c.skipped = pipeline_.stats().skipped;
    c.dropped = pipeline_.stats().dropped_null_key + pipeline_.stats().dropped_empty_value;
    c.state_keys = pipeline_.state().state_keys();
    c.state_bytes = pipeline_.state().state_bytes();
    for (const partition_progress& p : reader_.progress())
      if (p.lag > 0) c.lag += p.lag;
    return c;
  }

  /// counters() as this source last published them: the one call any thread may make while
  /// the source runs (a metrics exporter beside the loop). Published after a batch at most
  /// every `counters_interval`, whenever poll() or poll_batch() returns with that interval
  /// passed, and whenever read_to_end(), run_to_bound(), commit() or close() returns (or
  /// throws): so at most `counters_interval` behind while records flow, and exact once such a
  /// call returned. Before the first publication: all zero.
  source_counters published_counters() const { return published_.read(); }
  static constexpr std::chrono::milliseconds counters_interval{100};

  /// Publishes counters() now, on the source's thread: for a loop of the caller's own around
  /// poll_batch(), when it stops (parallel_source's runs do it for each worker).
  void publish_counters() {
    next_publication_ = std::chrono::steady_clock::now() + counters_interval;
    published_.publish(counters());
  }

  /// Per-partition offsets, lag and bounds.
  std::vector<partition_progress> progress() const { return reader_.progress(); }

  /// True while `partition` is being rebuilt below the group's committed offset.
  bool rebuilding(std::int32_t partition) const {
    for (const partition_progress& p : reader_.progress())
      if (p.partition == partition)
        return p.assigned && resume_at(partition) >= 0 && p.next_offset < resume_at(partition);
    return false;
  }

  /// With a durable store: deletes the state directories of the partitions of this source's
  /// topic (under its group's directory) that it does not hold now: state kept from partitions
  /// taken away, which a later assignment would otherwise reuse. A directory another store or
  /// process has open is left alone. Returns how many were deleted.
  std::size_t drop_unassigned_state() requires checkpointing_store<Store> {
    namespace fs = std::filesystem;
    const fs::path topic_dir = fs::path(location_of(0).path).parent_path();
    std::error_code failed;
    if (!fs::is_directory(topic_dir, failed)) return 0;
    std::size_t dropped = 0;
    for (const auto& item : fs::directory_iterator(topic_dir, failed)) {
      const std::string name = item.path().filename().string();
      if (name.empty() || name.size() > 9 ||
          name.find_first_not_of("0123456789") != std::string::npos)
        continue;  // not a partition's directory
      if (pipeline_.state().partition_state(std::stoi(name)) != nullptr) continue;  // held
      try {
        Store::destroy(item.path().string());
        ++dropped;
      } catch (const error&) {
        // In use (its lock is held): someone holds this partition.
      }
    }
    return dropped;
  }

  std::int32_t partition_count() const noexcept { return reader_.partition_count(); }
  bool group_mode() const noexcept { return reader_.group_mode(); }
  const pipeline_stats& stats() const noexcept { return pipeline_.stats(); }
  upsert_pipeline<Table, Handler, Store>& pipeline() noexcept { return pipeline_; }

 private:
  static topic_reader_options reader_options(const source_options& options) {
    topic_reader_options r;
    static_cast<kafka_connection&>(r) = options;
    r.startup.mode = startup_mode::earliest_offset;  // the reference's rule
    r.bounded = options.bounded;
    r.commit_interval = options.commit_interval;
    r.metadata_timeout = options.metadata_timeout;
    r.read_headers = options.read_headers;
    if (options.parallelism < 1 || options.worker < 0 || options.worker >= options.parallelism)
      throw config_error("topic '" + options.topic + "': worker " + std::to_string(options.worker) +
                         " of scan.parallelism " + std::to_string(options.parallelism) +
                         " is not a worker");
    r.share_index = options.worker;
    r.share_count = options.parallelism;
    return r;
  }

  kafka::topic_reader::hooks rebalance_hooks() {
    kafka::topic_reader::hooks h;
    if (options_.state.pass_through) {
      if constexpr (checkpointing_store<Store>)
        throw config_error("topic '" + options_.topic +
                           "': a pass-through source keeps no state: use the memory store");
      // Nothing to rebuild: a partition is read from the group's committed offset (the first
      // one without a group, or when the group has none), and every record read is emitted.
      h.start_at = [](std::int32_t, std::int64_t committed, std::int64_t, std::int64_t) {
        return committed;
      };
      h.assigned = [this](std::int32_t partition, std::int64_t) { set_resume_at(partition, -1); };
      detail::set_durability_hooks(h, pipeline_.state().handler());
      return h;
    }
    if constexpr (checkpointing_store<Store>) {
      // Called before reader_ is built, which opens the stores of the partitions it reads.
      if (options_.state_dir.empty())
        throw config_error("a source with a durable state store needs source_options::state_dir");
      pipeline_.state().set_store_factory(
          [this](std::int32_t partition) { return Store::open(location_of(partition)); });
      h.start_at = [this](std::int32_t partition, std::int64_t committed, std::int64_t low,
                          std::int64_t high) {
        return open_state(partition, committed, low, high);
      };
    }
    h.assigned = [this](std::int32_t partition, std::int64_t committed) {
      if constexpr (checkpointing_store<Store>) return;  // open_state() did it
      // Rebuilt from its first offset, whatever this instance held for it before.
      pipeline_.state().drop_partition(partition);
      const bool resume =
          options_.resume_after_committed && options_.bounded.mode != bounded_mode::group_offsets;
      set_resume_at(partition, resume ? committed : -1);
    };
    h.revoked = [this](std::int32_t partition) {
      if constexpr (checkpointing_store<Store>) keep_rebuilt_state(partition);
      pipeline_.state().drop_partition(partition);
      set_resume_at(partition, -1);
    };
    detail::set_durability_hooks(h, pipeline_.state().handler());
    if constexpr (checkpointing_store<Store>) {
      // The state is committed after the handler's output is durable and before the offsets
      // are: the stored state is never ahead of what the downstream has.
      h.make_durable =
          [this, output = std::move(h.make_durable)](const kafka::consumed_offsets& offsets) {
            const bool committed = output ? output(offsets) : false;
            commit_state();
            return committed;
          };
      // A store whose memory filled up is committed early, and outside a group the state is
      // committed on the interval too (it is what a restart resumes from).
      h.durability_due = [this] {
        bool due = false;
        pipeline_.state().for_each_store(
            [&](std::int32_t, const Store& store) { due = due || store.commit_due(); });
        return due;
      };
      h.discard = [this, output = std::move(h.discard)] {
        if (!output || !output()) return false;
        for (const partition_progress& p : reader_.progress())
          if (Store* store = pipeline_.state().partition_state(p.partition)) store->discard();
        return true;
      };
    }
    return h;
  }

  // `<state_dir>/<group.id, or no-group>/<topic>`: the partitions' directories, and the member
  // slots of a derived group.instance.id.
  static std::string topic_directory(const source_options& options) {
    const auto group = options.properties.find("group.id");
    return options.state_dir + "/" +
           (group != options.properties.end() ? detail::path_component(group->second)
                                              : std::string("no-group")) +
           "/" + detail::path_component(options.topic);
  }

  // Claims a derived group.instance.id and sets it in `options` (see
  // source_options::static_membership); before the reader is built, which joins the group.
  static std::optional<derived_member_id> derive_member_id(source_options& options) {
    if constexpr (!checkpointing_store<Store>) {
      return std::nullopt;
    } else {
      if (!options.static_membership || options.state_dir.empty() ||
          options.properties.count("group.id") == 0 ||
          options.properties.count("group.instance.id") != 0)
        return std::nullopt;
      derived_member_id id = derived_member_id::claim(topic_directory(options));
      options.properties["group.instance.id"] = id.value();
      // Its own facility: the STATE lines are the state's rebuild notices.
      kafka::detail::forward_log(
          nullptr, 5, "MEMBER",
          ("topic '" + options.topic + "': static member '" + id.value() + "' of group '" +
           options.properties["group.id"] + "' (kept in its state directory)")
              .c_str());
      return id;
    }
  }

  state_location location_of(std::int32_t partition) const {
    state_location where;
    where.path = topic_directory(options_) + "/" + std::to_string(partition);
    where.fingerprint = state_fingerprint<Table>(options_.formats);
    where.topic = options_.topic;
    where.partition = partition;
    return where;
  }

  static void log_state(const std::string& text) {
    kafka::detail::forward_log(nullptr, 5, "STATE", text.c_str());
  }

  // A partition given to this source: its store opened at its checkpoint, and where to read
  // from (-1: the first offset).
  std::int64_t open_state(std::int32_t partition, std::int64_t committed, std::int64_t low,
                          std::int64_t high) {
    auto& state = pipeline_.state();
    state.drop_partition(partition);  // a store still open from an earlier assignment
    Store* store = &state.partition_store(partition);
    if (store->rebuilt())
      log_state("topic '" + options_.topic + "' partition " + std::to_string(partition) +
                ": rebuilding the state from the topic: " + std::string(store->rebuild_reason()));
    std::int64_t from = store->checkpoint();
    if (from >= 0 && (from > high || from < low)) {
      log_state("topic '" + options_.topic + "' partition " + std::to_string(partition) +
                ": the state's checkpoint " + std::to_string(from) +
                (from > high ? " is beyond the partition's end " + std::to_string(high) +
                                   " (was the topic recreated?)"
                             : " is below the partition's first offset " + std::to_string(low) +
                                   " (records it never saw are gone)") +
                ": rebuilding the state from the topic");
      state.drop_partition(partition);
      Store::destroy(location_of(partition).path);
      store = &state.partition_store(partition);
      from = -1;
    }
    const bool resume =
        options_.resume_after_committed && options_.bounded.mode != bounded_mode::group_offsets;
    set_resume_at(partition, resume && committed > from ? committed : from);
    return from;
  }

  // A partition taken away while it was being rebuilt below the group's committed offset:
  // nothing of it was emitted, so no commit of offsets covers it, yet what was read is the
  // topic's state up to there. It is committed to the store, so that getting the partition
  // back (or a restart) resumes from there instead of rebuilding it again. Past the committed
  // offset the durability point (or a lost assignment) decides, not this.
  void keep_rebuilt_state(std::int32_t partition) {
    Store* store = pipeline_.state().partition_state(partition);
    if (store == nullptr) return;
    for (const partition_progress& p : reader_.progress())
      if (p.partition == partition && p.next_offset >= 0 && p.next_offset <= resume_at(partition) &&
          p.next_offset > store->checkpoint())
        store->commit(p.next_offset);
  }

  // Every open store committed at the offset its partition was processed up to.
  void commit_state() {
    for (const partition_progress& p : reader_.progress()) {
      if (!p.assigned || p.next_offset < 0) continue;
      if (Store* store = pipeline_.state().partition_state(p.partition))
        store->commit(p.next_offset);
    }
  }

  void set_resume_at(std::int32_t partition, std::int64_t offset) {
    const auto index = static_cast<std::size_t>(partition);
    if (index >= resume_.size()) resume_.resize(index + 1, -1);
    resume_[index] = offset;
  }

  std::int64_t resume_at(std::int32_t partition) const noexcept {
    const auto index = static_cast<std::size_t>(partition);
    return index < resume_.size() ? resume_[index] : -1;
  }

  void publish_counters_if_due() {
    if (std::chrono::steady_clock::now() >= next_publication_) publish_counters();
  }

  // Publishes on the way out of a call, returned or thrown (a failed source's counters too).
  struct publish_on_return {
    upsert_source& source;
    bool always;
    ~publish_on_return() {
      try {
        if (always)
          source.publish_counters();
        else
          source.publish_counters_if_due();
      } catch (...) {
        // Out of memory for the partitions' progress: the last publication stands.
      }
    }
  };

  auto batch_applier() {
    return [this](std::span<const kafka::message> messages,
                  std::span<const record_metadata> metadata) { return apply(messages, metadata); };
  }

  // Every record goes through here, as part of a batch (poll() is a batch of one). A record
  // below the group's committed offset of its partition rebuilds state without output.
  batch_result apply(std::span<const kafka::message> messages,
                     std::span<const record_metadata> metadata) {
    // Processing time for the state TTL, which is all it is used for.
    if (pipeline_.state().options().state_ttl.count() > 0)
      pipeline_.state().set_time(std::chrono::duration_cast<std::chrono::milliseconds>(
                                     std::chrono::system_clock::now().time_since_epoch())
                                     .count());
    views_.clear();
    for (std::size_t k = 0; k < messages.size(); ++k) {
      const kafka::message& m = messages[k];
      record_view record;
      record.key = m.key();
      record.value = m.value();
      record.where = {metadata[k].topic, m.partition(), m.offset()};
      record.metadata = &metadata[k];
      record.replay = m.offset() < resume_at(m.partition());
      views_.push_back(record);
    }
    batch_result result = pipeline_.apply(std::span<const record_view>(views_));
    publish_counters_if_due();
    return result;
  }

  source_options options_;
  std::optional<derived_member_id> member_id_;  // held while the source is a member
  upsert_pipeline<Table, Handler, Store> pipeline_;
  std::vector<std::int64_t> resume_;  // per partition: emit from this offset on (-1: all)
  std::vector<record_view> views_;
  detail::counters_board published_;
  std::chrono::steady_clock::time_point next_publication_{};
  kafka::topic_reader reader_;  // last: it closes first, while the rest is alive
};

}  // inline namespace simd_...

}  // namespace upsertkit

#endif  // UPSERTKIT_SOURCE_HPP
