// Nothing lost when a process dies (docs/reliability.md): programs killed with SIGKILL at random
// points mid-stream, more than once, on a real broker, then run to the end; every key's output
// is checked, not only the final table.
//
// How a kill is known to land mid-stream: before each kill the test watches the consumer
// group's committed offsets (a separate consumer reading them, never joining) and kills once
// they passed a random point between where this run started and the input's end. So at the
// kill the process (a) was still running (it died of the SIGKILL: waitpid says so), (b) had
// committed progress of its own in this run, and (c) had input left to read. Each kill's
// numbers are printed. The programs read through a broker quota of 4 MiB/s (client.id
// upsertkit-throttled), so a commit interval covers a few thousand records, not the rest of
// the topic, whatever the machine's speed.
#include <gtest/gtest.h>
#include <upsertkit/formats/json.hpp>
#include <upsertkit/partitioner.hpp>
#include <upsertkit/print.hpp>
#include <upsertkit/sink.hpp>
#include <upsertkit/source.hpp>
#if UPSERTKIT_TEST_ROCKSDB
#include <upsertkit/stores/rocksdb_store.hpp>

#include <filesystem>
#endif

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>
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

// The seed of a test's random choices: UPSERTKIT_TEST_SEED to replay a run, else a fresh one.
// Printed either way.
std::uint64_t test_seed() {
  if (const char* given = std::getenv("UPSERTKIT_TEST_SEED")) return std::stoull(given);
  return std::random_device()();
}

// ------------------------------------------------------------------------ the input stream

// What the sink writes for one change: the row's user_name, or std::nullopt for a tombstone.
using output_value = std::optional<std::string>;

// Upserts and tombstones over random keys, each upsert with a value never used before
// (user_name "v<i>"), so every printed row and every output record is unique per key and a
// duplicate or a gap shows.
struct upsert_stream {
  std::string topic;
  std::int32_t partitions = 0;
  std::int64_t records = 0;
  std::map<std::string, std::string> table;  // the final table: key -> user_name
  // Per key, what an upsert sink writes for the changelog of the stream (+I and +U as their
  // user_name, -D as a tombstone; -U and upserts of absent... keys' tombstones give nothing).
  std::map<std::string, std::vector<output_value>> output;
  std::size_t output_records = 0;
  // Per key, every record as it is (what a pass-through copy writes): tombstones of absent
  // keys and repeated values included.
  std::map<std::string, std::vector<output_value>> records_by_key;
};

upsert_stream write_stream(const std::string& topic, std::int32_t partitions, int records, int keys,
                           std::uint64_t seed) {
  create_topic(topic, partitions);
  upsert_stream s;
  s.topic = topic;
  s.partitions = partitions;
  s.records = records;
  std::mt19937_64 random(seed);
  auto producer = raw_producer();
  for (int i = 0; i < records; ++i) {
    const std::string key = "k" + std::to_string(random() % static_cast<std::uint64_t>(keys));
    const std::int32_t partition = upsertkit::partition_for_key(key, partitions);
    const bool present = s.table.count(key) > 0;
    if (random() % 10 == 0) {  // a tombstone: a -D if the key is there, else nothing
      producer.produce(topic, partition, key, std::nullopt);
      s.records_by_key[key].push_back(std::nullopt);
      if (present) {
        s.output[key].push_back(std::nullopt);
        s.table.erase(key);
      }
    } else {
      const std::string name = "v" + std::to_string(i);
      producer.produce(topic, partition, key,
                       R"({"order_id":")" + key + R"(","user_name":")" + name + "\"}");
      s.output[key].push_back(name);
      s.records_by_key[key].push_back(name);
      s.table[key] = name;
    }
    if (i % 10'000 == 0) producer.poll(0ms);
  }
  producer.flush(120s);
  for (const auto& [key, values] : s.output)
    s.output_records += values.size();
  return s;
}

// The user_name of an output record's JSON value.
std::string user_name_of(const std::string& json) {
  static const upsertkit::table_projections<orders::table> projections;
  static upsertkit::json::codec<orders::table> codec(projections.value);
  orders::Order row{};
  const upsertkit::decode_status status = codec.decode(json, row);
  EXPECT_TRUE(status.ok()) << json;
  return std::string(row.user_name.value_or(""));
}

// Per key, the output topic's records in order (a key lives in one partition).
std::map<std::string, std::vector<output_value>> output_by_key(const std::string& topic,
                                                               bool read_committed) {
  std::map<std::string, std::vector<output_value>> out;
  for (const raw_record& r : read_records(topic, read_committed))
    out[r.key].push_back(r.value ? output_value(user_name_of(*r.value)) : std::nullopt);
  return out;
}

// At-least-once output of one key, `got`, against the key's changelog, `expected`: true when
// every change is there and none comes before all the changes before it came at least once
// (no gap); repeats of a change already seen are allowed (a restart writes again from its last
// commit). A value seen again may match more than one place (tombstones repeat): advancing the
// furthest change reached whenever the next one matches is never worse than not.
bool has_no_gap(const std::vector<output_value>& expected, const std::vector<output_value>& got) {
  std::size_t reached = 0;  // expected[0, reached) have all been seen
  for (const output_value& v : got) {
    if (reached < expected.size() && expected[reached] == v) {
      ++reached;
      continue;
    }
    if (std::find(expected.begin(), expected.begin() + static_cast<std::ptrdiff_t>(reached), v) ==
        expected.begin() + static_cast<std::ptrdiff_t>(reached))
      return false;  // a change ahead of one never seen, or one that is not in the changelog
  }
  return reached == expected.size();
}

