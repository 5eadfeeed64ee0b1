// Links upsertkit::config alone: reading a WITH clause needs neither simdjson nor librdkafka
// (the packaging test builds it; main.cpp is the full consumer).
#include <upsertkit/options.hpp>

#include <cstdio>

int main() {
  const upsertkit::upsert_kafka_options options =
      upsertkit::parse_upsert_kafka_options({{"connector", "upsert-kafka"},
                                             {"topic", "payments"},
                                             {"properties.bootstrap.servers", "127.0.0.1:9092"},
                                             {"key.format", "csv"},
                                             {"value.format", "json"}});
  std::printf("%s", options.describe().c_str());
  return options.to_source_options().topic == "payments" ? 0 : 1;
}
