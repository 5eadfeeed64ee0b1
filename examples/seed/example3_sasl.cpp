// The seed's Example 3: an upsert-kafka source on a SASL_PLAINTEXT cluster, printed.
//
//   upsertkit-seed-example-3 [--brokers HOST:PORT]
//
// The seed authenticates with Kerberos (GSSAPI) and names its keytab and krb5.conf by obs://
// URLs of the hosted service. Here:
//   1. the seed's WITH clause is parsed as written: the obs:// location is refused with a
//      clear error (nothing here can reach it);
//   2. with local Kerberos files it is accepted and mapped onto librdkafka's settings, printed
//      with secrets redacted;
//   3. the records are read over SASL_PLAINTEXT with the PLAIN mechanism, credentials taken
//      from the environment (UPSERTKIT_SASL_USERNAME / UPSERTKIT_SASL_PASSWORD) through
//      ${env:...}: no credentials in code. The embedded cluster has no SASL, so without
//      --brokers step 3 connects without it.
#include <upsertkit/testing/embedded_cluster.hpp>
#include <upsertkit/upsertkit.hpp>

#include <cstdio>
#include <optional>
#include <string>

#include "orders/orders_table.hpp"
#include "orders/seed_example.hpp"

namespace {

using namespace std::chrono_literals;

upsertkit::option_map seed_with(const std::string& servers) {
  return {{"connector", "upsert-kafka"},
          {"topic", "seed-example-3"},
          {"properties.bootstrap.servers", servers},
          {"key.format", "csv"},
          {"value.format", "json"},
          {"properties.sasl.mechanism", "GSSAPI"},
          {"properties.security.protocol", "SASL_PLAINTEXT"},
          {"properties.sasl.kerberos.service.name", "kafka"},
          {"properties.connector.auth.open", "true"},
          {"properties.connector.kerberos.principal", "username"},
          {"properties.connector.kerberos.krb5", "obs://xx/krb5.conf"},
          {"properties.connector.kerberos.keytab", "obs://xx/user.keytab"}};
}

int run(const std::string& servers, bool sasl) {
  // 1. As written in the seed.
  try {
    upsertkit::parse_upsert_kafka_options(seed_with(servers));
  } catch (const upsertkit::config_error& e) {
    std::printf("as written: %s\n", e.what());
  }
  // 2. With local files, the Kerberos keys map onto librdkafka's.
  upsertkit::option_map kerberos = seed_with(servers);
  kerberos["properties.connector.kerberos.krb5"] = "/etc/krb5.conf";
  kerberos["properties.connector.kerberos.keytab"] = "/etc/security/user.keytab";
  const auto mapped = upsertkit::parse_upsert_kafka_options(kerberos);
  std::printf("with local files: sasl.kerberos.principal = %s, sasl.kerberos.keytab = %s\n",
              mapped.properties.at("sasl.kerberos.principal").c_str(),
              mapped.properties.at("sasl.kerberos.keytab").c_str());

  // 3. SASL_PLAINTEXT with PLAIN (what a test broker offers), secrets from the environment.
  upsertkit::option_map plain = seed_with(servers);
  for (const char* key :
       {"properties.sasl.kerberos.service.name", "properties.connector.auth.open",
        "properties.connector.kerberos.principal", "properties.connector.kerberos.krb5",
        "properties.connector.kerberos.keytab"})
    plain.erase(key);
  if (sasl) {
    plain["properties.sasl.mechanism"] = "PLAIN";
    plain["properties.sasl.username"] = "${env:UPSERTKIT_SASL_USERNAME}";
    plain["properties.sasl.password"] = "${env:UPSERTKIT_SASL_PASSWORD}";
  } else {
    plain.erase("properties.sasl.mechanism");
    plain.erase("properties.security.protocol");
  }
  const auto options = upsertkit::parse_upsert_kafka_options(plain);
  if (sasl) {
    // The password is resolved but never printed.
    const std::string described = options.describe();
    std::printf("%s", described.substr(described.find("properties.sasl.password")).c_str());
  }

  // Step 4 of the seed: the three keyed records.
  {
    upsertkit::kafka::config conf;
    conf.set("bootstrap.servers", servers);
    for (const auto& [key, value] : options.properties)
      conf.set(key, value);
    upsertkit::kafka::producer producer(std::move(conf));
    for (const auto& [key, value] : orders::seed::records)
      producer.produce(options.topic, 0, key, value);
    producer.flush(30s);
  }
  // Step 5: INSERT INTO printSink SELECT * FROM upsertKafkaSource.
  std::fflush(stdout);
  upsertkit::print_sink<orders::table> print;
  upsertkit::upsert_source<orders::table, upsertkit::print_sink<orders::table>&> source(
      options.to_source_options(), print);
  source.read_to_end(60s);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    std::optional<std::string> brokers;
    for (int i = 1; i < argc; ++i) {
      const std::string flag = argv[i];
      if (flag == "--brokers" && i + 1 < argc) {
        brokers = argv[++i];
      } else {
        std::fprintf(stderr, "usage: upsertkit-seed-example-3 [--brokers HOST:PORT]\n");
        return 2;
      }
    }
    if (brokers) {
      // The topic is created by an authenticated admin client as well.
      upsertkit::kafka::config conf;
      conf.set("bootstrap.servers", *brokers);
      conf.set("security.protocol", "SASL_PLAINTEXT");
      conf.set("sasl.mechanism", "PLAIN");
      conf.set("sasl.username",
               upsertkit::resolve_option_value("admin user", "${env:UPSERTKIT_SASL_USERNAME}"));
      conf.set("sasl.password",
               upsertkit::resolve_option_value("admin password", "${env:UPSERTKIT_SASL_PASSWORD}"));
      upsertkit::kafka::producer admin(std::move(conf));
      upsertkit::kafka::create_topic(admin.get(), "seed-example-3", 1, {}, 30s);
      return run(*brokers, true);
    }
    upsertkit::kafka::embedded_cluster cluster;
    cluster.create_topic("seed-example-3", 1);
    return run(cluster.bootstrap_servers(), false);
  } catch (const upsertkit::error& e) {
    std::fflush(stdout);
    std::fprintf(stderr, "upsertkit-seed-example-3: %s\n", e.what());
    return 1;
  }
}
