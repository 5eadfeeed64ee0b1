// upsertkit: the WITH clause of an upsert-kafka table, as a string map.
//
// Option names, defaults and validation messages follow Flink's upsert-kafka connector
// (UpsertKafkaDynamicTableFactory, KafkaConnectorOptions, FactoryUtil). `properties.*` is
// passed to librdkafka with the prefix stripped; any value may be `${env:NAME}` or
// `${file:PATH}`, resolved when the options are parsed. Values never appear in errors or in
// describe(): some are secrets.
//
// The configuration layer: plain option structs (config/) and their parsers, with no Kafka
// client, no codec and no simdjson. librdkafka checks the `properties.*` it is given when a
// source or sink is constructed (kafka::check_client_properties).
#ifndef UPSERTKIT_OPTIONS_HPP
#define UPSERTKIT_OPTIONS_HPP

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/connection.hpp"
#include "config/format_options.hpp"
#include "config/positions.hpp"
#include "config/sink_options.hpp"
#include "config/source_options.hpp"
#include "error.hpp"
#include "option_map.hpp"
#include "schema.hpp"
#include "text.hpp"

namespace upsertkit {

/// Flink's Duration text: a number and an optional unit (`ms`, `s`, `min`, `h`, `d` and their
/// long forms); a bare number is milliseconds.
inline std::chrono::milliseconds parse_duration(std::string_view key, std::string_view text) {
  const std::string_view trimmed = text::java_trim(text);
  std::size_t digits = 0;
  while (digits < trimmed.size() && trimmed[digits] >= '0' && trimmed[digits] <= '9')
    ++digits;
  auto fail = [&]() -> std::chrono::milliseconds {
    throw config_error("Could not parse value '" + std::string(text) + "' for key '" +
                       std::string(key) +
                       "'. A duration is a number and an optional unit: ms, s, min, h, d.");
  };
  if (digits == 0) return fail();
  const auto number = text::parse_java_integer(trimmed.substr(0, digits), 0, INT64_MAX / 86400000);
  if (!number) return fail();
  const std::string_view unit = text::java_trim(trimmed.substr(digits));
  // Searched case-insensitively, so a list: the map it used to be was only ever iterated.
  static constexpr std::pair<std::string_view, std::int64_t> units[] = {
      {"", 1},          {"ms", 1},          {"milli", 1},
      {"millis", 1},    {"millisecond", 1}, {"milliseconds", 1},
      {"s", 1000},      {"sec", 1000},      {"secs", 1000},
      {"second", 1000}, {"seconds", 1000},  {"min", 60000},
      {"m", 60000},     {"minute", 60000},  {"minutes", 60000},
      {"h", 3600000},   {"hour", 3600000},  {"hours", 3600000},
      {"d", 86400000},  {"day", 86400000},  {"days", 86400000}};
  const auto it = std::find_if(std::begin(units), std::end(units), [&](const auto& entry) {
    return text::equals_ignore_case(entry.first, unit);
  });
  if (it == std::end(units)) return fail();
  return std::chrono::milliseconds(*number * it->second);
}

/// Resolves `${env:NAME}` and `${file:PATH}` (the whole value). Errors name the option and the
/// variable or file, never a value.
inline std::string resolve_option_value(std::string_view key, std::string_view value) {
  if (value.size() < 4 || value.substr(0, 2) != "${" || value.back() != '}')
    return std::string(value);
  const std::string_view inner = value.substr(2, value.size() - 3);
  if (inner.substr(0, 4) == "env:") {
    const std::string name(inner.substr(4));
    const char* resolved = std::getenv(name.c_str());
    if (resolved == nullptr)
      throw config_error("option '" + std::string(key) + "' refers to the environment variable '" +
                         name + "', which is not set");
    return resolved;
  }
  if (inner.substr(0, 5) == "file:") {
    const std::string path(inner.substr(5));
    std::ifstream file(path, std::ios::binary);
    if (!file)
      throw config_error("option '" + std::string(key) + "' refers to the file '" + path +
                         "', which cannot be read");
    std::ostringstream content;
    content << file.rdbuf();
    std::string text = content.str();
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r'))
      text.pop_back();
    return text;
  }
  return std::string(value);
}

/// A parsed and validated upsert-kafka WITH clause.
struct upsert_kafka_options : kafka_connection {
  format_config formats;
  std::optional<int> sink_parallelism;
  std::optional<int> scan_parallelism;  // connector v4.0's option (docs/options.md)
  std::int64_t buffer_flush_max_rows = 0;
  std::chrono::milliseconds buffer_flush_interval{0};
  delivery_guarantee guarantee = delivery_guarantee::at_least_once;
  std::string transactional_id_prefix;
  bounded_mode bounded = bounded_mode::unbounded;
  std::int64_t bounded_timestamp_ms = -1;
  std::map<std::int32_t, std::int64_t> bounded_offsets;  // partition -> offset

