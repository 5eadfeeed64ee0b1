// The durability point (durability.hpp): a source asks its handler to make its output durable
// before it commits, commits nothing when that fails, and hands a transactional handler the
// offsets to commit in its transaction. On the embedded cluster; the crash tests on a real
// broker are in tests/broker/crash_test.cpp.
//
// The tests of the upsert source are typed tests over the state stores (store_fixtures.hpp):
// Durability.*<store_fixtures::memory> and, configured with UPSERTKIT_ROCKSDB=ON,
// Durability.*<store_fixtures::rocksdb> (GoogleTest's Durability/0.* and /1.*), whose source
// keeps its state under a directory of the test's own (source_options::state_dir); with it, the
// source also commits that state at each durability point, after the handler's output and
// before the offsets. What the handler is asked, and what the group commits, must be the same
// with either store. The append source's test (Durability.ThePlainKafkaSourceFlushesItsHandlerToo)
// and the print sink's (PrintSinkDurability.*) hold no state: they stay plain tests.
#include <gtest/gtest.h>
#include <upsertkit/append_source.hpp>
#include <upsertkit/durability.hpp>
#include <upsertkit/print.hpp>
#include <upsertkit/sink.hpp>
#include <upsertkit/source.hpp>
#include <upsertkit/testing/embedded_cluster.hpp>

#include <cstdio>
#include <map>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "orders/orders_table.hpp"
#include "store_fixtures.hpp"
#include "test_support.hpp"

namespace durability_test {
namespace {

using upsertkit::kafka::config;
using upsertkit::kafka::embedded_cluster;
using upsertkit::kafka::producer;
using namespace std::chrono_literals;

static_assert(upsertkit::durable_handler<upsertkit::print_sink<orders::table>>);
static_assert(upsertkit::transactional_handler<upsertkit::upsert_sink<orders::table>>);
static_assert(!upsertkit::durable_handler<void (*)(const upsertkit::change<orders::Order>&)>);

using test_support::order;

// The group's committed offsets of `topic`, read by a consumer that never joins.
std::vector<std::int64_t> committed(const embedded_cluster& cluster, const std::string& group,
                                    const std::string& topic, std::int32_t partitions) {
  return test_support::committed_offsets(cluster.bootstrap_servers(), group, topic, partitions);
}

// A topic with `count` upserts in each of two partitions.
void fill(const embedded_cluster& cluster, const std::string& topic, int count) {
  config conf;
  conf.set("bootstrap.servers", cluster.bootstrap_servers());
  producer p(std::move(conf));
  for (int i = 0; i < 2 * count; ++i)
    p.produce(topic, i % 2, std::to_string(i), order(std::to_string(i), "n"));
  p.flush(10s);
}

// A source test on one store (store_fixtures.hpp).
template <class Stores>
class Durability : public ::testing::Test {
 protected:
  // A member of `group` reading `topic`; a durable store keeps its state in the test's
  // directory `state`.
  upsertkit::source_options group_options(const embedded_cluster& cluster, const std::string& topic,
                                          const std::string& group) const {
    upsertkit::source_options options;
    options.topic = topic;
    options.bootstrap_servers = cluster.bootstrap_servers();
    options.properties["group.id"] = group;
    options.properties["session.timeout.ms"] = "6000";
    options.properties["heartbeat.interval.ms"] = "500";
    options.commit_interval = std::chrono::hours(1);  // commits on commit() and close() only
    stores.use_state(options);
    return options;
  }

  Stores stores;
};
TYPED_TEST_SUITE(Durability, store_fixtures::all);

// A handler with a durability point that remembers what the group had committed each time it
// was asked, and can be told to fail.
struct flushing_handler {
  flushing_handler(const embedded_cluster& on, std::string of_group, std::string of_topic)
      : cluster(&on), group(std::move(of_group)), topic(std::move(of_topic)) {}

  const embedded_cluster* cluster;
  std::string group;
  std::string topic;
  int changes = 0;
  std::vector<std::vector<std::int64_t>> committed_at_flush;
  bool fail = false;

