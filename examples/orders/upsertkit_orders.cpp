// upsertkit-orders: the seed's orders table, from Kafka records to Flink's printed changelog.
//
//   upsertkit-orders [--replay FILE|- | --brokers HOST:PORT --topic T [--group ID] [--follow]]
//                    [--key-format csv|json] [--value-format csv|json]
//                    [--value-fields-include ALL|EXCEPT_KEY] [--print-style legacy|modern]
//                    [--ignore-parse-errors]
//
// --replay: one Kafka record per line, KEY<TAB>VALUE, where the literal NULL is a null key or
// value (what `kcat -C -K'\t' -Z` prints) and an empty field is empty bytes.
// --brokers/--topic: reads the topic from the beginning to its current end; with --follow it
// keeps reading until interrupted (Ctrl-C), showing progress on stderr when that is a
// terminal; with --group it is a member of that consumer group (commits, resumes).
// Neither: starts the embedded Kafka cluster, writes the seed's three records into a topic and
// reads them back through the upsert source: the seed's Example 1, end to end.
#include <upsertkit/upsertkit.hpp>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <unistd.h>

#include "orders_table.hpp"
#include "seed_example.hpp"

namespace {

struct arguments {
  std::optional<std::string> replay;
  std::optional<std::string> brokers;
  std::string topic = "KafkaTopic";
  std::optional<std::string> group;
  bool follow = false;
  upsertkit::format_config formats;
  upsertkit::print_options print;
  bool ignore_parse_errors = false;
};

[[noreturn]] void usage(const char* problem) {
  std::fprintf(stderr,
               "upsertkit-orders: %s\n"
               "usage: upsertkit-orders [--replay FILE|- |\n"
               "                         --brokers HOST:PORT --topic T [--group ID] [--follow]]\n"
               "                        [--key-format csv|json]\n"
               "                        [--value-format csv|json]\n"
               "                        [--value-fields-include ALL|EXCEPT_KEY]\n"
               "                        [--print-style legacy|modern] [--ignore-parse-errors]\n",
               problem);
  std::exit(2);
}

arguments parse_arguments(int argc, char** argv) {
  arguments args;
  for (int i = 1; i < argc; ++i) {
    std::string_view flag = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) usage(("missing value after " + std::string(flag)).c_str());
      return argv[++i];
    };
    if (flag == "--replay")
      args.replay = next();
    else if (flag == "--brokers")
      args.brokers = next();
    else if (flag == "--topic")
      args.topic = next();
    else if (flag == "--group")
      args.group = next();
    else if (flag == "--follow")
      args.follow = true;
    else if (flag == "--key-format")
      args.formats.key_format = next();
    else if (flag == "--value-format")
      args.formats.value_format = next();
    else if (flag == "--value-fields-include")
      args.formats.layout.include = upsertkit::parse_fields_include(next());
    else if (flag == "--print-style")
      args.print.style = upsertkit::parse_print_style(next());
    else if (flag == "--ignore-parse-errors")
      args.ignore_parse_errors = true;
    else if (flag == "--help" || flag == "-h")
      usage("replays Kafka records and prints the changelog");
    else
      usage(("unknown argument " + std::string(flag)).c_str());
  }
  if (args.replay && args.brokers) usage("--replay and --brokers exclude each other");
  if (args.ignore_parse_errors) {
    args.formats.key_options["ignore-parse-errors"] = "true";
    args.formats.value_options["ignore-parse-errors"] = "true";
  }
  return args;
}

std::optional<std::string_view> field_or_null(std::string_view text) {
  if (text == "NULL") return std::nullopt;
  return text;
}

int replay(std::istream& in, std::string_view source_name, const arguments& args) {
  upsertkit::print_sink<orders::table> printer(args.print);
  upsertkit::upsert_pipeline<orders::table, upsertkit::print_sink<orders::table>&> pipeline(
      args.formats, printer);
  std::string line;
  std::int64_t line_number = 0;
  while (std::getline(in, line)) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const std::size_t tab = line.find('\t');
    if (tab == std::string::npos) {
      std::fprintf(stderr, "upsertkit-orders: %.*s line %lld: no TAB between key and value\n",
                   static_cast<int>(source_name.size()), source_name.data(),
                   static_cast<long long>(line_number));
      if (args.ignore_parse_errors) continue;
      return 1;
    }
    std::string_view text = line;
    upsertkit::record_view record;
    record.key = field_or_null(text.substr(0, tab));
    record.value = field_or_null(text.substr(tab + 1));
    record.where = {source_name, 0, line_number - 1};
    try {
      pipeline.apply(record);
    } catch (const upsertkit::record_error& e) {
      std::fflush(stdout);
      std::fprintf(stderr, "upsertkit-orders: line %lld: %s\n", static_cast<long long>(line_number),
                   e.what());
      return 1;
    }
  }
  std::fflush(stdout);
  if (pipeline.stats().skipped > 0)
    std::fprintf(stderr, "upsertkit-orders: skipped %llu record(s) that could not be decoded\n",
                 static_cast<unsigned long long>(pipeline.stats().skipped));
  return 0;
}

