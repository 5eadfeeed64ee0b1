// upsertkit::json against Flink's `json` format (flink-json JsonParserToRowDataConverters,
// RowDataToJsonConverters, JsonFormatOptionsUtil): decoding, encoding and option parsing.
#include <gtest/gtest.h>
#include <upsertkit/formats/json.hpp>
#include <upsertkit/schema.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "orders/orders_table.hpp"

namespace json_test {

// One nullable column of every type.
struct Typed {
  std::string_view id;
  std::optional<bool> flag;
  std::optional<std::int8_t> i8;
  std::optional<std::int16_t> i16;
  std::optional<std::int32_t> i32;
  std::optional<std::int64_t> i64;
  std::optional<float> f32;
  std::optional<double> f64;
  std::optional<upsertkit::decimal<10, 2>> dec;
  std::optional<upsertkit::decimal<18, 9>> small;
  std::optional<upsertkit::date> day;
  std::optional<upsertkit::timestamp> ts;
  std::optional<std::string> text;
  friend bool operator==(const Typed&, const Typed&) = default;
};

// NOT NULL non-key columns.
struct Strict {
  std::string_view id;
  std::int32_t qty = 0;
  upsertkit::decimal<4, 2> price;
  std::optional<std::string_view> note;
};

// Every column type, NOT NULL and nullable, for encode -> decode round trips.
struct AllTypes {
  std::int64_t id = 0;
  bool b = false;
  std::int8_t i8 = 0;
  std::int16_t i16 = 0;
  std::int32_t i32 = 0;
  std::int64_t i64 = 0;
  float f32 = 0;
  double f64 = 0;
  upsertkit::decimal<10, 2> dec;
  upsertkit::date day;
  upsertkit::timestamp ts;
  std::string s;
  std::string_view sv;
  std::optional<bool> nb;
  std::optional<std::int8_t> ni8;
  std::optional<std::int16_t> ni16;
  std::optional<std::int32_t> ni32;
  std::optional<std::int64_t> ni64;
  std::optional<float> nf32;
  std::optional<double> nf64;
  std::optional<upsertkit::decimal<10, 2>> ndec;
  std::optional<upsertkit::date> nday;
  std::optional<upsertkit::timestamp> nts;
  std::optional<std::string> ns;
  std::optional<std::string_view> nsv;
  friend bool operator==(const AllTypes&, const AllTypes&) = default;
};

// A key column whose name carries `key.fields-prefix`.
struct Prefixed {
  std::string_view k_id;
  std::optional<std::string_view> name;
};

// Names of every length around the key lookup's word sizes, sharing prefixes.
struct Names {
  std::string_view a;
  std::optional<std::string_view> ab;
  std::optional<std::string_view> abcdefg;
  std::optional<std::string_view> abcdefgh;
  std::optional<std::string_view> abcdefghijklmno;
  std::optional<std::string_view> abcdefghijklmnop;
  std::optional<std::string_view> abcdefghijklmnopq;
  std::optional<double> abcdefghijklmnopqrstuvwxyz_0123456789;
  friend bool operator==(const Names&, const Names&) = default;
};

}  // namespace json_test

BOOST_HANA_ADAPT_STRUCT(json_test::Names, a, ab, abcdefg, abcdefgh, abcdefghijklmno,
                        abcdefghijklmnop, abcdefghijklmnopq, abcdefghijklmnopqrstuvwxyz_0123456789);
BOOST_HANA_ADAPT_STRUCT(json_test::Typed, id, flag, i8, i16, i32, i64, f32, f64, dec, small, day,
                        ts, text);
BOOST_HANA_ADAPT_STRUCT(json_test::Strict, id, qty, price, note);
BOOST_HANA_ADAPT_STRUCT(json_test::AllTypes, id, b, i8, i16, i32, i64, f32, f64, dec, day, ts, s,
                        sv, nb, ni8, ni16, ni32, ni64, nf32, nf64, ndec, nday, nts, ns, nsv);
BOOST_HANA_ADAPT_STRUCT(json_test::Prefixed, k_id, name);

namespace json_test {

namespace json = upsertkit::json;
using upsertkit::date;
using upsertkit::timestamp;

// The seed's orders table, shared with the examples.
using Order = ::orders::Order;
using orders = ::orders::table;
using typed = upsertkit::table<Typed, upsertkit::primary_key<"id">>;
using strict = upsertkit::table<Strict, upsertkit::primary_key<"id">>;
using all_types = upsertkit::table<AllTypes, upsertkit::primary_key<"id">>;
using prefixed = upsertkit::table<Prefixed, upsertkit::primary_key<"k_id">>;
using names = upsertkit::table<Names, upsertkit::primary_key<"a">>;

template <class Table>
json::codec<Table> value_codec(json::options opts = {}, upsertkit::key_value_layout layout = {}) {
  upsertkit::table_projections<Table> p(layout);
  return json::codec<Table>(p.value, opts, json::role::value);
}

template <class Table>
json::codec<Table> key_codec(json::options opts = {}, upsertkit::key_value_layout layout = {}) {
  upsertkit::table_projections<Table> p(layout);
  return json::codec<Table>(p.key, opts, json::role::key);
}

bool points_into(std::string_view view, std::string_view buffer) {
  const auto begin = reinterpret_cast<std::uintptr_t>(buffer.data());
  const auto at = reinterpret_cast<std::uintptr_t>(view.data());
  return at >= begin && at + view.size() <= begin + buffer.size();
}

const std::string seed_value =
    R"({"order_id":"202303251202020001", "order_channel":"miniAppShop", "order_time":"2023-03-25 12:02:02", "pay_amount":"60.00", "real_pay":"60.00", "pay_time":"2023-03-25 12:03:00", "user_id":"0002", "user_name":"Bob", "area_id":"330110"})";

// 2020-03-08 13:12:11 in epoch milliseconds; 2023-03-25 in epoch days.
constexpr std::int64_t k20200308_131211 = 1583673131000;
constexpr std::int32_t k20230325 = 19441;

// Decodes `message` into a fresh Typed row (id preset) with the given options.
struct typed_result {
  upsertkit::decode_status status;
  Typed row;
};
typed_result decode_typed(std::string_view message, json::options opts = {}) {
  auto codec = value_codec<typed>(opts);
  typed_result result;
  result.status = codec.decode(message, result.row);
  return result;
}

// ---------------------------------------------------------------------------------------------
// Decoding

TEST(JsonDecode, SeedValueReadsNumbersInStrings) {
  auto codec = value_codec<orders>();
  Order row;
  const auto status = codec.decode(seed_value, row);
  ASSERT_TRUE(status.ok()) << status.describe();
  EXPECT_EQ(row.order_id, "202303251202020001");
  EXPECT_EQ(row.order_channel, "miniAppShop");
  EXPECT_EQ(row.order_time, "2023-03-25 12:02:02");
  EXPECT_EQ(row.pay_amount, 60.0);
  EXPECT_EQ(row.real_pay, 60.0);
  EXPECT_EQ(row.pay_time, "2023-03-25 12:03:00");
  EXPECT_EQ(row.user_id, "0002");
  EXPECT_EQ(row.user_name, "Bob");
  EXPECT_EQ(row.area_id, "330110");
}

TEST(JsonDecode, UnescapedStringsAreViewsIntoTheMessage) {
  auto codec = value_codec<orders>();
  Order row;
  ASSERT_TRUE(codec.decode(seed_value, row));
  EXPECT_EQ(row.order_id.data(), seed_value.data() + seed_value.find("202303251202020001"));
  ASSERT_TRUE(row.user_name.has_value());
  EXPECT_EQ(row.user_name->data(), seed_value.data() + seed_value.find("Bob"));
  ASSERT_TRUE(row.order_time.has_value());
  EXPECT_EQ(row.order_time->data(), seed_value.data() + seed_value.find("2023-03-25 12:02:02"));
}

TEST(JsonDecode, EscapedStringsAreUnescapedCopies) {
  auto codec = value_codec<orders>();
  const std::string message =
      R"({"order_id":"a\"b","order_channel":"\u00e9t\u00e9","user_name":"tab\there\\","user_id":"\ud83d\ude00","area_id":"plain"})";
  Order row;
  const auto status = codec.decode(message, row);
  ASSERT_TRUE(status.ok()) << status.describe();
  EXPECT_EQ(row.order_id, "a\"b");
  EXPECT_FALSE(points_into(row.order_id, message));
  EXPECT_EQ(row.order_channel, "\xc3\xa9t\xc3\xa9");
  EXPECT_FALSE(points_into(*row.order_channel, message));
  EXPECT_EQ(row.user_name, "tab\there\\");
  EXPECT_EQ(row.user_id, "\xf0\x9f\x98\x80");  // a surrogate pair becomes one code point
  ASSERT_TRUE(row.area_id.has_value());
  EXPECT_TRUE(points_into(*row.area_id, message));
  EXPECT_EQ(row.area_id, "plain");
}

TEST(JsonDecode, EscapedFieldNamesMatchTheirUnescapedName) {
  auto codec = value_codec<orders>();
  Order row;
  ASSERT_TRUE(codec.decode(R"({"order\u005fid":"k","user\u005Fname":"Bob"})", row));
  EXPECT_EQ(row.order_id, "k");
  EXPECT_EQ(row.user_name, "Bob");
}

