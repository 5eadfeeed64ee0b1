// Must not compile: a state store without erase() is refused where the materializer is named,
// by the state_store concept.
#include <upsertkit/materializer.hpp>

#include <string_view>

struct Order {
  std::string_view order_id;
  double amount;
};
BOOST_HANA_ADAPT_STRUCT(Order, order_id, amount);
using orders = upsertkit::table<Order, upsertkit::primary_key<"order_id">>;

struct incomplete_store {
  struct entry {
    std::int64_t write_time = 0;
    std::string_view key() const { return {}; }
    std::string_view row() const { return {}; }
  };
  const entry* find(std::string_view, std::uint64_t) const { return nullptr; }
  const entry* insert(std::string_view, std::uint64_t, std::string_view, std::int64_t) {
    return nullptr;
  }
  const entry* replace(const entry*, std::uint64_t, std::string_view, std::int64_t) {
    return nullptr;
  }
  template <class F>
  std::size_t erase_if(F&&) {
    return 0;
  }
  template <class F>
  void for_each(F&&) const {}
  std::size_t size() const { return 0; }
  std::size_t memory_bytes() const { return 0; }
};

auto handler = [](const upsertkit::change<Order>&) {};
upsertkit::materializer<orders, decltype(handler), incomplete_store> state(handler);