std::atomic<bool> interrupted{false};

extern "C" void on_signal(int) {
  interrupted = true;
}

using source_type = upsertkit::upsert_source<orders::table, upsertkit::print_sink<orders::table>&>;

// One line, rewritten in place: records/s and the lag of each assigned partition.
void show_progress(const source_type& source, std::uint64_t records_before, double seconds) {
  const upsertkit::source_counters c = source.counters();
  std::string line = "\r" + std::to_string(c.records) + " records, " +
                     std::to_string(static_cast<long long>(
                         static_cast<double>(c.records - records_before) / seconds)) +
                     " records/s, lag";
  for (const auto& p : source.progress())
    if (p.assigned)
      line += " p" + std::to_string(p.partition) + ":" + (p.lag < 0 ? "?" : std::to_string(p.lag));
  line += "   ";
  std::fputs(line.c_str(), stderr);
}

void print_summary(const source_type& source) {
  const upsertkit::source_counters c = source.counters();
  std::fprintf(
      stderr,
      "upsertkit-orders: %llu records from %d partition(s); +I %llu, -U %llu, +U %llu, "
      "-D %llu; skipped %llu, dropped %llu\n",
      static_cast<unsigned long long>(c.records), source.partition_count(),
      static_cast<unsigned long long>(c.inserts), static_cast<unsigned long long>(c.update_befores),
      static_cast<unsigned long long>(c.update_afters), static_cast<unsigned long long>(c.deletes),
      static_cast<unsigned long long>(c.skipped), static_cast<unsigned long long>(c.dropped));
}

int read_topic(const std::string& brokers, const arguments& args) {
  upsertkit::print_sink<orders::table> printer(args.print);
  upsertkit::source_options options;
  options.topic = args.topic;
  options.bootstrap_servers = brokers;
  options.formats = args.formats;
  if (args.group) options.properties["group.id"] = *args.group;
  source_type source(std::move(options), printer);
  try {
    if (!args.follow) {
      source.read_to_end(std::chrono::seconds(60));
    } else {
      std::signal(SIGINT, on_signal);
      std::signal(SIGTERM, on_signal);
      const bool terminal = isatty(fileno(stderr)) != 0;
      auto last = std::chrono::steady_clock::now();
      std::uint64_t records_at_last = 0;
      while (!interrupted) {
        source.poll(std::chrono::milliseconds(100));
        const auto now = std::chrono::steady_clock::now();
        if (terminal && now - last >= std::chrono::seconds(1)) {
          std::fflush(stdout);
          show_progress(source, records_at_last, std::chrono::duration<double>(now - last).count());
          last = now;
          records_at_last = source.counters().records;
        }
      }
      if (terminal) std::fputs("\n", stderr);
    }
    source.close();
  } catch (const upsertkit::record_error& e) {
    std::fflush(stdout);
    std::fprintf(stderr, "upsertkit-orders: %s\n", e.what());
    return 1;
  }
  std::fflush(stdout);
  print_summary(source);
  return 0;
}

int embedded_demo(const arguments& args) {
  upsertkit::kafka::embedded_cluster cluster;
  cluster.create_topic(args.topic, 1);
  std::fprintf(stderr, "upsertkit-orders: embedded Kafka cluster at %s, topic '%s'\n",
               cluster.bootstrap_servers().c_str(), args.topic.c_str());
  upsertkit::kafka::config conf;
  conf.set("bootstrap.servers", cluster.bootstrap_servers());
  upsertkit::kafka::producer producer(std::move(conf));
  for (const auto& [key, value] : orders::seed::records)
    producer.produce(args.topic, 0, key, value);
  producer.flush(std::chrono::seconds(30));
  return read_topic(cluster.bootstrap_servers(), args);
}

}  // namespace

int main(int argc, char** argv) {
  try {
    arguments args = parse_arguments(argc, argv);
    if (args.brokers) return read_topic(*args.brokers, args);
    if (!args.replay) return embedded_demo(args);
    if (*args.replay == "-") return replay(std::cin, "stdin", args);
    std::ifstream file(*args.replay);
    if (!file) {
      std::fprintf(stderr, "upsertkit-orders: cannot open %s: %s\n", args.replay->c_str(),
                   std::strerror(errno));
      return 2;
    }
    return replay(file, *args.replay, args);
  } catch (const upsertkit::error& e) {
    std::fprintf(stderr, "upsertkit-orders: %s\n", e.what());
    return 2;
  }
}
