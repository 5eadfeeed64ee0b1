// upsertkit: the canonical binary form of a row, used for the materializer's state.
//
// Two rows are equal exactly when their canonical bytes are equal, which is how Flink compares
// BinaryRowData in ChangelogNormalize (so `"60.00"` and `60.0` for a DOUBLE are the same row,
// while a field order change in the JSON is not a change at all). Storing rows in this form
// keeps each key's state in one contiguous allocation: no heap string per field.
//
// Layout: a presence bitmap (one bit per column, set = not NULL), then each present column in
// field order: fixed-size scalars in host byte order, strings and BYTES as a LEB128 length plus
// the bytes, nested values as read_value below describes.
// The bytes never leave the process, so host byte order is fine.
#ifndef UPSERTKIT_ROW_CODEC_HPP
#define UPSERTKIT_ROW_CODEC_HPP

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>

#include "column_io.hpp"
#include "schema.hpp"

namespace upsertkit {
namespace detail {

// Copies n bytes with a few overlapping word moves when n is small, as column values usually
// are: the library call a variable-length memcpy becomes costs more than the copy itself.
inline char* copy_bytes(char* out, const char* in, std::size_t n) noexcept {
  if (n >= 8 && n <= 16) {
    std::uint64_t head, tail;
    std::memcpy(&head, in, 8);
    std::memcpy(&tail, in + n - 8, 8);
    std::memcpy(out, &head, 8);
    std::memcpy(out + n - 8, &tail, 8);
  } else if (n > 16 && n <= 32) {
    std::uint64_t words[4];
    std::memcpy(&words[0], in, 16);
    std::memcpy(&words[2], in + n - 16, 16);
    std::memcpy(out, &words[0], 16);
    std::memcpy(out + n - 16, &words[2], 16);
  } else if (n >= 4 && n < 8) {
    std::uint32_t head, tail;
    std::memcpy(&head, in, 4);
    std::memcpy(&tail, in + n - 4, 4);
    std::memcpy(out, &head, 4);
    std::memcpy(out + n - 4, &tail, 4);
  } else if (n > 0 && n < 4) {
    out[0] = in[0];
    out[n / 2] = in[n / 2];
    out[n - 1] = in[n - 1];
  } else if (n > 32) {
    std::memcpy(out, in, n);
  }
  return out + n;
}

}  // namespace detail

template <class Table>
struct row_codec {
  using row_type = typename Table::row_type;
  static constexpr std::size_t bitmap_bytes = (Table::column_count + 7) / 8;

  /// The number of canonical bytes of `row` (what write_row writes).
  static std::size_t row_size(const row_type& row) noexcept {
    std::size_t size = bitmap_bytes;
    for_each_column<Table>([&](auto column) {
      const auto* value =
          column_io::value_of(Table::fields::template get<decltype(column)::value>(row));
      if (value != nullptr) size += encoded_size(*value);
    });
    return size;
  }

  /// Writes the canonical bytes of every column of `row` at `out`, which has room for
  /// row_size(row) bytes; returns the end of what was written.
  static char* write_row(const row_type& row, char* out) noexcept {
    char* bitmap = out;
    char* p = bitmap + bitmap_bytes;
    std::memset(bitmap, 0, bitmap_bytes);
    for_each_column<Table>([&](auto column) {
      constexpr std::size_t I = decltype(column)::value;
      const auto* value = column_io::value_of(Table::fields::template get<I>(row));
      if (value == nullptr) return;
      bitmap[I / 8] = static_cast<char>(bitmap[I / 8] | (1 << (I % 8)));
      p = write_value(*value, p);
    });
    return p;
  }

  /// The number of canonical key bytes of `row` (what write_key writes).
  static std::size_t key_size(const row_type& row) noexcept {
    return [&]<std::size_t... K>(std::index_sequence<K...>) {
      return (encoded_size(Table::fields::template get<Table::key_columns[K]>(row)) + ...);
    }
    (std::make_index_sequence<Table::key_count>{});
  }

  /// Writes the canonical bytes of the PRIMARY KEY columns, in PRIMARY KEY order, at `out`,
  /// which has room for key_size(row) bytes; returns the end. Key columns are NOT NULL, so no
  /// bitmap is needed.
  static char* write_key(const row_type& row, char* out) noexcept {
    [&]<std::size_t... K>(std::index_sequence<K...>) {
      ((out = write_value(Table::fields::template get<Table::key_columns[K]>(row), out)), ...);
    }
    (std::make_index_sequence<Table::key_count>{});
    return out;
  }

