// upsertkit: Flink's plain `avro` format (flink-formats/flink-avro, AvroRowDataSerializationSchema
// and AvroRowDataDeserializationSchema) for one projection of a table, both directions.
//
// A message is one Avro datum in the binary encoding, schemaless: no magic byte, no schema id,
// no container header. The writer and reader schema is the one Flink's AvroSchemaConverter
// derives from the row type: a record named `org.apache.flink.avro.generated.record` whose
// fields are the projected columns in order; a nullable column is the union ["null", T] (null
// first, `"default": null`), a NOT NULL column is plain T. `schema_json()` returns it as text.
// Nested columns map as Flink's converter maps them: ARRAY is an Avro array, MAP and MULTISET
// an Avro map (string keys only; a MULTISET's values are its ["null", "int"] counts), ROW a
// nested record named `record_<column>[_<field>...]` in the same namespace. Every field of a
// nullable ROW is nullable there, NOT NULL members too: Flink's planner resolves the row type
// that way, and its schema is derived from that.
//
//   auto projections = upsertkit::table_projections<orders>();
//   upsertkit::avro::codec<orders> value_codec(projections.value);
//   std::string schema = value_codec.schema_json();  // register or compare it
//   Order row;
//   if (auto status = value_codec.decode(message, row); !status) ...  // fail / skip the record
//   std::string out;
//   value_codec.encode(row, out);
//
// Decoding is zero copy: a std::string_view or upsertkit::bytes column or element points into the
// message. Every length, varint, block count and union index is checked against the bytes that
// are there, so a truncated or hostile message is a decode_status naming the field and the path
// inside it (`home.zip`, `visits[2].amount`, `attributes["k"]`), never a read past its end.
#ifndef UPSERTKIT_FORMATS_AVRO_HPP
#define UPSERTKIT_FORMATS_AVRO_HPP

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <limits>
#include <map>
#include <optional>
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

/// Java's Avro reads no ARRAY or MAP with more items than this (SystemLimitException's
/// MAX_ARRAY_VM_LIMIT, Integer.MAX_VALUE - 8); neither does the codec.
inline constexpr std::int64_t max_collection_items = 2'147'483'639;

template <class Member>
void append_schema(std::string& out, bool legacy, std::string_view record_name, bool nullable);

template <class Member>
void append_field_schema(std::string& out, std::string_view field, bool legacy,
                         std::string_view record_name, bool in_nullable_row);

/// The Avro schema of one value type (without the null union), appended as JSON text.
/// `legacy` is the timestamp mapping in effect at this depth, `record_name` the name a ROW
/// here gets (see append_schema) and `nullable` whether the value is nullable in Flink's row
/// type (a ROW's fields then are too).
template <class Value>
void append_value_schema(std::string& out, [[maybe_unused]] bool legacy,
                         [[maybe_unused]] std::string_view record_name,
                         [[maybe_unused]] bool nullable) {
  constexpr sql_type type = column_traits<Value>::type;
  if constexpr (type == sql_type::string) {
    out += "\"string\"";
  } else if constexpr (type == sql_type::bytes) {
    out += "\"bytes\"";
  } else if constexpr (type == sql_type::boolean) {
    out += "\"boolean\"";
  } else if constexpr (type == sql_type::tinyint || type == sql_type::smallint ||
                       type == sql_type::integer) {
    out += "\"int\"";
  } else if constexpr (type == sql_type::bigint) {
    out += "\"long\"";
  } else if constexpr (type == sql_type::float_) {
    out += "\"float\"";
  } else if constexpr (type == sql_type::double_) {
    out += "\"double\"";
  } else if constexpr (type == sql_type::decimal) {
    out += "{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":" +
           std::to_string(Value::precision) + ",\"scale\":" + std::to_string(Value::scale) + "}";
  } else if constexpr (type == sql_type::date) {
    out += "{\"type\":\"int\",\"logicalType\":\"date\"}";
  } else if constexpr (type == sql_type::time) {
    out += "{\"type\":\"int\",\"logicalType\":\"time-millis\"}";
  } else if constexpr (type == sql_type::timestamp || type == sql_type::timestamp_ltz) {
    // AvroSchemaConverter (Flink 1.20): the legacy mapping (the default) writes TIMESTAMP as
    // timestamp-*; the other writes it as local-timestamp-* and TIMESTAMP_LTZ as timestamp-*.
    const bool micros = column_traits<Value>::precision > 3;
    const bool local = type == sql_type::timestamp && !legacy;
    out += std::string("{\"type\":\"long\",\"logicalType\":\"") + (local ? "local-" : "") +
           (micros ? "timestamp-micros\"}" : "timestamp-millis\"}");
  } else if constexpr (type == sql_type::array) {
    // Flink converts an ARRAY's element and a MAP's value with the overload that takes no
    // timestamp mapping, so below them the legacy mapping holds whatever the option says.
    out += "{\"type\":\"array\",\"items\":";
    using element = typename Value::value_type;
    append_schema<element>(out, true, record_name, column_traits<element>::nullable);
    out += '}';
  } else if constexpr (type == sql_type::map) {
    out += "{\"type\":\"map\",\"values\":";
    using mapped = typename Value::mapped_type;
    append_schema<mapped>(out, true, record_name, column_traits<mapped>::nullable);
    out += '}';
  } else if constexpr (type == sql_type::multiset) {
    // The count is Flink's `new IntType()`, which is nullable.
    out += "{\"type\":\"map\",\"values\":[\"null\",\"int\"]}";
  } else if constexpr (type == sql_type::row) {
    // A nested record has the name Flink passes down (`record_home`, `record_home_geo`), in
    // the enclosing namespace, which Avro's text then leaves out.
    out += "{\"type\":\"record\",\"name\":";
    append_json_string(out, record_name);
    out += ",\"fields\":[";
    for_each_field<Value>([&](auto index) {
      constexpr std::size_t i = decltype(index)::value;
      if (i > 0) out += ',';
      append_field_schema<typename struct_fields<Value>::template member_type<i>>(
          out, struct_fields<Value>::names[i], legacy, record_name, nullable);
    });
    out += "]}";
  }
}