// The check itself, on made-up outputs (no broker needed).
TEST(CrashTestChecks, NoGapAcceptsRepeatsAndRefusesSkipsAndStrangers) {
  const output_value a = "a", b = "b", c = "c", none = std::nullopt;
  const std::vector<output_value> abc = {a, b, c};
  EXPECT_TRUE(has_no_gap(abc, {a, b, c}));
  EXPECT_TRUE(has_no_gap(abc, {a, b, a, b, c}));
  EXPECT_TRUE(has_no_gap(abc, {a, b, b, c, c}));
  EXPECT_FALSE(has_no_gap(abc, {a, c})) << "b was skipped";
  EXPECT_FALSE(has_no_gap(abc, {b, c})) << "a was skipped";
  EXPECT_FALSE(has_no_gap(abc, {a, b})) << "c never came";
  EXPECT_FALSE(has_no_gap(abc, {a, b, c, "x"})) << "x is not a change of the key";
  EXPECT_TRUE(has_no_gap({a, none, b, none}, {a, none, a, none, b, none}));
  EXPECT_FALSE(has_no_gap({a, none, b, none}, {a, none, none}));
}

// ------------------------------------------------------------------------ killing mid-stream

struct kill_point {
  std::int64_t run_started_at = 0;  // group's committed records when the run started
  std::int64_t killed_at = 0;       // ... when it was killed
};

// Runs `argv_of(run)` `kills` times, killing each run with SIGKILL once the group's committed
// offsets passed a random point of what is left (see the top of this file), then runs
// `argv_of(kills)` to its end (exit 0). Output of run r goes to `<prefix>.<r>.out|err`.
std::vector<kill_point> kill_mid_stream(const std::function<std::vector<std::string>(int)>& argv_of,
                                        group_watcher& watcher, std::int64_t total, int kills,
                                        std::mt19937_64& random, const std::string& prefix) {
  std::vector<kill_point> points;
  for (int run = 0; run < kills; ++run) {
    kill_point point;
    point.run_started_at = watcher.committed_records();
    const std::int64_t left = total - point.run_started_at;
    const std::int64_t target =
        point.run_started_at + 1 +
        static_cast<std::int64_t>(std::uniform_real_distribution<double>(0.05, 0.35)(random) *
                                  static_cast<double>(left));
    const std::string out = prefix + "." + std::to_string(run) + ".out";
    const std::string err = prefix + "." + std::to_string(run) + ".err";
    child_process child(argv_of(run), out, err);
    const auto deadline = std::chrono::steady_clock::now() + 240s;
    std::int64_t committed = point.run_started_at;
    while (committed < target) {
      if (!child.running()) {
        ADD_FAILURE() << "run " << run << " ended before it could be killed mid-stream:\n"
                      << read_file(err);
        return points;
      }
      if (std::chrono::steady_clock::now() > deadline) {
        ADD_FAILURE() << "run " << run << " committed nothing new for 240 s:\n" << read_file(err);
        return points;
      }
      std::this_thread::sleep_for(5ms);
      committed = watcher.committed_records();
    }
    point.killed_at = committed;
    EXPECT_TRUE(child.kill_now()) << "run " << run << " was not running when killed";
    EXPECT_GT(point.killed_at, point.run_started_at) << "run " << run << " made no progress";
    EXPECT_LT(point.killed_at, total) << "run " << run << " had read everything: not mid-stream";
    std::printf("kill %d: run started at %lld committed records, killed at %lld of %lld\n", run + 1,
                static_cast<long long>(point.run_started_at),
                static_cast<long long>(point.killed_at), static_cast<long long>(total));
    points.push_back(point);
  }
  const std::string out = prefix + "." + std::to_string(kills) + ".out";
  const std::string err = prefix + "." + std::to_string(kills) + ".err";
  child_process last(argv_of(kills), out, err);
  EXPECT_EQ(last.wait(600s), 0) << read_file(err);
  EXPECT_EQ(watcher.committed_records(), total) << "the last run did not commit the whole input";
  return points;
}

// ------------------------------------------------------------------------ the pipe

struct pipe_test {
  bool exactly_once = false;
  bool reducing_buffer = false;
  // The producer's linger.ms: records wait that long in its queue to form larger batches, so
  // changes not yet written are outstanding at any moment, as with the reducing buffer.
  int linger_ms = 5;
  // Workers in the process (--parallelism): each a member of the group with its own sink.
  int parallelism = 1;
  // --pass-through: every record copied as it is, no state (the expected output per key is
  // the key's records, not its changelog).
  bool pass_through = false;
};

