// The bad-input catalogue (docs/bad-input.md): one test per class of bad record. Each class is
// checked on the pipeline and through the upsert source on the embedded cluster:
//   - default `fail` policy: a record_error whose what() names topic, partition, offset and
//     field (where one applies); nothing of the record is applied and the source stops there;
//   - `<format>.ignore-parse-errors`: the record is skipped, counted (stats().skipped,
//     counters().skipped), handed to the dead-letter hook, and the records after it applied;
//   - classes dropped and counted by design (null key, empty key, empty or `null` JSON value, a
//     JSON key that decodes to no row) are checked for exactly that.
// In consumer-group mode the offset of a failed record is never committed: the group's
// committed offset stays at it and the next member reads it again (BadInputGroup.*).
//
// Every test that applies records runs with each state store (store_fixtures.hpp), the state
// being what a bad record must leave untouched: BadInputAccepted, BadInputKafka and
// BadInputGroup are typed tests (Suite.Test<store_fixtures::memory> and, configured with
// UPSERTKIT_ROCKSDB=ON, Suite.Test<store_fixtures::rocksdb>; GoogleTest's Suite/0.Test and
// Suite/1.Test). GoogleTest has no typed value-parameterized tests, so the catalogue's suites
// take the store as a second parameter: Catalogue/BadInput.OnThePipeline/<Class>_memory and
// <Class>_rocksdb, likewise Catalogue/BadInputThroughKafka.ThroughTheUpsertSource. The RocksDB
// variants reach durability points between records, so that the state is also read back from
// the database.
#include <gtest/gtest.h>
#include <upsertkit/source.hpp>
#include <upsertkit/testing/embedded_cluster.hpp>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <vector>

#include "store_fixtures.hpp"
#include "test_support.hpp"

namespace bad_input_test {

// NOT NULL columns of several types, so a bad value cannot become NULL under
// ignore-parse-errors and the record is skipped; two nullable columns.
struct Row {
  std::string_view id;
  std::int8_t qty = 0;  // TINYINT
  double price = 0;
  upsertkit::decimal<5, 2> amount;
  upsertkit::timestamp ts;
  std::optional<std::string_view> name;
  std::optional<double> score;
};

}  // namespace bad_input_test

BOOST_HANA_ADAPT_STRUCT(bad_input_test::Row, id, qty, price, amount, ts, name, score);

namespace bad_input_test {
namespace {

using test_support::make_producer;

using namespace std::chrono_literals;
using table = upsertkit::table<Row, upsertkit::primary_key<"id">>;
using upsertkit::kafka::config;
using upsertkit::kafka::embedded_cluster;
using upsertkit::kafka::producer;

struct changes {
  std::vector<std::string>* ids;
  void operator()(const upsertkit::change<Row>& c) const {
    ids->push_back(std::string(upsertkit::short_string(c.kind)) + std::string(c.row.id));
  }
};

std::string good_json(std::string_view id) {
  return R"({"id":")" + std::string(id) +
         R"(","qty":1,"price":1.5,"amount":"1.25","ts":"2023-03-25 12:00:00","name":"n"})";
}
std::string good_csv(std::string_view id) {
  return std::string(id) + ",1,1.5,1.25,2023-03-25 12:00:00,n,2.5";
}

enum class expect : std::uint8_t { fails, dropped_key, dropped_value };

struct bad_case {
  bad_case(std::string name_, std::string key_format_, std::string value_format_,
           std::optional<std::string> key_, std::optional<std::string> value_, expect outcome_,
           upsertkit::record_part part_ = upsertkit::record_part::value, std::string field_ = {})
      : name(std::move(name_)),
        key_format(std::move(key_format_)),
        value_format(std::move(value_format_)),
        key(std::move(key_)),
        value(std::move(value_)),
        outcome(outcome_),
        part(part_),
        field(std::move(field_)) {}

  std::string name;
  std::string key_format;  // csv or json
  std::string value_format;
  std::optional<std::string> key;  // the bad record's key and value
  std::optional<std::string> value;
  expect outcome;
  upsertkit::record_part part = upsertkit::record_part::value;
  std::string field;  // "" when the message as a whole is bad
  bool through_kafka = true;

