// The compile-time budget's second program (scripts/compile-time.sh): an upsert-kafka source
// whose changelog goes to a printer, read to the end of the topic. Compiled, never run.
#include <upsertkit/print.hpp>
#include <upsertkit/source.hpp>

#include <chrono>
#include <optional>
#include <string_view>

struct Order {
  std::string_view order_id;
  std::optional<std::string_view> user_name;
  std::optional<double> pay_amount;
};
BOOST_HANA_ADAPT_STRUCT(Order, order_id, user_name, pay_amount);
// formats<...>: the key and value formats this program reads (optional; default: all four).
using orders =
    upsertkit::table<Order, upsertkit::primary_key<"order_id">, upsertkit::formats<"csv", "json">>;

int main(int argc, char** argv) {
  upsertkit::print_sink<orders> print;
  upsertkit::source_options options;
  options.topic = "orders";
  options.bootstrap_servers = argc > 1 ? argv[1] : "127.0.0.1:9092";
  upsertkit::upsert_source<orders, upsertkit::print_sink<orders>&> source(options, print);
  source.read_to_end(std::chrono::seconds(10));
}
