// upsertkit-orders: the seed's orders table, from Kafka records to Flink's printed changelog.
//
//   upsertkit-orders [--ddl FILE [--table NAME]]
//                    [--replay FILE|- | --brokers HOST:PORT --topic T [--group ID]
//                     [--group-instance-id ID] [--follow] [--timeout S]
//                     [--state-dir DIR [--dynamic-membership]]]
//                    [--key-format FORMAT] [--value-format FORMAT]
//                    [--value-fields-include ALL|EXCEPT_KEY] [--print-style legacy|modern]
//                    [--ignore-parse-errors] [--property KEY=VALUE]... [--commit-interval MS]
//
// --replay: one Kafka record per line, KEY<TAB>VALUE, where the literal NULL is a null key or
// value (what `kcat -C -K'\t' -Z` prints) and an empty field is empty bytes.
// --brokers/--topic: reads the topic from the beginning to its current end; with --follow it
// keeps reading until interrupted (Ctrl-C), showing progress on stderr when that is a
// terminal; with --group it is a member of that consumer group (commits, resumes): an offset
// is committed only once the rows of its record left stdout's buffer, and reading "to the end"
// covers the partitions other members hold (waiting up to --timeout, 300 s by default, for a
// crashed predecessor's session to run out; --group-instance-id, static membership, takes its
// partitions back at once).
// --state-dir: the table's state in RocksDB under DIR; a restart reads only what came after it.
// With --group the tool is then a static member whose id is kept in DIR
// (source_options::static_membership), unless --group-instance-id names one or
// --dynamic-membership asks for none.
// Neither: starts the embedded Kafka cluster, writes the seed's three records into a topic and
// reads them back through the upsert source: the seed's Example 1, end to end.
// --ddl: a Flink SQL file; its upsert-kafka table (or --table NAME) is checked against the
// Order struct and gives the formats, their options, value.fields-include, key.fields-prefix,
// the topic and the Kafka properties. --brokers, --topic and the format flags override it.
#include <upsertkit/ddl.hpp>
#include <upsertkit/testing/embedded_cluster.hpp>
#include <upsertkit/upsertkit.hpp>
#if UPSERTKIT_ORDERS_ROCKSDB
#include <upsertkit/stores/rocksdb_store.hpp>
#endif

#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <istream>
#include <iterator>
#include <map>
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
  std::optional<std::string> group_instance_id;
  bool dynamic_membership = false;
  bool follow = false;
  std::chrono::seconds timeout{300};
  std::chrono::milliseconds commit_interval{5000};
  std::optional<std::string>
      state_dir;  // the table's state in RocksDB there (docs/materializer.md)
  std::optional<std::string> ddl;
  std::optional<std::string> ddl_table;
  std::map<std::string, std::string> properties;  // from the DDL's properties.*
  upsertkit::format_config formats;
  upsertkit::print_options print;
  bool ignore_parse_errors = false;
};

[[noreturn]] void usage(const char* problem) {
  std::fprintf(stderr,
               "upsertkit-orders: %s\n"
               "usage: upsertkit-orders [--ddl FILE [--table NAME]]\n"
               "                        [--replay FILE|- |\n"
               "                         --brokers HOST:PORT --topic T [--group ID]\n"
               "                         [--group-instance-id ID] [--follow] [--timeout S]\n"
               "                         [--state-dir DIR [--dynamic-membership]]]\n"
               "                        [--key-format csv|json|avro|raw]\n"
               "                        [--value-format csv|json|avro|raw]\n"
               "                        [--value-fields-include ALL|EXCEPT_KEY]\n"
               "                        [--print-style legacy|modern] [--ignore-parse-errors]\n"
               "                        [--property KEY=VALUE]... [--commit-interval MS]\n",
               problem);
  std::exit(2);
}