TEST(JsonDecode, FieldOrderDoesNotMatter) {
  auto codec = value_codec<orders>();
  Order in_order, shuffled;
  ASSERT_TRUE(codec.decode(seed_value, in_order));
  const std::string reversed =
      R"({"area_id":"330110","user_name":"Bob","user_id":"0002","pay_time":"2023-03-25 12:03:00","real_pay":"60.00","pay_amount":"60.00","order_time":"2023-03-25 12:02:02","order_channel":"miniAppShop","order_id":"202303251202020001"})";
  ASSERT_TRUE(codec.decode(reversed, shuffled));
  EXPECT_EQ(shuffled, in_order);
  const std::string mixed =
      R"({"user_id":"0002","order_id":"202303251202020001","pay_amount":60.00,"area_id":"330110","order_channel":"miniAppShop","real_pay":60,"user_name":"Bob","order_time":"2023-03-25 12:02:02","pay_time":"2023-03-25 12:03:00"})";
  ASSERT_TRUE(codec.decode(mixed, shuffled));
  EXPECT_EQ(shuffled, in_order);
}

// Every permutation tried of one record's fields, its values of every kind the decoder
// reads in its two passes (plain string texts converted after the walk; escaped strings,
// numbers, null and nested values decoded during it), decodes to the same row.
TEST(JsonDecode, AnyFieldOrderGivesTheSameRow) {
  const std::vector<std::pair<std::string, std::string>> variants[] = {
      {{"order_id", R"("202303251202020001")"},
       {"order_channel", R"("miniAppShop")"},
       {"order_time", R"("2023-03-25 12:02:02")"},
       {"pay_amount", R"("60.00")"},
       {"real_pay", R"("1e2")"},
       {"pay_time", R"("2023-03-25 12:03:00")"},
       {"user_id", R"("0002")"},
       {"user_name", R"("B\"ob")"},
       {"area_id", R"("330110")"}},
      {{"order_id", R"("k")"},
       {"order_channel", R"({"a":[1]})"},
       {"order_time", "null"},
       {"pay_amount", "60.5"},
       {"real_pay", R"(" 7 ")"},
       {"pay_time", "12"},
       {"user_id", R"("")"},
       {"user_name", R"("\u00e9")"},
       {"area_id", R"("x")"},
       {"unknown", R"("skipped")"}},
  };
  auto codec = value_codec<orders>();
  std::mt19937 random(2026);
  for (auto fields : variants) {
    auto object = [&] {
      std::string json = "{";
      for (const auto& [name, value] : fields) {
        // Appended piece by piece: GCC 12 at -O3 warns (stringop-overflow) on the operator+ chain.
        if (json.size() > 1) json += ',';
        json.append("\"").append(name).append("\":").append(value);
      }
      return json + "}";
    };
    const std::string first = object();  // the expected row's views point into it
    Order expected;
    ASSERT_TRUE(codec.decode(first, expected));
    const std::string expected_channel(expected.order_channel.value_or("-"));
    const std::string expected_name(expected.user_name.value_or("-"));
    for (int trial = 0; trial < 500; ++trial) {
      std::shuffle(fields.begin(), fields.end(), random);
      const std::string json = object();
      Order row;
      ASSERT_TRUE(codec.decode(json, row)) << json;
      EXPECT_EQ(row.order_id, expected.order_id) << json;
      EXPECT_EQ(row.order_channel.value_or("-"), expected_channel) << json;
      EXPECT_EQ(row.order_time, expected.order_time) << json;
      EXPECT_EQ(row.pay_amount, expected.pay_amount) << json;
      EXPECT_EQ(row.real_pay, expected.real_pay) << json;
      EXPECT_EQ(row.pay_time, expected.pay_time) << json;
      EXPECT_EQ(row.user_id, expected.user_id) << json;
      EXPECT_EQ(row.user_name.value_or("-"), expected_name) << json;
      EXPECT_EQ(row.area_id, expected.area_id) << json;
    }
  }
}

// Strings that are not plain decimals still read as Double.parseDouble reads them, and a bad
// one names its field, whichever pass converts it.
TEST(JsonDecode, NumbersInStringsOfEveryShape) {
  auto codec = value_codec<orders>();
  Order row;
  ASSERT_TRUE(codec.decode(R"({"order_id":"k","pay_amount":"1.5E3","real_pay":" -0.25 "})", row));
  EXPECT_EQ(row.pay_amount, 1500.0);
  EXPECT_EQ(row.real_pay, -0.25);
  ASSERT_TRUE(codec.decode(R"({"order_id":"k","pay_amount":"NaN","real_pay":"-Infinity"})", row));
  EXPECT_TRUE(std::isnan(*row.pay_amount));
  EXPECT_EQ(row.real_pay, -std::numeric_limits<double>::infinity());
  ASSERT_TRUE(codec.decode(R"({"order_id":"k","pay_amount":"0.1","real_pay":"1e400"})", row));
  EXPECT_EQ(row.pay_amount, 0.1);
  EXPECT_EQ(row.real_pay, std::numeric_limits<double>::infinity());
  const auto status = codec.decode(R"({"order_id":"k","real_pay":"6O.00","user_id":"u"})", row);
  ASSERT_TRUE(status.failed());
  EXPECT_EQ(status.failure().field, "real_pay");
  EXPECT_NE(status.failure().message.find(R"("6O.00")"), std::string::npos)
      << status.failure().message;
}

// A field given twice: the last occurrence wins and every one is read, also when the earlier
// one is a plain string text left for the second pass.
TEST(JsonDecode, DuplicateFieldEveryOccurrenceIsRead) {
  auto codec = value_codec<orders>();
  Order row;
  ASSERT_TRUE(codec.decode(R"({"order_id":"x","pay_amount":"1","pay_amount":"2"})", row));
  EXPECT_EQ(row.pay_amount, 2.0);
  ASSERT_TRUE(codec.decode(R"({"order_id":"x","pay_amount":"1","pay_amount":null})", row));
  EXPECT_EQ(row.pay_amount, std::nullopt);
  ASSERT_TRUE(codec.decode(R"({"order_id":"x","pay_amount":null,"pay_amount":"2.5"})", row));
  EXPECT_EQ(row.pay_amount, 2.5);
  ASSERT_TRUE(codec.decode(R"({"order_id":"x","user_name":"a","user_name":"b\n"})", row));
  EXPECT_EQ(row.user_name, "b\n");
  ASSERT_TRUE(codec.decode(R"({"order_id":"x","user_name":"a\n","user_name":"b"})", row));
  EXPECT_EQ(row.user_name, "b");
  const auto status = codec.decode(R"({"order_id":"x","pay_amount":"x","pay_amount":3})", row);
  ASSERT_TRUE(status.failed());
  EXPECT_EQ(status.failure().field, "pay_amount");
}

TEST(JsonDecode, KeysMatchWholeNamesOfAnyLength) {
  auto codec = value_codec<names>();
  Names expected;
  expected.a = "1";
  expected.ab = "2";
  expected.abcdefg = "7";
  expected.abcdefgh = "8";
  expected.abcdefghijklmno = "15";
  expected.abcdefghijklmnop = "16";
  expected.abcdefghijklmnopq = "17";
  expected.abcdefghijklmnopqrstuvwxyz_0123456789 = 36.5;
  const std::string all =
      R"({"abcdefghijklmnopq":"17","a":"1","abcdefghijklmnopqrstuvwxyz_0123456789":"36.5",)"
      R"("abcdefgh":"8","ab":"2","abcdefghijklmnop":"16","abcdefg":"7","abcdefghijklmno":"15"})";
  Names row;
  ASSERT_TRUE(codec.decode(all, row));
  EXPECT_EQ(row, expected);
  // Prefixes and extensions of the names are other fields; escaped names are the same.
  const std::string others =
      R"({"a":"x","abc":"no","abcdefghijklmnopqr":"no","abcdefghijklmnopqrstuvwxyz_012345678":1,)"
      R"("abcdefghijklmnopqrstuvwxyz_01234567890":2,"abcdefghijklmn":"no","b":"no","":"no",)"
      R"("abcdefghijklmnopqrstuvwxyz_0123456789a":3,"abcdefgi":"no","abcdefghijklmnoq":"no",)"
      R"("abcdefghijklmnopq":"esc","abcdefghijklmnopqrstuvwxyz_0123456789":-2,)"
      R"("ab":"esc2"})";
  Names other;
  ASSERT_TRUE(codec.decode(others, other)) << codec.decode(others, other).describe();
  EXPECT_EQ(other.a, "x");
  EXPECT_EQ(other.ab, "esc2");
  EXPECT_EQ(other.abcdefg, std::nullopt);
  EXPECT_EQ(other.abcdefgh, std::nullopt);
  EXPECT_EQ(other.abcdefghijklmno, std::nullopt);
  EXPECT_EQ(other.abcdefghijklmnop, std::nullopt);
  EXPECT_EQ(other.abcdefghijklmnopq, "esc");
  EXPECT_EQ(other.abcdefghijklmnopqrstuvwxyz_0123456789, -2.0);
  // A long key cut short by the end of the message is malformed, not read past its end.
  for (std::string cut : {R"({"a":"x","abcdefghijklmnopqrstuvwxyz_01)",
                          R"({"a":"x","abcdefghijklmnopqrstuvwxyz_0123456789)",
                          R"({"a":"x","abcdefghijklmnopqrstuvwxyz_0123456789")"}) {
    Names cut_row;
    EXPECT_TRUE(codec.decode(cut, cut_row).failed()) << cut;
  }
}

