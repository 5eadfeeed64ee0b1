// The nested column types (ARRAY, MAP, MULTISET, ROW) in the json format, and in the
// materializer's stored rows: decoding, encoding, errors naming the path, ignore-parse-errors,
// and identical-row suppression of nested values.
#include <gtest/gtest.h>
#include <upsertkit/formats/json.hpp>
#include <upsertkit/materializer.hpp>
#include <upsertkit/pipeline.hpp>
#include <upsertkit/row_codec.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "nested_table.hpp"

namespace nested_json_test {
namespace {

using test_nested::Address;
using test_nested::people;
using test_nested::Person;
using test_nested::Visit;

upsertkit::json::codec<people> value_codec(upsertkit::json::options opts = {}) {
  return upsertkit::json::codec<people>(upsertkit::table_projections<people>().value, opts,
                                        upsertkit::json::role::value);
}

constexpr std::string_view full_person =
    R"({"id":"p1","tags":["a",null,"c\"q"],"scores":[3,1,2],)"
    R"("attributes":{"eye":"blue","hair":null},"counters":{"x":7,"a":-1},)"
    R"("labels":{"vip":2},"home":{"zip":1234,"street":"Main","geo":{"lat":1.5,"lon":null}},)"
    R"("visits":[{"at":"2024-01-02 03:04:05.678","amount":"12.30"},null,{}],)"
    R"("groups":{"g":[1,null,3],"h":null,"e":[]}})";

TEST(NestedJsonDecode, EveryNestedTypeWithNullsAtEveryLevel) {
  auto codec = value_codec();
  Person p;
  ASSERT_TRUE(codec.decode(full_person, p).ok());
  EXPECT_EQ(p.id, "p1");
  ASSERT_TRUE(p.tags);
  ASSERT_EQ(p.tags->size(), 3u);
  EXPECT_EQ((*p.tags)[0], "a");
  EXPECT_FALSE((*p.tags)[1]);
  EXPECT_EQ((*p.tags)[2], "c\"q");
  EXPECT_EQ(p.scores, (std::vector<std::int32_t>{3, 1, 2}));
  ASSERT_TRUE(p.attributes);
  EXPECT_EQ(p.attributes->size(), 2u);
  EXPECT_EQ(p.attributes->at("eye"), "blue");
  EXPECT_FALSE(p.attributes->at("hair"));
  EXPECT_EQ(p.counters, (std::map<std::string_view, std::int64_t>{{"a", -1}, {"x", 7}}));
  ASSERT_TRUE(p.labels);
  EXPECT_EQ(p.labels->counts, (std::map<std::string, std::int32_t>{{"vip", 2}}));
  ASSERT_TRUE(p.home);
  EXPECT_EQ(p.home->street, "Main");
  EXPECT_EQ(p.home->zip, 1234);
  ASSERT_TRUE(p.home->geo);
  EXPECT_EQ(p.home->geo->lat, 1.5);
  EXPECT_FALSE(p.home->geo->lon);
  ASSERT_TRUE(p.visits);
  ASSERT_EQ(p.visits->size(), 3u);
  ASSERT_TRUE((*p.visits)[0]);
  EXPECT_EQ((*p.visits)[0]->at->millis_since_epoch, 1704164645678);
  EXPECT_EQ((*p.visits)[0]->amount->unscaled, 1230);
  EXPECT_FALSE((*p.visits)[1]);
  ASSERT_TRUE((*p.visits)[2]);  // {}: every field missing, so NULL
  EXPECT_FALSE((*p.visits)[2]->at);
  EXPECT_FALSE((*p.visits)[2]->amount);
  ASSERT_TRUE(p.groups);
  EXPECT_EQ(p.groups->at("g"), (std::vector<std::optional<std::int64_t>>{1, std::nullopt, 3}));
  EXPECT_FALSE(p.groups->at("h"));
  EXPECT_TRUE(p.groups->at("e")->empty());
}

TEST(NestedJsonDecode, UnescapedStringsInArraysAndKeysAreViewsIntoTheMessage) {
  auto codec = value_codec();
  const std::string message = R"({"id":"p","tags":["plain"],"scores":[],"counters":{"key":1}})";
  Person p;
  ASSERT_TRUE(codec.decode(message, p).ok());
  const auto inside = [&](std::string_view v) {
    return v.data() >= message.data() && v.data() + v.size() <= message.data() + message.size();
  };
  EXPECT_TRUE(inside(*(*p.tags)[0]));
  EXPECT_TRUE(inside(p.counters.begin()->first));
}

