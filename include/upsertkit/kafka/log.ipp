// upsertkit: the definitions of log.hpp's functions, inline in that header or compiled once
// under UPSERTKIT_SEPARATE_COMPILATION (separate_compilation.hpp).
#ifdef UPSERTKIT_SEPARATE_COMPILATION
#define UPSERTKIT_INLINE
#else
#define UPSERTKIT_INLINE inline
#endif

namespace upsertkit::kafka {

UPSERTKIT_INLINE void log_to_stderr(const log_line& line) {
  static constexpr const char* names[] = {"EMERG",   "ALERT",  "CRIT", "ERROR",
                                          "WARNING", "NOTICE", "INFO", "DEBUG"};
  const char* name = line.level >= 0 && line.level < 8 ? names[line.level] : "LOG";
  std::fprintf(stderr, "upsertkit: librdkafka %.*s %s %.*s: %.*s\n",
               static_cast<int>(line.client.size()), line.client.data(), name,
               static_cast<int>(line.facility.size()), line.facility.data(),
               static_cast<int>(line.message.size()), line.message.data());
}

UPSERTKIT_INLINE void set_log_handler(log_handler handler) {
  auto next = handler ? std::make_shared<const log_handler>(std::move(handler)) : nullptr;
  detail::log_state& state = detail::logs();
  const std::lock_guard<std::mutex> lock(state.mutex);
  state.handler = std::move(next);
}

namespace detail {

UPSERTKIT_INLINE log_state& logs() {
  static log_state state;
  return state;
}

UPSERTKIT_INLINE void forward_log(const rd_kafka_t* rk, int level, const char* facility,
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

#undef UPSERTKIT_INLINE