TEST(JsonDecode, UnknownFieldsOfAnyShapeAreSkipped) {
  auto codec = value_codec<orders>();
  Order row;
  const auto status = codec.decode(
      R"({"extra":1,"order_id":"x","nested":{"a":[1,{"b":2}],"order_id":"inner"},"arr":[1,[2,3],{}],"s":"str","t":true,"n":null,"pay_amount":1.5,"Order_Id":"case"})",
      row);
  ASSERT_TRUE(status.ok()) << status.describe();
  EXPECT_EQ(row.order_id, "x");  // neither the nested nor the differently-cased name
  EXPECT_EQ(row.pay_amount, 1.5);
  EXPECT_EQ(row.user_name, std::nullopt);
}

TEST(JsonDecode, MissingNullableFieldsBecomeNull) {
  auto codec = value_codec<orders>();
  Order row;
  row.order_channel = "stale";
  row.pay_amount = 1.0;
  row.area_id = "stale";
  const auto status = codec.decode(R"({"order_id":"x","user_name":"Bob"})", row);
  ASSERT_TRUE(status.ok()) << status.describe();
  EXPECT_EQ(row.order_channel, std::nullopt);
  EXPECT_EQ(row.pay_amount, std::nullopt);
  EXPECT_EQ(row.area_id, std::nullopt);
  EXPECT_EQ(row.user_name, "Bob");
}

TEST(JsonDecode, MissingNotNullColumnFailsNamingIt) {
  auto codec = value_codec<strict>();
  Strict row;
  const auto status = codec.decode(R"({"id":"x","price":1.5})", row);
  ASSERT_TRUE(status.failed());
  EXPECT_EQ(status.failure().field, "qty");
  EXPECT_NE(status.describe().find("qty"), std::string::npos);
  Strict complete;
  ASSERT_TRUE(codec.decode(R"({"id":"x","price":1.5,"qty":3})", complete));
  EXPECT_EQ(complete.qty, 3);
  EXPECT_EQ(complete.price.unscaled, 150);
  EXPECT_EQ(complete.note, std::nullopt);
}

TEST(JsonDecode, FailOnMissingField) {
  json::options opts;
  opts.fail_on_missing_field = true;
  auto codec = value_codec<orders>(opts);
  Order row;
  const auto status = codec.decode(R"({"order_id":"x","order_channel":"c"})", row);
  ASSERT_TRUE(status.failed());
  EXPECT_EQ(status.failure().message, "Some field is missing in the JSON data.");
  EXPECT_EQ(status.failure().field, "order_time");  // the first one missing
  // Present but null is not missing.
  const auto all_present = codec.decode(
      R"({"order_id":"x","order_channel":null,"order_time":null,"pay_amount":null,"real_pay":null,"pay_time":null,"user_id":null,"user_name":null,"area_id":null})",
      row);
  EXPECT_TRUE(all_present.ok()) << all_present.describe();
}

TEST(JsonDecode, JsonNullIsSqlNull) {
  auto codec = value_codec<orders>();
  Order row;
  row.pay_amount = 1.0;
  row.user_name = "stale";
  ASSERT_TRUE(codec.decode(R"({"order_id":"x","pay_amount":null,"user_name": null })", row));
  EXPECT_EQ(row.pay_amount, std::nullopt);
  EXPECT_EQ(row.user_name, std::nullopt);
}

TEST(JsonDecode, NullForNotNullColumnFails) {
  auto strict_codec = value_codec<strict>();
  Strict strict_row;
  auto status = strict_codec.decode(R"({"id":"x","qty":null,"price":1})", strict_row);
  ASSERT_TRUE(status.failed());
  EXPECT_EQ(status.failure().field, "qty");
  auto orders_codec = value_codec<orders>();
  Order order_row;
  status = orders_codec.decode(R"({"order_id":null})", order_row);
  ASSERT_TRUE(status.failed());
  EXPECT_EQ(status.failure().field, "order_id");
}

TEST(JsonDecode, DuplicateFieldLastWins) {
  auto codec = value_codec<orders>();
  Order row;
  ASSERT_TRUE(codec.decode(R"({"order_id":"x","pay_amount":1,"pay_amount":2})", row));
  EXPECT_EQ(row.pay_amount, 2.0);
  ASSERT_TRUE(codec.decode(R"({"order_id":"x","pay_amount":1,"pay_amount":null})", row));
  EXPECT_EQ(row.pay_amount, std::nullopt);
}

TEST(JsonDecode, NestedValueIntoStringColumnIsItsJsonText) {
  auto codec = value_codec<orders>();
  const std::string message =
      R"({"order_id":"x","order_channel":{"a":[1,2],"b":{"c":null}},"user_name":[1,"x",true],"user_id":{}})";
  Order row;
  ASSERT_TRUE(codec.decode(message, row));
  EXPECT_EQ(row.order_channel, R"({"a":[1,2],"b":{"c":null}})");
  EXPECT_EQ(row.user_name, R"([1,"x",true])");
  EXPECT_EQ(row.user_id, "{}");
  EXPECT_TRUE(points_into(*row.order_channel, message));
  // Current behaviour: the text is kept as written (Flink re-serializes it compactly).
  ASSERT_TRUE(codec.decode(R"({"order_id":"x","order_channel":{ "a" : 1 }})", row));
  EXPECT_EQ(row.order_channel, R"({ "a" : 1 })");
}

TEST(JsonDecode, ScalarIntoStringColumnKeepsItsText) {
  auto codec = value_codec<orders>();
  Order row;
  ASSERT_TRUE(codec.decode(
      R"({"order_id":"x","order_channel":60.00,"order_time":"60.00","user_id":-1.5e3,"user_name":true,"area_id":false})",
      row));
  EXPECT_EQ(row.order_channel, "60.00");
  EXPECT_EQ(row.order_time, "60.00");
  EXPECT_EQ(row.user_id, "-1.5e3");
  EXPECT_EQ(row.user_name, "true");
  EXPECT_EQ(row.area_id, "false");
  ASSERT_TRUE(codec.decode(R"({"order_id":12345,"order_channel":"" })", row));
  EXPECT_EQ(row.order_id, "12345");
  EXPECT_EQ(row.order_channel, "");
}

TEST(JsonDecode, Booleans) {
  const std::pair<const char*, bool> cases[] = {
      {"true", true},        {"false", false},    {R"("TRUE")", true}, {R"(" true ")", true},
      {R"("True")", true},   {R"("yes")", false}, {R"("1")", false},   {"1", false},
      {R"("false")", false}, {R"("")", false},    {"0", false}};
  for (const auto& [json_text, expected] : cases) {
    const auto result = decode_typed(std::string(R"({"id":"x","flag":)") + json_text + "}");
    ASSERT_TRUE(result.status.ok()) << json_text << ": " << result.status.describe();
    EXPECT_EQ(result.row.flag, expected) << json_text;
  }
  for (const char* bad : {"{}", "[true]"}) {
    const auto result = decode_typed(std::string(R"({"id":"x","flag":)") + bad + "}");
    ASSERT_TRUE(result.status.failed()) << bad;
    EXPECT_EQ(result.status.failure().field, "flag") << bad;
  }
}