  /// Appends the canonical bytes of every column of `row`.
  static void encode(const row_type& row, std::string& out) {
    const std::size_t at = out.size();
    out.resize(at + row_size(row));
    write_row(row, out.data() + at);
  }

  /// Appends the canonical bytes of the PRIMARY KEY columns (see write_key).
  static void encode_key(const row_type& row, std::string& out) {
    const std::size_t at = out.size();
    out.resize(at + key_size(row));
    write_key(row, out.data() + at);
  }

  /// Reads canonical bytes back into `row`. String views and upsertkit::bytes point into `bytes`.
  static void decode(std::string_view bytes, row_type& row) {
    const char* bitmap = bytes.data();
    const char* p = bytes.data() + bitmap_bytes;
    for_each_column<Table>([&](auto column) {
      constexpr std::size_t I = decltype(column)::value;
      auto& member = Table::fields::template get<I>(row);
      if (!(static_cast<unsigned char>(bitmap[I / 8]) & (1u << (I % 8)))) {
        column_io::set_null(member);
        return;
      }
      p = read_value(p, column_io::emplace(member));
    });
  }

  /// Reads only the PRIMARY KEY columns written by encode_key.
  static void decode_key(std::string_view bytes, row_type& row) {
    const char* p = bytes.data();
    [&]<std::size_t... K>(std::index_sequence<K...>) {
      ((p = read_value(p, Table::fields::template get<Table::key_columns[K]>(row))), ...);
    }
    (std::make_index_sequence<Table::key_count>{});
  }

 private:
  template <class V>
  static constexpr bool is_string_like =
      std::is_same_v<V, std::string> || std::is_same_v<V, std::string_view> ||
      std::is_same_v<V, upsertkit::bytes>;

  static std::size_t varint_size(std::size_t n) noexcept {
    std::size_t bytes = 1;
    while (n >= 0x80) {
      n >>= 7;
      ++bytes;
    }
    return bytes;
  }

  static char* write_varint(std::size_t n, char* p) noexcept {
    while (n >= 0x80) {
      *p++ = static_cast<char>((n & 0x7F) | 0x80);
      n >>= 7;
    }
    *p++ = static_cast<char>(n);
    return p;
  }

  static const char* read_varint(const char* p, std::size_t& n) noexcept {
    n = 0;
    unsigned shift = 0;
    while (true) {
      auto byte = static_cast<unsigned char>(*p++);
      n |= static_cast<std::size_t>(byte & 0x7F) << shift;
      if (!(byte & 0x80)) return p;
      shift += 7;
    }
  }

  // Nested values: an ARRAY, MAP or MULTISET is its element count and then its elements, a
  // nullable element behind a presence byte; a MAP's entries in key order (std::map's), so
  // equal maps have equal bytes whatever order the message gave; a ROW is a presence bitmap of
  // its fields and the present ones, like the table's row.
  template <class Element>
  static std::size_t element_size(const Element& element) noexcept {
    if constexpr (detail::is_optional<Element>::value)
      return 1 + (element ? encoded_size(*element) : 0);
    else
      return encoded_size(element);
  }

  template <class Element>
  static char* write_element(const Element& element, char* p) noexcept {
    if constexpr (detail::is_optional<Element>::value) {
      *p++ = element ? 1 : 0;
      return element ? write_value(*element, p) : p;
    } else {
      return write_value(element, p);
    }
  }

  template <class Element>
  static const char* read_element(const char* p, Element& element) {
    if constexpr (detail::is_optional<Element>::value) {
      if (*p++ == 0) {
        element.reset();
        return p;
      }
      return read_value(p, column_io::emplace(element));
    } else {
      return read_value(p, element);
    }
  }

  template <class Struct>
  static constexpr std::size_t row_bitmap_bytes = (struct_fields<Struct>::count + 7) / 8;