TEST(NestedJsonDecode, EmptyAndNullCollections) {
  auto codec = value_codec();
  Person p;
  ASSERT_TRUE(codec
                  .decode(R"({"id":"p","tags":[],"scores":[],"attributes":{},"counters":{},)"
                          R"("labels":null,"home":null,"visits":[],"groups":{}})",
                          p)
                  .ok());
  EXPECT_TRUE(p.tags && p.tags->empty());
  EXPECT_TRUE(p.scores.empty());
  EXPECT_TRUE(p.attributes && p.attributes->empty());
  EXPECT_FALSE(p.labels);
  EXPECT_FALSE(p.home);
  EXPECT_TRUE(p.visits && p.visits->empty());
}

TEST(NestedJsonDecode, ReusedRowKeepsNothingFromTheLastRecord) {
  auto codec = value_codec();
  Person p;
  ASSERT_TRUE(codec.decode(full_person, p).ok());
  ASSERT_TRUE(codec
                  .decode(R"({"id":"p2","tags":["z"],"scores":[9],"counters":{},)"
                          R"("home":{"zip":1},"groups":{"g":[5]}})",
                          p)
                  .ok());
  EXPECT_EQ(p.tags->size(), 1u);
  EXPECT_EQ(p.scores, (std::vector<std::int32_t>{9}));
  EXPECT_FALSE(p.attributes);
  EXPECT_TRUE(p.counters.empty());
  EXPECT_FALSE(p.home->street);
  EXPECT_FALSE(p.home->geo);
  EXPECT_EQ(p.groups->size(), 1u);
  EXPECT_EQ(p.groups->at("g")->size(), 1u);
}

TEST(NestedJsonDecode, ErrorsNameThePathInsideTheColumn) {
  auto codec = value_codec();
  Person p;
  auto failure = [&](std::string_view message) {
    const upsertkit::decode_status status = codec.decode(message, p);
    EXPECT_FALSE(status.ok()) << message;
    return status.failed() ? status.failure().field + ": " + status.failure().message
                           : std::string();
  };
  EXPECT_EQ(failure(R"({"id":"p","scores":[1,"x"],"counters":{}})"),
            "scores[1]: cannot read \"x\" as INT");
  EXPECT_EQ(failure(R"({"id":"p","scores":[1,null],"counters":{}})"),
            "scores[1]: null, and the element is NOT NULL");
  EXPECT_EQ(failure(R"({"id":"p","scores":[],"counters":{},"home":{"zip":"z"}})"),
            "home.zip: cannot read \"z\" as INT");
  EXPECT_EQ(failure(R"({"id":"p","scores":[],"counters":{},"home":{"street":"s"}})"),
            "home.zip: missing, and the field is NOT NULL");
  EXPECT_EQ(failure(R"({"id":"p","scores":[],"counters":{},"home":{"zip":1,"geo":{"lat":true}}})"),
            "home.geo.lat: cannot read true as DOUBLE");
  EXPECT_EQ(failure(R"({"id":"p","scores":[],"counters":{},"visits":[null,{"amount":"x"}]})"),
            "visits[1].amount: cannot read \"x\" as DECIMAL");
  EXPECT_EQ(failure(R"({"id":"p","scores":[],"counters":{"a\"b":"n"}})"),
            "counters[\"a\"b\"]: cannot read \"n\" as BIGINT");
  EXPECT_EQ(failure(R"({"id":"p","scores":{"a":1},"counters":{}})"),
            "scores: cannot read a JSON object as ARRAY<INT NOT NULL>");
  EXPECT_EQ(failure(R"({"id":"p","scores":[],"counters":[]})"),
            "counters: cannot read a JSON array as MAP<STRING, BIGINT NOT NULL>");
  EXPECT_EQ(failure(R"({"id":"p","scores":[],"counters":{},"home":"Main St"})"),
            "home: cannot read \"Main St\" as ROW<street STRING, zip INT NOT NULL, "
            "geo ROW<lat DOUBLE, lon DOUBLE>>");
  EXPECT_EQ(failure(R"({"id":"p","scores":null,"counters":{}})"),
            "scores: null, and the column is NOT NULL");
  // Malformed JSON inside a nested value is a malformed message.
  EXPECT_NE(failure(R"({"id":"p","scores":[1,],"counters":{}})").find("not a well-formed"),
            std::string::npos);
}

