// The table both objects of the SIMD ABI check instantiate.
#ifndef UPSERTKIT_TESTS_SIMD_ABI_TABLE_HPP
#define UPSERTKIT_TESTS_SIMD_ABI_TABLE_HPP

#include <upsertkit/print.hpp>
#include <upsertkit/schema.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace simd_abi {
struct Order {
  std::string_view order_id;
  std::optional<std::string_view> note;
  std::optional<double> amount;
};
}  // namespace simd_abi
BOOST_HANA_ADAPT_STRUCT(simd_abi::Order, order_id, note, amount);

namespace simd_abi {
using orders = upsertkit::table<Order, upsertkit::primary_key<"order_id">>;

struct collector {
  std::string* out;
  void operator()(const upsertkit::change<Order>& c) const {
    upsertkit::append_printed_row<orders>(*out, c.kind, c.row, upsertkit::print_style::legacy);
    *out += '\n';
  }
};

std::string decode_baseline();  // the object built for -march=x86-64
std::string decode_haswell();   // the object built for -march=haswell
}  // namespace simd_abi

#endif  // UPSERTKIT_TESTS_SIMD_ABI_TABLE_HPP
