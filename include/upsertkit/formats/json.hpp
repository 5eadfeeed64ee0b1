// upsertkit: Flink's `json` format for one projection of a table, both directions.
//
// Decoding uses simdjson On-Demand and walks each object's fields once, dispatching on the key,
// so the cost does not depend on the producer's field order. String columns that need no
// unescaping become views into the caller's message bytes (zero copy); escaped strings are
// views into the parser's string buffer. Either way they stay valid until the next decode on
// the same codec (and, for the first kind, as long as the message bytes live).
// Encoding is compact, in projection order, with Java's number spelling.
#ifndef UPSERTKIT_FORMATS_JSON_HPP
#define UPSERTKIT_FORMATS_JSON_HPP

#include <simdjson.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "../error.hpp"
#include "../schema.hpp"
#include "column_io.hpp"
#include "text.hpp"

namespace upsertkit::json {

/// The `json.*` options (names without the `json.` prefix in parse_options).
struct options {
  bool fail_on_missing_field = false;
  bool ignore_parse_errors = false;
  text::timestamp_standard timestamp_standard = text::timestamp_standard::sql;
  bool encode_ignore_null_fields = false;
  bool encode_decimal_as_plain_number = false;
};

/// Parses `json.*` options given without their prefix. Throws config_error with the
/// reference's texts. `map-null-key.*` and `decode.json-parser.enabled` are accepted and
/// validated for compatibility; they change nothing because no column type here is a MAP.
inline options parse_options(
    const std::map<std::string, std::string, std::less<>>& format_options) {
  options result;
  auto flag = [](const std::string& key, const std::string& value) {
    if (text::equals_ignore_case(value, "true")) return true;
    if (text::equals_ignore_case(value, "false")) return false;
    throw config_error("Could not parse value '" + value + "' for key 'json." + key + "'.");
  };
  std::string unsupported;
  for (const auto& [key, value] : format_options) {
    if (key == "fail-on-missing-field") {
      result.fail_on_missing_field = flag(key, value);
    } else if (key == "ignore-parse-errors") {
      result.ignore_parse_errors = flag(key, value);
    } else if (key == "timestamp-format.standard") {
      if (value == "SQL")
        result.timestamp_standard = text::timestamp_standard::sql;
      else if (value == "ISO-8601")
        result.timestamp_standard = text::timestamp_standard::iso_8601;
      else
        throw config_error(
            "Unsupported value '" + value +
            "' for timestamp-format.standard. Supported values are [SQL, ISO-8601].");
    } else if (key == "encode.ignore-null-fields") {
      result.encode_ignore_null_fields = flag(key, value);
    } else if (key == "encode.decimal-as-plain-number") {
      result.encode_decimal_as_plain_number = flag(key, value);
    } else if (key == "map-null-key.mode") {
      // Flink upper-cases the value before checking it.
      if (!text::equals_ignore_case(value, "FAIL") && !text::equals_ignore_case(value, "DROP") &&
          !text::equals_ignore_case(value, "LITERAL"))
        throw config_error("Unsupported value '" + value +
                           "' for option map-null-key.mode. Supported values are [LITERAL, FAIL, "
                           "DROP].");
    } else if (key == "map-null-key.literal") {
    } else if (key == "decode.json-parser.enabled") {
      flag(key, value);
    } else {
      unsupported += "\njson." + key;
    }
  }
  if (!unsupported.empty())
    throw config_error(
        "Unsupported options found for 'json'.\n\nUnsupported options:\n" + unsupported +
        "\n\nSupported options:\n\njson.decode.json-parser.enabled\njson.encode.decimal-as-plain-"
        "number\njson.encode.ignore-null-fields\njson.fail-on-missing-field\njson.ignore-parse-"
        "errors\njson.map-null-key.literal\njson.map-null-key.mode\njson.timestamp-format."
        "standard");
  if (result.fail_on_missing_field && result.ignore_parse_errors)
    throw config_error("fail-on-missing-field and ignore-parse-errors shouldn't both be true.");
  return result;
}

/// Whether the codec reads a Kafka key or value. A value codec leaves a PRIMARY KEY column that
/// the value lacks as the key set it (a NOT NULL key never becomes NULL); a key codec fails.
enum class role : std::uint8_t { key, value };

/// Appends `text` as a JSON string literal, escaping as Jackson does by default.
inline void append_string(std::string& out, std::string_view text) {
  static constexpr char hex[] = "0123456789ABCDEF";
  out += '"';
  std::size_t run = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(text.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        out += "\\u00";
        out += hex[c >> 4];
        out += hex[c & 0xF];
    }
  }
  out.append(text.data() + run, text.size() - run);
  out += '"';
}

