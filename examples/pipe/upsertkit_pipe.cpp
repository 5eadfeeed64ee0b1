// upsertkit-pipe: `INSERT INTO out SELECT * FROM in` for two upsert-kafka tables of the seed's
// orders schema: an upsert source in a consumer group whose handler is an upsert sink. The
// sink is the source's durability point: an input offset is committed only once the changes
// of its record are in Kafka (at-least-once), or inside the same transaction as them
// (exactly-once). docs/reliability.md says what each guarantee promises.
//
//   upsertkit-pipe --brokers HOST:PORT --from TOPIC --to TOPIC --group ID
//                  [--group-instance-id ID] [--follow] [--commit-interval MS]
//                  [--buffer-rows N --buffer-interval MS]
//                  [--delivery-guarantee none|at-least-once|exactly-once]
//                  [--transactional-id-prefix PREFIX] [--timeout S] [--parallelism N]
//                  [--pass-through] [--stats-interval MS]
//                  [--property KEY=VALUE]... [--sink-property KEY=VALUE]...
//
// Without --follow it copies what the input holds now (every partition, see
// upsert_source::read_to_end) and exits; with it, it keeps copying until SIGINT or SIGTERM.
// Either way it ends with a commit. Key format csv, value format json (the seed's table).
// --property goes to the consumer (`properties.*` of the source table), --sink-property to
// the producer. --parallelism N runs N workers in N threads (parallel.hpp), each a member of the
// group with its own source, state and sink; a --group-instance-id gets `-<worker>` appended.
// --pass-through copies every record as it is, without the materializer (no state:
// docs/parallelism.md, "Pass-through copy"; the default is what Flink 1.20 runs here).
// One line of counters goes to stderr at the end; with --stats-interval, a line of the
// workers' published counters (upsert_source::published_counters) every MS milliseconds while
// it runs, for a log or a dashboard.
#include <upsertkit/upsertkit.hpp>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <exception>
#include <map>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <thread>

#include "orders/orders_table.hpp"

namespace {

struct arguments {
  std::string brokers;
  std::string from;
  std::string to;
  std::string group;
  std::optional<std::string> instance_id;
  bool follow = false;
  std::chrono::milliseconds commit_interval{5000};
  std::size_t buffer_rows = 0;
  std::chrono::milliseconds buffer_interval{0};
  upsertkit::delivery_guarantee guarantee = upsertkit::delivery_guarantee::at_least_once;
  std::string transactional_id_prefix;
  std::chrono::seconds timeout{300};
  int parallelism = 1;
  bool pass_through = false;
  std::chrono::milliseconds stats_interval{0};  // 0: no stats lines while running
  std::map<std::string, std::string> source_properties;
  std::map<std::string, std::string> sink_properties;
};

[[noreturn]] void usage(const std::string& problem) {
  std::fprintf(stderr,
               "upsertkit-pipe: %s\n"
               "usage: upsertkit-pipe --brokers HOST:PORT --from TOPIC --to TOPIC --group ID\n"
               "                      [--group-instance-id ID] [--follow] [--commit-interval MS]\n"
               "                      [--buffer-rows N --buffer-interval MS]\n"
               "                      [--delivery-guarantee none|at-least-once|exactly-once]\n"
               "                      [--transactional-id-prefix PREFIX] [--timeout S]\n"
               "                      [--parallelism N] [--pass-through] [--stats-interval MS]\n"
               "                      [--property KEY=VALUE]... [--sink-property KEY=VALUE]...\n",
               problem.c_str());
  std::exit(2);
}

void add_property(std::map<std::string, std::string>& to, const std::string& property) {
  const std::size_t equals = property.find('=');
  if (equals == std::string::npos) usage("a property needs KEY=VALUE: " + property);
  to[property.substr(0, equals)] = property.substr(equals + 1);
}

arguments parse_arguments(int argc, char** argv) {
  arguments args;
  for (int i = 1; i < argc; ++i) {
    const std::string_view flag = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) usage("missing value after " + std::string(flag));
      return argv[++i];
    };
    if (flag == "--brokers")
      args.brokers = next();
    else if (flag == "--from")
      args.from = next();
    else if (flag == "--to")
      args.to = next();
    else if (flag == "--group")
      args.group = next();
    else if (flag == "--group-instance-id")
      args.instance_id = next();
    else if (flag == "--follow")
      args.follow = true;
    else if (flag == "--commit-interval")
      args.commit_interval = std::chrono::milliseconds(std::stoll(next()));
    else if (flag == "--buffer-rows")
      args.buffer_rows = std::stoull(next());
    else if (flag == "--buffer-interval")
      args.buffer_interval = std::chrono::milliseconds(std::stoll(next()));
    else if (flag == "--delivery-guarantee") {
      const std::string guarantee = next();
      if (guarantee == "none")
        args.guarantee = upsertkit::delivery_guarantee::none;
      else if (guarantee == "at-least-once")
        args.guarantee = upsertkit::delivery_guarantee::at_least_once;
      else if (guarantee == "exactly-once")
        args.guarantee = upsertkit::delivery_guarantee::exactly_once;
      else
        usage("--delivery-guarantee must be none, at-least-once or exactly-once");
    } else if (flag == "--transactional-id-prefix")
      args.transactional_id_prefix = next();
    else if (flag == "--timeout")
      args.timeout = std::chrono::seconds(std::stoll(next()));
    else if (flag == "--pass-through")
      args.pass_through = true;
    else if (flag == "--stats-interval")
      args.stats_interval = std::chrono::milliseconds(std::stoll(next()));
    else if (flag == "--parallelism")
      args.parallelism = std::stoi(next());
    else if (flag == "--property")
      add_property(args.source_properties, next());
    else if (flag == "--sink-property")
      add_property(args.sink_properties, next());
    else if (flag == "--help" || flag == "-h")
      usage("copies an upsert topic into another through the materializer");
    else
      usage("unknown argument " + std::string(flag));
  }
  if (args.brokers.empty() || args.from.empty() || args.to.empty() || args.group.empty())
    usage("--brokers, --from, --to and --group are required");
  return args;
}