  /// The options as `key = value` lines, secrets replaced by `******`.
  std::string describe() const {
    std::string out = "topic = " + topic + "\nbootstrap.servers = " + bootstrap_servers +
                      "\nkey.format = " + formats.key_format +
                      "\nvalue.format = " + formats.value_format + "\n";
    for (const auto& [key, value] : properties)
      out += "properties." + key + " = " + (is_secret_property(key) ? "******" : value) + "\n";
    return out;
  }

  source_options to_source_options() const {
    source_options options;
    static_cast<kafka_connection&>(options) = *this;
    options.formats = formats;
    options.bounded.mode = bounded;
    options.bounded.timestamp_ms = bounded_timestamp_ms;
    options.bounded.offsets = bounded_offsets;
    options.parallelism = scan_parallelism.value_or(1);
    return options;
  }

  sink_options to_sink_options() const {
    sink_options options;
    static_cast<kafka_connection&>(options) = *this;
    options.formats = formats;
    options.buffer_flush_max_rows = static_cast<std::size_t>(buffer_flush_max_rows);
    options.buffer_flush_interval = buffer_flush_interval;
    options.guarantee = guarantee;
    options.transactional_id_prefix = transactional_id_prefix;
    return options;
  }
};

/// How many workers copy `from` into `to` (parallel_pipe): `scan.parallelism` of the source
/// table, else `sink.parallelism` of the sink table, else 1. Both given must agree: each
/// worker feeds its own sink, with no shuffle between threads (docs/parallelism.md).
inline int pipe_parallelism(const upsert_kafka_options& from, const upsert_kafka_options& to) {
  if (from.scan_parallelism && to.sink_parallelism &&
      *from.scan_parallelism != *to.sink_parallelism)
    throw config_error("'sink.parallelism' (" + std::to_string(*to.sink_parallelism) +
                       ") must equal 'scan.parallelism' (" +
                       std::to_string(*from.scan_parallelism) +
                       ") in a pipe: each worker feeds its own sink (no shuffle between threads)");
  return from.scan_parallelism.value_or(to.sink_parallelism.value_or(1));
}

namespace detail {
inline const std::vector<std::string>& upsert_kafka_supported_options() {
  static const std::vector<std::string> names = {
      "connector",
      "key.fields-prefix",
      "key.format",
      "properties.bootstrap.servers",
      "scan.bounded.mode",
      "scan.bounded.specific-offsets",
      "scan.bounded.timestamp-millis",
      "sink.buffer-flush.interval",
      "sink.buffer-flush.max-rows",
      "sink.delivery-guarantee",
      "scan.parallelism",
      "sink.parallelism",
      "sink.transactional-id-prefix",
      "topic",
      "value.fields-include",
      "value.format",
  };
  return names;
}

// Java client settings the connector owns (Flink overrides them); librdkafka has no such keys.
inline bool is_owned_client_property(std::string_view key) {
  return key == "key.deserializer" || key == "value.deserializer" || key == "key.serializer" ||
         key == "value.serializer";
}

// A `properties.*` option (other than bootstrap.servers): owned serializer keys are refused,
// the hosted service's Kerberos keys (the seed's Example 3) are mapped onto librdkafka's, the
// rest is passed on with the prefix stripped.
inline void take_property(const std::string& key, const std::string& value,
                          std::map<std::string, std::string>& properties,
                          std::vector<std::string>& unsupported) {
  const std::string property = key.substr(11);
  if (is_owned_client_property(property))
    throw config_error("option '" + key +
                       "' cannot be set: the connector owns the key and value "
                       "(de)serializers (it reads and writes the formats itself)");
  if (property.rfind("connector.", 0) != 0) {
    properties[property] = value;
    return;
  }
  const std::string name = property.substr(10);
  auto local_path = [&](const std::string& path) {
    if (path.find("://") != std::string::npos)
      throw config_error("option '" + key + "' names '" + path +
                         "', a remote object store location that cannot be reached from "
                         "here: give a local path or ${file:...}");
    return path;
  };
  if (name == "auth.open") {
    if (!text::equals_ignore_case(value, "true") && !text::equals_ignore_case(value, "false"))
      throw config_error("option '" + key + "' must be true or false");
  } else if (name == "kerberos.principal") {
    properties["sasl.kerberos.principal"] = value;
  } else if (name == "kerberos.keytab") {
    properties["sasl.kerberos.keytab"] = local_path(value);
  } else if (name == "kerberos.krb5") {
    // librdkafka runs kinit, which reads the krb5.conf named by KRB5_CONFIG.
    const std::string krb5 = local_path(value);
    properties["sasl.kerberos.kinit.cmd"] =
        "env KRB5_CONFIG=\"" + krb5 +
        "\" kinit -R -t \"%{sasl.kerberos.keytab}\" -k %{sasl.kerberos.principal} || env "
        "KRB5_CONFIG=\"" +
        krb5 + "\" kinit -t \"%{sasl.kerberos.keytab}\" -k %{sasl.kerberos.principal}";
  } else {
    unsupported.push_back(key);
  }
}

// 'partition:0,offset:42;partition:1,offset:300' (the reference's format and message).
inline std::map<std::int32_t, std::int64_t> parse_specific_offsets(const std::string& key,
                                                                   const std::string& spec) {
  auto bad = [&] {
    return config_error("Invalid properties '" + key +
                        "' should follow the format 'partition:0,offset:42;partition:1,offset:300'"
                        ", but is '" +
                        spec + "'.");
  };
  std::map<std::int32_t, std::int64_t> offsets;
  std::string_view rest = spec;
  while (!rest.empty()) {
    const std::size_t end = rest.find(';');
    const std::string_view pair = text::java_trim(rest.substr(0, end));
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    const std::size_t comma = pair.find(',');
    if (pair.substr(0, 10) != "partition:" || comma == std::string_view::npos ||
        text::java_trim(pair.substr(comma + 1)).substr(0, 7) != "offset:")
      throw bad();
    auto partition = text::parse_java_integer(pair.substr(10, comma - 10), 0, INT32_MAX);
    auto offset =
        text::parse_java_integer(text::java_trim(pair.substr(comma + 1)).substr(7), 0, INT64_MAX);
    if (!partition || !offset) throw bad();
    offsets[static_cast<std::int32_t>(*partition)] = *offset;
  }
  if (offsets.empty()) throw bad();
  return offsets;
}

// `scan.<what>.mode` and its companions `scan.<what>.timestamp-millis` and
// `scan.<what>.specific-offsets`, for what = startup or bounded. Returns the mode's index in
// `modes`, or -1 when the option is absent.
template <class Find>
int parse_scan_mode(const Find& find, const std::string& what,
                    const std::vector<std::string>& modes, std::int64_t& timestamp_ms,
                    std::map<std::int32_t, std::int64_t>& offsets) {
  const std::string mode_key = "scan." + what + ".mode";
  const auto* v = find(mode_key);
  if (v == nullptr) return -1;
  const auto it = std::find_if(modes.begin(), modes.end(), [&](const std::string& mode) {
    return text::equals_ignore_case(mode, *v);
  });
  if (it == modes.end()) {
    std::string list;
    for (const auto& m : modes)
      list += (list.empty() ? "" : ", ") + m;
    throw config_error("Could not parse value '" + *v + "' for key '" + mode_key +
                       "'. Possible values: [" + list + "]");
  }
  const std::string& mode = *it;
  if (mode == "timestamp") {
    const std::string ts_key = "scan." + what + ".timestamp-millis";
    const auto* ts = find(ts_key);
    if (ts == nullptr)
      throw config_error("'" + ts_key + "' is required in 'timestamp' " + what +
                         " mode but missing.");
    auto n = text::parse_java_integer(*ts, 0, INT64_MAX);
    if (!n) throw config_error("Could not parse value '" + *ts + "' for key '" + ts_key + "'.");
    timestamp_ms = *n;
  } else if (mode == "specific-offsets") {
    const std::string spec_key = "scan." + what + ".specific-offsets";
    const auto* spec = find(spec_key);
    if (spec == nullptr)
      throw config_error("'" + spec_key + "' is required in 'specific-offsets' " + what +
                         " mode but missing.");
    offsets = parse_specific_offsets(spec_key, *spec);
  }
  return static_cast<int>(it - modes.begin());
}

template <class Find>
void parse_scan_bounded(const Find& find, bounded_mode& mode, std::int64_t& timestamp_ms,
                        std::map<std::int32_t, std::int64_t>& offsets) {
  static const std::vector<std::string> modes = {"unbounded", "latest-offset", "group-offsets",
                                                 "timestamp", "specific-offsets"};
  const int index = parse_scan_mode(find, "bounded", modes, timestamp_ms, offsets);
  if (index >= 0) mode = static_cast<bounded_mode>(index);
}
}  // namespace detail

/// Parses and validates an upsert-kafka WITH clause. Throws config_error with the reference's
/// messages where it has them.
inline upsert_kafka_options parse_upsert_kafka_options(const option_map& with) {
  option_map options;
  for (const auto& [key, value] : with)
    options[key] = resolve_option_value(key, value);

  auto find = [&](std::string_view key) -> const std::string* {
    auto it = options.find(key);
    return it == options.end() ? nullptr : &it->second;
  };

  if (const auto* connector = find("connector"); connector && *connector != "upsert-kafka")
    throw config_error("option 'connector' is '" + *connector +
                       "', but these options are for 'upsert-kafka'");

  // Required options (FactoryUtil's message). `topic` is required: topic-pattern and topic
  // lists are not supported.
  std::vector<std::string> missing;
  for (const char* required :
       {"key.format", "properties.bootstrap.servers", "topic", "value.format"})
    if (find(required) == nullptr) missing.emplace_back(required);
  if (!missing.empty()) {
    std::string text =
        "One or more required options are missing.\n\nMissing required options are:\n";
    for (const auto& key : missing)
      text += "\n" + key;
    throw config_error(text);
  }

  upsert_kafka_options result;
  result.formats.key_format = *find("key.format");
  result.formats.value_format = *find("value.format");
  const std::string key_prefix = "key." + result.formats.key_format + ".";
  const std::string value_prefix = "value." + result.formats.value_format + ".";

  std::vector<std::string> unsupported;
  const auto& supported = detail::upsert_kafka_supported_options();
  for (const auto& entry : options) {
    // Named references, not a structured binding: clang 14 cannot capture those in a lambda.
    const std::string& key = entry.first;
    const std::string& value = entry.second;
    if (key.rfind("properties.", 0) == 0) {
      if (key == "properties.bootstrap.servers")
        result.bootstrap_servers = value;
      else
        detail::take_property(key, value, result.properties, unsupported);
      continue;
    }
    if (key.rfind(key_prefix, 0) == 0) {
      result.formats.key_options[key.substr(key_prefix.size())] = value;
      continue;
    }
    if (key.rfind(value_prefix, 0) == 0) {
      result.formats.value_options[key.substr(value_prefix.size())] = value;
      continue;
    }
    if (std::find(supported.begin(), supported.end(), key) == supported.end())
      unsupported.push_back(key);
  }
  if (!unsupported.empty()) {
    std::string text = "Unsupported options found for 'upsert-kafka'.\n\nUnsupported options:\n";
    for (const auto& key : unsupported)
      text += "\n" + key;
    text += "\n\nSupported options:\n";
    for (const auto& key : supported)
      text += "\n" + key;
    text += "\nproperties.*\n" + key_prefix + "*\n" + value_prefix + "*";
    throw config_error(text);
  }

  // Format options are checked now, with the formats' own messages.
  validate_format_options(result.formats.key_format, result.formats.key_options);
  validate_format_options(result.formats.value_format, result.formats.value_options);

  result.topic = *find("topic");
  if (result.topic.find(';') != std::string::npos)
    throw config_error(
        "The 'upsert-kafka' connector doesn't support topic list now. Please use single topic "
        "as the value of the parameter 'topic'.");

  if (const auto* v = find("value.fields-include"))
    result.formats.layout.include = parse_fields_include(*v);
  if (const auto* v = find("key.fields-prefix")) result.formats.layout.key_prefix = *v;

  if (const auto* v = find("sink.parallelism")) {
    auto n = text::parse_java_integer(*v, 1, INT32_MAX);
    if (!n) throw config_error("Could not parse value '" + *v + "' for key 'sink.parallelism'.");
    result.sink_parallelism = static_cast<int>(*n);
  }
  if (const auto* v = find("scan.parallelism")) {
    auto n = text::parse_java_integer(*v, 1, INT32_MAX);
    if (!n) throw config_error("Could not parse value '" + *v + "' for key 'scan.parallelism'.");
    result.scan_parallelism = static_cast<int>(*n);
  }
  if (const auto* v = find("sink.buffer-flush.max-rows")) {
    auto n = text::parse_java_integer(*v, INT32_MIN, INT32_MAX);
    if (!n)
      throw config_error("Could not parse value '" + *v +
                         "' for key 'sink.buffer-flush.max-rows'.");
    result.buffer_flush_max_rows = *n;
  }
  if (const auto* v = find("sink.buffer-flush.interval"))
    result.buffer_flush_interval = parse_duration("sink.buffer-flush.interval", *v);
  const bool rows_on = result.buffer_flush_max_rows > 0;
  const bool interval_on = result.buffer_flush_interval.count() > 0;
  if (rows_on != interval_on)
    throw config_error(
        "'sink.buffer-flush.max-rows' and 'sink.buffer-flush.interval' must be set to be greater "
        "than zero together to enable sink buffer flushing.");
  if (!rows_on && (result.buffer_flush_max_rows != 0 || result.buffer_flush_interval.count() != 0))
    throw config_error(
        "batchSize and batchInterval must greater than zero if buffer flush is enabled, but got "
        "batchSize=" +
        std::to_string(result.buffer_flush_max_rows) +
        " and batchIntervalMs=" + std::to_string(result.buffer_flush_interval.count()));

  if (const auto* v = find("sink.delivery-guarantee")) {
    if (text::equals_ignore_case(*v, "none"))
      result.guarantee = delivery_guarantee::none;
    else if (text::equals_ignore_case(*v, "at-least-once"))
      result.guarantee = delivery_guarantee::at_least_once;
    else if (text::equals_ignore_case(*v, "exactly-once"))
      result.guarantee = delivery_guarantee::exactly_once;
    else
      throw config_error("Could not parse value '" + *v +
                         "' for key 'sink.delivery-guarantee'. Possible values: [at-least-once, "
                         "exactly-once, none]");
  }
  if (const auto* v = find("sink.transactional-id-prefix")) result.transactional_id_prefix = *v;
  if (result.guarantee == delivery_guarantee::exactly_once &&
      result.transactional_id_prefix.empty())
    throw config_error(
        "sink.transactional-id-prefix must be specified when using "
        "DeliveryGuarantee.EXACTLY_ONCE.");

  detail::parse_scan_bounded(find, result.bounded, result.bounded_timestamp_ms,
                             result.bounded_offsets);
  return result;
}

/// A parsed and validated WITH clause of the plain `kafka` connector, used as a source (the
/// seed's Example 2): see append_source.hpp.
struct kafka_options {
  append_source_options source;

