// Tests for the `raw` format: one column as the whole key or value, options, Flink's errors.
//
// The test that materializes raw records, RawBytes.RawKeyAndRawValueInAPipeline, is a typed
// test over the state stores (store_fixtures.hpp): on the memory store (ctest:
// RawBytes.RawKeyAndRawValueInAPipeline<store_fixtures::memory>, GoogleTest: RawBytes/0.*) and,
// configured with UPSERTKIT_ROCKSDB=ON, on the RocksDB store (<store_fixtures::rocksdb>,
// RawBytes/1.*). The tests of the codec, its options and a decoder alone stay plain tests: no
// store plays a part in them.
#include "upsertkit/formats/raw.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "orders/orders_table.hpp"
#include "store_fixtures.hpp"
#include "upsertkit/formats/format.hpp"
#include "upsertkit/pipeline.hpp"
#include "upsertkit/print.hpp"

namespace raw_test {

struct Numbers {
  std::string_view key;
  std::optional<bool> flag;
  std::optional<std::int8_t> tiny;
  std::optional<std::int16_t> small;
  std::optional<std::int32_t> integer;
  std::optional<std::int64_t> big;
  std::optional<float> real;
  std::optional<double> dbl;
  std::optional<std::string> owned;
  std::optional<upsertkit::decimal<10, 2>> amount;
  upsertkit::date day;
};

// A key/value table where both sides are one column: key STRING, value STRING.
struct Word {
  std::string_view word;
  std::optional<std::string_view> text;
};

// BYTES on both sides: key BYTES, value BYTES.
struct Blob {
  upsertkit::bytes id;
  std::optional<upsertkit::bytes> payload;
};

}  // namespace raw_test

BOOST_HANA_ADAPT_STRUCT(raw_test::Blob, id, payload);
BOOST_HANA_ADAPT_STRUCT(raw_test::Numbers, key, flag, tiny, small, integer, big, real, dbl, owned,
                        amount, day);
BOOST_HANA_ADAPT_STRUCT(raw_test::Word, word, text);