/// The schema of a member: ["null", T] when it is nullable in Flink's row type, else T. A ROW
/// in it is named `record_name`.
template <class Member>
void append_schema(std::string& out, bool legacy, std::string_view record_name, bool nullable) {
  if (nullable) out += "[\"null\",";
  append_value_schema<typename column_traits<Member>::value_type>(out, legacy, record_name,
                                                                  nullable);
  if (nullable) out += ']';
}

/// A record's field: a nullable one defaults to null, a NOT NULL one has no default. A ROW in
/// it is named `<record_name>_<field>`, as Flink's AvroSchemaConverter names it. Every field of
/// a nullable ROW is nullable: Flink's planner resolves `ROW<x INT NOT NULL>` as `ROW<x INT>`
/// unless the ROW is NOT NULL, and derives the schema from that.
template <class Member>
void append_field_schema(std::string& out, std::string_view field, bool legacy,
                         std::string_view record_name, bool in_nullable_row) {
  const bool nullable = column_traits<Member>::nullable || in_nullable_row;
  out += "{\"name\":";
  append_json_string(out, field);
  out += ",\"type\":";
  std::string nested_name(record_name);
  nested_name += '_';
  nested_name += field;
  append_schema<Member>(out, legacy, nested_name, nullable);
  if (nullable) out += ",\"default\":null";
  out += '}';
}

/// Flink's LogicalType.asSummaryString() of Member's type, without its own NOT NULL: as
/// sql_type_text, but a ROW's field names are in backquotes and its fields are nullable when it
/// is (`nullable`), as Flink resolves them. A MAP key and a MULTISET element, NOT NULL in
/// upsertkit, are written as the DDL usually has them: nullable.
template <class Member>
std::string summary_text([[maybe_unused]] bool nullable) {
  using traits = column_traits<Member>;
  using V = typename traits::value_type;
  const auto part = [](auto type, bool part_nullable) {
    return summary_text<typename decltype(type)::type>(part_nullable) +
           (part_nullable ? "" : " NOT NULL");
  };
  if constexpr (traits::type == sql_type::array) {
    using element = typename V::value_type;
    return "ARRAY<" + part(std::type_identity<element>{}, column_traits<element>::nullable) + ">";
  } else if constexpr (traits::type == sql_type::map) {
    using mapped = typename V::mapped_type;
    return "MAP<" + summary_text<typename V::key_type>(true) + ", " +
           part(std::type_identity<mapped>{}, column_traits<mapped>::nullable) + ">";
  } else if constexpr (traits::type == sql_type::multiset) {
    return "MULTISET<" + summary_text<typename V::element_type>(true) + ">";
  } else if constexpr (traits::type == sql_type::row) {
    std::string text = "ROW<";
    for_each_field<V>([&](auto index) {
      constexpr std::size_t i = decltype(index)::value;
      using field = typename struct_fields<V>::template member_type<i>;
      if (i > 0) text += ", ";
      text += '`';
      text += struct_fields<V>::names[i];
      text += "` ";
      text += part(std::type_identity<field>{}, column_traits<field>::nullable || nullable);
    });
    return text + ">";
  } else {
    return upsertkit::detail::sql_type_text<Member>();
  }
}

