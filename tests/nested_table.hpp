// The nested column types' test table: ARRAY, MAP, MULTISET and ROW, nullable and NOT NULL,
// nested in each other, with owning and zero-copy element types.
//
//   CREATE TABLE people (
//     id STRING NOT NULL,
//     tags ARRAY<STRING>,                      -- nullable elements
//     -- MAP keys and MULTISET elements are always NOT NULL in upsertkit (docs/schema.md)
//     scores ARRAY<INT NOT NULL> NOT NULL,
//     attributes MAP<STRING, STRING>,
//     counters MAP<STRING, BIGINT NOT NULL> NOT NULL,
//     labels MULTISET<STRING>,
//     home ROW<street STRING, zip INT NOT NULL, geo ROW<lat DOUBLE, lon DOUBLE>>,
//       -- Flink resolves the fields of a nullable ROW as nullable, so for Flink `zip` is
//       -- nullable here; the struct keeps it NOT NULL on purpose (the codecs' NOT NULL field
//       -- paths), and NestedDdlCheck.TheNestedTestTable pins the one mismatch ddl::check reports
//     visits ARRAY<ROW<at TIMESTAMP(3), amount DECIMAL(10, 2)>>,
//     groups MAP<STRING, ARRAY<BIGINT>>,
//     PRIMARY KEY (id) NOT ENFORCED)
#ifndef UPSERTKIT_TESTS_NESTED_TABLE_HPP
#define UPSERTKIT_TESTS_NESTED_TABLE_HPP

#include <upsertkit/schema.hpp>
#include <upsertkit/types.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace test_nested {

struct Geo {
  std::optional<double> lat;
  std::optional<double> lon;
};

struct Address {
  std::optional<std::string_view> street;
  std::int32_t zip = 0;
  std::optional<Geo> geo;
};

struct Visit {
  std::optional<upsertkit::timestamp> at;
  std::optional<upsertkit::decimal<10, 2>> amount;
};

}  // namespace test_nested

BOOST_HANA_ADAPT_STRUCT(test_nested::Geo, lat, lon);
BOOST_HANA_ADAPT_STRUCT(test_nested::Address, street, zip, geo);
BOOST_HANA_ADAPT_STRUCT(test_nested::Visit, at, amount);

namespace test_nested {

struct Person {
  std::string_view id;
  std::optional<std::vector<std::optional<std::string_view>>> tags;
  std::vector<std::int32_t> scores;
  std::optional<std::map<std::string, std::optional<std::string>>> attributes;
  std::map<std::string_view, std::int64_t> counters;
  std::optional<upsertkit::multiset<std::string>> labels;
  std::optional<Address> home;
  std::optional<std::vector<std::optional<Visit>>> visits;
  std::optional<std::map<std::string, std::optional<std::vector<std::optional<std::int64_t>>>>>
      groups;
};

}  // namespace test_nested

BOOST_HANA_ADAPT_STRUCT(test_nested::Person, id, tags, scores, attributes, counters, labels, home,
                        visits, groups);

namespace test_nested {

using people = upsertkit::table<Person, upsertkit::primary_key<"id">>;

}  // namespace test_nested

#endif  // UPSERTKIT_TESTS_NESTED_TABLE_HPP
