// Must not compile: an upsert table needs a PRIMARY KEY.
#include <upsertkit/schema.hpp>

struct Order {
  std::string_view order_id;
};
BOOST_HANA_ADAPT_STRUCT(Order, order_id);

using orders = upsertkit::table<Order, upsertkit::primary_key<>>;
static_assert(orders::key_count == 0);
