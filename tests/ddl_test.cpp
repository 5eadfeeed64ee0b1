// Tests for the Flink DDL importer: the seed's statements as they are, the grammar, errors with
// positions, and the check against a compiled table.
#include "upsertkit/ddl.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "orders/orders_table.hpp"
#include "upsertkit/options.hpp"

namespace ddl_test {

struct Event {
  std::int64_t user_id;
  std::optional<std::string> name;
  std::int64_t event_id;
  std::optional<upsertkit::decimal<10, 2>> amount;
  std::optional<upsertkit::timestamp> ts;
};

// A BYTES key and a nullable BYTES value (a raw key and value, say).
struct Clock {
  std::int64_t id = 0;
  std::optional<upsertkit::time_of_day<3>> at;
  std::optional<upsertkit::timestamp_ltz<6>> seen;
  std::optional<upsertkit::local_timestamp<9>> local;
  std::optional<upsertkit::decimal<38, 8>> wide;
  std::optional<std::chrono::local_time<std::chrono::milliseconds>> legacy;
};

struct Blob {
  upsertkit::bytes id;
  std::optional<upsertkit::bytes> payload;
};

}  // namespace ddl_test

BOOST_HANA_ADAPT_STRUCT(ddl_test::Event, user_id, name, event_id, amount, ts);
BOOST_HANA_ADAPT_STRUCT(ddl_test::Blob, id, payload);
BOOST_HANA_ADAPT_STRUCT(ddl_test::Clock, id, at, seen, local, wide, legacy);