  template <class V>
  static std::size_t encoded_size(const V& value) noexcept {
    if constexpr (is_string_like<V>) {
      return varint_size(value.size()) + value.size();
    } else if constexpr (detail::is_vector<V>) {
      std::size_t size = varint_size(value.size());
      for (const auto& element : value)
        size += element_size(element);
      return size;
    } else if constexpr (detail::is_map<V>) {
      std::size_t size = varint_size(value.size());
      for (const auto& [key, mapped] : value)
        size += element_size(key) + element_size(mapped);
      return size;
    } else if constexpr (detail::is_multiset<V>) {
      return encoded_size(value.counts);
    } else if constexpr (detail::is_row<V>) {
      std::size_t size = row_bitmap_bytes<V>;
      for_each_field<V>([&](auto field) {
        const auto* present = column_io::value_of(struct_fields<V>::template get<field>(value));
        if (present != nullptr) size += encoded_size(*present);
      });
      return size;
    } else {
      return sizeof(V);
    }
  }

  template <class V>
  static char* write_value(const V& value, char* p) noexcept {
    if constexpr (is_string_like<V>) {
      p = write_varint(value.size(), p);
      return detail::copy_bytes(p, value.data(), value.size());
    } else if constexpr (detail::is_vector<V>) {
      p = write_varint(value.size(), p);
      for (const auto& element : value)
        p = write_element(element, p);
      return p;
    } else if constexpr (detail::is_map<V>) {
      p = write_varint(value.size(), p);
      for (const auto& [key, mapped] : value)
        p = write_element(mapped, write_element(key, p));
      return p;
    } else if constexpr (detail::is_multiset<V>) {
      return write_value(value.counts, p);
    } else if constexpr (detail::is_row<V>) {
      char* bitmap = p;
      p += row_bitmap_bytes<V>;
      std::memset(bitmap, 0, row_bitmap_bytes<V>);
      for_each_field<V>([&](auto field) {
        constexpr std::size_t F = decltype(field)::value;
        const auto* present = column_io::value_of(struct_fields<V>::template get<F>(value));
        if (present == nullptr) return;
        bitmap[F / 8] = static_cast<char>(bitmap[F / 8] | (1 << (F % 8)));
        p = write_value(*present, p);
      });
      return p;
    } else {
      static_assert(std::is_trivially_copyable_v<V>);
      std::memcpy(p, &value, sizeof(V));
      return p + sizeof(V);
    }
  }

  template <class V>
  static const char* read_value(const char* p, V& value) {
    if constexpr (is_string_like<V>) {
      // The varint inline rather than through read_varint: with the call, g++ 12 gave the flat
      // orders table's materializer 709 instructions per change instead of 704
      // (scripts/instruction-count.sh --materialize).
      std::size_t n = 0;
      unsigned shift = 0;
      while (true) {
        auto byte = static_cast<unsigned char>(*p++);
        n |= static_cast<std::size_t>(byte & 0x7F) << shift;
        if (!(byte & 0x80)) break;
        shift += 7;
      }
      if constexpr (std::is_same_v<V, upsertkit::bytes>)
        value = upsertkit::bytes(p, n);
      else
        column_io::assign_string(value, std::string_view(p, n));
      return p + n;
    } else if constexpr (detail::is_vector<V>) {
      std::size_t n = 0;
      p = read_varint(p, n);
      value.clear();
      value.reserve(n);
      for (std::size_t i = 0; i < n; ++i) {
        // Through a local: std::vector<bool> has no element to read into.
        typename V::value_type element{};
        p = read_element(p, element);
        value.push_back(std::move(element));
      }
      return p;
    } else if constexpr (detail::is_map<V>) {
      std::size_t n = 0;
      p = read_varint(p, n);
      value.clear();
      for (std::size_t i = 0; i < n; ++i) {
        typename V::key_type key{};
        p = read_element(p, key);
        // The entries were written in key order: each goes in at the end.
        p = read_element(
            p, value.emplace_hint(value.end(), std::move(key), typename V::mapped_type{})->second);
      }
      return p;
    } else if constexpr (detail::is_multiset<V>) {
      return read_value(p, value.counts);
    } else if constexpr (detail::is_row<V>) {
      const char* bitmap = p;
      p += row_bitmap_bytes<V>;
      for_each_field<V>([&](auto field) {
        constexpr std::size_t F = decltype(field)::value;
        auto& member = struct_fields<V>::template get<F>(value);
        if (!(static_cast<unsigned char>(bitmap[F / 8]) & (1u << (F % 8)))) {
          column_io::set_null(member);
          return;
        }
        p = read_value(p, column_io::emplace(member));
      });
      return p;
    } else {
      std::memcpy(&value, p, sizeof(V));
      return p + sizeof(V);
    }
  }
};

}  // namespace upsertkit

#endif  // UPSERTKIT_ROW_CODEC_HPP
