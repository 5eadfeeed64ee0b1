// Compile-time schemas: columns, PRIMARY KEY order, projections and their errors.
#include <gtest/gtest.h>
#include <upsertkit/row_codec.hpp>
#include <upsertkit/schema.hpp>

#include <string>
#include <vector>

namespace schema_test {
struct Row {
  std::string name;
  std::int32_t a;
  std::optional<double> score;
  std::int64_t b;
  std::optional<upsertkit::decimal<12, 3>> amount;
  std::optional<upsertkit::date> day;
  std::optional<upsertkit::timestamp> at;
  std::optional<bool> ok;
  std::optional<std::int8_t> tiny;
  std::optional<std::int16_t> small;
  std::optional<float> ratio;
};
// BYTES in the key and as a nullable value.
struct Blob {
  upsertkit::bytes id;
  std::optional<upsertkit::bytes> payload;
  std::int32_t n;
};
}  // namespace schema_test

BOOST_HANA_ADAPT_STRUCT(schema_test::Blob, id, payload, n);
BOOST_HANA_ADAPT_STRUCT(schema_test::Row, name, a, score, b, amount, day, at, ok, tiny, small,
                        ratio);

namespace schema_test {
namespace {
using table = upsertkit::table<Row, upsertkit::primary_key<"b", "a">>;

static_assert(table::column_count == 11);
static_assert(table::key_count == 2);
static_assert(table::key_columns[0] == 3 && table::key_columns[1] == 1,
              "PRIMARY KEY order, not field order");
static_assert(table::column_names[2] == "score");
static_assert(table::column_types[4] == upsertkit::sql_type::decimal);
static_assert(table::column_types[6] == upsertkit::sql_type::timestamp);
static_assert(table::column_types[8] == upsertkit::sql_type::tinyint);
static_assert(table::column_nullable[2] && !table::column_nullable[0]);
static_assert(table::is_key_column(1) && !table::is_key_column(0));

TEST(Schema, ProjectionsAll) {
  upsertkit::table_projections<table> p;
  EXPECT_EQ(p.key.names, (std::vector<std::string>{"b", "a"}));
  EXPECT_EQ(p.key.columns, (std::vector<std::uint16_t>{3, 1}));
  EXPECT_EQ(p.value.columns.size(), 11u);
}

TEST(Schema, ProjectionsExceptKey) {
  upsertkit::table_projections<table> p({upsertkit::fields_include::except_key, ""});
  EXPECT_EQ(p.value.columns.size(), 9u);
  for (auto c : p.value.columns)
    EXPECT_FALSE(table::is_key_column(c));
}

TEST(Schema, PrefixWithAllIsRejectedWithTheReferenceText) {
  try {
    upsertkit::table_projections<table> p({upsertkit::fields_include::all, "k_"});
    FAIL();
  } catch (const upsertkit::config_error& e) {
    EXPECT_STREQ(e.what(),
                 "A key prefix is not allowed when option 'value.fields-include' is set to 'ALL'. "
                 "Set it to 'EXCEPT_KEY' instead to avoid field overlaps.");
  }
}

TEST(Schema, UnprefixedKeyColumnIsRejectedWithTheReferenceText) {
  try {
    upsertkit::table_projections<table> p({upsertkit::fields_include::except_key, "k_"});
    FAIL();
  } catch (const upsertkit::config_error& e) {
    EXPECT_STREQ(e.what(),
                 "All fields in 'key.fields' must be prefixed with 'k_' when option "
                 "'key.fields-prefix' is set but field 'b' is not prefixed.");
  }
}

TEST(Schema, FieldsIncludeParsing) {
  EXPECT_EQ(upsertkit::parse_fields_include("ALL"), upsertkit::fields_include::all);
  EXPECT_EQ(upsertkit::parse_fields_include("EXCEPT_KEY"), upsertkit::fields_include::except_key);
  EXPECT_EQ(upsertkit::parse_fields_include("except_key"), upsertkit::fields_include::except_key);
  EXPECT_EQ(upsertkit::parse_fields_include("All"), upsertkit::fields_include::all);
  EXPECT_THROW(upsertkit::parse_fields_include("NONE"), upsertkit::config_error);
  EXPECT_THROW(upsertkit::parse_fields_include("ALL "), upsertkit::config_error);
}

TEST(RowCodec, RoundTripsEveryTypeAndNull) {
  Row row{"né\0x",
          5,
          1.25,
          -9,
          upsertkit::decimal<12, 3>{123456},
          upsertkit::date{-1},
          upsertkit::timestamp{-1},
          false,
          std::int8_t{-128},
          std::int16_t{300},
          0.5f};
  row.name = std::string("n\0x", 3);
  std::string bytes;
  upsertkit::row_codec<table>::encode(row, bytes);
  Row back{};
  upsertkit::row_codec<table>::decode(bytes, back);
  EXPECT_EQ(back.name, row.name);
  EXPECT_EQ(back.a, 5);
  EXPECT_EQ(back.score, 1.25);
  EXPECT_EQ(back.b, -9);
  EXPECT_EQ(back.amount->unscaled, 123456);
  EXPECT_EQ(back.day->days_since_epoch, -1);
  EXPECT_EQ(back.at->millis_since_epoch, -1);
  EXPECT_EQ(back.ok, false);
  EXPECT_EQ(back.tiny, -128);
  EXPECT_EQ(back.small, 300);
  EXPECT_EQ(back.ratio, 0.5f);

  Row nulls{};
  nulls.name = std::string(200, 'z');  // a length that needs two LEB128 bytes
  bytes.clear();
  upsertkit::row_codec<table>::encode(nulls, bytes);
  upsertkit::row_codec<table>::decode(bytes, back);
  EXPECT_EQ(back.name, nulls.name);
  EXPECT_FALSE(back.score.has_value());
  EXPECT_FALSE(back.ratio.has_value());
}

TEST(RowCodec, EqualRowsHaveEqualBytesAndNullDiffersFromZero) {
  Row x{};
  Row y{};
  std::string bx, by;
  upsertkit::row_codec<table>::encode(x, bx);
  upsertkit::row_codec<table>::encode(y, by);
  EXPECT_EQ(bx, by);
  y.score = 0.0;
  by.clear();
  upsertkit::row_codec<table>::encode(y, by);
  EXPECT_NE(bx, by);
}

static_assert(upsertkit::column_traits<upsertkit::bytes>::type == upsertkit::sql_type::bytes);
static_assert(!upsertkit::column_traits<upsertkit::bytes>::nullable);
static_assert(upsertkit::column_traits<std::optional<upsertkit::bytes>>::nullable);
static_assert(upsertkit::sql_type_name(upsertkit::sql_type::bytes) == "BYTES");
static_assert(upsertkit::bytes("a\0", 2) < upsertkit::bytes("a\xff", 2));  // unsigned order
static_assert(upsertkit::bytes("ab", 1) == upsertkit::bytes("ac", 1));

TEST(RowCodec, BytesAreLengthPrefixedViewsIntoTheState) {
  using blobs = upsertkit::table<Blob, upsertkit::primary_key<"id">>;
  const std::string id("\0\xff\0", 3);
  const std::string payload(200, '\xff');  // a length that needs two LEB128 bytes
  Blob row{upsertkit::bytes(id), upsertkit::bytes(payload), 5};
  std::string state;
  upsertkit::row_codec<blobs>::encode(row, state);
  EXPECT_EQ(state.size(), 1u + 1 + 3 + 2 + 200 + 4);
  Blob back{};
  upsertkit::row_codec<blobs>::decode(state, back);
  EXPECT_EQ(back.id, row.id);
  EXPECT_EQ(back.id.data(), state.data() + 2);  // a view into the state
  EXPECT_EQ(back.payload, row.payload);
  EXPECT_EQ(back.n, 5);

  // Equal content, equal bytes; empty BYTES differs from NULL and from another length.
  std::string again;
  const std::string copy = id;
  upsertkit::row_codec<blobs>::encode(Blob{upsertkit::bytes(copy), row.payload, 5}, again);
  EXPECT_EQ(again, state);
  std::string empty, null;
  upsertkit::row_codec<blobs>::encode(Blob{row.id, upsertkit::bytes(), 5}, empty);
  upsertkit::row_codec<blobs>::encode(Blob{row.id, std::nullopt, 5}, null);
  EXPECT_NE(empty, null);
  upsertkit::row_codec<blobs>::decode(empty, back);
  ASSERT_TRUE(back.payload.has_value());
  EXPECT_TRUE(back.payload->empty());
  upsertkit::row_codec<blobs>::decode(null, back);
  EXPECT_FALSE(back.payload.has_value());

  std::string key;
  upsertkit::row_codec<blobs>::encode_key(row, key);
  EXPECT_EQ(key, std::string("\x03", 1) + id);
  Blob only_key{};
  upsertkit::row_codec<blobs>::decode_key(key, only_key);
  EXPECT_EQ(only_key.id, row.id);
}

// Every string length of the small-copy paths (0-3, 4-7, 8-16, 17-32, longer) and the LEB128
// boundaries, at every alignment: the bytes written are the bytes given, and row_size and
// key_size say exactly how many are written.
TEST(RowCodec, StringsOfEveryLengthRoundTripAndSizesAreExact) {
  using blobs = upsertkit::table<Blob, upsertkit::primary_key<"id">>;
  std::string source(20000, '\0');
  for (std::size_t i = 0; i < source.size(); ++i)
    source[i] = static_cast<char>((i * 131 + 7) % 251);
  std::vector<std::size_t> lengths;
  for (std::size_t n = 0; n <= 70; ++n)
    lengths.push_back(n);
  for (std::size_t n : {127u, 128u, 129u, 300u, 16383u, 16384u, 16385u})
    lengths.push_back(n);
  for (std::size_t n : lengths) {
    for (std::size_t offset : {0u, 1u, 7u}) {
      const upsertkit::bytes id(source.data() + offset, n);
      const upsertkit::bytes payload(source.data() + offset + 1, n);
      const Blob row{id, payload, static_cast<std::int32_t>(n)};
      // Written after a prefix, into a buffer with slack on both sides.
      std::string buffer(3 + upsertkit::row_codec<blobs>::row_size(row) + 3, '#');
      char* end = upsertkit::row_codec<blobs>::write_row(row, buffer.data() + 3);
      ASSERT_EQ(end - buffer.data(),
                static_cast<std::ptrdiff_t>(3 + upsertkit::row_codec<blobs>::row_size(row)))
          << n;
      EXPECT_EQ(buffer.substr(0, 3), "###");
      EXPECT_EQ(buffer.substr(buffer.size() - 3), "###");
      Blob back{};
      upsertkit::row_codec<blobs>::decode(std::string_view(buffer).substr(3), back);
      EXPECT_EQ(back.id, id) << n;
      EXPECT_EQ(back.payload, payload) << n;
      EXPECT_EQ(back.n, static_cast<std::int32_t>(n));

      std::string key(upsertkit::row_codec<blobs>::key_size(row), '#');
      EXPECT_EQ(upsertkit::row_codec<blobs>::write_key(row, key.data()), key.data() + key.size());
      Blob only_key{};
      upsertkit::row_codec<blobs>::decode_key(key, only_key);
      EXPECT_EQ(only_key.id, id) << n;
    }
  }
}

TEST(RowCodec, KeyBytesFollowPrimaryKeyOrder) {
  Row row{};
  row.a = 1;
  row.b = 2;
  std::string key;
  upsertkit::row_codec<table>::encode_key(row, key);
  ASSERT_EQ(key.size(), 8u + 4u);
  std::int64_t b = 0;
  std::memcpy(&b, key.data(), 8);
  EXPECT_EQ(b, 2);
  Row back{};
  upsertkit::row_codec<table>::decode_key(key, back);
  EXPECT_EQ(back.a, 1);
  EXPECT_EQ(back.b, 2);
}

}  // namespace
}  // namespace schema_test