std::atomic<bool> stop_requested{false};

extern "C" void on_signal(int) {
  stop_requested = true;
}

void print_counters(const char* what, const upsertkit::source_counters& c) {
  std::fprintf(
      stderr,
      "upsertkit-pipe: %s: %llu records read (%llu replayed below the group's commit), "
      "lag %lld; +I %llu, +U %llu, -D %llu; %llu keys in state\n",
      what, static_cast<unsigned long long>(c.records), static_cast<unsigned long long>(c.replayed),
      static_cast<long long>(c.lag), static_cast<unsigned long long>(c.inserts),
      static_cast<unsigned long long>(c.update_afters), static_cast<unsigned long long>(c.deletes),
      static_cast<unsigned long long>(c.state_keys));
}

int run(const arguments& args) {
  upsertkit::sink_options sink_options;
  sink_options.topic = args.to;
  sink_options.bootstrap_servers = args.brokers;
  sink_options.properties = args.sink_properties;
  sink_options.buffer_flush_max_rows = args.buffer_rows;
  sink_options.buffer_flush_interval = args.buffer_interval;
  sink_options.guarantee = args.guarantee;
  sink_options.transactional_id_prefix = args.transactional_id_prefix;

  upsertkit::source_options source_options;
  source_options.topic = args.from;
  source_options.bootstrap_servers = args.brokers;
  source_options.properties = args.source_properties;
  source_options.properties["group.id"] = args.group;
  if (args.instance_id) source_options.properties["group.instance.id"] = *args.instance_id;
  source_options.commit_interval = args.commit_interval;
  source_options.read_headers = false;  // the orders table has no headers column
  source_options.parallelism = args.parallelism;
  source_options.state.pass_through = args.pass_through;
  // The sinks start before the sources: under exactly-once a sink's start fences a crashed
  // predecessor's transaction, so the offsets its source then reads from the group are settled.
  upsertkit::parallel_pipe<orders::table> pipe(std::move(source_options), std::move(sink_options));

  if (args.follow) {
    std::signal(SIGINT, on_signal);
    std::signal(SIGTERM, on_signal);
  }
  // The workers run on their own threads; this one turns a signal into a stop request
  // (std::stop_source is not async-signal-safe, a std::atomic<bool> store is) and prints the
  // stats lines.
  std::stop_source stop;
  std::exception_ptr failure;
  std::atomic<bool> done{false};
  std::jthread workers([&] {
    try {
      if (args.follow)
        pipe.run(stop.get_token());
      else
        pipe.read_to_end(args.timeout);
    } catch (...) {
      failure = std::current_exception();
    }
    done = true;
  });
  auto next_stats = std::chrono::steady_clock::now() + args.stats_interval;
  while (!done && !stop_requested) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    if (args.stats_interval.count() > 0 && std::chrono::steady_clock::now() >= next_stats) {
      next_stats += args.stats_interval;
      print_counters("stats", pipe.published_counters());
    }
  }
  stop.request_stop();
  workers.join();
  if (failure) std::rethrow_exception(failure);
  pipe.close(std::chrono::seconds(30));  // the last durability point and commit
  print_counters("done", pipe.counters());
  std::fprintf(stderr, "upsertkit-pipe: %llu records written to '%s' by %d worker(s)\n",
               static_cast<unsigned long long>(pipe.records_sent()), args.to.c_str(),
               args.parallelism);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const arguments args = parse_arguments(argc, argv);
  try {
    return run(args);
  } catch (const upsertkit::error& e) {
    std::fprintf(stderr, "upsertkit-pipe: %s\n", e.what());
    return 1;
  }
}
