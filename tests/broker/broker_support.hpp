// What the real-broker tests share: the broker's addresses (from scripts/broker-tests.sh),
// topics, producers, reading a topic back raw, the group's committed offsets, and running
// the example programs as child processes that can be killed.
#ifndef UPSERTKIT_TESTS_BROKER_SUPPORT_HPP
#define UPSERTKIT_TESTS_BROKER_SUPPORT_HPP

#include <gtest/gtest.h>
#include <upsertkit/kafka/client.hpp>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace broker_test {

inline std::string env(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') {
    ADD_FAILURE() << name << " is not set: run these tests through scripts/broker-tests.sh";
    return "127.0.0.1:1";
  }
  return value;
}

inline std::string bootstrap() {
  return env("UPSERTKIT_KAFKA_BOOTSTRAP");
}

/// The client.id of consumers the broker slows down to 4 MiB/s (a quota set by
/// scripts/broker-tests.sh): programs killed mid-stream use it, so a kill lands mid-stream
/// however fast the machine is.
inline constexpr const char* throttled_client_id = "upsertkit-throttled";

/// Appends the command-line properties of a program that must be killed mid-stream: the
/// throttled client.id and small fetches. A quota slows a client down *after* a response (the
/// broker answers, then tells the client how long to wait), so one fetch always arrives whole:
/// at the default 1 MiB per partition, a restarted run's first fetch could carry the rest of the
/// input (200,000 records of ~70 bytes over 4 partitions is ~3.5 MB), commit it at once, and
/// leave no point to kill it at (seen in CI and once in 34 kills here, 2026-12-08). At 64 KiB
/// per partition a fetch is at most ~1,000 records per partition.
inline void add_throttled_properties(std::vector<std::string>& argv) {
  for (const std::string& property :
       {std::string("client.id=") + throttled_client_id,
        std::string("max.partition.fetch.bytes=65536"), std::string("fetch.max.bytes=1048576")}) {
    argv.emplace_back("--property");
    argv.push_back(property);
  }
}

/// A program built next to the test binary (examples/): its path.
inline std::string example(const std::string& name) {
  return env("UPSERTKIT_EXAMPLES_DIR") + "/" + name;
}

/// The files a test's programs write, `<prefix>.*` (their stdout and stderr, up to ~20 MB
/// each): removed when the test passed, kept for a look when it failed.
class test_files {
 public:
  explicit test_files(std::string prefix) : prefix_(std::move(prefix)) {}
  test_files(const test_files&) = delete;
  test_files& operator=(const test_files&) = delete;
  ~test_files() {
    if (::testing::Test::HasFailure()) return;
    const std::filesystem::path path(prefix_);
    const std::string start = path.filename().string() + ".";
    std::error_code error;
    std::vector<std::filesystem::path> ours;
    for (std::filesystem::directory_iterator it(path.parent_path(), error), end;
         !error && it != end; it.increment(error))
      if (it->path().filename().string().rfind(start, 0) == 0) ours.push_back(it->path());
    for (const auto& file : ours)
      std::filesystem::remove(file, error);
  }

 private:
  std::string prefix_;
};

// A topic or group name of its own for each run of a test, so that `--gtest_repeat` and a
// broker kept from an earlier run see no records or commits of another run.
inline std::string unique_name(const std::string& prefix) {
  static int runs = 0;
  return prefix + "-" + std::to_string(::getpid()) + "-" + std::to_string(++runs);
}

// Creates a topic with the Admin API and waits for the result.
inline void create_topic(const std::string& name, int partitions,
                         const std::map<std::string, std::string>& configs = {}) {
  upsertkit::kafka::config conf;
  conf.set("bootstrap.servers", bootstrap());
  upsertkit::kafka::producer admin(std::move(conf));
  upsertkit::kafka::create_topic(admin.get(), name, partitions, configs, std::chrono::seconds(30));
  admin.partition_count(name, std::chrono::seconds(30));
}

inline upsertkit::kafka::producer raw_producer() {
  upsertkit::kafka::config conf;
  conf.set("bootstrap.servers", bootstrap());
  // Idempotence keeps each partition in the order of the produce calls, which the tests'
  // expected tables assume. Without it, a first batch refused while a new topic's leader is
  // not yet known is retried after later batches were written, and the partition holds the
  // records in another order (seen: GroupMemberRestartGivesNeitherDuplicatesNorGaps failed
  // about once in 60 runs, its changelog consistent with the reordered partition).
  conf.set("enable.idempotence", "true");
  conf.set("queue.buffering.max.messages", "1000000");
  return upsertkit::kafka::producer(std::move(conf));
}

/// One record of a topic as a plain consumer sees it.
struct raw_record {
  std::int32_t partition = -1;
  std::int64_t offset = -1;
  std::string key;
  std::optional<std::string> value;  // std::nullopt: a tombstone
};

