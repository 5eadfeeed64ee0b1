// upsertkit: Flink's `print` connector as a change handler.
//
// Two row styles: `legacy` is what Flink 1.11-1.12 printed and what the seed's examples show,
// `+I(202303251202020001,miniAppShop,...)`; `modern` is Flink >= 1.13, `+I[a, b, 60.0]`.
// Values print as Flink's Row.toString prints them: NULL as `null`, DOUBLE like Java's
// Double.toString (`60.0`), TIMESTAMP like LocalDateTime.toString (`2020-03-08T13:12:11.120`),
// BYTES like Arrays.toString(byte[]) of Java's signed bytes (`[1, 0, -1]`, `[]` when empty).
// Nested values print as the Java objects Flink converts them to: ARRAY `[a, null, c]`, MAP
// and MULTISET `{k=v, k2=v2}` in java.util.HashMap's order, ROW `+I[a, b]` (modern) or its
// fields joined by ',' (legacy); their scalars print as at the top level.
#ifndef UPSERTKIT_PRINT_HPP
#define UPSERTKIT_PRINT_HPP

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "column_io.hpp"
#include "error.hpp"
#include "row_kind.hpp"
#include "schema.hpp"
#include "text.hpp"
#include "types.hpp"

namespace upsertkit {

enum class print_style : std::uint8_t { legacy, modern };

inline print_style parse_print_style(std::string_view text) {
  if (text == "legacy") return print_style::legacy;
  if (text == "modern") return print_style::modern;
  throw config_error("print style must be 'legacy' or 'modern', but was '" + std::string(text) +
                     "'");
}

/// The `print` connector's options.
struct print_options {
  print_style style = print_style::legacy;
  std::string print_identifier;  // `print-identifier`
  bool standard_error = false;   // `standard-error`
  int parallelism = 1;           // `sink.parallelism`: with > 1 the subtask number is printed
  int subtask = 0;
};

/// Appends `bytes` as Java's Arrays.toString(byte[]): signed decimal bytes, `[1, 0, -1]`.
inline void append_java_byte_array(std::string& out, bytes value) {
  out += '[';
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (i > 0) out += ", ";
    text::append_integer(out, static_cast<std::int64_t>(static_cast<std::int8_t>(value[i])));
  }
  out += ']';
}

namespace print_detail {

// Java's int arithmetic, which wraps: hashes are computed as std::uint32_t.
constexpr std::uint32_t java_long_hash(std::int64_t value) noexcept {
  const auto bits = static_cast<std::uint64_t>(value);
  return static_cast<std::uint32_t>(bits ^ (bits >> 32));
}

// String.hashCode: over UTF-16 code units, so a code point above U+FFFF counts as its two
// surrogates. A byte that starts no well-formed UTF-8 sequence counts as one U+FFFD (Java's
// decoder may group malformed bytes differently: such keys may print in another order).
inline std::uint32_t java_string_hash(std::string_view text) noexcept {
  std::uint32_t hash = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    std::uint32_t code_point = 0xFFFD;
    std::size_t length = 1;
    const std::size_t expected = lead < 0x80   ? 1
                                 : lead < 0xC2 ? 0
                                 : lead < 0xE0 ? 2
                                 : lead < 0xF0 ? 3
                                 : lead < 0xF5 ? 4
                                               : 0;
    if (expected == 1) {
      code_point = lead;
    } else if (expected > 1 && i + expected <= text.size()) {
      std::uint32_t value = lead & (0xFFU >> (expected + 1));
      bool well_formed = true;
      for (std::size_t k = 1; k < expected; ++k) {
        const auto next = static_cast<unsigned char>(text[i + k]);
        well_formed = well_formed && (next & 0xC0) == 0x80;
        value = value << 6 | (next & 0x3FU);
      }
      const std::uint32_t smallest = expected == 2 ? 0x80 : expected == 3 ? 0x800 : 0x10000;
      if (well_formed && value >= smallest && value <= 0x10FFFF &&
          (value < 0xD800 || value > 0xDFFF)) {
        code_point = value;
        length = expected;
      }
    }
    if (code_point > 0xFFFF) {
      code_point -= 0x10000;
      hash = 31 * hash + (0xD800 + (code_point >> 10));
      hash = 31 * hash + (0xDC00 + (code_point & 0x3FF));
    } else {
      hash = 31 * hash + code_point;
    }
    i += length;
  }
  return hash;
}

