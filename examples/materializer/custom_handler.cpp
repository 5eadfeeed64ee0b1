// The materializer on its own: your handler receives each change, state is per partition,
// and an optional state TTL forgets idle keys (docs/materializer.md).
#include <upsertkit/materializer.hpp>
#include <upsertkit/print.hpp>

#include <cstdio>
#include <string>

struct Stock {
  std::string_view sku;
  std::int32_t warehouse;
  std::optional<std::int64_t> quantity;
};
BOOST_HANA_ADAPT_STRUCT(Stock, sku, warehouse, quantity);
// PRIMARY KEY (warehouse, sku): key order may differ from field order.
using stock = upsertkit::table<Stock, upsertkit::primary_key<"warehouse", "sku">>;

// Any callable works; it is a template parameter, so each change is one inlined call.
struct running_total {
  std::int64_t total = 0;
  void operator()(const upsertkit::change<Stock>& c) {
    const std::int64_t q = c.row.quantity.value_or(0);
    const bool adds =
        c.kind == upsertkit::row_kind::insert || c.kind == upsertkit::row_kind::update_after;
    total += adds ? q : -q;
    std::string line;
    upsertkit::append_printed_row<stock>(line, c.kind, c.row, upsertkit::print_style::modern);
    std::printf("%-28s total=%lld\n", line.c_str(), static_cast<long long>(total));
  }
};

int main() {
  upsertkit::materializer_options options;
  options.state_ttl = std::chrono::hours(24);  // Flink's table.exec.state.ttl
  upsertkit::materializer<stock, running_total> m(running_total{}, options);
  m.set_time(0);  // processing time in ms; the Kafka source sets it per poll
  m.upsert(0, Stock{"apple", 1, 10});
  m.upsert(0, Stock{"apple", 2, 5});
  m.upsert(0, Stock{"apple", 1, 7});
  m.remove(0, Stock{"apple", 2, std::nullopt});  // a tombstone: only the key columns count
  m.set_time(std::int64_t{25} * 3600 * 1000);
  std::printf("expired keys: %zu\n", m.evict_expired());
  // apple@1 still holds 7: expiry forgets the key without emitting anything (as Flink's TTL).
  return m.handler().total == 7 ? 0 : 1;
}