  /// The options as `key = value` lines, secrets replaced by `******`.
  std::string describe() const {
    std::string out = "topic = " + source.topic +
                      "\nbootstrap.servers = " + source.bootstrap_servers +
                      "\nvalue.format = " + source.value_format + "\n";
    if (!source.key_format.empty()) out += "key.format = " + source.key_format + "\n";
    for (const auto& [key, value] : source.properties)
      out += "properties." + key + " = " + (is_secret_property(key) ? "******" : value) + "\n";
    return out;
  }
};

/// Parses and validates a `kafka` connector WITH clause for reading. The reference's default
/// `scan.startup.mode` is `group-offsets`, which needs `properties.group.id`.
inline kafka_options parse_kafka_options(const option_map& with) {
  option_map options;
  for (const auto& [key, value] : with)
    options[key] = resolve_option_value(key, value);
  auto find = [&](std::string_view key) -> const std::string* {
    auto it = options.find(key);
    return it == options.end() ? nullptr : &it->second;
  };
  if (const auto* connector = find("connector"); connector && *connector != "kafka")
    throw config_error("option 'connector' is '" + *connector +
                       "', but these options are for 'kafka'");

  const auto* format = find("format");
  const auto* value_format = find("value.format");
  if (format != nullptr && value_format != nullptr)
    throw config_error(
        "Option 'format' and 'value.format' are mutually exclusive: set only one of them.");
  std::vector<std::string> missing;
  if (find("properties.bootstrap.servers") == nullptr)
    missing.emplace_back("properties.bootstrap.servers");
  if (find("topic") == nullptr) missing.emplace_back("topic");
  if (format == nullptr && value_format == nullptr) missing.emplace_back("format");
  if (!missing.empty()) {
    std::string text =
        "One or more required options are missing.\n\nMissing required options are:\n";
    for (const auto& key : missing)
      text += "\n" + key;
    throw config_error(text);
  }

  kafka_options result;
  append_source_options& o = result.source;
  o.value_format = format != nullptr ? *format : *value_format;
  // With `format`, format options are `<format>.*`; with `value.format`, `value.<format>.*`.
  const std::string value_prefix = (format != nullptr ? "" : "value.") + o.value_format + ".";
  if (const auto* v = find("key.format")) o.key_format = *v;
  const std::string key_prefix = o.key_format.empty() ? "" : "key." + o.key_format + ".";

  static const std::vector<std::string> supported = {
      "connector",
      "format",
      "key.fields",
      "key.fields-prefix",
      "key.format",
      "properties.bootstrap.servers",
      "scan.bounded.mode",
      "scan.bounded.specific-offsets",
      "scan.bounded.timestamp-millis",
      "scan.startup.mode",
      "scan.startup.specific-offsets",
      "scan.startup.timestamp-millis",
      "topic",
      "value.fields-include",
      "value.format",
  };
  std::vector<std::string> unsupported;
  for (const auto& entry : options) {
    const std::string& key = entry.first;
    const std::string& value = entry.second;
    if (key.rfind("properties.", 0) == 0) {
      if (key == "properties.bootstrap.servers")
        o.bootstrap_servers = value;
      else
        detail::take_property(key, value, o.properties, unsupported);
    } else if (key.rfind(value_prefix, 0) == 0) {
      o.value_options[key.substr(value_prefix.size())] = value;
    } else if (!key_prefix.empty() && key.rfind(key_prefix, 0) == 0) {
      o.key_options[key.substr(key_prefix.size())] = value;
    } else if (std::find(supported.begin(), supported.end(), key) == supported.end()) {
      unsupported.push_back(key);
    }
  }
  if (!unsupported.empty()) {
    std::string text = "Unsupported options found for 'kafka'.\n\nUnsupported options:\n";
    for (const auto& key : unsupported)
      text += "\n" + key;
    text += "\n\nSupported options:\n";
    for (const auto& key : supported)
      text += "\n" + key;
    text += "\nproperties.*\n" + value_prefix + "*";
    if (!key_prefix.empty()) text += "\n" + key_prefix + "*";
    throw config_error(text);
  }
  validate_format_options(o.value_format, o.value_options);
  if (!o.key_format.empty()) validate_format_options(o.key_format, o.key_options);

  o.topic = *find("topic");
  if (o.topic.find(';') != std::string::npos)
    throw config_error("option 'topic' names several topics; upsertkit reads one topic per table");
  if (const auto* v = find("key.fields")) {
    std::string_view rest = *v;
    while (true) {
      const std::size_t end = rest.find(';');
      o.key_fields.emplace_back(text::java_trim(rest.substr(0, end)));
      if (end == std::string_view::npos) break;
      rest = rest.substr(end + 1);
    }
  }
  if (const auto* v = find("value.fields-include")) o.include = parse_fields_include(*v);
  if (const auto* v = find("key.fields-prefix")) o.key_prefix = *v;

  static const std::vector<std::string> startup_modes = {
      "earliest-offset", "latest-offset", "group-offsets", "timestamp", "specific-offsets"};
  const int startup = detail::parse_scan_mode(find, "startup", startup_modes,
                                              o.startup.timestamp_ms, o.startup.offsets);
  o.startup.mode = startup < 0 ? startup_mode::group_offsets : static_cast<startup_mode>(startup);
  detail::parse_scan_bounded(find, o.bounded.mode, o.bounded.timestamp_ms, o.bounded.offsets);
  const bool has_group = o.properties.count("group.id") > 0;
  if (!has_group && (o.startup.mode == startup_mode::group_offsets ||
                     o.bounded.mode == bounded_mode::group_offsets))
    throw config_error(
        "'group-offsets' reads the committed offsets of a consumer group: set "
        "'properties.group.id' (the default 'scan.startup.mode' is 'group-offsets')");
  return result;
}

}  // namespace upsertkit

#endif  // UPSERTKIT_OPTIONS_HPP