// upsertkit-pipe copies 200,000 upserts and tombstones over 20,000 keys (4 partitions) from one
// upsert topic to another, in a consumer group, killed three times, then run to the end.
void run_pipe_test(const pipe_test& test) {
  const std::uint64_t seed = test_seed();
  std::printf("seed %llu (UPSERTKIT_TEST_SEED replays it)\n",
              static_cast<unsigned long long>(seed));
  std::mt19937_64 random(seed);
  const std::string in = unique_name("pipe-in");
  const std::string out = unique_name("pipe-out");
  const std::string group = unique_name("pipe-group");
  const upsert_stream stream = write_stream(in, 4, 200'000, 20'000, seed);
  create_topic(out, 4);

  auto argv_of = [&](int run) {
    std::vector<std::string> argv = {example("upsertkit-pipe"), "--brokers", bootstrap(), "--from",
                                     in, "--to", out, "--group", group,
                                     // Static membership: a restarted run takes the killed
                                     // one's partitions back at once.
                                     "--group-instance-id", group + "-member", "--commit-interval",
                                     "200", "--property", "session.timeout.ms=30000"};
    add_throttled_properties(argv);
    if (test.reducing_buffer) {
      for (const char* a : {"--buffer-rows", "10000", "--buffer-interval", "5000"})
        argv.emplace_back(a);
    }
    argv.emplace_back("--sink-property");
    argv.push_back("linger.ms=" + std::to_string(test.linger_ms));
    if (test.exactly_once) {
      for (const char* a : {"--delivery-guarantee", "exactly-once", "--transactional-id-prefix"})
        argv.emplace_back(a);
      argv.push_back(group + "-tx");
    }
    if (test.parallelism > 1) {
      argv.emplace_back("--parallelism");
      argv.push_back(std::to_string(test.parallelism));
      // The workers of a run join one after the other: the group rebalances, and a member
      // learns of it at its next heartbeat. Commits are refused until the rebalance ends: with
      // the default 3 s interval a run could read the rest of the input before its first
      // commit, and no kill would land mid-stream.
      argv.emplace_back("--property");
      argv.emplace_back("heartbeat.interval.ms=300");
    }
    if (test.pass_through) {
      argv.emplace_back("--pass-through");
      // Without state a run copies as fast as it fetches, and librdkafka fetches ahead (up to
      // 256 MiB on librdkafka 2.0.2 with upsertkit's prefetch defaults): the quota's budget
      // would arrive in one burst, copied and committed at once, and no kill would land
      // mid-stream. A small prefetch queue keeps the flow at the quota's pace.
      for (const char* a : {"--property", "queued.max.messages.kbytes=256"})
        argv.emplace_back(a);
    }
    if (run < 3) argv.emplace_back("--follow");
    return argv;
  };
  group_watcher watcher(group, in, 4);
  const auto& expected_output = test.pass_through ? stream.records_by_key : stream.output;
  std::size_t expected_records = 0;
  for (const auto& [key, values] : expected_output)
    expected_records += values.size();
  const std::string prefix = "/tmp/upsertkit-" + out;
  const test_files files(prefix);
  const auto points = kill_mid_stream(argv_of, watcher, stream.records, 3, random, prefix);
  ASSERT_EQ(points.size(), 3u);

  // What a read_committed consumer of the output sees, key by key.
  const auto output = output_by_key(out, true);
  std::map<std::string, std::string> table;
  for (const auto& [key, values] : output)
    if (values.back()) table[key] = *values.back();
  int missing = 0, stale = 0, undeleted = 0;
  for (const auto& [key, name] : stream.table) {
    const auto it = table.find(key);
    if (it == table.end())
      ++missing;
    else if (it->second != name)
      ++stale;
  }
  for (const auto& [key, name] : table)
    if (stream.table.count(key) == 0) ++undeleted;
  EXPECT_EQ(missing, 0);
  EXPECT_EQ(stale, 0);
  EXPECT_EQ(undeleted, 0);
  EXPECT_EQ(table, stream.table);

  std::size_t written = 0;
  for (const auto& [key, values] : output)
    written += values.size();
  std::printf(
      "pipe (%s%s%s, linger.ms %d, %d worker(s)): 3 kills; %zu changes expected, %zu records read "
      "back; %d keys missing, %d stale, %d not deleted\n",
      test.exactly_once ? "exactly-once" : "at-least-once",
      test.reducing_buffer ? ", reducing buffer 10000 rows / 5 s" : "",
      test.pass_through ? ", pass-through" : "", test.linger_ms, test.parallelism, expected_records,
      written, missing, stale, undeleted);

  if (!test.exactly_once) {
    if (test.reducing_buffer) return;  // the buffer folds changes: the table is the check
    // No buffer: each key's output is its changelog, changes after a commit perhaps twice.
    int gap_keys = 0;
    for (const auto& [key, expected] : expected_output) {
      const auto it = output.find(key);
      if (it != output.end() && has_no_gap(expected, it->second)) continue;
      if (++gap_keys <= 5)
        std::printf("key %s: its output has a gap or a change out of place\n", key.c_str());
    }
    EXPECT_EQ(gap_keys, 0);
    std::printf("at-least-once: %d keys with a gap; %zu records written for %zu changes\n",
                gap_keys, written, expected_records);
    return;
  }
  // Exactly once: each key's output, as a read_committed consumer sees it, is the stream's
  // changelog for that key with nothing repeated and nothing left out. With the reducing
  // buffer, changes of one key between two commits fold into the last one: the output is then
  // that changelog with some changes left out (never repeated, never reordered), and ends with
  // the key's last change.
  int duplicates = 0, gaps = 0, differing_keys = 0;
  for (const auto& [key, expected] : expected_output) {
    const auto it = output.find(key);
    const std::vector<output_value> got =
        it == output.end() ? std::vector<output_value>{} : it->second;
    if (!test.reducing_buffer) {
      if (got != expected) {
        ++differing_keys;
        // Count what differs: repeats of a value already seen, and values never seen.
        std::multiset<output_value> want(expected.begin(), expected.end());
        for (const output_value& v : got) {
          const auto at = want.find(v);
          if (at == want.end())
            ++duplicates;
          else
            want.erase(at);
        }
        gaps += static_cast<int>(want.size());
        if (differing_keys <= 5)
          std::printf("key %s: %zu records expected, %zu read\n", key.c_str(), expected.size(),
                      got.size());
      }
      continue;
    }
    // A subsequence of `expected` ending with its last element.
    std::size_t at = 0;
    bool ok = !got.empty() && got.back() == expected.back();
    for (const output_value& v : got) {
      while (at < expected.size() && expected[at] != v)
        ++at;
      if (at == expected.size()) {
        ok = false;
        ++duplicates;
        break;
      }
      ++at;
    }
    if (!ok) ++differing_keys;
  }
  for (const auto& [key, got] : output)
    if (expected_output.count(key) == 0) ++differing_keys;
  EXPECT_EQ(differing_keys, 0);
  EXPECT_EQ(duplicates, 0);
  EXPECT_EQ(gaps, 0);
  std::printf("exactly-once: %d keys differ, %d duplicate records, %d changes missing\n",
              differing_keys, duplicates, gaps);
}

