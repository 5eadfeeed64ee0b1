// A table wider than BOOST_HANA_ADAPT_STRUCT allows (39 members): 70 columns listed with
// upsertkit::columns, decoded, materialized and printed like any other (and more than 64 columns,
// so no per-row bit set of the row codec may assume a machine word).
//
// Typed tests over the state stores (store_fixtures.hpp): WideTable.*<store_fixtures::memory>
// and, configured with UPSERTKIT_ROCKSDB=ON, WideTable.*<store_fixtures::rocksdb> (GoogleTest's
// WideTable/0.* and /1.*), the RocksDB variants reaching durability points between records so
// that the wide rows are also read back from the database.
#include <gtest/gtest.h>
#include <upsertkit/pipeline.hpp>
#include <upsertkit/print.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store_fixtures.hpp"

namespace wide_table_test {
struct Wide {
  std::int64_t id;
  std::optional<std::int64_t> c1;
  std::optional<std::int64_t> c2;
  std::optional<std::int64_t> c3;
  std::optional<std::int64_t> c4;
  std::optional<std::int64_t> c5;
  std::optional<std::int64_t> c6;
  std::optional<std::int64_t> c7;
  std::optional<std::int64_t> c8;
  std::optional<std::int64_t> c9;
  std::optional<std::int64_t> c10;
  std::optional<std::int64_t> c11;
  std::optional<std::int64_t> c12;
  std::optional<std::int64_t> c13;
  std::optional<std::int64_t> c14;
  std::optional<std::int64_t> c15;
  std::optional<std::int64_t> c16;
  std::optional<std::int64_t> c17;
  std::optional<std::int64_t> c18;
  std::optional<std::int64_t> c19;
  std::optional<std::int64_t> c20;
  std::optional<std::int64_t> c21;
  std::optional<std::int64_t> c22;
  std::optional<std::int64_t> c23;
  std::optional<std::int64_t> c24;
  std::optional<std::int64_t> c25;
  std::optional<std::int64_t> c26;
  std::optional<std::int64_t> c27;
  std::optional<std::int64_t> c28;
  std::optional<std::int64_t> c29;
  std::optional<std::int64_t> c30;
  std::optional<std::int64_t> c31;
  std::optional<std::int64_t> c32;
  std::optional<std::int64_t> c33;
  std::optional<std::int64_t> c34;
  std::optional<std::int64_t> c35;
  std::optional<std::int64_t> c36;
  std::optional<std::int64_t> c37;
  std::optional<std::int64_t> c38;
  std::optional<std::int64_t> c39;
  std::optional<std::int64_t> c40;
  std::optional<std::int64_t> c41;
  std::optional<std::int64_t> c42;
  std::optional<std::int64_t> c43;
  std::optional<std::int64_t> c44;
  std::optional<std::int64_t> c45;
  std::optional<std::int64_t> c46;
  std::optional<std::int64_t> c47;
  std::optional<std::int64_t> c48;
  std::optional<std::int64_t> c49;
  std::optional<std::int64_t> c50;
  std::optional<std::int64_t> c51;
  std::optional<std::int64_t> c52;
  std::optional<std::int64_t> c53;
  std::optional<std::int64_t> c54;
  std::optional<std::int64_t> c55;
  std::optional<std::int64_t> c56;
  std::optional<std::int64_t> c57;
  std::optional<std::int64_t> c58;
  std::optional<std::int64_t> c59;
  std::optional<std::int64_t> c60;
  std::optional<std::int64_t> c61;
  std::optional<std::int64_t> c62;
  std::optional<std::int64_t> c63;
  std::optional<std::int64_t> c64;
  std::optional<std::int64_t> c65;
  std::optional<std::int64_t> c66;
  std::optional<std::int64_t> c67;
  std::optional<std::int64_t> c68;
  std::optional<std::string_view> note;
};
}  // namespace wide_table_test

