// upsertkit: Flink's `raw` format (flink-table-runtime `RawFormatFactory`,
// RawFormatSerializationSchema / RawFormatDeserializationSchema): the whole key or value is the
// bytes of ONE column, both directions.
//
//   STRING                         the bytes are the UTF-8 text (zero copy into a string_view)
//   BYTES (VARBINARY, BINARY)      the bytes themselves (zero copy into an upsertkit::bytes);
//                                  an empty message is empty BYTES, not NULL
//   BOOLEAN, TINYINT               one byte (any non-zero byte is true)
//   SMALLINT, INT, BIGINT,
//   FLOAT, DOUBLE                  2, 4, 8, 4, 8 bytes in `raw.endianness` (big-endian default)
//
// The projection must hold exactly one column, else config_error with Flink's text. NULL is
// written by Flink as a null message (a tombstone for a value!); here `encode` writes nothing
// for NULL and `is_null(row)` tells the caller to send a null message instead.
#ifndef UPSERTKIT_FORMATS_RAW_HPP
#define UPSERTKIT_FORMATS_RAW_HPP

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>

#include "../column_io.hpp"
#include "../config/raw_options.hpp"
#include "../error.hpp"
#include "../option_map.hpp"
#include "../schema.hpp"
#include "../text.hpp"
#include "../types.hpp"

namespace upsertkit::raw {

namespace detail {

/// Flink's RowField.asSummaryString: "`name` TYPE" (plus " NOT NULL").
template <class Table>
std::string field_summary(std::uint16_t column, std::string_view name) {
  // Appended piece by piece: g++ 12 at -O3 warns falsely (-Wrestrict, GCC bug 105329) on
  // `"literal" + std::string(...)`.
  std::string out;
  out.reserve(name.size() + 32);
  out += '`';
  out += name;
  out += "` ";
  visit_column<Table>(column, [&](auto index) {
    using traits = typename Table::template column<decltype(index)::value>;
    out += upsertkit::detail::sql_type_text<typename traits::value_type>();
    if (!traits::nullable) out += " NOT NULL";
  });
  return out;
}

template <class Unsigned>
Unsigned load(const char* p, bool big_endian) noexcept {
  Unsigned v = 0;
  for (std::size_t i = 0; i < sizeof(Unsigned); ++i) {
    const std::size_t at = big_endian ? i : sizeof(Unsigned) - 1 - i;
    v = static_cast<Unsigned>((v << 8) | static_cast<unsigned char>(p[at]));
  }
  return v;
}

template <class Unsigned>
void store(std::string& out, Unsigned v, bool big_endian) {
  char buf[sizeof(Unsigned)];
  for (std::size_t i = 0; i < sizeof(Unsigned); ++i) {
    const std::size_t at = big_endian ? sizeof(Unsigned) - 1 - i : i;
    buf[at] = static_cast<char>(v & 0xFF);
    v = static_cast<Unsigned>(v >> 8);
  }
  out.append(buf, sizeof(Unsigned));
}

template <std::size_t Size>
struct unsigned_of;
template <>
struct unsigned_of<1> {
  using type = std::uint8_t;
};
template <>
struct unsigned_of<2> {
  using type = std::uint16_t;
};
template <>
struct unsigned_of<4> {
  using type = std::uint32_t;
};
template <>
struct unsigned_of<8> {
  using type = std::uint64_t;
};

}  // namespace detail

/// Reads and writes the single projected column of `Table` as the whole message.
template <class Table>
class codec {
 public:
  using row_type = typename Table::row_type;

  /// Throws config_error unless `columns` holds exactly one column of a supported type.
  explicit codec(projection columns, options opts = {})
      : columns_(std::move(columns)), opts_(opts) {
    for (std::uint16_t column : columns_.columns)
      if (column >= Table::column_count)
        throw config_error("raw codec: projection column " + std::to_string(column) +
                           " is not a column of the table");
    if (columns_.columns.size() != 1) {
      std::string fields;
      for (std::size_t i = 0; i < columns_.columns.size(); ++i) {
        if (i > 0) fields += ", ";
        fields += detail::field_summary<Table>(columns_.columns[i], name(i));
      }
      throw config_error(
          "The 'raw' format only supports single physical column. However the defined schema "
          "contains multiple physical columns: [" +
          fields + "]");
    }
    visit_column<Table>(columns_.columns[0], [&](auto index) {
      using traits = typename Table::template column<decltype(index)::value>;
      constexpr sql_type type = traits::type;
      if constexpr (type != sql_type::string && type != sql_type::bytes &&
                    type != sql_type::boolean && type != sql_type::tinyint &&
                    type != sql_type::smallint && type != sql_type::integer &&
                    type != sql_type::bigint && type != sql_type::float_ &&
                    type != sql_type::double_)
        throw config_error("The 'raw' format doesn't supports '" +
                           upsertkit::detail::sql_type_text<typename traits::value_type>() +
                           (traits::nullable ? "" : " NOT NULL") + "' as column type.");
    });
  }