TEST(RealBrokerCrash, AtLeastOncePipeWithAReducingBufferKilledThreeTimesLosesNothing) {
  run_pipe_test({.exactly_once = false, .reducing_buffer = true});
}

TEST(RealBrokerCrash, AtLeastOncePipeWithALingeringProducerKilledThreeTimesLeavesNoGapInAnyKey) {
  run_pipe_test({.exactly_once = false, .reducing_buffer = false, .linger_ms = 1000});
}

TEST(RealBrokerCrash, ExactlyOncePipeKilledThreeTimesWritesEachChangeOnce) {
  run_pipe_test({.exactly_once = true, .reducing_buffer = false});
}

TEST(RealBrokerCrash, ExactlyOncePipeWithAReducingBufferKilledThreeTimesRepeatsNothing) {
  run_pipe_test({.exactly_once = true, .reducing_buffer = true});
}

// Two workers in one process (parallel_pipe): two members, two sinks, killed as one process.
TEST(RealBrokerCrash, AtLeastOncePipeOfTwoWorkersKilledThreeTimesLeavesNoGapInAnyKey) {
  run_pipe_test({.exactly_once = false, .reducing_buffer = false, .parallelism = 2});
}

TEST(RealBrokerCrash, ExactlyOncePipeOfTwoWorkersKilledThreeTimesWritesEachChangeOnce) {
  run_pipe_test({.exactly_once = true, .reducing_buffer = false, .parallelism = 2});
}

// Pass-through (no ChangelogNormalize): every record copied as it is; no state, so a restarted
// run starts at the group's commit instead of rebuilding.
TEST(RealBrokerCrash, AtLeastOncePassThroughPipeKilledThreeTimesLeavesNoGapInAnyKey) {
  run_pipe_test({.exactly_once = false, .reducing_buffer = false, .pass_through = true});
}

TEST(RealBrokerCrash, ExactlyOncePassThroughPipeOfTwoWorkersKilledThreeTimesCopiesEachRecordOnce) {
  run_pipe_test(
      {.exactly_once = true, .reducing_buffer = false, .parallelism = 2, .pass_through = true});
}

