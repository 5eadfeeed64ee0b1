// docs/schema.md and docs/formats.md, as one program: a table with a two-column PRIMARY KEY
// in an order other than the fields', a csv key with `|` as delimiter, a json value, and the
// row encoded back. The test example.upsertkit-formats-example checks its output.
#include <upsertkit/formats/csv.hpp>
#include <upsertkit/formats/json.hpp>
#include <upsertkit/schema.hpp>

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

struct Order {
  std::string_view order_id;                            // STRING NOT NULL, key
  std::int64_t shop_id;                                 // BIGINT NOT NULL, key
  std::optional<std::string> user_name;                 // STRING
  std::optional<upsertkit::decimal<10, 2>> pay_amount;  // DECIMAL(10, 2)
  std::optional<upsertkit::timestamp> pay_time;         // TIMESTAMP(3)
};
BOOST_HANA_ADAPT_STRUCT(Order, order_id, shop_id, user_name, pay_amount, pay_time);

// PRIMARY KEY (shop_id, order_id) NOT ENFORCED
using orders = upsertkit::table<Order, upsertkit::primary_key<"shop_id", "order_id">>;
static_assert(orders::key_columns[0] == 1 && orders::key_columns[1] == 0);

std::string example() {
  auto p = upsertkit::table_projections<orders>();  // ALL, no prefix
  upsertkit::csv::codec<orders> key(p.key,
                                    upsertkit::csv::parse_options({{"field-delimiter", "|"}}));
  upsertkit::json::codec<orders> value(
      p.value, upsertkit::json::parse_options({{"timestamp-format.standard", "ISO-8601"}}),
      upsertkit::json::role::value);

  Order row{};
  // The key message holds the key columns in PRIMARY KEY order: shop_id, then order_id.
  if (auto status = key.decode("7|A-1", row); !status) return status.describe();
  // The value lacks both key columns: they keep the key's values. "60.005" rounds HALF_UP.
  if (auto status = value.decode(R"({"user_name":"Bob","pay_amount":"60.005"})", row); !status)
    return status.describe();
  std::string out;
  value.encode(row, out);  // appends
  out += '\n';
  key.encode(row, out);
  return out;
}

int main() {
  std::printf("%s\n", example().c_str());
}
