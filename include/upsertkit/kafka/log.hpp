// upsertkit: where librdkafka's log lines go. librdkafka prints them to stderr itself
// ("%3|1796537593.485|FAIL|rdkafka#consumer-3| ..."), from its own threads; every client
// upsertkit creates hands them to one process-wide handler instead: by default a line on
// stderr that says it comes from upsertkit, or anything the program wants (its logger, a
// counter, nothing).
#ifndef UPSERTKIT_KAFKA_LOG_HPP
#define UPSERTKIT_KAFKA_LOG_HPP

#include <librdkafka/rdkafka.h>

#include <cstdio>
#include <functional>
#include <memory>
#include <mutex>
#include <string_view>
#include <utility>

namespace upsertkit::kafka {

/// One log line of librdkafka.
struct log_line {
  int level = 0;              // syslog's: 0 emergency ... 3 error, 4 warning ... 7 debug
  std::string_view facility;  // librdkafka's, e.g. "FAIL", "REQTMOUT", "MAXPOLL"
  std::string_view client;    // the client's name, e.g. "rdkafka#consumer-3"
  std::string_view message;
};

/// Receives librdkafka's log lines. Called from librdkafka's threads, possibly several at
/// once: it must be thread-safe and must not call back into the client that logs.
using log_handler = std::function<void(const log_line&)>;

/// The default handler: one line on stderr, `upsertkit: librdkafka <client> <LEVEL> <FACILITY>:
/// <message>`.
inline void log_to_stderr(const log_line& line) {
  static constexpr const char* names[] = {"EMERG",   "ALERT",  "CRIT", "ERROR",
                                          "WARNING", "NOTICE", "INFO", "DEBUG"};
  const char* name = line.level >= 0 && line.level < 8 ? names[line.level] : "LOG";
  std::fprintf(stderr, "upsertkit: librdkafka %.*s %s %.*s: %.*s\n",
               static_cast<int>(line.client.size()), line.client.data(), name,
               static_cast<int>(line.facility.size()), line.facility.data(),
               static_cast<int>(line.message.size()), line.message.data());
}

namespace detail {
struct log_state {
  std::mutex mutex;
  std::shared_ptr<const log_handler> handler = std::make_shared<const log_handler>(&log_to_stderr);
};
inline log_state& logs() {
  static log_state state;
  return state;
}
}  // namespace detail

/// Sends librdkafka's log lines of every client to `handler` (an empty one drops them); takes
/// effect at once, also for clients created before. Which lines librdkafka produces is its
/// `log_level` property (6 by default) and `debug`.
inline void set_log_handler(log_handler handler) {
  auto next = handler ? std::make_shared<const log_handler>(std::move(handler)) : nullptr;
  detail::log_state& state = detail::logs();
  const std::lock_guard<std::mutex> lock(state.mutex);
  state.handler = std::move(next);
}

namespace detail {
// librdkafka's log callback, set on every configuration upsertkit makes (kafka::config).
inline void forward_log(const rd_kafka_t* rk, int level, const char* facility,
                        const char* message) {
  std::shared_ptr<const log_handler> handler;
  {
    log_state& state = logs();
    const std::lock_guard<std::mutex> lock(state.mutex);
    handler = state.handler;
  }
  if (!handler) return;
  log_line line;
  line.level = level;
  line.facility = facility != nullptr ? facility : "";
  line.client = rk != nullptr ? rd_kafka_name(rk) : "";
  line.message = message != nullptr ? message : "";
  try {
    (*handler)(line);
  } catch (...) {
    // An exception must not cross librdkafka's C frames; a log line is not worth a crash.
  }
}
}  // namespace detail

}  // namespace upsertkit::kafka

#endif  // UPSERTKIT_KAFKA_LOG_HPP
