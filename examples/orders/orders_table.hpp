// The orders table of the seed's examples, as an upsertkit schema:
//
//   CREATE TABLE upsertKafkaSource (
//     order_id string, order_channel string, order_time string, pay_amount double,
//     real_pay double, pay_time string, user_id string, user_name string, area_id string,
//     PRIMARY KEY (order_id) NOT ENFORCED
//   ) WITH ('connector' = 'upsert-kafka', 'key.format' = 'csv', 'value.format' = 'json', ...);
//
// Every column but the key is nullable, as in the DDL; strings are views into the record.
#ifndef UPSERTKIT_EXAMPLES_ORDERS_TABLE_HPP
#define UPSERTKIT_EXAMPLES_ORDERS_TABLE_HPP

#include <upsertkit/schema.hpp>

#include <optional>
#include <string_view>

namespace orders {

struct Order {
  std::string_view order_id;
  std::optional<std::string_view> order_channel;
  std::optional<std::string_view> order_time;
  std::optional<double> pay_amount;
  std::optional<double> real_pay;
  std::optional<std::string_view> pay_time;
  std::optional<std::string_view> user_id;
  std::optional<std::string_view> user_name;
  std::optional<std::string_view> area_id;

  friend bool operator==(const Order&, const Order&) = default;
};

}  // namespace orders

BOOST_HANA_ADAPT_STRUCT(orders::Order, order_id, order_channel, order_time, pay_amount, real_pay,
                        pay_time, user_id, user_name, area_id);

namespace orders {
using table = upsertkit::table<Order, upsertkit::primary_key<"order_id">>;
}  // namespace orders

#endif  // UPSERTKIT_EXAMPLES_ORDERS_TABLE_HPP