namespace ddl_test {
namespace {

namespace ddl = upsertkit::ddl;
using events = upsertkit::table<Event, upsertkit::primary_key<"event_id", "user_id">>;

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in) << path;
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string seed_example(int n) {
  std::string path = UPSERTKIT_SOURCE_DIR "/tests/ddl/seed-example-";
  path += std::to_string(n);
  path += ".sql";
  return read_file(path);
}

std::string ddl_error(std::string_view sql) {
  try {
    ddl::parse_script(sql);
  } catch (const ddl::ddl_error& e) {
    return e.what();
  }
  return "no error";
}

using strings = std::vector<std::string>;

// ---------------------------------------------------------------------------------------------
// The seed's statements, as they are

TEST(DdlSeed, Example1SourceAndPrintSinkMatchTheOrdersStruct) {
  const auto tables = ddl::parse_script(seed_example(1));  // the INSERT INTO is skipped
  ASSERT_EQ(tables.size(), 2U);
  EXPECT_EQ(tables[0].name, "upsertKafkaSource");
  EXPECT_EQ(tables[1].name, "printSink");
  for (const auto& table : tables) {
    EXPECT_EQ(ddl::mismatches<orders::table>(table), strings{}) << table.name;
    EXPECT_NO_THROW(ddl::check<orders::table>(table));
    EXPECT_EQ(table.primary_key, strings{"order_id"});
  }
  EXPECT_EQ(tables[0].options, (ddl::option_map{{"connector", "upsert-kafka"},
                                                {"topic", "KafkaTopic"},
                                                {"properties.bootstrap.servers",
                                                 "KafkaAddress1:KafkaPort,KafkAddress2:KafkaPort"},
                                                {"key.format", "csv"},
                                                {"value.format", "json"}}));
  EXPECT_EQ(tables[1].options, (ddl::option_map{{"connector", "print"}}));

  // The same options map the Kafka issue builds from a WITH clause.
  const upsertkit::upsert_kafka_options options =
      upsertkit::parse_upsert_kafka_options(tables[0].options);
  EXPECT_EQ(options.formats.key_format, "csv");
  EXPECT_EQ(options.formats.value_format, "json");
  EXPECT_EQ(options.topic, "KafkaTopic");
}

TEST(DdlSeed, Example2KafkaSourceWithoutKeyAndUpsertSink) {
  const auto tables = ddl::parse_script(seed_example(2));
  ASSERT_EQ(tables.size(), 2U);
  EXPECT_EQ(tables[0].name, "orders");
  EXPECT_TRUE(tables[0].primary_key.empty());
  EXPECT_EQ(tables[0].options.at("scan.startup.mode"), "latest-offset");
  EXPECT_EQ(tables[0].options.at("format"), "json");
  // A plain Kafka table has no key, so order_id is nullable there: both differences are said.
  EXPECT_FALSE(tables[0].find("order_id")->not_null);
  EXPECT_EQ(ddl::mismatches<orders::table>(tables[0], "Order"),
            (strings{"column 'order_id' is nullable in the DDL but NOT NULL (`std::string_view`) "
                     "in struct Order: make it std::optional, or declare it NOT NULL",
                     "the DDL declares no PRIMARY KEY but struct Order has PRIMARY KEY "
                     "(order_id)"}));
  EXPECT_EQ(tables[1].name, "upsertKafkaSink");
  EXPECT_EQ(ddl::mismatches<orders::table>(tables[1]), strings{});
  // As a keyless table (what the `kafka` source reads) only the nullability remains.
  using plain_orders = upsertkit::table<orders::Order, upsertkit::no_primary_key>;
  EXPECT_EQ(ddl::mismatches<plain_orders>(tables[0], "Order"),
            (strings{"column 'order_id' is nullable in the DDL but NOT NULL (`std::string_view`) "
                     "in struct Order: make it std::optional, or declare it NOT NULL"}));
  EXPECT_EQ(ddl::mismatches<plain_orders>(tables[1], "Order"),
            (strings{"the DDL has PRIMARY KEY (order_id) but the table type of struct Order has "
                     "none (no_primary_key)"}));
}

TEST(DdlSeed, Example3KerberosOptionsWithLineComments) {
  const auto tables = ddl::parse_script(seed_example(3));
  ASSERT_EQ(tables.size(), 2U);
  EXPECT_EQ(ddl::mismatches<orders::table>(tables[0]), strings{});
  EXPECT_EQ(ddl::mismatches<orders::table>(tables[1]), strings{});
  const auto& with = tables[0].options;
  EXPECT_EQ(with.size(), 12U);
  EXPECT_EQ(with.at("properties.sasl.kerberos.service.name"), "kafka");  // `-- Configured in MRS`
  EXPECT_EQ(with.at("properties.connector.kerberos.principal"), "username");
  EXPECT_EQ(with.at("properties.connector.kerberos.keytab"), "obs://xx/user.keytab");
}

// ---------------------------------------------------------------------------------------------
// Grammar

TEST(DdlParse, CommentsQuotingCaseAndInlinePrimaryKey) {
  const auto t = ddl::parse_create_table(R"(
    /* a block comment
       over lines */
    create temporary table if not exists `my catalog`.db.`odd``name` (
      `user_id` BIGINT,               -- a line comment
      name VarChar(20) comment 'the user''s name',
      event_id bigint constraint pk primary key not enforced,
      amount DECIMAL(10, 2),
      ts TIMESTAMP(3) WITHOUT TIME ZONE
    ) comment 'events' with ('connector' = 'upsert-kafka', 'value.json.null''s' = 'it''s');)");
  EXPECT_EQ(t.name, "my catalog.db.odd`name");
  ASSERT_EQ(t.columns.size(), 5U);
  EXPECT_EQ(t.columns[0].name, "user_id");
  EXPECT_EQ(t.columns[1].type_text, "VARCHAR(20)");
  EXPECT_EQ(t.columns[1].type, upsertkit::sql_type::string);
  EXPECT_EQ(t.columns[1].comment, "the user's name");
  EXPECT_EQ(t.primary_key, strings{"event_id"});
  EXPECT_EQ(t.primary_key_name, "pk");
  EXPECT_TRUE(t.columns[2].not_null);
  EXPECT_EQ(t.columns[3].type_text, "DECIMAL(10, 2)");
  EXPECT_EQ(t.columns[4].type_text, "TIMESTAMP(3)");
  EXPECT_EQ(t.columns[4].type, upsertkit::sql_type::timestamp);
  EXPECT_EQ(t.comment, "events");
  EXPECT_EQ(t.options.at("value.json.null's"), "it's");
}

TEST(DdlParse, MetadataComputedColumnsAndWatermark) {
  const auto t = ddl::parse_create_table(R"(
    CREATE TABLE KafkaTable (
      `user_id` BIGINT,
      `event_time` TIMESTAMP(3) METADATA FROM 'timestamp' VIRTUAL,
      `partition` INT METADATA VIRTUAL,
      `offset` BIGINT METADATA,
      cost AS price * quantity,
      ts AS TO_TIMESTAMP(FROM_UNIXTIME(unix_ts, 'yyyy-MM-dd HH:mm:ss')),
      WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND,
      PRIMARY KEY (user_id) NOT ENFORCED
    ) WITH ('connector' = 'upsert-kafka'))");
  ASSERT_EQ(t.columns.size(), 6U);
  EXPECT_EQ(t.columns[1].kind, ddl::column_kind::metadata);
  EXPECT_EQ(t.columns[1].metadata_key, "timestamp");
  EXPECT_TRUE(t.columns[1].is_virtual);
  EXPECT_EQ(t.columns[2].metadata_key, "partition");
  EXPECT_FALSE(t.columns[3].is_virtual);
  EXPECT_EQ(t.columns[4].kind, ddl::column_kind::computed);
  EXPECT_EQ(t.columns[4].expression, "price * quantity");
  EXPECT_EQ(t.columns[5].expression, "TO_TIMESTAMP(FROM_UNIXTIME(unix_ts, 'yyyy-MM-dd HH:mm:ss'))");
  EXPECT_EQ(t.watermark_column, "event_time");
  EXPECT_EQ(t.watermark_expression, "event_time - INTERVAL '5' SECOND");
  EXPECT_EQ(t.physical_columns().size(), 1U);
}

TEST(DdlParse, TemporalTypesAndWideDecimals) {
  const auto t = ddl::parse_create_table(R"(CREATE TABLE t (
      a TIME, b TIME(3) WITHOUT TIME ZONE, c TIMESTAMP(9), d TIMESTAMP_LTZ, e DECIMAL(38, 38),
      f TIMESTAMP(10), g DECIMAL(39, 2), h TIMESTAMP(6) WITH TIME ZONE, i TIMESTAMP(0)) WITH ())");
  const auto has = [&](std::string_view name, upsertkit::sql_type type, int precision) {
    const ddl::column* c = t.find(name);
    return c->type == type && c->precision == precision;
  };
  EXPECT_TRUE(has("a", upsertkit::sql_type::time, 0));  // Flink's TIME is TIME(0)
  EXPECT_EQ(t.find("a")->type_text, "TIME(0)");
  EXPECT_TRUE(has("b", upsertkit::sql_type::time, 3));
  EXPECT_TRUE(has("c", upsertkit::sql_type::timestamp, 9));
  EXPECT_TRUE(has("d", upsertkit::sql_type::timestamp_ltz, 6));
  EXPECT_TRUE(has("e", upsertkit::sql_type::decimal, 38));
  EXPECT_TRUE(has("i", upsertkit::sql_type::timestamp, 0));
  // Outside Flink's ranges, or a type Flink has not: no upsertkit type (ddl::check says so).
  EXPECT_FALSE(t.find("f")->type.has_value());
  EXPECT_FALSE(t.find("g")->type.has_value());
  EXPECT_FALSE(t.find("h")->type.has_value());
  EXPECT_EQ(t.find("h")->type_text, "TIMESTAMP(6) WITH TIME ZONE");
}

