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
void log_to_stderr(const log_line& line);

namespace detail {
struct log_state {
  std::mutex mutex;
  std::shared_ptr<const log_handler> handler = std::make_shared<const log_handler>(&log_to_stderr);
};
log_state& logs();
}  // namespace detail

/// Sends librdkafka's log lines of every client to `handler` (an empty one drops them); takes
/// effect at once, also for clients created before. Which lines librdkafka produces is its
/// `log_level` property (6 by default) and `debug`.
void set_log_handler(log_handler handler);

namespace detail {
// librdkafka's log callback, set on every configuration upsertkit makes (kafka::config).
void forward_log(const rd_kafka_t* rk, int level, const char* facility, const char* message);
}  // namespace detail

}  // namespace upsertkit::kafka

// The definitions: inline here, or compiled once (separate_compilation.hpp).
#ifndef UPSERTKIT_SEPARATE_COMPILATION
#include "log.ipp"
#endif

#endif  // UPSERTKIT_KAFKA_LOG_HPP
