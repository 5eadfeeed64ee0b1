// The C++ side of the Avro interoperability test (run by interop.py through run.sh):
//
//   avro_interop_driver write DIR   writes DIR/<table>.avsc (our derived schema) and
//                                   DIR/cpp-<table>-<i>.avro (one schemaless datum per file)
//                                   for the sample rows of avro_tables.hpp
//   avro_interop_driver read DIR    decodes DIR/py-<table>-<i>.avro (written by fastavro) and
//                                   checks each equals sample row i
//
// Exit status 0 when everything matched; mismatches are printed to stderr.
#include <upsertkit/formats/avro.hpp>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <string_view>

#include "avro_tables.hpp"

namespace {

namespace avro = upsertkit::avro;

bool write_file(const std::string& path, std::string_view data) {
  std::ofstream out(path, std::ios::binary);
  out.write(data.data(), static_cast<std::streamsize>(data.size()));
  if (!out) std::fprintf(stderr, "avro_interop_driver: cannot write %s\n", path.c_str());
  return static_cast<bool>(out);
}

bool read_file(const std::string& path, std::string& data) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "avro_interop_driver: cannot read %s\n", path.c_str());
    return false;
  }
  data.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return true;
}

template <class Table>
avro::codec<Table> codec_for(bool key) {
  auto projections = upsertkit::table_projections<Table>();
  return avro::codec<Table>(key ? projections.key : projections.value);
}

template <class Table, class Rows>
bool write_table(const std::string& dir, const std::string& name, const Rows& rows, bool key) {
  const auto codec = codec_for<Table>(key);
  bool ok = write_file(dir + "/" + name + ".avsc", codec.schema_json());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    std::string out;
    codec.encode(rows[i], out);
    ok = write_file(dir + "/cpp-" + name + "-" + std::to_string(i) + ".avro", out) && ok;
  }
  return ok;
}

template <class Table, class Rows>
int read_table(const std::string& dir, const std::string& name, const Rows& rows, bool key) {
  auto codec = codec_for<Table>(key);
  int failures = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const std::string path = dir + "/py-" + name + "-" + std::to_string(i) + ".avro";
    std::string data;
    if (!read_file(path, data)) {
      ++failures;
      continue;
    }
    typename Table::row_type row{};
    const upsertkit::decode_status status = codec.decode(data, row);
    if (!status.ok()) {
      std::fprintf(stderr, "avro_interop_driver: %s: %s\n", path.c_str(),
                   status.describe().c_str());
      ++failures;
      continue;
    }
    typename Table::row_type expected = rows[i];
    if (key) {  // a key message holds the key columns only
      typename Table::row_type only_key{};
      for (std::size_t column : Table::key_columns)
        upsertkit::visit_column<Table>(column, [&](auto index) {
          Table::fields::template get<decltype(index)::value>(only_key) =
              Table::fields::template get<decltype(index)::value>(expected);
        });
      expected = only_key;
    }
    if (!(row == expected)) {
      std::fprintf(stderr, "avro_interop_driver: %s: decoded row differs from sample row %zu\n",
                   path.c_str(), i);
      ++failures;
      continue;
    }
    std::printf("read %s: ok\n", path.c_str());
  }
  return failures;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: avro_interop_driver write|read DIR\n");
    return 2;
  }
  const std::string_view mode = argv[1];
  const std::string dir = argv[2];
  const std::array<avro_tables::Payment, 1> payment_rows = {{{"202303251202020001", 60.0, "PAID"}}};
  if (mode == "write") {
    bool ok =
        write_table<avro_tables::all_types>(dir, "all_types", avro_tables::all_types_rows, false);
    ok =
        write_table<avro_tables::nullables>(dir, "nullables", avro_tables::nullables_rows, false) &&
        ok;
    ok = write_table<avro_tables::payments>(dir, "payments", payment_rows, false) && ok;
    ok = write_table<avro_tables::payments>(dir, "payments_key", payment_rows, true) && ok;
    return ok ? 0 : 1;
  }
  if (mode == "read") {
    int failures =
        read_table<avro_tables::all_types>(dir, "all_types", avro_tables::all_types_rows, false);
    failures +=
        read_table<avro_tables::nullables>(dir, "nullables", avro_tables::nullables_rows, false);
    failures += read_table<avro_tables::payments>(dir, "payments", payment_rows, false);
    failures += read_table<avro_tables::payments>(dir, "payments_key", payment_rows, true);
    return failures == 0 ? 0 : 1;
  }
  std::fprintf(stderr, "usage: avro_interop_driver write|read DIR\n");
  return 2;
}