// LocalDate.hashCode.
constexpr std::uint32_t java_local_date_hash(std::int64_t days) noexcept {
  const civil_date c = civil_from_days(days);
  const auto year = static_cast<std::uint32_t>(c.year);
  return (year & 0xFFFFF800U) ^ ((year << 11) + (c.month << 6) + c.day);
}

// BigDecimal.hashCode of `unscaled * 10^-scale`: 31 * BigInteger.hashCode(unscaled) + scale,
// the BigInteger hash folding its magnitude's 32-bit words from the most significant one
// (the compact form's formula gives the same number).
template <class Unscaled>
constexpr std::uint32_t java_big_decimal_hash(Unscaled unscaled, int scale) noexcept {
  const bool negative = unscaled < 0;
  uint128 magnitude =
      negative ? 0 - static_cast<uint128>(unscaled) : static_cast<uint128>(unscaled);
  std::uint32_t words[4] = {};
  int count = 0;
  for (; magnitude != 0; magnitude >>= 32)
    words[count++] = static_cast<std::uint32_t>(magnitude);
  std::uint32_t hash = 0;
  while (count > 0)
    hash = 31 * hash + words[--count];
  if (negative) hash = 0 - hash;
  return 31 * hash + static_cast<std::uint32_t>(scale);
}

// Whether upsertkit knows the hashCode of the Java object a MAP key or MULTISET element of
// type K becomes (String, Boolean, Byte..Long, Float, Double, BigDecimal, LocalDate,
// LocalTime, LocalDateTime, Instant). byte[] and Object[] hash by identity, so Flink's order
// for them is not reproducible at all; ROW keys are not emulated.
template <class K>
constexpr bool has_java_hash = [] {
  constexpr sql_type type = column_traits<K>::type;
  return type != sql_type::bytes && type != sql_type::array && type != sql_type::map &&
         type != sql_type::multiset && type != sql_type::row;
}();

template <class K>
std::uint32_t java_hash(const K& key) noexcept {
  constexpr sql_type type = column_traits<K>::type;
  if constexpr (type == sql_type::string) {
    return java_string_hash(std::string_view(key));
  } else if constexpr (type == sql_type::boolean) {
    return key ? 1231 : 1237;
  } else if constexpr (type == sql_type::tinyint || type == sql_type::smallint ||
                       type == sql_type::integer) {
    return static_cast<std::uint32_t>(static_cast<std::int32_t>(key));
  } else if constexpr (type == sql_type::bigint) {
    return java_long_hash(key);
  } else if constexpr (type == sql_type::float_) {
    // Float.floatToIntBits: every NaN is the canonical one.
    std::uint32_t bits = 0x7FC00000;
    if (key == key) std::memcpy(&bits, &key, sizeof bits);
    return bits;
  } else if constexpr (type == sql_type::double_) {
    std::int64_t bits = 0x7FF8000000000000;
    if (key == key) std::memcpy(&bits, &key, sizeof bits);
    return java_long_hash(bits);
  } else if constexpr (type == sql_type::decimal) {
    return java_big_decimal_hash(key.unscaled, K::scale);
  } else if constexpr (type == sql_type::date) {
    return java_local_date_hash(key.days_since_epoch);
  } else if constexpr (type == sql_type::time) {
    return java_long_hash(split_day_time(key).nanos_of_day);  // LocalTime: its nano of day
  } else if constexpr (type == sql_type::timestamp) {
    const day_time value = split_day_time(key);  // LocalDateTime: date ^ time
    return java_local_date_hash(value.days) ^ java_long_hash(value.nanos_of_day);
  } else {
    static_assert(type == sql_type::timestamp_ltz);
    const day_time value = split_day_time(key);  // Instant: seconds, then 51 * nanos
    const std::int64_t seconds = value.days * 86'400 + value.nanos_of_day / 1'000'000'000;
    return java_long_hash(seconds) +
           51 * static_cast<std::uint32_t>(value.nanos_of_day % 1'000'000'000);
  }
}

// The order java.util.HashMap iterates keys put in the given order into a `new HashMap<>()`
// (what Flink's MapMapConverter builds for a MAP or MULTISET): by bucket,
// (h ^ h >>> 16) & (capacity - 1), and within one bucket in insertion order. The capacity
// starts at 16 and doubles when the size passes 3/4 of it, or when a bucket reaches nine
// keys in a table smaller than 64 (treeifyBin resizes instead). A bucket of nine keys in a
// larger table becomes a tree, whose order is not emulated.
inline std::vector<std::size_t> java_hash_map_order(const std::vector<std::uint32_t>& hashes) {
  std::vector<std::uint32_t> spread(hashes.size());
  for (std::size_t i = 0; i < hashes.size(); ++i)
    spread[i] = hashes[i] ^ (hashes[i] >> 16);
  std::size_t capacity = 16;
  std::vector<std::size_t> bucket_sizes(capacity);
  const auto resize = [&](std::size_t inserted) {
    capacity *= 2;
    bucket_sizes.assign(capacity, 0);
    for (std::size_t k = 0; k < inserted; ++k)
      ++bucket_sizes[spread[k] & (capacity - 1)];
  };
  for (std::size_t i = 0; i < spread.size(); ++i) {
    if (++bucket_sizes[spread[i] & (capacity - 1)] > 8 && capacity < 64) resize(i + 1);
    if (i + 1 > capacity / 4 * 3) resize(i + 1);
  }
  std::vector<std::size_t> order(spread.size());
  for (std::size_t i = 0; i < order.size(); ++i)
    order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return (spread[a] & (capacity - 1)) < (spread[b] & (capacity - 1));
  });
  return order;
}

