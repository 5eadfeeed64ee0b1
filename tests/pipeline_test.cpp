// Records in, changelog out: the seed's examples, key/value layouts, drops and bad records.
//
// The tests of what the state does (the changelog of records that meet earlier ones, what a bad
// record or a failing handler leaves applied, batches against record by record) are typed tests
// over the state stores (store_fixtures.hpp): Pipeline.*<store_fixtures::memory> and
// PipelineBatch.*<store_fixtures::memory>, and with UPSERTKIT_ROCKSDB=ON the same
// <store_fixtures::rocksdb> (GoogleTest's Suite/0.* and Suite/1.*), the RocksDB variants
// reaching durability points between records so that the state is also read back from the
// database. The tests of decoding alone (formats, layouts, drops, parse errors) stay plain
// tests on the memory store: the store plays no part in them.
#include <gtest/gtest.h>
#include <upsertkit/pipeline.hpp>
#include <upsertkit/print.hpp>

#include <algorithm>
#include <random>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "orders/orders_table.hpp"
#include "orders/seed_example.hpp"
#include "store_fixtures.hpp"

namespace pipeline_test {
namespace {

constexpr std::string_view seed_value_1 = orders::seed::records[0].second;
constexpr std::string_view seed_value_2 = orders::seed::records[1].second;
constexpr std::string_view seed_value_3 = orders::seed::records[2].second;

template <class Table>
struct collector {
  std::vector<std::string>* lines;
  upsertkit::print_style style = upsertkit::print_style::legacy;
  void operator()(const upsertkit::change<typename Table::row_type>& c) {
    std::string line;
    upsertkit::append_printed_row<Table>(line, c.kind, c.row, style);
    lines->push_back(std::move(line));
  }
};

using orders_pipeline = upsertkit::upsert_pipeline<orders::table, collector<orders::table>>;

// A test on one store (store_fixtures.hpp).
template <class Stores>
class StoreTest : public ::testing::Test {
 protected:
  using orders_pipeline =
      upsertkit::upsert_pipeline<orders::table, collector<orders::table>, typename Stores::store>;
  Stores stores;
};

template <class Stores>
class Pipeline : public StoreTest<Stores> {};
TYPED_TEST_SUITE(Pipeline, store_fixtures::all);

template <class Stores>
class PipelineBatch : public StoreTest<Stores> {};
TYPED_TEST_SUITE(PipelineBatch, store_fixtures::all);

upsertkit::record_view record(std::optional<std::string_view> key,
                              std::optional<std::string_view> value, std::int64_t offset = 0) {
  upsertkit::record_view r;
  r.key = key;
  r.value = value;
  r.where = {"KafkaTopic", 0, offset};
  return r;
}

TYPED_TEST(Pipeline, SeedExampleOnePrintsTheSeedsFourRows) {
  std::vector<std::string> out;
  typename TestFixture::orders_pipeline pipeline(upsertkit::format_config{}, {&out});
  this->stores.attach(pipeline.state());
  pipeline.apply(record("202303251202020001", seed_value_1));
  pipeline.apply(record("202303251505050001", seed_value_2));
  this->stores.durability_point(pipeline.state());
  pipeline.apply(record("202303251202020001", seed_value_3));
  EXPECT_EQ(out, std::vector<std::string>(orders::seed::changelog.begin(),
                                          orders::seed::changelog.end()));
  EXPECT_EQ(pipeline.stats().records, 3u);
  EXPECT_EQ(pipeline.state().state_keys(), 2u);
}

TYPED_TEST(Pipeline, TombstoneDeletesWithTheFullRowAndUnknownTombstoneIsSilent) {
  std::vector<std::string> out;
  typename TestFixture::orders_pipeline pipeline(upsertkit::format_config{}, {&out});
  this->stores.attach(pipeline.state());
  pipeline.apply(record("1", R"({"order_id":"1","user_name":"Bob"})"));
  this->stores.durability_point(pipeline.state());
  pipeline.apply(record("2", std::nullopt));
  pipeline.apply(record("1", std::nullopt));
  EXPECT_EQ(out, (std::vector<std::string>{"+I(1,null,null,null,null,null,null,Bob,null)",
                                           "-D(1,null,null,null,null,null,null,Bob,null)"}));
}

TEST(Pipeline, NullOrEmptyKeysAndEmptyJsonValuesAreDroppedAndCounted) {
  std::vector<std::string> out;
  orders_pipeline pipeline(upsertkit::format_config{}, {&out});
  pipeline.apply(record(std::nullopt, seed_value_1));
  pipeline.apply(record("", seed_value_1));
  pipeline.apply(record(std::nullopt, std::nullopt));
  pipeline.apply(record("1", ""));  // empty is not null: no tombstone
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(pipeline.stats().dropped_null_key, 3u);
  EXPECT_EQ(pipeline.stats().dropped_empty_value, 1u);
}

TEST(Pipeline, WithAllTheValueCopyOfAKeyColumnWins) {
  // Flink writes key fields first, then value fields over them.
  std::vector<std::string> out;
  orders_pipeline pipeline(upsertkit::format_config{}, {&out});
  pipeline.apply(record("from-key", R"({"order_id":"from-value"})"));
  pipeline.apply(record("only-key", R"({"user_name":"Ann"})"));  // value lacks the key column
  EXPECT_EQ(out, (std::vector<std::string>{"+I(from-value,null,null,null,null,null,null,null,null)",
                                           "+I(only-key,null,null,null,null,null,null,Ann,null)"}));
}

TEST(Pipeline, JsonKeyFormat) {
  std::vector<std::string> out;
  upsertkit::format_config formats;
  formats.key_format = "json";
  orders_pipeline pipeline(formats, {&out});
  pipeline.apply(record(R"({"order_id":"202303251202020001"})", seed_value_1));
  pipeline.apply(record(R"({"order_id":"202303251202020001"})", std::nullopt));
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[1].substr(0, 24), "-D(202303251202020001,mi");
}

// A table compiled for two formats reads them as the default table does, and refuses the
// others by name when the pipeline is built, as Flink does a format whose jar is missing.
using csv_json_orders = upsertkit::table<orders::Order, upsertkit::primary_key<"order_id">,
                                         upsertkit::formats<"csv", "json">>;
static_assert(std::is_same_v<orders::table::format_list, upsertkit::all_formats>);

TEST(Pipeline, TableWithFormatListReadsThemAndRefusesTheOthers) {
  using pipeline_type = upsertkit::upsert_pipeline<csv_json_orders, collector<csv_json_orders>>;
  std::vector<std::string> out;
  upsertkit::format_config formats;
  formats.key_format = "json";
  pipeline_type pipeline(formats, {&out});
  pipeline.apply(record(R"({"order_id":"202303251202020001"})", seed_value_1));
  formats.key_format = "csv";
  pipeline_type csv_keys(formats, {&out});
  csv_keys.apply(record("202303251505050001", seed_value_2));
  EXPECT_EQ(out, (std::vector<std::string>{std::string(orders::seed::changelog[0]),
                                           std::string(orders::seed::changelog[1])}));
  EXPECT_EQ(pipeline.decoder().key_codec().name(), "json");
  EXPECT_EQ(csv_keys.decoder().key_codec().name(), "csv");

  for (const char* other : {"avro", "raw"}) {
    formats.value_format = other;
    try {
      pipeline_type refused(formats, {&out});
      ADD_FAILURE() << other << " was accepted";
    } catch (const upsertkit::config_error& e) {
      EXPECT_EQ(std::string(e.what()), "Could not find any format factory for identifier '" +
                                           std::string(other) + "'. Supported formats: csv, json.");
    }
  }
}

// Flink's testKafkaSourceSinkWithKeyAndPartialValue: prefix `k_`, EXCEPT_KEY.
struct Event {
  std::int64_t k_user_id;
  std::optional<std::string_view> name;
  std::int64_t k_event_id;
  std::optional<std::string_view> payload;
};
}  // namespace
}  // namespace pipeline_test

