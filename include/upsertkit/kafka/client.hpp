// upsertkit: a thin RAII layer over librdkafka's C API: configuration, producer, consumer,
// messages and errors. The embedded (in-process mock) cluster is in testing/embedded_cluster.hpp.
//
// Nothing here knows schemas or formats; source.hpp ties it to the pipeline. No thread is
// started besides librdkafka's own: the user drives every poll.
#ifndef UPSERTKIT_KAFKA_CLIENT_HPP
#define UPSERTKIT_KAFKA_CLIENT_HPP

#include <librdkafka/rdkafka.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "../config/connection.hpp"
#include "../error.hpp"
#include "../metadata.hpp"
#include "log.hpp"

namespace upsertkit::kafka {

/// An error from librdkafka, with its code and name and, when known, the topic, partition and
/// offset it concerns.
class kafka_error : public upsertkit::error {
 public:
  kafka_error(rd_kafka_resp_err_t code, std::string what, std::string topic = {},
              std::int32_t partition = -1, std::int64_t offset = -1);

  rd_kafka_resp_err_t code() const noexcept { return code_; }
  std::string_view code_name() const noexcept { return rd_kafka_err2name(code_); }
  const std::string& topic() const noexcept { return topic_; }
  std::int32_t partition() const noexcept { return partition_; }
  std::int64_t offset() const noexcept { return offset_; }

 private:
  static std::string format(rd_kafka_resp_err_t code, const std::string& what,
                            const std::string& topic, std::int32_t partition, std::int64_t offset);

  rd_kafka_resp_err_t code_;
  std::string topic_;
  std::int32_t partition_;
  std::int64_t offset_;
};

namespace detail {
struct handle_deleter {
  void operator()(rd_kafka_t* rk) const noexcept { rd_kafka_destroy(rk); }
};
struct conf_deleter {
  void operator()(rd_kafka_conf_t* conf) const noexcept { rd_kafka_conf_destroy(conf); }
};
struct message_deleter {
  void operator()(rd_kafka_message_t* m) const noexcept { rd_kafka_message_destroy(m); }
};
struct partition_list_deleter {
  void operator()(rd_kafka_topic_partition_list_t* l) const noexcept {
    rd_kafka_topic_partition_list_destroy(l);
  }
};
struct group_metadata_deleter {
  void operator()(rd_kafka_consumer_group_metadata_t* g) const noexcept {
    rd_kafka_consumer_group_metadata_destroy(g);
  }
};
}  // namespace detail

using handle_ptr = std::unique_ptr<rd_kafka_t, detail::handle_deleter>;
using partition_list_ptr =
    std::unique_ptr<rd_kafka_topic_partition_list_t, detail::partition_list_deleter>;
using group_metadata_ptr =
    std::unique_ptr<rd_kafka_consumer_group_metadata_t, detail::group_metadata_deleter>;

/// The offsets a source is about to commit (per partition, the next offset to read) and its
/// consumer group's metadata (member id and generation): what a transactional producer needs to
/// commit them inside its own transaction, so that the output and the input's progress become
/// visible together or not at all (Kafka's exactly-once consume-transform-produce). A source
/// outside a consumer group has neither. Views: valid during the call that receives them.
class consumed_offsets {
 public:
  consumed_offsets() noexcept = default;
  consumed_offsets(const rd_kafka_topic_partition_list_t* offsets,
                   const rd_kafka_consumer_group_metadata_t* group) noexcept
      : offsets_(offsets), group_(group) {}

  /// No offset to commit (nothing new was read, or no group).
  bool empty() const noexcept { return offsets_ == nullptr || offsets_->cnt == 0; }
  const rd_kafka_topic_partition_list_t* list() const noexcept { return offsets_; }
  /// nullptr outside a consumer group.
  const rd_kafka_consumer_group_metadata_t* group() const noexcept { return group_; }

 private:
  const rd_kafka_topic_partition_list_t* offsets_ = nullptr;
  const rd_kafka_consumer_group_metadata_t* group_ = nullptr;
};

/// librdkafka configuration properties. set() fails on a key librdkafka does not know, naming
/// the key; values are never echoed in errors (they may be secrets).
class config {
 public:
  /// librdkafka's defaults, its log lines sent to the handler of kafka/log.hpp.
  config() : conf_(rd_kafka_conf_new()) {
    rd_kafka_conf_set_log_cb(conf_.get(), &detail::forward_log);
  }

  config& set(const std::string& key, const std::string& value);