  std::string good_key(std::string_view id) const {
    return key_format == "json" ? R"({"id":")" + std::string(id) + "\"}" : std::string(id);
  }
  std::string good_value(std::string_view id) const {
    return value_format == "json" ? good_json(id) : good_csv(id);
  }
  upsertkit::format_config formats(bool ignore) const {
    upsertkit::format_config f;
    f.key_format = key_format;
    f.value_format = value_format;
    if (ignore) {
      f.key_options["ignore-parse-errors"] = "true";
      f.value_options["ignore-parse-errors"] = "true";
    }
    return f;
  }
};

// gtest prints a parameter in test listings: the name, not megabytes of bytes.
void PrintTo(const bad_case& c, std::ostream* out) {
  *out << c.name;
}

std::string json_with(std::string_view replace, std::string_view by) {
  std::string v = good_json("b");
  v.replace(v.find(replace), replace.size(), by);
  return v;
}

std::vector<bad_case> catalogue() {
  const std::string deep = std::string(10000, '[') + std::string(10000, ']');
  std::vector<bad_case> c = {
      {"MalformedJson", "csv", "json", "b", R"({"id":"b","qty":1,)", expect::fails},
      {"TruncatedUtf8InString", "csv", "json", "b",
       json_with(R"("name":"n")", "\"name\":\"ab\xc3\""), expect::fails},
      {"InvalidUtf8InString", "csv", "json", "b",
       json_with(R"("name":"n")", "\"name\":\"\xff\xfe\""), expect::fails},
      {"RawControlCharacterInString", "csv", "json", "b",
       json_with(R"("name":"n")", "\"name\":\"a\x01\""), expect::fails},
      {"WrongType", "csv", "json", "b", json_with(R"("qty":1)", R"("qty":"many")"), expect::fails,
       upsertkit::record_part::value, "qty"},
      {"NumberOutOfRangeForTinyint", "csv", "json", "b", json_with(R"("qty":1)", R"("qty":300)"),
       expect::fails, upsertkit::record_part::value, "qty"},
      {"DecimalWithTooManyDigits", "csv", "json", "b",
       json_with(R"("amount":"1.25")", R"("amount":123456.789)"), expect::fails,
       upsertkit::record_part::value, "amount"},
      {"TimestampInTheWrongFormat", "csv", "json", "b",
       json_with(R"("ts":"2023-03-25 12:00:00")", R"("ts":"2023/03/25 12:00:00")"), expect::fails,
       upsertkit::record_part::value, "ts"},
      {"BareNaNToken", "csv", "json", "b", json_with(R"("price":1.5)", R"("price":NaN)"),
       expect::fails},
      {"DuplicateFieldLastOneBad", "csv", "json", "b",
       json_with(R"("qty":1)", R"("qty":1,"qty":"x")"), expect::fails,
       upsertkit::record_part::value, "qty"},
      {"NullForNotNullColumn", "csv", "json", "b", json_with(R"("qty":1)", R"("qty":null)"),
       expect::fails, upsertkit::record_part::value, "qty"},
      {"MissingNotNullColumn", "csv", "json", "b", json_with(R"("qty":1,)", ""), expect::fails,
       upsertkit::record_part::value, "qty"},
      {"NonObjectJsonValue", "csv", "json", "b", "[1,2]", expect::fails},
      {"JsonStringValue", "csv", "json", "b", R"("b")", expect::fails},
      {"TrailingGarbageAfterTheObject", "csv", "json", "b", good_json("b") + " x", expect::fails},
      {"SecondObjectAfterTheObject", "csv", "json", "b", good_json("b") + "{}", expect::fails},
      {"ByteOrderMark", "csv", "json", "b", "\xEF\xBB\xBF" + good_json("b"), expect::fails},
      {"DeeplyNestedValueForATypedColumn", "csv", "json", "b",
       json_with(R"("price":1.5)", "\"price\":" + deep), expect::fails,
       upsertkit::record_part::value, "price"},
      {"MalformedJsonKey", "json", "json", R"({"id":)", good_json("b"), expect::fails,
       upsertkit::record_part::key, ""},
      {"JsonKeyWithoutTheKeyColumn", "json", "json", "{}", good_json("b"), expect::fails,
       upsertkit::record_part::key, "id"},
      {"CsvTooManyColumns", "csv", "csv", "b", good_csv("b") + ",extra", expect::fails},
      {"CsvTooFewColumns", "csv", "csv", "b", "b,1", expect::fails},
      {"CsvUnterminatedQuote", "csv", "csv", "b", "b,1,1.5,1.25,2023-03-25 12:00:00,\"n,2.5",
       expect::fails, upsertkit::record_part::value, "name"},
      {"CsvNumberOutOfRange", "csv", "csv", "b", "b,300,1.5,1.25,2023-03-25 12:00:00,n,2.5",
       expect::fails, upsertkit::record_part::value, "qty"},
      {"CsvEmptyValue", "csv", "csv", "b", "", expect::fails},
      {"CsvKeyWithTooManyColumns", "csv", "json", "b,c", good_json("b"), expect::fails,
       upsertkit::record_part::key, ""},
      {"NullKey", "csv", "json", std::nullopt, good_json("b"), expect::dropped_key},
      {"EmptyKey", "csv", "json", "", good_json("b"), expect::dropped_key},
      {"EmptyJsonKey", "json", "json", "", good_json("b"), expect::dropped_key},
      // A JSON `null` fails the record, as it fails Flink 1.20.3's job.
      {"JsonKeyThatIsNull", "json", "json", "null", good_json("b"), expect::fails,
       upsertkit::record_part::key, ""},
      {"EmptyJsonValue", "csv", "json", "b", "", expect::dropped_value},
      {"BareJsonNullValue", "csv", "json", "b", " null", expect::fails,
       upsertkit::record_part::value, ""},
  };
  // 10 MB of garbage: through the pipeline only (the embedded cluster keeps ~5 MiB a partition).
  bad_case huge{"HugeMalformedMessage",
                "csv",
                "json",
                "b",
                "{\"id\":\"b\",\"name\":\"" + std::string(10 << 20, 'x'),
                expect::fails};
  huge.through_kafka = false;
  c.push_back(std::move(huge));
  bad_case huge_typed{
      "HugeStringInANumberColumn",
      "csv",
      "json",
      "b",
      json_with(R"("price":1.5)", "\"price\":\"" + std::string(10 << 20, '9') + "x\""),
      expect::fails,
      upsertkit::record_part::value,
      "price"};
  huge_typed.through_kafka = false;
  c.push_back(std::move(huge_typed));
  return c;
}

bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

// The what() of a record_error names topic, partition, offset and field.
void expect_names_the_record(const upsertkit::record_error& e, const bad_case& c,
                             std::string_view topic, std::int32_t partition, std::int64_t offset) {
  const std::string what = e.what();
  EXPECT_EQ(e.topic(), topic);
  EXPECT_EQ(e.partition(), partition);
  EXPECT_EQ(e.offset(), offset);
  EXPECT_EQ(e.part(), c.part);
  EXPECT_EQ(e.field(), c.field) << what;
  EXPECT_TRUE(contains(what, "topic '" + std::string(topic) + "'")) << what;
  EXPECT_TRUE(contains(what, "partition " + std::to_string(partition) + ",")) << what;
  EXPECT_TRUE(contains(what, "offset " + std::to_string(offset))) << what;
  EXPECT_TRUE(contains(what, c.part == upsertkit::record_part::key ? "the key" : "the value"))
      << what;
  if (!c.field.empty()) {
    EXPECT_TRUE(contains(what, "field '" + c.field + "'")) << what;
  }
  // The text stays readable whatever the record's size.
  EXPECT_LT(what.size(), 1000u) << what.substr(0, 2000);
}

// The stores of store_fixtures::all, as a test parameter.
enum class store_kind : std::uint8_t { memory, rocksdb };