TEST(DdlParse, TypesAreNormalized) {
  const auto t = ddl::parse_create_table(R"(CREATE TABLE t (
      a INTEGER NOT NULL, b DEC, c NUMERIC(5), d TIMESTAMP, e TIMESTAMP_LTZ(3),
      f TIMESTAMP(3) WITH LOCAL TIME ZONE, g ARRAY<INT>, h MAP<STRING, ARRAY<BIGINT>>,
      i DOUBLE PRECISION, j REAL, k BYTES, l string, m boolean NULL, n DATE, o TINYINT,
      p SMALLINT, q CHAR(3)) WITH ())");
  auto type = [&](std::string_view name) { return t.find(name)->type_text; };
  EXPECT_EQ(type("a"), "INT");
  EXPECT_TRUE(t.find("a")->not_null);
  EXPECT_EQ(type("b"), "DECIMAL(10, 0)");
  EXPECT_EQ(type("c"), "DECIMAL(5, 0)");
  EXPECT_EQ(type("d"), "TIMESTAMP(6)");  // Flink's default precision
  EXPECT_EQ(t.find("d")->type, upsertkit::sql_type::timestamp);
  EXPECT_EQ(t.find("d")->precision, 6);
  EXPECT_EQ(type("e"), "TIMESTAMP_LTZ(3)");
  EXPECT_EQ(t.find("e")->type, upsertkit::sql_type::timestamp_ltz);
  EXPECT_EQ(type("f"), "TIMESTAMP(3) WITH LOCAL TIME ZONE");
  EXPECT_EQ(t.find("f")->type, upsertkit::sql_type::timestamp_ltz);
  EXPECT_EQ(t.find("f")->precision, 3);
  EXPECT_EQ(type("g"), "ARRAY<INT>");
  EXPECT_EQ(type("h"), "MAP<STRING, ARRAY<BIGINT>>");
  EXPECT_EQ(type("i"), "DOUBLE");
  EXPECT_EQ(type("j"), "FLOAT");
  EXPECT_EQ(type("k"), "BYTES");
  EXPECT_EQ(t.find("k")->type, upsertkit::sql_type::bytes);
  EXPECT_EQ(type("l"), "STRING");
  EXPECT_TRUE(t.find("m")->declared_null);
  EXPECT_EQ(t.find("q")->type, upsertkit::sql_type::string);
  EXPECT_TRUE(t.options.empty());
}