/// Every record of `topic` from its first offset to its end, in partition order (each
/// partition in offset order). `read_committed` hides aborted and open transactions.
inline std::vector<raw_record> read_records(const std::string& topic, bool read_committed) {
  upsertkit::kafka::config conf;
  conf.set("bootstrap.servers", bootstrap());
  conf.set("group.id", unique_name("reader"));
  conf.set("enable.partition.eof", "true");
  conf.set("enable.auto.commit", "false");
  conf.set("isolation.level", read_committed ? "read_committed" : "read_uncommitted");
  upsertkit::kafka::consumer consumer(std::move(conf));
  const std::int32_t partitions = consumer.partition_count(topic, std::chrono::seconds(30));
  consumer.assign_all(topic, partitions, RD_KAFKA_OFFSET_BEGINNING);
  std::vector<std::vector<raw_record>> by_partition(static_cast<std::size_t>(partitions));
  std::vector<bool> at_end(static_cast<std::size_t>(partitions), false);
  int ended = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(3);
  while (ended < partitions) {
    if (std::chrono::steady_clock::now() > deadline) {
      ADD_FAILURE() << "topic " << topic << " was not read to its end in 3 minutes";
      break;
    }
    upsertkit::kafka::message m = consumer.poll(std::chrono::milliseconds(200));
    if (!m) continue;
    const auto p = static_cast<std::size_t>(m.partition());
    if (m.error() == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      if (!at_end[p]) ++ended;
      at_end[p] = true;
      continue;
    }
    if (m.error() != RD_KAFKA_RESP_ERR_NO_ERROR) {
      ADD_FAILURE() << "reading " << topic << ": " << m.error_text();
      break;
    }
    by_partition[p].push_back({m.partition(), m.offset(), std::string(m.key().value_or("")),
                               m.value() ? std::optional<std::string>(*m.value()) : std::nullopt});
  }
  std::vector<raw_record> out;
  for (auto& records : by_partition)
    out.insert(out.end(), records.begin(), records.end());
  return out;
}

/// Reads a consumer group's committed offsets without joining it.
class group_watcher {
 public:
  group_watcher(const std::string& group, std::string topic, std::int32_t partitions)
      : topic_(std::move(topic)), partitions_(partitions), consumer_(make(group)) {}

  /// Per partition the committed offset, or -1 where none.
  std::vector<std::int64_t> committed() {
    upsertkit::kafka::partition_list_ptr list(rd_kafka_topic_partition_list_new(partitions_));
    for (std::int32_t p = 0; p < partitions_; ++p)
      rd_kafka_topic_partition_list_add(list.get(), topic_.c_str(), p);
    // A commit inside a transaction that is not settled yet is answered with a retriable
    // error (UNSTABLE_OFFSET_COMMIT): ask again.
    for (int attempt = 0;; ++attempt) {
      try {
        consumer_.committed(list.get(), std::chrono::seconds(10));
        break;
      } catch (const upsertkit::kafka::kafka_error&) {
        if (attempt == 50) throw;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    }
    std::vector<std::int64_t> out(static_cast<std::size_t>(partitions_), -1);
    for (int i = 0; i < list->cnt; ++i)
      out[static_cast<std::size_t>(list->elems[i].partition)] =
          list->elems[i].offset >= 0 ? list->elems[i].offset : -1;
    return out;
  }

  /// The committed offsets summed (a partition without a commit counts 0): the number of
  /// input records the group has finished with.
  std::int64_t committed_records() {
    std::int64_t sum = 0;
    for (const std::int64_t offset : committed())
      if (offset > 0) sum += offset;
    return sum;
  }

 private:
  static upsertkit::kafka::consumer make(const std::string& group) {
    upsertkit::kafka::config conf;
    conf.set("bootstrap.servers", bootstrap());
    conf.set("group.id", group);  // reads the group's offsets; never joins
    // Only settled commits are read either way: the broker keeps a transaction's offsets apart
    // until it commits. With read_committed (KIP-447's require_stable) it answers
    // UNSTABLE_OFFSET_COMMIT while any transaction of the group is open, which with two
    // transactional workers committing in turn is nearly always: the watcher then saw the
    // offsets seconds apart, and a kill meant for mid-stream came after the end.
    conf.set("isolation.level", "read_uncommitted");
    return upsertkit::kafka::consumer(std::move(conf));
  }

  std::string topic_;
  std::int32_t partitions_;
  upsertkit::kafka::consumer consumer_;
};

/// A program run as a child process, stdout and stderr into files: it can be killed.
class child_process {
 public:
  child_process(const std::vector<std::string>& argv, const std::string& out,
                const std::string& err) {
    std::vector<char*> args;
    for (const std::string& a : argv)
      args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int rc = posix_spawn(&pid_, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
      ADD_FAILURE() << "cannot run " << argv[0] << ": " << std::strerror(rc);
      pid_ = -1;
    }
  }
  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;
  ~child_process() {
    if (running()) kill_now();
  }

  /// True while the process has not ended (it is reaped once it has).
  bool running() {
    if (pid_ <= 0 || ended_) return false;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      ended_ = true;
      status_ = status;
    }
    return !ended_;
  }

  /// SIGKILL, then reaps it. True when it was still running and died of that signal.
  bool kill_now() {
    if (!running()) return false;
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    ended_ = true;
    status_ = status;
    return WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
  }

  /// Waits for the end, up to `timeout` (then kills it); its exit status, or -1.
  int wait(std::chrono::seconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (running()) {
      if (std::chrono::steady_clock::now() > deadline) {
        ADD_FAILURE() << "a child process did not end within " << timeout.count() << " s";
        kill_now();
        return -1;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return WIFEXITED(status_) ? WEXITSTATUS(status_) : -1;
  }

  pid_t pid() const noexcept { return pid_; }

 private:
  pid_t pid_ = -1;
  bool ended_ = false;
  int status_ = 0;
};

inline std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

/// The complete lines of a file: a last line without its newline (a process killed while
/// writing it) is left out.
inline std::vector<std::string> complete_lines(const std::string& path) {
  const std::string text = read_file(path);
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = text.find('\n', start);
    if (end == std::string::npos) break;
    if (end > start) lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

}  // namespace broker_test

#endif  // UPSERTKIT_TESTS_BROKER_SUPPORT_HPP