// Scale-out across processes is the consumer group: three upsertkit-pipe processes of one group
// copy one topic (6 partitions, two each), one of them is killed mid-run (how we know: as in
// kill_mid_stream, the group's commits passed a random point of the input and the input's end
// was not reached, and all three were running), the other two take its partitions over once
// its session ends (6 s), rebuild them up to the group's commit and go on. The output topic is
// what the three wrote together: its table must be the input's table, and every key's output
// its changelog without a gap (at-least-once: the killed member's changes after its last
// commit come again from the member that took its partitions).
TEST(RealBrokerCrash, ThreeProcessesOfOneGroupOneKilledTheirOutputIsTheTopicsTable) {
  const std::uint64_t seed = test_seed();
  std::printf("seed %llu (UPSERTKIT_TEST_SEED replays it)\n",
              static_cast<unsigned long long>(seed));
  std::mt19937_64 random(seed);
  const std::string in = unique_name("group3-in");
  const std::string out = unique_name("group3-out");
  const std::string group = unique_name("group3-group");
  const upsert_stream stream = write_stream(in, 6, 200'000, 20'000, seed);
  create_topic(out, 6);
  auto argv = [&] {
    std::vector<std::string> argv{example("upsertkit-pipe"),
                                  "--brokers",
                                  bootstrap(),
                                  "--from",
                                  in,
                                  "--to",
                                  out,
                                  "--group",
                                  group,
                                  "--commit-interval",
                                  "200",
                                  "--property",
                                  "session.timeout.ms=6000",
                                  "--property",
                                  "heartbeat.interval.ms=500",
                                  "--stats-interval",
                                  "500",
                                  "--follow"};
    add_throttled_properties(argv);
    return argv;
  };
  group_watcher watcher(group, in, 6);
  const std::string prefix = "/tmp/upsertkit-" + out;
  const test_files files(prefix);
  std::vector<std::unique_ptr<child_process>> members;
  for (int m = 0; m < 3; ++m)
    members.push_back(std::make_unique<child_process>(argv(),
                                                      prefix + "." + std::to_string(m) + ".out",
                                                      prefix + "." + std::to_string(m) + ".err"));
  const std::int64_t total = stream.records;
  const std::int64_t target =
      1 + static_cast<std::int64_t>(std::uniform_real_distribution<double>(0.10, 0.40)(random) *
                                    static_cast<double>(total));
  const std::size_t victim = random() % 3;
  auto deadline = std::chrono::steady_clock::now() + 240s;
  std::int64_t committed = 0;
  while ((committed = watcher.committed_records()) < target) {
    for (std::size_t m = 0; m < 3; ++m)
      ASSERT_TRUE(members[m]->running()) << "member " << m << " ended early:\n"
                                         << read_file(prefix + "." + std::to_string(m) + ".err");
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "no progress in 240 s";
    std::this_thread::sleep_for(5ms);
  }
  // Each member held partitions with progress: every partition has a commit by now.
  const std::vector<std::int64_t> at_kill = watcher.committed();
  EXPECT_TRUE(members[victim]->kill_now()) << "member " << victim << " was not running";
  EXPECT_LT(committed, total) << "the input was read already: not mid-run";
  std::printf("killed member %zu of 3 at %lld of %lld committed records; per partition:", victim,
              static_cast<long long>(committed), static_cast<long long>(total));
  for (const std::int64_t c : at_kill)
    std::printf(" %lld", static_cast<long long>(c));
  std::printf("\n");
  // The two others finish the input, the killed member's partitions included.
  deadline = std::chrono::steady_clock::now() + 600s;
  while (watcher.committed_records() < total) {
    for (std::size_t m = 0; m < 3; ++m) {
      if (m == victim) continue;
      ASSERT_TRUE(members[m]->running()) << "member " << m << " ended early:\n"
                                         << read_file(prefix + "." + std::to_string(m) + ".err");
    }
    ASSERT_LT(std::chrono::steady_clock::now(), deadline)
        << "the group committed " << watcher.committed_records() << " of " << total;
    std::this_thread::sleep_for(50ms);
  }
  for (std::size_t m = 0; m < 3; ++m) {
    if (m == victim) continue;
    ::kill(members[m]->pid(), SIGTERM);
    EXPECT_EQ(members[m]->wait(120s), 0) << read_file(prefix + "." + std::to_string(m) + ".err");
    // Its counters were published while it ran (--stats-interval: published_counters() read
    // by the tool's main thread beside the workers): a stats line with records read came
    // before the one it printed at the end.
    const std::string err = read_file(prefix + "." + std::to_string(m) + ".err");
    const std::size_t done = err.find("upsertkit-pipe: done: ");
    std::uint64_t most = 0;
    for (std::size_t at = err.find("upsertkit-pipe: stats: "); at < done;
         at = err.find("upsertkit-pipe: stats: ", at + 1))
      most = std::max<std::uint64_t>(most, std::stoull(err.substr(at + 23)));
    EXPECT_NE(done, std::string::npos) << err;
    EXPECT_GT(most, 0u) << "member " << m << " printed no stats line with records read:\n" << err;
  }

  const auto output = output_by_key(out, false);
  std::map<std::string, std::string> table;
  for (const auto& [key, values] : output)
    if (values.back()) table[key] = *values.back();
  EXPECT_EQ(table, stream.table);
  int gap_keys = 0;
  std::size_t written = 0;
  for (const auto& [key, expected] : stream.output) {
    const auto it = output.find(key);
    if (it != output.end()) written += it->second.size();
    if (it != output.end() && has_no_gap(expected, it->second)) continue;
    if (++gap_keys <= 5)
      std::printf("key %s: its output has a gap or a change out of place\n", key.c_str());
  }
  EXPECT_EQ(gap_keys, 0);
  std::printf(
      "three members, one killed: %zu keys in the table (expected %zu), %d keys with a "
      "gap; %zu records written for %zu changes\n",
      table.size(), stream.table.size(), gap_keys, written, stream.output_records);
}

// ------------------------------------------------------------------------ upsertkit-orders

// The key of a printed row in the modern style, "+I[k123, null, ...]".
std::string printed_key(const std::string& line) {
  const std::size_t comma = line.find(", ");
  return line.substr(3, comma - 3);
}

