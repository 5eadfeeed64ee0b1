// What the generated-schema tests share (generated_*_test.cpp; tests/ddl_codegen/CMakeLists.txt
// says how the headers are generated). Three files, not one: the tables instantiate ddl::check,
// the formats and pipelines for dozens of columns each, and one file of them all was the longest
// single compilation of the test suite (~200 s under ASan), the last one left in the build.
#pragma once

#include <gtest/gtest.h>
#include <upsertkit/ddl.hpp>
#include <upsertkit/options.hpp>

#include <cstdint>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace generated_test {

namespace ddl = upsertkit::ddl;

inline std::vector<ddl::table_definition> parse(const std::string& relative_path) {
  const std::string path = UPSERTKIT_SOURCE_DIR "/" + relative_path;
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << path;
  return ddl::parse_script(
      std::string{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()});
}

// The generated table agrees with its statement, and its option_map is the WITH clause.
template <class Table>
void expect_generated_from(const ddl::table_definition& definition,
                           const upsertkit::option_map& options) {
  EXPECT_EQ(ddl::mismatches<Table>(definition), std::vector<std::string>{}) << definition.name;
  EXPECT_EQ(options, definition.options) << definition.name;
  EXPECT_NO_THROW(ddl::check<Table>(definition));
}

template <class T, class U>
constexpr bool same = std::is_same_v<T, U>;
template <class T>
using opt = std::optional<T>;

}  // namespace generated_test