template <class Member>
void append_printed_element(std::string& out, const Member& member, print_style style);

// A ROW's fields as Row.toString prints them: `a, b` (modern), `a,b` (legacy).
template <class Struct>
void append_printed_fields(std::string& out, const Struct& value, print_style style) {
  for_each_field<Struct>([&](auto field) {
    constexpr std::size_t I = decltype(field)::value;
    if constexpr (I != 0) out += style == print_style::legacy ? "," : ", ";
    append_printed_element(out, struct_fields<Struct>::template get<I>(value), style);
  });
}

// A MAP (or a MULTISET's counts) as AbstractMap.toString / RowUtils.deepToStringMap print the
// HashMap Flink converts it to: `{k=v, k2=v2}` in that HashMap's order, taking the std::map's
// (key) order as the order the keys were put in. Keys whose Java hash is not known print in
// key order.
template <class Map>
void append_printed_map(std::string& out, const Map& entries, print_style style) {
  out += '{';
  const auto append_entry = [&](const auto& entry, bool first) {
    if (!first) out += ", ";
    append_printed_element(out, entry.first, style);
    out += '=';
    append_printed_element(out, entry.second, style);
  };
  if constexpr (has_java_hash<typename Map::key_type>) {
    std::vector<const typename Map::value_type*> in_key_order;
    std::vector<std::uint32_t> hashes;
    in_key_order.reserve(entries.size());
    hashes.reserve(entries.size());
    for (const auto& entry : entries) {
      in_key_order.push_back(&entry);
      hashes.push_back(java_hash(entry.first));
    }
    bool first = true;
    for (std::size_t index : java_hash_map_order(hashes)) {
      append_entry(*in_key_order[index], first);
      first = false;
    }
  } else {
    bool first = true;
    for (const auto& entry : entries) {
      append_entry(entry, first);
      first = false;
    }
  }
  out += '}';
}

