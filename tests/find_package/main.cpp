// A program outside this repository's build: it only sees upsertkit as a package (CMake
// find_package, pkg-config, add_subdirectory, FetchContent, conan or the vcpkg port's staged
// tree). It touches every dependency: Boost.Hana (the adapted struct), simdjson (json decode),
// librdkafka (an error name from the library) and the header-only partitioner, and prints one
// line per check for scripts/packaging-tests.sh to compare with expected.txt.
#include <upsertkit/upsertkit.hpp>

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

namespace consumer {

struct Payment {
  std::string_view payment_id;  // PRIMARY KEY
  std::optional<std::string> payer;
  std::optional<std::int64_t> cents;
};

}  // namespace consumer

BOOST_HANA_ADAPT_STRUCT(consumer::Payment, payment_id, payer, cents);

namespace consumer {

using payments = upsertkit::table<Payment, upsertkit::primary_key<"payment_id">>;

int run() {
  std::printf("version %d.%d.%d\n", UPSERTKIT_VERSION_MAJOR, UPSERTKIT_VERSION_MINOR,
              UPSERTKIT_VERSION_PATCH);

  auto projections = upsertkit::table_projections<payments>();
  upsertkit::json::codec<payments> value(projections.value, upsertkit::json::parse_options({}),
                                         upsertkit::json::role::value);
  Payment row{};
  const std::string_view in = R"({"cents":1250,"payment_id":"p-7","payer":"Ann"})";
  if (auto status = value.decode(in, row); !status) {
    std::printf("decode failed: %s\n", status.describe().c_str());
    return 1;
  }
  std::string out;
  value.encode(row, out);
  std::printf("json %s\n", out.c_str());

  std::printf("murmur2(kafka) %08x\n", static_cast<unsigned>(upsertkit::murmur2("kafka")));
  std::printf("partition(p-7, 6) %d\n", static_cast<int>(upsertkit::partition_for_key("p-7", 6)));

  const upsertkit::kafka::kafka_error error(RD_KAFKA_RESP_ERR__TIMED_OUT, "poll");
  std::printf("rdkafka %.*s\n", static_cast<int>(error.code_name().size()),
              error.code_name().data());
  return 0;
}

}  // namespace consumer

int main() {
  return consumer::run();
}