TEST(JsonDecode, IntegersTruncateFractionsAndCheckRanges) {
  struct int_case {
    const char* field;
    const char* json_text;
    std::optional<std::int64_t> expected;  // nullopt: a failure naming the field
  };
  const int_case cases[] = {
      {"i32", "60", 60},
      {"i32", "60.9", 60},  // Jackson getIntValue() truncates
      {"i32", "-60.9", -60},
      {"i32", "1e2", 100},
      {"i32", R"("12")", 12},
      {"i32", R"(" 12 ")", 12},
      {"i32", R"("+12")", 12},
      {"i32", "2147483647", 2147483647},
      {"i32", "-2147483648", -2147483648LL},
      {"i32", "2147483648", std::nullopt},
      {"i32", R"("2147483648")", std::nullopt},
      {"i32", "3e9", std::nullopt},
      {"i32", R"("1.0")", std::nullopt},  // Integer.parseInt
      {"i32", R"("abc")", std::nullopt},
      {"i32", "true", std::nullopt},
      {"i8", "127", 127},
      {"i8", "-128", -128},
      {"i8", R"("-128")", -128},
      {"i8", "128", std::nullopt},
      {"i8", R"("-129")", std::nullopt},
      {"i8", "60.9", std::nullopt},  // Byte.parseByte("60.9")
      {"i16", "32767", 32767},
      {"i16", R"("12")", 12},
      {"i16", "32768", std::nullopt},
      {"i16", "1.5", std::nullopt},  // Short.parseShort("1.5")
      {"i64", "9223372036854775807", std::numeric_limits<std::int64_t>::max()},
      {"i64", "-9223372036854775808", std::numeric_limits<std::int64_t>::min()},
      {"i64", R"("9223372036854775807")", std::numeric_limits<std::int64_t>::max()},
      {"i64", "9223372036854775808", std::nullopt},
      {"i64", "1.5e3", 1500},
      {"i64", "1e19", std::nullopt},
  };
  for (const auto& c : cases) {
    const std::string message =
        std::string(R"({"id":"x",")") + c.field + R"(":)" + c.json_text + "}";
    const auto result = decode_typed(message);
    if (!c.expected) {
      ASSERT_TRUE(result.status.failed()) << message;
      EXPECT_EQ(result.status.failure().field, c.field) << message;
      continue;
    }
    ASSERT_TRUE(result.status.ok()) << message << ": " << result.status.describe();
    const Typed& r = result.row;
    const std::string_view field = c.field;
    std::optional<std::int64_t> got;
    if (field == "i8" && r.i8) got = *r.i8;
    if (field == "i16" && r.i16) got = *r.i16;
    if (field == "i32" && r.i32) got = *r.i32;
    if (field == "i64" && r.i64) got = *r.i64;
    EXPECT_EQ(got, c.expected) << message;
  }
}

TEST(JsonDecode, FloatingPointFromNumbersAndStrings) {
  auto result = decode_typed(R"({"id":"x","f64":"60.00","f32":"1.1"})");
  ASSERT_TRUE(result.status.ok()) << result.status.describe();
  EXPECT_EQ(result.row.f64, 60.0);
  EXPECT_EQ(result.row.f32, 1.1f);
  result = decode_typed(R"({"id":"x","f64":60,"f32":1.1})");
  ASSERT_TRUE(result.status.ok());
  EXPECT_EQ(result.row.f64, 60.0);
  EXPECT_EQ(result.row.f32, 1.1f);
  result = decode_typed(R"({"id":"x","f64":" 1.5 ","f32":"-Infinity"})");
  ASSERT_TRUE(result.status.ok());
  EXPECT_EQ(result.row.f64, 1.5);
  EXPECT_EQ(result.row.f32, -std::numeric_limits<float>::infinity());
  result = decode_typed(R"({"id":"x","f64":"NaN"})");
  ASSERT_TRUE(result.status.ok());
  ASSERT_TRUE(result.row.f64.has_value());
  EXPECT_TRUE(std::isnan(*result.row.f64));
  result = decode_typed(R"({"id":"x","f64":-1.25e-3})");
  EXPECT_EQ(result.row.f64, -1.25e-3);
  for (const char* bad : {R"("abc")", "true", R"("")", "[1]"}) {
    result = decode_typed(std::string(R"({"id":"x","f64":)") + bad + "}");
    ASSERT_TRUE(result.status.failed()) << bad;
    EXPECT_EQ(result.status.failure().field, "f64") << bad;
  }
}

TEST(JsonDecode, DecimalRoundsHalfUpAndOverflowsToNull) {
  const std::pair<const char*, std::int64_t> cases[] = {
      {R"("60.005")", 6001}, {"60.005", 6001},      {"60", 6000},      {R"("1e2")", 10000},
      {"1E2", 10000},        {R"("-1.005")", -101}, {R"(" 7 ")", 700}, {"0.004", 0}};
  for (const auto& [json_text, unscaled] : cases) {
    const auto result = decode_typed(std::string(R"({"id":"x","dec":)") + json_text + "}");
    ASSERT_TRUE(result.status.ok()) << json_text << ": " << result.status.describe();
    ASSERT_TRUE(result.row.dec.has_value()) << json_text;
    EXPECT_EQ(result.row.dec->unscaled, unscaled) << json_text;
  }
  for (const char* overflow : {"123456789.99", R"("123456789.99")", "1e10", "99999999.995"}) {
    auto codec = value_codec<typed>();
    Typed row;
    row.dec = upsertkit::decimal<10, 2>{1};
    const auto status = codec.decode(std::string(R"({"id":"x","dec":)") + overflow + "}", row);
    EXPECT_TRUE(status.ok()) << overflow << ": " << status.describe();
    EXPECT_EQ(row.dec, std::nullopt) << overflow;
  }
  for (const char* bad : {R"("abc")", "true", R"("")", R"("1e")"}) {
    const auto result = decode_typed(std::string(R"({"id":"x","dec":)") + bad + "}");
    ASSERT_TRUE(result.status.failed()) << bad;
    EXPECT_EQ(result.status.failure().field, "dec") << bad;
  }
  // A NOT NULL decimal that overflows cannot become NULL.
  auto strict_codec = value_codec<strict>();
  Strict row;
  const auto status = strict_codec.decode(R"({"id":"x","qty":1,"price":100})", row);
  ASSERT_TRUE(status.failed());
  EXPECT_EQ(status.failure().field, "price");
}

TEST(JsonDecode, Dates) {
  auto result = decode_typed(R"({"id":"x","day":"2023-03-25"})");
  ASSERT_TRUE(result.status.ok()) << result.status.describe();
  EXPECT_EQ(result.row.day, date{k20230325});
  for (const char* bad : {R"("2023-02-29")", "20230325", R"(" 2023-03-25")", R"("2023-3-25")"}) {
    result = decode_typed(std::string(R"({"id":"x","day":)") + bad + "}");
    ASSERT_TRUE(result.status.failed()) << bad;
    EXPECT_EQ(result.status.failure().field, "day") << bad;
  }
}

TEST(JsonDecode, TimestampsFollowTheStandardOption) {
  auto result = decode_typed(R"({"id":"x","ts":"2020-03-08 13:12:11.12"})");
  ASSERT_TRUE(result.status.ok()) << result.status.describe();
  EXPECT_EQ(result.row.ts, timestamp{k20200308_131211 + 120});
  result = decode_typed(R"({"id":"x","ts":"2020-03-08T13:12:11.12"})");
  ASSERT_TRUE(result.status.failed());
  EXPECT_EQ(result.status.failure().field, "ts");

  json::options iso;
  iso.timestamp_standard = upsertkit::text::timestamp_standard::iso_8601;
  result = decode_typed(R"({"id":"x","ts":"2020-03-08T13:12:11.12"})", iso);
  ASSERT_TRUE(result.status.ok()) << result.status.describe();
  EXPECT_EQ(result.row.ts, timestamp{k20200308_131211 + 120});
  result = decode_typed(R"({"id":"x","ts":"2020-03-08T13:12"})", iso);
  ASSERT_TRUE(result.status.ok());
  EXPECT_EQ(result.row.ts, timestamp{k20200308_131211 - 11000});
  result = decode_typed(R"({"id":"x","ts":"2020-03-08 13:12:11"})", iso);
  ASSERT_TRUE(result.status.failed());
  EXPECT_EQ(result.status.failure().field, "ts");
  result = decode_typed(R"({"id":"x","ts":1583673131000})");
  ASSERT_TRUE(result.status.failed());
  EXPECT_EQ(result.status.failure().field, "ts");
}

TEST(JsonDecode, MalformedMessagesFailAsAWhole) {
  const std::string bad_messages[] = {
      R"({"order_id":"x")",                // truncated
      R"({"order_id":"x","pay_amount":)",  // truncated after a colon
      R"({"order_id":"x","u":{"a":[1,2)",  // truncated inside an unknown field
      R"({"order_id":"x"} x)",             // trailing garbage
      R"({"order_id":"x"}{})",             // a second value
      R"([{"order_id":"x"}])",             // top-level array
      R"("x")",                            // top-level string
      "42",                                // (a bare `null`: NullMessageIsAFailure)
      "hello",
      "   ",
      R"({"order_id":"x",})",
      R"({"order_id" "x"})",
      R"({order_id:"x"})",
      "{\"order_id\":\"\xff\"}",                      // invalid UTF-8
      "{\"order_id\":\"x\",\"user_name\":\"\xc3\"}",  // truncated UTF-8 sequence
      "{\"order_id\":\"a\nb\"}",                      // raw control character in a string
      R"({"order_id":"x","pay_amount":NaN})",         // non-numeric numbers are not JSON
      R"({"order_id":"x","pay_amount":nul})",         // broken atoms in known fields
      R"({"order_id":"x","pay_amount":nullx})",
      R"({"order_id":"x","user_name":tru})",
      R"({"order_id":6x})",
      R"({"order_id":"x","pay_amount":01})",
      R"({"order_id":"x","pay_amount":1.})",
      R"({"order_id":"x","pay_amount":-})",
      R"({"order_id":"x","pay_amount":+1})",
      R"({"order_id":"x","user_name":"bad \x escape"})",
  };
  auto codec = value_codec<orders>();
  for (const std::string& message : bad_messages) {
    Order row;
    const auto status = codec.decode(message, row);
    ASSERT_TRUE(status.failed()) << message;
    EXPECT_EQ(status.failure().field, "") << message;
    EXPECT_EQ(status.failure().message.rfind("Failed to deserialize JSON '" + message + "'", 0), 0u)
        << status.failure().message;
  }
  // The codec is still usable after a malformed message.
  Order row;
  ASSERT_TRUE(codec.decode(seed_value, row));
  EXPECT_EQ(row.user_name, "Bob");
}

// decode() walks a flat object of plain strings and numbers itself (walk_flat) and leaves
// everything else to simdjson (decode_general): the two must agree on every message, the
// shapes at the fast path's edges above all. The fuzz target json_decode checks the same on
// generated input.
template <class Table>
void expect_paths_agree(const std::vector<std::string>& messages) {
  for (const std::string& message : messages) {
    auto fast = value_codec<Table>();
    auto general = value_codec<Table>();
    typename Table::row_type by_fast{}, by_general{};
    const auto a = fast.decode(message, by_fast);
    const auto b = general.decode_general(message, by_general);
    ASSERT_EQ(a.ok(), b.ok()) << message << "\n" << a.describe() << "\n" << b.describe();
    ASSERT_EQ(a.is_no_row(), b.is_no_row()) << message;
    if (a.failed()) {
      EXPECT_EQ(a.failure().field, b.failure().field) << message;
      EXPECT_EQ(a.failure().message, b.failure().message) << message;
    }
    if (a.ok()) {
      EXPECT_TRUE(by_fast == by_general) << message;
    }
  }
}

TEST(JsonDecode, TheFlatFastPathAndTheGeneralPathAgree) {
  expect_paths_agree<orders>({
      seed_value,
      R"({"order_id":"1","pay_amount":60.5,"real_pay":-0,"user_name":"Bob"})",
      R"({"order_id":"1","pay_amount":1e400,"real_pay":1E-400,"area_id":12.50})",
      R"({"order_id":"1","pay_amount":0.1000000000000000055511151231257827})",
      R"({"order_id":"1","pay_amount":"1e3","real_pay":" 60.00 ","user_id":"NaN"})",
      R"({"order_id":"1","pay_amount":"abc"})",
      R"({"order_id":"1","pay_amount":"9007199254740993"})",
      R"({"order_id":12345678901234567890123,"user_name":-0.0e-0})",
      " \t\r\n{ \"order_id\" : \"1\" , \"user_name\" : \"x\" } \n",
      R"({})",
      R"({"unknown":"x","other":-1.5e+3,"order_id":"1"})",
      R"({"unknown":01,"order_id":"1"})",
      R"({"unknown":true,"order_id":"1"})",
      R"({"unknown":{"a":[1,"b"]},"order_id":"1"})",
      R"({"order_id":"1","order_id":"2"})",
      R"({"order_id":"1","pay_amount":"x","pay_amount":"2"})",
      R"({"order_id":"1","user_name":null})",
      R"({"order_id":"1","user_name":"a\"b"})",
      R"({"order\u005fid":"1"})",
      R"({"order_id":"1",})",
      R"({"order_id":"1"} x)",
      R"({"order_id":"1"}{})",
      R"({"order_id":"1","pay_amount":01})",
      R"({"order_id":"1","pay_amount":1.})",
      R"({"order_id":"1","pay_amount":-})",
      R"({"order_id":"1","pay_amount":.5})",
      R"({"order_id":"1","pay_amount":1e})",
      R"({"order_id":"1" "user_name":"x"})",
      R"({"order_id":"1","user_name")",
      R"({"order_id":"1","user_name":)",
      R"({"order_id":"1","user_name":"x)",
      R"({"order_id":"1")",
      "{\"order_id\":\"caf\xc3\xa9\",\"user_name\":\"\xe2\x82\xac \xf0\x9f\x98\x84\"}",
      "{\"order_id\":\"\xff\"}",
      "{\"order_id\":\"x\",\"user_name\":\"\xc3\"}",
      "{\"order_id\":\"\xed\xa0\x80\"}",  // a surrogate in UTF-8: invalid
      "{\"order_id\":\"a\nb\"}",
      std::string("{\"order_id\":\"a\0b\"}", 17),
      std::string("{\"order_id\":\"1\"}\0", 17),
      "{\"order_id\":\"1\"\x01}",
  });
  // Names around the key lookup's word sizes, and a key that is a prefix of another.
  expect_paths_agree<names>({
      R"({"a":"1","ab":"2","abcdefg":"3","abcdefgh":"4","abcdefghijklmno":"5"})",
      R"({"a":"1","abcdefghijklmnop":"6","abcdefghijklmnopq":"7","abcdefghijklmnopqrstuvwxyz_0123456789":8.25})",
      R"({"a":"1","abcdefghijklmnopqrstuvwxyz_012345678":"x","abcdefghijklmnopqrstuvwxyz_01234567890":"y"})",
      R"({"a":"1","abc":"x","abcdefghijklmnopqrstuvwxyz_0123456789":"1.5"})",
  });
  // Columns that do not convert from text (INT, DECIMAL, DATE, ...) take the general path.
  expect_paths_agree<typed>({
      R"({"id":"1","text":"x","f64":2.5,"f32":"1.25"})",
      R"({"id":"1","i32":"7","dec":"1.005","day":"2023-03-25"})",
      R"({"id":"1","i64":7,"flag":true})",
      R"({"id":"1","i8":"x"})",
  });
}

