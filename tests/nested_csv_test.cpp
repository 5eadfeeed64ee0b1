// The `csv` format with ARRAY and ROW columns, and its refusal of MAP, MULTISET and deeper
// nesting. Expected texts are what Flink 1.20.3's CsvRowDataSerializationSchema and
// CsvRowDataDeserializationSchema produced for the same rows and messages.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nested_table.hpp"
#include "upsertkit/formats/csv.hpp"

namespace nested_csv_test {

struct Street {
  std::optional<std::string_view> street;
  std::int32_t zip = 0;
};

struct Mixed {
  std::optional<upsertkit::decimal<18, 10>> amount;
  std::optional<upsertkit::bytes> data;
  std::optional<double> ratio;
};

struct Deep {
  std::optional<std::vector<std::int32_t>> xs;
};

struct Timed {
  std::optional<upsertkit::time_of_day<6>> at;
};

struct Stamp {
  upsertkit::timestamp at;
};

struct Counted {
  std::optional<upsertkit::multiset<std::int32_t>> m;
};

// home ROW<street STRING, zip INT NOT NULL> NOT NULL
struct Fixed {
  Street home;
};

}  // namespace nested_csv_test

BOOST_HANA_ADAPT_STRUCT(nested_csv_test::Street, street, zip);
BOOST_HANA_ADAPT_STRUCT(nested_csv_test::Mixed, amount, data, ratio);
BOOST_HANA_ADAPT_STRUCT(nested_csv_test::Deep, xs);
BOOST_HANA_ADAPT_STRUCT(nested_csv_test::Timed, at);
BOOST_HANA_ADAPT_STRUCT(nested_csv_test::Stamp, at);
BOOST_HANA_ADAPT_STRUCT(nested_csv_test::Counted, m);
BOOST_HANA_ADAPT_STRUCT(nested_csv_test::Fixed, home);

namespace nested_csv_test {

// id INT NOT NULL, tags ARRAY<STRING>, scores ARRAY<INT NOT NULL> NOT NULL,
// home ROW<street STRING, zip INT NOT NULL>
struct Listing {
  std::int32_t id = 0;
  std::optional<std::vector<std::optional<std::string_view>>> tags;
  std::vector<std::int32_t> scores;
  std::optional<Street> home;
};

// An ARRAY of each scalar type, and a ROW of three.
struct Every {
  std::optional<std::vector<std::optional<upsertkit::decimal<18, 10>>>> dec;
  std::optional<std::vector<std::optional<double>>> dbl;
  std::optional<std::vector<std::optional<float>>> flt;
  std::optional<std::vector<std::optional<upsertkit::bytes>>> byt;
  std::optional<std::vector<std::optional<upsertkit::timestamp>>> ts;
  std::optional<std::vector<std::optional<bool>>> flags;
  std::optional<std::vector<std::optional<upsertkit::date>>> day;
  std::optional<std::vector<std::optional<upsertkit::time_of_day<0>>>> tm;
  std::optional<std::vector<std::optional<upsertkit::timestamp_ltz<3>>>> ltz;
  std::optional<std::vector<std::optional<std::int8_t>>> tiny;
  std::optional<Mixed> r;
};

// ARRAY<BOOLEAN NOT NULL> NOT NULL (std::vector<bool>), ARRAY<STRING NOT NULL> (owning).
struct Bits {
  std::vector<bool> bits;
  std::optional<std::vector<std::string>> owned;
};

// DECIMAL(18, 10) and ARRAY<DECIMAL(18, 10)>, ARRAY<DECIMAL(4, 1) NOT NULL>.
struct Decimals {
  std::optional<upsertkit::decimal<18, 10>> top;
  std::optional<std::vector<std::optional<upsertkit::decimal<18, 10>>>> nested;
  std::optional<std::vector<upsertkit::decimal<4, 1>>> strict;
};

// Tables whose columns csv refuses.
struct ArrayOfArrays {
  std::optional<std::vector<std::optional<std::vector<std::int32_t>>>> aa;
};
struct ArrayOfRows {
  std::optional<std::vector<Stamp>> visits;
};
struct ArrayOfMaps {
  std::optional<std::vector<std::optional<std::map<std::string, std::optional<std::int32_t>>>>> am;
};
struct RowOfArray {
  std::optional<Deep> r;
};
struct RowOfMultiset {
  std::optional<Counted> r;
};
struct ArrayOfTime6 {
  std::optional<std::vector<std::optional<upsertkit::time_of_day<6>>>> ts;
};
struct RowOfTime6 {
  std::optional<Timed> r;
};
struct TimeThenMap {
  std::optional<upsertkit::time_of_day<6>> t;
  std::optional<std::map<std::string, std::optional<std::int32_t>>> m;
};

}  // namespace nested_csv_test