BOOST_HANA_ADAPT_STRUCT(pipeline_test::Event, k_user_id, name, k_event_id, payload);

namespace pipeline_test {
namespace {
using events = upsertkit::table<Event, upsertkit::primary_key<"k_event_id", "k_user_id">>;
using events_pipeline = upsertkit::upsert_pipeline<events, collector<events>>;

upsertkit::format_config event_formats() {
  upsertkit::format_config formats;
  formats.key_format = "json";
  formats.value_format = "json";
  formats.layout = {upsertkit::fields_include::except_key, "k_"};
  return formats;
}

TEST(Pipeline, KeyPrefixAndExceptKey) {
  std::vector<std::string> out;
  events_pipeline pipeline(event_formats(), {&out, upsertkit::print_style::modern});
  // The key format uses the names without the prefix, in PRIMARY KEY order.
  pipeline.apply(record(R"({"event_id":100,"user_id":1})", R"({"name":"name 1","payload":"p 1"})"));
  pipeline.apply(record(R"({"event_id":100,"user_id":1})", R"({"name":"name 1","payload":"p"})"));
  // A value that repeats a key column does not touch it under EXCEPT_KEY.
  pipeline.apply(record(R"({"event_id":101,"user_id":2})", R"({"k_user_id":99,"payload":"q"})"));
  EXPECT_EQ(out, (std::vector<std::string>{"+I[1, name 1, 100, p 1]", "-U[1, name 1, 100, p 1]",
                                           "+U[1, name 1, 100, p]", "+I[2, null, 101, q]"}));
  const auto& key = pipeline.decoder().projections().key;
  EXPECT_EQ(key.names, (std::vector<std::string>{"event_id", "user_id"}));
}

TYPED_TEST(Pipeline, BadValueFailsWithTopicPartitionOffsetAndFieldAndAppliesNothing) {
  std::vector<std::string> out;
  typename TestFixture::orders_pipeline pipeline(upsertkit::format_config{}, {&out});
  this->stores.attach(pipeline.state());
  pipeline.apply(record("1", R"({"order_id":"1","pay_amount":1})"));
  this->stores.durability_point(pipeline.state());
  try {
    pipeline.apply(record("1", R"({"order_id":"1","pay_amount":"lots"})", 41));
    FAIL() << "expected a record_error";
  } catch (const upsertkit::record_error& e) {
    EXPECT_EQ(e.topic(), "KafkaTopic");
    EXPECT_EQ(e.partition(), 0);
    EXPECT_EQ(e.offset(), 41);
    EXPECT_EQ(e.field(), "pay_amount");
    EXPECT_EQ(e.part(), upsertkit::record_part::value);
    const std::string what = e.what();
    EXPECT_NE(what.find("topic 'KafkaTopic', partition 0, offset 41, field 'pay_amount'"),
              std::string::npos)
        << what;
    EXPECT_NE(what.find("lots"), std::string::npos) << what;
  }
  EXPECT_EQ(out.size(), 1u);
  this->stores.durability_point(pipeline.state());
  // The state still holds the old row: an identical upsert emits nothing.
  pipeline.apply(record("1", R"({"order_id":"1","pay_amount":1.0})"));
  EXPECT_EQ(out.size(), 1u);
}

TEST(Pipeline, BadKeyNamesTheKey) {
  std::vector<std::string> out;
  upsertkit::format_config formats;
  formats.key_format = "json";
  orders_pipeline pipeline(formats, {&out});
  try {
    pipeline.apply(record(R"({"order_id":)", seed_value_1, 7));
    FAIL() << "expected a record_error";
  } catch (const upsertkit::record_error& e) {
    EXPECT_EQ(e.part(), upsertkit::record_part::key);
    EXPECT_NE(std::string(e.what()).find("cannot decode the key"), std::string::npos);
  }
}

TEST(Pipeline, IgnoreParseErrorsSkipsCountsAndCallsTheDeadLetterHook) {
  std::vector<std::string> out;
  upsertkit::format_config formats;
  formats.value_options["ignore-parse-errors"] = "true";
  orders_pipeline pipeline(formats, {&out});
  std::vector<std::pair<std::int64_t, std::string>> dead;
  pipeline.set_dead_letter_hook(
      [&](const upsertkit::record_view& r, const upsertkit::record_error& e) {
        dead.emplace_back(r.where.offset, e.what());
      });
  pipeline.apply(record("1", "{not json", 3));
  pipeline.apply(record("2", R"({"order_id":"2","pay_amount":"lots"})", 4));  // field -> NULL
  pipeline.apply(record("3", seed_value_2, 5));
  EXPECT_EQ(pipeline.stats().skipped, 1u);
  ASSERT_EQ(dead.size(), 1u);
  EXPECT_EQ(dead[0].first, 3);
  EXPECT_NE(dead[0].second.find("Failed to deserialize JSON"), std::string::npos);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0], "+I(2,null,null,null,null,null,null,null,null)");
}

