// parallel_source and parallel_pipe's options (parallel.hpp) on the embedded cluster: the
// workers split the partitions (a fixed split without a group, the group's with one), each
// handler is called from its own worker's thread only, every key's changelog is the one a
// single source gives, and a failing worker stops the others and is rethrown.
// The real-broker tests add a two-worker pipe killed mid-stream and three processes of one
// group (tests/broker/crash_test.cpp).
#include <gtest/gtest.h>
#include <upsertkit/options.hpp>
#include <upsertkit/parallel.hpp>
#include <upsertkit/partitioner.hpp>
#include <upsertkit/pipeline.hpp>
#include <upsertkit/testing/embedded_cluster.hpp>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "orders/orders_table.hpp"
#include "store_fixtures.hpp"
#if UPSERTKIT_TEST_ROCKSDB
#include <upsertkit/stores/rocksdb_store.hpp>
#endif
#include "test_support.hpp"

namespace parallel_test {
namespace {

using test_support::make_producer;
using test_support::order;
using upsertkit::kafka::embedded_cluster;
using namespace std::chrono_literals;

// A worker's handler: its changes as printed rows, and the threads it was called from.
struct recording {
  std::vector<std::string> rows;
  std::set<std::thread::id> threads;
  std::atomic<int> calls{0};  // the only member read while the workers run
};

struct recording_handler {
  recording* into;
  void operator()(const upsertkit::change<orders::Order>& c) {
    into->calls.fetch_add(1, std::memory_order_relaxed);
    into->threads.insert(std::this_thread::get_id());
    test_support::printed{&into->rows}(c);
  }
};

// The key of a printed row `+I[<order_id>, ...]`.
std::string key_of(const std::string& row) {
  return row.substr(3, row.find(',') - 3);
}

std::map<std::string, std::vector<std::string>> by_key(const std::vector<std::string>& rows) {
  std::map<std::string, std::vector<std::string>> out;
  for (const std::string& row : rows)
    out[key_of(row)].push_back(row);
  return out;
}

// 600 upserts and tombstones over 60 keys into `partitions` partitions, each key in the
// partition the Java producer would pick.
void write_stream(embedded_cluster& cluster, const std::string& topic, std::int32_t partitions) {
  cluster.create_topic(topic, partitions);
  upsertkit::kafka::producer p = make_producer(cluster);
  std::mt19937 random(7);
  for (int i = 0; i < 600; ++i) {
    const std::string key = std::to_string(1000 + random() % 60);
    const std::int32_t partition = upsertkit::partition_for_key(key, partitions);
    if (random() % 8 == 0)
      p.produce(topic, partition, key, std::nullopt);
    else
      p.produce(topic, partition, key, order(key, "v" + std::to_string(i)));
  }
  p.flush(10s);
}

// At-least-once output of one key against its changelog: every change there, none ahead of
// the changes before it, repeats of changes already seen allowed (as in the crash tests).
bool has_no_gap(const std::vector<std::string>& expected, const std::vector<std::string>& got) {
  std::size_t reached = 0;
  for (const std::string& row : got) {
    if (reached < expected.size() && expected[reached] == row) {
      ++reached;
      continue;
    }
    const auto seen = expected.begin() + static_cast<std::ptrdiff_t>(reached);
    if (std::find(expected.begin(), seen, row) == seen) return false;
  }
  return reached == expected.size();
}

upsertkit::source_options options_for(const embedded_cluster& cluster, std::string topic,
                                      int parallelism) {
  upsertkit::source_options options;
  options.topic = std::move(topic);
  options.bootstrap_servers = cluster.bootstrap_servers();
  options.parallelism = parallelism;
  return options;
}

// What one source (one worker, no group) emits for the topic, key by key.
std::map<std::string, std::vector<std::string>> one_source(const embedded_cluster& cluster,
                                                           const std::string& topic) {
  recording all;
  upsertkit::upsert_source<orders::table, recording_handler> source(options_for(cluster, topic, 1),
                                                                    recording_handler{&all});
  source.read_to_end(30s);
  return by_key(all.rows);
}

TEST(ParallelSource, WithoutAGroupTheWorkersSplitThePartitionsAndEachKeyKeepsItsChangelog) {
  embedded_cluster cluster;
  write_stream(cluster, "orders", 4);
  const auto expected = one_source(cluster, "orders");
  ASSERT_EQ(expected.size(), 60u);

  std::vector<recording> recorded(2);
  upsertkit::parallel_source<orders::table, recording_handler> source(
      options_for(cluster, "orders", 2),
      [&](std::size_t w) { return recording_handler{&recorded[w]}; });
  ASSERT_EQ(source.size(), 2u);
  const std::uint64_t records = source.read_to_end(30s);
  EXPECT_EQ(records, 600u);

  // Worker w holds the partitions p with p % 2 == w.
  for (std::size_t w = 0; w < 2; ++w)
    for (const upsertkit::partition_progress& p : source.worker(w).progress())
      EXPECT_EQ(p.assigned, static_cast<std::size_t>(p.partition) % 2 == w)
          << "worker " << w << ", partition " << p.partition;
  // Each handler was called from one thread, its worker's, and not from this one.
  ASSERT_EQ(recorded[0].threads.size(), 1u);
  ASSERT_EQ(recorded[1].threads.size(), 1u);
  EXPECT_NE(*recorded[0].threads.begin(), *recorded[1].threads.begin());
  EXPECT_EQ(recorded[0].threads.count(std::this_thread::get_id()), 0u);
  // Every key's changes come from one worker, in the order one source gives them.
  const auto first = by_key(recorded[0].rows);
  const auto second = by_key(recorded[1].rows);
  std::map<std::string, std::vector<std::string>> both = first;
  for (const auto& [key, rows] : second) {
    EXPECT_EQ(first.count(key), 0u) << "key " << key << " changed in both workers";
    both[key] = rows;
  }
  EXPECT_EQ(both, expected);
  // The counters add up over the workers.
  const upsertkit::source_counters c = source.counters();
  EXPECT_EQ(c.records, 600u);
  EXPECT_EQ(c.inserts + c.update_afters + c.update_befores + c.deletes,
            recorded[0].rows.size() + recorded[1].rows.size());
  EXPECT_EQ(c.state_keys,
            source.worker(0).counters().state_keys + source.worker(1).counters().state_keys);
  const auto progress = source.progress();
  ASSERT_EQ(progress.size(), 4u);
  for (const upsertkit::partition_progress& p : progress)
    EXPECT_TRUE(p.assigned) << "partition " << p.partition;
}

TEST(ParallelSource, AWorkerWithoutPartitionsFinishesAtOnce) {
  embedded_cluster cluster;
  write_stream(cluster, "orders", 2);
  const auto expected = one_source(cluster, "orders");
  std::vector<recording> recorded(3);
  upsertkit::source_options options = options_for(cluster, "orders", 3);
  options.bounded.mode = upsertkit::bounded_mode::latest_offset;
  upsertkit::parallel_source<orders::table, recording_handler> source(
      options, [&](std::size_t w) { return recording_handler{&recorded[w]}; });
  EXPECT_EQ(source.run_to_bound(30s), 600u);
  EXPECT_TRUE(recorded[2].rows.empty()) << "worker 2 of 3 has no partition of 2";
  EXPECT_TRUE(source.worker(2).finished());
  auto both = by_key(recorded[0].rows);
  for (const auto& [key, rows] : by_key(recorded[1].rows))
    both[key] = rows;
  EXPECT_EQ(both, expected);
}

TEST(ParallelSource, OneWorkerRunsOnTheCallersThread) {
  embedded_cluster cluster;
  write_stream(cluster, "orders", 2);
  recording recorded;
  upsertkit::parallel_source<orders::table, recording_handler> source(
      options_for(cluster, "orders", 1), [&](std::size_t) { return recording_handler{&recorded}; });
  source.read_to_end(30s);
  ASSERT_EQ(recorded.threads.size(), 1u);
  EXPECT_EQ(*recorded.threads.begin(), std::this_thread::get_id());
}

TEST(ParallelSource, AFailingWorkerStopsTheOthersAndItsRecordErrorIsRethrown) {
  embedded_cluster cluster;
  cluster.create_topic("orders", 2);
  {
    upsertkit::kafka::producer p = make_producer(cluster);
    for (int i = 0; i < 50; ++i)
      p.produce("orders", 0, "a" + std::to_string(i), order("a" + std::to_string(i), "x"));
    p.produce("orders", 1, "b", std::string(R"({"order_id":"b","pay_amount":"not a number"})"));
    p.flush(10s);
  }
  std::vector<recording> recorded(2);
  upsertkit::source_options options = options_for(cluster, "orders", 2);
  upsertkit::parallel_source<orders::table, recording_handler> source(
      options, [&](std::size_t w) { return recording_handler{&recorded[w]}; });
  try {
    source.read_to_end(30s);
    FAIL() << "the bad record in partition 1 was not reported";
  } catch (const upsertkit::record_error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("partition 1"), std::string::npos) << what;
    EXPECT_NE(what.find("offset 0"), std::string::npos) << what;
    EXPECT_NE(what.find("pay_amount"), std::string::npos) << what;
  }
  EXPECT_TRUE(recorded[1].rows.empty());
  // The failed worker stays failed; the other is not.
  EXPECT_ANY_THROW(source.worker(1).poll(10ms));
}

TEST(ParallelSource, RunStopsEveryWorkerWhenAsked) {
  embedded_cluster cluster;
  write_stream(cluster, "orders", 4);
  std::vector<recording> recorded(2);
  upsertkit::parallel_source<orders::table, recording_handler> source(
      options_for(cluster, "orders", 2),
      [&](std::size_t w) { return recording_handler{&recorded[w]}; });
  std::stop_source stop;
  std::jthread stopper([&] {
    // Stops once both workers read their whole share (an unbounded run never ends by itself).
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    while (std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(50ms);
      if (recorded[0].calls.load() > 0 && recorded[1].calls.load() > 0) break;
    }
    std::this_thread::sleep_for(1s);
    stop.request_stop();
  });
  (void)source.run(stop.get_token());
  EXPECT_FALSE(recorded[0].rows.empty());
  EXPECT_FALSE(recorded[1].rows.empty());
}

// The same figures, field by field (source_counters has no operator==: it is a plain aggregate
// users extend in their exporters).
void expect_same_counters(const upsertkit::source_counters& a,
                          const upsertkit::source_counters& b) {
  EXPECT_EQ(a.records, b.records);
  EXPECT_EQ(a.bytes, b.bytes);
  EXPECT_EQ(a.inserts, b.inserts);
  EXPECT_EQ(a.update_befores, b.update_befores);
  EXPECT_EQ(a.update_afters, b.update_afters);
  EXPECT_EQ(a.deletes, b.deletes);
  EXPECT_EQ(a.unchanged, b.unchanged);
  EXPECT_EQ(a.state_keys, b.state_keys);
  EXPECT_EQ(a.state_bytes, b.state_bytes);
  EXPECT_EQ(a.lag, b.lag);
}

TEST(ParallelSource, PublishedCountersAreReadWhileTheWorkersRun) {
  embedded_cluster cluster;
  write_stream(cluster, "orders", 4);
  std::vector<recording> recorded(2);
  upsertkit::parallel_source<orders::table, recording_handler> source(
      options_for(cluster, "orders", 2),
      [&](std::size_t w) { return recording_handler{&recorded[w]}; });
  EXPECT_EQ(source.published_counters().records, 0u) << "nothing published before a run";

  std::stop_source stop;
  std::atomic<bool> running{true};
  std::jthread runner([&] {
    (void)source.run(stop.get_token());
    running = false;
  });
  // An unbounded run ends only when asked, and it is asked only below: what this loop reads
  // is published while the workers run. Its figures never go back.
  upsertkit::source_counters seen;
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  while (seen.records < 600 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(10ms);
    const upsertkit::source_counters now = source.published_counters();
    EXPECT_GE(now.records, seen.records);
    EXPECT_GE(now.inserts, seen.inserts);
    seen = now;
  }
  EXPECT_TRUE(running.load()) << "the run ended by itself";
  EXPECT_EQ(seen.records, 600u) << "the workers' published counters never reached the topic";
  EXPECT_EQ(seen.bytes > 0, true);
  stop.request_stop();
  runner.join();
  // Once the run returned, what is published is what counters() says, and it counts every
  // change the handlers saw.
  const upsertkit::source_counters exact = source.counters();
  expect_same_counters(source.published_counters(), exact);
  EXPECT_EQ(exact.inserts + exact.update_befores + exact.update_afters + exact.deletes,
            recorded[0].rows.size() + recorded[1].rows.size());
}

TEST(UpsertSource, PublishedCountersFollowEachCallThatEnds) {
  embedded_cluster cluster;
  write_stream(cluster, "orders", 2);
  recording recorded;
  upsertkit::upsert_source<orders::table, recording_handler> source(
      options_for(cluster, "orders", 1), recording_handler{&recorded});
  expect_same_counters(source.published_counters(), upsertkit::source_counters{});
  source.read_to_end(30s);
  const upsertkit::source_counters after_read = source.counters();
  EXPECT_EQ(after_read.records, 600u);
  expect_same_counters(source.published_counters(), after_read);
  // A record written now and read by poll_batch() is published by the first poll_batch() that
  // returns once the interval since the last publication passed (the source's own loop, with
  // nothing more to read), and by commit() at once.
  {
    upsertkit::kafka::producer p = make_producer(cluster);
    p.produce("orders", 0, "new", order("new", "x"));
    p.flush(10s);
  }
  std::size_t read = 0;
  for (int i = 0; i < 100 && read == 0; ++i)
    read = source.poll_batch(100ms);
  ASSERT_EQ(read, 1u);
  std::this_thread::sleep_for(
      upsertkit::upsert_source<orders::table, recording_handler>::counters_interval);
  EXPECT_EQ(source.poll_batch(10ms), 0u);
  EXPECT_EQ(source.published_counters().records, 601u);
  {
    upsertkit::kafka::producer p = make_producer(cluster);
    p.produce("orders", 1, "newer", order("newer", "x"));
    p.flush(10s);
  }
  read = 0;
  for (int i = 0; i < 100 && read == 0; ++i)
    read = source.poll_batch(100ms);
  ASSERT_EQ(read, 1u);
  source.commit();
  EXPECT_EQ(source.published_counters().records, 602u);
  expect_same_counters(source.published_counters(), source.counters());
}

TEST(ParallelOptions, ScanParallelismIsParsedAndAPipeTakesOneWorkerCount) {
  upsertkit::option_map with = {{"connector", "upsert-kafka"},
                                {"topic", "t"},
                                {"properties.bootstrap.servers", "localhost:9092"},
                                {"key.format", "csv"},
                                {"value.format", "json"},
                                {"scan.parallelism", "2"}};
  const upsertkit::upsert_kafka_options from = upsertkit::parse_upsert_kafka_options(with);
  EXPECT_EQ(from.scan_parallelism, 2);
  EXPECT_EQ(from.to_source_options().parallelism, 2);
  with.erase("scan.parallelism");
  with["sink.parallelism"] = "3";
  const upsertkit::upsert_kafka_options to = upsertkit::parse_upsert_kafka_options(with);
  EXPECT_EQ(to.to_source_options().parallelism, 1);
  EXPECT_EQ(upsertkit::pipe_parallelism(to, to), 3) << "sink.parallelism alone decides";
  try {
    (void)upsertkit::pipe_parallelism(from, to);
    FAIL() << "2 source workers and 3 sinks were accepted";
  } catch (const upsertkit::config_error& e) {
    EXPECT_NE(std::string(e.what()).find("must equal 'scan.parallelism'"), std::string::npos);
  }
  with["scan.parallelism"] = "0";
  EXPECT_THROW(upsertkit::parse_upsert_kafka_options(with), upsertkit::config_error);
}

TEST(ParallelOptions, AWorkerOutsideItsParallelismIsAConfigError) {
  embedded_cluster cluster;
  cluster.create_topic("orders", 1);
  upsertkit::source_options options = options_for(cluster, "orders", 2);
  options.worker = 2;
  std::vector<std::string> rows;
  try {
    upsertkit::upsert_source<orders::table, test_support::printed> source(
        options, test_support::printed{&rows});
    FAIL() << "worker 2 of 2 was accepted";
  } catch (const upsertkit::config_error& e) {
    EXPECT_NE(std::string(e.what()).find("worker 2 of scan.parallelism 2"), std::string::npos)
        << e.what();
  }
  options.parallelism = 0;
  options.worker = 0;
  EXPECT_THROW((upsertkit::parallel_source<orders::table, test_support::printed>(
                   options, [&](std::size_t) { return test_support::printed{&rows}; })),
               upsertkit::config_error);
}

// In a group, on each store: the workers are members, the group splits the partitions among
// them, and the table read to the end is the topic's, every key's changes as one source
// gives them; the group's commits reach every partition's end.
template <class Stores>
class ParallelGroup : public ::testing::Test {
 protected:
  Stores stores;
};
TYPED_TEST_SUITE(ParallelGroup, store_fixtures::all);

TYPED_TEST(ParallelGroup, TwoWorkersAreTwoMembersAndReadTheWholeTopic) {
  embedded_cluster cluster;
  write_stream(cluster, "orders", 4);
  const auto expected = one_source(cluster, "orders");
  upsertkit::source_options options = options_for(cluster, "orders", 2);
  options.properties["group.id"] = "g";
  options.properties["session.timeout.ms"] = "6000";
  options.properties["heartbeat.interval.ms"] = "500";
  this->stores.use_state(options, "state");
  std::vector<recording> recorded(2);
  upsertkit::parallel_source<orders::table, recording_handler, typename TypeParam::store> source(
      options, [&](std::size_t w) { return recording_handler{&recorded[w]}; });
  EXPECT_TRUE(source.worker(0).group_mode());
  source.read_to_end(60s);
  // Both are members: the group gave each two of the four partitions.
  for (std::size_t w = 0; w < 2; ++w) {
    int held = 0;
    for (const upsertkit::partition_progress& p : source.worker(w).progress())
      held += p.assigned ? 1 : 0;
    EXPECT_EQ(held, 2) << "worker " << w;
  }
  source.close();
  // A partition moved from one worker to the other while the group formed is rebuilt by its
  // new owner silently up to what the first committed, and emitted from there: the first
  // owner's changes past that commit come again (at-least-once: a commit refused during the
  // rebalance leaves more of them), none is left out, and the last is the key's last.
  // A key whose partition moved has changes in both workers: one's, then the other's.
  const auto first = by_key(recorded[0].rows);
  const auto second = by_key(recorded[1].rows);
  int moved = 0;
  for (const auto& [key, want] : expected) {
    const auto a = first.find(key);
    const auto b = second.find(key);
    std::vector<std::string> ab, ba;
    if (a != first.end()) ab = a->second;
    if (b != second.end()) {
      ab.insert(ab.end(), b->second.begin(), b->second.end());
      ba = b->second;
    }
    if (a != first.end()) ba.insert(ba.end(), a->second.begin(), a->second.end());
    if (a != first.end() && b != second.end()) ++moved;
    EXPECT_TRUE(has_no_gap(want, ab) || has_no_gap(want, ba)) << "key " << key;
  }
  for (const auto& [key, rows] : first)
    EXPECT_EQ(expected.count(key), 1u) << "key " << key;
  for (const auto& [key, rows] : second)
    EXPECT_EQ(expected.count(key), 1u) << "key " << key;
  std::printf("keys whose partition moved between the workers: %d\n", moved);
  const std::vector<std::int64_t> committed =
      test_support::committed_offsets(cluster.bootstrap_servers(), "g", "orders", 4);
  std::int64_t sum = 0;
  for (const std::int64_t c : committed)
    sum += c;
  EXPECT_EQ(sum, 600);
}

// materializer_options::pass_through: no ChangelogNormalize, every record as it is (a stateless
// copy; docs/parallelism.md, "Pass-through copy").
TEST(PassThrough, EveryRecordPassesAsItIsDuplicatesAndUnknownTombstonesIncluded) {
  embedded_cluster cluster;
  cluster.create_topic("orders", 1);
  {
    upsertkit::kafka::producer p = make_producer(cluster);
    p.produce("orders", 0, "1", order("1", "Ann"));
    p.produce("orders", 0, "1", order("1", "Ann"));  // the same row again
    p.produce("orders", 0, "2", std::nullopt);       // a key never seen
    p.produce("orders", 0, "1", order("1", "Bo"));
    p.produce("orders", 0, "1", std::nullopt);
    p.produce("orders", 0, "1", std::nullopt);  // deleted already
    p.flush(10s);
  }
  auto read = [&](bool pass_through) {
    std::vector<std::string> rows;
    upsertkit::source_options options = options_for(cluster, "orders", 1);
    options.state.pass_through = pass_through;
    upsertkit::upsert_source<orders::table, test_support::printed> source(
        options, test_support::printed{&rows});
    source.read_to_end(30s);
    // Pass-through keeps nothing; normalized, the last tombstone left the state empty too.
    EXPECT_EQ(source.counters().state_keys, 0u);
    return rows;
  };
  const std::vector<std::string> passed = read(true);
  const std::vector<std::string> expected = {
      "+U[1, null, null, null, null, null, null, Ann, null]",
      "+U[1, null, null, null, null, null, null, Ann, null]",
      "-D[2, null, null, null, null, null, null, null, null]",
      "+U[1, null, null, null, null, null, null, Bo, null]",
      "-D[1, null, null, null, null, null, null, null, null]",
      "-D[1, null, null, null, null, null, null, null, null]",
  };
  EXPECT_EQ(passed, expected);
  // Normalized, the same records give the changelog.
  const std::vector<std::string> normalized = {
      "+I[1, null, null, null, null, null, null, Ann, null]",
      "-U[1, null, null, null, null, null, null, Ann, null]",
      "+U[1, null, null, null, null, null, null, Bo, null]",
      "-D[1, null, null, null, null, null, null, Bo, null]",
  };
  EXPECT_EQ(read(false), normalized);
}

// Record by record (one decode row reused): a tombstone's row has only its key; the columns the
// record before it set are not carried over (they pointed into that record's freed bytes: found
// by ASan in the test command, 2026-12-07).
TEST(PassThrough, ATombstoneCarriesItsKeyOnlyRecordByRecord) {
  std::vector<std::string> rows;
  upsertkit::materializer_options state;
  state.pass_through = true;
  upsertkit::upsert_pipeline<orders::table, test_support::printed> pipe(
      upsertkit::format_config{}, test_support::printed{&rows}, state);
  {
    const std::string value = order("1", "Ann");
    pipe.apply("1", value);
  }  // the value's bytes are gone, as a polled record's are after its batch
  pipe.apply("2", std::nullopt);
  pipe.apply("1", std::nullopt);
  const std::vector<std::string> expected = {
      "+U[1, null, null, null, null, null, null, Ann, null]",
      "-D[2, null, null, null, null, null, null, null, null]",
      "-D[1, null, null, null, null, null, null, null, null]",
  };
  EXPECT_EQ(rows, expected);
  EXPECT_EQ(pipe.state().state_keys(), 0u);
}

TEST(PassThrough, InAGroupARestartStartsAtTheCommittedOffsetAndReadsNothingTwice) {
  embedded_cluster cluster;
  cluster.create_topic("orders", 2);
  upsertkit::kafka::producer p = make_producer(cluster);
  for (int i = 0; i < 20; ++i) {
    const std::string key = std::to_string(i % 5);
    p.produce("orders", upsertkit::partition_for_key(key, 2), key, order(key, std::to_string(i)));
  }
  p.flush(10s);
  upsertkit::source_options options = options_for(cluster, "orders", 1);
  options.state.pass_through = true;
  options.properties["group.id"] = "pass";
  options.properties["session.timeout.ms"] = "6000";
  options.properties["heartbeat.interval.ms"] = "500";
  std::vector<std::string> first;
  {
    upsertkit::upsert_source<orders::table, test_support::printed> source(
        options, test_support::printed{&first});
    source.read_to_end(30s);
    source.close();
  }
  EXPECT_EQ(first.size(), 20u);
  p.produce("orders", upsertkit::partition_for_key("3", 2), "3", order("3", "late"));
  p.produce("orders", upsertkit::partition_for_key("4", 2), "4", std::nullopt);
  p.flush(10s);
  std::vector<std::string> second;
  upsertkit::upsert_source<orders::table, test_support::printed> source(
      options, test_support::printed{&second});
  source.read_to_end(30s);
  const std::vector<std::string> expected_second = {
      "+U[3, null, null, null, null, null, null, late, null]",
      "-D[4, null, null, null, null, null, null, null, null]",
  };
  std::sort(second.begin(), second.end());
  std::vector<std::string> sorted_expected = expected_second;
  std::sort(sorted_expected.begin(), sorted_expected.end());
  EXPECT_EQ(second, sorted_expected);
  const upsertkit::source_counters c = source.counters();
  EXPECT_EQ(c.records, 2u) << "read from the committed offsets, not rebuilt";
  EXPECT_EQ(c.replayed, 0u);
  EXPECT_EQ(c.state_keys, 0u);
}

#if UPSERTKIT_TEST_ROCKSDB
TEST(PassThrough, ADurableStoreIsAConfigError) {
  embedded_cluster cluster;
  cluster.create_topic("orders", 1);
  upsertkit::source_options options = options_for(cluster, "orders", 1);
  options.state.pass_through = true;
  options.state_dir = "/tmp/upsertkit-pass-through-state";
  std::vector<std::string> rows;
  try {
    upsertkit::upsert_source<orders::table, test_support::printed, upsertkit::rocksdb_store> source(
        options, test_support::printed{&rows});
    FAIL() << "a pass-through source with RocksDB state was accepted";
  } catch (const upsertkit::config_error& e) {
    EXPECT_NE(std::string(e.what()).find("keeps no state"), std::string::npos) << e.what();
  }
}
#endif

}  // namespace
}  // namespace parallel_test
