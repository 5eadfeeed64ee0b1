// The README's example: Kafka records of an upsert topic in, Flink's changelog out.
#include <upsertkit/pipeline.hpp>  // records in, changelog out (no Kafka client needed)
#include <upsertkit/print.hpp>

struct Order {
  std::string_view order_id;  // PRIMARY KEY columns are NOT NULL
  std::optional<std::string_view> user_name;
  std::optional<double> pay_amount;
};
BOOST_HANA_ADAPT_STRUCT(Order, order_id, user_name, pay_amount);
// formats<...>: the key and value formats this program reads (optional; default: all four).
using orders =
    upsertkit::table<Order, upsertkit::primary_key<"order_id">, upsertkit::formats<"csv", "json">>;

int main() {
  upsertkit::print_sink<orders> print;  // prints +I(...), -U(...), +U(...), -D(...)
  upsertkit::format_config formats;     // key.format csv, value.format json, ALL
  upsertkit::upsert_pipeline<orders, upsertkit::print_sink<orders>&> table(formats, print);
  table.apply("1001", R"({"order_id":"1001","user_name":"Bob","pay_amount":"60.00"})");
  table.apply("1001", R"({"pay_amount":60.0,"user_name":"Bob","order_id":"1001"})");  // same
  table.apply("1001", R"({"order_id":"1001","user_name":"Bob","pay_amount":65})");
  table.apply("1001", std::nullopt);  // a tombstone deletes the whole row
}