  void operator()(const upsertkit::change<orders::Order>&) { ++changes; }
  void flush() {
    committed_at_flush.push_back(committed(*cluster, group, topic, 2));
    if (fail) throw std::runtime_error("the downstream is down");
  }
};

TYPED_TEST(Durability, TheSourceFlushesItsHandlerBeforeItCommitsAndOnlyThen) {
  embedded_cluster cluster;
  cluster.create_topic("orders", 2);
  fill(cluster, "orders", 5);
  flushing_handler handler(cluster, "d1", "orders");
  upsertkit::upsert_source<orders::table, flushing_handler&, typename TypeParam::store> source(
      this->group_options(cluster, "orders", "d1"), handler);
  source.read_to_end(30s);
  ASSERT_EQ(handler.changes, 10);
  EXPECT_TRUE(handler.committed_at_flush.empty()) << "no commit yet, so no durability point";
  source.commit();
  ASSERT_EQ(handler.committed_at_flush.size(), 1u);
  EXPECT_EQ(handler.committed_at_flush[0], (std::vector<std::int64_t>{-1, -1}))
      << "the flush came before the commit";
  EXPECT_EQ(committed(cluster, "d1", "orders", 2), (std::vector<std::int64_t>{5, 5}));

  // A failing durability point: nothing is committed, the error reaches the caller and the
  // source stops.
  config conf;
  conf.set("bootstrap.servers", cluster.bootstrap_servers());
  producer p(std::move(conf));
  p.produce("orders", 0, "new", order("new", "n"));
  p.flush(10s);
  source.read_to_end(30s);
  handler.fail = true;
  try {
    source.commit();
    FAIL() << "a commit passed a failed durability point";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "the downstream is down");
  }
  EXPECT_EQ(committed(cluster, "d1", "orders", 2), (std::vector<std::int64_t>{5, 5}));
  try {
    source.poll(1ms);
    FAIL() << "the source went on after its durability point failed";
  } catch (const upsertkit::error& e) {
    EXPECT_NE(
        std::string(e.what()).find("could not make its output durable: the downstream is down"),
        std::string::npos)
        << e.what();
  }
  EXPECT_THROW(source.commit(), upsertkit::error);
  const std::size_t flushes = handler.committed_at_flush.size();
  source.close();  // commits nothing more, and does not ask again
  EXPECT_EQ(handler.committed_at_flush.size(), flushes);
  EXPECT_EQ(committed(cluster, "d1", "orders", 2), (std::vector<std::int64_t>{5, 5}));
}

TYPED_TEST(Durability, CommitsOnTheIntervalFlushFirst) {
  embedded_cluster cluster;
  cluster.create_topic("orders", 2);
  fill(cluster, "orders", 50);
  flushing_handler handler(cluster, "d2", "orders");
  upsertkit::source_options options = this->group_options(cluster, "orders", "d2");
  options.commit_interval = 0ms;  // a commit at every poll that follows new records
  upsertkit::upsert_source<orders::table, flushing_handler&, typename TypeParam::store> source(
      options, handler);
  while (handler.changes < 100)
    source.poll(100ms);
  // The next polls commit the last records' offsets (asynchronously).
  const std::vector<std::int64_t> end = {50, 50};
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  while (committed(cluster, "d2", "orders", 2) != end &&
         std::chrono::steady_clock::now() < deadline)
    source.poll(10ms);
  ASSERT_EQ(committed(cluster, "d2", "orders", 2), end);
  // A flush came before each commit: none of them saw the commit of what it flushed.
  ASSERT_FALSE(handler.committed_at_flush.empty());
  for (const auto& seen : handler.committed_at_flush)
    EXPECT_NE(seen, end);
  source.close();
}

TYPED_TEST(Durability, WithoutAGroupCommitAndCloseFlushTheHandler) {
  embedded_cluster cluster;
  cluster.create_topic("orders", 2);
  fill(cluster, "orders", 2);
  flushing_handler handler(cluster, "unused", "orders");
  upsertkit::source_options options;
  options.topic = "orders";
  options.bootstrap_servers = cluster.bootstrap_servers();
  this->stores.use_state(options);
  // Without a group, a durable store's source also reaches the durability point on the
  // interval (its state is what a restart resumes from): with an hour, only commit() and
  // close() reach it here.
  if constexpr (TypeParam::durable) options.commit_interval = std::chrono::hours(1);
  upsertkit::upsert_source<orders::table, flushing_handler&, typename TypeParam::store> source(
      options, handler);
  source.read_to_end(30s);
  EXPECT_EQ(handler.committed_at_flush.size(), 0u);
  source.commit();
  EXPECT_EQ(handler.committed_at_flush.size(), 1u);
  source.close();
  EXPECT_EQ(handler.committed_at_flush.size(), 2u);
}

// A transactional handler gets the offsets, the group's metadata, and an abort when the source
// stops on an error; the source commits nothing itself.
struct transactional_handler {
  bool in_transactions = true;
  int changes = 0;
  int flushes = 0;
  int aborts = 0;
  std::vector<std::map<std::int32_t, std::int64_t>> commits;
  bool had_group = false;
  int throw_at = -1;

