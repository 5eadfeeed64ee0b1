// What the tests on the embedded cluster share: a producer for it, the orders table's JSON for a
// record and a handler printing its changes, and a consumer group's committed offsets read
// without joining the group. (The
// real-broker tests add theirs in broker/broker_support.hpp.)
#ifndef UPSERTKIT_TESTS_TEST_SUPPORT_HPP
#define UPSERTKIT_TESTS_TEST_SUPPORT_HPP

#include <upsertkit/kafka/client.hpp>
#include <upsertkit/print.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "orders/orders_table.hpp"

namespace test_support {

/// A handler keeping each change of the orders table as its printed row (modern style).
struct printed {
  std::vector<std::string>* out;
  void operator()(const upsertkit::change<orders::Order>& c) {
    std::string row;
    upsertkit::append_printed_row<orders::table>(row, c.kind, c.row,
                                                 upsertkit::print_style::modern);
    out->push_back(row);
  }
};

/// A plain producer for `cluster` (the embedded one, or anything with bootstrap_servers()).
template <class Cluster>
upsertkit::kafka::producer make_producer(const Cluster& cluster) {
  upsertkit::kafka::config conf;
  conf.set("bootstrap.servers", cluster.bootstrap_servers());
  return upsertkit::kafka::producer(std::move(conf));
}

/// The JSON value of an order with only `order_id` and `user_name` set.
inline std::string order(std::string_view id, std::string_view name) {
  return R"({"order_id":")" + std::string(id) + R"(","user_name":")" + std::string(name) + "\"}";
}

/// The offsets `group` committed for partitions [0, partitions) of `topic` (-1 where none),
/// read by a consumer that never joins the group.
inline std::vector<std::int64_t> committed_offsets(const std::string& bootstrap_servers,
                                                   const std::string& group,
                                                   const std::string& topic,
                                                   std::int32_t partitions) {
  upsertkit::kafka::config conf;
  conf.set("bootstrap.servers", bootstrap_servers);
  conf.set("group.id", group);
  upsertkit::kafka::consumer watcher(std::move(conf));
  upsertkit::kafka::partition_list_ptr list(rd_kafka_topic_partition_list_new(partitions));
  for (std::int32_t p = 0; p < partitions; ++p)
    rd_kafka_topic_partition_list_add(list.get(), topic.c_str(), p);
  watcher.committed(list.get(), std::chrono::seconds(10));
  std::vector<std::int64_t> out;
  for (int i = 0; i < list->cnt; ++i)
    out.push_back(list->elems[i].offset >= 0 ? list->elems[i].offset : -1);
  return out;
}

}  // namespace test_support

#endif  // UPSERTKIT_TESTS_TEST_SUPPORT_HPP