/// AvroSchemaConverter.extractValueTypeToAvroMap: an Avro map's keys are strings, so a MAP's
/// key and a MULTISET's element must be.
template <class Key>
std::string map_key_reason() {
  if constexpr (column_traits<Key>::type == sql_type::string)
    return {};
  else
    return "Avro format doesn't support non-string as key type of map. The key type is: " +
           summary_text<Key>(true);
}

/// Why Flink cannot derive an Avro schema for a member of type Member (its exception's message),
/// or empty when it can. `legacy` is the timestamp mapping in effect at this depth and
/// `in_nullable_row` whether the member is a field of a nullable ROW (so nullable itself, see
/// append_field_schema); the checks run in the order AvroSchemaConverter.convertToSchema meets
/// the types.
template <class Member>
std::string unsupported_reason([[maybe_unused]] bool legacy,
                               [[maybe_unused]] bool in_nullable_row = false) {
  using traits = column_traits<Member>;
  using V = typename traits::value_type;
  [[maybe_unused]] const bool nullable = traits::nullable || in_nullable_row;
  const std::string precision = std::to_string(traits::precision);
  if constexpr (traits::type == sql_type::time) {
    if (traits::precision > 3)
      return "Avro does not support TIME type with precision: " + precision +
             ", it only supports precision less than 3.";
  } else if constexpr (traits::type == sql_type::timestamp) {
    if (legacy && traits::precision > 3)
      return "Avro does not support TIMESTAMP type with precision: " + precision +
             ", it only supports precision less than 3.";
    if (!legacy && traits::precision > 6)
      return "Avro does not support LOCAL TIMESTAMP type with precision: " + precision +
             ", it only supports precision less than 6.";
  } else if constexpr (traits::type == sql_type::timestamp_ltz) {
    if (legacy)
      return "Unsupported to derive Schema for type: TIMESTAMP_LTZ(" + precision + ")" +
             (nullable ? "" : " NOT NULL");
    if (traits::precision > 6)
      return "Avro does not support TIMESTAMP type with precision: " + precision +
             ", it only supports precision less than 6.";
  } else if constexpr (traits::type == sql_type::array) {
    return unsupported_reason<typename V::value_type>(true);
  } else if constexpr (traits::type == sql_type::map) {
    if (std::string reason = map_key_reason<typename V::key_type>(); !reason.empty()) return reason;
    return unsupported_reason<typename V::mapped_type>(true);
  } else if constexpr (traits::type == sql_type::multiset) {
    return map_key_reason<typename V::element_type>();
  } else if constexpr (traits::type == sql_type::row) {
    std::string reason;
    for_each_field<V>([&](auto index) {
      if (reason.empty())
        reason = unsupported_reason<
            typename struct_fields<V>::template member_type<decltype(index)::value>>(legacy,
                                                                                     nullable);
    });
    return reason;
  }
  return {};
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
    const std::string_view name = i < columns.names.size()
                                      ? std::string_view(columns.names[i])
                                      : std::string_view(Table::column_names[column]);
    visit_column<Table>(column, [&](auto index) {
      detail::append_field_schema<typename Table::template member_type<decltype(index)::value>>(
          out, name, opts.timestamp_mapping_legacy, record_name, false);
    });
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

namespace detail {

/// Where a value is in the message, for an error's field name: `home.zip`, `visits[2].amount`,
/// `attributes["k"]`. One link per nesting level, on the stack; spelt only for an error, so a
/// message that decodes costs no string work.
struct value_path {
  enum class step : std::uint8_t { column, field, element, key };
  const value_path* parent = nullptr;
  step kind = step::column;
  std::string_view name;   // the column, the ROW field or the MAP key (a view into the message)
  std::int64_t index = 0;  // the ARRAY element

  std::string spell() const {
    std::string text = parent ? parent->spell() : std::string();
    switch (kind) {
      case step::column:
        text += name;
        break;
      case step::field:
        text += '.';
        text += name;
        break;
      case step::element:
        text += '[';
        text += std::to_string(index);
        text += ']';
        break;
      case step::key:
        text += "[\"";
        text += name;
        text += "\"]";
        break;
    }
    return text;
  }
};

/// The fewest bytes a value of this member takes in Avro binary: a bound on how many items a
/// block of an ARRAY or MAP can claim in the bytes left. Only a ROW without fields takes none.
template <class Member>
constexpr std::size_t min_encoded_bytes() {
  using traits = column_traits<Member>;
  using V = typename traits::value_type;
  if constexpr (traits::nullable)
    return 1;  // the union index
  else if constexpr (traits::type == sql_type::float_)
    return 4;
  else if constexpr (traits::type == sql_type::double_)
    return 8;
  else if constexpr (traits::type == sql_type::row) {
    std::size_t bytes = 0;
    for_each_field<V>([&](auto index) {
      bytes += min_encoded_bytes<
          typename struct_fields<V>::template member_type<decltype(index)::value>>();
    });
    return bytes;
  } else {
    return 1;  // a varint, a length, a boolean byte or an empty collection's 0
  }
}

/// Whether an Avro map can carry this MAP or MULTISET value: its keys are strings. The codec
/// refuses the others when it is built.
template <class Value>
constexpr bool has_string_keys() {
  if constexpr (upsertkit::detail::is_multiset<Value>)
    return column_traits<typename Value::element_type>::type == sql_type::string;
  else
    return column_traits<typename Value::key_type>::type == sql_type::string;
}

}  // namespace detail

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
        if (std::string reason = detail::unsupported_reason<member>(opts_.timestamp_mapping_legacy);
            !reason.empty())
          throw config_error(std::move(reason));
      });
    }
  }

  const options& format_options() const noexcept { return opts_; }
  const projection& columns() const noexcept { return columns_; }

  /// The Avro schema this codec writes and expects, as JSON text.
  std::string schema_json() const { return avro::schema_json<Table>(columns_, opts_); }

  /// Decodes one message into the projected members of `row`. String views and
  /// upsertkit::bytes, top-level or nested, point into `message`. Never throws (but for
  /// std::bad_alloc), never allocates for a row of scalar std::string_view columns; ARRAY, MAP
  /// and MULTISET members allocate their elements (reusing their capacity).
  decode_status decode(std::string_view message, row_type& row) const {
    reader in{message, 0};
    decode_status status;
    for (std::size_t i = 0; i < columns_.columns.size() && status.ok(); ++i) {
      visit_column<Table>(columns_.columns[i], [&](auto index) {
        const path column{nullptr, path::step::column, field_name(i), 0};
        status = read_member(in, Table::fields::template get<decltype(index)::value>(row), column);
      });
    }
    if (status.ok() && in.pos != message.size())
      return decode_status::failure(
          "", std::to_string(message.size() - in.pos) +
                  " byte(s) after the end of the Avro record (was it written with another "
                  "schema, or framed by a schema registry?)");
    return status;
  }

  /// Appends the projected columns of `row` to `out` as one Avro binary datum. An ARRAY or MAP
  /// is one block and the end marker, as Avro's BinaryEncoder writes it (an empty one is just
  /// the end marker); a MAP's entries go in std::map order.
  void encode(const row_type& row, std::string& out) const {
    for (std::uint16_t column : columns_.columns)
      visit_column<Table>(column, [&](auto index) {
        write_member(Table::fields::template get<decltype(index)::value>(row), out);
      });
  }

 private:
  using path = detail::value_path;

  struct reader {
    std::string_view bytes;
    std::size_t pos;
    std::size_t left() const noexcept { return bytes.size() - pos; }
  };

  std::string_view field_name(std::size_t i) const noexcept {
    if (i < columns_.names.size()) return columns_.names[i];
    return Table::column_names[columns_.columns[i]];
  }

  static decode_status failure(const path& where, std::string message) {
    return decode_status::failure(where.spell(), std::move(message));
  }

  static decode_status truncated(const path& where, std::size_t needed, std::size_t left) {
    return failure(where, "truncated message: " + std::to_string(needed) + " byte(s) needed, " +
                              std::to_string(left) + " left");
  }

  // A zig-zag varint of at most `max_bytes` bytes whose value fits `bits` bits (64: a long,
  // 10 bytes; 32: an int, 5 bytes). Overlong or overflowing encodings are errors.
  static decode_status read_varint(reader& in, const path& where, int bits, std::int64_t& out) {
    const std::size_t max_bytes = bits == 64 ? 10 : 5;
    std::uint64_t value = 0;
    for (std::size_t i = 0;; ++i) {
      if (i == in.left())
        return failure(where, "truncated message: the varint at byte " + std::to_string(in.pos) +
                                  " is not complete");
      if (i == max_bytes)
        return failure(where, std::string("invalid ") + (bits == 64 ? "long" : "int") +
                                  " encoding: varint longer than " + std::to_string(max_bytes) +
                                  " bytes");
      const auto b = static_cast<unsigned char>(in.bytes[in.pos + i]);
      const unsigned shift = static_cast<unsigned>(7 * i);
      // The last allowed byte may only carry the bits that are left (1 for a long, 4 for an int).
      if (i + 1 == max_bytes && (b & 0x7F) >> (static_cast<unsigned>(bits) - shift) != 0)
        return failure(where, std::string("invalid ") + (bits == 64 ? "long" : "int") +
                                  " encoding: the value overflows " + std::to_string(bits) +
                                  " bits");
      value |= static_cast<std::uint64_t>(b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        in.pos += i + 1;
        out = detail::unzigzag(value);
        return {};
      }
    }
  }

  // A length-prefixed byte string (Avro string and bytes), as a view into the message.
  static decode_status read_bytes(reader& in, const path& where, std::string_view& out) {
    std::int64_t length = 0;
    if (decode_status s = read_varint(in, where, 64, length); !s.ok()) return s;
    if (length < 0)
      return failure(where, "malformed data: length is negative: " + std::to_string(length));
    if (static_cast<std::uint64_t>(length) > in.left())
      return truncated(where, static_cast<std::size_t>(length), in.left());
    out = in.bytes.substr(in.pos, static_cast<std::size_t>(length));
    in.pos += static_cast<std::size_t>(length);
    return {};
  }

  template <class Bits>
  static decode_status read_fixed(reader& in, const path& where, Bits& out) {
    if (in.left() < sizeof(Bits)) return truncated(where, sizeof(Bits), in.left());
    Bits bits = 0;
    for (std::size_t i = 0; i < sizeof(Bits); ++i)
      bits |= static_cast<Bits>(static_cast<unsigned char>(in.bytes[in.pos + i])) << (8 * i);
    in.pos += sizeof(Bits);
    out = bits;
    return {};
  }

  // One block header of an ARRAY or MAP: its item count, 0 at the end. A negative count is
  // followed by the block's size in bytes (the Avro spec, for readers that skip), and the items
  // must then take exactly that many: `block_end` is where they end, or 0 for a block without a
  // size (a real end is past the count, so never 0). `items_before` counts the earlier blocks'.
  static decode_status read_block_header(reader& in, const path& where, std::int64_t items_before,
                                         std::size_t item_bytes, std::int64_t& count,
                                         std::size_t& block_end) {
    if (decode_status s = read_varint(in, where, 64, count); !s.ok()) return s;
    block_end = 0;
    if (count < 0) {
      if (count == std::numeric_limits<std::int64_t>::min())
        return failure(where, "malformed data: block count " + std::to_string(count));
      count = -count;
      std::int64_t size = 0;
      if (decode_status s = read_varint(in, where, 64, size); !s.ok()) return s;
      if (size < 0)
        return failure(where, "malformed data: block size is negative: " + std::to_string(size));
      if (static_cast<std::uint64_t>(size) > in.left())
        return truncated(where, static_cast<std::size_t>(size), in.left());
      block_end = in.pos + static_cast<std::size_t>(size);
    }
    if (count > detail::max_collection_items - items_before)
      return failure(where, "collection of " +
                                std::to_string(static_cast<std::uint64_t>(items_before) +
                                               static_cast<std::uint64_t>(count)) +
                                " items exceeds the limit of " +
                                std::to_string(detail::max_collection_items) +
                                " (Avro's Java reader, Flink's)");
    // Checked before any item is read: a hostile count costs no loop and no allocation.
    if (item_bytes > 0 && static_cast<std::uint64_t>(count) > in.left() / item_bytes)
      return truncated(where, static_cast<std::size_t>(count) * item_bytes, in.left());
    return {};
  }

  static decode_status check_block_end(const reader& in, const path& where, std::size_t block_start,
                                       std::size_t block_end) {
    if (block_end == 0 || in.pos == block_end) return {};
    return failure(where, "malformed data: the block's size says " +
                              std::to_string(block_end - block_start) +
                              " byte(s), its items took " + std::to_string(in.pos - block_start));
  }

  // A temporal value from the count Avro carries (milliseconds or microseconds since the
  // epoch, milliseconds of the day), truncated to the column's precision.
  template <class Member>
  static decode_status store_temporal(Member& member, const path& where, std::int64_t count,
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
        return failure(where,
                       "invalid time-millis: " + std::to_string(count) + " is not a time of day");
    }
    const auto value = join_day_time<V>({days, rest * nanos_per_unit});
    if (!value)
      return failure(where, "value " + std::to_string(count) + " out of range for " +
                                upsertkit::detail::sql_type_text<V>());
    column_io::emplace(member) = *value;
    return {};
  }

  // A member's value, after its union index when it is nullable in Flink's row type: when it
  // is a std::optional, or `InNullableRow` (a field of a nullable ROW, see
  // detail::append_field_schema), where a NOT NULL member cannot take the null.
  template <bool InNullableRow = false, class Member>
  static decode_status read_member(reader& in, Member& member, const path& where) {
    using traits = column_traits<Member>;
    if constexpr (traits::nullable || InNullableRow) {
      std::int64_t branch = 0;
      if (decode_status s = read_varint(in, where, 32, branch); !s.ok()) return s;
      if (branch == 0) {
        if constexpr (traits::nullable) {
          member.reset();
          return {};
        } else {
          return failure(where,
                         "null value for a NOT NULL member (the field of a nullable ROW, which "
                         "Flink's row type makes nullable)");
        }
      }
      if (branch != 1)
        return failure(where, "union index " + std::to_string(branch) +
                                  " out of range for [\"null\", T] (0 or 1)");
    }
    return read_value<InNullableRow>(in, member, where);
  }

  // An ARRAY: blocks of elements until a block of 0.
  template <class Member>
  static decode_status read_array(reader& in, Member& member, const path& where) {
    using element_type = typename column_traits<Member>::value_type::value_type;
    auto& elements = column_io::emplace(member);
    elements.clear();
    std::int64_t total = 0;
    for (;;) {
      std::int64_t count = 0;
      std::size_t block_end = 0;
      if (decode_status s = read_block_header(
              in, where, total, detail::min_encoded_bytes<element_type>(), count, block_end);
          !s.ok())
        return s;
      if (count == 0) return {};
      const std::size_t block_start = in.pos;
      // The count is bounded by the bytes left (or, for elements of no bytes, by the limit).
      if constexpr (detail::min_encoded_bytes<element_type>() > 0)
        elements.reserve(elements.size() + static_cast<std::size_t>(count));
      for (std::int64_t i = 0; i < count; ++i) {
        const path element{&where, path::step::element, {}, total + i};
        if constexpr (std::is_same_v<element_type, bool>) {
          // std::vector<bool> hands out proxies, not bool&.
          bool value = false;
          if (decode_status s = read_member(in, value, element); !s.ok()) return s;
          elements.push_back(value);
        } else {
          elements.emplace_back();
          if (decode_status s = read_member(in, elements.back(), element); !s.ok()) return s;
        }
      }
      total += count;
      if (decode_status s = check_block_end(in, where, block_start, block_end); !s.ok()) return s;
    }
  }

  // The std::map of a MAP or MULTISET value: the value itself, or a MULTISET's counts.
  template <class Value>
  static auto& map_entries(Value& value) {
    if constexpr (upsertkit::detail::is_multiset<std::remove_const_t<Value>>)
      return value.counts;
    else
      return value;
  }

  // A MAP or a MULTISET: blocks of (string key, value) entries until a block of 0. A key seen
  // again replaces the earlier entry, as the HashMap Flink reads into does.
  template <class Member>
  static decode_status read_map(reader& in, Member& member, const path& where) {
    constexpr bool is_multiset = column_traits<Member>::type == sql_type::multiset;
    auto& entries = map_entries(column_io::emplace(member));
    using entries_type = std::remove_reference_t<decltype(entries)>;
    using key_type = typename entries_type::key_type;
    // A MULTISET's count is written as ["null", "int"] (Flink's nullable IntType).
    using value_member = std::conditional_t<is_multiset, std::optional<std::int32_t>,
                                            typename entries_type::mapped_type>;
    constexpr std::size_t entry_bytes =
        detail::min_encoded_bytes<key_type>() + detail::min_encoded_bytes<value_member>();
    entries.clear();
    std::int64_t total = 0;
    for (;;) {
      std::int64_t count = 0;
      std::size_t block_end = 0;
      if (decode_status s = read_block_header(in, where, total, entry_bytes, count, block_end);
          !s.ok())
        return s;
      if (count == 0) return {};
      const std::size_t block_start = in.pos;
      for (std::int64_t i = 0; i < count; ++i) {
        std::string_view key_text;
        if (decode_status s = read_bytes(in, where, key_text); !s.ok()) return s;
        const path entry{&where, path::step::key, key_text, 0};
        key_type key{};
        column_io::assign_string(key, key_text);
        if constexpr (is_multiset) {
          std::optional<std::int32_t> occurrences;
          if (decode_status s = read_member(in, occurrences, entry); !s.ok()) return s;
          if (!occurrences)
            return failure(entry,
                           "null count for a MULTISET element (Flink writes the count "
                           "as [\"null\", \"int\"] but never null)");
          entries.insert_or_assign(std::move(key), *occurrences);
        } else {
          // Every kind of value is overwritten whole by read_member, so an entry that is
          // already there is reused in place.
          auto& value = entries.try_emplace(std::move(key)).first->second;
          if (decode_status s = read_member(in, value, entry); !s.ok()) return s;
        }
      }
      total += count;
      if (decode_status s = check_block_end(in, where, block_start, block_end); !s.ok()) return s;
    }
  }

  // A ROW: its fields in order, as a nested record. Its fields are nullable when it is.
  template <bool Nullable, class Member>
  static decode_status read_row(reader& in, Member& member, const path& where) {
    using V = typename column_traits<Member>::value_type;
    auto& record = column_io::emplace(member);
    decode_status status;
    for_each_field<V>([&](auto index) {
      constexpr std::size_t i = decltype(index)::value;
      if (!status.ok()) return;
      const path field{&where, path::step::field, struct_fields<V>::names[i], 0};
      status = read_member<Nullable>(in, struct_fields<V>::template get<i>(record), field);
    });
    return status;
  }

  template <bool InNullableRow, class Member>
  static decode_status read_value(reader& in, Member& member, const path& where) {
    using traits = column_traits<Member>;
    using V = typename traits::value_type;
    constexpr sql_type type = traits::type;
    if constexpr (type == sql_type::array) {
      return read_array(in, member, where);
    } else if constexpr (type == sql_type::map || type == sql_type::multiset) {
      // Other keys are refused when the codec is built (this code is never reached for them).
      if constexpr (detail::has_string_keys<V>())
        return read_map(in, member, where);
      else
        return failure(where, "an Avro map's keys are strings");
    } else if constexpr (type == sql_type::row) {
      return read_row < traits::nullable || InNullableRow > (in, member, where);
    } else if constexpr (type == sql_type::string) {
      std::string_view text;
      if (decode_status s = read_bytes(in, where, text); !s.ok()) return s;
      column_io::assign_string(column_io::emplace(member), text);
    } else if constexpr (type == sql_type::bytes) {
      std::string_view data;
      if (decode_status s = read_bytes(in, where, data); !s.ok()) return s;
      column_io::emplace(member) = bytes(data);
    } else if constexpr (type == sql_type::boolean) {
      if (in.left() < 1) return truncated(where, 1, 0);
      const auto b = static_cast<unsigned char>(in.bytes[in.pos]);
      if (b > 1)
        return failure(where, "invalid boolean: byte " + std::to_string(b) + " is neither 0 nor 1");
      ++in.pos;
      column_io::emplace(member) = b == 1;
    } else if constexpr (type == sql_type::tinyint || type == sql_type::smallint ||
                         type == sql_type::integer || type == sql_type::date) {
      std::int64_t n = 0;
      if (decode_status s = read_varint(in, where, 32, n); !s.ok()) return s;
      if constexpr (type == sql_type::date) {
        column_io::emplace(member) = date{static_cast<std::int32_t>(n)};
      } else {
        if (n < std::numeric_limits<V>::min() || n > std::numeric_limits<V>::max())
          return failure(where, "value " + std::to_string(n) + " out of range for " +
                                    upsertkit::detail::sql_type_text<V>());
        column_io::emplace(member) = static_cast<V>(n);
      }
    } else if constexpr (type == sql_type::time) {
      std::int64_t n = 0;
      if (decode_status s = read_varint(in, where, 32, n); !s.ok()) return s;
      return store_temporal(member, where, n, 1'000'000);
    } else if constexpr (type == sql_type::timestamp || type == sql_type::timestamp_ltz) {
      std::int64_t n = 0;
      if (decode_status s = read_varint(in, where, 64, n); !s.ok()) return s;
      return store_temporal(member, where, n, traits::precision > 3 ? 1'000 : 1'000'000);
    } else if constexpr (type == sql_type::bigint) {
      std::int64_t n = 0;
      if (decode_status s = read_varint(in, where, 64, n); !s.ok()) return s;
      column_io::emplace(member) = n;
    } else if constexpr (type == sql_type::float_) {
      std::uint32_t bits = 0;
      if (decode_status s = read_fixed(in, where, bits); !s.ok()) return s;
      float value;
      std::memcpy(&value, &bits, sizeof value);
      column_io::emplace(member) = value;
    } else if constexpr (type == sql_type::double_) {
      std::uint64_t bits = 0;
      if (decode_status s = read_fixed(in, where, bits); !s.ok()) return s;
      double value;
      std::memcpy(&value, &bits, sizeof value);
      column_io::emplace(member) = value;
    } else if constexpr (type == sql_type::decimal) {
      std::string_view bytes;
      if (decode_status s = read_bytes(in, where, bytes); !s.ok()) return s;
      // new BigInteger(bytes): big-endian two's complement; zero bytes is an error in Java.
      if (bytes.empty()) return failure(where, "invalid decimal: zero-length unscaled value");
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
        return failure(where,
                       "null value for NOT NULL column (the unscaled value "
                       "overflows " +
                           upsertkit::detail::sql_type_text<V>() + ")");
      }
      column_io::emplace(member) = V{unscaled};
    }
    return {};
  }

  // An Avro map: one block of (key, value) entries in std::map order, then the end marker.
  template <class Value>
  static void write_map(const Value& value, std::string& out) {
    const auto& entries = map_entries(value);
    if (!entries.empty()) {
      detail::append_long(out, static_cast<std::int64_t>(entries.size()));
      for (const auto& [key, mapped] : entries) {
        detail::append_bytes(out, std::string_view(key));
        if constexpr (upsertkit::detail::is_multiset<Value>) {
          out += '\x02';  // the count's union branch 1: ["null", "int"]
          detail::append_long(out, mapped);
        } else {
          write_member(mapped, out);
        }
      }
    }
    out += '\0';
  }

  // A member, with its union index when it is nullable in Flink's row type (see read_member).
  template <bool InNullableRow = false, class Member>
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
    } else if constexpr (InNullableRow) {
      out += '\x02';  // a NOT NULL member that is nullable in Flink's row type: never null
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
    } else if constexpr (type == sql_type::array) {
      if (!value->empty()) {
        detail::append_long(out, static_cast<std::int64_t>(value->size()));
        for (const auto& element : *value)
          write_member(element, out);
      }
      out += '\0';  // the end marker
    } else if constexpr (type == sql_type::map || type == sql_type::multiset) {
      // Other keys are refused when the codec is built (this code is never reached for them).
      if constexpr (detail::has_string_keys<typename traits::value_type>()) write_map(*value, out);
    } else if constexpr (type == sql_type::row) {
      using V = typename traits::value_type;
      for_each_field<V>([&](auto index) {
        write_member<traits::nullable || InNullableRow>(
            struct_fields<V>::template get<decltype(index)::value>(*value), out);
      });
    }
  }

  projection columns_;
  options opts_;
};

}  // namespace upsertkit::avro

#endif  // UPSERTKIT_FORMATS_AVRO_HPP