TEST(NestedJsonDecode, FailOnMissingFieldAppliesToRowFields) {
  upsertkit::json::options opts;
  opts.fail_on_missing_field = true;
  auto codec = value_codec(opts);
  Person p;
  const auto status =
      codec.decode(R"({"id":"p","tags":null,"scores":[],"attributes":null,"counters":{},)"
                   R"("labels":null,"home":{"zip":1},"visits":null,"groups":null})",
                   p);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.failure().field, "home.street");
  EXPECT_EQ(status.failure().message, "Some field is missing in the JSON data.");
}

TEST(NestedJsonDecode, IgnoreParseErrorsNullsTheInnermostNullableValue) {
  upsertkit::json::options opts;
  opts.ignore_parse_errors = true;
  auto codec = value_codec(opts);
  Person p;
  // A bad element of a nullable-element array: that element is NULL, the others are kept.
  ASSERT_TRUE(codec
                  .decode(R"({"id":"p","groups":{"g":[1,"x",3]},"scores":[],"counters":{},)"
                          R"("home":{"zip":"bad","street":"s"},"visits":[{"amount":"y"},{}]})",
                          p)
                  .ok());
  EXPECT_EQ(p.groups->at("g"), (std::vector<std::optional<std::int64_t>>{1, std::nullopt, 3}));
  // zip is NOT NULL: the nearest nullable level is the column `home` itself.
  EXPECT_FALSE(p.home);
  // amount is nullable: only it is NULL, the ROW and the array stay.
  ASSERT_EQ(p.visits->size(), 2u);
  ASSERT_TRUE((*p.visits)[0]);
  EXPECT_FALSE((*p.visits)[0]->amount);
  // A NOT NULL column has no NULL to fall back on.
  const auto status = codec.decode(R"({"id":"p","scores":["x"],"counters":{}})", p);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.failure().field, "scores[0]");
}

TEST(NestedJsonDecode, StringElementsTakeNestedJsonAsText) {
  auto codec = value_codec();
  Person p;
  ASSERT_TRUE(codec.decode(R"({"id":"p","tags":[{"a":1},[2]],"scores":[],"counters":{}})", p).ok());
  EXPECT_EQ((*p.tags)[0], R"({"a":1})");
  EXPECT_EQ((*p.tags)[1], "[2]");
}

TEST(NestedJsonDecode, DuplicateMapKeyKeepsTheLastValue) {
  auto codec = value_codec();
  Person p;
  ASSERT_TRUE(codec.decode(R"({"id":"p","scores":[],"counters":{"a":1,"a":2}})", p).ok());
  EXPECT_EQ(p.counters.at("a"), 2);
}

TEST(NestedJsonEncode, WritesWhatFlinkWrites) {
  auto codec = value_codec();
  Person p;
  ASSERT_TRUE(codec.decode(full_person, p).ok());
  std::string out;
  codec.encode(p, out);
  EXPECT_EQ(
      out,
      R"({"id":"p1","tags":["a",null,"c\"q"],"scores":[3,1,2],)"
      R"("attributes":{"eye":"blue","hair":null},"counters":{"a":-1,"x":7},)"
      R"("labels":{"vip":2},"home":{"street":"Main","zip":1234,"geo":{"lat":1.5,"lon":null}},)"
      R"("visits":[{"at":"2024-01-02 03:04:05.678","amount":12.30},null,{"at":null,"amount":null}],)"
      R"("groups":{"e":[],"g":[1,null,3],"h":null}})");
  // And it reads back to the same row (with another codec: `p`'s unescaped strings live in
  // the first codec's buffer until its next decode).
  auto reader = value_codec();
  Person again;
  ASSERT_TRUE(reader.decode(out, again).ok());
  std::string a, b;
  upsertkit::row_codec<people>::encode(p, a);
  upsertkit::row_codec<people>::encode(again, b);
  EXPECT_EQ(a, b);
}