std::vector<store_kind> all_stores() {
  std::vector<store_kind> stores = {store_kind::memory};
#if UPSERTKIT_TEST_ROCKSDB
  stores.push_back(store_kind::rocksdb);
#endif
  return stores;
}

std::string_view name_of(store_kind store) {
  return store == store_kind::memory ? "memory" : "rocksdb";
}

void PrintTo(store_kind store, std::ostream* out) {
  *out << name_of(store);
}

// Calls body(fixture) with a fixture of `store` (store_fixtures.hpp), made for this call.
template <class Body>
void with_fixture(store_kind store, Body&& body) {
  if (store == store_kind::memory) {
    store_fixtures::memory fixture;
    body(fixture);
    return;
  }
#if UPSERTKIT_TEST_ROCKSDB
  store_fixtures::rocksdb fixture;
  body(fixture);
#endif
}

// A class of bad record, with the store to run it with.
using store_case = std::tuple<bad_case, store_kind>;

std::string store_case_name(const testing::TestParamInfo<store_case>& info) {
  return std::get<bad_case>(info.param).name + "_" +
         std::string(name_of(std::get<store_kind>(info.param)));
}

class BadInput : public testing::TestWithParam<store_case> {
 protected:
  const bad_case& the_case() const { return std::get<bad_case>(GetParam()); }
  store_kind store() const { return std::get<store_kind>(GetParam()); }
};

// A test on one store (store_fixtures.hpp).
template <class Stores>
class StoreTest : public ::testing::Test {
 protected:
  Stores stores;
};

template <class Stores>
class BadInputAccepted : public StoreTest<Stores> {};
TYPED_TEST_SUITE(BadInputAccepted, store_fixtures::all);

template <class Stores>
class BadInputKafka : public StoreTest<Stores> {};
TYPED_TEST_SUITE(BadInputKafka, store_fixtures::all);

template <class Stores>
class BadInputGroup : public StoreTest<Stores> {};
TYPED_TEST_SUITE(BadInputGroup, store_fixtures::all);

upsertkit::record_view record(std::optional<std::string_view> key,
                              std::optional<std::string_view> value, std::int64_t offset) {
  upsertkit::record_view r;
  r.key = key;
  r.value = value;
  r.where = {"bad-input", 3, offset};
  return r;
}

TEST_P(BadInput, OnThePipeline) {
  const bad_case& c = the_case();
  const std::string k1 = c.good_key("a"), v1 = c.good_value("a");
  const std::string k2 = c.good_key("c"), v2 = c.good_value("c");
  with_fixture(store(), [&](auto& stores) {
    using store_type = typename std::remove_cvref_t<decltype(stores)>::store;
    for (const bool ignore : {false, true}) {
      SCOPED_TRACE(ignore ? "ignore-parse-errors" : "fail");
      std::vector<std::string> out;
      upsertkit::upsert_pipeline<table, changes, store_type> pipeline(c.formats(ignore),
                                                                      changes{&out});
      stores.attach(pipeline.state());
      std::vector<std::int64_t> dead;
      pipeline.set_dead_letter_hook(
          [&](const upsertkit::record_view& r, const upsertkit::record_error& e) {
            EXPECT_EQ(r.where.offset, e.offset());
            dead.push_back(e.offset());
          });
      pipeline.apply(record(k1, v1, 0));
      stores.durability_point(pipeline.state());
      bool thrown = false;
      try {
        pipeline.apply(record(c.key, c.value, 1));
      } catch (const upsertkit::record_error& e) {
        thrown = true;
        EXPECT_EQ(c.outcome, expect::fails);
        EXPECT_FALSE(ignore) << e.what();
        expect_names_the_record(e, c, "bad-input", 3, 1);
      }
      EXPECT_EQ(out, std::vector<std::string>{"+Ia"});  // nothing of the bad record applied
      stores.durability_point(pipeline.state());
      EXPECT_EQ(pipeline.state().state_keys(), 1u);
      pipeline.apply(record(k2, v2, 2));
      EXPECT_EQ(out, (std::vector<std::string>{"+Ia", "+Ic"}));
      const upsertkit::pipeline_stats& s = pipeline.stats();
      switch (c.outcome) {
        case expect::fails:
          EXPECT_EQ(thrown, !ignore);
          EXPECT_EQ(s.skipped, ignore ? 1u : 0u);
          EXPECT_EQ(dead, ignore ? std::vector<std::int64_t>{1} : std::vector<std::int64_t>{});
          break;
        case expect::dropped_key:
          EXPECT_FALSE(thrown);
          EXPECT_EQ(s.dropped_null_key, 1u);
          EXPECT_TRUE(dead.empty());
          break;
        case expect::dropped_value:
          EXPECT_FALSE(thrown);
          EXPECT_EQ(s.dropped_empty_value, 1u);
          EXPECT_TRUE(dead.empty());
          break;
      }
    }
  });
}

