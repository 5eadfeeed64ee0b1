// Must not compile: a table's third argument is its formats<...>, not any type.
#include <upsertkit/schema.hpp>

struct Order {
  std::string_view order_id;
  double amount;
};
BOOST_HANA_ADAPT_STRUCT(Order, order_id, amount);

using orders = upsertkit::table<Order, upsertkit::primary_key<"order_id">, int>;
static_assert(orders::key_count == 1);
