// upsertkit: Flink's plain `avro` format (flink-formats/flink-avro, AvroRowDataSerializationSchema
// and AvroRowDataDeserializationSchema) for one projection of a table, both directions.
//
// A message is one Avro datum in the binary encoding, schemaless: no magic byte, no schema id,
// no container header. The writer and reader schema is the one Flink's AvroSchemaConverter
// derives from the row type: a record named `org.apache.flink.avro.generated.record` whose
// fields are the projected columns in order; a nullable column is the union ["null", T] (null
// first, `"default": null`), a NOT NULL column is plain T. `schema_json()` returns it as text.
//
//   auto projections = upsertkit::table_projections<orders>();
//   upsertkit::avro::codec<orders> value_codec(projections.value);
//   std::string schema = value_codec.schema_json();  // register or compare it
//   Order row;
//   if (auto status = value_codec.decode(message, row); !status) ...  // fail / skip the record
//   std::string out;
//   value_codec.encode(row, out);
//
// Decoding is zero copy: a std::string_view or upsertkit::bytes column points into the message.
// Every length, varint and union index is checked against the bytes that are there, so a truncated
// or hostile message is a decode_status naming the field, never a read past its end.
#ifndef UPSERTKIT_FORMATS_AVRO_HPP
#define UPSERTKIT_FORMATS_AVRO_HPP

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <limits>
#include <map>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "../column_io.hpp"
#include "../config/avro_options.hpp"
#include "../error.hpp"
#include "../option_map.hpp"
#include "../schema.hpp"
#include "../text.hpp"
#include "../types.hpp"

namespace upsertkit::avro {

/// The record's full name that Flink (1.15+, FLINK-25962) gives the derived schema.
inline constexpr std::string_view record_namespace = "org.apache.flink.avro.generated";
inline constexpr std::string_view record_name = "record";

namespace detail {

/// The Avro schema of one column's value type (without the null union), as JSON text.
/// Fixed per member type, so it is a compile-time constant except for DECIMAL's numbers.
template <class Value>
std::string value_schema(const options& opts) {
  constexpr sql_type type = column_traits<Value>::type;
  if constexpr (type == sql_type::string)
    return "\"string\"";
  else if constexpr (type == sql_type::bytes)
    return "\"bytes\"";
  else if constexpr (type == sql_type::boolean)
    return "\"boolean\"";
  else if constexpr (type == sql_type::tinyint || type == sql_type::smallint ||
                     type == sql_type::integer)
    return "\"int\"";
  else if constexpr (type == sql_type::bigint)
    return "\"long\"";
  else if constexpr (type == sql_type::float_)
    return "\"float\"";
  else if constexpr (type == sql_type::double_)
    return "\"double\"";
  else if constexpr (type == sql_type::decimal)
    return "{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":" +
           std::to_string(Value::precision) + ",\"scale\":" + std::to_string(Value::scale) + "}";
  else if constexpr (type == sql_type::date)
    return "{\"type\":\"int\",\"logicalType\":\"date\"}";
  else if constexpr (type == sql_type::time)
    return "{\"type\":\"int\",\"logicalType\":\"time-millis\"}";
  else if constexpr (type == sql_type::timestamp || type == sql_type::timestamp_ltz) {
    // AvroSchemaConverter (Flink 1.20): the legacy mapping (the default) writes TIMESTAMP as
    // timestamp-*; the other writes it as local-timestamp-* and TIMESTAMP_LTZ as timestamp-*.
    const bool micros = column_traits<Value>::precision > 3;
    const bool local = type == sql_type::timestamp && !opts.timestamp_mapping_legacy;
    return std::string("{\"type\":\"long\",\"logicalType\":\"") + (local ? "local-" : "") +
           (micros ? "timestamp-micros\"}" : "timestamp-millis\"}");
  }
}

/// Why Flink cannot derive an Avro schema for a column of member type Member (its exception's
/// message), or empty when it can.
template <class Member>
std::string unsupported_reason(const options& opts) {
  using traits = column_traits<Member>;
  const std::string precision = std::to_string(traits::precision);
  if constexpr (traits::type == sql_type::time) {
    if (traits::precision > 3)
      return "Avro does not support TIME type with precision: " + precision +
             ", it only supports precision less than 3.";
  } else if constexpr (traits::type == sql_type::timestamp) {
    if (opts.timestamp_mapping_legacy && traits::precision > 3)
      return "Avro does not support TIMESTAMP type with precision: " + precision +
             ", it only supports precision less than 3.";
    if (!opts.timestamp_mapping_legacy && traits::precision > 6)
      return "Avro does not support LOCAL TIMESTAMP type with precision: " + precision +
             ", it only supports precision less than 6.";
  } else if constexpr (traits::type == sql_type::timestamp_ltz) {
    if (opts.timestamp_mapping_legacy)
      return "Unsupported to derive Schema for type: TIMESTAMP_LTZ(" + precision + ")" +
             (traits::nullable ? "" : " NOT NULL");
    if (traits::precision > 6)
      return "Avro does not support TIMESTAMP type with precision: " + precision +
             ", it only supports precision less than 6.";
  }
  return {};
}

/// A JSON string literal for a field name (names are identifiers; escape what JSON needs).
inline void append_json_string(std::string& out, std::string_view text) {
  static constexpr char hex[] = "0123456789abcdef";
  out += '"';
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += ch;
    } else if (c < 0x20) {
      out += "\\u00";
      out += hex[c >> 4];
      out += hex[c & 0xF];
    } else {
      out += ch;
    }
  }
  out += '"';
}