namespace raw_test {
namespace {

namespace raw = upsertkit::raw;
using numbers = upsertkit::table<Numbers, upsertkit::primary_key<"key">>;
using words = upsertkit::table<Word, upsertkit::primary_key<"word">>;

std::string bytes(std::initializer_list<int> values) {
  std::string out;
  for (int v : values)
    out += static_cast<char>(v);
  return out;
}

raw::codec<numbers> column(std::uint16_t index, raw::options opts = {}) {
  return raw::codec<numbers>(
      upsertkit::projection{{index}, {std::string(numbers::column_names[index])}}, opts);
}

std::string config_error_text(auto&& make) {
  try {
    make();
  } catch (const upsertkit::config_error& e) {
    return e.what();
  }
  return "no error";
}

TEST(Raw, StringIsTheMessageBytesZeroCopy) {
  auto codec = column(0);
  const std::string message = "202303251202020001";
  Numbers row{};
  ASSERT_TRUE(codec.decode(message, row).ok());
  EXPECT_EQ(row.key, message);
  EXPECT_EQ(row.key.data(), message.data());
  std::string out;
  codec.encode(row, out);
  EXPECT_EQ(out, message);

  // An empty message is the empty string (only a null message is NULL).
  Numbers empty{};
  ASSERT_TRUE(column(8).decode("", empty).ok());
  EXPECT_EQ(empty.owned, std::optional<std::string>(""));
}

TEST(Raw, NumbersAreBigEndianByDefault) {
  Numbers row{};
  row.flag = true;
  row.tiny = -2;
  row.small = 0x0102;
  row.integer = 0x01020304;
  row.big = -2;
  row.real = 1.5F;
  row.dbl = 60.0;
  auto encoded = [&](std::uint16_t index, raw::options opts = {}) {
    std::string out;
    column(index, opts).encode(row, out);
    return out;
  };
  EXPECT_EQ(encoded(1), bytes({0x01}));
  EXPECT_EQ(encoded(2), bytes({0xfe}));
  EXPECT_EQ(encoded(3), bytes({0x01, 0x02}));
  EXPECT_EQ(encoded(4), bytes({0x01, 0x02, 0x03, 0x04}));
  EXPECT_EQ(encoded(5), bytes({0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe}));
  EXPECT_EQ(encoded(6), bytes({0x3f, 0xc0, 0x00, 0x00}));
  EXPECT_EQ(encoded(7), bytes({0x40, 0x4e, 0, 0, 0, 0, 0, 0}));
  raw::options little = raw::parse_options({{"endianness", "LITTLE-ENDIAN"}});
  EXPECT_EQ(encoded(4, little), bytes({0x04, 0x03, 0x02, 0x01}));
  EXPECT_EQ(encoded(7, little), bytes({0, 0, 0, 0, 0, 0, 0x4e, 0x40}));

  for (std::uint16_t index = 1; index <= 7; ++index) {
    for (raw::options opts : {raw::options{}, little}) {
      Numbers back{};
      auto status = column(index, opts).decode(encoded(index, opts), back);
      ASSERT_TRUE(status.ok()) << status.describe();
      std::string again;
      column(index, opts).encode(back, again);
      EXPECT_EQ(again, encoded(index, opts)) << index;
    }
  }
}

TEST(Raw, BooleanIsAnyNonZeroByte) {
  Numbers row{};
  ASSERT_TRUE(column(1).decode(bytes({0x07}), row).ok());
  EXPECT_EQ(row.flag, true);
  ASSERT_TRUE(column(1).decode(bytes({0x00}), row).ok());
  EXPECT_EQ(row.flag, false);
}

TEST(Raw, WrongSizeIsFlinksError) {
  Numbers row{};
  EXPECT_EQ(column(4).decode("abc", row).describe(),
            "field 'integer': Size of data received for deserializing INT type is not 4.");
  EXPECT_EQ(column(7).decode("", row).describe(),
            "field 'dbl': Size of data received for deserializing DOUBLE type is not 8.");
  EXPECT_EQ(column(1).decode("ab", row).describe(),
            "field 'flag': Size of data received for deserializing BOOLEAN type is not 1.");
}

TEST(Raw, NullWritesNothingAndIsReported) {
  Word row{"w", std::nullopt};
  raw::codec<words> codec(
      upsertkit::table_projections<words>(
          upsertkit::key_value_layout{upsertkit::fields_include::except_key, ""})
          .value);
  EXPECT_TRUE(codec.is_null(row));
  std::string out;
  codec.encode(row, out);
  EXPECT_EQ(out, "");
  row.text = "t";
  EXPECT_FALSE(codec.is_null(row));
}

TEST(Raw, MoreThanOneColumnIsFlinksError) {
  EXPECT_EQ(config_error_text([] {
              raw::codec<orders::table>(upsertkit::table_projections<orders::table>().value);
            }).substr(0, 214),
            "The 'raw' format only supports single physical column. However the defined schema "
            "contains multiple physical columns: [`order_id` STRING NOT NULL, `order_channel` "
            "STRING, `order_time` STRING, `pay_amount` DOUBLE, `");
  EXPECT_EQ(config_error_text([] {
              raw::codec<words>(upsertkit::table_projections<words>().value);  // ALL: 2 columns
            }),
            "The 'raw' format only supports single physical column. However the defined schema "
            "contains multiple physical columns: [`word` STRING NOT NULL, `text` STRING]");
}

TEST(Raw, UnsupportedColumnTypesAreFlinksError) {
  EXPECT_EQ(config_error_text([] { column(9); }),
            "The 'raw' format doesn't supports 'DECIMAL(10, 2)' as column type.");
  EXPECT_EQ(config_error_text([] { column(10); }),
            "The 'raw' format doesn't supports 'DATE NOT NULL' as column type.");
}

TEST(RawOptions, ErrorTexts) {
  EXPECT_NO_THROW(raw::parse_options({{"charset", "utf-8"}, {"endianness", "big-endian"}}));
  EXPECT_EQ(config_error_text([] {
              raw::parse_options({{"endianness", "middle"}});
            }),
            "Unsupported endianness name: middle. Valid values of 'raw.endianness' option are "
            "'big-endian' and 'little-endian'.");
  EXPECT_EQ(config_error_text([] {
              raw::parse_options({{"charset", "ISO-8859-1"}});
            }),
            "Unsupported 'raw.charset' name: ISO-8859-1. upsertkit reads and writes UTF-8 only.");
  EXPECT_EQ(config_error_text([] {
              raw::parse_options({{"line-delimiter", "\n"}});
            }),
            "Unsupported options found for 'raw'.\n\nUnsupported options:\n\nraw.line-delimiter"
            "\n\nSupported options:\n\nraw.charset\nraw.endianness");
}

TEST(RawFormat, RawKeyAndJsonValueInAPipeline) {
  // The common Flink setup: 'key.format' = 'raw' for a single STRING key.
  upsertkit::format_config formats;
  formats.key_format = "raw";
  formats.value_format = "json";
  upsertkit::record_decoder<orders::table> decoder(formats);
  EXPECT_EQ(decoder.key_codec().name(), "raw");
  orders::Order row{};
  upsertkit::record_view record;
  const std::string key = "202303251202020001";
  const std::string value = R"({"order_id":"202303251202020001","user_name":"Bob"})";
  record.key = key;
  record.value = value;
  ASSERT_EQ(decoder.decode(record, row), upsertkit::record_outcome::upsert)
      << decoder.status().describe();
  EXPECT_EQ(row.order_id, key);
  EXPECT_EQ(row.user_name, "Bob");

  // A raw value under ALL has every column: Flink's error at construction.
  formats.value_format = "raw";
  EXPECT_THROW(upsertkit::record_decoder<orders::table>{formats}, upsertkit::config_error);
}

using blobs = upsertkit::table<Blob, upsertkit::primary_key<"id">>;

// A test on one store (store_fixtures.hpp).
template <class Stores>
class RawBytes : public ::testing::Test {
 protected:
  Stores stores;
};
TYPED_TEST_SUITE(RawBytes, store_fixtures::all);

upsertkit::table_projections<blobs> blob_projections() {
  return upsertkit::table_projections<blobs>(
      upsertkit::key_value_layout{upsertkit::fields_include::except_key, ""});
}

TEST(RawBytes, KeyAndValueAreTheMessageBytesZeroCopy) {
  const auto projections = blob_projections();
  raw::codec<blobs> key_codec(projections.key);
  raw::codec<blobs> value_codec(projections.value);
  const std::string key = bytes({0x00, 0xFF, 0x41, 0x00});
  const std::string value = bytes({0xFF, 0xFE, 0x00, 0x7F, 0x80});
  Blob row{};
  ASSERT_TRUE(key_codec.decode(key, row).ok());
  ASSERT_TRUE(value_codec.decode(value, row).ok());
  EXPECT_EQ(row.id.data(), key.data());  // a view into the message
  EXPECT_EQ(row.id, upsertkit::bytes(key));
  EXPECT_EQ(row.id.size(), 4u);
  EXPECT_EQ(row.id[1], 0xFF);
  ASSERT_TRUE(row.payload.has_value());
  EXPECT_EQ(row.payload->data(), value.data());
  EXPECT_EQ(row.payload->view(), value);

  std::string out;
  key_codec.encode(row, out);
  EXPECT_EQ(out, key);
  out.clear();
  value_codec.encode(row, out);
  EXPECT_EQ(out, value);
}

TEST(RawBytes, EmptyMessageIsEmptyBytesAndNullIsNoMessage) {
  const auto projections = blob_projections();
  raw::codec<blobs> value_codec(projections.value);
  Blob row{};
  ASSERT_TRUE(value_codec.decode("", row).ok());
  ASSERT_TRUE(row.payload.has_value());
  EXPECT_TRUE(row.payload->empty());
  EXPECT_FALSE(value_codec.is_null(row));
  std::string out = "x";
  value_codec.encode(row, out);
  EXPECT_EQ(out, "x");

  row.payload.reset();
  EXPECT_TRUE(value_codec.is_null(row));
  value_codec.encode(row, out);
  EXPECT_EQ(out, "x");
}

TEST(RawBytes, MultipleColumnsErrorNamesBytes) {
  EXPECT_EQ(
      config_error_text([] { raw::codec<blobs>(upsertkit::table_projections<blobs>().value); }),
      "The 'raw' format only supports single physical column. However the defined schema "
      "contains multiple physical columns: [`id` BYTES NOT NULL, `payload` BYTES]");
}

TYPED_TEST(RawBytes, RawKeyAndRawValueInAPipeline) {
  upsertkit::format_config formats;
  formats.key_format = "raw";
  formats.value_format = "raw";
  formats.layout = upsertkit::key_value_layout{upsertkit::fields_include::except_key, ""};
  std::vector<std::string> lines;
  auto handler = [&](const upsertkit::change<Blob>& c) {
    std::string line;
    upsertkit::append_printed_row<blobs>(line, c.kind, c.row, upsertkit::print_style::modern);
    lines.push_back(std::move(line));
  };
  upsertkit::upsert_pipeline<blobs, decltype(handler), typename TypeParam::store> pipeline(formats,
                                                                                           handler);
  this->stores.attach(pipeline.state());
  const std::string key = bytes({0x01, 0x00, 0xFF});
  pipeline.apply(key, bytes({0x00}));
  this->stores.durability_point(pipeline.state());
  pipeline.apply(key, bytes({0x00}));  // the same row: no change
  pipeline.apply(key, bytes({0x00, 0x00}));
  this->stores.durability_point(pipeline.state());
  pipeline.apply(key, std::string());  // empty bytes: a value, not a tombstone
  this->stores.durability_point(pipeline.state());
  pipeline.apply(key, std::nullopt);  // tombstone
  EXPECT_EQ(lines, (std::vector<std::string>{
                       "+I[[1, 0, -1], [0]]",
                       "-U[[1, 0, -1], [0]]",
                       "+U[[1, 0, -1], [0, 0]]",
                       "-U[[1, 0, -1], [0, 0]]",
                       "+U[[1, 0, -1], []]",
                       "-D[[1, 0, -1], []]",
                   }));
}

}  // namespace
}  // namespace raw_test