TEST(NestedJsonEncode, IgnoreNullFieldsLeavesOutNullRowFieldsToo) {
  upsertkit::json::options opts;
  opts.encode_ignore_null_fields = true;
  auto codec = value_codec(opts);
  Person p;
  p.id = "p";
  p.home = Address{std::nullopt, 5, std::nullopt};
  p.visits = std::vector<std::optional<Visit>>{std::nullopt};
  std::string out;
  codec.encode(p, out);
  EXPECT_EQ(out, R"({"id":"p","scores":[],"counters":{},"home":{"zip":5},"visits":[null]})");
}

struct IntKeys {
  std::string_view id;
  std::optional<std::vector<std::map<std::int32_t, std::string>>> by_number;
};

}  // namespace
}  // namespace nested_json_test

BOOST_HANA_ADAPT_STRUCT(nested_json_test::IntKeys, id, by_number);

namespace nested_json_test {
namespace {

TEST(NestedJsonCodec, NonStringMapKeysAreRefusedAsFlinkRefusesThem) {
  using table = upsertkit::table<IntKeys, upsertkit::primary_key<"id">>;
  try {
    upsertkit::json::codec<table> codec(upsertkit::table_projections<table>().value);
    FAIL() << "a MAP with INT keys was accepted";
  } catch (const upsertkit::config_error& e) {
    EXPECT_STREQ(e.what(),
                 "JSON format doesn't support non-string as key type of map. The type is: "
                 "MAP<INT, STRING NOT NULL>");
  }
}

struct changes {
  std::vector<std::string>* out;
  void operator()(const upsertkit::change<Person>& c) {
    std::string line(upsertkit::short_string(c.kind));
    line += ' ';
    line += c.row.id;
    line += c.row.tags && !c.row.tags->empty() && (*c.row.tags)[0]
                ? " " + std::string(*(*c.row.tags)[0])
                : "";
    if (c.row.counters.count("x")) line += " x=" + std::to_string(c.row.counters.at("x"));
    out->push_back(line);
  }
};

TEST(NestedMaterializer, IdenticalNestedRowsAreSuppressedWhateverTheMapOrder) {
  std::vector<std::string> out;
  upsertkit::materializer<people, changes> m{changes{&out}};
  auto codec = value_codec();
  auto apply = [&](std::string_view message) {
    Person p;
    ASSERT_TRUE(codec.decode(message, p).ok()) << message;
    m.upsert(0, p);
  };
  apply(R"({"id":"k","tags":["t1"],"scores":[1],"counters":{"x":1,"y":2},"home":{"zip":1}})");
  // Same row: the map's entries and the ROW's fields in another order.
  apply(R"({"id":"k","home":{"zip":1},"counters":{"y":2,"x":1},"scores":[1],"tags":["t1"]})");
  // A change deep inside: an update whose -U carries the stored nested values.
  apply(R"({"id":"k","tags":["t2"],"scores":[1],"counters":{"x":3,"y":2},"home":{"zip":1}})");
  apply(R"({"id":"k","tags":["t2"],"scores":[1],"counters":{"x":3,"y":2},"home":{"zip":2}})");
  EXPECT_EQ(out, (std::vector<std::string>{"+I k t1 x=1", "-U k t1 x=1", "+U k t2 x=3",
                                           "-U k t2 x=3", "+U k t2 x=3"}));
}

}  // namespace
}  // namespace nested_json_test

