// Must not compile: unsigned int is not a column type, so neither is an ARRAY of it.
#include <upsertkit/schema.hpp>

#include <vector>

struct Order {
  std::string_view order_id;
  std::vector<unsigned> lines;
};
BOOST_HANA_ADAPT_STRUCT(Order, order_id, lines);

using orders = upsertkit::table<Order, upsertkit::primary_key<"order_id">>;
static_assert(orders::column_types[1] == upsertkit::sql_type::string);
