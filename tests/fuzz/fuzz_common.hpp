// Shared by the fuzz targets: the tables they decode into, a byte reader that turns the fuzz
// input into choices, and row comparisons. A broken invariant calls std::abort() (through
// FUZZ_CHECK) so libFuzzer and the fallback driver both report it as a crash.
#ifndef UPSERTKIT_TESTS_FUZZ_COMMON_HPP
#define UPSERTKIT_TESTS_FUZZ_COMMON_HPP

#include <upsertkit/column_io.hpp>
#include <upsertkit/schema.hpp>
#include <upsertkit/types.hpp>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "orders/orders_table.hpp"

#define FUZZ_CHECK(condition, ...)                                                     \
  do {                                                                                 \
    if (!(condition)) {                                                                \
      std::fprintf(stderr, "fuzz invariant broken at %s:%d: %s\n", __FILE__, __LINE__, \
                   #condition);                                                        \
      ::fuzz::report(__VA_ARGS__);                                                     \
      std::abort();                                                                    \
    }                                                                                  \
  } while (false)

namespace fuzz {

inline void report() {
}
inline void report(std::string_view what) {
  std::fprintf(stderr, "%.*s\n", static_cast<int>(what.size()), what.data());
}
inline void report(std::string_view label, std::string_view what) {
  std::fprintf(stderr, "%.*s: %.*s\n", static_cast<int>(label.size()), label.data(),
               static_cast<int>(what.size()), what.data());
}

// Every column type, NOT NULL and nullable, with a two-column PRIMARY KEY.
struct AllTypes {
  std::int64_t id = 0;
  std::string_view k;
  bool b = false;
  std::int8_t i8 = 0;
  std::int16_t i16 = 0;
  std::int32_t i32 = 0;
  std::int64_t i64 = 0;
  float f32 = 0;
  double f64 = 0;
  upsertkit::decimal<10, 2> dec;
  upsertkit::date day;
  upsertkit::timestamp ts;
  std::string s;
  std::optional<bool> nb;
  std::optional<std::int8_t> ni8;
  std::optional<std::int16_t> ni16;
  std::optional<std::int32_t> ni32;
  std::optional<std::int64_t> ni64;
  std::optional<float> nf32;
  std::optional<double> nf64;
  std::optional<upsertkit::decimal<18, 9>> ndec;
  std::optional<upsertkit::date> nday;
  std::optional<upsertkit::timestamp> nts;
  std::optional<std::string> ns;
  std::optional<std::string_view> nsv;
  std::optional<upsertkit::decimal<38, 10>> ndec38;
  std::optional<upsertkit::local_timestamp<0>> nts0;
  std::optional<upsertkit::time_of_day<3>> nt3;
  std::optional<upsertkit::timestamp_ltz<9>> nltz9;
  std::optional<upsertkit::local_timestamp<9>> nts9;
};

// The nested types: ARRAY, MAP, MULTISET, ROW, nullable and NOT NULL, nested in each other.
struct Point {
  std::optional<double> x;
  std::int32_t y = 0;
};

struct Shape {
  std::optional<std::string_view> name;
  std::optional<std::vector<Point>> points;
  std::optional<upsertkit::bytes> tag;
};

}  // namespace fuzz

BOOST_HANA_ADAPT_STRUCT(fuzz::Point, x, y);
BOOST_HANA_ADAPT_STRUCT(fuzz::Shape, name, points, tag);

namespace fuzz {

struct Nested {
  std::string_view id;
  std::optional<std::vector<std::optional<std::int64_t>>> ints;
  std::vector<std::string> words;
  std::optional<std::map<std::string_view, std::optional<upsertkit::decimal<10, 2>>>> prices;
  std::optional<upsertkit::multiset<std::string>> bag;
  std::optional<Shape> shape;
  std::optional<std::vector<std::optional<Shape>>> shapes;
  std::optional<std::map<std::string, std::vector<std::optional<upsertkit::timestamp>>>> times;
  std::optional<std::vector<bool>> flags;
};

}  // namespace fuzz

BOOST_HANA_ADAPT_STRUCT(fuzz::Nested, id, ints, words, prices, bag, shape, shapes, times, flags);

namespace fuzz {

using nested = upsertkit::table<Nested, upsertkit::primary_key<"id">>;

// What Flink's csv carries of them: ARRAY and ROW of scalars.
struct CsvNested {
  std::int32_t id = 0;
  std::optional<std::vector<std::optional<std::int32_t>>> ints;
  std::vector<std::string_view> words;
  std::optional<Point> point;
  std::optional<std::vector<upsertkit::decimal<10, 2>>> amounts;
  std::optional<std::vector<std::optional<upsertkit::timestamp>>> times;
  std::optional<std::vector<std::optional<upsertkit::bytes>>> blobs;
};

}  // namespace fuzz

BOOST_HANA_ADAPT_STRUCT(fuzz::CsvNested, id, ints, words, point, amounts, times, blobs);

namespace fuzz {

using csv_nested = upsertkit::table<CsvNested, upsertkit::primary_key<"id">>;

}  // namespace fuzz

BOOST_HANA_ADAPT_STRUCT(fuzz::AllTypes, id, k, b, i8, i16, i32, i64, f32, f64, dec, day, ts, s, nb,
                        ni8, ni16, ni32, ni64, nf32, nf64, ndec, nday, nts, ns, nsv, ndec38, nts0,
                        nt3, nltz9, nts9);

namespace fuzz {

using all_types = upsertkit::table<AllTypes, upsertkit::primary_key<"id", "k">>;

// Reads choices from the front of the fuzz input; what is left is the message.
class input {
 public:
  input(const std::uint8_t* data, std::size_t size)
      : rest_(reinterpret_cast<const char*>(data), size) {}

  std::uint8_t byte() {
    if (rest_.empty()) return 0;
    const auto b = static_cast<std::uint8_t>(rest_.front());
    rest_.remove_prefix(1);
    return b;
  }

  // Up to `max` bytes, length-prefixed by one byte.
  std::string_view chunk(std::size_t max = 255) {
    std::size_t n = byte();
    if (n > max) n = max;
    if (n > rest_.size()) n = rest_.size();
    std::string_view out = rest_.substr(0, n);
    rest_.remove_prefix(n);
    return out;
  }

  std::string_view rest() const noexcept { return rest_; }
  bool empty() const noexcept { return rest_.empty(); }

 private:
  std::string_view rest_;
};

template <class Member>
bool same_member(const Member& a, const Member& b);

// Equal values, where two NaNs of the same type are equal and -0.0 differs from 0.0, inside
// nested values too.
template <class V>
bool same_value(const V& a, const V& b) {
  if constexpr (std::is_floating_point_v<V>) {
    if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
    return std::memcmp(&a, &b, sizeof(V)) == 0;
  } else if constexpr (upsertkit::detail::is_vector<V>) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
      if (!same_member<typename V::value_type>(a[i], b[i])) return false;
    return true;
  } else if constexpr (upsertkit::detail::is_map<V>) {
    if (a.size() != b.size()) return false;
    for (auto x = a.begin(), y = b.begin(); x != a.end(); ++x, ++y)
      if (!same_value(x->first, y->first) || !same_member(x->second, y->second)) return false;
    return true;
  } else if constexpr (upsertkit::detail::is_multiset<V>) {
    return same_value(a.counts, b.counts);
  } else if constexpr (upsertkit::detail::is_row<V>) {
    bool same = true;
    upsertkit::for_each_field<V>([&](auto f) {
      constexpr std::size_t F = decltype(f)::value;
      same = same && same_member(upsertkit::struct_fields<V>::template get<F>(a),
                                 upsertkit::struct_fields<V>::template get<F>(b));
    });
    return same;
  } else {
    return a == b;
  }
}

template <class Member>
bool same_member(const Member& a, const Member& b) {
  const auto* x = upsertkit::column_io::value_of(a);
  const auto* y = upsertkit::column_io::value_of(b);
  if (x == nullptr || y == nullptr) return x == y;
  return same_value(*x, *y);
}

// A failure's field: a column of the projection, or a place inside one (`tags[2]`,
// `home.zip`, `attrs["k"]`), or none.
template <class Names>
bool names_a_column(const std::string& field, const Names& names) {
  if (field.empty()) return true;
  for (const std::string& name : names)
    if (field == name || (field.size() > name.size() && field.compare(0, name.size(), name) == 0 &&
                          (field[name.size()] == '[' || field[name.size()] == '.')))
      return true;
  return false;
}

// Whether two rows agree on the columns of `columns` (struct field indexes).
template <class Table, class Columns>
bool same_columns(const typename Table::row_type& a, const typename Table::row_type& b,
                  const Columns& columns) {
  bool same = true;
  for (const std::uint16_t column : columns) {
    upsertkit::visit_column<Table>(column, [&](auto index) {
      constexpr std::size_t I = decltype(index)::value;
      if (!same_member(Table::fields::template get<I>(a), Table::fields::template get<I>(b)))
        same = false;
    });
  }
  return same;
}

}  // namespace fuzz

#endif  // UPSERTKIT_TESTS_FUZZ_COMMON_HPP
