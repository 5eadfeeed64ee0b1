// upsertkit-flink-conformance: upsertkit's side of the Flink SQL conformance stage
// (scripts/flink-conformance.sh, docs/flink-conformance.md).
//
//   upsertkit-flink-conformance --sql FILE --out DIR [--timeout SECONDS]
//
// For each upsert-kafka table `src_<case>` of the SQL script (the one Flink runs): reads its
// topic with upsertkit::upsert_source and the table's own WITH options, prints the changelog in
// Flink's style (`src_<case>> +I[...]`, the print connector's identifier and row format) to
// DIR/src_<case>.txt and the offset of the record behind each row to DIR/src_<case>.offsets,
// and writes every change with upsertkit::upsert_sink into the topic of `out_<case>`, with that
// table's WITH options (Flink reads it back). Both tables are checked against the struct of
// every_type_table.hpp first. Exit status 0, or 1 with the reason on stderr.
#include <upsertkit/ddl.hpp>
#include <upsertkit/upsertkit.hpp>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "every_type_table.hpp"

namespace {

struct file_closer {
  void operator()(std::FILE* file) const noexcept { std::fclose(file); }
};
using file_ptr = std::unique_ptr<std::FILE, file_closer>;

file_ptr open_for_writing(const std::filesystem::path& path) {
  file_ptr file(std::fopen(path.c_str(), "wb"));
  if (!file) throw upsertkit::error("cannot write " + path.string() + ": " + std::strerror(errno));
  return file;
}

void close_checked(file_ptr file, const std::filesystem::path& path) {
  const bool failed = std::ferror(file.get()) != 0;
  if (std::fclose(file.release()) != 0 || failed)
    throw upsertkit::error("cannot write " + path.string() + ": " + std::strerror(errno));
}

// Each change: printed, its record's offset noted, and written to the sink topic.
template <class Table>
struct print_and_write {
  upsertkit::print_sink<Table>& print;
  upsertkit::upsert_sink<Table>& sink;
  std::FILE* offsets;

