// The upsert-kafka WITH clause: required and unsupported options, the buffer pair, durations,
// properties.* pass-through, secrets, and the seed's three examples.
#include <gtest/gtest.h>
#include <upsertkit/options.hpp>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace options_test {
namespace {

using upsertkit::config_error;
using upsertkit::option_map;
using upsertkit::parse_upsert_kafka_options;

option_map seed_example_1() {
  return {{"connector", "upsert-kafka"},
          {"topic", "KafkaTopic"},
          {"properties.bootstrap.servers", "KafkaAddress1:9092,KafkaAddress2:9092"},
          {"key.format", "csv"},
          {"value.format", "json"}};
}

std::string error_of(const option_map& with) {
  try {
    parse_upsert_kafka_options(with);
  } catch (const config_error& e) {
    return e.what();
  }
  return "no error";
}

TEST(UpsertKafkaOptions, SeedExampleOne) {
  const auto options = parse_upsert_kafka_options(seed_example_1());
  EXPECT_EQ(options.topic, "KafkaTopic");
  EXPECT_EQ(options.bootstrap_servers, "KafkaAddress1:9092,KafkaAddress2:9092");
  EXPECT_EQ(options.formats.key_format, "csv");
  EXPECT_EQ(options.formats.value_format, "json");
  EXPECT_EQ(options.formats.layout.include, upsertkit::fields_include::all);
  EXPECT_EQ(options.guarantee, upsertkit::delivery_guarantee::at_least_once);
  EXPECT_EQ(options.bounded, upsertkit::bounded_mode::unbounded);
  EXPECT_EQ(options.to_source_options().topic, "KafkaTopic");
}

TEST(UpsertKafkaOptions, MissingRequiredOptionsWithTheReferenceText) {
  option_map with = seed_example_1();
  with.erase("key.format");
  with.erase("properties.bootstrap.servers");
  EXPECT_EQ(error_of(with),
            "One or more required options are missing.\n\nMissing required options are:\n\n"
            "key.format\nproperties.bootstrap.servers");
}

TEST(UpsertKafkaOptions, UnsupportedOptionsAreListedWithTheSupportedOnes) {
  option_map with = seed_example_1();
  with["key.fields"] = "order_id";
  with["scan.startup.mode"] = "earliest-offset";
  const std::string text = error_of(with);
  EXPECT_EQ(text.rfind("Unsupported options found for 'upsert-kafka'.\n\nUnsupported options:\n\n"
                       "key.fields\nscan.startup.mode\n\nSupported options:\n\nconnector\n",
                       0),
            0u)
      << text;
  EXPECT_NE(text.find("sink.buffer-flush.max-rows"), std::string::npos);
  EXPECT_NE(text.find("properties.*"), std::string::npos);
}

TEST(UpsertKafkaOptions, BufferFlushPair) {
  option_map with = seed_example_1();
  with["sink.buffer-flush.max-rows"] = "100";
  EXPECT_EQ(error_of(with),
            "'sink.buffer-flush.max-rows' and 'sink.buffer-flush.interval' must be set to be "
            "greater than zero together to enable sink buffer flushing.");
  with["sink.buffer-flush.interval"] = "10 ms";
  const auto options = parse_upsert_kafka_options(with);
  EXPECT_EQ(options.buffer_flush_max_rows, 100);
  EXPECT_EQ(options.buffer_flush_interval, std::chrono::milliseconds(10));
  with["sink.buffer-flush.max-rows"] = "-1";
  with["sink.buffer-flush.interval"] = "0";
  EXPECT_EQ(error_of(with),
            "batchSize and batchInterval must greater than zero if buffer flush is enabled, but "
            "got batchSize=-1 and batchIntervalMs=0");
}

TEST(Duration, UnitsAndBareMilliseconds) {
  using std::chrono::milliseconds;
  EXPECT_EQ(upsertkit::parse_duration("k", "10 ms"), milliseconds(10));
  EXPECT_EQ(upsertkit::parse_duration("k", "1 s"), milliseconds(1000));
  EXPECT_EQ(upsertkit::parse_duration("k", "1 min"), milliseconds(60000));
  EXPECT_EQ(upsertkit::parse_duration("k", "1 h"), milliseconds(3600000));
  EXPECT_EQ(upsertkit::parse_duration("k", "100000"), milliseconds(100000));
  EXPECT_EQ(upsertkit::parse_duration("k", "5min"), milliseconds(300000));
  EXPECT_EQ(upsertkit::parse_duration("k", "2 Seconds"), milliseconds(2000));
  EXPECT_THROW(upsertkit::parse_duration("k", "soon"), config_error);
  EXPECT_THROW(upsertkit::parse_duration("k", "10 fortnights"), config_error);
  EXPECT_THROW(upsertkit::parse_duration("k", "-5 s"), config_error);
}

// The WITH clause is parsed without librdkafka (the configuration layer has no Kafka client):
// properties are passed on, and librdkafka checks them when a source or sink is built
// (KafkaProperties.* in kafka_client_test.cpp).
TEST(UpsertKafkaOptions, PropertiesArePassedOnAndOwnedKeysRefused) {
  option_map with = seed_example_1();
  with["properties.allow.auto.create.topics"] = "false";
  with["properties.client.id"] = "orders-reader";
  const auto options = parse_upsert_kafka_options(with);
  EXPECT_EQ(options.properties.at("allow.auto.create.topics"), "false");
  EXPECT_EQ(options.properties.at("client.id"), "orders-reader");
  EXPECT_EQ(options.properties.count("bootstrap.servers"), 0u);

  with["properties.no.such.setting"] = "x";
  EXPECT_EQ(parse_upsert_kafka_options(with).properties.at("no.such.setting"), "x");
  with.erase("properties.no.such.setting");
  with["properties.key.deserializer"] = "org.apache.kafka.common.serialization.StringDeserializer";
  const std::string text = error_of(with);
  EXPECT_NE(text.find("'properties.key.deserializer' cannot be set"), std::string::npos) << text;
}

TEST(UpsertKafkaOptions, FormatOptionsAreSplitAndChecked) {
  option_map with = seed_example_1();
  with["key.csv.field-delimiter"] = "|";
  with["value.json.ignore-parse-errors"] = "true";
  const auto options = parse_upsert_kafka_options(with);
  EXPECT_EQ(options.formats.key_options.at("field-delimiter"), "|");
  EXPECT_EQ(options.formats.value_options.at("ignore-parse-errors"), "true");
  with["value.json.timestamp-format.standard"] = "RFC";
  EXPECT_NE(error_of(with).find("Unsupported value 'RFC' for timestamp-format.standard"),
            std::string::npos);
  with.erase("value.json.timestamp-format.standard");
  with["value.csv.field-delimiter"] = ";";  // a csv option on a json value
  EXPECT_NE(error_of(with).find("value.csv.field-delimiter"), std::string::npos);
}

TEST(UpsertKafkaOptions, KeyLayoutAndSinkOptions) {
  option_map with = seed_example_1();
  with["value.fields-include"] = "EXCEPT_KEY";
  with["key.fields-prefix"] = "k_";
  with["sink.parallelism"] = "4";
  with["sink.delivery-guarantee"] = "exactly-once";
  EXPECT_EQ(error_of(with),
            "sink.transactional-id-prefix must be specified when using "
            "DeliveryGuarantee.EXACTLY_ONCE.");
  with["sink.transactional-id-prefix"] = "orders";
  const auto options = parse_upsert_kafka_options(with);
  EXPECT_EQ(options.formats.layout.include, upsertkit::fields_include::except_key);
  EXPECT_EQ(options.formats.layout.key_prefix, "k_");
  EXPECT_EQ(options.sink_parallelism, 4);
  EXPECT_EQ(options.guarantee, upsertkit::delivery_guarantee::exactly_once);
}

TEST(UpsertKafkaOptions, BoundedModes) {
  option_map with = seed_example_1();
  with["scan.bounded.mode"] = "timestamp";
  EXPECT_EQ(error_of(with),
            "'scan.bounded.timestamp-millis' is required in 'timestamp' bounded mode but missing.");
  with["scan.bounded.timestamp-millis"] = "1700000000000";
  EXPECT_EQ(parse_upsert_kafka_options(with).bounded_timestamp_ms, 1700000000000);
  with["scan.bounded.mode"] = "specific-offsets";
  EXPECT_EQ(error_of(with),
            "'scan.bounded.specific-offsets' is required in 'specific-offsets' bounded mode but "
            "missing.");
  with["scan.bounded.specific-offsets"] = "partition:0,offset:42;partition:1,offset:300";
  const auto offsets = parse_upsert_kafka_options(with).bounded_offsets;
  EXPECT_EQ(offsets.at(0), 42);
  EXPECT_EQ(offsets.at(1), 300);
  with["scan.bounded.specific-offsets"] = "0:42";
  EXPECT_EQ(error_of(with),
            "Invalid properties 'scan.bounded.specific-offsets' should follow the format "
            "'partition:0,offset:42;partition:1,offset:300', but is '0:42'.");
}

TEST(UpsertKafkaOptions, TopicListIsRefused) {
  option_map with = seed_example_1();
  with["topic"] = "a;b";
  EXPECT_EQ(error_of(with),
            "The 'upsert-kafka' connector doesn't support topic list now. Please use single "
            "topic as the value of the parameter 'topic'.");
}

// The seed's Example 3: SASL_PLAINTEXT with GSSAPI and the hosted service's Kerberos keys.
TEST(UpsertKafkaOptions, SeedExampleThreeKerberosKeysMapOntoLibrdkafka) {
  option_map with = seed_example_1();
  with["properties.sasl.mechanism"] = "GSSAPI";
  with["properties.security.protocol"] = "SASL_PLAINTEXT";
  with["properties.sasl.kerberos.service.name"] = "kafka";
  with["properties.connector.auth.open"] = "true";
  with["properties.connector.kerberos.principal"] = "username";
  with["properties.connector.kerberos.krb5"] = "/etc/krb5.conf";
  with["properties.connector.kerberos.keytab"] = "/etc/user.keytab";
  const auto options = parse_upsert_kafka_options(with);
  EXPECT_EQ(options.properties.at("sasl.kerberos.principal"), "username");
  EXPECT_EQ(options.properties.at("sasl.kerberos.keytab"), "/etc/user.keytab");
  EXPECT_NE(options.properties.at("sasl.kerberos.kinit.cmd").find("KRB5_CONFIG=\"/etc/krb5.conf\""),
            std::string::npos);
  with["properties.connector.kerberos.keytab"] = "obs://xx/user.keytab";
  const std::string text = error_of(with);
  EXPECT_NE(text.find("obs://xx/user.keytab"), std::string::npos) << text;
  EXPECT_NE(text.find("cannot be reached from here"), std::string::npos) << text;
}

TEST(UpsertKafkaOptions, SecretsComeFromEnvOrFileAndAreNeverPrinted) {
  const std::string secret = "s3cr3t-passw0rd-value";
  ::setenv("UPSERTKIT_TEST_SECRET", secret.c_str(), 1);
  const std::string path = ::testing::TempDir() + "upsertkit_secret.txt";
  {
    std::FILE* f = std::fopen(path.c_str(), "w");
    std::fputs("from-a-file\n", f);
    std::fclose(f);
  }
  option_map with = seed_example_1();
  with["properties.security.protocol"] = "SASL_PLAINTEXT";
  with["properties.sasl.mechanism"] = "PLAIN";
  with["properties.sasl.username"] = "${file:" + path + "}";
  with["properties.sasl.password"] = "${env:UPSERTKIT_TEST_SECRET}";
  const auto options = parse_upsert_kafka_options(with);
  EXPECT_EQ(options.properties.at("sasl.password"), secret);
  EXPECT_EQ(options.properties.at("sasl.username"), "from-a-file");
  const std::string printed = options.describe();
  EXPECT_EQ(printed.find(secret), std::string::npos) << printed;
  EXPECT_NE(printed.find("properties.sasl.password = ******"), std::string::npos) << printed;

  with["properties.sasl.password"] = "${env:UPSERTKIT_TEST_UNSET_VARIABLE}";
  EXPECT_NE(error_of(with).find("'UPSERTKIT_TEST_UNSET_VARIABLE', which is not set"),
            std::string::npos);
}

}  // namespace
}  // namespace options_test