BOOST_HANA_ADAPT_STRUCT(nested_csv_test::Listing, id, tags, scores, home);
BOOST_HANA_ADAPT_STRUCT(nested_csv_test::Every, dec, dbl, flt, byt, ts, flags, day, tm, ltz, tiny,
                        r);
BOOST_HANA_ADAPT_STRUCT(nested_csv_test::Bits, bits, owned);
BOOST_HANA_ADAPT_STRUCT(nested_csv_test::Decimals, top, nested, strict);
BOOST_HANA_ADAPT_STRUCT(nested_csv_test::ArrayOfArrays, aa);
BOOST_HANA_ADAPT_STRUCT(nested_csv_test::ArrayOfRows, visits);
BOOST_HANA_ADAPT_STRUCT(nested_csv_test::ArrayOfMaps, am);
BOOST_HANA_ADAPT_STRUCT(nested_csv_test::RowOfArray, r);
BOOST_HANA_ADAPT_STRUCT(nested_csv_test::RowOfMultiset, r);
BOOST_HANA_ADAPT_STRUCT(nested_csv_test::ArrayOfTime6, ts);
BOOST_HANA_ADAPT_STRUCT(nested_csv_test::RowOfTime6, r);
BOOST_HANA_ADAPT_STRUCT(nested_csv_test::TimeThenMap, t, m);