// A source of `topic` without a group; a durable store keeps its state in the test's directory
// `state`.
template <class Stores>
upsertkit::source_options options_for(const embedded_cluster& cluster, const std::string& topic,
                                      const bad_case& c, bool ignore, const Stores& stores,
                                      std::string_view state = "state") {
  upsertkit::source_options options;
  options.topic = topic;
  options.bootstrap_servers = cluster.bootstrap_servers();
  options.formats = c.formats(ignore);
  stores.use_state(options, state);
  return options;
}

// Good record at offset 0, the bad one at 1, a good one at 2, all on partition 1 of 2.
void produce_case(const embedded_cluster& cluster, const std::string& topic, const bad_case& c) {
  producer p = make_producer(cluster);
  p.produce(topic, 1, c.good_key("a"), c.good_value("a"));
  p.produce(topic, 1, c.key, c.value);
  p.produce(topic, 1, c.good_key("c"), c.good_value("c"));
  p.flush(10s);
}

// The cases small enough for the embedded cluster (it keeps about 5 MiB a partition).
class BadInputThroughKafka : public BadInput {};

TEST_P(BadInputThroughKafka, ThroughTheUpsertSource) {
  const bad_case& c = the_case();
  embedded_cluster cluster;
  const std::string topic = "bad-" + c.name;
  cluster.create_topic(topic, 2);
  produce_case(cluster, topic, c);

  with_fixture(store(), [&](auto& stores) {
    using store_type = typename std::remove_cvref_t<decltype(stores)>::store;
    // Each source reads the topic from its start: a state directory each.
    {  // fail
      std::vector<std::string> out;
      upsertkit::upsert_source<table, changes, store_type> source(
          options_for(cluster, topic, c, false, stores, "fail"), changes{&out});
      if (c.outcome == expect::fails) {
        try {
          source.read_to_end(20s);
          ADD_FAILURE() << "expected a record_error";
        } catch (const upsertkit::record_error& e) {
          expect_names_the_record(e, c, topic, 1, 1);
        }
        EXPECT_EQ(out, std::vector<std::string>{"+Ia"});
        EXPECT_THROW(source.poll(1ms), upsertkit::error);  // the source stopped there
        EXPECT_EQ(out, std::vector<std::string>{"+Ia"});
      } else {
        source.read_to_end(20s);
        EXPECT_EQ(out, (std::vector<std::string>{"+Ia", "+Ic"}));
        EXPECT_EQ(source.counters().dropped, 1u);
        EXPECT_EQ(source.counters().skipped, 0u);
      }
    }
    {  // ignore-parse-errors
      std::vector<std::string> out;
      upsertkit::upsert_source<table, changes, store_type> source(
          options_for(cluster, topic, c, true, stores, "ignore-parse-errors"), changes{&out});
      std::vector<std::string> dead;
      source.pipeline().set_dead_letter_hook(
          [&](const upsertkit::record_view& r, const upsertkit::record_error& e) {
            EXPECT_EQ(r.where.offset, 1);
            EXPECT_EQ(r.key, c.key);
            EXPECT_EQ(r.value, c.value);
            dead.push_back(e.what());
          });
      source.read_to_end(20s);
      EXPECT_EQ(out, (std::vector<std::string>{"+Ia", "+Ic"}));
      const upsertkit::source_counters counters = source.counters();
      EXPECT_EQ(counters.records, 3u);
      if (c.outcome == expect::fails) {
        EXPECT_EQ(counters.skipped, 1u);
        EXPECT_EQ(source.stats().skipped, 1u);
        ASSERT_EQ(dead.size(), 1u);
        EXPECT_TRUE(contains(dead[0], "offset 1")) << dead[0];
      } else {
        EXPECT_EQ(counters.dropped, 1u);
        EXPECT_TRUE(dead.empty());
      }
    }
  });
}