namespace nested_json_test {
namespace {

// Integer elements take simdjson's integer parser first; every other token must still be read
// (or refused) as a top-level INT/BIGINT column is.
TEST(NestedJsonDecode, IntegerElementsOfEveryShape) {
  auto codec = value_codec();
  Person p;
  ASSERT_TRUE(codec
                  .decode(R"({"id":"p","scores":[0,-0,2147483647,-2147483648,"17",1.9,-2.5e0],)"
                          R"("counters":{"max":9223372036854775807,"min":-9223372036854775808}})",
                          p)
                  .ok());
  EXPECT_EQ(p.scores, (std::vector<std::int32_t>{0, 0, 2147483647, -2147483647 - 1, 17, 1, -2}));
  EXPECT_EQ(p.counters.at("max"), std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(p.counters.at("min"), std::numeric_limits<std::int64_t>::min());
  auto fails = [&](std::string_view scores) {
    const std::string message =
        R"({"id":"p","counters":{},"scores":[)" + std::string(scores) + "]}";
    return !codec.decode(message, p).ok();
  };
  EXPECT_TRUE(fails("2147483648"));
  EXPECT_TRUE(fails("-2147483649"));
  EXPECT_TRUE(fails("true"));
  EXPECT_TRUE(fails("01"));
  EXPECT_TRUE(fails("1x"));
}

}  // namespace
}  // namespace nested_json_test

namespace nested_json_test {
struct NoFields {};
struct OneField {
  std::int32_t x;
};
}  // namespace nested_json_test

BOOST_HANA_ADAPT_STRUCT(nested_json_test::NoFields);
BOOST_HANA_ADAPT_STRUCT(nested_json_test::OneField, x);

namespace nested_json_test {
// A ROW has at least one field: a field-less one would encode in no bytes, so a few bytes of
// message could claim an ARRAY of any length of them.
static_assert(!upsertkit::column_type<NoFields>);
static_assert(!upsertkit::column_type<std::vector<NoFields>>);
static_assert(upsertkit::column_type<std::vector<OneField>>);
static_assert(!upsertkit::column_type<std::map<std::optional<std::string>, int>>,
              "MAP keys are NOT NULL");
static_assert(!upsertkit::column_type<upsertkit::multiset<std::optional<std::string>>>,
              "MULTISET elements are NOT NULL");
}  // namespace nested_json_test

namespace nested_json_test {

struct WindowInner {
  std::optional<upsertkit::bytes> b;
};

}  // namespace nested_json_test

BOOST_HANA_ADAPT_STRUCT(nested_json_test::WindowInner, b);

namespace nested_json_test {

struct WindowRow {
  std::string_view id;
  std::optional<std::vector<std::string_view>> tags;
  std::optional<std::map<std::string_view, std::string_view>> attrs;
  std::optional<WindowInner> inner;
};

}  // namespace nested_json_test

BOOST_HANA_ADAPT_STRUCT(nested_json_test::WindowRow, id, tags, attrs, inner);

namespace nested_json_test {
namespace {

struct window_lines {
  std::vector<std::string>* out;
  void operator()(const upsertkit::change<WindowRow>& c) {
    std::string line(c.row.id);
    for (std::string_view tag : *c.row.tags)
      line += " [" + std::string(tag) + "]";
    for (const auto& [k, v] : *c.row.attrs)
      line += " {" + std::string(k) + "=" + std::string(v) + "}";
    line += " b=" + std::string(c.row.inner->b->view());
    out->push_back(line);
  }
};

// A window of records is decoded before the materializer takes the first: views into the
// codec's buffers (escaped strings, keys, base64 BYTES) inside nested values must be kept
// alive as the top-level ones are, or the next record's decode overwrites them.
TEST(NestedPipeline, ViewsInsideNestedValuesSurviveTheDecodeWindow) {
  using table = upsertkit::table<WindowRow, upsertkit::primary_key<"id">>;
  std::vector<std::string> out;
  upsertkit::format_config formats;
  upsertkit::upsert_pipeline<table, window_lines> pipeline(formats, window_lines{&out});
  const std::string k1 = R"({"id":"k1"})", k2 = R"({"id":"k2"})";
  const std::string v1 =
      R"({"id":"k1","tags":["a\"1","b\"1"],"attrs":{"k\"1":"v\"1","p":"q\"1"},"inner":{"b":"QUFBQQ=="}})";
  const std::string v2 =
      R"({"id":"k2","tags":["X\"2","Y\"2"],"attrs":{"k\"2":"v\"2","p":"q\"2"},"inner":{"b":"Wlpa"}})";
  upsertkit::record_view records[2];
  records[0].key = k1;
  records[0].value = v1;
  records[1].key = k2;
  records[1].value = v2;
  pipeline.apply(std::span<const upsertkit::record_view>(records, 2)).rethrow_if_failed();
  EXPECT_EQ(out, (std::vector<std::string>{R"(k1 [a"1] [b"1] {k"1=v"1} {p=q"1} b=AAAA)",
                                           R"(k2 [X"2] [Y"2] {k"2=v"2} {p=q"2} b=ZZZ)"}));
}

}  // namespace
}  // namespace nested_json_test