TEST(Pipeline, CsvValues) {
  std::vector<std::string> out;
  upsertkit::format_config formats;
  formats.value_format = "csv";
  orders_pipeline pipeline(formats, {&out});
  pipeline.apply(record("1", "1,app,2023-03-25 12:02:02,60.00,60,t,u,Bob,330110"));
  EXPECT_EQ(out,
            (std::vector<std::string>{"+I(1,app,2023-03-25 12:02:02,60.0,60.0,t,u,Bob,330110)"}));
  EXPECT_THROW(pipeline.apply(record("1", "1,app")), upsertkit::record_error);
}

TEST(Pipeline, UnknownFormatIsAConfigError) {
  upsertkit::format_config formats;
  formats.value_format = "protobuf";
  std::vector<std::string> out;
  EXPECT_THROW(orders_pipeline(formats, {&out}), upsertkit::config_error);
}

// apply(span) must give what apply(record) gives record by record: the same changes, the same
// counters, the same errors at the same record, whatever the batch boundaries.
std::vector<upsertkit::record_view> mixed_records(std::vector<std::string>& storage) {
  std::mt19937_64 random(29);
  storage.clear();
  storage.reserve(4000);
  std::vector<upsertkit::record_view> records;
  for (std::int64_t offset = 0; offset < 1000; ++offset) {
    const std::string id = std::to_string(random() % 60);
    storage.push_back(id);
    const std::string_view key = storage.back();
    switch (offset < 10 ? 9 : random() % 10) {
      case 0:
        records.push_back(record(key, std::nullopt, offset));  // tombstone
        break;
      case 1:
        records.push_back(record(std::nullopt, R"({"order_id":"x"})", offset));  // dropped
        break;
      case 2:
        records.push_back(record(key, "", offset));  // empty value: dropped
        break;
      case 3:
        // Not JSON, or a number that is not one: bad under `fail`; under
        // ignore-parse-errors the first is skipped and the second reads as NULL.
        storage.push_back(random() % 2 ? "{not json"
                                       : R"({"order_id":")" + id + R"(","pay_amount":"lots"})");
        records.push_back(record(key, storage.back(), offset));
        break;
      default:
        // Some names have an escape: decoded into the JSON parser's buffer, not a view into
        // the message, so a batch must not let the next record's decode overwrite them.
        storage.push_back(R"({"order_id":")" + id + R"(","user_name":"u)" +
                          (random() % 2 ? "" : R"(\t)") + std::to_string(random() % 3) + R"("})");
        records.push_back(record(key, storage.back(), offset));
        break;
    }
  }
  return records;
}