INSTANTIATE_TEST_SUITE_P(Catalogue, BadInput,
                         testing::Combine(testing::ValuesIn(catalogue()),
                                          testing::ValuesIn(all_stores())),
                         store_case_name);

std::vector<bad_case> kafka_catalogue() {
  std::vector<bad_case> cases;
  for (const bad_case& c : catalogue())
    if (c.through_kafka) cases.push_back(c);
  return cases;
}

INSTANTIATE_TEST_SUITE_P(Catalogue, BadInputThroughKafka,
                         testing::Combine(testing::ValuesIn(kafka_catalogue()),
                                          testing::ValuesIn(all_stores())),
                         store_case_name);

// Classes that are not errors, by design: what upsertkit does with them.

// The changes of one record, and the row it left in the state (read back from the database
// with a durable store).
template <class Stores>
std::vector<std::string> printed_after(Stores& stores, const std::string& value,
                                       Row* last = nullptr) {
  std::vector<std::string> out;
  upsertkit::upsert_pipeline<table, changes, typename Stores::store> pipeline(
      upsertkit::format_config{}, changes{&out});
  stores.attach(pipeline.state());
  pipeline.apply(record("b", value, 0));
  stores.durability_point(pipeline.state());
  if (last != nullptr) {
    pipeline.state().for_each_row([&](std::int32_t, const Row& row) {
      *last = row;
      last->name.reset();  // a view into the state
    });
  }
  return out;
}

TYPED_TEST(BadInputAccepted, DoubleOverflowIsInfinityAsJavaParsesIt) {
  Row row;
  EXPECT_EQ(printed_after(this->stores, json_with(R"("price":1.5)", R"("price":1e400)"), &row),
            std::vector<std::string>{"+Ib"});
  EXPECT_TRUE(std::isinf(row.price) && row.price > 0);
  EXPECT_EQ(printed_after(this->stores, json_with(R"("price":1.5)", R"("price":-1e400)"), &row),
            std::vector<std::string>{"+Ib"});
  EXPECT_TRUE(std::isinf(row.price) && row.price < 0);
}

TYPED_TEST(BadInputAccepted, QuotedNaNAndInfinityAreNumbersAsJavaParsesThem) {
  auto& stores = this->stores;
  Row row;
  EXPECT_EQ(printed_after(stores, json_with(R"("price":1.5)", R"("price":"NaN")"), &row).size(),
            1u);
  EXPECT_TRUE(std::isnan(row.price));
  EXPECT_EQ(
      printed_after(stores, json_with(R"("price":1.5)", R"("price":"-Infinity")"), &row).size(),
      1u);
  EXPECT_TRUE(std::isinf(row.price) && row.price < 0);
}

TYPED_TEST(BadInputAccepted, DuplicateFieldsLastOneWinsButEveryOneIsRead) {
  std::vector<std::string> out;
  upsertkit::upsert_pipeline<table, changes, typename TypeParam::store> pipeline(
      upsertkit::format_config{}, changes{&out});
  this->stores.attach(pipeline.state());
  pipeline.apply(record("b", json_with(R"("qty":1)", R"("qty":3,"qty":7)"), 0));
  this->stores.durability_point(pipeline.state());
  pipeline.state().for_each_row([](std::int32_t, const Row& row) { EXPECT_EQ(row.qty, 7); });
  EXPECT_EQ(out, std::vector<std::string>{"+Ib"});
  // Each occurrence is decoded: a bad one fails the record even when a later one is good.
  try {
    pipeline.apply(record("b", json_with(R"("qty":1)", R"("qty":"x","qty":7)"), 1));
    FAIL() << "expected a record_error";
  } catch (const upsertkit::record_error& e) {
    EXPECT_EQ(e.field(), "qty");
  }
}

