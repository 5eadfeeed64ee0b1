// Static membership on a real broker (static_membership.hpp): a source with durable state is a
// static member by default, so a restart, after a clean close or a SIGKILL, takes its partitions
// back at once instead of waiting out the session of the member it was; leave_group() hands
// them to the others at once; two consumers with one group.instance.id end in a clear error.
// Each test's reads are bounded by a timeout shorter than the 45 s session the members keep,
// so that the behaviour of dynamic membership (waiting for that session) fails them.
#include <gtest/gtest.h>
#include <upsertkit/partitioner.hpp>
#include <upsertkit/print.hpp>
#include <upsertkit/source.hpp>
#include <upsertkit/stores/rocksdb_store.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "broker_support.hpp"
#include "orders/orders_table.hpp"
#include "test_support.hpp"

namespace broker_test {
namespace {

using namespace std::chrono_literals;

using durable_source =
    upsertkit::upsert_source<orders::table, test_support::printed, upsertkit::rocksdb_store>;

// Kafka's default session: what a member that did not leave holds its partitions for.
constexpr const char* default_session_ms = "45000";

// `count` records of new keys `<prefix>0...`, one +I each, over every partition of `topic`.
void write_new_keys(const std::string& topic, const std::string& prefix, int count,
                    std::int32_t partitions) {
  auto producer = raw_producer();
  for (int i = 0; i < count; ++i) {
    const std::string key = prefix + std::to_string(i);
    producer.produce(topic, upsertkit::partition_for_key(key, partitions), key,
                     R"({"order_id":")" + key + R"(","user_name":"n)" + std::to_string(i) + "\"}");
  }
  producer.flush(30s);
}

// A test's topic, group and state directory, each of its own; the directory is removed before
// and after.
struct scenario {
  explicit scenario(const std::string& name)
      : topic(unique_name(name)),
        group(unique_name(name + "-group")),
        dir("/tmp/upsertkit-" + unique_name(name + "-state")) {
    std::filesystem::remove_all(dir);
  }
  scenario(const scenario&) = delete;
  scenario& operator=(const scenario&) = delete;
  ~scenario() { std::filesystem::remove_all(dir); }
  const std::string topic, group, dir;
};

upsertkit::source_options durable_options(const std::string& topic, const std::string& group,
                                          const std::string& state_dir) {
  upsertkit::source_options options;
  options.topic = topic;
  options.bootstrap_servers = bootstrap();
  options.properties["group.id"] = group;
  options.properties["session.timeout.ms"] = default_session_ms;
  options.commit_interval = 100ms;
  options.state_dir = state_dir;
  return options;
}

// The id in the tool's "static member '<id>'" log line, or "".
std::string derived_id_in(const std::string& log) {
  const std::string marker = "static member '";
  const std::size_t at = log.find(marker);
  if (at == std::string::npos) return "";
  const std::size_t start = at + marker.size();
  return log.substr(start, log.find('\'', start) - start);
}

// upsertkit-orders with --state-dir and --group, SIGKILLed while it holds all four partitions
// (it is following the topic, and the group has committed every record: it got them all), then
// run again to read new records in every partition within 20 s. The killed member stays in the
// group for its 45 s session: a dynamic member started again would wait for those partitions
// (with --dynamic-membership this test fails on the timeout). The derived static member is the
// same member, so it takes them back at once.
TEST(RealBrokerMembership, ADurableToolKilledGetsItsPartitionsBackWithoutWaitingOutItsSession) {
  const scenario test("member-kill");
  const std::string &topic = test.topic, &group = test.group, &dir = test.dir;
  create_topic(topic, 4);
  write_new_keys(topic, "a", 400, 4);
  auto argv = [&](bool follow) {
    std::vector<std::string> a = {example("upsertkit-orders"),
                                  "--brokers",
                                  bootstrap(),
                                  "--topic",
                                  topic,
                                  "--group",
                                  group,
                                  "--state-dir",
                                  dir,
                                  "--print-style",
                                  "modern",
                                  "--commit-interval",
                                  "100",
                                  "--timeout",
                                  "20",
                                  "--property",
                                  std::string("session.timeout.ms=") + default_session_ms};
    if (follow) a.emplace_back("--follow");
    return a;
  };
  const std::string prefix = "/tmp/upsertkit-" + topic;
  const test_files files(prefix);
  group_watcher watcher(group, topic, 4);
  {
    child_process first(argv(true), prefix + ".0.out", prefix + ".0.err");
    const auto deadline = std::chrono::steady_clock::now() + 60s;
    while (watcher.committed_records() < 400 && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(100ms);
    ASSERT_EQ(watcher.committed_records(), 400) << read_file(prefix + ".0.err");
    ASSERT_TRUE(first.kill_now()) << "the first run ended before it was killed";
  }
  write_new_keys(topic, "b", 200, 4);
  child_process second(argv(false), prefix + ".1.out", prefix + ".1.err");
  ASSERT_EQ(second.wait(60s), 0) << read_file(prefix + ".1.err");
  const std::vector<std::string> rows = complete_lines(prefix + ".1.out");
  std::set<std::string> inserted;
  for (const std::string& row : rows)
    if (row.rfind("+I[b", 0) == 0) inserted.insert(row);
  EXPECT_EQ(rows.size(), 200u) << "the restart emits the new records' rows only";
  EXPECT_EQ(inserted.size(), 200u);
  const std::string first_id = derived_id_in(read_file(prefix + ".0.err"));
  EXPECT_FALSE(first_id.empty()) << read_file(prefix + ".0.err");
  EXPECT_EQ(derived_id_in(read_file(prefix + ".1.err")), first_id);
}

// A durable source that closes keeps its place (for its restart); one that calls leave_group()
// gives it up: a member with another state directory then gets every partition at once.
TEST(RealBrokerMembership, LeaveGroupHandsThePartitionsOverAtOnce) {
  const scenario test("member-leave");
  const std::string &topic = test.topic, &group = test.group, &dir = test.dir;
  create_topic(topic, 4);
  write_new_keys(topic, "a", 200, 4);
  std::vector<std::string> first_rows, second_rows;
  {
    durable_source first(durable_options(topic, group, dir + "/first"),
                         test_support::printed{&first_rows});
    EXPECT_FALSE(first.derived_group_instance_id().empty());
    first.read_to_end(20s);
    first.leave_group();
  }
  EXPECT_EQ(first_rows.size(), 200u);
  write_new_keys(topic, "b", 100, 4);
  durable_source second(durable_options(topic, group, dir + "/second"),
                        test_support::printed{&second_rows});
  // Throws after 20 s if the first member still held partitions.
  second.read_to_end(20s);
  EXPECT_EQ(second_rows.size(), 100u);  // what came after the first member's commits
  second.close();
}

// Two running consumers with one group.instance.id: the broker fences the older one, which
// stops with an error that names the id and the group (it does not go on reading nothing), and
// stays stopped.
TEST(RealBrokerMembership, ASharedGroupInstanceIdStopsTheFencedMemberWithAClearError) {
  const scenario test("member-fenced");
  const std::string &topic = test.topic, &group = test.group, &dir = test.dir;
  create_topic(topic, 2);
  write_new_keys(topic, "a", 50, 2);
  std::vector<std::string> rows;
  upsertkit::source_options options = durable_options(topic, group, dir + "/a");
  options.properties["group.instance.id"] = "copied-instance";
  durable_source older(options, test_support::printed{&rows});
  older.read_to_end(20s);
  options.state_dir = dir + "/b";
  durable_source newer(options, test_support::printed{&rows});
  std::string failure;
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  while (failure.empty() && std::chrono::steady_clock::now() < deadline) {
    newer.poll_batch(100ms);
    try {
      older.poll_batch(100ms);
    } catch (const upsertkit::kafka::kafka_error& e) {
      failure = e.what();
      EXPECT_EQ(e.code(), RD_KAFKA_RESP_ERR_FENCED_INSTANCE_ID) << e.what();
    }
  }
  ASSERT_FALSE(failure.empty()) << "the older member was not stopped";
  std::printf("the fenced member: %s\n", failure.c_str());
  // It stays stopped (librdkafka stopped its consumer): the next poll says so again, and its
  // close commits nothing (the partitions are the other member's now).
  EXPECT_THROW(older.poll_batch(100ms), upsertkit::error);
  EXPECT_NO_THROW(older.close());
  EXPECT_NE(failure.find("group.instance.id 'copied-instance'"), std::string::npos) << failure;
  EXPECT_NE(failure.find(group), std::string::npos) << failure;
  EXPECT_NE(failure.find(topic), std::string::npos) << failure;
}

}  // namespace
}  // namespace broker_test