TEST(DdlParse, ScriptsSkipOtherStatementsAndSemicolonsInStrings) {
  const auto tables = ddl::parse_script(R"(
    SET 'table.exec.state.ttl' = '1 h';
    CREATE FUNCTION f AS 'com.example.F';
    CREATE TABLE a (x INT) WITH ('k' = 'v;w');  -- a ; in a comment
    CREATE VIEW v AS SELECT * FROM a;
    INSERT INTO a SELECT 1;
    CREATE TEMPORARY TABLE b (y STRING) WITH ('z' = '`;')
  )");
  ASSERT_EQ(tables.size(), 2U);
  EXPECT_EQ(tables[0].options.at("k"), "v;w");
  EXPECT_EQ(tables[1].name, "b");
  EXPECT_EQ(tables[1].options.at("z"), "`;");
}

TEST(DdlParse, ErrorsNameTheirPosition) {
  EXPECT_EQ(ddl_error("CREATE TABLE t (\n  a INT,\n  PRIMARY KEY (a)\n) WITH ()"),
            "line 4, column 1: Flink doesn't support ENFORCED mode for PRIMARY KEY constraint. "
            "ENFORCED/NOT ENFORCED controls if the constraint checks are performed on the "
            "incoming/outgoing data. Flink does not own the data therefore the only supported "
            "mode is the NOT ENFORCED mode");
  EXPECT_EQ(ddl_error("SELECT 1;\nCREATE TABLE t (a INT) WITH ('k' = 'v"),
            "line 2, column 36: unterminated string literal");
  EXPECT_EQ(ddl_error("CREATE TABLE t (a INT) WITH ('k' = 'v', 'k' = 'w')"),
            "line 1, column 41: option 'k' is given twice in WITH");
  EXPECT_EQ(ddl_error("CREATE TABLE t (a INT, a STRING)"),
            "line 1, column 24: column 'a' is declared twice");
  EXPECT_EQ(ddl_error("CREATE TABLE t (a INT,) WITH ()"),
            "line 1, column 23: expected a column name but found ')'");
  EXPECT_EQ(ddl_error("CREATE TABLE t (a INT) WITH ('k' = v)"),
            "line 1, column 36: expected a string literal ('...') but found 'v'");
  EXPECT_EQ(ddl_error("CREATE TABLE t (a INT NULL, PRIMARY KEY (a) NOT ENFORCED)"),
            "Invalid primary key. Column 'a' is nullable.");
  EXPECT_EQ(ddl_error("CREATE TABLE t (a INT, PRIMARY KEY (b) NOT ENFORCED)"),
            "Invalid primary key. Column 'b' does not exist.");
  EXPECT_EQ(ddl_error("CREATE TABLE t (a INT) /* open"),
            "line 1, column 24: unterminated /* comment");
  EXPECT_EQ(ddl_error("CREATE TABLE t (a DECIMAL(99999999999, 2))"),
            "line 1, column 27: expected a length, precision or scale in the type of 'a' but "
            "found '99999999999'");
  EXPECT_EQ(ddl_error("CREATE TABLE t (a VARBINARY(2147483648))"),
            "line 1, column 29: expected a length, precision or scale in the type of 'a' but "
            "found '2147483648'");
  EXPECT_EQ(ddl_error("CREATE TABLE t (a INT) LIKE base"),
            "line 1, column 24: CREATE TABLE ... LIKE is not supported");
}