template <class Table>
class codec {
  static_assert(Table::column_count <= 64, "upsertkit::json::codec supports up to 64 columns");

 public:
  using row_type = typename Table::row_type;

  explicit codec(projection columns, options opts = {}, role which = role::value)
      : projection_(std::move(columns)), options_(opts), role_(which) {
    for (std::size_t slot = 0; slot < projection_.names.size(); ++slot) {
      std::string prefix;
      if (slot != 0) prefix += ',';
      append_string(prefix, projection_.names[slot]);
      prefix += ':';
      encoded_names_.push_back(std::move(prefix));
    }
  }

  const options& format_options() const noexcept { return options_; }
  const projection& columns() const noexcept { return projection_; }

  /// Decodes one JSON object into the projected members of `row`.
  decode_status decode(std::string_view message, row_type& row) {
    // Flink's JSON deserializer returns no row for an empty message.
    if (message.empty()) return decode_status::no_row();
    if (message.size() + simdjson::SIMDJSON_PADDING > scratch_capacity_) {
      scratch_capacity_ = (message.size() + simdjson::SIMDJSON_PADDING) * 2;
      scratch_ = std::make_unique<char[]>(scratch_capacity_);
    }
    std::memcpy(scratch_.get(), message.data(), message.size());
    std::memset(scratch_.get() + message.size(), 0, simdjson::SIMDJSON_PADDING);
    message_ = message;

    simdjson::ondemand::document document;
    if (parser_.iterate(scratch_.get(), message.size(), scratch_capacity_).get(document))
      return malformed();
    simdjson::ondemand::object object;
    if (document.get_object().get(object)) return malformed();

    seen_ = 0;
    std::size_t expected_slot = 0;
    for (auto field_result : object) {
      simdjson::ondemand::field field;
      if (std::move(field_result).get(field)) return malformed();
      std::string_view key;
      if (!key_of(field, key)) return malformed();
      const std::size_t slot = find_slot(key, expected_slot);
      if (slot == npos) continue;  // unknown fields are skipped
      expected_slot = slot + 1;
      seen_ |= std::uint64_t{1} << slot;
      decode_status status = decode_slot(slot, field.value(), row);
      if (!status) return status;
    }
    // Anything after the object (a second value, garbage) makes the message malformed.
    if (!document.current_location().error()) return malformed();

    const std::size_t slots = projection_.columns.size();
    if (seen_ == (slots == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << slots) - 1)) return {};
    for (std::size_t slot = 0; slot < slots; ++slot) {
      if (seen_ >> slot & 1) continue;
      decode_status status = missing(slot, row);
      if (!status) return status;
    }
    return {};
  }

  /// Appends the projected columns of `row` as one compact JSON object.
  void encode(const row_type& row, std::string& out) const {
    out += '{';
    bool first = true;
    for (std::size_t slot = 0; slot < projection_.columns.size(); ++slot) {
      visit_column<Table>(projection_.columns[slot], [&](auto column) {
        constexpr std::size_t I = decltype(column)::value;
        const auto* value = column_io::value_of(Table::fields::template get<I>(row));
        if (value == nullptr && options_.encode_ignore_null_fields) return;
        std::string_view name = encoded_names_[slot];
        if (first && slot != 0) name.remove_prefix(1);  // the leading comma
        out += name;
        first = false;
        if (value == nullptr)
          out += "null";
        else
          append_value(*value, out);
      });
    }
    out += '}';
  }

 private:
  template <class V>
  void append_value(const V& value, std::string& out) const {
    constexpr sql_type type = column_traits<V>::type;
    if constexpr (type == sql_type::string) {
      append_string(out, value);
    } else if constexpr (type == sql_type::boolean) {
      out += value ? "true" : "false";
    } else if constexpr (type == sql_type::double_ || type == sql_type::float_) {
      // Jackson writes non-finite numbers as strings by default (QUOTE_NON_NUMERIC_NUMBERS).
      const bool finite = std::isfinite(value);
      if (!finite) out += '"';
      if constexpr (type == sql_type::double_)
        text::append_java_double(out, value);
      else
        text::append_java_float(out, value);
      if (!finite) out += '"';
    } else if constexpr (type == sql_type::decimal) {
      text::append_decimal(out, value.unscaled, V::scale, options_.encode_decimal_as_plain_number);
    } else if constexpr (type == sql_type::date) {
      out += '"';
      text::append_date(out, value);
      out += '"';
    } else if constexpr (type == sql_type::timestamp) {
      out += '"';
      text::append_timestamp(out, value,
                             options_.timestamp_standard == text::timestamp_standard::sql
                                 ? text::timestamp_style::sql
                                 : text::timestamp_style::iso_8601);
      out += '"';
    } else {
      text::append_integer(out, static_cast<std::int64_t>(value));
    }
  }

  decode_status malformed() const {
    return decode_status::failure(
        "", "Failed to deserialize JSON '" + std::string(message_.substr(0, 256)) +
                (message_.size() > 256 ? "...'" : "'") + ": not a well-formed JSON object.");
  }

  // The raw key bytes between the quotes; escaped keys (rare) are unescaped by simdjson.
  bool key_of(simdjson::ondemand::field& field, std::string_view& key) {
    const char* begin = reinterpret_cast<const char*>(field.key().raw());
    const char* end = scratch_.get() + message_.size();
    const void* quote = std::memchr(begin, '"', static_cast<std::size_t>(end - begin));
    if (quote == nullptr) return false;
    const auto length = static_cast<std::size_t>(static_cast<const char*>(quote) - begin);
    if (std::memchr(begin, '\\', length) == nullptr) {
      key = std::string_view(begin, length);
      return true;
    }
    return !field.unescaped_key().get(key);
  }

  // The slot whose name is `key`. Producers usually keep one field order, so the slot after
  // the previous match is tried first; otherwise a scan that compares lengths before bytes.
  std::size_t find_slot(std::string_view key, std::size_t expected) const noexcept {
    const auto& names = projection_.names;
    if (expected < names.size() && names[expected] == key) return expected;
    for (std::size_t slot = 0; slot < names.size(); ++slot)
      if (names[slot].size() == key.size() && names[slot] == key) return slot;
    return npos;
  }

  decode_status missing(std::size_t slot, row_type& row) {
    const std::string& name = projection_.names[slot];
    if (options_.fail_on_missing_field)
      return decode_status::failure(name, "Some field is missing in the JSON data.");
    decode_status status;
    visit_column<Table>(projection_.columns[slot], [&](auto column) {
      constexpr std::size_t I = decltype(column)::value;
      if (column_io::set_null(Table::fields::template get<I>(row))) return;
      if (role_ == role::value && Table::is_key_column(I)) return;  // keeps the key's value
      status = decode_status::failure(name, "missing, and the column is NOT NULL");
    });
    return status;
  }

  // The text of a string value between its quotes, and whether it holds escapes.
  static std::string_view string_token(std::string_view token, bool& escaped) noexcept {
    std::size_t close = token.rfind('"');
    std::string_view inner = token.substr(1, close == 0 ? 0 : close - 1);
    escaped = std::memchr(inner.data(), '\\', inner.size()) != nullptr;
    return inner;
  }

  std::string_view to_message(std::string_view in_scratch) const noexcept {
    return std::string_view(message_.data() + (in_scratch.data() - scratch_.get()),
                            in_scratch.size());
  }

  static std::string_view trim_token(std::string_view token) noexcept {
    while (!token.empty() && (token.back() == ' ' || token.back() == '\n' || token.back() == '\r' ||
                              token.back() == '\t'))
      token.remove_suffix(1);
    return token;
  }

  decode_status field_error(std::size_t slot, std::string_view found, std::string_view expected,
                            row_type& row) {
    if (options_.ignore_parse_errors) {
      bool nulled = false;
      visit_column<Table>(projection_.columns[slot], [&](auto column) {
        constexpr std::size_t I = decltype(column)::value;
        nulled = column_io::set_null(Table::fields::template get<I>(row));
      });
      if (nulled) return {};
    }
    std::string message = "cannot read ";
    message += found.size() > 64 ? std::string(found.substr(0, 64)) + "..." : std::string(found);
    message += " as ";
    message += expected;
    return decode_status::failure(projection_.names[slot], std::move(message));
  }

  // RFC 8259 number grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
  static bool is_json_number(std::string_view t) noexcept {
    std::size_t i = 0;
    auto digits = [&] {
      const std::size_t start = i;
      while (i < t.size() && t[i] >= '0' && t[i] <= '9')
        ++i;
      return i > start;
    };
    if (i < t.size() && t[i] == '-') ++i;
    if (i < t.size() && t[i] == '0')
      ++i;
    else if (!digits())
      return false;
    if (i < t.size() && t[i] == '.' && (++i, !digits())) return false;
    if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
      ++i;
      if (i < t.size() && (t[i] == '+' || t[i] == '-')) ++i;
      if (!digits()) return false;
    }
    return i == t.size();
  }

  static bool nested_json(simdjson::ondemand::value& value, simdjson::ondemand::json_type type,
                          std::string_view& token) noexcept {
    if (type == simdjson::ondemand::json_type::object) {
      simdjson::ondemand::object nested;
      return value.get_object().get(nested) || nested.raw_json().get(token);
    }
    simdjson::ondemand::array nested;
    return value.get_array().get(nested) || nested.raw_json().get(token);
  }

  decode_status decode_slot(std::size_t slot, simdjson::ondemand::value value, row_type& row) {
    decode_status status;
    visit_column<Table>(projection_.columns[slot], [&](auto column) {
      constexpr std::size_t I = decltype(column)::value;
      status = decode_member<I>(slot, value, Table::fields::template get<I>(row), row);
    });
    return status;
  }

  template <std::size_t I, class Member>
  decode_status decode_member(std::size_t slot, simdjson::ondemand::value& value, Member& member,
                              row_type& row) {
    using traits = column_traits<Member>;
    using V = typename traits::value_type;
    constexpr sql_type type = traits::type;

    simdjson::ondemand::json_type json_type;
    if (value.type().get(json_type)) return malformed();
    if (json_type == simdjson::ondemand::json_type::null) {
      // type() looks at the first byte only: `nul` or `nullx` is malformed, not NULL.
      bool is_null = false;
      if (value.is_null().get(is_null) || !is_null) return malformed();
      if (column_io::set_null(member)) return {};
      return decode_status::failure(projection_.names[slot], "null, and the column is NOT NULL");
    }
    std::string_view token;
    if (json_type == simdjson::ondemand::json_type::object ||
        json_type == simdjson::ondemand::json_type::array) {
      if (nested_json(value, json_type, token)) return malformed();
      if constexpr (type == sql_type::string) {
        // A STRING column takes a nested value as its JSON text.
        column_io::assign_string(column_io::emplace(member), to_message(token));
        return {};
      } else {
        return field_error(slot, token, sql_type_name(type), row);
      }
    }
    token = trim_token(value.raw_json_token());
    // On-Demand validates atoms only when asked to parse them; Jackson rejects `tru`, `6x`, `01`.
    if (json_type == simdjson::ondemand::json_type::boolean) {
      bool ignored = false;
      if (value.get_bool().get(ignored)) return malformed();
    } else if (json_type == simdjson::ondemand::json_type::number && !is_json_number(token)) {
      return malformed();
    }
    const bool is_string = json_type == simdjson::ondemand::json_type::string;
    bool escaped = false;
    std::string_view content = is_string ? string_token(token, escaped) : token;
    if (is_string && escaped) {
      // Unescape into the parser's string buffer (valid until the next decode).
      if (value.get_string().get(content)) return malformed();
    } else {
      content = to_message(content);
    }

    if constexpr (type == sql_type::string) {
      column_io::assign_string(column_io::emplace(member), content);
      return {};
    } else if constexpr (type == sql_type::boolean) {
      if (json_type == simdjson::ondemand::json_type::boolean)
        column_io::emplace(member) = content == "true";
      else
        column_io::emplace(member) = text::parse_java_boolean(content);
      return {};
    } else if constexpr (type == sql_type::double_ || type == sql_type::float_) {
      double parsed = 0;
      if (json_type == simdjson::ondemand::json_type::number) {
        if (value.get_double().get(parsed))
          return field_error(slot, token, sql_type_name(type), row);
      } else if (is_string) {
        auto maybe = text::parse_java_double(content);
        if (!maybe) return field_error(slot, token, sql_type_name(type), row);
        parsed = *maybe;
      } else {
        return field_error(slot, token, sql_type_name(type), row);
      }
      column_io::emplace(member) = static_cast<V>(parsed);
      return {};
    } else if constexpr (type == sql_type::tinyint || type == sql_type::smallint ||
                         type == sql_type::integer || type == sql_type::bigint) {
      constexpr auto min = static_cast<std::int64_t>(std::numeric_limits<V>::min());
      constexpr auto max = static_cast<std::int64_t>(std::numeric_limits<V>::max());
      std::int64_t parsed = 0;
      if (json_type == simdjson::ondemand::json_type::number) {
        simdjson::ondemand::number_type number_type;
        if (value.get_number_type().get(number_type))
          return field_error(slot, token, sql_type_name(type), row);
        if (number_type == simdjson::ondemand::number_type::floating_point_number) {
          // TINYINT/SMALLINT read a fractional token with Byte/Short.parseXxx(text): an error.
          if constexpr (type == sql_type::tinyint || type == sql_type::smallint)
            return field_error(slot, token, sql_type_name(type), row);
          // Jackson's getIntValue()/getLongValue() truncate a fractional number toward zero.
          double d = 0;
          if (value.get_double().get(d) ||
              !(d >= -9.2233720368547758e18 && d < 9.2233720368547758e18))
            return field_error(slot, token, sql_type_name(type), row);
          parsed = static_cast<std::int64_t>(d);
        } else if (value.get_int64().get(parsed)) {
          return field_error(slot, token, sql_type_name(type), row);
        }
        if (parsed < min || parsed > max) return field_error(slot, token, sql_type_name(type), row);
      } else if (is_string) {
        auto maybe = text::parse_java_integer(content, min, max);
        if (!maybe) return field_error(slot, token, sql_type_name(type), row);
        parsed = *maybe;
      } else {
        return field_error(slot, token, sql_type_name(type), row);
      }
      column_io::emplace(member) = static_cast<V>(parsed);
      return {};
    } else if constexpr (type == sql_type::decimal) {
      if (!is_string && json_type != simdjson::ondemand::json_type::number)
        return field_error(slot, token, sql_type_name(type), row);
      bool malformed_number = false;
      auto unscaled = text::parse_decimal(content, V::precision, V::scale, malformed_number);
      if (malformed_number) return field_error(slot, token, sql_type_name(type), row);
      if (!unscaled) {
        // Flink's DecimalData.fromBigDecimal yields NULL when the precision overflows.
        if (column_io::set_null(member)) return {};
        return decode_status::failure(projection_.names[slot],
                                      "value " + std::string(content) + " does not fit DECIMAL(" +
                                          std::to_string(V::precision) + ", " +
                                          std::to_string(V::scale) + ")");
      }
      column_io::emplace(member).unscaled = *unscaled;
      return {};
    } else if constexpr (type == sql_type::date) {
      auto parsed = is_string ? text::parse_date(content) : std::nullopt;
      if (!parsed) return field_error(slot, token, "DATE (yyyy-MM-dd)", row);
      column_io::emplace(member) = *parsed;
      return {};
    } else if constexpr (type == sql_type::timestamp) {
      auto parsed =
          is_string ? text::parse_timestamp(content, options_.timestamp_standard) : std::nullopt;
      if (!parsed)
        return field_error(slot, token,
                           options_.timestamp_standard == text::timestamp_standard::sql
                               ? "TIMESTAMP (yyyy-MM-dd HH:mm:ss[.fff])"
                               : "TIMESTAMP (yyyy-MM-ddTHH:mm:ss[.fff])",
                           row);
      column_io::emplace(member) = *parsed;
      return {};
    }
    (void)row;
    return {};
  }

  projection projection_;
  options options_;
  role role_;
  std::vector<std::string> encoded_names_;  // `,"name":` per slot, escaped once
  simdjson::ondemand::parser parser_;
  std::unique_ptr<char[]> scratch_;
  std::size_t scratch_capacity_ = 0;
  std::string_view message_;
  std::uint64_t seen_ = 0;
};

}  // namespace upsertkit::json

#endif  // UPSERTKIT_FORMATS_JSON_HPP
