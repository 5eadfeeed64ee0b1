// Built twice, for two targets (-march=x86-64 and -march=haswell: see tests/CMakeLists.txt), as
// two objects of one program: each decodes records through the same table, handler and
// pipeline types. check_symbols.cmake then checks that no kernel-dependent entity is defined
// under one name in both; main.cpp runs both.
#include <upsertkit/pipeline.hpp>

#include <string>
#include <string_view>

#include "simd_abi_table.hpp"

namespace simd_abi {

std::string DECODE_FUNCTION() {
  std::string out;
  collector handler{&out};
  upsertkit::upsert_pipeline<orders, collector> pipeline(upsertkit::format_config{}, handler);
  pipeline.apply("1", R"({"order_id":"1","note":"a string long enough for the vector scan: )"
                      R"(abcdefghijklmnopqrstuvwxyz","amount":1.5})");
  pipeline.apply("1", R"({"order_id":"1","note":"escaped \"quote\"","amount":2})");
  pipeline.apply("1", std::nullopt);
  return out;
}

}  // namespace simd_abi
