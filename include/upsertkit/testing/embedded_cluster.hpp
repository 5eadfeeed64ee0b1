// upsertkit: librdkafka's in-process mock cluster, for demos and tests. Kept apart from
// kafka/client.hpp so that a program that only talks to real brokers does not include
// rdkafka_mock.h.
#ifndef UPSERTKIT_TESTING_EMBEDDED_CLUSTER_HPP
#define UPSERTKIT_TESTING_EMBEDDED_CLUSTER_HPP

#include <librdkafka/rdkafka.h>
// rdkafka_mock.h needs rdkafka.h first.
#include <librdkafka/rdkafka_mock.h>

#include <string>

#include "../kafka/client.hpp"

namespace upsertkit::kafka {

/// librdkafka's in-process mock cluster: a Kafka cluster inside this process, reached through
/// the same API as a real one (only the bootstrap address differs). For demos and small tests:
/// each partition keeps at most ~5 MiB, and older data is dropped silently.
class embedded_cluster {
 public:
  explicit embedded_cluster(int brokers = 1) {
    config conf;
    conf.set("test.mock.num.brokers", std::to_string(brokers));
    conf.set("log_level", "3");
    owner_ = make_handle(RD_KAFKA_PRODUCER, std::move(conf));
    cluster_ = rd_kafka_handle_mock_cluster(owner_.get());
    if (cluster_ == nullptr)
      throw kafka_error(RD_KAFKA_RESP_ERR__FAIL, "cannot start the embedded Kafka cluster");
  }

  /// The `bootstrap.servers` value of this cluster.
  std::string bootstrap_servers() const { return rd_kafka_mock_cluster_bootstraps(cluster_); }

  /// Creates a topic (the mock cluster has no CreateTopics API).
  void create_topic(const std::string& topic, int partitions) {
    const rd_kafka_resp_err_t err =
        rd_kafka_mock_topic_create(cluster_, topic.c_str(), partitions, 1);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) throw kafka_error(err, "cannot create the topic", topic);
  }

 private:
  handle_ptr owner_;
  rd_kafka_mock_cluster_t* cluster_ = nullptr;
};

}  // namespace upsertkit::kafka

#endif  // UPSERTKIT_TESTING_EMBEDDED_CLUSTER_HPP