  void operator()(const upsertkit::change<orders::Order>&) {
    if (changes == throw_at) throw std::runtime_error("cannot write");
    ++changes;
  }
  void flush() { ++flushes; }
  bool transactional() const { return in_transactions; }
  void commit_transaction(const upsertkit::kafka::consumed_offsets& offsets) {
    std::map<std::int32_t, std::int64_t> c;
    for (int i = 0; offsets.list() != nullptr && i < offsets.list()->cnt; ++i)
      c[offsets.list()->elems[i].partition] = offsets.list()->elems[i].offset;
    commits.push_back(c);
    had_group = offsets.group() != nullptr;
  }
  void abort_transaction() { ++aborts; }
};

TYPED_TEST(Durability, ATransactionalHandlerCommitsTheOffsetsInItsTransaction) {
  using source_type =
      upsertkit::upsert_source<orders::table, transactional_handler&, typename TypeParam::store>;
  embedded_cluster cluster;
  cluster.create_topic("orders", 2);
  fill(cluster, "orders", 5);
  transactional_handler handler;
  handler.throw_at = 12;
  {
    source_type source(this->group_options(cluster, "orders", "d3"), handler);
    source.read_to_end(30s);
    source.commit();
    ASSERT_EQ(handler.commits.size(), 1u);
    EXPECT_EQ(handler.commits[0], (std::map<std::int32_t, std::int64_t>{{0, 5}, {1, 5}}));
    EXPECT_TRUE(handler.had_group);
    EXPECT_EQ(handler.flushes, 0);
    // The source left the commit to the handler's transaction.
    EXPECT_EQ(committed(cluster, "d3", "orders", 2), (std::vector<std::int64_t>{-1, -1}));

    // The handler fails on a later record: its transaction is aborted, and nothing of what
    // was processed since the last commit is committed any more.
    config conf;
    conf.set("bootstrap.servers", cluster.bootstrap_servers());
    producer p(std::move(conf));
    for (int i = 0; i < 4; ++i)
      p.produce("orders", 0, "x" + std::to_string(i), order("x" + std::to_string(i), "n"));
    p.flush(10s);
    EXPECT_THROW(source.read_to_end(30s), std::runtime_error);
    EXPECT_EQ(handler.changes, 12);
    EXPECT_EQ(handler.aborts, 1);
    EXPECT_THROW(source.commit(), upsertkit::error);
    source.close();
    EXPECT_EQ(handler.commits.size(), 1u) << "a transaction was committed after the abort";
  }

  // Not in transactions (a sink set to at-least-once): flush(), then the source commits.
  transactional_handler plain;
  plain.in_transactions = false;
  source_type source(this->group_options(cluster, "orders", "d4"), plain);
  source.read_to_end(30s);
  source.close();
  EXPECT_EQ(plain.flushes, 1);
  EXPECT_TRUE(plain.commits.empty());
  EXPECT_EQ(committed(cluster, "d4", "orders", 2), (std::vector<std::int64_t>{9, 5}));
}

// A member that stops polling past max.poll.interval.ms loses its partitions: nothing of theirs
// is committed, a buffering handler drops what it holds unwritten (their next owner writes those
// changes again, then newer ones), and a transactional one aborts.
struct buffering_handler {
  bool in_transactions = false;
  int changes = 0;
  int flushes = 0;
  int discards = 0;
  int aborts = 0;
  int commits = 0;
  void operator()(const upsertkit::change<orders::Order>&) { ++changes; }
  void flush() { ++flushes; }
  void discard_buffer() { ++discards; }
  bool transactional() const { return in_transactions; }
  void commit_transaction(const upsertkit::kafka::consumed_offsets&) { ++commits; }
  void abort_transaction() { ++aborts; }
};
static_assert(upsertkit::buffering_handler<buffering_handler>);
static_assert(upsertkit::buffering_handler<upsertkit::upsert_sink<orders::table>>);

TYPED_TEST(Durability, PartitionsLostToTheGroupDropWhatIsNotCommitted) {
  embedded_cluster cluster;
  cluster.create_topic("orders", 2);
  fill(cluster, "orders", 5);
  for (const bool in_transactions : {false, true}) {
    const std::string group = in_transactions ? "lost-tx" : "lost";
    buffering_handler handler;
    handler.in_transactions = in_transactions;
    upsertkit::source_options options = this->group_options(cluster, "orders", group);
    // The embedded cluster needs about 3 s to answer a JoinGroup: shorter limits time it out.
    options.properties["session.timeout.ms"] = "3000";
    options.properties["max.poll.interval.ms"] = "3000";
    upsertkit::upsert_source<orders::table, buffering_handler&, typename TypeParam::store> source(
        options, handler);
    source.read_to_end(30s);
    ASSERT_EQ(handler.changes, 10);
    std::this_thread::sleep_for(4000ms);  // no poll: the member is taken out of the group
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    while (handler.discards + handler.aborts == 0 && std::chrono::steady_clock::now() < deadline)
      source.poll(50ms);
    if (in_transactions) {
      EXPECT_EQ(handler.aborts, 1);
      EXPECT_EQ(handler.discards, 0);
    } else {
      EXPECT_EQ(handler.discards, 1);
      EXPECT_EQ(handler.aborts, 0);
    }
    EXPECT_EQ(handler.flushes + handler.commits, 0) << "lost partitions reached a durability point";
    EXPECT_EQ(committed(cluster, group, "orders", 2), (std::vector<std::int64_t>{-1, -1}));
    source.read_to_end(30s);  // the group gives the partitions back: rebuilt, and going on
  }
}

TEST(Durability, ThePlainKafkaSourceFlushesItsHandlerToo) {
  embedded_cluster cluster;
  cluster.create_topic("orders", 2);
  fill(cluster, "orders", 3);
  flushing_handler handler(cluster, "d5", "orders");
  upsertkit::append_source_options options;
  options.topic = "orders";
  options.bootstrap_servers = cluster.bootstrap_servers();
  options.properties["group.id"] = "d5";
  options.properties["session.timeout.ms"] = "6000";
  options.commit_interval = std::chrono::hours(1);
  using plain_table = upsertkit::table<orders::Order, upsertkit::no_primary_key>;
  upsertkit::append_source<plain_table, flushing_handler&> source(options, handler);
  source.read_to_end(30s);
  EXPECT_EQ(handler.changes, 6);
  source.close();
  ASSERT_EQ(handler.committed_at_flush.size(), 1u);
  EXPECT_EQ(handler.committed_at_flush[0], (std::vector<std::int64_t>{-1, -1}));
  EXPECT_EQ(committed(cluster, "d5", "orders", 2), (std::vector<std::int64_t>{3, 3}));
}

TEST(PrintSinkDurability, FlushThrowsWhenTheStreamCannotBeWritten) {
  std::FILE* full = std::fopen("/dev/full", "w");
  ASSERT_NE(full, nullptr);
  upsertkit::print_sink<orders::table> printer({}, full);
  orders::Order row{};
  row.order_id = "1";
  printer.print(upsertkit::row_kind::insert, row);  // buffered: no error yet
  try {
    printer.flush();
    FAIL() << "a lost line went unnoticed";
  } catch (const upsertkit::error& e) {
    EXPECT_NE(std::string(e.what()).find("No space left on device"), std::string::npos) << e.what();
  }
  std::fclose(full);

  std::FILE* file = std::tmpfile();
  ASSERT_NE(file, nullptr);
  upsertkit::print_sink<orders::table> ok({}, file);
  ok.print(upsertkit::row_kind::insert, row);
  ok.flush();
  std::rewind(file);
  char line[128] = {};
  ASSERT_NE(std::fgets(line, sizeof line, file), nullptr);
  EXPECT_STREQ(line, "+I(1,null,null,null,null,null,null,null,null)\n");
  std::fclose(file);
}

}  // namespace
}  // namespace durability_test
