// upsertkit-flink-conformance: upsertkit's side of the Flink SQL conformance stage
// (scripts/flink-conformance.sh, docs/flink-conformance.md).
//
//   upsertkit-flink-conformance --sql FILE --out DIR [--timeout SECONDS] [--record-by-record 1]
//
// For each upsert-kafka table `src_<case>` of the SQL script (the one Flink runs): reads its
// topic with upsertkit::upsert_source and the table's own WITH options, prints the changelog in
// Flink's style (`src_<case>> +I[...]`, the print connector's identifier and row format) to
// DIR/src_<case>.txt and the offset of the record behind each row to DIR/src_<case>.offsets,
// and writes every change with upsertkit::upsert_sink into the topic of `out_<case>`, with that
// table's WITH options (Flink reads it back). The struct of every_type_table.hpp whose columns
// are the case's is used; both tables are checked against it first. Exit status 0, or 1 with
// the reason on stderr. Then, when the script has a table `pipe_upsertkit_<case>`, it copies the
// source topic into that table's topic as a pipe does (an upsert source whose handler is an
// upsert sink of the source's formats: what Flink runs for `INSERT INTO pipe_<case> SELECT *
// FROM src_<case>`); the runner compares that topic with Flink's (PipeCompare.java).
// --record-by-record 1 applies the records one at a time (poll() until the bound) instead of in
// the batches of run_to_bound(): a diagnosis, to tell a difference that comes from a batch window
// (records decoded ahead of the materializer) from one that does not.
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

// The case's source topic copied by a pipe into the topic of `pipe_table`.
template <class Table>
void copy_as_a_pipe(const upsertkit::upsert_kafka_options& source_options,
                    const upsertkit::ddl::table_definition& pipe_table,
                    std::chrono::seconds timeout) {
  upsertkit::ddl::check<Table>(pipe_table);
  const upsertkit::upsert_kafka_options to =
      upsertkit::parse_upsert_kafka_options(pipe_table.options);
  upsertkit::upsert_sink<Table> sink(to.to_sink_options());
  upsertkit::upsert_source<Table, upsertkit::upsert_sink<Table>&> source(
      source_options.to_source_options(), sink);
  if (source_options.bounded != upsertkit::bounded_mode::unbounded)
    source.run_to_bound(timeout);
  else
    source.read_to_end(timeout);
  source.close();
  sink.close(timeout);
  const upsertkit::source_counters c = source.counters();
  std::fprintf(stderr,
               "upsertkit: %s: a pipe: %llu records; +I %llu, +U %llu, -D %llu; %llu records "
               "written to %s\n",
               pipe_table.name.c_str(), static_cast<unsigned long long>(c.records),
               static_cast<unsigned long long>(c.inserts),
               static_cast<unsigned long long>(c.update_afters),
               static_cast<unsigned long long>(c.deletes),
               static_cast<unsigned long long>(sink.records_sent()), to.topic.c_str());
}

// Reads the case's source topic, prints its changelog and writes it to the sink topic (the
// comment at the top). record_by_record: poll() one record at a time until the bound, instead of
// run_to_bound()'s batches.
template <class Table>
void run_case(const upsertkit::ddl::table_definition& source_table,
              const upsertkit::ddl::table_definition& sink_table,
              const upsertkit::ddl::table_definition* pipe_table, const std::filesystem::path& out,
              std::chrono::seconds timeout, bool record_by_record) {
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
  if (source_options.bounded != upsertkit::bounded_mode::unbounded && record_by_record) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!source.finished()) {
      if (std::chrono::steady_clock::now() > deadline)
        throw upsertkit::error("the bounded scan did not end in time");
      source.poll(std::chrono::milliseconds(100));
    }
  } else if (source_options.bounded != upsertkit::bounded_mode::unbounded)
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
  if (pipe_table != nullptr) copy_as_a_pipe<Table>(source_options, *pipe_table, timeout);
}

// Whether the table's struct has exactly the DDL's physical columns, in order, and its PRIMARY
// KEY.
template <class Table>
bool matches(const upsertkit::ddl::table_definition& table) {
  const std::vector<const upsertkit::ddl::column*> columns = table.physical_columns();
  if (columns.size() != Table::column_names.size()) return false;
  for (std::size_t i = 0; i < columns.size(); ++i)
    if (columns[i]->name != Table::column_names[i]) return false;
  if (table.primary_key.size() != Table::key_count) return false;
  for (std::size_t i = 0; i < Table::key_count; ++i)
    if (table.primary_key[i] != Table::column_names[Table::key_columns[i]]) return false;
  return true;
}

// Runs the case with the first of the tables that matches its source table; false if none does.
template <class... Tables>
bool run_matching(const upsertkit::ddl::table_definition& source_table,
                  const upsertkit::ddl::table_definition& sink_table,
                  const upsertkit::ddl::table_definition* pipe_table,
                  const std::filesystem::path& out, std::chrono::seconds timeout,
                  bool record_by_record) {
  return ((matches<Tables>(source_table) ? (run_case<Tables>(source_table, sink_table, pipe_table,
                                                             out, timeout, record_by_record),
                                            true)
                                         : false) ||
          ...);
}

[[noreturn]] void usage(const std::string& problem) {
  std::fprintf(stderr,
               "upsertkit-flink-conformance: %s\n"
               "usage: upsertkit-flink-conformance --sql FILE --out DIR [--timeout SECONDS] "
               "[--record-by-record 1]\n",
               problem.c_str());
  std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
  std::string sql_path, out_dir;
  std::chrono::seconds timeout{120};
  bool record_by_record = false;
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
    else if (flag == "--record-by-record")
      record_by_record = std::string_view(value) == "1";
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
        const auto pipe = tables.find("pipe_upsertkit_" + name.substr(4));
        // The table whose struct has exactly the case's columns (the ones both its value
        // formats carry) and whose PRIMARY KEY is the case's.
        if (!run_matching<flink_conformance::key_id<flink_conformance::every_type_csv_row>,
                          flink_conformance::key_seq_id<flink_conformance::every_type_csv_row>,
                          flink_conformance::key_id<flink_conformance::every_type_avro_row>,
                          flink_conformance::key_seq_id<flink_conformance::every_type_avro_row>,
                          flink_conformance::wide_key_seq_id>(
                source, sink->second, pipe == tables.end() ? nullptr : &pipe->second, out_dir,
                timeout, record_by_record))
          throw upsertkit::error(
              "no struct of every_type_table.hpp has exactly the columns of " + name +
              " with its PRIMARY KEY: a column's letter (X, A, C, J) must name the formats "
              "that carry it, as the list at the top of the SQL script says");
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