// upsertkit-orders --group, killed three times mid-stream and run again: every row of the
// reference changelog (the same tool's run without a group) is printed at least once, and no
// key has a gap: each run's rows of a key are a contiguous part of the key's reference rows that
// starts no later than where the runs before it had got to.
// With `state_dir`, the tool keeps its table in RocksDB there (--state-dir): each restart reads
// from its state's checkpoint, which the test checks by the records the last run read (fewer
// than the topic holds), and the state left at the end must hold the reference's table.
void run_tool_test(bool follow, const std::string& state_dir = {}) {
  const std::uint64_t seed = test_seed();
  std::printf("seed %llu (UPSERTKIT_TEST_SEED replays it)\n",
              static_cast<unsigned long long>(seed));
  std::mt19937_64 random(seed);
  const std::string topic = unique_name(follow ? "tool-follow" : "tool-to-end");
  const std::string group = unique_name("tool-group");
  const upsert_stream stream = write_stream(topic, 4, 200'000, 20'000, seed);

  auto argv_of = [&](int run) {
    std::vector<std::string> argv = {example("upsertkit-orders"),
                                     "--brokers",
                                     bootstrap(),
                                     "--topic",
                                     topic,
                                     "--print-style",
                                     "modern",
                                     "--group",
                                     group,
                                     "--commit-interval",
                                     "200"};
    add_throttled_properties(argv);
    if (!state_dir.empty()) {
      argv.emplace_back("--state-dir");
      argv.emplace_back(state_dir);
    }
    if (follow) {
      // Static membership: a restarted run gets the partitions back at once, though the
      // killed one's session would last 30 s.
      for (const char* a :
           {"--group-instance-id", "orders-tool", "--property", "session.timeout.ms=30000"})
        argv.emplace_back(a);
      if (run < 3) argv.emplace_back("--follow");
    } else {
      // A plain member: each restart shares the group with the killed run until its 6 s
      // session runs out, and must wait for those partitions rather than end without them.
      // With --state-dir the tool is a static member derived from that directory instead:
      // each restart is the killed member again and takes its partitions back at once.
      for (const char* a :
           {"--property", "session.timeout.ms=6000", "--property", "heartbeat.interval.ms=500"})
        argv.emplace_back(a);
    }
    return argv;
  };
  group_watcher watcher(group, topic, 4);
  const std::string prefix = "/tmp/upsertkit-" + topic;
  const test_files files(prefix);
  const auto points = kill_mid_stream(argv_of, watcher, stream.records, 3, random, prefix);
  ASSERT_EQ(points.size(), 3u);

  // The reference: one clean run without a group.
  child_process clean({example("upsertkit-orders"), "--brokers", bootstrap(), "--topic", topic,
                       "--print-style", "modern"},
                      prefix + ".reference.out", prefix + ".reference.err");
  ASSERT_EQ(clean.wait(300s), 0) << read_file(prefix + ".reference.err");
  std::map<std::string, std::vector<std::string>> reference;
  std::map<std::string, std::map<std::string, std::size_t>> index;
  std::size_t reference_rows = 0;
  for (const std::string& line : complete_lines(prefix + ".reference.out")) {
    const std::string key = printed_key(line);
    index[key][line] = reference[key].size();
    reference[key].push_back(line);
    ++reference_rows;
  }
  std::map<std::string, std::string> reference_table;  // key -> the fields of its last row
  for (const auto& [key, rows] : reference)
    if (rows.back().rfind("-D", 0) != 0)
      reference_table[key] = rows.back().substr(3, rows.back().size() - 4);
  {  // the reference folds to the stream's table
    std::map<std::string, std::string> table;
    for (const auto& [key, rows] : reference) {
      const std::string& last = rows.back();
      if (last.rfind("-D", 0) == 0) continue;
      const std::string fields = last.substr(3, last.size() - 4);
      std::vector<std::string> parts;
      std::size_t start = 0;
      while (true) {
        const std::size_t comma = fields.find(", ", start);
        parts.push_back(fields.substr(start, comma - start));
        if (comma == std::string::npos) break;
        start = comma + 2;
      }
      table[key] = parts[7];
    }
    ASSERT_EQ(table, stream.table) << "the reference run disagrees with the stream";
  }

  std::map<std::string, std::size_t> covered;  // per key: reference rows printed so far
  std::size_t printed = 0, foreign = 0, disordered = 0, gap_keys = 0, gap_rows = 0;
  for (int run = 0; run <= 3; ++run) {
    std::map<std::string, std::vector<std::string>> rows;
    for (const std::string& line : complete_lines(prefix + "." + std::to_string(run) + ".out")) {
      rows[printed_key(line)].push_back(line);
      ++printed;
    }
    for (const auto& [key, lines] : rows) {
      const auto where = index[key].find(lines.front());
      if (where == index[key].end()) {
        ++foreign;
        continue;
      }
      const std::size_t first = where->second;
      for (std::size_t j = 0; j < lines.size(); ++j)
        if (first + j >= reference[key].size() || reference[key][first + j] != lines[j]) {
          ++disordered;
          break;
        }
      std::size_t& done = covered[key];
      if (first > done) {
        ++gap_keys;
        gap_rows += first - done;
        if (gap_keys <= 5)
          std::printf(
              "run %d, key %s: starts at reference row %zu, rows before %zu never "
              "printed\n",
              run, key.c_str(), first, done);
      }
      done = std::max(done, first + lines.size());
    }
  }
  std::size_t unprinted_tail = 0;
  for (const auto& [key, rows] : reference)
    if (covered[key] < rows.size()) unprinted_tail += rows.size() - covered[key];
  EXPECT_EQ(foreign, 0u) << "rows that are not in the reference";
  EXPECT_EQ(disordered, 0u) << "runs whose rows of a key are not a contiguous part of its rows";
  EXPECT_EQ(gap_keys, 0u) << gap_rows << " rows never printed";
  EXPECT_EQ(unprinted_tail, 0u) << "rows at the end of keys never printed";
#if UPSERTKIT_TEST_ROCKSDB
  if (!state_dir.empty()) {
    // The last run started from its state's checkpoint: it read fewer records than the topic.
    const std::string summary = read_file(prefix + ".3.err");
    const std::size_t marker = summary.find(" records from ");
    ASSERT_NE(marker, std::string::npos) << summary;
    const std::size_t start = summary.rfind(": ", marker) + 2;
    const long long read = std::stoll(summary.substr(start, marker - start));
    std::printf("the last run read %lld of the topic's %lld records\n", read,
                static_cast<long long>(stream.records));
    EXPECT_LT(read, stream.records) << "the last run did not start from its state";
    // The state left behind holds the reference's table.
    auto none = [](const upsertkit::change<orders::Order>&) {};
    upsertkit::materializer<orders::table, decltype(none), upsertkit::rocksdb_store> state(none);
    state.set_store_factory([&](std::int32_t p) {
      upsertkit::state_location where;
      where.path = state_dir + "/" + group + "/" + topic + "/" + std::to_string(p);
      where.fingerprint = upsertkit::state_fingerprint<orders::table>(upsertkit::format_config{});
      return upsertkit::rocksdb_store::open(where);
    });
    for (std::int32_t p = 0; p < 4; ++p)
      EXPECT_FALSE(state.partition_store(p).rebuilt()) << "partition " << p;
    std::map<std::string, std::string> stored;
    state.for_each_row([&](std::int32_t, const orders::Order& row) {
      std::string line;
      upsertkit::append_printed_row<orders::table>(line, upsertkit::row_kind::insert, row,
                                                   upsertkit::print_style::modern);
      stored[printed_key(line)] = line.substr(3, line.size() - 4);
    });
    EXPECT_EQ(stored.size(), reference_table.size());
    EXPECT_TRUE(stored == reference_table) << "the state's table is not the topic's";
  }
#endif
  std::printf(
      "upsertkit-orders%s: 3 kills; %zu reference rows, %zu printed over 4 runs (%lld "
      "twice); %zu keys with a gap (%zu rows), %zu rows never printed at the end\n",
      follow ? " --follow" : "", reference_rows, printed,
      static_cast<long long>(printed) - static_cast<long long>(reference_rows), gap_keys, gap_rows,
      unprinted_tail);
}