  /// Calls `callback(rk, message, opaque)` for each delivery report, from the thread that
  /// polls the producer.
  config& on_delivery(void (*callback)(rd_kafka_t*, const rd_kafka_message_t*, void*),
                      void* opaque) {
    rd_kafka_conf_set_dr_msg_cb(conf_.get(), callback);
    rd_kafka_conf_set_opaque(conf_.get(), opaque);
    return *this;
  }

  /// Calls `callback(rk, err, reason, opaque)` for client-level errors (authentication, all
  /// brokers down, ...), from the thread that polls.
  config& on_error(void (*callback)(rd_kafka_t*, int, const char*, void*), void* opaque) {
    rd_kafka_conf_set_error_cb(conf_.get(), callback);
    rd_kafka_conf_set_opaque(conf_.get(), opaque);
    return *this;
  }

  rd_kafka_conf_t* get() const noexcept { return conf_.get(); }

  /// Hands the configuration to librdkafka (which owns it from then on).
  rd_kafka_conf_t* release() noexcept { return conf_.release(); }

 private:
  std::unique_ptr<rd_kafka_conf_t, detail::conf_deleter> conf_;
};

/// Checks a `bootstrap.servers` list before any client dials it: comma-separated entries of
/// `[scheme://]host[:port]` or `[scheme://][ipv6]:port`, the port 1-65535 (librdkafka's default
/// 9092 when left out). An empty list, an empty entry or a bad port is a config_error naming
/// the entry: librdkafka would accept it and fail later with "Broker transport failure".
void check_bootstrap_servers(std::string_view servers);

/// Checks every librdkafka property of a connector (`properties.*`, prefix stripped) against
/// librdkafka before a client is built: an unknown name or a bad value is a config_error
/// naming `properties.<key>`, with librdkafka's reason unless the property holds a secret.
void check_client_properties(const std::map<std::string, std::string>& properties);

/// check_bootstrap_servers for a client whose `bootstrap.servers` may also come from its
/// librdkafka `properties` (which win), unless they ask for librdkafka's mock cluster.
void check_bootstrap_servers(std::string_view servers,
                             const std::map<std::string, std::string>& properties);

handle_ptr make_handle(rd_kafka_type_t type, config conf);

/// Partition count of `topic`, from the cluster's metadata. A topic that is not (yet) known
/// or has no leader is asked for again until `timeout`: a topic created a moment ago takes a
/// little while to reach every broker's metadata.
std::int32_t topic_partition_count(rd_kafka_t* rk, const std::string& topic,
                                   std::chrono::milliseconds timeout);

/// Creates `topic` with the Admin API (a real cluster; the embedded one has its own
/// create_topic) and waits for the result. A topic that exists already is not an error.
void create_topic(rd_kafka_t* rk, const std::string& topic, int partitions,
                  const std::map<std::string, std::string>& configs,
                  std::chrono::milliseconds timeout);

/// One consumed message. Key and value are views into librdkafka's buffer, valid as long as
/// this object lives: decode straight from them, no copy.
class message {
 public:
  explicit message(rd_kafka_message_t* m) noexcept : m_(m) {}

  explicit operator bool() const noexcept { return m_ != nullptr; }
  rd_kafka_resp_err_t error() const noexcept { return m_->err; }
  std::string_view topic() const noexcept { return rd_kafka_topic_name(m_->rkt); }
  std::int32_t partition() const noexcept { return m_->partition; }
  std::int64_t offset() const noexcept { return m_->offset; }
  /// std::nullopt for a null key.
  std::optional<std::string_view> key() const noexcept {
    if (m_->key == nullptr) return std::nullopt;
    return std::string_view(static_cast<const char*>(m_->key), m_->key_len);
  }
  /// std::nullopt for a tombstone; an empty value is "" and is not a tombstone.
  std::optional<std::string_view> value() const noexcept {
    if (m_->payload == nullptr) return std::nullopt;
    return std::string_view(static_cast<const char*>(m_->payload), m_->len);
  }
  std::int64_t timestamp(rd_kafka_timestamp_type_t& type) const noexcept {
    return rd_kafka_message_timestamp(m_.get(), &type);
  }
  /// The `leader-epoch` metadata column; librdkafka exposes it from 2.1 on.
  std::optional<std::int32_t> leader_epoch() const noexcept {
#if RD_KAFKA_VERSION >= 0x020100ff
    const std::int32_t epoch = rd_kafka_message_leader_epoch(m_.get());
    if (epoch >= 0) return epoch;
#endif
    return std::nullopt;
  }
  /// Appends the record's headers to `out`, in record order (views into the message).
  void headers(std::vector<header>& out) const {
    rd_kafka_headers_t* all = nullptr;
    if (rd_kafka_message_headers(m_.get(), &all) != RD_KAFKA_RESP_ERR_NO_ERROR) return;
    const char* name = nullptr;
    const void* value = nullptr;
    std::size_t size = 0;
    for (std::size_t i = 0;
         rd_kafka_header_get_all(all, i, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR; ++i) {
      header h;
      h.key = name;
      if (value != nullptr) h.value = std::string_view(static_cast<const char*>(value), size);
      out.push_back(h);
    }
  }
  rd_kafka_message_t* get() const noexcept {
    return m_.get();
  }
  /// A description of a consumer error carried by this message.
  std::string error_text() const {
    return rd_kafka_message_errstr(m_.get());
  }

 private:
  std::unique_ptr<rd_kafka_message_t, detail::message_deleter> m_;
};

/// A producer. produce() copies key and value into librdkafka's queue; flush() waits for
/// delivery of everything produced.
class producer {
 public:
  explicit producer(config conf) : rk_(make_handle(RD_KAFKA_PRODUCER, std::move(conf))) {}