// ---------------------------------------------------------------------------------------------
// The check against a compiled table

TEST(DdlCheck, EachMismatchIsOneClearMessage) {
  const auto t = ddl::parse_create_table(R"(CREATE TABLE upsertKafkaSource (
      order_id STRING,
      order_channel STRING,
      order_time STRING,
      pay_amount INT,
      pay_time STRING NOT NULL,
      real_pay DOUBLE,
      user_id STRING,
      user_name STRING,
      coupon STRING,
      PRIMARY KEY (order_id, user_id) NOT ENFORCED
    ) WITH ('connector' = 'upsert-kafka'))");
  EXPECT_EQ(
      ddl::mismatches<orders::table>(t, "Order"),
      (strings{
          "column 'pay_amount' is INT in the DDL but `std::optional<double>` (DOUBLE) in struct "
          "Order",
          "column 'pay_time' is NOT NULL in the DDL but nullable "
          "(`std::optional<std::string_view>`) in struct Order",
          "column 'user_id' is NOT NULL in the DDL but nullable "
          "(`std::optional<std::string_view>`) in struct Order",
          "column 'area_id' is in struct Order but not in the DDL",
          "column 'coupon' (STRING) is in the DDL but not in struct Order",
          "the columns are in another order: (order_id, order_channel, order_time, pay_amount, "
          "pay_time, real_pay, user_id, user_name) in the DDL, (order_id, order_channel, "
          "order_time, pay_amount, real_pay, pay_time, user_id, user_name) in struct Order; csv "
          "and avro messages are positional",
          "the DDL has PRIMARY KEY (order_id, user_id) but struct Order has PRIMARY KEY "
          "(order_id) (the order is the key format's field order)",
      }));
}

TEST(DdlCheck, StructNameDefaultsToTheCompilersName) {
  const auto t = ddl::parse_create_table("CREATE TABLE t (order_id STRING NOT NULL) WITH ()");
  const strings problems = ddl::mismatches<orders::table>(t);
  ASSERT_FALSE(problems.empty());
  EXPECT_EQ(problems[0], "column 'order_channel' is in struct orders::Order but not in the DDL");
}