TEST(RealBrokerCrash, OrdersToolFollowingKilledThreeTimesPrintsEveryRowWithoutGaps) {
  run_tool_test(true);
}

TEST(RealBrokerCrash, OrdersToolReadingToTheEndKilledThreeTimesPrintsEveryRowWithoutGaps) {
  run_tool_test(false);
}

#if UPSERTKIT_TEST_ROCKSDB
TEST(RealBrokerCrash, OrdersToolWithRocksdbStateKilledThreeTimesRestartsFromItsState) {
  const std::string dir = "/tmp/upsertkit-" + unique_name("tool-state");
  run_tool_test(false, dir);
  std::filesystem::remove_all(dir);
}
#endif

// ------------------------------------------------------------------------ in-process checks

// A record the sink cannot deliver (larger than the output topic's max.message.bytes): the
// durability point throws, the source commits nothing, and the error reaches the caller.
TEST(RealBroker, APipeWhoseSinkCannotDeliverCommitsNothing) {
  const std::string in = unique_name("undeliverable-in");
  const std::string out = unique_name("undeliverable-out");
  const std::string group = unique_name("undeliverable-group");
  create_topic(in, 2);
  create_topic(out, 2, {{"max.message.bytes", "1000"}});
  {
    auto producer = raw_producer();
    for (int i = 0; i < 100; ++i) {
      const std::string key = std::to_string(i);
      const std::string name = i == 42 ? std::string(4000, 'x') : "n" + key;
      producer.produce(in, upsertkit::partition_for_key(key, 2), key,
                       test_support::order(key, name));
    }
    producer.flush(30s);
  }
  upsertkit::sink_options sink_options;
  sink_options.topic = out;
  sink_options.bootstrap_servers = bootstrap();
  upsertkit::upsert_sink<orders::table> sink(sink_options);
  upsertkit::source_options options;
  options.topic = in;
  options.bootstrap_servers = bootstrap();
  options.properties["group.id"] = group;
  options.commit_interval = std::chrono::hours(1);  // the only durability point: commit()
  upsertkit::upsert_source<orders::table, upsertkit::upsert_sink<orders::table>&> source(options,
                                                                                         sink);
  source.read_to_end(60s);
  try {
    source.commit();
    FAIL() << "a commit passed an undelivered change";
  } catch (const upsertkit::kafka::kafka_error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("failed to deliver"), std::string::npos) << what;
    EXPECT_NE(what.find(out), std::string::npos) << "the error names the topic: " << what;
    std::printf("undeliverable: %s\n", what.c_str());
  }
  EXPECT_THROW(source.poll(10ms), upsertkit::error) << "the source goes on after the failure";
  source.close();  // commits nothing after the failure
  group_watcher watcher(group, in, 2);
  EXPECT_EQ(watcher.committed(), (std::vector<std::int64_t>{-1, -1})) << "offsets were committed";
}