TEST(JsonDecode, NumbersForStringAndDoubleColumnsOnTheFlatPath) {
  auto codec = value_codec<orders>();
  Order row;
  ASSERT_TRUE(
      codec.decode(R"({"order_id":"1","pay_amount":60.5,"real_pay":-1e-2,"area_id":12.50})", row));
  EXPECT_EQ(row.pay_amount, 60.5);
  EXPECT_EQ(row.real_pay, -0.01);
  EXPECT_EQ(row.area_id, "12.50");  // a STRING column keeps a number's text as written
  EXPECT_EQ(row.user_name, std::nullopt);
  ASSERT_TRUE(codec.decode(R"({"order_id":"1","pay_amount":1e400})", row));
  EXPECT_EQ(row.pay_amount, std::numeric_limits<double>::infinity());  // Double.parseDouble
}

TEST(JsonDecode, MalformedMessageTextIsShortened) {
  auto codec = value_codec<orders>();
  const std::string message = R"({"order_id":")" + std::string(1000, 'a');
  Order row;
  const auto status = codec.decode(message, row);
  ASSERT_TRUE(status.failed());
  EXPECT_LT(status.failure().message.size(), 400u);
  EXPECT_EQ(
      status.failure().message.rfind("Failed to deserialize JSON '" + message.substr(0, 256), 0),
      0u);
}

TEST(JsonDecode, EmptyMessageHoldsNoRow) {
  auto codec = value_codec<orders>();
  Order row;
  row.order_id = "unchanged";
  const auto status = codec.decode("", row);
  EXPECT_TRUE(status.is_no_row());
  EXPECT_FALSE(status.ok());
  EXPECT_FALSE(status.failed());
  EXPECT_EQ(row.order_id, "unchanged");
}