template <>
struct boost::hana::accessors_impl<wide_table_test::Wide>
    : upsertkit::columns<upsertkit::column<"id", &wide_table_test::Wide::id>,
                         upsertkit::column<"c1", &wide_table_test::Wide::c1>,
                         upsertkit::column<"c2", &wide_table_test::Wide::c2>,
                         upsertkit::column<"c3", &wide_table_test::Wide::c3>,
                         upsertkit::column<"c4", &wide_table_test::Wide::c4>,
                         upsertkit::column<"c5", &wide_table_test::Wide::c5>,
                         upsertkit::column<"c6", &wide_table_test::Wide::c6>,
                         upsertkit::column<"c7", &wide_table_test::Wide::c7>,
                         upsertkit::column<"c8", &wide_table_test::Wide::c8>,
                         upsertkit::column<"c9", &wide_table_test::Wide::c9>,
                         upsertkit::column<"c10", &wide_table_test::Wide::c10>,
                         upsertkit::column<"c11", &wide_table_test::Wide::c11>,
                         upsertkit::column<"c12", &wide_table_test::Wide::c12>,
                         upsertkit::column<"c13", &wide_table_test::Wide::c13>,
                         upsertkit::column<"c14", &wide_table_test::Wide::c14>,
                         upsertkit::column<"c15", &wide_table_test::Wide::c15>,
                         upsertkit::column<"c16", &wide_table_test::Wide::c16>,
                         upsertkit::column<"c17", &wide_table_test::Wide::c17>,
                         upsertkit::column<"c18", &wide_table_test::Wide::c18>,
                         upsertkit::column<"c19", &wide_table_test::Wide::c19>,
                         upsertkit::column<"c20", &wide_table_test::Wide::c20>,
                         upsertkit::column<"c21", &wide_table_test::Wide::c21>,
                         upsertkit::column<"c22", &wide_table_test::Wide::c22>,
                         upsertkit::column<"c23", &wide_table_test::Wide::c23>,
                         upsertkit::column<"c24", &wide_table_test::Wide::c24>,
                         upsertkit::column<"c25", &wide_table_test::Wide::c25>,
                         upsertkit::column<"c26", &wide_table_test::Wide::c26>,
                         upsertkit::column<"c27", &wide_table_test::Wide::c27>,
                         upsertkit::column<"c28", &wide_table_test::Wide::c28>,
                         upsertkit::column<"c29", &wide_table_test::Wide::c29>,
                         upsertkit::column<"c30", &wide_table_test::Wide::c30>,
                         upsertkit::column<"c31", &wide_table_test::Wide::c31>,
                         upsertkit::column<"c32", &wide_table_test::Wide::c32>,
                         upsertkit::column<"c33", &wide_table_test::Wide::c33>,
                         upsertkit::column<"c34", &wide_table_test::Wide::c34>,
                         upsertkit::column<"c35", &wide_table_test::Wide::c35>,
                         upsertkit::column<"c36", &wide_table_test::Wide::c36>,
                         upsertkit::column<"c37", &wide_table_test::Wide::c37>,
                         upsertkit::column<"c38", &wide_table_test::Wide::c38>,
                         upsertkit::column<"c39", &wide_table_test::Wide::c39>,
                         upsertkit::column<"c40", &wide_table_test::Wide::c40>,
                         upsertkit::column<"c41", &wide_table_test::Wide::c41>,
                         upsertkit::column<"c42", &wide_table_test::Wide::c42>,
                         upsertkit::column<"c43", &wide_table_test::Wide::c43>,
                         upsertkit::column<"c44", &wide_table_test::Wide::c44>,
                         upsertkit::column<"c45", &wide_table_test::Wide::c45>,
                         upsertkit::column<"c46", &wide_table_test::Wide::c46>,
                         upsertkit::column<"c47", &wide_table_test::Wide::c47>,
                         upsertkit::column<"c48", &wide_table_test::Wide::c48>,
                         upsertkit::column<"c49", &wide_table_test::Wide::c49>,
                         upsertkit::column<"c50", &wide_table_test::Wide::c50>,
                         upsertkit::column<"c51", &wide_table_test::Wide::c51>,
                         upsertkit::column<"c52", &wide_table_test::Wide::c52>,
                         upsertkit::column<"c53", &wide_table_test::Wide::c53>,
                         upsertkit::column<"c54", &wide_table_test::Wide::c54>,
                         upsertkit::column<"c55", &wide_table_test::Wide::c55>,
                         upsertkit::column<"c56", &wide_table_test::Wide::c56>,
                         upsertkit::column<"c57", &wide_table_test::Wide::c57>,
                         upsertkit::column<"c58", &wide_table_test::Wide::c58>,
                         upsertkit::column<"c59", &wide_table_test::Wide::c59>,
                         upsertkit::column<"c60", &wide_table_test::Wide::c60>,
                         upsertkit::column<"c61", &wide_table_test::Wide::c61>,
                         upsertkit::column<"c62", &wide_table_test::Wide::c62>,
                         upsertkit::column<"c63", &wide_table_test::Wide::c63>,
                         upsertkit::column<"c64", &wide_table_test::Wide::c64>,
                         upsertkit::column<"c65", &wide_table_test::Wide::c65>,
                         upsertkit::column<"c66", &wide_table_test::Wide::c66>,
                         upsertkit::column<"c67", &wide_table_test::Wide::c67>,
                         upsertkit::column<"c68", &wide_table_test::Wide::c68>,
                         upsertkit::column<"note", &wide_table_test::Wide::note>> {};