TYPED_TEST(PipelineBatch, SameChangesCountersAndSkipsAsOneByOne) {
  using orders_pipeline = typename TestFixture::orders_pipeline;
  std::mt19937_64 points(5);  // where durability points are reached
  std::vector<std::string> storage;
  const auto records = mixed_records(storage);
  upsertkit::format_config formats;
  formats.value_options["ignore-parse-errors"] = "true";
  std::vector<std::string> single_out;
  std::vector<std::int64_t> single_dead;
  orders_pipeline single(formats, {&single_out});
  this->stores.attach(single.state());
  single.set_dead_letter_hook([&](const upsertkit::record_view& r, const upsertkit::record_error&) {
    single_dead.push_back(r.where.offset);
  });
  for (const auto& r : records) {
    if (points() % 64 == 0) this->stores.durability_point(single.state());
    single.apply(r);
  }
  for (std::size_t batch : {1u, 5u, 32u, 33u, 1000u}) {
    std::vector<std::string> out;
    std::vector<std::int64_t> dead;
    orders_pipeline batched(formats, {&out});
    this->stores.attach(batched.state());
    batched.set_dead_letter_hook(
        [&](const upsertkit::record_view& r, const upsertkit::record_error&) {
          dead.push_back(r.where.offset);
        });
    std::size_t done = 0;
    for (std::size_t at = 0; at < records.size(); at += batch) {
      if (points() % 4 == 0) this->stores.durability_point(batched.state());
      const upsertkit::batch_result result =
          batched.apply(std::span(records).subspan(at, std::min(batch, records.size() - at)));
      EXPECT_TRUE(result.ok());
      done += result.done;
    }
    EXPECT_EQ(done, records.size());
    ASSERT_EQ(out, single_out) << "batch " << batch;
    EXPECT_EQ(dead, single_dead);
    EXPECT_GT(dead.size(), 20u);
    EXPECT_EQ(batched.stats().records, single.stats().records);
    EXPECT_EQ(batched.stats().key_bytes, single.stats().key_bytes);
    EXPECT_EQ(batched.stats().value_bytes, single.stats().value_bytes);
    EXPECT_EQ(batched.stats().skipped, single.stats().skipped);
    EXPECT_EQ(batched.stats().dropped_null_key, single.stats().dropped_null_key);
    EXPECT_EQ(batched.stats().dropped_empty_value, single.stats().dropped_empty_value);
    EXPECT_EQ(batched.state().state_keys(), single.state().state_keys());
  }
}

