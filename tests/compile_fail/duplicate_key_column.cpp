// Must not compile: a column named twice in the PRIMARY KEY.
#include <upsertkit/schema.hpp>

struct Order {
  std::string_view order_id;
  double amount;
};
BOOST_HANA_ADAPT_STRUCT(Order, order_id, amount);

using orders = upsertkit::table<Order, upsertkit::primary_key<"order_id", "order_id">>;
static_assert(orders::key_count == 2);