namespace wide_table_test {
namespace {

using wide = upsertkit::table<Wide, upsertkit::primary_key<"id">>;
static_assert(wide::column_count == 70);
static_assert(wide::column_names[0] == "id" && wide::column_names[68] == "c68");
static_assert(wide::column_names[69] == "note");
static_assert(wide::column_types[68] == upsertkit::sql_type::bigint && wide::column_nullable[68]);

struct collector {
  std::vector<std::string>* lines;
  void operator()(const upsertkit::change<Wide>& c) {
    std::string line;
    upsertkit::append_printed_row<wide>(line, c.kind, c.row, upsertkit::print_style::legacy);
    lines->push_back(std::move(line));
  }
};

// A test on one store (store_fixtures.hpp).
template <class Stores>
class WideTable : public ::testing::Test {
 protected:
  using wide_pipeline = upsertkit::upsert_pipeline<wide, collector, typename Stores::store>;
  Stores stores;
};
TYPED_TEST_SUITE(WideTable, store_fixtures::all);

// A JSON value with every column: c<i> = i * factor, and the note.
std::string value_json(std::int64_t id, std::int64_t factor, std::string_view note) {
  std::string json = "{\"id\":" + std::to_string(id);
  for (int i = 1; i <= 68; ++i)
    json += ",\"c" + std::to_string(i) + "\":" + std::to_string(i * factor);
  return json + ",\"note\":\"" + std::string(note) + "\"}";
}

// The printed row: id, c1..c68, note.
std::string printed(std::string_view kind, std::int64_t id, std::int64_t factor,
                    std::string_view note) {
  std::string row = std::string(kind) + "(" + std::to_string(id);
  for (int i = 1; i <= 68; ++i)
    row += "," + std::to_string(i * factor);
  return row + "," + std::string(note) + ")";
}

TYPED_TEST(WideTable, SeventyColumnsDecodeMaterializeAndPrint) {
  std::vector<std::string> out;
  typename TestFixture::wide_pipeline pipeline(upsertkit::format_config{}, {&out});
  this->stores.attach(pipeline.state());
  const std::string first = value_json(7, 1, "first");
  const std::string second = value_json(7, 3, "second");
  pipeline.apply("7", first);
  this->stores.durability_point(pipeline.state());
  pipeline.apply("7", first);  // the same row again: no change
  this->stores.durability_point(pipeline.state());
  pipeline.apply("7", second);
  this->stores.durability_point(pipeline.state());
  pipeline.apply("7", std::nullopt);
  ASSERT_EQ(out.size(), 4u);
  EXPECT_EQ(out[0], printed("+I", 7, 1, "first"));
  EXPECT_EQ(out[1], printed("-U", 7, 1, "first"));
  EXPECT_EQ(out[2], printed("+U", 7, 3, "second"));
  EXPECT_EQ(out[3], printed("-D", 7, 3, "second"));
}

TYPED_TEST(WideTable, AChangeInTheLastColumnIsAnUpdateAndAMissingColumnIsNull) {
  std::vector<std::string> out;
  typename TestFixture::wide_pipeline pipeline(upsertkit::format_config{}, {&out});
  this->stores.attach(pipeline.state());
  pipeline.apply("1", value_json(1, 2, "a"));
  this->stores.durability_point(pipeline.state());
  pipeline.apply("1", value_json(1, 2, "b"));
  this->stores.durability_point(pipeline.state());
  pipeline.apply("1", R"({"id":1,"c68":5})");
  ASSERT_EQ(out.size(), 5u);
  EXPECT_EQ(out[2], printed("+U", 1, 2, "b"));
  std::string only_last = "+U(1";
  for (int i = 1; i < 68; ++i)
    only_last += ",null";
  EXPECT_EQ(out[4], only_last + ",5,null)");
}

}  // namespace
}  // namespace wide_table_test