// Found by scripts/flink-conformance.sh against Flink 1.20.3.
TEST(JsonDecode, NumbersAsJavaReadsThemPastSimdjsonsLimits) {
  // More than 19 significant digits after leading zeros: simdjson 3.0.1 misreads them.
  auto r = decode_typed(R"({"id":"a","f64":0.1000000000000000055511151231257827,)"
                        R"("f32":"0.1000000000000000055511151231257827"})");
  ASSERT_TRUE(r.status.ok()) << r.status.describe();
  EXPECT_EQ(r.row.f64, 0.1);
  EXPECT_EQ(r.row.f32, 0.1F);
  r = decode_typed(R"({"id":"a","f64":123456789012345678901234567890.5e-29})");
  ASSERT_TRUE(r.status.ok()) << r.status.describe();
  EXPECT_EQ(r.row.f64, 1.234567890123456789);
  // Double.parseDouble takes hexadecimal floating literals (the binary exponent required).
  r = decode_typed(R"({"id":"a","f64":"0x1.8p1","f32":" -0X10P-4f "})");
  ASSERT_TRUE(r.status.ok()) << r.status.describe();
  EXPECT_EQ(r.row.f64, 3.0);
  EXPECT_EQ(r.row.f32, -1.0F);
  EXPECT_TRUE(decode_typed(R"({"id":"a","f64":"0x1.8"})").status.failed());
  // Jackson's getLongValue()/getIntValue() on a float token: an error only beyond (double)
  // MAX/MIN, then Java's saturating cast.
  r = decode_typed(R"({"id":"a","i64":9223372036854775807.0,"i32":2147483647.0})");
  ASSERT_TRUE(r.status.ok()) << r.status.describe();
  EXPECT_EQ(r.row.i64, std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(r.row.i32, 2147483647);
  r = decode_typed(R"({"id":"a","i64":-9223372036854775808.0})");
  ASSERT_TRUE(r.status.ok()) << r.status.describe();
  EXPECT_EQ(r.row.i64, std::numeric_limits<std::int64_t>::min());
  EXPECT_TRUE(decode_typed(R"({"id":"a","i32":2147483647.5})").status.failed());
  EXPECT_TRUE(decode_typed(R"({"id":"a","i64":1e19})").status.failed());
}

// Flink 1.20.3 fails the job on it (found by scripts/flink-conformance.sh).
TEST(JsonDecode, NullMessageIsAFailure) {
  auto codec = value_codec<orders>();
  Order row;
  EXPECT_EQ(codec.decode("null", row).failure().message, "the message is JSON null, not an object");
  EXPECT_TRUE(codec.decode(" null\n", row).failed());
  EXPECT_TRUE(codec.decode("null x", row).failed());
  EXPECT_TRUE(codec.decode("nul", row).failed());
}

TEST(JsonDecode, FieldErrorsNameTheField) {
  auto codec = value_codec<orders>();
  Order row;
  const auto status = codec.decode(R"({"order_id":"x","pay_amount":"abc"})", row);
  ASSERT_TRUE(status.failed());
  EXPECT_EQ(status.failure().field, "pay_amount");
  EXPECT_EQ(status.describe().rfind("field 'pay_amount': ", 0), 0u) << status.describe();
}

TEST(JsonDecode, IgnoreParseErrorsNullsBadFields) {
  json::options opts;
  opts.ignore_parse_errors = true;
  auto codec = value_codec<orders>(opts);
  Order row;
  row.pay_amount = 1.0;
  auto status =
      codec.decode(R"({"order_id":"x","pay_amount":"abc","real_pay":"2","user_name":"Bob"})", row);
  ASSERT_TRUE(status.ok()) << status.describe();
  EXPECT_EQ(row.pay_amount, std::nullopt);
  EXPECT_EQ(row.real_pay, 2.0);
  EXPECT_EQ(row.user_name, "Bob");

  const auto typed_result = decode_typed(R"({"id":"x","i8":300,"day":"2023-02-29","f32":1})", opts);
  ASSERT_TRUE(typed_result.status.ok()) << typed_result.status.describe();
  EXPECT_EQ(typed_result.row.i8, std::nullopt);
  EXPECT_EQ(typed_result.row.day, std::nullopt);
  EXPECT_EQ(typed_result.row.f32, 1.0f);

  // A NOT NULL column cannot take the NULL, and a malformed message is still malformed.
  auto strict_codec = value_codec<strict>(opts);
  Strict strict_row;
  status = strict_codec.decode(R"({"id":"x","qty":"abc","price":1})", strict_row);
  ASSERT_TRUE(status.failed());
  EXPECT_EQ(status.failure().field, "qty");
  status = strict_codec.decode(R"({"id":"x","qty":null,"price":1})", strict_row);
  ASSERT_TRUE(status.failed());
  EXPECT_EQ(status.failure().field, "qty");
  status = codec.decode(R"({"order_id":"x")", row);
  ASSERT_TRUE(status.failed());
  EXPECT_EQ(status.failure().field, "");
}

TEST(JsonDecode, ValueRoleKeepsAKeyColumnTheValueLacks) {
  auto codec = value_codec<orders>();
  Order row;
  row.order_id = "from-key";
  const auto status = codec.decode(R"({"order_channel":"c"})", row);
  ASSERT_TRUE(status.ok()) << status.describe();
  EXPECT_EQ(row.order_id, "from-key");
  EXPECT_EQ(row.order_channel, "c");
}

TEST(JsonDecode, KeyRoleFailsWithoutTheKeyColumn) {
  auto codec = key_codec<orders>();
  Order row;
  row.order_channel = "untouched";
  auto status = codec.decode(R"({"other":1})", row);
  ASSERT_TRUE(status.failed());
  EXPECT_EQ(status.failure().field, "order_id");
  status = codec.decode(R"({"order_id":"202303251202020001","order_channel":"ignored"})", row);
  ASSERT_TRUE(status.ok()) << status.describe();
  EXPECT_EQ(row.order_id, "202303251202020001");
  EXPECT_EQ(row.order_channel, "untouched");  // not part of the key projection
}

TEST(JsonDecode, ExceptKeyValueIgnoresKeyFields) {
  auto codec = value_codec<orders>({}, {upsertkit::fields_include::except_key, ""});
  Order row;
  row.order_id = "from-key";
  ASSERT_TRUE(codec.decode(R"({"order_id":"from-value","order_channel":"c"})", row));
  EXPECT_EQ(row.order_id, "from-key");
  EXPECT_EQ(row.order_channel, "c");
}

TEST(JsonDecode, KeyFieldsPrefixIsStrippedFromTheKeyName) {
  const upsertkit::key_value_layout layout{upsertkit::fields_include::except_key, "k_"};
  auto key = key_codec<prefixed>({}, layout);
  auto value = value_codec<prefixed>({}, layout);
  Prefixed row;
  ASSERT_TRUE(key.decode(R"({"id":"x"})", row));
  ASSERT_TRUE(value.decode(R"({"name":"n","k_id":"ignored"})", row));
  EXPECT_EQ(row.k_id, "x");
  EXPECT_EQ(row.name, "n");
  std::string out;
  key.encode(row, out);
  EXPECT_EQ(out, R"({"id":"x"})");
  out.clear();
  value.encode(row, out);
  EXPECT_EQ(out, R"({"name":"n"})");
}

TEST(JsonDecode, ReusesTheCodecAcrossMessagesOfAnySize) {
  auto codec = value_codec<orders>();
  Order row;
  ASSERT_TRUE(codec.decode(R"({"order_id":"a"})", row));
  EXPECT_EQ(row.order_id, "a");
  const std::string big = R"({"order_id":"b","user_name":")" + std::string(100000, 'n') + R"("})";
  ASSERT_TRUE(codec.decode(big, row));
  EXPECT_EQ(row.order_id, "b");
  EXPECT_EQ(row.user_name->size(), 100000u);
  ASSERT_TRUE(codec.decode(R"({"order_id":"c","user_name":"\u0041"})", row));
  EXPECT_EQ(row.order_id, "c");
  EXPECT_EQ(row.user_name, "A");
}

// ---------------------------------------------------------------------------------------------
// Encoding

Order seed_row() {
  Order row;
  row.order_id = "202303251202020001";
  row.order_channel = "miniAppShop";
  row.order_time = "2023-03-25 12:02:02";
  row.pay_amount = 60.0;
  row.real_pay = 60.0;
  row.pay_time = "2023-03-25 12:03:00";
  row.user_id = "0002";
  row.user_name = "Bob";
  row.area_id = "330110";
  return row;
}

template <class Table>
std::string encode(const json::codec<Table>& codec, const typename Table::row_type& row) {
  std::string out;
  codec.encode(row, out);
  return out;
}

TEST(JsonEncode, CompactInSchemaOrderWithJavaNumbers) {
  EXPECT_EQ(
      encode(value_codec<orders>(), seed_row()),
      R"({"order_id":"202303251202020001","order_channel":"miniAppShop","order_time":"2023-03-25 12:02:02","pay_amount":60.0,"real_pay":60.0,"pay_time":"2023-03-25 12:03:00","user_id":"0002","user_name":"Bob","area_id":"330110"})");
  EXPECT_EQ(encode(key_codec<orders>(), seed_row()), R"({"order_id":"202303251202020001"})");
}

TEST(JsonEncode, DecodedSeedEncodesCanonically) {
  auto codec = value_codec<orders>();
  Order row;
  ASSERT_TRUE(codec.decode(seed_value, row));
  EXPECT_EQ(encode(codec, row), encode(codec, seed_row()));
}

TEST(JsonEncode, AppendsToTheOutput) {
  std::string out = "prefix";
  key_codec<orders>().encode(seed_row(), out);
  EXPECT_EQ(out, R"(prefix{"order_id":"202303251202020001"})");
}

TEST(JsonEncode, NullsAreWrittenOrOmitted) {
  Order row;
  row.order_id = "x";
  row.user_name = "Bob";
  EXPECT_EQ(
      encode(value_codec<orders>(), row),
      R"({"order_id":"x","order_channel":null,"order_time":null,"pay_amount":null,"real_pay":null,"pay_time":null,"user_id":null,"user_name":"Bob","area_id":null})");
  json::options omit;
  omit.encode_ignore_null_fields = true;
  EXPECT_EQ(encode(value_codec<orders>(omit), row), R"({"order_id":"x","user_name":"Bob"})");
  // The first written field takes no comma even when earlier ones are omitted.
  const upsertkit::key_value_layout except_key{upsertkit::fields_include::except_key, ""};
  auto except = value_codec<orders>(omit, except_key);
  EXPECT_EQ(encode(except, row), R"({"user_name":"Bob"})");
  row.user_name.reset();
  EXPECT_EQ(encode(except, row), "{}");
  row.area_id = "1";
  row.order_channel = "c";
  EXPECT_EQ(encode(except, row), R"({"order_channel":"c","area_id":"1"})");
}

TEST(JsonEncode, FloatingPointLikeJava) {
  json::options omit;
  omit.encode_ignore_null_fields = true;
  auto codec = value_codec<typed>(omit);
  Typed row;
  row.id = "x";
  const std::pair<double, const char*> cases[] = {
      {1e7, "1.0E7"},
      {60.0, "60.0"},
      {0.1 + 0.2, "0.30000000000000004"},
      {1.0e-4, "1.0E-4"},
      {-0.0, "-0.0"},
      {std::numeric_limits<double>::quiet_NaN(), R"("NaN")"},
      {std::numeric_limits<double>::infinity(), R"("Infinity")"},
      {-std::numeric_limits<double>::infinity(), R"("-Infinity")"},
  };
  for (const auto& [value, expected] : cases) {
    row.f64 = value;
    EXPECT_EQ(encode(codec, row), std::string(R"({"id":"x","f64":)") + expected + "}");
  }
  row.f64.reset();
  row.f32 = 1.1f;
  EXPECT_EQ(encode(codec, row), R"({"id":"x","f32":1.1})");
  row.f32 = 1e10f;
  EXPECT_EQ(encode(codec, row), R"({"id":"x","f32":1.0E10})");
  row.f32 = std::numeric_limits<float>::quiet_NaN();
  EXPECT_EQ(encode(codec, row), R"({"id":"x","f32":"NaN"})");
}

TEST(JsonEncode, StringEscapingLikeJackson) {
  json::options omit;
  omit.encode_ignore_null_fields = true;
  auto codec = value_codec<typed>(omit);
  Typed row;
  row.id = "x";
  static constexpr char text[] = "q\"b\\s\nn\x01u\tt\x1f\r\b\f/\x7f\xc3\xa9\0end";
  row.text = std::string(text, sizeof text - 1);  // with the NUL inside
  EXPECT_EQ(encode(codec, row),
            "{\"id\":\"x\",\"text\":\"q\\\"b\\\\s\\nn\\u0001u\\tt\\u001F\\r\\b\\f/\x7f\xc3\xa9"
            "\\u0000end\"}");
  row.text = "";
  EXPECT_EQ(encode(codec, row), R"({"id":"x","text":""})");
}

// Flink 1.20.3 (Jackson 2.14) writes a character outside the BMP as an escaped surrogate pair,
// and so must we: a JSON key's bytes decide its partition. Checked against Flink's own output
// by the conformance stage's pipe check (docs/flink-conformance.md).
TEST(JsonEncode, SupplementaryCharactersAsSurrogatePairsLikeFlink) {
  json::options omit;
  omit.encode_ignore_null_fields = true;
  auto codec = value_codec<typed>(omit);
  Typed row;
  row.id = "x";
  row.text =
      "a\xf0\x9f\x98\x84"
      "b\xe6\x97\xa5"
      "\xf4\x8f\xbf\xbf";  // U+1F604, U+65E5, U+10FFFF
  EXPECT_EQ(encode(codec, row), R"({"id":"x","text":"a\uD83D\uDE04b)"
                                "\xe6\x97\xa5"
                                R"(\uDBFF\uDFFF"})");
  // Decoded again, the same text.
  Typed back;
  const std::string json = encode(codec, row);
  ASSERT_TRUE(codec.decode(json, back).ok());
  EXPECT_EQ(std::string(back.text.value_or("")), std::string(*row.text));
  // A byte sequence that is not a 4-byte character is copied as it is.
  row.text = "\xf0\x9f";
  EXPECT_NE(encode(codec, row).find("\xf0\x9f"), std::string::npos);
}