  /// Queues one record. `timestamp_ms` 0 lets the producer stamp it (CreateTime now);
  /// `headers` are copied.
  void produce(const std::string& topic, std::int32_t partition,
               std::optional<std::string_view> key, std::optional<std::string_view> value,
               std::int64_t timestamp_ms = 0, const header* headers = nullptr,
               std::size_t header_count = 0) {
    // rd_kafka_produceva rather than the RD_KAFKA_V_* macros, which use GNU statement
    // expressions (clang -Wpedantic rejects them).
    fields_.resize(6 + header_count);
    for (auto& f : fields_)
      f = rd_kafka_vu_t{};
    fields_[0].vtype = RD_KAFKA_VTYPE_TOPIC;
    fields_[0].u.cstr = topic.c_str();
    fields_[1].vtype = RD_KAFKA_VTYPE_PARTITION;
    fields_[1].u.i32 = partition;
    fields_[2].vtype = RD_KAFKA_VTYPE_MSGFLAGS;
    fields_[2].u.i = RD_KAFKA_MSG_F_COPY;
    fields_[3].vtype = RD_KAFKA_VTYPE_KEY;
    fields_[3].u.mem.ptr = bytes_or_null(key);
    fields_[3].u.mem.size = key ? key->size() : 0;
    fields_[4].vtype = RD_KAFKA_VTYPE_VALUE;
    fields_[4].u.mem.ptr = bytes_or_null(value);
    fields_[4].u.mem.size = value ? value->size() : 0;
    fields_[5].vtype = RD_KAFKA_VTYPE_TIMESTAMP;
    fields_[5].u.i64 = timestamp_ms;
    header_names_.resize(header_count);
    for (std::size_t i = 0; i < header_count; ++i) {
      header_names_[i].assign(headers[i].key);  // librdkafka wants a terminated name
      rd_kafka_vu_t& f = fields_[6 + i];
      f.vtype = RD_KAFKA_VTYPE_HEADER;
      f.u.header.name = header_names_[i].c_str();
      f.u.header.val = headers[i].value ? headers[i].value->data() : nullptr;
      f.u.header.size = headers[i].value ? static_cast<ssize_t>(headers[i].value->size()) : 0;
    }
    // A full queue (brokers slow or down) is back-pressure, not an error: serve delivery
    // reports and retry until `queue_full_timeout`.
    // The clock is read only once the queue is full: not on every record.
    std::optional<std::chrono::steady_clock::time_point> deadline;
    while (true) {
      rd_kafka_error_t* failure = rd_kafka_produceva(rk_.get(), fields_.data(), fields_.size());
      if (failure == nullptr) return;
      const rd_kafka_resp_err_t err = rd_kafka_error_code(failure);
      rd_kafka_error_destroy(failure);
      const auto now = std::chrono::steady_clock::now();
      if (!deadline) deadline = now + queue_full_timeout_;
      if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL || now >= *deadline)
        throw kafka_error(err, "cannot produce", topic, partition);
      rd_kafka_poll(rk_.get(), 100);
    }
  }

  /// Partition count of `topic`, from the cluster's metadata.
  std::int32_t partition_count(const std::string& topic, std::chrono::milliseconds timeout) {
    return topic_partition_count(rk_.get(), topic, timeout);
  }

