// upsertkit: what every Kafka client of a connector is given: a topic, the brokers, and the
// librdkafka settings passed through from `properties.*`.
#ifndef UPSERTKIT_CONFIG_CONNECTION_HPP
#define UPSERTKIT_CONFIG_CONNECTION_HPP

#include <map>
#include <string>
#include <string_view>

namespace upsertkit {

/// The part every source, sink and topic reader option struct shares (their base class).
struct kafka_connection {
  std::string topic;
  std::string bootstrap_servers;                  // `properties.bootstrap.servers`
  std::map<std::string, std::string> properties;  // other `properties.*`, prefix stripped
};

/// Whether a librdkafka property holds a secret (never printed).
inline bool is_secret_property(std::string_view key) {
  return key.find("password") != std::string_view::npos ||
         key.find("secret") != std::string_view::npos || key == "sasl.oauthbearer.config" ||
         key == "ssl.key.pem" || key == "ssl_key" || key == "sasl.jaas.config";
}

}  // namespace upsertkit

#endif  // UPSERTKIT_CONFIG_CONNECTION_HPP