TEST(JsonEncode, OtherTypes) {
  json::options omit;
  omit.encode_ignore_null_fields = true;
  auto codec = value_codec<typed>(omit);
  Typed row;
  row.id = "x";
  row.flag = false;
  row.i8 = -128;
  row.i16 = 32767;
  row.i32 = -5;
  row.i64 = std::numeric_limits<std::int64_t>::min();
  row.dec = upsertkit::decimal<10, 2>{6000};
  row.small = upsertkit::decimal<18, 9>{15};
  row.day = date{k20230325};
  row.ts = timestamp{k20200308_131211 + 120};
  EXPECT_EQ(
      encode(codec, row),
      R"({"id":"x","flag":false,"i8":-128,"i16":32767,"i32":-5,"i64":-9223372036854775808,"dec":60.00,"small":1.5E-8,"day":"2023-03-25","ts":"2020-03-08 13:12:11.12"})");

  json::options iso_plain = omit;
  iso_plain.timestamp_standard = upsertkit::text::timestamp_standard::iso_8601;
  iso_plain.encode_decimal_as_plain_number = true;
  Typed few;
  few.id = "x";
  few.flag = true;
  few.small = upsertkit::decimal<18, 9>{15};
  few.ts = timestamp{k20200308_131211};
  EXPECT_EQ(encode(value_codec<typed>(iso_plain), few),
            R"({"id":"x","flag":true,"small":0.000000015,"ts":"2020-03-08T13:12:11"})");
  few.ts = timestamp{k20200308_131211 + 120};
  EXPECT_EQ(encode(value_codec<typed>(iso_plain), few),
            R"({"id":"x","flag":true,"small":0.000000015,"ts":"2020-03-08T13:12:11.12"})");
}

AllTypes full_row() {
  AllTypes row;
  row.id = std::numeric_limits<std::int64_t>::min();
  row.b = true;
  row.i8 = -128;
  row.i16 = -32768;
  row.i32 = std::numeric_limits<std::int32_t>::max();
  row.i64 = std::numeric_limits<std::int64_t>::max();
  row.f32 = 3.4028235e38f;
  row.f64 = 4.9e-324;
  row.dec = upsertkit::decimal<10, 2>{-9999999999};
  row.day = date{-719162};
  row.ts = timestamp{-1};
  row.s = std::string("quote\" backslash\\ newline\n ctrl\x01 \xc3\xa9 \xf0\x9f\x98\x80");
  row.sv = "plain view";
  row.nb = false;
  row.ni8 = 127;
  row.ni16 = 0;
  row.ni32 = -1;
  row.ni64 = 1583673131000;
  row.nf32 = -1.1f;
  row.nf64 = -std::numeric_limits<double>::infinity();
  row.ndec = upsertkit::decimal<10, 2>{1};
  row.nday = date{2932896};
  row.nts = timestamp{k20200308_131211 + 999};
  row.ns = "";
  row.nsv = "tab\there";
  return row;
}

