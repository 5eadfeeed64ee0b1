// Must not compile: "amout" is not a field of Order. Only that is reported: the first field
// being nullable is no second error (the key has no column at field 0).
#include <upsertkit/schema.hpp>

struct Order {
  std::optional<std::string_view> note;
  std::string_view order_id;
  double amount;
};
BOOST_HANA_ADAPT_STRUCT(Order, note, order_id, amount);

using orders = upsertkit::table<Order, upsertkit::primary_key<"order_id", "amout">>;
static_assert(orders::key_count == 2);