  void operator()(const upsertkit::change<typename Table::row_type>& c) {
    print(c);
    sink(c);
    std::fprintf(offsets, "%lld\n",
                 static_cast<long long>(c.metadata != nullptr ? c.metadata->offset : -1));
  }
};

template <class Table>
void run_case(const upsertkit::ddl::table_definition& source_table,
              const upsertkit::ddl::table_definition& sink_table, const std::filesystem::path& out,
              std::chrono::seconds timeout) {
  upsertkit::ddl::check<Table>(source_table);
  upsertkit::ddl::check<Table>(sink_table);
  const upsertkit::upsert_kafka_options source_options =
      upsertkit::parse_upsert_kafka_options(source_table.options);
  const upsertkit::upsert_kafka_options sink_options =
      upsertkit::parse_upsert_kafka_options(sink_table.options);

  const std::filesystem::path printed_path = out / (source_table.name + ".txt");
  const std::filesystem::path offsets_path = out / (source_table.name + ".offsets");
  file_ptr printed = open_for_writing(printed_path);
  file_ptr offsets = open_for_writing(offsets_path);

  upsertkit::print_options style;
  style.style = upsertkit::print_style::modern;  // Flink >= 1.13: +I[a, b]
  style.print_identifier = source_table.name;
  upsertkit::print_sink<Table> print(style, printed.get());
  upsertkit::upsert_sink<Table> sink(sink_options.to_sink_options());
  print_and_write<Table> handler{print, sink, offsets.get()};
  upsertkit::upsert_source<Table, print_and_write<Table>&> source(
      source_options.to_source_options(), handler);
  if (source_options.bounded != upsertkit::bounded_mode::unbounded)
    source.run_to_bound(timeout);
  else
    source.read_to_end(timeout);
  source.close();
  sink.close(timeout);
  print.flush();
  close_checked(std::move(printed), printed_path);
  close_checked(std::move(offsets), offsets_path);

  const upsertkit::source_counters c = source.counters();
  std::fprintf(
      stderr,
      "upsertkit: %s: %llu records; +I %llu, -U %llu, +U %llu, -D %llu; dropped %llu, "
      "skipped %llu; written to %s\n",
      source_table.name.c_str(), static_cast<unsigned long long>(c.records),
      static_cast<unsigned long long>(c.inserts), static_cast<unsigned long long>(c.update_befores),
      static_cast<unsigned long long>(c.update_afters), static_cast<unsigned long long>(c.deletes),
      static_cast<unsigned long long>(c.dropped), static_cast<unsigned long long>(c.skipped),
      sink_options.topic.c_str());
}

[[noreturn]] void usage(const std::string& problem) {
  std::fprintf(stderr,
               "upsertkit-flink-conformance: %s\n"
               "usage: upsertkit-flink-conformance --sql FILE --out DIR [--timeout SECONDS]\n",
               problem.c_str());
  std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
  std::string sql_path, out_dir;
  std::chrono::seconds timeout{120};
  for (int i = 1; i < argc; ++i) {
    const std::string_view flag = argv[i];
    if (i + 1 >= argc) usage("missing value after " + std::string(flag));
    const char* value = argv[++i];
    if (flag == "--sql")
      sql_path = value;
    else if (flag == "--out")
      out_dir = value;
    else if (flag == "--timeout")
      timeout = std::chrono::seconds(std::atoi(value));
    else
      usage("unknown argument " + std::string(flag));
  }
  if (sql_path.empty() || out_dir.empty()) usage("--sql and --out are required");

  try {
    std::ifstream file(sql_path);
    if (!file) throw upsertkit::error("cannot open " + sql_path + ": " + std::strerror(errno));
    const std::string script{std::istreambuf_iterator<char>(file),
                             std::istreambuf_iterator<char>()};
    std::map<std::string, upsertkit::ddl::table_definition> tables;
    for (auto& table : upsertkit::ddl::parse_script(script))
      tables.emplace(table.name, std::move(table));
    int cases = 0, failed = 0;
    for (const auto& [name, source] : tables) {
      if (name.rfind("src_", 0) != 0) continue;
      ++cases;
      // A case that fails (a record upsertkit cannot decode, a broker error) is reported in
      // DIR/<table>.error (the message, then the record's offset when there is one) and the
      // other cases still run: the comparison shows each one.
      const std::filesystem::path error_path = std::filesystem::path(out_dir) / (name + ".error");
      std::filesystem::remove(error_path);
      try {
        const auto sink = tables.find("out_" + name.substr(4));
        if (sink == tables.end())
          throw upsertkit::error("no table out_" + name.substr(4) + " to write the changelog to");
        // The json-only case (named *_wide) has the columns only json carries too.
        const bool wide = name.size() > 5 && name.compare(name.size() - 5, 5, "_wide") == 0;
        const std::vector<std::string>& key = source.primary_key;
        const std::vector<std::string> seq_id{"k_seq", "k_id"};
        if (wide && key == seq_id)
          run_case<flink_conformance::wide_key_seq_id>(source, sink->second, out_dir, timeout);
        else if (!wide && key == std::vector<std::string>{"k_id"})
          run_case<flink_conformance::key_id>(source, sink->second, out_dir, timeout);
        else if (!wide && key == seq_id)
          run_case<flink_conformance::key_seq_id>(source, sink->second, out_dir, timeout);
        else
          throw upsertkit::error(
              "no compiled table has this PRIMARY KEY (every_type_table.hpp: "
              "(k_id) and (k_seq, k_id), and (k_seq, k_id) for *_wide)");
      } catch (const upsertkit::error& e) {
        ++failed;
        std::fprintf(stderr, "upsertkit-flink-conformance: %s: %s\n", name.c_str(), e.what());
        std::ofstream error(error_path);
        error << e.what() << '\n';
        if (const auto* record = dynamic_cast<const upsertkit::record_error*>(&e))
          error << record->offset() << '\n';
      }
    }
    if (cases == 0) throw upsertkit::error("no table named src_<case>");
    return failed == 0 ? 0 : 1;
  } catch (const upsertkit::error& e) {
    std::fprintf(stderr, "upsertkit-flink-conformance: %s: %s\n", sql_path.c_str(), e.what());
    return 1;
  }
}