TEST(JsonRoundTrip, EveryColumnTypeSurvivesEncodeThenDecode) {
  for (auto standard :
       {upsertkit::text::timestamp_standard::sql, upsertkit::text::timestamp_standard::iso_8601}) {
    for (bool omit_nulls : {false, true}) {
      json::options opts;
      opts.timestamp_standard = standard;
      opts.encode_ignore_null_fields = omit_nulls;
      auto codec = value_codec<all_types>(opts);

      const AllTypes original = full_row();
      const std::string text = encode(codec, original);
      AllTypes decoded;
      auto status = codec.decode(text, decoded);
      ASSERT_TRUE(status.ok()) << text << ": " << status.describe();
      EXPECT_EQ(decoded, original) << text;
      EXPECT_EQ(decoded.f64, 4.9e-324);
      EXPECT_EQ(decoded.s, original.s);

      AllTypes nulls = full_row();
      nulls.nb.reset();
      nulls.ni8.reset();
      nulls.ni16.reset();
      nulls.ni32.reset();
      nulls.ni64.reset();
      nulls.nf32.reset();
      nulls.nf64.reset();
      nulls.ndec.reset();
      nulls.nday.reset();
      nulls.nts.reset();
      nulls.ns.reset();
      nulls.nsv.reset();
      const std::string null_text = encode(codec, nulls);
      EXPECT_EQ(null_text.find("null") != std::string::npos, !omit_nulls) << null_text;
      AllTypes decoded_nulls = full_row();  // the nullable members start engaged
      status = codec.decode(null_text, decoded_nulls);
      ASSERT_TRUE(status.ok()) << null_text << ": " << status.describe();
      EXPECT_EQ(decoded_nulls, nulls) << null_text;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Options

using option_map = std::map<std::string, std::string, std::less<>>;

std::string option_error(const option_map& options) {
  try {
    json::parse_options(options);
  } catch (const upsertkit::config_error& e) {
    return e.what();
  }
  return "<no error>";
}

TEST(JsonOptions, Defaults) {
  const json::options opts = json::parse_options({});
  EXPECT_FALSE(opts.fail_on_missing_field);
  EXPECT_FALSE(opts.ignore_parse_errors);
  EXPECT_EQ(opts.timestamp_standard, upsertkit::text::timestamp_standard::sql);
  EXPECT_FALSE(opts.encode_ignore_null_fields);
  EXPECT_FALSE(opts.encode_decimal_as_plain_number);
}

TEST(JsonOptions, EveryOption) {
  EXPECT_TRUE(json::parse_options({{"fail-on-missing-field", "true"}}).fail_on_missing_field);
  EXPECT_TRUE(json::parse_options({{"fail-on-missing-field", "TRUE"}}).fail_on_missing_field);
  EXPECT_FALSE(json::parse_options({{"fail-on-missing-field", "False"}}).fail_on_missing_field);
  EXPECT_TRUE(json::parse_options({{"ignore-parse-errors", "true"}}).ignore_parse_errors);
  EXPECT_EQ(json::parse_options({{"timestamp-format.standard", "ISO-8601"}}).timestamp_standard,
            upsertkit::text::timestamp_standard::iso_8601);
  EXPECT_EQ(json::parse_options({{"timestamp-format.standard", "SQL"}}).timestamp_standard,
            upsertkit::text::timestamp_standard::sql);
  EXPECT_TRUE(
      json::parse_options({{"encode.ignore-null-fields", "true"}}).encode_ignore_null_fields);
  EXPECT_TRUE(json::parse_options({{"encode.decimal-as-plain-number", "true"}})
                  .encode_decimal_as_plain_number);
  for (const char* mode : {"FAIL", "DROP", "LITERAL", "drop", "Literal"})
    EXPECT_EQ(option_error({{"map-null-key.mode", mode}}), "<no error>") << mode;
  EXPECT_EQ(option_error({{"map-null-key.literal", "NULLKEY"}}), "<no error>");
  EXPECT_EQ(option_error({{"decode.json-parser.enabled", "false"}}), "<no error>");
  const json::options all = json::parse_options({{"ignore-parse-errors", "true"},
                                                 {"timestamp-format.standard", "ISO-8601"},
                                                 {"encode.ignore-null-fields", "true"},
                                                 {"encode.decimal-as-plain-number", "false"},
                                                 {"map-null-key.mode", "LITERAL"},
                                                 {"map-null-key.literal", "n"},
                                                 {"decode.json-parser.enabled", "true"}});
  EXPECT_TRUE(all.ignore_parse_errors);
  EXPECT_FALSE(all.fail_on_missing_field);
  EXPECT_EQ(all.timestamp_standard, upsertkit::text::timestamp_standard::iso_8601);
  EXPECT_TRUE(all.encode_ignore_null_fields);
  EXPECT_FALSE(all.encode_decimal_as_plain_number);
}

TEST(JsonOptions, ErrorTexts) {
  EXPECT_EQ(option_error({{"fail-on-missing-field", "true"}, {"ignore-parse-errors", "true"}}),
            "fail-on-missing-field and ignore-parse-errors shouldn't both be true.");
  EXPECT_EQ(option_error({{"timestamp-format.standard", "X"}}),
            "Unsupported value 'X' for timestamp-format.standard. Supported values are [SQL, "
            "ISO-8601].");
  EXPECT_EQ(option_error({{"timestamp-format.standard", "iso-8601"}}),
            "Unsupported value 'iso-8601' for timestamp-format.standard. Supported values are "
            "[SQL, ISO-8601].");
  EXPECT_EQ(option_error({{"map-null-key.mode", "X"}}),
            "Unsupported value 'X' for option map-null-key.mode. Supported values are [LITERAL, "
            "FAIL, DROP].");
  EXPECT_EQ(option_error({{"fail-on-missing-field", "yes"}}),
            "Could not parse value 'yes' for key 'json.fail-on-missing-field'.");
  EXPECT_EQ(option_error({{"decode.json-parser.enabled", "1"}}),
            "Could not parse value '1' for key 'json.decode.json-parser.enabled'.");
  const std::string unknown = option_error({{"fail-on-missing-fields", "true"}, {"zzz", "1"}});
  EXPECT_EQ(unknown.rfind("Unsupported options found for 'json'.", 0), 0u) << unknown;
  EXPECT_NE(unknown.find("\njson.fail-on-missing-fields\n"), std::string::npos) << unknown;
  EXPECT_NE(unknown.find("\njson.zzz\n"), std::string::npos) << unknown;
  EXPECT_NE(unknown.find("json.timestamp-format.standard"), std::string::npos) << unknown;
}

}  // namespace json_test

// ---------------------------------------------------------------------------------------------
// BYTES: base64 strings (Jackson's default Base64 variant, as Flink's json format uses it)

namespace json_bytes_test {

struct Binary {
  std::string_view id;
  upsertkit::bytes data;
  std::optional<upsertkit::bytes> maybe;
  std::optional<upsertkit::bytes> other;
};

}  // namespace json_bytes_test

BOOST_HANA_ADAPT_STRUCT(json_bytes_test::Binary, id, data, maybe, other);

namespace json_bytes_test {
namespace {

namespace json = upsertkit::json;
namespace base64 = upsertkit::base64;
using binary = upsertkit::table<Binary, upsertkit::primary_key<"id">>;

std::string raw_bytes(std::initializer_list<int> values) {
  std::string out;
  for (int v : values)
    out += static_cast<char>(v);
  return out;
}

std::string encoded(std::string_view data) {
  std::string out;
  base64::append_encoded(out, data);
  return out;
}

std::optional<std::string> decoded(std::string_view text) {
  std::string out;
  if (!base64::append_decoded(out, text)) return std::nullopt;
  return out;
}

json::codec<binary> value_codec(json::options opts = {}) {
  return json::codec<binary>(upsertkit::table_projections<binary>().value, opts);
}

TEST(Base64, EncodesWithTheStandardAlphabetAndPadding) {
  EXPECT_EQ(encoded(""), "");
  EXPECT_EQ(encoded("f"), "Zg==");
  EXPECT_EQ(encoded("fo"), "Zm8=");
  EXPECT_EQ(encoded("foo"), "Zm9v");
  EXPECT_EQ(encoded("foobar"), "Zm9vYmFy");
  EXPECT_EQ(encoded(raw_bytes({0x00, 0xFF, 0x10})), "AP8Q");
  EXPECT_EQ(encoded(raw_bytes({0xFF})), "/w==");
  EXPECT_EQ(encoded(raw_bytes({0xFB, 0xFF})), "+/8=");
  EXPECT_EQ(encoded(std::string(57, '\0')).size(), 76u);  // no line breaks (not MIME)
}

TEST(Base64, DecodesStrictPaddedText) {
  EXPECT_EQ(decoded(""), "");
  EXPECT_EQ(decoded("Zg=="), "f");
  EXPECT_EQ(decoded("Zm8="), "fo");
  EXPECT_EQ(decoded("Zm9vYmFy"), "foobar");
  EXPECT_EQ(decoded("AP8Q"), raw_bytes({0x00, 0xFF, 0x10}));
  EXPECT_EQ(decoded("+/8="), raw_bytes({0xFB, 0xFF}));
  std::string all;
  for (int i = 0; i < 256; ++i)
    all += static_cast<char>(i);
  EXPECT_EQ(decoded(encoded(all)), all);
  for (std::string_view bad : {"Zg", "Zg=", "Zm8", "Z===", "====", "Zg==Zg==", "Zm=v",
                               "Zm9v=", "Zm9-", "Zm9_", " Zm9v", "Zm9v\n", "Zm\0v"})
    EXPECT_EQ(decoded(bad), std::nullopt) << bad;
  EXPECT_EQ(decoded(std::string_view("Zm\0v", 4)), std::nullopt);
}

TEST(JsonBytes, EncodeIsBase64AndNullIsNull) {
  const std::string data = raw_bytes({0x00, 0xFF, 0x10});
  const Binary row{"k", upsertkit::bytes(data), upsertkit::bytes(), std::nullopt};
  std::string out;
  value_codec().encode(row, out);
  EXPECT_EQ(out, R"({"id":"k","data":"AP8Q","maybe":"","other":null})");
}

TEST(JsonBytes, DecodeRoundTripsEachColumnIntoItsOwnBuffer) {
  auto codec = value_codec();
  const std::string message = R"({"id":"k","data":"AP8Q","maybe":"/w==","other":""})";
  Binary row{};
  const auto status = codec.decode(message, row);
  ASSERT_TRUE(status.ok()) << status.describe();
  EXPECT_EQ(row.data, upsertkit::bytes(raw_bytes({0x00, 0xFF, 0x10})));
  ASSERT_TRUE(row.maybe.has_value());
  EXPECT_EQ(*row.maybe, upsertkit::bytes(raw_bytes({0xFF})));
  ASSERT_TRUE(row.other.has_value());
  EXPECT_TRUE(row.other->empty());
  std::string out;
  codec.encode(row, out);
  EXPECT_EQ(out, message);

  // JSON escapes are undone before base64 ("\/" is "/"); null is NULL.
  ASSERT_TRUE(codec.decode(R"({"id":"k","data":"\/w==","maybe":null})", row).ok());
  EXPECT_EQ(row.data, upsertkit::bytes(raw_bytes({0xFF})));
  EXPECT_FALSE(row.maybe.has_value());
  EXPECT_FALSE(row.other.has_value());  // missing: NULL
}

TEST(JsonBytes, InvalidBase64OrNonStringFailsNamingTheField) {
  auto codec = value_codec();
  Binary row{};
  for (std::string_view value : {R"("AP8")", R"("AP8Q=")", R"("AP-Q")", R"(" AP8Q")", "123", "true",
                                 R"({"a":1})", "[1,2]"}) {
    const std::string message = std::string(R"({"id":"k","data":)") + std::string(value) + "}";
    const auto status = codec.decode(message, row);
    ASSERT_FALSE(status.ok()) << message;
    EXPECT_EQ(status.describe().rfind("field 'data': cannot read ", 0), 0u) << status.describe();
    EXPECT_NE(status.describe().find(" as BYTES"), std::string::npos) << status.describe();
  }
  EXPECT_FALSE(codec.decode(R"({"id":"k","data":null})", row).ok());  // NOT NULL

  // ignore-parse-errors: a bad nullable BYTES becomes NULL, a NOT NULL one still fails.
  json::options lenient;
  lenient.ignore_parse_errors = true;
  auto tolerant = value_codec(lenient);
  row.maybe = upsertkit::bytes("x", 1);
  ASSERT_TRUE(tolerant.decode(R"({"id":"k","data":"","maybe":"!!!!"})", row).ok());
  EXPECT_FALSE(row.maybe.has_value());
  EXPECT_FALSE(tolerant.decode(R"({"id":"k","data":"!!!!"})", row).ok());
}

}  // namespace
}  // namespace json_bytes_test