  const options& format_options() const noexcept { return opts_; }
  const projection& columns() const noexcept { return columns_; }

  /// Decodes the message as the column's value. A string view or upsertkit::bytes points into
  /// `message`.
  decode_status decode(std::string_view message, row_type& row) const {
    decode_status status;
    visit_column<Table>(columns_.columns[0], [&](auto index) {
      status = read(message, Table::fields::template get<decltype(index)::value>(row), name(0));
    });
    return status;
  }

  /// Appends the column's bytes to `out`; nothing for NULL (see is_null).
  void encode(const row_type& row, std::string& out) const {
    visit_column<Table>(columns_.columns[0], [&](auto index) {
      write(Table::fields::template get<decltype(index)::value>(row), out);
    });
  }

  /// Whether the column is NULL in `row`: Flink then writes a null message, not empty bytes.
  bool is_null(const row_type& row) const {
    bool null = false;
    visit_column<Table>(columns_.columns[0], [&](auto index) {
      null =
          column_io::value_of(Table::fields::template get<decltype(index)::value>(row)) == nullptr;
    });
    return null;
  }

 private:
  std::string_view name(std::size_t i) const noexcept {
    if (i < columns_.names.size()) return columns_.names[i];
    return Table::column_names[columns_.columns[i]];
  }

  template <class Member>
  decode_status read(std::string_view message, Member& member, std::string_view field) const {
    using traits = column_traits<Member>;
    using V = typename traits::value_type;
    constexpr sql_type type = traits::type;
    if constexpr (type == sql_type::string) {
      column_io::assign_string(column_io::emplace(member), message);
    } else if constexpr (type == sql_type::bytes) {
      column_io::emplace(member) = bytes(message);
    } else if constexpr (type == sql_type::boolean || type == sql_type::tinyint ||
                         type == sql_type::smallint || type == sql_type::integer ||
                         type == sql_type::bigint || type == sql_type::float_ ||
                         type == sql_type::double_) {
      if (message.size() != sizeof(V))
        return decode_status::failure(field, "Size of data received for deserializing " +
                                                 std::string(sql_type_name(type)) +
                                                 " type is not " + std::to_string(sizeof(V)) + ".");
      using U = typename detail::unsigned_of<sizeof(V)>::type;
      const U bits = detail::load<U>(message.data(), opts_.big_endian);
      if constexpr (type == sql_type::boolean) {
        column_io::emplace(member) = bits != 0;
      } else {
        V value;
        std::memcpy(&value, &bits, sizeof value);
        column_io::emplace(member) = value;
      }
    }
    return {};
  }

  template <class Member>
  void write(const Member& member, std::string& out) const {
    using traits = column_traits<Member>;
    using V = typename traits::value_type;
    constexpr sql_type type = traits::type;
    const auto* value = column_io::value_of(member);
    if (!value) return;
    if constexpr (type == sql_type::string) {
      out.append(std::string_view(*value));
    } else if constexpr (type == sql_type::bytes) {
      out.append(value->view());
    } else if constexpr (type == sql_type::boolean) {
      out += *value ? '\x01' : '\0';
    } else if constexpr (type == sql_type::tinyint || type == sql_type::smallint ||
                         type == sql_type::integer || type == sql_type::bigint ||
                         type == sql_type::float_ || type == sql_type::double_) {
      using U = typename detail::unsigned_of<sizeof(V)>::type;
      U bits;
      std::memcpy(&bits, value, sizeof bits);
      detail::store<U>(out, bits, opts_.big_endian);
    }
  }

  projection columns_;
  options opts_;
};

}  // namespace upsertkit::raw

#endif  // UPSERTKIT_FORMATS_RAW_HPP
