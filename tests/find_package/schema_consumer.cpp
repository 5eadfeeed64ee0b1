// A program built on a header that upsertkit_generate_schema() generated in the consumer's build
// (schema_consumer.cmake): the generated table must match the statement it came from, its WITH
// clause must configure a pipeline, and the seed's Example 1 records must give the seed's
// changelog. scripts/packaging-tests.sh compares the output with schema_expected.txt.
#include <upsertkit/ddl.hpp>
#include <upsertkit/options.hpp>
#include <upsertkit/pipeline.hpp>
#include <upsertkit/print.hpp>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "seed_schema.hpp"

int main() {
  std::ifstream in(SCHEMA_SQL, std::ios::binary);
  const std::string sql{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  const std::vector<upsertkit::ddl::table_definition> tables = upsertkit::ddl::parse_script(sql);
  if (tables.empty()) return 1;
  const std::vector<std::string> problems =
      upsertkit::ddl::mismatches<seed::upsertKafkaSource_table>(tables.front());
  std::printf("%s: %zu columns, %zu mismatches\n", tables.front().name.c_str(),
              seed::upsertKafkaSource_table::column_count, problems.size());
  for (const std::string& problem : problems)
    std::printf("  %s\n", problem.c_str());

  const upsertkit::upsert_kafka_options options =
      upsertkit::parse_upsert_kafka_options(seed::upsertKafkaSource_options);
  std::printf("topic %s, key.format %s, value.format %s\n", options.topic.c_str(),
              options.formats.key_format.c_str(), options.formats.value_format.c_str());

  using table = seed::upsertKafkaSource_table;
  const auto print = [](const upsertkit::change<seed::Order>& c) {
    std::string line;
    upsertkit::append_printed_row<table>(line, c.kind, c.row, upsertkit::print_style::legacy);
    std::printf("%s\n", line.c_str());
  };
  upsertkit::upsert_pipeline<table, decltype(print)> pipeline(options.formats, print);
  pipeline.apply("202303251202020001",
                 R"({"order_id":"202303251202020001","order_channel":"miniAppShop",)"
                 R"("order_time":"2023-03-25 12:02:02","pay_amount":"60.00","real_pay":"60.00",)"
                 R"("pay_time":"2023-03-25 12:03:00","user_id":"0002","user_name":"Bob",)"
                 R"("area_id":"330110"})");
  pipeline.apply("202303251505050001",
                 R"({"order_id":"202303251505050001","order_channel":"appshop",)"
                 R"("order_time":"2023-03-25 15:05:05","pay_amount":"500.00",)"
                 R"("real_pay":"400.00","pay_time":"2023-03-25 15:10:00","user_id":"0003",)"
                 R"("user_name":"Cindy","area_id":"330108"})");
  pipeline.apply("202303251202020001",
                 R"({"order_id":"202303251202020001","order_channel":"miniAppShop",)"
                 R"("order_time":"2023-03-25 12:02:02","pay_amount":"60.00","real_pay":"60.00",)"
                 R"("pay_time":"2023-03-25 12:03:00","user_id":"0002","user_name":"Bob",)"
                 R"("area_id":"330111"})");
  return problems.empty() ? 0 : 1;
}