// Escaped strings decode into a buffer of the decoder, not into the message; a window
// decodes all its records before applying them, so each row's escaped strings must outlive
// the next record's decode. Every key and value format that unescapes, in one window.
TEST(PipelineBatch, EscapedStringsOfEveryRecordOfAWindowSurvive) {
  struct formats_case {
    const char* key_format;
    const char* value_format;
    std::vector<std::pair<std::string, std::string>> records;
  };
  const formats_case cases[] = {
      {"csv",
       "json",
       {{"1", R"({"order_id":"1","user_name":"a\tb","order_channel":"x\"y"})"},
        {"2", R"({"order_id":"2","user_name":"c\nd","order_channel":"\u00e9t\u00e9"})"},
        {"3", R"({"order_id":"3","user_name":"plain","order_channel":"q\\r"})"}}},
      {"json",
       "csv",
       {{R"({"order_id":"k\"1"})", R"("k""1","a""b",t,1.5,2.5,t,u,"c""d",z)"},
        {R"({"order_id":"k\"2"})", R"("k""2","e""f",t,1.5,2.5,t,u,"g""h",z)"},
        {R"({"order_id":"k\"3"})", R"("k""3",plain,t,1.5,2.5,t,u,"i""j",z)"}}},
  };
  for (const formats_case& c : cases) {
    upsertkit::format_config formats;
    formats.key_format = c.key_format;
    formats.value_format = c.value_format;
    std::vector<upsertkit::record_view> records;
    for (std::size_t i = 0; i < c.records.size(); ++i)
      records.push_back(
          record(c.records[i].first, c.records[i].second, static_cast<std::int64_t>(i)));
    std::vector<std::string> single_out, batched_out;
    orders_pipeline single(formats, {&single_out});
    for (const auto& r : records)
      single.apply(r);
    orders_pipeline batched(formats, {&batched_out});
    const upsertkit::batch_result result = batched.apply(std::span(records));
    EXPECT_TRUE(result.ok());
    EXPECT_EQ(result.done, records.size());
    ASSERT_EQ(single_out.size(), 3u) << c.value_format;
    EXPECT_EQ(batched_out, single_out) << c.value_format;
    EXPECT_NE(single_out[0].find('"'), std::string::npos) << single_out[0];
  }
}

