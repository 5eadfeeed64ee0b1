// upsertkit: the definitions of client.hpp's non-template functions, inline in that header or
// compiled once under UPSERTKIT_SEPARATE_COMPILATION (separate_compilation.hpp).
#ifdef UPSERTKIT_SEPARATE_COMPILATION
#define UPSERTKIT_INLINE
#else
#define UPSERTKIT_INLINE inline
#endif

namespace upsertkit::kafka {

UPSERTKIT_INLINE kafka_error::kafka_error(rd_kafka_resp_err_t code, std::string what,
                                          std::string topic, std::int32_t partition,
                                          std::int64_t offset)
    : error(format(code, what, topic, partition, offset)),
      code_(code),
      topic_(std::move(topic)),
      partition_(partition),
      offset_(offset) {
}

UPSERTKIT_INLINE std::string kafka_error::format(rd_kafka_resp_err_t code, const std::string& what,
                                                 const std::string& topic, std::int32_t partition,
                                                 std::int64_t offset) {
  std::string text = what;
  if (!topic.empty()) {
    text += " (topic '" + topic + "'";
    if (partition >= 0) text += ", partition " + std::to_string(partition);
    if (offset >= 0) text += ", offset " + std::to_string(offset);
    text += ")";
  }
  if (code != RD_KAFKA_RESP_ERR_NO_ERROR) {
    text += ": ";
    text += rd_kafka_err2name(code);
    text += ": ";
    text += rd_kafka_err2str(code);
  }
  return text;
}

UPSERTKIT_INLINE config& config::set(const std::string& key, const std::string& value) {
  char reason[512];
  if (rd_kafka_conf_set(conf_.get(), key.c_str(), value.c_str(), reason, sizeof reason) !=
      RD_KAFKA_CONF_OK)
    throw kafka_error(RD_KAFKA_RESP_ERR__INVALID_ARG,
                      "invalid Kafka property '" + key + "': " + reason);
  return *this;
}

UPSERTKIT_INLINE void check_bootstrap_servers(std::string_view servers) {
  auto fail = [&](std::string_view entry, const char* why) {
    throw config_error("'bootstrap.servers' must list brokers as HOST:PORT, separated by commas; " +
                       (entry.empty() ? std::string("got '") + std::string(servers) + "'"
                                      : "'" + std::string(entry) + "'") +
                       ": " + why);
  };
  auto trim = [](std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
      text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
      text.remove_suffix(1);
    return text;
  };
  if (trim(servers).empty()) fail({}, "no broker is given");
  std::size_t start = 0;
  while (start <= servers.size()) {
    const std::size_t comma = std::min(servers.find(',', start), servers.size());
    const std::string_view entry = trim(servers.substr(start, comma - start));
    start = comma + 1;
    if (entry.empty()) fail({}, "an entry is empty");
    std::string_view rest = entry;
    if (const std::size_t scheme = rest.find("://"); scheme != std::string_view::npos)
      rest.remove_prefix(scheme + 3);
    std::string_view host = rest, port;
    if (!rest.empty() && rest.front() == '[') {  // [ipv6]:port
      const std::size_t close = rest.find(']');
      if (close == std::string_view::npos) fail(entry, "an IPv6 address must be closed by ']'");
      host = rest.substr(1, close - 1);
      const std::string_view after = rest.substr(close + 1);
      if (!after.empty()) {
        if (after.front() != ':') fail(entry, "expected ':PORT' after ']'");
        port = after.substr(1);
        if (port.empty()) fail(entry, "the port is empty");
      }
    } else if (const std::size_t colon = rest.rfind(':'); colon != std::string_view::npos) {
      host = rest.substr(0, colon);
      port = rest.substr(colon + 1);
      if (port.empty()) fail(entry, "the port is empty");
    }
    if (host.empty()) fail(entry, "the host is empty");
    for (const char c : host)
      if (c == ' ' || c == '\t' || c == '/') fail(entry, "the host has a space or a '/'");
    if (!port.empty()) {
      long value = 0;
      for (const char c : port) {
        if (c < '0' || c > '9' || value > 65535) fail(entry, "the port is not a number 1-65535");
        value = value * 10 + (c - '0');
      }
      if (value < 1 || value > 65535) fail(entry, "the port is not a number 1-65535");
    }
    if (comma == servers.size()) break;
  }
}
UPSERTKIT_INLINE void check_client_properties(
    const std::map<std::string, std::string>& properties) {
  std::unique_ptr<rd_kafka_conf_t, detail::conf_deleter> probe(rd_kafka_conf_new());
  for (const auto& [key, value] : properties) {
    char reason[512];
    if (rd_kafka_conf_set(probe.get(), key.c_str(), value.c_str(), reason, sizeof reason) !=
        RD_KAFKA_CONF_OK)
      throw config_error("option 'properties." + key + "' is not a valid Kafka client setting: " +
                         (is_secret_property(key) ? std::string("invalid value") : reason));
  }
}
UPSERTKIT_INLINE void check_bootstrap_servers(
    std::string_view servers, const std::map<std::string, std::string>& properties) {
  if (properties.count("test.mock.num.brokers") > 0) return;
  const auto given = properties.find("bootstrap.servers");
  check_bootstrap_servers(given != properties.end() ? std::string_view(given->second) : servers);
}
UPSERTKIT_INLINE handle_ptr make_handle(rd_kafka_type_t type, config conf) {
  char reason[512];
  rd_kafka_conf_t* raw = conf.release();
  rd_kafka_t* rk = rd_kafka_new(type, raw, reason, sizeof reason);
  if (rk == nullptr) {
    rd_kafka_conf_destroy(raw);
    throw kafka_error(RD_KAFKA_RESP_ERR__INVALID_ARG,
                      std::string("cannot create the Kafka client: ") + reason);
  }
  return handle_ptr(rk);
}
UPSERTKIT_INLINE std::int32_t topic_partition_count(rd_kafka_t* rk, const std::string& topic,
                                                    std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    const rd_kafka_metadata_t* metadata = nullptr;
    rd_kafka_topic_t* rkt = rd_kafka_topic_new(rk, topic.c_str(), nullptr);
    const rd_kafka_resp_err_t err = rd_kafka_metadata(
        rk, 0, rkt, &metadata, static_cast<int>(std::max<std::int64_t>(left.count(), 1)));
    rd_kafka_topic_destroy(rkt);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
      throw kafka_error(err, "cannot read the metadata", topic);
    std::int32_t count = 0;
    rd_kafka_resp_err_t topic_err = RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART;
    if (metadata->topic_cnt == 1) {
      count = metadata->topics[0].partition_cnt;
      topic_err = metadata->topics[0].err;
    }
    rd_kafka_metadata_destroy(metadata);
    if (topic_err == RD_KAFKA_RESP_ERR_NO_ERROR && count > 0) return count;
    const bool transient = topic_err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART ||
                           topic_err == RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE ||
                           topic_err == RD_KAFKA_RESP_ERR_NO_ERROR;
    if (!transient || std::chrono::steady_clock::now() >= deadline) {
      if (topic_err == RD_KAFKA_RESP_ERR_NO_ERROR) topic_err = RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC;
      throw kafka_error(topic_err, "the topic is not available", topic);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}
UPSERTKIT_INLINE void create_topic(rd_kafka_t* rk, const std::string& topic, int partitions,
                                   const std::map<std::string, std::string>& configs,
                                   std::chrono::milliseconds timeout) {
  char reason[512];
  rd_kafka_NewTopic_t* request =
      rd_kafka_NewTopic_new(topic.c_str(), partitions, -1, reason, sizeof reason);
  if (request == nullptr)
    throw kafka_error(RD_KAFKA_RESP_ERR__INVALID_ARG,
                      std::string("cannot create the topic: ") + reason, topic);
  for (const auto& [key, value] : configs)
    rd_kafka_NewTopic_set_config(request, key.c_str(), value.c_str());
  rd_kafka_queue_t* queue = rd_kafka_queue_new(rk);
  rd_kafka_CreateTopics(rk, &request, 1, nullptr, queue);
  rd_kafka_event_t* event = rd_kafka_queue_poll(queue, static_cast<int>(timeout.count()));
  rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR__TIMED_OUT;
  std::string detail = "no answer in time";
  if (event != nullptr) {
    err = rd_kafka_event_error(event);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) detail = rd_kafka_event_error_string(event);
    if (const auto* result = rd_kafka_event_CreateTopics_result(event);
        result != nullptr && err == RD_KAFKA_RESP_ERR_NO_ERROR) {
      std::size_t count = 0;
      const rd_kafka_topic_result_t** topics = rd_kafka_CreateTopics_result_topics(result, &count);
      if (count == 1) {
        err = rd_kafka_topic_result_error(topics[0]);
        if (const char* text = rd_kafka_topic_result_error_string(topics[0])) detail = text;
      }
    }
    rd_kafka_event_destroy(event);
  }
  rd_kafka_queue_destroy(queue);
  rd_kafka_NewTopic_destroy(request);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR && err != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS)
    throw kafka_error(err, "cannot create the topic: " + detail, topic);
}

UPSERTKIT_INLINE consumer::consumer(config conf, rebalance_listener listener)
    : callbacks_(std::make_unique<callback_state>()) {
  callbacks_->rebalance = std::move(listener);
  conf.on_error(&consumer::record_error, callbacks_.get());
  if (callbacks_->rebalance) rd_kafka_conf_set_rebalance_cb(conf.get(), &consumer::on_rebalance);
  rk_ = make_handle(RD_KAFKA_CONSUMER, std::move(conf));
  rd_kafka_poll_set_consumer(rk_.get());
}

UPSERTKIT_INLINE std::int32_t consumer::partition_count(const std::string& topic,
                                                        std::chrono::milliseconds timeout) {
  try {
    return topic_partition_count(rk_.get(), topic, timeout);
  } catch (const kafka_error& e) {
    rd_kafka_poll(rk_.get(), 0);  // deliver pending error callbacks
    if (callbacks_->last_error.empty()) throw;
    throw kafka_error(
        e.code(), "cannot read the metadata; last client error: " + callbacks_->last_error, topic);
  }
}

}  // namespace upsertkit::kafka

#undef UPSERTKIT_INLINE