// The upsert-kafka table of a DDL file, checked against Order: its options become the formats,
// topic and properties (a config_error says what does not match).
void apply_ddl(arguments& args, bool topic_given) {
  std::ifstream file(*args.ddl);
  if (!file)
    throw upsertkit::config_error("cannot open " + *args.ddl + ": " + std::strerror(errno));
  const std::string script{std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
  const std::vector<upsertkit::ddl::table_definition> tables = upsertkit::ddl::parse_script(script);
  const upsertkit::ddl::table_definition* chosen = nullptr;
  for (const auto& table : tables) {
    auto connector = table.options.find("connector");
    const bool wanted =
        args.ddl_table ? table.name == *args.ddl_table
                       : connector != table.options.end() && connector->second == "upsert-kafka";
    if (wanted) {
      chosen = &table;
      break;
    }
  }
  if (chosen == nullptr)
    throw upsertkit::config_error(
        *args.ddl + ": no " +
        (args.ddl_table ? "table named '" + *args.ddl_table + "'"
                        : std::string("CREATE TABLE with 'connector' = 'upsert-kafka'")));
  upsertkit::ddl::check<orders::table>(*chosen, "Order");
  const upsertkit::upsert_kafka_options options =
      upsertkit::parse_upsert_kafka_options(chosen->options);
  args.formats = options.formats;
  args.properties = options.properties;
  if (!topic_given) args.topic = options.topic;
  if (!args.brokers && !args.replay && !options.bootstrap_servers.empty())
    std::fprintf(stderr,
                 "upsertkit-orders: %s: table '%s' (its brokers %s are not used without "
                 "--brokers)\n",
                 args.ddl->c_str(), chosen->name.c_str(), options.bootstrap_servers.c_str());
}

arguments parse_arguments(int argc, char** argv) {
  arguments args;
  std::map<std::string, std::string> extra_properties;  // --property KEY=VALUE
  std::optional<std::string> key_format, value_format, fields_include;
  bool topic_given = false;
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
    else if (flag == "--topic") {
      args.topic = next();
      topic_given = true;
    } else if (flag == "--group")
      args.group = next();
    else if (flag == "--group-instance-id")
      args.group_instance_id = next();
    else if (flag == "--timeout")
      args.timeout = std::chrono::seconds(std::stoll(next()));
    else if (flag == "--follow")
      args.follow = true;
    else if (flag == "--ddl")
      args.ddl = next();
    else if (flag == "--table")
      args.ddl_table = next();
    else if (flag == "--key-format")
      key_format = next();
    else if (flag == "--value-format")
      value_format = next();
    else if (flag == "--value-fields-include")
      fields_include = next();
    else if (flag == "--print-style")
      args.print.style = upsertkit::parse_print_style(next());
    else if (flag == "--ignore-parse-errors")
      args.ignore_parse_errors = true;
    else if (flag == "--state-dir")
      args.state_dir = next();
    else if (flag == "--dynamic-membership")
      args.dynamic_membership = true;
    else if (flag == "--commit-interval")
      args.commit_interval = std::chrono::milliseconds(std::stoll(next()));
    else if (flag == "--property") {
      const std::string property = next();
      const std::size_t equals = property.find('=');
      if (equals == std::string::npos) usage("--property needs KEY=VALUE");
      extra_properties[property.substr(0, equals)] = property.substr(equals + 1);
    } else if (flag == "--help" || flag == "-h")
      usage("replays Kafka records and prints the changelog");
    else
      usage(("unknown argument " + std::string(flag)).c_str());
  }
  if (args.replay && args.brokers) usage("--replay and --brokers exclude each other");
  if (args.ddl_table && !args.ddl) usage("--table needs --ddl");
  if (args.group_instance_id && !args.group) usage("--group-instance-id needs --group");
  if (args.state_dir && !args.brokers) usage("--state-dir needs --brokers");
  if (args.dynamic_membership && !args.state_dir) usage("--dynamic-membership needs --state-dir");
#if !UPSERTKIT_ORDERS_ROCKSDB
  if (args.state_dir) usage("--state-dir needs a build with RocksDB (UPSERTKIT_ROCKSDB)");
#endif
  if (args.ddl) apply_ddl(args, topic_given);
  for (const auto& [key, value] : extra_properties)
    args.properties[key] = value;
  // Explicit flags override the DDL. A format chosen here drops the DDL's options of the other.
  if (key_format && *key_format != args.formats.key_format) {
    args.formats.key_format = *key_format;
    args.formats.key_options.clear();
  }
  if (value_format && *value_format != args.formats.value_format) {
    args.formats.value_format = *value_format;
    args.formats.value_options.clear();
  }
  if (fields_include)
    args.formats.layout.include = upsertkit::parse_fields_include(*fields_include);
  if (args.ignore_parse_errors) {
    // Only json and csv have the option (Flink's avro and raw formats do not).
    auto has_option = [](const std::string& format) { return format == "json" || format == "csv"; };
    if (has_option(args.formats.key_format))
      args.formats.key_options["ignore-parse-errors"] = "true";
    if (has_option(args.formats.value_format))
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

template <class Store>
using source_type =
    upsertkit::upsert_source<orders::table, upsertkit::print_sink<orders::table>&, Store>;

// One line, rewritten in place: records/s and the lag of each assigned partition.
template <class Source>
void show_progress(const Source& source, std::uint64_t records_before, double seconds) {
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

template <class Source>
void print_summary(const Source& source) {
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

template <class Store>
int read_topic(const std::string& brokers, const arguments& args) {
  upsertkit::print_sink<orders::table> printer(args.print);
  upsertkit::source_options options;
  options.topic = args.topic;
  options.bootstrap_servers = brokers;
  options.formats = args.formats;
  options.properties = args.properties;
  if (args.group) options.properties["group.id"] = *args.group;
  if (args.group_instance_id) options.properties["group.instance.id"] = *args.group_instance_id;
  options.commit_interval = args.commit_interval;
  if (args.state_dir) options.state_dir = *args.state_dir;
  options.static_membership = !args.dynamic_membership;
  source_type<Store> source(std::move(options), printer);
  try {
    if (!args.follow) {
      source.read_to_end(args.timeout);
    } else {
      // Rows show as they come. (Not needed for safety: the printer's flush() runs before
      // every commit, so no committed record's rows are left in the buffer.)
      std::setvbuf(stdout, nullptr, _IOLBF, 0);
      std::signal(SIGINT, on_signal);
      std::signal(SIGTERM, on_signal);
      const bool terminal = isatty(fileno(stderr)) != 0;
      auto last = std::chrono::steady_clock::now();
      std::uint64_t records_at_last = 0;
      while (!interrupted) {
        source.poll_batch(std::chrono::milliseconds(100));
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
  } catch (const upsertkit::error& e) {
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
  return read_topic<upsertkit::memory_store>(cluster.bootstrap_servers(), args);
}

}  // namespace

int main(int argc, char** argv) {
  try {
    arguments args = parse_arguments(argc, argv);
#if UPSERTKIT_ORDERS_ROCKSDB
    if (args.brokers && args.state_dir)
      return read_topic<upsertkit::rocksdb_store>(*args.brokers, args);
#endif
    if (args.brokers) return read_topic<upsertkit::memory_store>(*args.brokers, args);
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