// read_to_end in a group covers the partitions another member holds: it waits until the group
// committed them to their end, and a timeout names them. The other member is a plain
// librdkafka consumer that holds its partitions and commits only when told to. Partition 3 is
// empty: whoever holds it, nobody waits for it.
TEST(RealBroker, ReadToEndInAGroupCoversThePartitionsOtherMembersHold) {
  const std::string topic = unique_name("shared");
  const std::string group = unique_name("shared-group");
  create_topic(topic, 4);
  std::vector<int> records_in(4, 0);
  std::vector<std::set<std::string>> keys_in(4);
  {
    auto producer = raw_producer();
    for (int i = 0; i < 2000; ++i) {
      const std::string key = std::to_string(i % 400);
      const std::int32_t partition = i % 3;
      // Appended, not "n" + std::to_string(i): g++ 12 -O3 warns a false -Wrestrict on that
      // (GCC bug 105329).
      std::string name = "n";
      name += std::to_string(i);
      producer.produce(topic, partition, key, test_support::order(key, name));
      ++records_in[static_cast<std::size_t>(partition)];
      keys_in[static_cast<std::size_t>(partition)].insert(key);
    }
    producer.flush(30s);
  }
  std::atomic<bool> commit_to_end{false}, stop{false};
  std::atomic<int> held{0};
  std::thread other([&] {
    upsertkit::kafka::config conf;
    conf.set("bootstrap.servers", bootstrap());
    conf.set("group.id", group);
    conf.set("enable.auto.commit", "false");
    upsertkit::kafka::consumer consumer(std::move(conf));
    consumer.subscribe(topic);
    while (!stop) {
      (void)consumer.poll(50ms);  // takes part in rebalances; the records are not needed
      rd_kafka_topic_partition_list_t* assignment = nullptr;
      if (rd_kafka_assignment(consumer.get(), &assignment) != RD_KAFKA_RESP_ERR_NO_ERROR) continue;
      const upsertkit::kafka::partition_list_ptr owned(assignment);
      held = owned->cnt;
      if (owned->cnt > 0 && commit_to_end.exchange(false)) {
        for (int i = 0; i < owned->cnt; ++i)
          owned->elems[i].offset =
              consumer.watermarks(topic, owned->elems[i].partition, 10s).second;
        consumer.commit(owned.get(), false);
      }
    }
    consumer.close();
  });
  struct stop_other {
    std::atomic<bool>& stop;
    std::thread& thread;
    ~stop_other() {
      stop = true;
      thread.join();
    }
  } stop_at_end{stop, other};
  // The other member first holds every partition; the source's join then takes some away from
  // it. Started before the other member's join completed, the source could be given all four
  // and read them to their end alone (it did, once in a CI run: the test saw no timeout).
  for (int i = 0; i < 600 && held.load() == 0; ++i)
    std::this_thread::sleep_for(50ms);
  ASSERT_GT(held.load(), 0) << "the other member never got partitions";

  std::set<std::string> keys;
  auto collect = [&](const upsertkit::change<orders::Order>& c) { keys.emplace(c.row.order_id); };
  upsertkit::source_options options;
  options.topic = topic;
  options.bootstrap_servers = bootstrap();
  options.properties["group.id"] = group;
  upsertkit::upsert_source<orders::table, decltype(collect)&> source(options, collect);
  std::string timeout_error;
  try {
    source.read_to_end(10s);
  } catch (const upsertkit::kafka::kafka_error& e) {
    timeout_error = e.what();
  }
  std::printf("first read_to_end: %s\n", timeout_error.c_str());
  ASSERT_NE(timeout_error.find("held by another member of group '" + group + "'"),
            std::string::npos)
      << "read_to_end ended with partitions unread, or said nothing of them: " << timeout_error;
  EXPECT_EQ(timeout_error.find("partitions of this member not read"), std::string::npos);
  std::set<std::int32_t> mine;
  for (const auto& p : source.progress())
    if (p.assigned) mine.insert(p.partition);
  EXPECT_GT(held.load(), 0);
  EXPECT_EQ(static_cast<int>(mine.size()) + held.load(), 4);
  EXPECT_EQ(timeout_error.find(" 3 (committed"), std::string::npos)
      << "the empty partition was waited for";
  for (std::int32_t p = 0; p < 3; ++p) {
    if (mine.count(p) > 0) continue;
    EXPECT_NE(timeout_error.find(std::to_string(p) + " (committed -1 of " +
                                 std::to_string(records_in[static_cast<std::size_t>(p)]) + ")"),
              std::string::npos)
        << "partition " << p << " is not named";
  }

  commit_to_end = true;  // the other member commits its share to the end: the read now ends
  source.read_to_end(60s);
  source.close();
  std::set<std::string> expected;
  for (const std::int32_t p : mine)
    expected.insert(keys_in[static_cast<std::size_t>(p)].begin(),
                    keys_in[static_cast<std::size_t>(p)].end());
  EXPECT_EQ(keys, expected) << "this member printed exactly the keys of its partitions";
}

}  // namespace
}  // namespace broker_test