inline constexpr std::uint64_t zigzag(std::int64_t n) noexcept {
  return (static_cast<std::uint64_t>(n) << 1) ^ static_cast<std::uint64_t>(n >> 63);
}

inline constexpr std::int64_t unzigzag(std::uint64_t n) noexcept {
  return static_cast<std::int64_t>(n >> 1) ^ -static_cast<std::int64_t>(n & 1);
}

inline void append_varint(std::string& out, std::uint64_t n) {
  char buf[10];
  std::size_t len = 0;
  while (n >= 0x80) {
    buf[len++] = static_cast<char>((n & 0x7F) | 0x80);
    n >>= 7;
  }
  buf[len++] = static_cast<char>(n);
  out.append(buf, len);
}

inline void append_long(std::string& out, std::int64_t n) {
  append_varint(out, zigzag(n));
}

inline void append_bytes(std::string& out, std::string_view bytes) {
  append_long(out, static_cast<std::int64_t>(bytes.size()));
  out.append(bytes);
}

template <class Bits>
inline void append_little_endian(std::string& out, Bits bits) {
  char buf[sizeof(Bits)];
  for (std::size_t i = 0; i < sizeof(Bits); ++i)
    buf[i] = static_cast<char>((bits >> (8 * i)) & 0xFF);
  out.append(buf, sizeof(Bits));
}

/// The unscaled value as Java's BigInteger.toByteArray(): the shortest big-endian two's
/// complement that holds it (at least one byte), which is what Flink writes for DECIMAL.
template <class Unscaled>
void append_decimal_bytes(std::string& out, Unscaled unscaled) {
  static_assert(std::is_same_v<Unscaled, std::int64_t> || std::is_same_v<Unscaled, int128>);
  using bits_type = std::conditional_t<std::is_same_v<Unscaled, int128>, uint128, std::uint64_t>;
  constexpr std::size_t width = sizeof(bits_type);
  char buf[width];
  std::size_t n = width;
  for (std::size_t i = 0; i < width; ++i)
    buf[width - 1 - i] = static_cast<char>((static_cast<bits_type>(unscaled) >> (8 * i)) & 0xFF);
  std::size_t start = 0;
  // Drop a leading byte while it is only sign extension of the next one.
  while (start < width - 1) {
    const auto b = static_cast<unsigned char>(buf[start]);
    const auto next = static_cast<unsigned char>(buf[start + 1]);
    if ((b == 0x00 && next < 0x80) || (b == 0xFF && next >= 0x80))
      ++start;
    else
      break;
  }
  n -= start;
  append_long(out, static_cast<std::int64_t>(n));
  out.append(buf + start, n);
}

}  // namespace detail