TYPED_TEST(PipelineBatch, ABadRecordStopsTheBatchThereWithEverythingBeforeItApplied) {
  using orders_pipeline = typename TestFixture::orders_pipeline;
  std::vector<std::string> storage;
  const auto records = mixed_records(storage);
  std::size_t first_bad = 0;
  auto bad = [](const upsertkit::record_view& r) {
    return r.key && r.value &&
           (r.value->find("lots") != std::string_view::npos ||
            r.value->find("not json") != std::string_view::npos);
  };
  while (!bad(records[first_bad]))
    ++first_bad;
  ASSERT_GE(first_bad, 10u);
  std::vector<std::string> single_out, out;
  orders_pipeline single(upsertkit::format_config{}, {&single_out});
  this->stores.attach(single.state());
  for (std::size_t i = 0; i < first_bad; ++i)
    single.apply(records[i]);
  orders_pipeline batched(upsertkit::format_config{}, {&out});
  this->stores.attach(batched.state());
  const upsertkit::batch_result result = batched.apply(std::span(records));
  try {
    result.rethrow_if_failed();
    FAIL() << "expected a record_error";
  } catch (const upsertkit::record_error& e) {
    EXPECT_EQ(e.offset(), records[first_bad].where.offset);
    EXPECT_EQ(e.part(), upsertkit::record_part::value);
  }
  EXPECT_EQ(result.done, first_bad);
  EXPECT_EQ(out, single_out);
  EXPECT_EQ(batched.stats().records, first_bad + 1);  // as apply(record) counts the bad one
  EXPECT_EQ(batched.state().state_keys(), single.state().state_keys());
}

// The handler throws on a record in the middle of a window: the records before it are done,
// the result's `done` points at it, and applying from there again emits its changes whole.
TYPED_TEST(PipelineBatch, AHandlerFailureLeavesDoneAtTheRecordItThrewOn) {
  std::vector<std::string> lines;
  int calls = 0;
  auto handler = [&](const upsertkit::change<orders::Order>& c) {
    if (++calls == 3) throw std::runtime_error("downstream unavailable");
    lines.push_back(std::string(upsertkit::short_string(c.kind)) + std::string(c.row.order_id));
  };
  upsertkit::upsert_pipeline<orders::table, decltype(handler), typename TypeParam::store> pipeline(
      upsertkit::format_config{}, handler);
  this->stores.attach(pipeline.state());
  const std::vector<upsertkit::record_view> records = {
      record(std::nullopt, R"({"order_id":"x"})", 0), record("1", R"({"order_id":"1"})", 1),
      record("2", R"({"order_id":"2"})", 2),          record("", R"({"order_id":"x"})", 3),
      record("3", R"({"order_id":"3"})", 4),          record("4", R"({"order_id":"4"})", 5)};
  const upsertkit::batch_result failed = pipeline.apply(std::span(records));
  EXPECT_THROW(failed.rethrow_if_failed(), std::runtime_error);
  EXPECT_EQ(failed.done, 4u);  // 0..3 done (two drops, +I 1, +I 2); the +I of 3 threw
  EXPECT_EQ(pipeline.stats().records, 4u);
  this->stores.durability_point(pipeline.state());
  EXPECT_EQ(pipeline.state().state_keys(), 2u);  // 1 and 2
  const upsertkit::batch_result rest = pipeline.apply(std::span(records).subspan(4));
  EXPECT_TRUE(rest.ok());
  EXPECT_EQ(rest.done, 2u);
  EXPECT_EQ(lines, (std::vector<std::string>{"+I1", "+I2", "+I3", "+I4"}));
}

}  // namespace
}  // namespace pipeline_test