namespace nested_csv_test {
namespace {

namespace csv = upsertkit::csv;
using upsertkit::no_primary_key;
using listings = upsertkit::table<Listing, no_primary_key>;
using everies = upsertkit::table<Every, no_primary_key>;
using bit_table = upsertkit::table<Bits, no_primary_key>;
using decimal_table = upsertkit::table<Decimals, no_primary_key>;
using fixed_homes = upsertkit::table<Fixed, no_primary_key>;

// Every column of `Table`, under its member names.
template <class Table>
upsertkit::projection all_columns() {
  upsertkit::projection p;
  for (std::size_t i = 0; i < Table::column_count; ++i) {
    p.columns.push_back(static_cast<std::uint16_t>(i));
    p.names.emplace_back(Table::column_names[i]);
  }
  return p;
}

template <class Table>
csv::codec<Table> codec_for(csv::options opts = {}) {
  return csv::codec<Table>(all_columns<Table>(), std::move(opts));
}

csv::options with_null_literal(std::string literal) {
  csv::options opts;
  opts.null_literal = std::move(literal);
  return opts;
}

template <class Table>
std::string encode(const typename Table::row_type& row, csv::options opts = {}) {
  std::string out;
  codec_for<Table>(std::move(opts)).encode(row, out);
  return out;
}

template <class Table>
std::string construction_error(upsertkit::projection columns, csv::options opts = {}) {
  try {
    csv::codec<Table> codec(std::move(columns), std::move(opts));
  } catch (const upsertkit::config_error& e) {
    return e.what();
  }
  return "no error";
}

template <class Table>
std::string construction_error() {
  return construction_error<Table>(all_columns<Table>());
}

// The construction error of a codec for every column of a table of `Struct`.
template <class Struct>
std::string refusal_of() {
  return construction_error<upsertkit::table<Struct, no_primary_key>>();
}

using strings = std::vector<std::optional<std::string_view>>;

std::string raw_bytes(std::initializer_list<int> values) {
  std::string out;
  for (int v : values)
    out += static_cast<char>(v);
  return out;
}

upsertkit::timestamp at_millis(std::int64_t days, std::int64_t millis_of_day) {
  return upsertkit::timestamp{days * 86'400'000 + millis_of_day};
}

// -----------------------------------------------------------------------------------------
// Decoding

// Flink: "a;b;c" -> [a, b, c]; " " -> []; "  ;" -> [  , ]; "a;" -> [a, ]; ";" -> [, ];
// "\"a,b;c\"" -> [a,b, c]; "\"\"" -> []; "a; b ;c " -> [a,  b , c ]; a;"b" -> [a, "b"].
TEST(NestedCsvDecode, ArrayElementsAreTheFieldSplitAtTheDelimiter) {
  auto codec = codec_for<listings>();
  std::deque<std::string> messages;  // the returned views point into them
  const auto tags_of = [&](std::string_view field) -> std::optional<strings> {
    Listing row{};
    const std::string& message = messages.emplace_back("1," + std::string(field) + ",,");
    const auto status = codec.decode(message, row);
    EXPECT_TRUE(status.ok()) << field << ": " << status.describe();
    return row.tags;
  };
  EXPECT_EQ(tags_of("a;b;c"), (strings{"a", "b", "c"}));
  EXPECT_EQ(tags_of(""), strings{});    // empty field: an empty ARRAY, not NULL
  EXPECT_EQ(tags_of("  "), strings{});  // blank, without a delimiter: no elements
  EXPECT_EQ(tags_of("  ;"), (strings{"  ", ""}));
  EXPECT_EQ(tags_of("a;"), (strings{"a", ""}));
  EXPECT_EQ(tags_of(";"), (strings{"", ""}));
  EXPECT_EQ(tags_of(R"("a,b;c")"), (strings{"a,b", "c"}));  // the field is unquoted first
  EXPECT_EQ(tags_of(R"("")"), strings{});
  EXPECT_EQ(tags_of("a; b ;c "), (strings{"a", " b ", "c "}));  // strings are not trimmed
  EXPECT_EQ(tags_of(R"(a;"b")"), (strings{"a", R"("b")"}));     // elements have no quoting
  EXPECT_EQ(tags_of(R"(a\;b)"), (strings{R"(a\)", "b"}));       // nor escaping
  EXPECT_EQ(tags_of("N"), (strings{"N"}));                      // no null literal set: just text
}

TEST(NestedCsvDecode, StringElementsPointIntoTheMessageOrTheScratchBuffer) {
  auto codec = codec_for<listings>();
  Listing row{};
  const std::string message = R"(1,ab;cd,,)";
  ASSERT_TRUE(codec.decode(message, row).ok());
  ASSERT_EQ(row.tags->size(), 2U);
  EXPECT_EQ((*row.tags)[1]->data(), message.data() + 5);  // zero copy

  const std::string quoted = R"(1,"say ""hi"";x",,)";
  ASSERT_TRUE(codec.decode(quoted, row).ok());
  EXPECT_EQ(row.tags, (strings{R"(say "hi")", "x"}));
  const auto* first = (*row.tags)[0]->data();
  EXPECT_FALSE(first >= quoted.data() && first < quoted.data() + quoted.size());
}

// Flink with null-literal N: "N" -> [null]; "a;N" -> [a, null]; "a;N;" -> [a, null, ];
// "\"N\"" -> [null]. The whole field is never compared to the null literal.
TEST(NestedCsvDecode, NullLiteralIsComparedPerElement) {
  auto codec = codec_for<listings>(with_null_literal("N"));
  Listing row{};
  ASSERT_TRUE(codec.decode("1,N,,", row).ok());
  EXPECT_EQ(row.tags, (strings{std::nullopt}));
  ASSERT_TRUE(codec.decode("1,a;N,,", row).ok());
  EXPECT_EQ(row.tags, (strings{"a", std::nullopt}));
  ASSERT_TRUE(codec.decode("1,a;N;,,", row).ok());
  EXPECT_EQ(row.tags, (strings{"a", std::nullopt, ""}));
  ASSERT_TRUE(codec.decode(R"(1,"N",,)", row).ok());
  EXPECT_EQ(row.tags, (strings{std::nullopt}));
}

// Flink: " 1 ; 2 ;+3" -> [1, 2, 3]; "1;x", "1;;3", "2147483648" -> NumberFormatException
// under "Fail to deserialize at field: scores."; with null-literal N, "1;N" -> [1, null].
TEST(NestedCsvDecode, ElementsConvertLikeColumnsAndErrorsNameTheElement) {
  auto codec = codec_for<listings>();
  Listing row{};
  ASSERT_TRUE(codec.decode("1,, 1 ; 2 ;+3,", row).ok());
  EXPECT_EQ(row.scores, (std::vector<std::int32_t>{1, 2, 3}));

  auto status = codec.decode("1,,1;x,", row);
  ASSERT_TRUE(status.failed());
  EXPECT_EQ(status.failure().field, "scores[1]");
  EXPECT_EQ(status.failure().message, "cannot parse 'x' as INT");
  status = codec.decode("1,,1;;3,", row);
  EXPECT_EQ(status.describe(), "field 'scores[1]': cannot parse '' as INT");
  status = codec.decode("1,,2147483648,", row);
  EXPECT_EQ(status.describe(),
            "field 'scores[0]': cannot parse '2147483648' as INT: value out of range");

  // A NULL element where the elements are NOT NULL is refused (Flink stores the null).
  auto with_null = codec_for<listings>(with_null_literal("N"));
  status = with_null.decode("1,,1;N,", row);
  EXPECT_EQ(status.describe(), "field 'scores[1]': null value for NOT NULL element");
}

// Flink: "Main St;12345" -> +I[Main St, 12345]; " " and "" -> null; "x" -> Row length
// mismatch. 2 fields expected but was 1.; "x;1;extra" -> +I[x, 1]; "x;" -> NumberFormatException
// at field zip; ";5" -> +I[, 5]; "x; 7 " -> +I[x, 7]; with null-literal N: "N;5" -> +I[null, 5],
// "N" -> Row length mismatch.
TEST(NestedCsvDecode, RowFieldsAreTheElementsByPosition) {
  auto codec = codec_for<listings>();
  Listing row{};
  ASSERT_TRUE(codec.decode(R"(1,,,"Main St;12345")", row).ok());
  ASSERT_TRUE(row.home.has_value());
  EXPECT_EQ(row.home->street, "Main St");
  EXPECT_EQ(row.home->zip, 12345);

  ASSERT_TRUE(codec.decode("1,,,x;1;extra", row).ok());  // extra elements are ignored
  EXPECT_EQ(row.home->street, "x");
  EXPECT_EQ(row.home->zip, 1);
  ASSERT_TRUE(codec.decode("1,,,;5", row).ok());
  EXPECT_EQ(row.home->street, "");
  EXPECT_EQ(row.home->zip, 5);
  ASSERT_TRUE(codec.decode("1,,,x; 7 ", row).ok());
  EXPECT_EQ(row.home->zip, 7);

  ASSERT_TRUE(codec.decode("1,,,", row).ok());  // no elements: a NULL ROW
  EXPECT_FALSE(row.home.has_value());
  row.home = Street{"old", 1};
  ASSERT_TRUE(codec.decode("1,,,  ", row).ok());
  EXPECT_FALSE(row.home.has_value());

  auto status = codec.decode("1,,,x", row);
  EXPECT_EQ(status.failure().field, "home");
  EXPECT_EQ(status.failure().message, "Row length mismatch. 2 fields expected but was 1.");
  status = codec.decode("1,,,x;", row);
  EXPECT_EQ(status.describe(), "field 'home.zip': cannot parse '' as INT");

  auto with_null = codec_for<listings>(with_null_literal("N"));
  ASSERT_TRUE(with_null.decode("1,,,N;5", row).ok());
  EXPECT_FALSE(row.home->street.has_value());
  EXPECT_EQ(row.home->zip, 5);
  status = with_null.decode("1,,,N", row);
  EXPECT_EQ(status.describe(), "field 'home': Row length mismatch. 2 fields expected but was 1.");
  status = with_null.decode("1,,,x;N", row);
  EXPECT_EQ(status.describe(), "field 'home.zip': null value for NOT NULL field");
}

TEST(NestedCsvDecode, NotNullRowWithoutElementsIsRefused) {
  // Flink sets the NOT NULL ROW to null; upsertkit cannot.
  auto codec = codec_for<fixed_homes>();
  Fixed row{};
  EXPECT_EQ(codec.decode(" ", row).describe(), "field 'home': null value for NOT NULL column");
  ASSERT_TRUE(codec.decode("a;2", row).ok());
  EXPECT_EQ(row.home.street, "a");
  EXPECT_EQ(row.home.zip, 2);
}

// Flink 1.20.3 read this message (null-literal N) as +I[[1E-10, 60.0000000000, null],
// [1.0E7, NaN, -0.0, 60.0], [1.1, 1.0E10], [[0, -1, 16], [-5, -1], []],
// [2020-03-08T13:12:11.120, 1970-01-01T00:00], [true, false, false], [2020-03-25, 2020-03-05],
// [13:12:11, 00:00], [2020-03-08T13:12:11.120Z], [-3, 127], +I[1E-10, [-5], 2.5]].
TEST(NestedCsvDecode, EveryScalarTypeAsAnElement) {
  auto codec = codec_for<everies>(with_null_literal("N"));
  Every row{};
  const std::string message =
      "1E-10;60.00;N,1.0E7;NaN; -0.0 ;60,1.1;1.0E10,AP8Q;+/8=;,"
      "2020-03-08 13:12:11.12;1970-01-01 00:00:00,true;FALSE;x,2020-03-25;2020-3-5,"
      "13:12:11;00:00,2020-03-08 13:12:11.12Z,-3; 127,1E-10;+w==;2.5";
  const auto status = codec.decode(message, row);
  ASSERT_TRUE(status.ok()) << status.describe();
  using dec = upsertkit::decimal<18, 10>;
  EXPECT_EQ(row.dec, (std::vector<std::optional<dec>>{dec{1}, dec{600'000'000'000}, std::nullopt}));
  ASSERT_EQ(row.dbl->size(), 4U);
  EXPECT_EQ((*row.dbl)[0], 1.0E7);
  EXPECT_TRUE(std::isnan(*(*row.dbl)[1]));
  EXPECT_TRUE(std::signbit(*(*row.dbl)[2]));
  EXPECT_EQ((*row.dbl)[3], 60.0);
  EXPECT_EQ(row.flt, (std::vector<std::optional<float>>{1.1f, 1.0E10f}));
  EXPECT_EQ(row.byt, (std::vector<std::optional<upsertkit::bytes>>{
                         upsertkit::bytes(raw_bytes({0x00, 0xFF, 0x10})),
                         upsertkit::bytes(raw_bytes({0xFB, 0xFF})), upsertkit::bytes()}));
  const std::int64_t march_8 = upsertkit::days_from_civil(2020, 3, 8);
  EXPECT_EQ(row.ts, (std::vector<std::optional<upsertkit::timestamp>>{
                        at_millis(march_8, 47'531'120), at_millis(0, 0)}));
  EXPECT_EQ(row.flags, (std::vector<std::optional<bool>>{true, false, false}));
  EXPECT_EQ(row.day, (std::vector<std::optional<upsertkit::date>>{
                         upsertkit::date{upsertkit::days_from_civil(2020, 3, 25)},
                         upsertkit::date{upsertkit::days_from_civil(2020, 3, 5)}}));
  using time0 = upsertkit::time_of_day<0>;
  EXPECT_EQ(row.tm, (std::vector<std::optional<time0>>{time0{std::chrono::seconds(47'531)},
                                                       time0{std::chrono::seconds(0)}}));
  using ltz3 = upsertkit::timestamp_ltz<3>;
  EXPECT_EQ(row.ltz, (std::vector<std::optional<ltz3>>{
                         ltz3(std::chrono::milliseconds(march_8 * 86'400'000 + 47'531'120))}));
  EXPECT_EQ(row.tiny, (std::vector<std::optional<std::int8_t>>{-3, 127}));
  ASSERT_TRUE(row.r.has_value());
  EXPECT_EQ(row.r->amount, dec{1});
  EXPECT_EQ(row.r->data, upsertkit::bytes(raw_bytes({0xFB})));
  EXPECT_EQ(row.r->ratio, 2.5);
}

// Flink: "AP8" -> "Unable to deserialize byte array."; "1;128" for TINYINT -> "Value out of
// range."; " 1" for DECIMAL -> NumberFormatException; "1;x" for the 3-field ROW -> "Row length
// mismatch. 3 fields expected but was 2."; a TIMESTAMP with 'T' -> DateTimeParseException.
TEST(NestedCsvDecode, ElementErrorsNameColumnAndIndex) {
  auto codec = codec_for<everies>();
  Every row{};
  EXPECT_EQ(codec.decode(",,,AP8Q;AP8,,,,,,,", row).describe(),
            "field 'byt[1]': cannot parse 'AP8' as BYTES: not base64");
  EXPECT_EQ(codec.decode(",,,,,,,,,1;128,", row).describe(),
            "field 'tiny[1]': cannot parse '128' as TINYINT: value out of range");
  EXPECT_EQ(codec.decode(" 1,,,,,,,,,,", row).describe(),
            "field 'dec[0]': cannot parse ' 1' as DECIMAL(18, 10)");
  EXPECT_EQ(codec.decode(",,,,,,,,,,1;x", row).describe(),
            "field 'r': Row length mismatch. 3 fields expected but was 2.");
  EXPECT_EQ(codec.decode(",,,,,,,,,,1;AP8;2", row).describe(),
            "field 'r.data': cannot parse 'AP8' as BYTES: not base64");
  EXPECT_EQ(codec.decode(",,,,2020-03-08T13:12,,,,,,", row).describe(),
            "field 'ts[0]': cannot parse '2020-03-08T13:12' as TIMESTAMP(3): "
            "yyyy-MM-dd HH:mm:ss[.f]");
}

TEST(NestedCsvDecode, DecimalOverflowIsANullElement) {
  auto codec = codec_for<decimal_table>(with_null_literal("N"));
  Decimals row{};
  // DecimalData.fromBigDecimal: too many digits is null, for an element too.
  const auto status = codec.decode("N,123456789;1,", row);
  ASSERT_TRUE(status.ok()) << status.describe();
  EXPECT_EQ(row.nested, (std::vector<std::optional<upsertkit::decimal<18, 10>>>{
                            std::nullopt, upsertkit::decimal<18, 10>{10'000'000'000}}));
  EXPECT_EQ(codec.decode("N,,1.5;12345", row).describe(),
            "field 'strict[1]': null value for NOT NULL element ('12345' overflows "
            "DECIMAL(4, 1))");
}

TEST(NestedCsvDecode, BooleanVectorsAndOwnedStrings) {
  auto codec = codec_for<bit_table>(with_null_literal("N"));
  Bits row{};
  ASSERT_TRUE(codec.decode("true;x; TRUE ,a;b", row).ok());
  EXPECT_EQ(row.bits, (std::vector<bool>{true, false, true}));
  EXPECT_EQ(row.owned, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(codec.decode(",a;N", row).describe(),
            "field 'owned[1]': null value for NOT NULL element");
}

// -----------------------------------------------------------------------------------------
// Encoding

// Flink wrote: ["a", null, "c d"] -> "a;;c d" (null-literal N: "a;N;c d"); [a, b] -> a;b;
// ["x;y", z] -> x;y;z; ["say \"hi\"", b] -> "say ""hi"";b"; ["a,b", c] -> "a,b;c"; [""], [],
// NULL and [null] -> nothing (null-literal N: NULL and [null] -> N); 26 characters -> quoted;
// ["a\b", c] -> "a\b;c".
TEST(NestedCsvEncode, ArrayIsOneStringOfJoinedElements) {
  const auto tags = [](strings values, csv::options opts = {}) {
    Listing row{};
    row.tags = std::move(values);
    row.home = Street{"h", 1};
    const std::string out = encode<listings>(row, std::move(opts));
    return out.substr(2, out.size() - 7);  // between "0," and ",,h;1"
  };
  EXPECT_EQ(tags({"a", std::nullopt, "c d"}), R"("a;;c d")");
  EXPECT_EQ(tags({"a", std::nullopt, "c d"}, with_null_literal("N")), R"("a;N;c d")");
  EXPECT_EQ(tags({"a", "b"}), "a;b");
  EXPECT_EQ(tags({"x;y", "z"}), "x;y;z");  // the delimiter inside an element is not escaped
  EXPECT_EQ(tags({R"(say "hi")", "b"}), R"("say ""hi"";b")");
  EXPECT_EQ(tags({"a,b", "c"}), R"("a,b;c")");
  EXPECT_EQ(tags({""}), "");
  EXPECT_EQ(tags({}), "");
  EXPECT_EQ(tags({std::nullopt}), "");
  EXPECT_EQ(tags({std::nullopt}, with_null_literal("N")), "N");
  EXPECT_EQ(tags({"abcdefghij", "abcdefghij", "abcd"}), R"("abcdefghij;abcdefghij;abcd")");
  EXPECT_EQ(tags({R"(a\b)", "c"}), R"("a\b;c")");

  Listing row{};
  EXPECT_EQ(encode<listings>(row), "0,,,");  // NULL ARRAY, empty NOT NULL ARRAY, NULL ROW
  EXPECT_EQ(encode<listings>(row, with_null_literal("N")), "0,N,,N");
}

// Flink wrote: [1, -2, 3] -> 1;-2;3; ROW(Main St, 12345) -> "Main St;12345"; ROW(null, 7) -> ;7
// (null-literal N: N;7); its whole row: 5,a;b,x;1.
TEST(NestedCsvEncode, IntegersAndRows) {
  Listing row{5, strings{"a", "b"}, {1, -2, 3}, Street{"Main St", 12345}};
  EXPECT_EQ(encode<listings>(row), R"(5,a;b,1;-2;3,"Main St;12345")");
  row.home = Street{std::nullopt, 7};
  EXPECT_EQ(encode<listings>(row), "5,a;b,1;-2;3,;7");
  EXPECT_EQ(encode<listings>(row, with_null_literal("N")), "5,a;b,1;-2;3,N;7");
  row.home = Street{"x", 1};
  row.scores.clear();
  EXPECT_EQ(encode<listings>(row), "5,a;b,,x;1");
}

// Flink wrote (1.20.3): 1E-10;0.1234567891;,1.0E7;NaN;-0.0;60.0,1.1;1.0E10,"AP8Q;+/8=;",
// "2020-03-08 13:12:11.12;1970-01-01 00:00:00",true;false;,2020-03-25;1970-01-01,
// 13:12:11;00:00:00,"2020-03-08 13:12:11.12Z",-3;127,"1E-10;+w==;2.5".
TEST(NestedCsvEncode, EveryScalarTypeAsAnElement) {
  using dec = upsertkit::decimal<18, 10>;
  const std::string data = raw_bytes({0x00, 0xFF, 0x10});
  const std::string plus = raw_bytes({0xFB, 0xFF});
  const std::string fb = raw_bytes({0xFB});
  const std::int64_t march_8 = upsertkit::days_from_civil(2020, 3, 8);
  using time0 = upsertkit::time_of_day<0>;
  using ltz3 = upsertkit::timestamp_ltz<3>;
  Every row{};
  row.dec = {dec{1}, dec{1'234'567'891}, std::nullopt};
  row.dbl = {1.0E7, std::nan(""), -0.0, 60.0};
  row.flt = {1.1f, 1.0E10f};
  row.byt = {upsertkit::bytes(data), upsertkit::bytes(plus), upsertkit::bytes()};
  row.ts = {at_millis(march_8, 47'531'120), at_millis(0, 0)};
  row.flags = {true, false, std::nullopt};
  row.day = {upsertkit::date{upsertkit::days_from_civil(2020, 3, 25)}, upsertkit::date{0}};
  row.tm = {time0{std::chrono::seconds(47'531)}, time0{}};
  row.ltz = {ltz3(std::chrono::milliseconds(march_8 * 86'400'000 + 47'531'120))};
  row.tiny = {std::int8_t{-3}, std::int8_t{127}};
  row.r = Mixed{dec{1}, upsertkit::bytes(fb), 2.5};
  EXPECT_EQ(encode<everies>(row),
            R"(1E-10;0.1234567891;,1.0E7;NaN;-0.0;60.0,1.1;1.0E10,"AP8Q;+/8=;",)"
            R"("2020-03-08 13:12:11.12;1970-01-01 00:00:00",true;false;,2020-03-25;1970-01-01,)"
            R"(13:12:11;00:00:00,"2020-03-08 13:12:11.12Z",-3;127,"1E-10;+w==;2.5")");
}

// Flink writes an element with String.valueOf(BigDecimal): write-bigdecimal-in-scientific-
// notation=false makes the column plain (0.0000000001) but not the elements (1E-10).
TEST(NestedCsvEncode, ElementDecimalsIgnoreThePlainOption) {
  using dec = upsertkit::decimal<18, 10>;
  Decimals row{dec{1}, std::vector<std::optional<dec>>{dec{1}, dec{-5}}, std::nullopt};
  csv::options plain;
  plain.write_bigdecimal_in_scientific_notation = false;
  EXPECT_EQ(encode<decimal_table>(row, plain), "0.0000000001,1E-10;-5E-10,");
  EXPECT_EQ(encode<decimal_table>(row), "1E-10,1E-10;-5E-10,");
  // The column's scale is kept: Flink 1.20.3 (Jackson 2.14) strips trailing zeros, 6E+1
  // (docs/formats.md, "DECIMAL keeps its scale").
  row.nested = {dec{600'000'000'000}};
  row.strict = {upsertkit::decimal<4, 1>{600}};
  EXPECT_EQ(encode<decimal_table>(row), "1E-10,60.0000000000,60.0");
}

TEST(NestedCsvEncode, OptionsApplyToTheJoinedText) {
  Listing row{1, strings{"a", "b"}, {1, 2}, Street{"s", 3}};
  csv::options semicolon_fields;
  semicolon_fields.field_delimiter = ';';
  // The joined text holds the field delimiter: quoted, and it reads back.
  const std::string out = encode<listings>(row, semicolon_fields);
  EXPECT_EQ(out, R"(1;"a;b";"1;2";"s;3")");
  Listing back{};
  ASSERT_TRUE(codec_for<listings>(semicolon_fields).decode(out, back).ok());
  EXPECT_EQ(back.tags, row.tags);
  EXPECT_EQ(back.scores, row.scores);
  EXPECT_EQ(back.home->zip, 3);

  csv::options pipes = csv::parse_options({{"array-element-delimiter", "|"}});
  EXPECT_EQ(encode<listings>(row, pipes), "1,a|b,1|2,s|3");
  ASSERT_TRUE(codec_for<listings>(pipes).decode("1,a;b|c,,", back).ok());
  EXPECT_EQ(back.tags, (strings{"a;b", "c"}));

  csv::options escaped;
  escaped.escape_character = '\\';
  row.tags = strings{R"(a\b)", "c"};
  EXPECT_EQ(encode<listings>(row, escaped), R"(1,"a\\b;c",1;2,s;3)");
}

TEST(NestedCsvEncode, BooleanVectorsRoundTrip) {
  Bits row{{true, false, true}, std::vector<std::string>{"x y", "z"}};
  const std::string out = encode<bit_table>(row);
  EXPECT_EQ(out, R"(true;false;true,"x y;z")");
  Bits back{};
  ASSERT_TRUE(codec_for<bit_table>().decode(out, back).ok());
  EXPECT_EQ(back.bits, row.bits);
  EXPECT_EQ(back.owned, row.owned);
}

// -----------------------------------------------------------------------------------------
// What csv refuses (CsvRowSchemaConverter's texts, checked against Flink 1.20.3)

TEST(NestedCsvSchema, MapAndMultisetColumnsAreRefused) {
  using people = test_nested::people;
  const auto only = [](std::uint16_t column) {
    return construction_error<people>(
        upsertkit::projection{{column}, {std::string(people::column_names[column])}});
  };
  EXPECT_EQ(only(3), "Unsupported type 'MAP<STRING, STRING>' for field 'attributes'.");
  EXPECT_EQ(only(4),
            "Unsupported type 'MAP<STRING, BIGINT NOT NULL> NOT NULL' for field 'counters'.");
  EXPECT_EQ(only(5), "Unsupported type 'MULTISET<STRING>' for field 'labels'.");
  EXPECT_EQ(only(8), "Unsupported type 'MAP<STRING, ARRAY<BIGINT>>' for field 'groups'.");
  // All of `people`: the first refused column in order.
  EXPECT_EQ(construction_error<people>(),
            "Unsupported type 'MAP<STRING, STRING>' for field 'attributes'.");
  // The name is the one in the message (a key's name without its prefix).
  EXPECT_EQ(construction_error<people>(upsertkit::projection{{4}, {"c"}}),
            "Unsupported type 'MAP<STRING, BIGINT NOT NULL> NOT NULL' for field 'c'.");
  EXPECT_EQ(construction_error<people>(upsertkit::projection{{0, 1, 2}, {"id", "tags", "scores"}}),
            "no error");
}

TEST(NestedCsvSchema, NestingBelowTheFirstLevelIsRefused) {
  using people = test_nested::people;
  EXPECT_EQ(construction_error<people>(upsertkit::projection{{6}, {"home"}}),
            "Only simple types are supported in the second level nesting of fields 'home' but "
            "was: ROW<`lat` DOUBLE, `lon` DOUBLE>");
  EXPECT_EQ(construction_error<people>(upsertkit::projection{{7}, {"visits"}}),
            "Only simple types are supported in the second level nesting of fields 'visits' but "
            "was: ROW<`at` TIMESTAMP(3), `amount` DECIMAL(10, 2)>");
  EXPECT_EQ(refusal_of<ArrayOfArrays>(),
            "Only simple types are supported in the second level nesting of fields 'aa' but "
            "was: ARRAY<INT NOT NULL>");
  EXPECT_EQ(refusal_of<ArrayOfRows>(),
            "Only simple types are supported in the second level nesting of fields 'visits' but "
            "was: ROW<`at` TIMESTAMP(3) NOT NULL> NOT NULL");
  EXPECT_EQ(refusal_of<ArrayOfMaps>(),
            "Only simple types are supported in the second level nesting of fields 'am' but "
            "was: MAP<STRING, INT>");
  EXPECT_EQ(refusal_of<RowOfArray>(),
            "Only simple types are supported in the second level nesting of fields 'r' but "
            "was: ARRAY<INT NOT NULL>");
  EXPECT_EQ(refusal_of<RowOfMultiset>(),
            "Only simple types are supported in the second level nesting of fields 'r' but "
            "was: MULTISET<INT>");
}

TEST(NestedCsvSchema, TimeAbovePrecisionThreeIsRefusedAtAnyLevelAfterTheSchema) {
  constexpr std::string_view time6 =
      "Csv does not support TIME type with precision: 6, it only supports precision 0 ~ 3.";
  EXPECT_EQ(refusal_of<ArrayOfTime6>(), time6);
  EXPECT_EQ(refusal_of<RowOfTime6>(), time6);
  // Flink converts the schema (refusing the MAP) before it builds the converters (TIME).
  EXPECT_EQ(refusal_of<TimeThenMap>(), "Unsupported type 'MAP<STRING, INT>' for field 'm'.");
}

TEST(NestedCsvSchema, EmptyArrayElementDelimiterIsRefusedWhenUsed) {
  csv::options none;
  none.array_element_delimiter.clear();
  EXPECT_EQ(construction_error<listings>(all_columns<listings>(), none),
            "Option 'csv.array-element-delimiter' must be a string with single character, but "
            "was: ");
  EXPECT_EQ(construction_error<listings>(upsertkit::projection{{0}, {"id"}}, none), "no error");
}

}  // namespace
}  // namespace nested_csv_test
