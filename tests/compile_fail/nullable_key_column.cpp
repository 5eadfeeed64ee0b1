// Must not compile: PRIMARY KEY columns are NOT NULL.
#include <upsertkit/schema.hpp>

struct Order {
  std::optional<std::string_view> order_id;
  double amount;
};
BOOST_HANA_ADAPT_STRUCT(Order, order_id, amount);

using orders = upsertkit::table<Order, upsertkit::primary_key<"order_id">>;
static_assert(orders::key_count == 1);