/// The Avro schema (JSON text, Avro's own compact spelling) that Flink derives for the
/// columns of `columns`, in order, under the names the message uses.
template <class Table>
std::string schema_json(const projection& columns, const options& opts = {}) {
  std::string out = "{\"type\":\"record\",\"name\":\"";
  out += record_name;
  out += "\",\"namespace\":\"";
  out += record_namespace;
  out += "\",\"fields\":[";
  for (std::size_t i = 0; i < columns.columns.size(); ++i) {
    if (i > 0) out += ',';
    const std::uint16_t column = columns.columns[i];
    out += "{\"name\":";
    detail::append_json_string(out, i < columns.names.size()
                                        ? std::string_view(columns.names[i])
                                        : std::string_view(Table::column_names[column]));
    out += ",\"type\":";
    visit_column<Table>(column, [&](auto index) {
      using traits = typename Table::template column<decltype(index)::value>;
      const std::string value = detail::value_schema<typename traits::value_type>(opts);
      if constexpr (traits::nullable)
        out += "[\"null\"," + value + "],\"default\":null";
      else
        out += value;
    });
    out += '}';
  }
  out += "]}";
  return out;
}

/// The schema of a whole table (every column, field order, field names).
template <class Table>
std::string schema_json(const options& opts = {}) {
  projection all;
  for (std::size_t i = 0; i < Table::column_count; ++i) {
    all.columns.push_back(static_cast<std::uint16_t>(i));
    all.names.emplace_back(Table::column_names[i]);
  }
  return schema_json<Table>(all, opts);
}

/// Reads and writes the projected columns of `Table` as one schemaless Avro binary datum.
/// Decode keeps no state between messages; encode is const.
template <class Table>
class codec {
 public:
  using row_type = typename Table::row_type;

  explicit codec(projection columns, options opts = {})
      : columns_(std::move(columns)), opts_(opts) {
    for (std::uint16_t column : columns_.columns) {
      if (column >= Table::column_count)
        throw config_error("avro codec: projection column " + std::to_string(column) +
                           " is not a column of the table");
      // Flink fails when it derives the schema; so does the codec, with Flink's text.
      visit_column<Table>(column, [&](auto index) {
        using member = typename Table::template member_type<decltype(index)::value>;
        if (std::string reason = detail::unsupported_reason<member>(opts_); !reason.empty())
          throw config_error(std::move(reason));
      });
    }
  }

  const options& format_options() const noexcept { return opts_; }
  const projection& columns() const noexcept { return columns_; }

  /// The Avro schema this codec writes and expects, as JSON text.
  std::string schema_json() const { return avro::schema_json<Table>(columns_, opts_); }

  /// Decodes one message into the projected members of `row`. String views and
  /// upsertkit::bytes point into `message`. Never throws, never allocates for a std::string_view
  /// row.
  decode_status decode(std::string_view message, row_type& row) const {
    reader in{message, 0};
    decode_status status;
    for (std::size_t i = 0; i < columns_.columns.size() && status.ok(); ++i) {
      visit_column<Table>(columns_.columns[i], [&](auto index) {
        status = read_member(in, Table::fields::template get<decltype(index)::value>(row),
                             field_name(i));
      });
    }
    if (status.ok() && in.pos != message.size())
      return decode_status::failure(
          "", std::to_string(message.size() - in.pos) +
                  " byte(s) after the end of the Avro record (was it written with another "
                  "schema, or framed by a schema registry?)");
    return status;
  }

  /// Appends the projected columns of `row` to `out` as one Avro binary datum.
  void encode(const row_type& row, std::string& out) const {
    for (std::uint16_t column : columns_.columns)
      visit_column<Table>(column, [&](auto index) {
        write_member(Table::fields::template get<decltype(index)::value>(row), out);
      });
  }

 private:
  struct reader {
    std::string_view bytes;
    std::size_t pos;
    std::size_t left() const noexcept { return bytes.size() - pos; }
  };