  /// How long produce() waits for room when librdkafka's queue is full (default 5 min, as
  /// librdkafka's own message.timeout.ms).
  void set_queue_full_timeout(std::chrono::milliseconds timeout) noexcept {
    queue_full_timeout_ = timeout;
  }

  /// Serves delivery reports and other callbacks.
  void poll(std::chrono::milliseconds timeout) {
    rd_kafka_poll(rk_.get(), static_cast<int>(timeout.count()));
  }

  void flush(std::chrono::milliseconds timeout) {
    const rd_kafka_resp_err_t err = rd_kafka_flush(rk_.get(), static_cast<int>(timeout.count()));
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
      throw kafka_error(err, "flush did not deliver every record in time");
  }

  /// Transactions (exactly-once): fences an older producer with the same transactional.id
  /// (its open transaction is aborted).
  void init_transactions(std::chrono::milliseconds timeout) {
    transaction_call([&](int ms) { return rd_kafka_init_transactions(rk_.get(), ms); }, timeout,
                     "cannot initialise transactions");
  }
  void begin_transaction() {
    check(rd_kafka_begin_transaction(rk_.get()), "cannot begin a transaction");
  }
  /// Adds `offsets` (consumed from `group`'s partitions) to the open transaction: they are
  /// committed for the group if, and only if, the transaction commits.
  void send_offsets_to_transaction(const rd_kafka_topic_partition_list_t* offsets,
                                   const rd_kafka_consumer_group_metadata_t* group,
                                   std::chrono::milliseconds timeout) {
    transaction_call(
        [&](int ms) { return rd_kafka_send_offsets_to_transaction(rk_.get(), offsets, group, ms); },
        timeout, "cannot add the consumed offsets to the transaction");
  }
  /// Flushes and commits; throws when the transaction cannot be committed.
  void commit_transaction(std::chrono::milliseconds timeout) {
    transaction_call([&](int ms) { return rd_kafka_commit_transaction(rk_.get(), ms); }, timeout,
                     "cannot commit the transaction");
  }
  void abort_transaction(std::chrono::milliseconds timeout) {
    transaction_call([&](int ms) { return rd_kafka_abort_transaction(rk_.get(), ms); }, timeout,
                     "cannot abort the transaction");
  }

  rd_kafka_t* get() const noexcept { return rk_.get(); }

 private:
  static void check(rd_kafka_error_t* error, const char* what) {
    if (error == nullptr) return;
    const rd_kafka_resp_err_t code = rd_kafka_error_code(error);
    std::string text = std::string(what) + ": " + rd_kafka_error_string(error);
    rd_kafka_error_destroy(error);
    throw kafka_error(code, text);
  }

  // librdkafka's transactional calls may fail with a retriable error (a coordinator moving, a
  // timeout while the operation goes on in the background): the documented remedy is to call
  // again, with the same arguments, which resumes it. Other errors are thrown.
  template <class Call>
  static void transaction_call(Call&& call, std::chrono::milliseconds timeout, const char* what) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      rd_kafka_error_t* error = call(static_cast<int>(std::max<std::int64_t>(left.count(), 1)));
      if (error == nullptr) return;
      if (rd_kafka_error_is_retriable(error) != 0 && std::chrono::steady_clock::now() < deadline) {
        rd_kafka_error_destroy(error);
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        continue;
      }
      check(error, what);
    }
  }

  // librdkafka treats a null pointer as a null key or value: an engaged but empty view (whose
  // data() may be null) must still be empty bytes, not a tombstone.
  static void* bytes_or_null(std::optional<std::string_view> bytes) noexcept {
    static char empty[1] = {};
    if (!bytes) return nullptr;
    return bytes->data() != nullptr ? const_cast<char*>(bytes->data()) : empty;
  }

  handle_ptr rk_;
  std::chrono::milliseconds queue_full_timeout_{300000};
  std::vector<rd_kafka_vu_t> fields_;
  std::vector<std::string> header_names_;
};

/// Called from consumer::poll when the group assigns or revokes partitions (err is
/// RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS or RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS). The listener
/// must (incrementally) assign or unassign `partitions` itself: see consumer::apply_rebalance.
using rebalance_listener =
    std::function<void(rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* partitions)>;

/// A consumer (librdkafka's high-level consumer, used with explicit assignment or a group).
class consumer {
 public:
  explicit consumer(config conf, rebalance_listener listener = {});
  consumer(consumer&&) = default;
  consumer& operator=(consumer&&) = default;
  ~consumer() { close(); }

