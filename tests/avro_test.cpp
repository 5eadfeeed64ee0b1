// Tests for the plain `avro` format: the derived schema, every type both ways, the reference's
// test vector, options, and hostile messages (run under ASan: every read is bounds-checked).
#include "upsertkit/formats/avro.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "avro_interop/avro_tables.hpp"
#include "byte_strings.hpp"
#include "orders/orders_table.hpp"
#include "upsertkit/formats/format.hpp"

namespace avro_test {
namespace {

namespace avro = upsertkit::avro;
using avro_tables::all_types;
using avro_tables::AllTypes;
using avro_tables::Nullables;
using avro_tables::nullables;
using avro_tables::Payment;
using avro_tables::payments;

template <class Table>
avro::codec<Table> value_codec(avro::options opts = {}) {
  return avro::codec<Table>(upsertkit::table_projections<Table>().value, opts);
}

template <class Table>
avro::codec<Table> key_codec() {
  return avro::codec<Table>(upsertkit::table_projections<Table>().key);
}

using byte_strings::bytes;
using byte_strings::hex;

template <class Table>
std::string encode(const typename Table::row_type& row) {
  std::string out;
  value_codec<Table>().encode(row, out);
  return out;
}

using byte_strings::exact_buffer;

avro::options parse(std::map<std::string, std::string, std::less<>> map) {
  return avro::parse_options(map);
}

std::string parse_error(std::map<std::string, std::string, std::less<>> map) {
  try {
    avro::parse_options(map);
  } catch (const upsertkit::config_error& e) {
    return e.what();
  }
  return "no error";
}

// ---------------------------------------------------------------------------------------------
// Schema

TEST(AvroSchema, DerivedFromTheStructLikeFlinksAvroSchemaConverter) {
  EXPECT_EQ(
      avro::schema_json<all_types>(),
      R"({"type":"record","name":"record","namespace":"org.apache.flink.avro.generated",)"
      R"("fields":[{"name":"id","type":"long"},{"name":"flag","type":"boolean"},)"
      R"({"name":"tiny","type":"int"},{"name":"small","type":"int"},)"
      R"({"name":"integer","type":"int"},{"name":"big","type":"long"},)"
      R"({"name":"real","type":"float"},{"name":"dbl","type":"double"},)"
      R"({"name":"amount","type":{"type":"bytes","logicalType":"decimal","precision":10,)"
      R"("scale":2}},{"name":"wide","type":{"type":"bytes","logicalType":"decimal",)"
      R"("precision":18,"scale":4}},{"name":"day","type":{"type":"int","logicalType":"date"}},)"
      R"({"name":"ts","type":{"type":"long","logicalType":"timestamp-millis"}},)"
      R"({"name":"owned","type":"string"},{"name":"name","type":"string"},)"
      R"({"name":"data","type":"bytes"}]})");
}

TEST(AvroSchema, NullableColumnsAreUnionsWithNullFirstAndNullDefault) {
  EXPECT_EQ(value_codec<payments>().schema_json(),
            R"({"type":"record","name":"record","namespace":"org.apache.flink.avro.generated",)"
            R"("fields":[{"name":"order_id","type":"string"},)"
            R"({"name":"amount","type":["null","double"],"default":null},)"
            R"({"name":"status","type":["null","string"],"default":null}]})");
  const std::string schema = avro::schema_json<nullables>();
  EXPECT_NE(schema.find(R"({"name":"day","type":["null",{"type":"int","logicalType":"date"}],)"
                        R"("default":null})"),
            std::string::npos)
      << schema;
}

TEST(AvroSchema, KeyProjectionUsesKeyOrderAndPrefixStrippedNames) {
  EXPECT_EQ(key_codec<orders::table>().schema_json(),
            R"({"type":"record","name":"record","namespace":"org.apache.flink.avro.generated",)"
            R"("fields":[{"name":"order_id","type":"string"}]})");
  upsertkit::projection key{{0}, {"stripped"}};
  EXPECT_EQ(avro::codec<payments>(key).schema_json(),
            R"({"type":"record","name":"record","namespace":"org.apache.flink.avro.generated",)"
            R"("fields":[{"name":"stripped","type":"string"}]})");
}

TEST(AvroSchema, NonLegacyTimestampMappingIsLocalTimestampMillis) {
  const std::string schema =
      avro::schema_json<all_types>(parse({{"timestamp_mapping.legacy", "false"}}));
  EXPECT_NE(schema.find(R"({"type":"long","logicalType":"local-timestamp-millis"})"),
            std::string::npos)
      << schema;
}

// ---------------------------------------------------------------------------------------------
// The reference's test vector (§6)

TEST(AvroEncode, ReferenceTestVector) {
  const std::string key_bytes = bytes({0x24, 0x32, 0x30, 0x32, 0x33, 0x30, 0x33, 0x32, 0x35, 0x31,
                                       0x32, 0x30, 0x32, 0x30, 0x32, 0x30, 0x30, 0x30, 0x31});
  const std::string value_bytes = key_bytes + bytes({0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x4e,
                                                     0x40, 0x02, 0x08, 0x50, 0x41, 0x49, 0x44});
  const Payment row{"202303251202020001", 60.0, "PAID"};

  std::string key;
  key_codec<payments>().encode(row, key);
  EXPECT_EQ(hex(key), hex(key_bytes));
  EXPECT_EQ(hex(encode<payments>(row)), hex(value_bytes));

  Payment decoded{};
  ASSERT_TRUE(key_codec<payments>().decode(key_bytes, decoded).ok());
  EXPECT_EQ(decoded.order_id, "202303251202020001");
  decoded = {};
  auto status = value_codec<payments>().decode(value_bytes, decoded);
  ASSERT_TRUE(status.ok()) << status.describe();
  EXPECT_EQ(decoded, row);
}

// ---------------------------------------------------------------------------------------------
// Every type, both ways

TEST(AvroEncode, EveryTypeHasItsAvroBinaryForm) {
  const AllTypes row = avro_tables::all_types_rows[0];
  const std::string out = encode<all_types>(row);
  const std::string expected =
      bytes({0x02}) +                          // id 1 (zig-zag 2)
      bytes({0x01}) +                          // flag true
      bytes({0xff, 0x01}) +                    // tiny -128 (zig-zag 255)
      bytes({0xfe, 0xff, 0x03}) +              // small 32767 (zig-zag 65534)
      bytes({0xff, 0xff, 0xff, 0xff, 0x0f}) +  // integer INT_MIN
      bytes({0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}) +  // big INT64_MAX
      bytes({0x00, 0x00, 0xc0, 0x3f}) +                          // real 1.5f little-endian
      bytes({0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x4e, 0x40}) +  // dbl 60.0
      bytes({0x04, 0x17, 0x70}) +                                // amount 60.00: unscaled 6000
      bytes({0x10, 0xfe, 0x49, 0x64, 0xb4, 0x59, 0xcf, 0x0c, 0xb2}) +  // wide: 8 bytes
      bytes({0xe2, 0xaf, 0x02}) +                                      // day 19441
      bytes({0xe6, 0x81, 0xb2, 0xa4, 0x97, 0x5c}) +                    // ts 1583673131123
      bytes({0x06}) + "Bob" +                                          // owned
      bytes({0x1a}) + std::string(row.name) +                          // name: 13 UTF-8 bytes
      bytes({0x06, 0x00, 0xff, 0x01});                                 // data: 3 bytes
  EXPECT_EQ(hex(out), hex(expected));
}

TEST(AvroEncode, DecimalIsTheShortestBigEndianTwosComplement) {
  // BigInteger.toByteArray() of the unscaled value.
  auto decimal_bytes = [](std::int64_t unscaled) {
    std::string out;
    upsertkit::avro::detail::append_decimal_bytes(out, unscaled);
    return hex(out);
  };
  EXPECT_EQ(decimal_bytes(0), "02 00");
  EXPECT_EQ(decimal_bytes(1), "02 01");
  EXPECT_EQ(decimal_bytes(-1), "02 ff");
  EXPECT_EQ(decimal_bytes(127), "02 7f");
  EXPECT_EQ(decimal_bytes(128), "04 00 80");
  EXPECT_EQ(decimal_bytes(-128), "02 80");
  EXPECT_EQ(decimal_bytes(-129), "04 ff 7f");
  EXPECT_EQ(decimal_bytes(6000), "04 17 70");
  EXPECT_EQ(decimal_bytes(INT64_MAX), "10 7f ff ff ff ff ff ff ff");
  EXPECT_EQ(decimal_bytes(INT64_MIN), "10 80 00 00 00 00 00 00 00");
}

TEST(AvroEncode, NullsAreUnionBranchZeroValuesBranchOne) {
  const Nullables all_null = avro_tables::nullables_rows[0];
  // id 7, then 14 union branches 0.
  EXPECT_EQ(hex(encode<nullables>(all_null)), hex(bytes({0x0e}) + std::string(14, '\0')));
  Payment row{"k", std::nullopt, "S"};
  EXPECT_EQ(hex(encode<payments>(row)), "02 6b 00 02 02 53");
}

TEST(AvroEncode, AppendsToTheOutput) {
  std::string out = "prefix";
  value_codec<payments>().encode(Payment{"k", 1.0, std::nullopt}, out);
  EXPECT_EQ(out.substr(0, 6), "prefix");
  EXPECT_EQ(out.size(), 6U + 2 + 1 + 8 + 1);
}

TEST(AvroRoundTrip, EveryTypeNotNull) {
  for (const AllTypes& row : avro_tables::all_types_rows) {
    const std::string message = encode<all_types>(row);
    AllTypes decoded{};
    auto status = value_codec<all_types>().decode(message, decoded);
    ASSERT_TRUE(status.ok()) << status.describe();
    EXPECT_EQ(decoded, row);
  }
}

TEST(AvroRoundTrip, EveryTypeNullableWithAndWithoutValues) {
  for (const Nullables& row : avro_tables::nullables_rows) {
    const std::string message = encode<nullables>(row);
    Nullables decoded = avro_tables::nullables_rows[1];  // filled: nulls must overwrite
    decoded.id = 0;
    auto status = value_codec<nullables>().decode(message, decoded);
    ASSERT_TRUE(status.ok()) << status.describe();
    EXPECT_EQ(decoded, row);
  }
}

TEST(AvroRoundTrip, FloatingPointSpecialValuesKeepTheirBits) {
  for (double value :
       {0.0, -0.0, 1e-310, std::numeric_limits<double>::infinity(),
        -std::numeric_limits<double>::infinity(), std::numeric_limits<double>::quiet_NaN()}) {
    Nullables row{};
    row.dbl = value;
    row.real = static_cast<float>(value);
    Nullables decoded{};
    ASSERT_TRUE(value_codec<nullables>().decode(encode<nullables>(row), decoded).ok());
    EXPECT_EQ(std::memcmp(&*decoded.dbl, &*row.dbl, sizeof(double)), 0) << value;
    EXPECT_EQ(std::memcmp(&*decoded.real, &*row.real, sizeof(float)), 0) << value;
  }
}

TEST(AvroDecode, StringsAreViewsIntoTheMessage) {
  const std::string message = encode<payments>(Payment{"key-1", 2.0, "status"});
  Payment row{};
  ASSERT_TRUE(value_codec<payments>().decode(message, row).ok());
  EXPECT_EQ(row.order_id.data(), message.data() + 1);
  EXPECT_EQ(row.status->data(), message.data() + 1 + 5 + 1 + 8 + 1 + 1);
}

TEST(AvroDecode, BytesAreViewsIntoTheMessage) {
  const AllTypes row = avro_tables::all_types_rows[0];
  const std::string message = encode<all_types>(row);
  AllTypes decoded{};
  ASSERT_TRUE(value_codec<all_types>().decode(message, decoded).ok());
  EXPECT_EQ(decoded.data, upsertkit::bytes(bytes({0x00, 0xff, 0x01})));
  EXPECT_EQ(decoded.data.data(), message.data() + message.size() - 3);

  // Empty BYTES is length 0, not NULL; a NULL BYTES is union branch 0.
  Nullables nullable{};
  nullable.id = 1;
  nullable.data = upsertkit::bytes();
  const std::string empty = encode<nullables>(nullable);
  EXPECT_EQ(hex(empty.substr(empty.size() - 2)), "02 00");
  Nullables back{};
  ASSERT_TRUE(value_codec<nullables>().decode(empty, back).ok());
  ASSERT_TRUE(back.data.has_value());
  EXPECT_TRUE(back.data->empty());
}

TEST(AvroHostile, TruncatedBytesNameTheField) {
  const std::string message = encode<all_types>(avro_tables::all_types_rows[0]);
  const exact_buffer truncated(std::string_view(message).substr(0, message.size() - 1));
  AllTypes row{};
  const auto status = value_codec<all_types>().decode(truncated.view(), row);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.describe(), "field 'data': truncated message: 3 byte(s) needed, 2 left");
}

TEST(AvroDecode, DecimalAcceptsNonMinimalBytesAndOverflowsToNull) {
  // 60.00 with redundant sign-extension bytes is still 60.00 (BigInteger accepts it).
  Nullables row{};
  row.amount = upsertkit::decimal<10, 2>{0};
  std::string message = encode<nullables>(row);
  // Replace the amount's "02 00" (after id, 7 null branches and the union branch) by 00 00 17 70.
  const std::size_t at = 1 + 7 + 1;
  ASSERT_EQ(hex(message.substr(at, 2)), "02 00");
  message.replace(at, 2, bytes({0x08, 0x00, 0x00, 0x17, 0x70}));
  Nullables decoded{};
  auto status = value_codec<nullables>().decode(message, decoded);
  ASSERT_TRUE(status.ok()) << status.describe();
  EXPECT_EQ(decoded.amount, (upsertkit::decimal<10, 2>{6000}));

  // 10^10 does not fit DECIMAL(10, 2): NULL, as DecimalData.fromUnscaledBytes returns null.
  message.replace(at, 5, bytes({0x0a, 0x02, 0x54, 0x0b, 0xe4, 0x00}));
  ASSERT_TRUE(value_codec<nullables>().decode(message, decoded).ok());
  EXPECT_FALSE(decoded.amount.has_value());
  // Nine significant bytes cannot be an int64 either.
  message.replace(at, 6, bytes({0x12, 0x01, 0, 0, 0, 0, 0, 0, 0, 0}));
  decoded.amount = upsertkit::decimal<10, 2>{1};
  ASSERT_TRUE(value_codec<nullables>().decode(message, decoded).ok());
  EXPECT_FALSE(decoded.amount.has_value());

  // NOT NULL: a failure naming the field.
  AllTypes all = avro_tables::all_types_rows[0];
  all.amount.unscaled = 10000000000;  // 11 digits: fits int64 but not DECIMAL(10, 2)
  AllTypes back{};
  auto failed = value_codec<all_types>().decode(encode<all_types>(all), back);
  ASSERT_TRUE(failed.failed());
  EXPECT_EQ(failed.failure().field, "amount");
  EXPECT_EQ(failed.failure().message,
            "null value for NOT NULL column (the unscaled value overflows DECIMAL(10, 2))");
}

TEST(AvroDecode, SmallIntegersAreRangeChecked) {
  Nullables row{};
  row.integer = 128;
  std::string message = encode<nullables>(row);
  // Move the value into the `tiny` slot: id, flag null, tiny = branch 1 + 128.
  Nullables tiny_row{};
  tiny_row.tiny = 1;
  std::string tiny = encode<nullables>(tiny_row);
  ASSERT_EQ(hex(tiny.substr(2, 2)), "02 02");
  tiny.replace(3, 1, bytes({0x80, 0x02}));  // zig-zag 256 = 128
  Nullables decoded{};
  auto status = value_codec<nullables>().decode(tiny, decoded);
  ASSERT_TRUE(status.failed());
  EXPECT_EQ(status.describe(), "field 'tiny': value 128 out of range for TINYINT");
}

// ---------------------------------------------------------------------------------------------
// Hostile messages: errors naming the field, never a read past the end (ASan build)

TEST(AvroHostile, EveryTruncationOfAValidRecordFails) {
  for (const AllTypes& row : avro_tables::all_types_rows) {
    const std::string message = encode<all_types>(row);
    for (std::size_t n = 0; n < message.size(); ++n) {
      const exact_buffer prefix(std::string_view(message).substr(0, n));
      AllTypes decoded{};
      auto status = value_codec<all_types>().decode(prefix.view(), decoded);
      ASSERT_TRUE(status.failed()) << "prefix of " << n << " bytes";
      EXPECT_FALSE(status.failure().field.empty()) << "prefix of " << n << " bytes";
    }
  }
  for (const Nullables& row : avro_tables::nullables_rows) {
    const std::string message = encode<nullables>(row);
    for (std::size_t n = 0; n < message.size(); ++n) {
      const exact_buffer prefix(std::string_view(message).substr(0, n));
      Nullables decoded{};
      auto status = value_codec<nullables>().decode(prefix.view(), decoded);
      ASSERT_TRUE(status.failed()) << "prefix of " << n << " bytes";
      EXPECT_FALSE(status.failure().field.empty());
    }
  }
}

TEST(AvroHostile, TruncationErrorsNameTheFieldAndTheShortfall) {
  const std::string message = encode<payments>(Payment{"abc", 1.0, "xyz"});
  Payment row{};
  auto codec = value_codec<payments>();
  EXPECT_EQ(codec.decode(exact_buffer("").view(), row).describe(),
            "field 'order_id': truncated message: the varint at byte 0 is not complete");
  EXPECT_EQ(codec.decode(exact_buffer(message.substr(0, 2)).view(), row).describe(),
            "field 'order_id': truncated message: 3 byte(s) needed, 1 left");
  EXPECT_EQ(codec.decode(exact_buffer(message.substr(0, 7)).view(), row).describe(),
            "field 'amount': truncated message: 8 byte(s) needed, 2 left");
}

TEST(AvroHostile, BadUnionIndex) {
  auto codec = value_codec<payments>();
  Payment row{};
  for (int branch : {0x04, 0x01, 0x7e}) {  // 2, -1, 63
    const exact_buffer message(bytes({0x02, 0x6b, branch}));
    auto status = codec.decode(message.view(), row);
    ASSERT_TRUE(status.failed());
    EXPECT_EQ(status.failure().field, "amount");
    EXPECT_NE(status.failure().message.find("union index"), std::string::npos) << status.describe();
  }
  // An index that is no valid int.
  const exact_buffer overlong(bytes({0x02, 0x6b, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01}));
  EXPECT_EQ(codec.decode(overlong.view(), row).describe(),
            "field 'amount': invalid int encoding: varint longer than 5 bytes");
}

TEST(AvroHostile, NegativeAndHugeLengths) {
  auto codec = value_codec<payments>();
  Payment row{};
  EXPECT_EQ(codec.decode(exact_buffer(bytes({0x01})).view(), row).describe(),
            "field 'order_id': malformed data: length is negative: -1");
  EXPECT_EQ(
      codec.decode(exact_buffer(bytes({0x02, 0x6b, 0x00, 0x02, 0x03})).view(), row).describe(),
      "field 'status': malformed data: length is negative: -2");
  // INT64_MAX as a length: 10-byte varint.
  const exact_buffer huge(bytes({0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}));
  EXPECT_EQ(codec.decode(huge.view(), row).describe(),
            "field 'order_id': truncated message: 9223372036854775807 byte(s) needed, 0 left");
  // A length one past the end.
  EXPECT_EQ(codec.decode(exact_buffer(bytes({0x06, 'a', 'b'})).view(), row).describe(),
            "field 'order_id': truncated message: 3 byte(s) needed, 2 left");
}

TEST(AvroHostile, OverlongAndOverflowingVarints) {
  auto codec = value_codec<all_types>();
  AllTypes row{};
  // 11 continuation bytes: longer than a long may be.
  const exact_buffer overlong(std::string(10, '\x80') + bytes({0x00}));
  EXPECT_EQ(codec.decode(overlong.view(), row).describe(),
            "field 'id': invalid long encoding: varint longer than 10 bytes");
  // A 10th byte with more than the one bit left.
  const exact_buffer overflow(std::string(9, '\xff') + bytes({0x02}));
  EXPECT_EQ(codec.decode(overflow.view(), row).describe(),
            "field 'id': invalid long encoding: the value overflows 64 bits");
  // An int column whose 5th byte carries more than 4 bits.
  const exact_buffer int_overflow(bytes({0x02, 0x01, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0x10}));
  EXPECT_EQ(codec.decode(int_overflow.view(), row).describe(),
            "field 'integer': invalid int encoding: the value overflows 32 bits");
  // A varint cut off by the end of the message.
  const exact_buffer cut(bytes({0x80, 0x80}));
  EXPECT_EQ(codec.decode(cut.view(), row).describe(),
            "field 'id': truncated message: the varint at byte 0 is not complete");
}

TEST(AvroHostile, OtherMalformedValues) {
  AllTypes row{};
  // A boolean byte that is neither 0 nor 1.
  EXPECT_EQ(
      value_codec<all_types>().decode(exact_buffer(bytes({0x02, 0x02})).view(), row).describe(),
      "field 'flag': invalid boolean: byte 2 is neither 0 nor 1");
  // A zero-length decimal (new BigInteger(new byte[0]) throws in Java).
  Nullables nullable{};
  nullable.amount = upsertkit::decimal<10, 2>{0};
  std::string message = encode<nullables>(nullable);
  message.replace(9, 2, bytes({0x00}));
  EXPECT_EQ(value_codec<nullables>().decode(exact_buffer(message).view(), nullable).describe(),
            "field 'amount': invalid decimal: zero-length unscaled value");
}

TEST(AvroHostile, TrailingBytesAreAnError) {
  std::string message = encode<payments>(Payment{"k", std::nullopt, std::nullopt}) + "xx";
  Payment row{};
  auto status = value_codec<payments>().decode(message, row);
  ASSERT_TRUE(status.failed());
  EXPECT_EQ(status.failure().field, "");
  EXPECT_EQ(status.failure().message.rfind("2 byte(s) after the end of the Avro record", 0), 0U)
      << status.describe();
}

TEST(AvroHostile, RandomBytesNeverCrash) {
  std::mt19937 rng(12345);
  auto codec_all = value_codec<all_types>();
  auto codec_null = value_codec<nullables>();
  const std::string valid = encode<nullables>(avro_tables::nullables_rows[1]);
  for (int round = 0; round < 20000; ++round) {
    std::string data;
    if (round % 2 == 0) {
      data.resize(rng() % 64);
      for (char& c : data)
        c = static_cast<char>(rng());
    } else {  // a valid record with a few bytes flipped
      data = valid;
      for (int flips = 0; flips < 3; ++flips)
        data[rng() % data.size()] = static_cast<char>(rng());
      data.resize(rng() % (data.size() + 1));
    }
    const exact_buffer message(data);
    AllTypes a{};
    Nullables b{};
    (void)codec_all.decode(message.view(), a);
    (void)codec_null.decode(message.view(), b);
  }
}

// ---------------------------------------------------------------------------------------------
// Options and the run-time format

TEST(AvroOptions, AcceptedKeysAndValues) {
  EXPECT_TRUE(parse({}).timestamp_mapping_legacy);
  EXPECT_FALSE(parse({{"timestamp_mapping.legacy", "FALSE"}}).timestamp_mapping_legacy);
  EXPECT_NO_THROW(parse({{"encoding", "binary"}, {"codec", "snappy"}, {"open.fastread", "true"}}));
  EXPECT_NO_THROW(parse({{"encoding", "BINARY"}}));
}

TEST(AvroOptions, ErrorTexts) {
  EXPECT_EQ(parse_error({{"encoding", "json"}}),
            "Option 'avro.encoding' = 'json' is not supported by upsertkit: only the binary "
            "encoding of the plain avro format is.");
  EXPECT_EQ(parse_error({{"encoding", "xml"}}),
            "Could not parse value 'xml' for key 'avro.encoding'. Possible values: [BINARY, "
            "JSON]");
  EXPECT_EQ(parse_error({{"timestamp_mapping.legacy", "yes"}}),
            "Could not parse value 'yes' for key 'avro.timestamp_mapping.legacy'.");
  EXPECT_EQ(parse_error({{"schema", "x"}}),
            "Unsupported options found for 'avro'.\n\nUnsupported options:\n\navro.schema\n\n"
            "Supported options:\n\navro.codec\navro.encoding\navro.open.fastread\n"
            "avro.timestamp_mapping.legacy");
}

TEST(AvroFormat, ChosenByNameAtRunTime) {
  EXPECT_NO_THROW(upsertkit::validate_format_options("avro", {}));
  try {
    upsertkit::validate_format_options("protobuf", {});
    FAIL();
  } catch (const upsertkit::config_error& e) {
    EXPECT_EQ(std::string(e.what()),
              "Could not find any format factory for identifier 'protobuf'. Supported formats: "
              "avro, csv, json, raw.");
  }
  auto projections = upsertkit::table_projections<payments>();
  upsertkit::any_codec<payments> codec("avro", projections.value, {}, upsertkit::json::role::value);
  EXPECT_EQ(codec.name(), "avro");
  EXPECT_FALSE(codec.ignore_parse_errors());
  const Payment row{"202303251202020001", 60.0, "PAID"};
  std::string out;
  codec.encode(row, out);
  Payment decoded{};
  ASSERT_TRUE(codec.decode(out, decoded).ok());
  EXPECT_EQ(decoded, row);
}

}  // namespace
}  // namespace avro_test