TEST(DdlCheck, DecimalTimestampNullabilityAndKeyOrder) {
  const auto ok = ddl::parse_create_table(R"(CREATE TABLE e (
      user_id BIGINT, name STRING, event_id BIGINT, amount DECIMAL(10, 2), ts TIMESTAMP(3),
      `offset` BIGINT METADATA VIRTUAL,
      PRIMARY KEY (event_id, user_id) NOT ENFORCED) WITH ())");
  EXPECT_EQ(ddl::mismatches<events>(ok, "Event"), strings{});

  const auto bad = ddl::parse_create_table(R"(CREATE TABLE e (
      user_id BIGINT, name STRING NOT NULL, event_id BIGINT, amount DECIMAL(12, 2), ts TIMESTAMP,
      PRIMARY KEY (user_id, event_id) NOT ENFORCED) WITH ())");
  EXPECT_EQ(ddl::mismatches<events>(bad, "Event"),
            (strings{
                "column 'name' is NOT NULL in the DDL but nullable (`std::optional<std::string>`) "
                "in struct Event",
                "column 'amount' is DECIMAL(12, 2) in the DDL but "
                "`std::optional<upsertkit::decimal<10, 2>>` (DECIMAL(10, 2)) in struct Event",
                "column 'ts' is TIMESTAMP(6) in the DDL but `std::optional<upsertkit::timestamp>` "
                "(TIMESTAMP(3)) in struct Event",
                "the DDL has PRIMARY KEY (user_id, event_id) but struct Event has PRIMARY KEY "
                "(event_id, user_id) (the order is the key format's field order)",
            }));

  // A key column that is not in the DDL's key is nullable there but NOT NULL in the struct.
  const auto nullable_key = ddl::parse_create_table(R"(CREATE TABLE e (
      user_id BIGINT, name STRING, event_id BIGINT, amount DECIMAL(10, 2), ts TIMESTAMP(3),
      PRIMARY KEY (event_id) NOT ENFORCED) WITH ())");
  const strings problems = ddl::mismatches<events>(nullable_key, "Event");
  ASSERT_EQ(problems.size(), 2U);
  EXPECT_EQ(problems[0],
            "column 'user_id' is nullable in the DDL but NOT NULL (`std::int64_t`) in struct "
            "Event: make it std::optional, or declare it NOT NULL");

  // A struct member declared as a metadata column.
  const auto metadata = ddl::parse_create_table(R"(CREATE TABLE e (
      user_id BIGINT, name STRING, event_id BIGINT, amount DECIMAL(10, 2),
      ts TIMESTAMP(3) METADATA FROM 'timestamp',
      PRIMARY KEY (event_id, user_id) NOT ENFORCED) WITH ())");
  EXPECT_EQ(ddl::mismatches<events>(metadata, "Event")[0],
            "column 'ts' is a metadata column in the DDL but a member "
            "(`std::optional<upsertkit::timestamp>`) of struct Event");
}