TYPED_TEST(BadInputAccepted, DeeplyNestedUnknownFieldIsSkipped) {
  // 10,000 nested arrays in a field the table does not have: skipped structurally, no
  // recursion, so no stack exhaustion.
  const std::string deep = std::string(10000, '[') + std::string(10000, ']');
  EXPECT_EQ(
      printed_after(this->stores, json_with(R"("name":"n")", "\"name\":\"n\",\"unknown\":" + deep)),
      std::vector<std::string>{"+Ib"});
}

TYPED_TEST(BadInputAccepted, HugeStringIsKeptWhole) {
  std::vector<std::string> out;
  upsertkit::upsert_pipeline<table, changes, typename TypeParam::store> pipeline(
      upsertkit::format_config{}, changes{&out});
  this->stores.attach(pipeline.state());
  const std::string big(10 << 20, 'x');
  pipeline.apply(record("b", json_with(R"("name":"n")", "\"name\":\"" + big + "\""), 0));
  this->stores.durability_point(pipeline.state());
  std::size_t stored = 0;
  pipeline.state().for_each_row(
      [&](std::int32_t, const Row& r) { stored = r.name ? r.name->size() : 0; });
  EXPECT_EQ(stored, big.size());
}

TYPED_TEST(BadInputAccepted, JsonIgnoreParseErrorsNullsABadNullableColumnAndKeepsTheRecord) {
  std::vector<std::string> out;
  upsertkit::format_config formats;
  formats.value_options["ignore-parse-errors"] = "true";
  upsertkit::upsert_pipeline<table, changes, typename TypeParam::store> pipeline(formats,
                                                                                 changes{&out});
  this->stores.attach(pipeline.state());
  int dead = 0;
  pipeline.set_dead_letter_hook([&](const auto&, const auto&) { ++dead; });
  pipeline.apply(record("b", json_with(R"("name":"n")", R"("name":"n","score":"lots")"), 0));
  EXPECT_EQ(out, std::vector<std::string>{"+Ib"});
  EXPECT_EQ(pipeline.stats().skipped, 0u);
  EXPECT_EQ(dead, 0);
  this->stores.durability_point(pipeline.state());
  pipeline.state().for_each_row([](std::int32_t, const Row& r) { EXPECT_FALSE(r.score); });
}

// Oversized messages: librdkafka's producer refuses a record above `message.max.bytes`
// (default 1,000,000) when it is produced, so it never reaches the topic; a record above the
// consumer's fetch sizes is still read whole (librdkafka grows the fetch).
TYPED_TEST(BadInputKafka, OversizedMessageIsRefusedByTheProducerAndBigOnesAreReadWhole) {
  embedded_cluster cluster;
  cluster.create_topic("big", 1);
  producer p = make_producer(cluster);
  const std::string too_big =
      json_with(R"("name":"n")", "\"name\":\"" + std::string(1'100'000, 'x') + "\"");
  try {
    p.produce("big", 0, "b", too_big);
    FAIL() << "expected the producer to refuse it";
  } catch (const upsertkit::kafka::kafka_error& e) {
    EXPECT_EQ(e.code(), RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE) << e.what();
  }

  config conf;
  conf.set("bootstrap.servers", cluster.bootstrap_servers());
  conf.set("message.max.bytes", "4000000");
  producer large(std::move(conf));
  const std::string big = std::string(2'000'000, 'y');
  large.produce("big", 0, "b", json_with(R"("name":"n")", "\"name\":\"" + big + "\""));
  large.produce("big", 0, "c", good_json("c"));
  large.flush(10s);

  std::vector<std::string> out;
  upsertkit::source_options options;
  options.topic = "big";
  options.bootstrap_servers = cluster.bootstrap_servers();
  options.properties["max.partition.fetch.bytes"] = "65536";
  options.properties["fetch.max.bytes"] = "1000000";
  this->stores.use_state(options);
  upsertkit::upsert_source<table, changes, typename TypeParam::store> source(std::move(options),
                                                                             changes{&out});
  source.read_to_end(30s);
  EXPECT_EQ(out, (std::vector<std::string>{"+Ib", "+Ic"}));
  source.commit();  // the durability point: a durable store writes the 2 MB row
  std::size_t stored = 0;
  source.pipeline().state().for_each_row([&](std::int32_t, const Row& r) {
    if (r.id == "b") stored = r.name->size();
  });
  EXPECT_EQ(stored, big.size());
}

