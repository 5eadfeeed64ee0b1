// The nested benchmark table (ARRAY of ROW, ARRAY<STRING>, MAP<STRING, STRING>, ROW) and its
// records, shared by nested_bench.cpp and instruction_count.cpp.
#ifndef UPSERTKIT_BENCHMARKS_NESTED_DATA_HPP
#define UPSERTKIT_BENCHMARKS_NESTED_DATA_HPP

#include <simdjson.h>
#include <upsertkit/schema.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace nested_bench {

struct LineItem {
  std::string_view sku;
  std::int32_t quantity = 0;
  std::optional<double> price;
};

struct Address {
  std::optional<std::string_view> city;
  std::optional<std::string_view> zip;
};

}  // namespace nested_bench

BOOST_HANA_ADAPT_STRUCT(nested_bench::LineItem, sku, quantity, price);
BOOST_HANA_ADAPT_STRUCT(nested_bench::Address, city, zip);

namespace nested_bench {

//   order_id STRING NOT NULL, status STRING, items ARRAY<ROW<sku STRING NOT NULL,
//   quantity INT NOT NULL, price DOUBLE> NOT NULL>, tags ARRAY<STRING>,
//   attributes MAP<STRING, STRING>, ship_to ROW<city STRING, zip STRING>
struct NestedOrder {
  std::string_view order_id;
  std::optional<std::string_view> status;
  std::optional<std::vector<LineItem>> items;
  std::optional<std::vector<std::optional<std::string_view>>> tags;
  std::optional<std::map<std::string_view, std::optional<std::string_view>>> attributes;
  std::optional<Address> ship_to;
};

}  // namespace nested_bench

BOOST_HANA_ADAPT_STRUCT(nested_bench::NestedOrder, order_id, status, items, tags, attributes,
                        ship_to);

namespace nested_bench {

using table = upsertkit::table<NestedOrder, upsertkit::primary_key<"order_id">>;

inline constexpr std::size_t record_count = 10000;

inline std::string make_record(std::size_t key, std::mt19937_64& random) {
  static constexpr std::string_view statuses[] = {"NEW", "PAID", "SHIPPED", "DELIVERED"};
  static constexpr std::string_view tag_words[] = {"gift", "express", "fragile", "b2b", "promo"};
  static constexpr std::string_view cities[] = {"Berlin", "Lisbon", "Osaka", "Toronto"};
  auto pick = [&](std::size_t n) { return static_cast<std::size_t>(random() % n); };
  std::string json;
  auto add = [&](std::string_view text) { json.append(text); };
  auto number = [&](std::size_t n) { json.append(std::to_string(n)); };
  add("{\"order_id\":\"order-");
  number(key);
  add("\",\"status\":\"");
  add(statuses[pick(4)]);
  add("\",\"items\":[");
  const std::size_t items = 1 + pick(4);
  for (std::size_t i = 0; i < items; ++i) {
    if (i > 0) add(",");
    add("{\"sku\":\"SKU-");
    number(10000 + pick(90000));
    add("\",\"quantity\":");
    number(1 + pick(9));
    add(",\"price\":");
    number(pick(100000) / 100);
    add(".");
    number(10 + pick(90));
    add("}");
  }
  add("],\"tags\":[");
  const std::size_t tags = pick(4);
  for (std::size_t i = 0; i < tags; ++i) {
    if (i > 0) add(",");
    add("\"");
    add(tag_words[pick(5)]);
    add("\"");
  }
  add("],\"attributes\":{");
  const std::size_t attributes = pick(3);
  for (std::size_t i = 0; i < attributes; ++i) {
    if (i > 0) add(",");
    add("\"attr");
    number(i);
    add("\":\"value");
    number(pick(1000));
    add("\"");
  }
  add("},\"ship_to\":{\"city\":\"");
  add(cities[pick(4)]);
  add("\",\"zip\":\"");
  number(10000 + pick(90000));
  add("\"}}");
  return json;
}

inline const std::vector<std::string>& json_values() {
  static const std::vector<std::string> values = [] {
    std::mt19937_64 random(42);
    std::vector<std::string> out;
    for (std::size_t i = 0; i < record_count; ++i)
      out.push_back(make_record(i, random));
    return out;
  }();
  return values;
}

// The ceiling: a hand-written simdjson On-Demand reader that touches every value of the same
// records once (strings as views, numbers parsed, every array and object iterated), keeps
// nothing, and reads pre-padded inputs (no copy into a padded buffer, which Kafka messages need).
inline std::size_t read_object_strings(simdjson::ondemand::object object) {
  std::size_t checksum = 0;
  for (auto field : object) {
    std::string_view key = field.unescaped_key();
    std::string_view value = field.value().get_string();
    checksum += key.size() + value.size();
  }
  return checksum;
}

inline std::size_t simdjson_read(simdjson::ondemand::parser& parser,
                                 const simdjson::padded_string& json) {
  std::size_t checksum = 0;
  simdjson::ondemand::document doc = parser.iterate(json);
  for (auto field : doc.get_object()) {
    std::string_view key = field.unescaped_key();
    if (key == "items") {
      for (auto item : field.value().get_array()) {
        for (auto item_field : item.get_object()) {
          std::string_view name = item_field.unescaped_key();
          if (name == "quantity")
            checksum += static_cast<std::size_t>(item_field.value().get_int64());
          else if (name == "price")
            checksum += static_cast<std::size_t>(item_field.value().get_double());
          else
            checksum += item_field.value().get_string().value().size();
        }
      }
    } else if (key == "tags") {
      for (auto tag : field.value().get_array())
        checksum += tag.get_string().value().size();
    } else if (key == "attributes" || key == "ship_to") {
      checksum += read_object_strings(field.value().get_object());
    } else {
      checksum += field.value().get_string().value().size();
    }
  }
  return checksum;
}

}  // namespace nested_bench

#endif  // UPSERTKIT_BENCHMARKS_NESTED_DATA_HPP