  std::string_view field_name(std::size_t i) const noexcept {
    if (i < columns_.names.size()) return columns_.names[i];
    return Table::column_names[columns_.columns[i]];
  }

  static decode_status truncated(std::string_view name, std::size_t needed, std::size_t left) {
    return decode_status::failure(name, "truncated message: " + std::to_string(needed) +
                                            " byte(s) needed, " + std::to_string(left) + " left");
  }

  // A zig-zag varint of at most `max_bytes` bytes whose value fits `bits` bits (64: a long,
  // 10 bytes; 32: an int, 5 bytes). Overlong or overflowing encodings are errors.
  static decode_status read_varint(reader& in, std::string_view name, int bits, std::int64_t& out) {
    const std::size_t max_bytes = bits == 64 ? 10 : 5;
    std::uint64_t value = 0;
    for (std::size_t i = 0;; ++i) {
      if (i == in.left())
        return decode_status::failure(name, "truncated message: the varint at byte " +
                                                std::to_string(in.pos) + " is not complete");
      if (i == max_bytes)
        return decode_status::failure(
            name, std::string("invalid ") + (bits == 64 ? "long" : "int") +
                      " encoding: varint longer than " + std::to_string(max_bytes) + " bytes");
      const auto b = static_cast<unsigned char>(in.bytes[in.pos + i]);
      const unsigned shift = static_cast<unsigned>(7 * i);
      // The last allowed byte may only carry the bits that are left (1 for a long, 4 for an int).
      if (i + 1 == max_bytes && (b & 0x7F) >> (static_cast<unsigned>(bits) - shift) != 0)
        return decode_status::failure(
            name, std::string("invalid ") + (bits == 64 ? "long" : "int") +
                      " encoding: the value overflows " + std::to_string(bits) + " bits");
      value |= static_cast<std::uint64_t>(b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        in.pos += i + 1;
        out = detail::unzigzag(value);
        return {};
      }
    }
  }

  // A length-prefixed byte string (Avro string and bytes), as a view into the message.
  static decode_status read_bytes(reader& in, std::string_view name, std::string_view& out) {
    std::int64_t length = 0;
    if (decode_status s = read_varint(in, name, 64, length); !s.ok()) return s;
    if (length < 0)
      return decode_status::failure(
          name, "malformed data: length is negative: " + std::to_string(length));
    if (static_cast<std::uint64_t>(length) > in.left())
      return truncated(name, static_cast<std::size_t>(length), in.left());
    out = in.bytes.substr(in.pos, static_cast<std::size_t>(length));
    in.pos += static_cast<std::size_t>(length);
    return {};
  }

  template <class Bits>
  static decode_status read_fixed(reader& in, std::string_view name, Bits& out) {
    if (in.left() < sizeof(Bits)) return truncated(name, sizeof(Bits), in.left());
    Bits bits = 0;
    for (std::size_t i = 0; i < sizeof(Bits); ++i)
      bits |= static_cast<Bits>(static_cast<unsigned char>(in.bytes[in.pos + i])) << (8 * i);
    in.pos += sizeof(Bits);
    out = bits;
    return {};
  }

  // A temporal value from the count Avro carries (milliseconds or microseconds since the
  // epoch, milliseconds of the day), truncated to the column's precision.
  template <class Member>
  static decode_status store_temporal(Member& member, std::string_view name, std::int64_t count,
                                      std::int64_t nanos_per_unit) {
    using V = typename column_traits<Member>::value_type;
    constexpr std::int64_t nanos_per_day = 86'400'000'000'000;
    const std::int64_t units_per_day = nanos_per_day / nanos_per_unit;
    std::int64_t days = count / units_per_day, rest = count % units_per_day;
    if (rest < 0) {
      rest += units_per_day;
      --days;
    }
    if constexpr (column_traits<Member>::type == sql_type::time) {
      if (days != 0)
        return decode_status::failure(
            name, "invalid time-millis: " + std::to_string(count) + " is not a time of day");
    }
    const auto value = join_day_time<V>({days, rest * nanos_per_unit});
    if (!value)
      return decode_status::failure(name, "value " + std::to_string(count) + " out of range for " +
                                              upsertkit::detail::sql_type_text<V>());
    column_io::emplace(member) = *value;
    return {};
  }

