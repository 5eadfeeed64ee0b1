// The materializer tests' table: two key columns declared in another order than the struct's
// fields, a nullable string and a nullable double.
#ifndef UPSERTKIT_TESTS_ITEM_TABLE_HPP
#define UPSERTKIT_TESTS_ITEM_TABLE_HPP

#include <upsertkit/schema.hpp>

#include <cstdint>
#include <optional>
#include <string_view>

namespace test_items {

struct Item {
  std::string_view id;
  std::optional<std::string_view> name;
  std::int32_t region;
  std::optional<double> price;
};

}  // namespace test_items

BOOST_HANA_ADAPT_STRUCT(test_items::Item, id, name, region, price);

namespace test_items {

// PRIMARY KEY (region, id): declaration order differs from field order on purpose.
using items = upsertkit::table<Item, upsertkit::primary_key<"region", "id">>;

}  // namespace test_items

#endif  // UPSERTKIT_TESTS_ITEM_TABLE_HPP
