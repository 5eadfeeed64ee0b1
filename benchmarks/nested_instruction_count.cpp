// Instruction-count harness of the nested table (nested_data.hpp), for
// `valgrind --tool=callgrind`, apart from instruction_count.cpp: in one translation unit with
// the flat orders codec, the nested codec's code changed g++'s inlining of the flat decoder
// (+28 instructions/record, none of it in a program without nested tables).
//
//   nested_instruction_count none|baseline|ours
//
// Instructions per record = (callgrind total of a mode - total of `none`) / 10,000;
// `scripts/instruction-count.sh --nested` prints both and their ratio.
#include <simdjson.h>
#include <upsertkit/formats/json.hpp>

#include <cstdio>
#include <string>
#include <vector>

#include "nested_data.hpp"

namespace {

[[gnu::noinline]] std::size_t baseline(const std::vector<simdjson::padded_string>& padded) {
  simdjson::ondemand::parser parser;
  std::size_t checksum = 0;
  for (const auto& json : padded)
    checksum += nested_bench::simdjson_read(parser, json);
  return checksum;
}

[[gnu::noinline]] std::size_t ours(const std::vector<std::string>& values) {
  using table = nested_bench::table;
  upsertkit::json::codec<table> codec(upsertkit::table_projections<table>().value);
  nested_bench::NestedOrder row{};
  std::size_t decoded = 0;
  for (const auto& json : values)
    decoded += codec.decode(json, row).ok() ? 1 : 0;
  return decoded;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "none";
  // Generation and the padded copies are the same in every mode: `none` subtracts them.
  const std::vector<std::string>& values = nested_bench::json_values();
  const std::vector<simdjson::padded_string> padded(values.begin(), values.end());
  std::size_t checksum = 0;
  if (mode == "baseline") {
    checksum = baseline(padded);
  } else if (mode == "ours") {
    checksum = ours(values);
  } else if (mode != "none") {
    std::fprintf(stderr, "usage: %s none|baseline|ours\n", argv[0]);
    return 2;
  }
  std::printf("%s: checksum %zu\n", mode.c_str(), checksum);
  return 0;
}