  /// Leaves the group (revoking its partitions through the listener; a static member keeps its
  /// place, KIP-345) and closes the client.
  /// Safe to call twice.
  void close() noexcept {
    if (rk_ && !closed_) {
      closed_ = true;
      rd_kafka_consumer_close(rk_.get());
    }
  }

  /// Partition count of `topic`, from the cluster's metadata. A failure carries the last
  /// client-level error librdkafka reported (e.g. "Authentication failed: Invalid username or
  /// password"), which says more than the request's own code.
  std::int32_t partition_count(const std::string& topic, std::chrono::milliseconds timeout);

  /// The last client-level error reported by librdkafka, or "".
  const std::string& last_error() const noexcept { return callbacks_->last_error; }

  /// Low and high watermark offsets of one partition, asked from the broker.
  std::pair<std::int64_t, std::int64_t> watermarks(const std::string& topic, std::int32_t partition,
                                                   std::chrono::milliseconds timeout) {
    std::int64_t low = 0, high = 0;
    const rd_kafka_resp_err_t err = rd_kafka_query_watermark_offsets(
        rk_.get(), topic.c_str(), partition, &low, &high, static_cast<int>(timeout.count()));
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
      throw kafka_error(err, "cannot read the watermark offsets", topic, partition);
    return {low, high};
  }

  /// The high watermark last seen in a fetch response (no request; -1 when not known yet).
  std::int64_t cached_high_watermark(const std::string& topic, std::int32_t partition) const {
    std::int64_t low = -1, high = -1;
    if (rd_kafka_get_watermark_offsets(rk_.get(), topic.c_str(), partition, &low, &high) !=
        RD_KAFKA_RESP_ERR_NO_ERROR)
      return -1;
    return high;
  }

  /// The offsets this consumer's group committed for `partitions` (RD_KAFKA_OFFSET_INVALID,
  /// i.e. -1001, where none), written into the list.
  void committed(rd_kafka_topic_partition_list_t* partitions, std::chrono::milliseconds timeout) {
    const rd_kafka_resp_err_t err =
        rd_kafka_committed(rk_.get(), partitions, static_cast<int>(timeout.count()));
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
      throw kafka_error(err, "cannot read the committed offsets");
  }

  /// The first offset whose timestamp is at or after each entry's `offset` field (a
  /// timestamp in epoch ms), written into the list; RD_KAFKA_OFFSET_END where there is none.
  void offsets_for_times(rd_kafka_topic_partition_list_t* partitions,
                         std::chrono::milliseconds timeout) {
    const rd_kafka_resp_err_t err =
        rd_kafka_offsets_for_times(rk_.get(), partitions, static_cast<int>(timeout.count()));
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
      throw kafka_error(err, "cannot look up offsets by timestamp");
  }

  /// The group's metadata (member id, generation) for a transactional producer's
  /// send_offsets_to_transaction; nullptr outside a group.
  group_metadata_ptr group_metadata() const {
    return group_metadata_ptr(rd_kafka_consumer_group_metadata(rk_.get()));
  }

