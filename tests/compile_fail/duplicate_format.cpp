// Must not compile: "json" is listed twice.
#include <upsertkit/schema.hpp>

struct Order {
  std::string_view order_id;
  double amount;
};
BOOST_HANA_ADAPT_STRUCT(Order, order_id, amount);

using orders = upsertkit::table<Order, upsertkit::primary_key<"order_id">,
                                upsertkit::formats<"json", "csv", "json">>;
static_assert(orders::format_list::count == 3);