TEST(DdlCheck, TemporalPrecisionsAndWideDecimalsMustAgree) {
  using clocks = upsertkit::table<Clock, upsertkit::primary_key<"id">>;
  const auto ok = ddl::parse_create_table(R"(CREATE TABLE c (id BIGINT NOT NULL, at TIME(3),
      seen TIMESTAMP(6) WITH LOCAL TIME ZONE, local TIMESTAMP(9), wide DECIMAL(38, 8),
      legacy TIMESTAMP(3), PRIMARY KEY (id) NOT ENFORCED) WITH ())");
  EXPECT_EQ(ddl::mismatches<clocks>(ok, "Clock"), strings{});
  const auto bad = ddl::parse_create_table(R"(CREATE TABLE c (id BIGINT NOT NULL, at TIME,
      seen TIMESTAMP_LTZ(3), local TIMESTAMP, wide DECIMAL(38, 9), legacy TIMESTAMP_LTZ(3),
      PRIMARY KEY (id) NOT ENFORCED) WITH ())");
  EXPECT_EQ(ddl::mismatches<clocks>(bad, "Clock"),
            (strings{
                "column 'at' is TIME(0) in the DDL but `std::optional<upsertkit::time_of_day<3>>` "
                "(TIME(3)) in struct Clock",
                "column 'seen' is TIMESTAMP_LTZ(3) in the DDL but "
                "`std::optional<upsertkit::timestamp_ltz<6>>` (TIMESTAMP_LTZ(6)) in struct Clock",
                "column 'local' is TIMESTAMP(6) in the DDL but "
                "`std::optional<upsertkit::local_timestamp<9>>` (TIMESTAMP(9)) in struct Clock",
                "column 'wide' is DECIMAL(38, 9) in the DDL but "
                "`std::optional<upsertkit::decimal<38, 8>>` (DECIMAL(38, 8)) in struct Clock",
                "column 'legacy' is TIMESTAMP_LTZ(3) in the DDL but "
                "`std::optional<upsertkit::local_timestamp<3>>` (TIMESTAMP(3)) in struct Clock",
            }));
}

TEST(DdlCheck, BytesVarbinaryAndBinaryMatchUpsertkitBytes) {
  using blobs = upsertkit::table<Blob, upsertkit::primary_key<"id">>;
  for (std::string_view type : {"BYTES", "VARBINARY(16)", "varbinary", "BINARY(4)",
                                "BINARY VARYING(8)", "VARBINARY(2147483647)"}) {
    const auto t = ddl::parse_create_table(
        "CREATE TABLE b (id " + std::string(type) + ", payload " + std::string(type) +
        ", PRIMARY KEY (id) NOT ENFORCED) WITH ('connector' = 'upsert-kafka', "
        "'key.format' = 'raw', 'value.format' = 'raw')");
    EXPECT_EQ(t.find("payload")->type, upsertkit::sql_type::bytes) << type;
    EXPECT_EQ(ddl::mismatches<blobs>(t, "Blob"), strings{}) << type;
  }
  const auto t = ddl::parse_create_table(R"(CREATE TABLE b (id BINARY VARYING(8), payload STRING,
      PRIMARY KEY (id) NOT ENFORCED) WITH ())");
  EXPECT_EQ(t.find("id")->type_text, "VARBINARY(8)");
  EXPECT_EQ(ddl::mismatches<blobs>(t, "Blob"),
            strings{"column 'payload' is STRING in the DDL but "
                    "`std::optional<upsertkit::bytes>` (BYTES) in struct Blob"});
  const auto u = ddl::parse_create_table(R"(CREATE TABLE b (id STRING, payload BYTES,
      PRIMARY KEY (id) NOT ENFORCED) WITH ())");
  EXPECT_EQ(ddl::mismatches<blobs>(u, "Blob"),
            strings{"column 'id' is STRING in the DDL but `upsertkit::bytes` (BYTES) in struct "
                    "Blob"});
}

TEST(DdlCheck, CheckThrowsEveryMismatchAtOnce) {
  const auto t = ddl::parse_create_table(
      "CREATE TABLE src (order_id STRING, pay_amount INT, PRIMARY KEY (order_id) NOT ENFORCED) "
      "WITH ()");
  try {
    ddl::check<orders::table>(t, "Order");
    FAIL();
  } catch (const upsertkit::config_error& e) {
    const std::string text = e.what();
    EXPECT_EQ(text.rfind("the DDL of table 'src' does not match the compiled table:\n  column "
                         "'order_channel' is in struct Order but not in the DDL\n",
                         0),
              0U)
        << text;
    EXPECT_NE(text.find("\n  column 'pay_amount' is INT in the DDL but `std::optional<double>` "
                        "(DOUBLE) in struct Order"),
              std::string::npos)
        << text;
  }
}

}  // namespace
}  // namespace ddl_test