  /// Commits the offsets in `partitions` (each the next offset to read) for the group.
  void commit(const rd_kafka_topic_partition_list_t* partitions, bool async) {
    const rd_kafka_resp_err_t err = rd_kafka_commit(rk_.get(), partitions, async ? 1 : 0);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR && err != RD_KAFKA_RESP_ERR__NO_OFFSET)
      throw kafka_error(err, "cannot commit offsets");
  }

  /// Assigns partitions [0, count) of `topic`, each from `offset` (RD_KAFKA_OFFSET_BEGINNING...).
  void assign_all(const std::string& topic, std::int32_t count, std::int64_t offset) {
    partition_list_ptr list(rd_kafka_topic_partition_list_new(count));
    for (std::int32_t p = 0; p < count; ++p)
      rd_kafka_topic_partition_list_add(list.get(), topic.c_str(), p)->offset = offset;
    assign(list.get());
  }

  /// Assigns exactly `partitions`, each from its `offset` field.
  void assign(const rd_kafka_topic_partition_list_t* partitions) {
    const rd_kafka_resp_err_t err = rd_kafka_assign(rk_.get(), partitions);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) throw kafka_error(err, "cannot assign partitions");
  }

  /// Leaves the subscription: the listener is called to revoke every partition, and the group
  /// is left once they are (a static member too, unlike close()).
  void unsubscribe() {
    const rd_kafka_resp_err_t err = rd_kafka_unsubscribe(rk_.get());
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) throw kafka_error(err, "cannot unsubscribe");
  }

  /// The member id the group coordinator gave this consumer; "" outside a group, before the
  /// first join and after leaving.
  std::string member_id() const {
    char* id = rd_kafka_memberid(rk_.get());
    std::string out = id != nullptr ? id : "";
    if (id != nullptr) rd_kafka_mem_free(rk_.get(), id);
    return out;
  }

  /// Joins the consumer group (`group.id`) for `topic`; partitions arrive through the
  /// rebalance listener.
  void subscribe(const std::string& topic) {
    partition_list_ptr list(rd_kafka_topic_partition_list_new(1));
    rd_kafka_topic_partition_list_add(list.get(), topic.c_str(), RD_KAFKA_PARTITION_UA);
    const rd_kafka_resp_err_t err = rd_kafka_subscribe(rk_.get(), list.get());
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) throw kafka_error(err, "cannot subscribe", topic);
  }

  /// Completes a rebalance inside the listener: assigns (or revokes) `partitions`, eagerly or
  /// incrementally as the group's protocol requires.
  void apply_rebalance(rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* partitions) {
    // NULL while librdkafka knows no protocol yet (seen under UBSan when a rebalance raced a
    // group join): an eager assign or unassign, which works for either.
    const char* protocol = rd_kafka_rebalance_protocol(rk_.get());
    const bool cooperative = protocol != nullptr && std::string_view(protocol) == "COOPERATIVE";
    if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
      if (cooperative) {
        check(rd_kafka_incremental_assign(rk_.get(), partitions), "cannot assign partitions");
      } else {
        assign(partitions);
      }
    } else if (cooperative) {
      check(rd_kafka_incremental_unassign(rk_.get(), partitions), "cannot revoke partitions");
    } else {
      assign(nullptr);
    }
  }

  /// True when the partitions being revoked were lost (the session timed out): their offsets
  /// can no longer be committed.
  bool assignment_lost() const noexcept { return rd_kafka_assignment_lost(rk_.get()) != 0; }

  /// Stops or resumes fetching `partitions`.
  void pause(rd_kafka_topic_partition_list_t* partitions) {
    (void)rd_kafka_pause_partitions(rk_.get(), partitions);
  }

  /// The next message, or an empty one when none arrived within `timeout`.
  /// Rethrows what the rebalance listener threw.
  message poll(std::chrono::milliseconds timeout) {
    message m(rd_kafka_consumer_poll(rk_.get(), static_cast<int>(timeout.count())));
    if (callbacks_->failure) std::rethrow_exception(std::exchange(callbacks_->failure, nullptr));
    return m;
  }

  rd_kafka_t* get() const noexcept { return rk_.get(); }

 private:
  struct callback_state {
    std::string last_error;
    rebalance_listener rebalance;
    std::exception_ptr failure;  // thrown by the listener
  };

  static void check(rd_kafka_error_t* error, const char* what) {
    if (error == nullptr) return;
    const rd_kafka_resp_err_t code = rd_kafka_error_code(error);
    rd_kafka_error_destroy(error);
    throw kafka_error(code, what);
  }

  static void record_error(rd_kafka_t*, int err, const char* reason, void* opaque) {
    auto* state = static_cast<callback_state*>(opaque);
    state->last_error = rd_kafka_err2name(static_cast<rd_kafka_resp_err_t>(err));
    state->last_error += ": ";
    state->last_error += reason;
  }

  // An exception must not cross librdkafka's C frames: it is kept and rethrown by poll().
  static void on_rebalance(rd_kafka_t*, rd_kafka_resp_err_t err,
                           rd_kafka_topic_partition_list_t* partitions, void* opaque) {
    auto* state = static_cast<callback_state*>(opaque);
    try {
      state->rebalance(err, partitions);
    } catch (...) {
      if (!state->failure) state->failure = std::current_exception();
    }
  }

  std::unique_ptr<callback_state> callbacks_;  // on the heap: librdkafka keeps its address
  handle_ptr rk_;
  bool closed_ = false;
};

}  // namespace upsertkit::kafka

// The definitions: inline here, or compiled once (separate_compilation.hpp).
#ifndef UPSERTKIT_SEPARATE_COMPILATION
#include "client.ipp"
#endif

#endif  // UPSERTKIT_KAFKA_CLIENT_HPP