// Consumer-group mode: the failed record's offset is never committed; the next member of the
// group reads it again.

// A member of `group`; a durable store keeps its state in the test's directory `state`, the
// same for every member (a restart).
template <class Stores>
upsertkit::source_options group_options(const embedded_cluster& cluster, const std::string& topic,
                                        const bad_case& c, bool ignore, const std::string& group,
                                        const Stores& stores) {
  upsertkit::source_options options = options_for(cluster, topic, c, ignore, stores);
  options.properties["group.id"] = group;
  options.properties["session.timeout.ms"] = "6000";
  options.properties["heartbeat.interval.ms"] = "500";
  return options;
}

std::int64_t committed_offset(const embedded_cluster& cluster, const std::string& topic,
                              const std::string& group, std::int32_t partition) {
  return test_support::committed_offsets(cluster.bootstrap_servers(), group, topic,
                                         partition + 1)[static_cast<std::size_t>(partition)];
}

template <class Stores>
void failed_record_is_not_committed(const bad_case& c, const std::string& group,
                                    const Stores& stores) {
  using source_type = upsertkit::upsert_source<table, changes, typename Stores::store>;
  embedded_cluster cluster;
  const std::string topic = "group-" + c.name;
  cluster.create_topic(topic, 2);
  produce_case(cluster, topic, c);

  std::vector<std::string> first;
  {
    source_type source(group_options(cluster, topic, c, false, group, stores), changes{&first});
    try {
      source.read_to_end(30s);
      ADD_FAILURE() << "expected a record_error";
    } catch (const upsertkit::record_error& e) {
      expect_names_the_record(e, c, topic, 1, 1);
    }
    source.commit();  // commits what was handled: offset 0 only
  }                   // leaves the group
  EXPECT_EQ(first, std::vector<std::string>{"+Ia"});
  // The committed offset is the next record to read: the bad one.
  EXPECT_EQ(committed_offset(cluster, topic, group, 1), 1);

  // The next member reads the bad record again: under ignore-parse-errors it reaches the
  // dead-letter hook, then the rest is applied; record 0 is rebuilt without being emitted.
  // (With either store: a durable store's state, written under `fail`, is not reused under
  // ignore-parse-errors, whose rows may differ; it is rebuilt from the topic.)
  std::vector<std::string> second;
  source_type source(group_options(cluster, topic, c, true, group, stores), changes{&second});
  std::vector<std::int64_t> dead;
  source.pipeline().set_dead_letter_hook(
      [&](const upsertkit::record_view& r, const upsertkit::record_error&) {
        dead.push_back(r.where.offset);
      });
  source.read_to_end(60s);
  EXPECT_EQ(dead, std::vector<std::int64_t>{1});
  EXPECT_EQ(second, std::vector<std::string>{"+Ic"});
  EXPECT_EQ(source.counters().replayed, 1u);
  source.close();
  EXPECT_EQ(committed_offset(cluster, topic, group, 1), 3);
}

TYPED_TEST(BadInputGroup, MalformedJsonValueIsNotCommittedAndIsReadAgain) {
  for (const bad_case& c : catalogue())
    if (c.name == "MalformedJson") failed_record_is_not_committed(c, "g-malformed", this->stores);
}

TYPED_TEST(BadInputGroup, CsvKeyErrorIsNotCommittedAndIsReadAgain) {
  for (const bad_case& c : catalogue())
    if (c.name == "CsvKeyWithTooManyColumns")
      failed_record_is_not_committed(c, "g-csv-key", this->stores);
}

}  // namespace
}  // namespace bad_input_test