/// A non-NULL value as Flink's print sink shows it: the external Java object's text.
template <class V>
void append_printed_value(std::string& out, const V& value, print_style style) {
  constexpr sql_type type = column_traits<V>::type;
  if constexpr (type == sql_type::array) {
    // Object[]: Arrays.deepToString (legacy) and RowUtils.deepToStringArray (modern) agree.
    out += '[';
    bool first = true;
    for (const auto& element : value) {
      if (!first) out += ", ";
      first = false;
      if constexpr (std::is_same_v<typename V::value_type, bool>)
        append_printed_value(out, static_cast<bool>(element), style);  // std::vector<bool>
      else
        append_printed_element(out, element, style);
    }
    out += ']';
  } else if constexpr (type == sql_type::map) {
    append_printed_map(out, value, style);
  } else if constexpr (type == sql_type::multiset) {
    append_printed_map(out, value.counts, style);  // a Map<T, Integer>
  } else if constexpr (type == sql_type::row) {
    // A nested Row's toString: its kind (always +I) and brackets, or in the legacy form
    // (RowUtils.USE_LEGACY_TO_STRING, Flink <= 1.12) just the fields joined by ','.
    if (style == print_style::legacy) {
      append_printed_fields(out, value, style);
    } else {
      out += "+I[";
      append_printed_fields(out, value, style);
      out += ']';
    }
  } else if constexpr (type == sql_type::string) {
    out.append(value.data(), value.size());
  } else if constexpr (type == sql_type::boolean) {
    out += value ? "true" : "false";
  } else if constexpr (type == sql_type::double_) {
    text::append_java_double(out, value);
  } else if constexpr (type == sql_type::float_) {
    text::append_java_float(out, value);
  } else if constexpr (type == sql_type::decimal) {
    text::append_decimal(out, value.unscaled, V::scale);
  } else if constexpr (type == sql_type::date) {
    text::append_date(out, value);
  } else if constexpr (type == sql_type::timestamp) {
    text::append_date_time(out, split_day_time(value), text::timestamp_style::local_date_time);
  } else if constexpr (type == sql_type::timestamp_ltz) {
    text::append_date_time(out, split_day_time(value), text::timestamp_style::instant);
  } else if constexpr (type == sql_type::time) {
    text::append_time(out, split_day_time(value).nanos_of_day, text::time_style::local_time);
  } else if constexpr (type == sql_type::bytes) {
    append_java_byte_array(out, value);
  } else {
    text::append_integer(out, static_cast<std::int64_t>(value));
  }
}

/// A column, element, field, key or value: `null` or its value.
template <class Member>
void append_printed_element(std::string& out, const Member& member, print_style style) {
  const auto* value = column_io::value_of(member);
  if (value == nullptr)
    out += "null";
  else
    append_printed_value(out, *value, style);
}

}  // namespace print_detail

/// Appends one printed row (without prefix or newline).
template <class Table>
void append_printed_row(std::string& out, row_kind kind, const typename Table::row_type& row,
                        print_style style) {
  out += short_string(kind);
  out += style == print_style::legacy ? '(' : '[';
  for_each_column<Table>([&](auto column) {
    constexpr std::size_t I = decltype(column)::value;
    if constexpr (I != 0) out += style == print_style::legacy ? "," : ", ";
    print_detail::append_printed_element(out, Table::fields::template get<I>(row), style);
  });
  out += style == print_style::legacy ? ')' : ']';
}

/// A change handler that prints every change, one line each, like Flink's print sink.
/// Its durability point is flush(): a source commits an offset only once the lines of its
/// changes left the stdio buffer (a killed process loses no line whose record was committed).
/// A write error throws, naming the cause.
template <class Table>
class print_sink {
 public:
  using row_type = typename Table::row_type;

  explicit print_sink(print_options options = {}, std::FILE* stream = nullptr)
      : options_(std::move(options)),
        stream_(stream != nullptr ? stream : (options_.standard_error ? stderr : stdout)) {
    // Prefix rules of PrintSinkOutputWriter: "<id>:<subtask+1>> ", "<id>> ", "<subtask+1>> ".
    if (!options_.print_identifier.empty()) {
      prefix_ = options_.print_identifier;
      if (options_.parallelism > 1) prefix_ += ":" + std::to_string(options_.subtask + 1);
      prefix_ += "> ";
    } else if (options_.parallelism > 1) {
      prefix_ = std::to_string(options_.subtask + 1) + "> ";
    }
  }

  void operator()(const change<row_type>& c) { print(c.kind, c.row); }

  void print(row_kind kind, const row_type& row) {
    line_.assign(prefix_);
    append_printed_row<Table>(line_, kind, row, options_.style);
    line_ += '\n';
    if (std::fwrite(line_.data(), 1, line_.size(), stream_) != line_.size()) fail();
  }

  /// Writes out what the stream buffers; throws when the stream cannot be written.
  void flush() {
    if (std::fflush(stream_) != 0 || std::ferror(stream_) != 0) fail();
  }

 private:
  [[noreturn]] void fail() {
    const int cause = errno;
    std::clearerr(stream_);
    throw error(std::string("cannot write the printed changelog: ") +
                (cause != 0 ? std::strerror(cause) : "stream error"));
  }

  print_options options_;
  std::FILE* stream_;
  std::string prefix_;
  std::string line_;
};

}  // namespace upsertkit

#endif  // UPSERTKIT_PRINT_HPP