  template <class Member>
  static decode_status read_member(reader& in, Member& member, std::string_view name) {
    using traits = column_traits<Member>;
    if constexpr (traits::nullable) {
      std::int64_t branch = 0;
      if (decode_status s = read_varint(in, name, 32, branch); !s.ok()) return s;
      if (branch == 0) {
        member.reset();
        return {};
      }
      if (branch != 1)
        return decode_status::failure(name, "union index " + std::to_string(branch) +
                                                " out of range for [\"null\", T] (0 or 1)");
    }
    return read_value(in, member, name);
  }

  template <class Member>
  static decode_status read_value(reader& in, Member& member, std::string_view name) {
    using traits = column_traits<Member>;
    using V = typename traits::value_type;
    constexpr sql_type type = traits::type;
    if constexpr (type == sql_type::string) {
      std::string_view text;
      if (decode_status s = read_bytes(in, name, text); !s.ok()) return s;
      column_io::assign_string(column_io::emplace(member), text);
    } else if constexpr (type == sql_type::bytes) {
      std::string_view data;
      if (decode_status s = read_bytes(in, name, data); !s.ok()) return s;
      column_io::emplace(member) = bytes(data);
    } else if constexpr (type == sql_type::boolean) {
      if (in.left() < 1) return truncated(name, 1, 0);
      const auto b = static_cast<unsigned char>(in.bytes[in.pos]);
      if (b > 1)
        return decode_status::failure(
            name, "invalid boolean: byte " + std::to_string(b) + " is neither 0 nor 1");
      ++in.pos;
      column_io::emplace(member) = b == 1;
    } else if constexpr (type == sql_type::tinyint || type == sql_type::smallint ||
                         type == sql_type::integer || type == sql_type::date) {
      std::int64_t n = 0;
      if (decode_status s = read_varint(in, name, 32, n); !s.ok()) return s;
      if constexpr (type == sql_type::date) {
        column_io::emplace(member) = date{static_cast<std::int32_t>(n)};
      } else {
        if (n < std::numeric_limits<V>::min() || n > std::numeric_limits<V>::max())
          return decode_status::failure(name, "value " + std::to_string(n) + " out of range for " +
                                                  upsertkit::detail::sql_type_text<V>());
        column_io::emplace(member) = static_cast<V>(n);
      }
    } else if constexpr (type == sql_type::time) {
      std::int64_t n = 0;
      if (decode_status s = read_varint(in, name, 32, n); !s.ok()) return s;
      return store_temporal(member, name, n, 1'000'000);
    } else if constexpr (type == sql_type::timestamp || type == sql_type::timestamp_ltz) {
      std::int64_t n = 0;
      if (decode_status s = read_varint(in, name, 64, n); !s.ok()) return s;
      return store_temporal(member, name, n, traits::precision > 3 ? 1'000 : 1'000'000);
    } else if constexpr (type == sql_type::bigint) {
      std::int64_t n = 0;
      if (decode_status s = read_varint(in, name, 64, n); !s.ok()) return s;
      column_io::emplace(member) = n;
    } else if constexpr (type == sql_type::float_) {
      std::uint32_t bits = 0;
      if (decode_status s = read_fixed(in, name, bits); !s.ok()) return s;
      float value;
      std::memcpy(&value, &bits, sizeof value);
      column_io::emplace(member) = value;
    } else if constexpr (type == sql_type::double_) {
      std::uint64_t bits = 0;
      if (decode_status s = read_fixed(in, name, bits); !s.ok()) return s;
      double value;
      std::memcpy(&value, &bits, sizeof value);
      column_io::emplace(member) = value;
    } else if constexpr (type == sql_type::decimal) {
      std::string_view bytes;
      if (decode_status s = read_bytes(in, name, bytes); !s.ok()) return s;
      // new BigInteger(bytes): big-endian two's complement; zero bytes is an error in Java.
      if (bytes.empty())
        return decode_status::failure(name, "invalid decimal: zero-length unscaled value");
      const bool negative = static_cast<unsigned char>(bytes[0]) >= 0x80;
      // Leading sign-extension bytes carry no value; what is left must fit an int64.
      std::size_t start = 0;
      const unsigned char fill = negative ? 0xFF : 0x00;
      while (start + 1 < bytes.size() && static_cast<unsigned char>(bytes[start]) == fill &&
             ((static_cast<unsigned char>(bytes[start + 1]) >= 0x80) == negative))
        ++start;
      using unscaled_type = typename V::unscaled_type;
      using bits_type =
          std::conditional_t<std::is_same_v<unscaled_type, int128>, uint128, std::uint64_t>;
      bool fits = bytes.size() - start <= sizeof(bits_type);
      unscaled_type unscaled = 0;
      if (fits) {
        bits_type bits = negative ? ~bits_type{0} : 0;
        for (std::size_t i = start; i < bytes.size(); ++i)
          bits = (bits << 8) | static_cast<unsigned char>(bytes[i]);
        unscaled = static_cast<unscaled_type>(bits);
        unscaled_type limit = 1;
        for (int p = 0; p < V::precision; ++p)
          limit *= 10;
        fits = unscaled < limit && unscaled > -limit;
      }
      if (!fits) {
        // DecimalData.fromUnscaledBytes returns null when the precision overflows.
        if (column_io::set_null(member)) return {};
        return decode_status::failure(name,
                                      "null value for NOT NULL column (the unscaled value "
                                      "overflows " +
                                          upsertkit::detail::sql_type_text<V>() + ")");
      }
      column_io::emplace(member) = V{unscaled};
    }
    return {};
  }

  template <class Member>
  static void write_member(const Member& member, std::string& out) {
    using traits = column_traits<Member>;
    constexpr sql_type type = traits::type;
    const auto* value = column_io::value_of(member);
    if constexpr (traits::nullable) {
      if (!value) {
        out += '\0';  // union branch 0: null
        return;
      }
      out += '\x02';  // union branch 1 (zig-zag 1 = 2)
    }
    if constexpr (type == sql_type::string) {
      detail::append_bytes(out, std::string_view(*value));
    } else if constexpr (type == sql_type::bytes) {
      detail::append_bytes(out, value->view());
    } else if constexpr (type == sql_type::boolean) {
      out += *value ? '\x01' : '\0';
    } else if constexpr (type == sql_type::tinyint || type == sql_type::smallint ||
                         type == sql_type::integer || type == sql_type::bigint) {
      detail::append_long(out, static_cast<std::int64_t>(*value));
    } else if constexpr (type == sql_type::date) {
      detail::append_long(out, value->days_since_epoch);
    } else if constexpr (type == sql_type::time) {
      detail::append_long(out, split_day_time(*value).nanos_of_day / 1'000'000);
    } else if constexpr (type == sql_type::timestamp || type == sql_type::timestamp_ltz) {
      // Milliseconds (precision <= 3) or microseconds since the epoch; the schema says which.
      const day_time split = split_day_time(*value);
      constexpr std::int64_t nanos_per_unit = traits::precision > 3 ? 1'000 : 1'000'000;
      detail::append_long(out, split.days * (86'400'000'000'000 / nanos_per_unit) +
                                   split.nanos_of_day / nanos_per_unit);
    } else if constexpr (type == sql_type::float_) {
      std::uint32_t bits;
      std::memcpy(&bits, value, sizeof bits);
      detail::append_little_endian(out, bits);
    } else if constexpr (type == sql_type::double_) {
      std::uint64_t bits;
      std::memcpy(&bits, value, sizeof bits);
      detail::append_little_endian(out, bits);
    } else if constexpr (type == sql_type::decimal) {
      detail::append_decimal_bytes(out, value->unscaled);
    }
  }

  projection columns_;
  options opts_;
};

}  // namespace upsertkit::avro

#endif  // UPSERTKIT_FORMATS_AVRO_HPP
