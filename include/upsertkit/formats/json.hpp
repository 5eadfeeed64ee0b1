// upsertkit: Flink's `json` format for one projection of a table, both directions.
//
// Decoding uses simdjson On-Demand and walks each object's fields once, dispatching on the key,
// so the cost does not depend on the producer's field order. String columns that need no
// unescaping become views into the caller's message bytes (zero copy); escaped strings are
// views into the parser's string buffer. Either way they stay valid until the next decode on
// the same codec (and, for the first kind, as long as the message bytes live). BYTES columns
// are base64 strings; they decode into a buffer of the codec per column, with the same
// lifetime as an escaped string: until the next decode on the same codec.
// Encoding is compact, in projection order, with Java's number spelling.
#ifndef UPSERTKIT_FORMATS_JSON_HPP
#define UPSERTKIT_FORMATS_JSON_HPP

#include <simdjson.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <deque>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <vector>

#if defined(__AVX2__)
#include <immintrin.h>
#elif defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "../column_io.hpp"
#include "../config/json_options.hpp"
#include "../error.hpp"
#include "../schema.hpp"
#include "../text.hpp"
#include "base64.hpp"
#include "string_writer.hpp"

namespace upsertkit::json {

/// Appends `text` as a JSON string literal, escaping as Jackson does by default. A character
/// outside the Basic Multilingual Plane (4 UTF-8 bytes, such as an emoji) is written as its
/// UTF-16 surrogate pair, `\uD83D\uDE00`, as Flink 1.20's Jackson 2.14 writes it
/// (jackson-core issue 223): a key must be the same bytes as Flink's to land in the same
/// partition (docs/formats.md).
template <class Out>
void append_string(Out& out, std::string_view text) {
  static constexpr char hex[] = "0123456789ABCDEF";
  // Most strings need no escape: one pass without early exit (vectorised) tells, and the
  // string is then copied whole.
  bool plain = true;
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    plain &= c >= 0x20 && c != '"' && c != '\\' && c < 0xF0;
  }
  out += '"';
  if (plain) {
    out.append(text.data(), text.size());
    out += '"';
    return;
  }
  auto append_utf16 = [&](unsigned unit) {
    out += "\\u";
    out += hex[(unit >> 12) & 0xF];
    out += hex[(unit >> 8) & 0xF];
    out += hex[(unit >> 4) & 0xF];
    out += hex[unit & 0xF];
  };
  std::size_t run = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\' && c < 0xF0) continue;
    if (c >= 0xF0) {
      // A 4-byte sequence (validated UTF-8 from a decoder, or the caller's); anything else is
      // copied as it is.
      if (c > 0xF4 || text.size() - i < 4) continue;
      const auto b1 = static_cast<unsigned char>(text[i + 1]);
      const auto b2 = static_cast<unsigned char>(text[i + 2]);
      const auto b3 = static_cast<unsigned char>(text[i + 3]);
      if ((b1 & 0xC0) != 0x80 || (b2 & 0xC0) != 0x80 || (b3 & 0xC0) != 0x80) continue;
      const unsigned code =
          ((c & 0x07u) << 18) | ((b1 & 0x3Fu) << 12) | ((b2 & 0x3Fu) << 6) | (b3 & 0x3Fu);
      if (code < 0x10000 || code > 0x10FFFF) continue;
      out.append(text.data() + run, i - run);
      append_utf16(0xD800 + ((code - 0x10000) >> 10));
      append_utf16(0xDC00 + ((code - 0x10000) & 0x3FF));
      i += 3;
      run = i + 1;
      continue;
    }
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

#include "simd_namespace.ipp"

namespace detail {
// One bit per column: a machine word for tables of up to 64 columns (the usual case, and the
// same instructions as a plain std::uint64_t), an array of them for wider ones.
template <std::size_t Bits>
class column_bits {
  static constexpr std::size_t words = Bits <= 64 ? 1 : (Bits + 63) / 64;

 public:
  // A bit's place, computed once and used for several tests and sets (up to 64 columns it is
  // a one-bit mask, as a plain word's code would use).
  struct place {
    std::size_t word;
    std::uint64_t mask;
  };
  static place at(std::size_t i) noexcept {
    if constexpr (words == 1)
      return {0, std::uint64_t{1} << i};
    else
      return {i / 64, std::uint64_t{1} << (i % 64)};
  }
  static column_bits only(std::size_t i) noexcept {
    column_bits b;
    b.set(at(i));
    return b;
  }
  void set(place p) noexcept { words_[p.word] |= p.mask; }
  void reset(place p) noexcept { words_[p.word] &= ~p.mask; }
  bool test(place p) const noexcept { return (words_[p.word] & p.mask) != 0; }
  bool test(std::size_t i) const noexcept { return test(at(i)); }
  bool none() const noexcept {
    for (std::uint64_t w : words_)
      if (w != 0) return false;
    return true;
  }
  // Whether bits [0, n) are all set.
  bool first_set(std::size_t n) const noexcept {
    for (std::size_t i = 0; i < words; ++i) {
      const std::size_t in_word = n > i * 64 ? std::min<std::size_t>(n - i * 64, 64) : 0;
      const std::uint64_t want =
          in_word == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << in_word) - 1;
      if ((words_[i] & want) != want) return false;
    }
    return true;
  }

 private:
  std::array<std::uint64_t, words> words_{};
};
}  // namespace detail

template <class Table>
class codec {
  using column_bits = detail::column_bits<Table::column_count>;

 public:
  using row_type = typename Table::row_type;

  explicit codec(projection columns, options opts = {}, role which = role::value)
      : projection_(std::move(columns)), options_(opts), role_(which) {
    for (std::size_t slot = 0; slot < projection_.names.size(); ++slot) {
      std::string prefix;
      if (slot != 0) prefix += ',';
      append_string(prefix, projection_.names[slot]);
      prefix += ':';
      names_bytes_ += prefix.size();
      encoded_names_.push_back(std::move(prefix));
    }
    for (const std::string& name : projection_.names)
      names_.emplace_back(name);
    for (const std::uint16_t column : projection_.columns)
      visit_column<Table>(column, [&](auto index) {
        const std::string refused =
            non_string_map_key<typename Table::template member_type<decltype(index)::value>>();
        if (!refused.empty())
          throw config_error(
              "JSON format doesn't support non-string as key type of map. The type is: " + refused);
      });
    build_key_index();
  }

  const options& format_options() const noexcept { return options_; }
  const projection& columns() const noexcept { return projection_; }

  /// Decodes one JSON object into the projected members of `row`.
  decode_status decode(std::string_view message, row_type& row) {
    return decode_message<true>(message, row);
  }

  /// decode() without its flat-object fast path (walk_flat): simdjson walks every message.
  /// The same results for every input; for the differential tests and the benchmarks that
  /// compare the two paths.
  decode_status decode_general(std::string_view message, row_type& row) {
    return decode_message<false>(message, row);
  }

 private:
  template <bool TryFlat>
  decode_status decode_message(std::string_view message, row_type& row) {
    // Flink's JSON deserializer returns no row for an empty message. A message that is JSON
    // `null` fails its job (1.20.3, the default parser path: "Failed to deserialize JSON
    // 'null'"), so it is a failure here too: skipped only when the user asks.
    if (message.empty()) return decode_status::no_row();
    if (message.front() != '{' && trim_whitespace(message) == "null")
      return decode_status::failure("", "the message is JSON null, not an object");
    if (message.size() + simdjson::SIMDJSON_PADDING > scratch_capacity_) {
      scratch_capacity_ = (message.size() + simdjson::SIMDJSON_PADDING) * 2;
      scratch_ = std::make_unique<char[]>(scratch_capacity_);
#if defined(__AVX2__)
      string_bits_ = std::make_unique<std::uint64_t[]>(2 * (scratch_capacity_ / 64 + 1));
#endif
    }
    std::memcpy(scratch_.get(), message.data(), message.size());
    std::memset(scratch_.get() + message.size(), 0, simdjson::SIMDJSON_PADDING);
    message_ = message;
    if constexpr (has_nested_columns) nested_buffers_used_ = 0;
    if (!offsets_known_) learn_offsets(row);

    column_bits seen;      // by slot
    column_bits deferred;  // by column
    if (!TryFlat || !flat_walkable_ || !walk_flat(message.size(), seen, deferred)) {
      if (decode_status failed = walk_general(row, seen, deferred); !failed) return failed;
    }
    if (!deferred.none() && !convert_texts(deferred, row)) return std::move(failure_);

    const std::size_t slots = names_.size();
    if (seen.first_set(slots)) return {};
    for (std::size_t slot = 0; slot < slots; ++slot)
      if (!seen.test(slot) && !missing(slot, row)) return std::move(failure_);
    return {};
  }

  // The fast path of decode(), for projections whose every column converts from its text
  // (STRING, DOUBLE, FLOAT; `flat_walkable_`): a flat object whose values are all strings
  // without escapes or JSON numbers, no field given twice, its bytes valid UTF-8. That is what
  // producers of upsert topics write nearly always, and a walk of it needs neither of simdjson's
  // two stages: one pass over the bytes notes the same texts as walk_general would (the same
  // conversions then run, with the same results and errors). Anything else returns false, and
  // walk_general decodes the message from the start, with simdjson's validation and its errors.
  // Every read stays within the message and the scratch buffer's zeroed padding: a zero byte stops
  // every scan below.
  bool walk_flat(std::size_t size, column_bits& seen, column_bits& deferred) noexcept {
    const char* const start = scratch_.get();
    const char* p = start;
    const char* const end = p + size;
#if defined(__AVX2__)
    if (!mark_strings(p, size) && !simdjson::validate_utf8(p, size)) return false;
    auto plain_string_length = [this, start](const char* at) noexcept {
      return plain_string_length_at(static_cast<std::size_t>(at - start));
    };
#else
    if (!valid_utf8(p, size)) return false;
#endif
    p = skip_whitespace(p);
    if (*p != '{') return false;
    p = skip_whitespace(p + 1);
    if (*p == '}') return skip_whitespace(p + 1) == end;
    for (;;) {
      if (*p != '"') return false;
      ++p;
      // The key's end comes from its bytes, not from the name found: the walk goes on while
      // the lookup's loads are in flight.
      const std::size_t slot = find_raw_slot(p);
      const std::size_t key_length = plain_string_length(p);
      if (key_length == npos) return false;  // escapes or a control character
      p += key_length + 1;
      p = skip_whitespace(p);
      if (*p != ':') return false;
      p = skip_whitespace(p + 1);
      std::string_view text;
      if (*p == '"') {
        const std::size_t length = plain_string_length(p + 1);
        if (length == npos) return false;
        text = std::string_view(p + 1, length);
        p += length + 2;
      } else {
        const std::size_t length = json_number_length(p);
        if (length == 0) return false;  // true, false, null, an object, an array, or bad
        text = std::string_view(p, length);
        p += length;
      }
      if (slot != npos) {
        // Its column converts from the text: every column does where this walk runs.
        const key_info& key = keys_[slot];
        const typename column_bits::place slot_bit = column_bits::at(slot);
        if (seen.test(slot_bit)) return false;  // given twice: the general walk's rules
        seen.set(slot_bit);
        texts_[key.column] = text;
        deferred.set(column_bits::at(key.column));
      }
      p = skip_whitespace(p);
      if (*p == ',') {
        p = skip_whitespace(p + 1);
        continue;
      }
      if (*p != '}') return false;
      return skip_whitespace(p + 1) == end;
    }
  }

#if defined(__AVX2__)
  // One pass over the message and its zeroed padding up to the next multiple of 64 bytes: bit i
  // of string_bits_[2 * (i / 64)] marks a quote at byte i, of string_bits_[2 * (i / 64) + 1] a
  // backslash or a control character. The walk then finds each string's end in these bits (a
  // shift and a count on two words) instead of scanning its bytes: a scan is a load, compares
  // and a movemask that wait on the previous token's end, where these 32-byte blocks are all
  // independent of each other. Returns whether every byte is ASCII.
  bool mark_strings(const char* p, std::size_t size) noexcept {
    const std::size_t words = size / 64 + 1;  // reads end within the 64 bytes of padding
    std::uint32_t high = 0;
    for (std::size_t w = 0; w < words; ++w) {
      const char* const at = p + 64 * w;
      const string_block low = scan_string_block(at);
      const string_block upper = scan_string_block(at + 32);
      string_bits_[2 * w] = low.quotes | static_cast<std::uint64_t>(upper.quotes) << 32;
      string_bits_[2 * w + 1] = low.others | static_cast<std::uint64_t>(upper.others) << 32;
      high |= low.high | upper.high;
    }
    return high == 0;
  }

  // The length of the string text at byte `at` of the message when its first quote, backslash or
  // control character is a quote (no escapes), npos otherwise, from mark_strings' bits.
  // The zero byte after the message is a stop, so the search ends within the bits marked.
  std::size_t plain_string_length_at(std::size_t at) const noexcept {
    std::size_t word = at / 64;
    std::size_t base = at;  // the byte of bit 0 below
    std::uint64_t quotes = string_bits_[2 * word] >> (at % 64);
    std::uint64_t stops = string_bits_[2 * word + 1] >> (at % 64);
    while ((quotes | stops) == 0) {
      ++word;
      base = 64 * word;
      quotes = string_bits_[2 * word];
      stops = string_bits_[2 * word + 1];
    }
    const std::uint64_t any = quotes | stops;
    const std::uint64_t first = any & (~any + 1);
    return (first & quotes) != 0 ? base - at + static_cast<std::size_t>(std::countr_zero(first))
                                 : npos;
  }
#endif

#if !defined(__AVX2__)
  // Without AVX2, mark_strings and plain_string_length_at are these scans of each string:
  // the length of the string text at `p` when its first quote, backslash or control character
  // is a quote (the string ends there, with no escapes), npos otherwise.
  static std::size_t plain_string_length(const char* p) noexcept {
    const std::size_t length = find_string_stop(p);
    return p[length] == '"' ? length : npos;
  }
#endif

  static const char* skip_whitespace(const char* p) noexcept {
    // One test for the usual byte, which is no space: JSON's four are all at most ' '.
    while (static_cast<unsigned char>(*p) <= ' ' &&
           (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
      ++p;
    return p;
  }

  // The length of the JSON number (RFC 8259) that starts at `p`, 0 when none does. What
  // follows it is the caller's to check (`01` is the number 0 followed by a stray 1).
  static std::size_t json_number_length(const char* p) noexcept {
    const char* q = p;
    auto digits = [&q] {
      const char* const start = q;
      while (static_cast<unsigned char>(*q - '0') <= 9)
        ++q;
      return q != start;
    };
    q += *q == '-';
    if (*q == '0')
      ++q;
    else if (!digits())
      return 0;
    if (*q == '.' && (++q, !digits())) return 0;
    if (*q == 'e' || *q == 'E') {
      ++q;
      q += *q == '+' || *q == '-';
      if (!digits()) return 0;
    }
    return static_cast<std::size_t>(q - p);
  }

#if !defined(__AVX2__)
  // ASCII is checked here, 8 bytes at a time (reading into the zeroed padding); anything else
  // by simdjson's validator, as its stage 1 would. (With AVX2, mark_strings does the first.)
  static bool valid_utf8(const char* p, std::size_t size) noexcept {
    std::uint64_t any = 0;
    for (std::size_t i = 0; i < size; i += 8)
      any |= load_word(p + i);
    if ((any & 0x8080808080808080ull) == 0) return true;
    return simdjson::validate_utf8(p, size);
  }
#endif

  // simdjson's walk of any message: the general path of decode().
  decode_status walk_general(row_type& row, column_bits& seen_out, column_bits& deferred_out) {
    // Locals while walking, stored once at the end: through the references every set would
    // be a store the compiler cannot keep in a register.
    column_bits seen;
    column_bits deferred;
    simdjson::ondemand::document document;
    if (parser_.iterate(scratch_.get(), message_.size(), scratch_capacity_).get(document))
      return malformed_status();
    simdjson::ondemand::object object;
    if (document.get_object().get(object)) return malformed_status();

    char* const base = reinterpret_cast<char*>(&row);
    // Two passes. The walk, in the producer's field order, only finds each field's slot and,
    // for the usual value (a string without escapes, for a column that converts from its
    // text), notes where its text is: the same instructions for every field, whatever its
    // column's type. The conversions then run in column order, so their type-dependent branches
    // come in the same order for every record even when producers shuffle the fields (a
    // conversion per field during the walk mispredicted its branches on shuffled records).
    // Other values are decoded during the walk. A field given twice ends with its last value.
    for (auto field_result : object) {
      if (field_result.error()) return malformed_status();
      // A reference into the result, not a copy: copying the (key, value) pair through the
      // stack stalled on store forwarding in profiles.
      simdjson::ondemand::field&& field = std::move(field_result).value_unsafe();
      const std::size_t slot = find_slot(field);
      if (slot >= malformed_key) {
        if (slot == npos) continue;  // unknown fields are skipped
        return malformed_status();
      }
      seen.set(column_bits::at(slot));
      const key_info& key = keys_[slot];
      // Once, in a local: the stores below could alias key.column as far as the compiler
      // knows, and it would load and shift it again.
      const std::size_t column = key.column;
      const typename column_bits::place column_bit = column_bits::at(column);
      if (deferred.test(column_bit)) [[unlikely]] {
        // A field given twice: every occurrence is read, so a bad earlier one fails.
        deferred.reset(column_bit);
        if (!convert_earlier_text(column, row)) return std::move(failure_);
      }
      simdjson::ondemand::value& value = field.value();
      if (key.from_text) {
        // Reading it as a raw string consumes it (simdjson need not skip it later) and fails,
        // consuming nothing, for other types. simdjson has checked that the string is
        // closed, so the first quote closes it.
        simdjson::ondemand::raw_json_string raw;
        if (!value.get_raw_json_string().get(raw)) {
          const char* begin = reinterpret_cast<const char*>(raw.raw());
          const std::size_t length = find_string_stop(begin);
          if (begin[length] == '"') {
            texts_[column] = std::string_view(begin, length);
            deferred.set(column_bit);
            continue;
          }
        }
      }
      if (!key.decode(*this, slot, value, base + key.offset, row)) return std::move(failure_);
    }
    // Anything after the object (a second value, garbage) makes the message malformed.
    if (!document.current_location().error()) return malformed_status();
    seen_out = seen;
    deferred_out = deferred;
    return {};
  }

 public:
  /// Appends the projected columns of `row` as one compact JSON object.
  void encode(const row_type& row, std::string& out) const {
    // Room for a typical row at once: the names, and 24 bytes for each value.
    string_writer writer(out, names_bytes_ + 24 * projection_.columns.size() + 2);
    encode_into(row, writer);
  }

 private:
  void encode_into(const row_type& row, string_writer& out) const {
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

  template <class V>
  void append_value(const V& value, string_writer& out) const {
    constexpr sql_type type = column_traits<V>::type;
    if constexpr (is_nested(type)) {
      append_nested(value, out);
    } else if constexpr (type == sql_type::string) {
      append_string(out, value);
    } else if constexpr (type == sql_type::bytes) {
      out += '"';  // Jackson's BinaryNode: base64 text, no escaping needed
      const std::size_t size = base64::encoded_size(value.view().size());
      out.reserve(size);
      base64::write_encoded(out.cursor(), value.view());
      out.advance(size);
      out += '"';
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
    } else if constexpr (type == sql_type::timestamp || type == sql_type::timestamp_ltz) {
      out += '"';
      text::append_date_time(out, split_day_time(value),
                             options_.timestamp_standard == text::timestamp_standard::sql
                                 ? text::timestamp_style::sql
                                 : text::timestamp_style::iso_8601,
                             type == sql_type::timestamp_ltz);
      out += '"';
    } else if constexpr (type == sql_type::time) {
      // Flink writes LocalTime.ofSecondOfDay(millis / 1000): whole seconds (docs/formats.md).
      const std::int64_t nanos = split_day_time(value).nanos_of_day;
      out += '"';
      text::append_time(out, nanos - nanos % 1'000'000'000, text::time_style::sql);
      out += '"';
    } else {
      text::append_integer(out, static_cast<std::int64_t>(value));
    }
  }

  decode_status malformed_status() {
    malformed();
    return std::move(failure_);
  }

  bool malformed() {
    failure_ = decode_status::failure(
        "", "Failed to deserialize JSON '" + std::string(message_.substr(0, 256)) +
                (message_.size() > 256 ? "...'" : "'") + ": not a well-formed JSON object.");
    return false;
  }

  bool fail(std::size_t slot, std::string message) {
    failure_ = decode_status::failure(names_[slot], std::move(message));
    return false;
  }

  // A value inside a nested column does not fit (fail() names only the column: the enclosing
  // values add the path as the failure returns, see decode_nested_column).
  [[gnu::noinline, gnu::cold]] bool fail_nested(std::size_t slot, std::string message) {
    nested_error_ = nested_error::value;
    path_.clear();
    failure_ = decode_status::failure(names_[slot], std::move(message));
    return false;
  }

  static constexpr std::size_t malformed_key = npos - 1;

  static std::uint64_t load_word(const char* p) noexcept {
    std::uint64_t word;
    std::memcpy(&word, p, 8);
    return word;
  }

  // A mask of the first `n` bytes of a little-endian word (all of them from 8 on).
  static std::uint64_t low_bytes(std::size_t n) noexcept {
    return n >= 8 ? ~std::uint64_t{0} : (std::uint64_t{1} << (n * 8)) - 1;
  }

#if defined(__AVX2__)
  // 32 bytes at `p`, one bit a byte: quotes, and backslashes or control characters (below
  // 0x20), the bytes that end a string's plain text.
  struct string_block {
    std::uint32_t quotes;
    std::uint32_t others;
    std::uint32_t high;  // bytes of 0x80 and above (not ASCII)
  };
  static string_block scan_string_block(const char* p) noexcept {
    const __m256i bytes = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
    const __m256i control = _mm256_set1_epi8(0x1F);
    return {static_cast<std::uint32_t>(
                _mm256_movemask_epi8(_mm256_cmpeq_epi8(bytes, _mm256_set1_epi8('"')))),
            static_cast<std::uint32_t>(_mm256_movemask_epi8(
                _mm256_or_si256(_mm256_cmpeq_epi8(bytes, _mm256_set1_epi8('\\')),
                                _mm256_cmpeq_epi8(_mm256_min_epu8(bytes, control), bytes)))),
            static_cast<std::uint32_t>(_mm256_movemask_epi8(bytes))};
  }
#endif

  // The offset of the first '"', '\\' or control character (below 0x20) at or after `p`: the
  // end of a string's text when it has no escapes. The caller guarantees such a byte before
  // the end of the message (simdjson's stage 1 checked that every string is closed); the
  // reads past it, up to 31 bytes, stay inside the scratch buffer's padding.
  static std::size_t find_string_stop(const char* p) noexcept {
#if defined(__AVX2__)
    for (std::size_t i = 0;; i += 32) {
      const string_block block = scan_string_block(p + i);
      if (const std::uint32_t stops = block.quotes | block.others; stops != 0)
        return i + static_cast<std::size_t>(std::countr_zero(stops));
    }
#elif defined(__SSE2__)
    const __m128i quote = _mm_set1_epi8('"');
    const __m128i backslash = _mm_set1_epi8('\\');
    const __m128i control = _mm_set1_epi8(0x1F);
    for (std::size_t i = 0;; i += 16) {
      const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
      const __m128i stop =
          _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(bytes, quote), _mm_cmpeq_epi8(bytes, backslash)),
                       _mm_cmpeq_epi8(_mm_min_epu8(bytes, control), bytes));
      const auto mask = static_cast<unsigned>(_mm_movemask_epi8(stop));
      if (mask != 0) return i + static_cast<std::size_t>(std::countr_zero(mask));
    }
#else
    if constexpr (std::endian::native == std::endian::little) {
      // SWAR: a byte below n sets its high bit in (w - n) & ~w; the lowest hit is exact.
      constexpr std::uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
      for (std::size_t i = 0;; i += 8) {
        const std::uint64_t word = load_word(p + i);
        const std::uint64_t q = word ^ (ones * '"'), b = word ^ (ones * '\\');
        const std::uint64_t hit =
            ((q - ones) & ~q | (b - ones) & ~b | (word - ones * 0x20) & ~word) & highs;
        if (hit != 0) return i + static_cast<std::size_t>(std::countr_zero(hit)) / 8;
      }
    } else {
      std::size_t i = 0;
      while (p[i] != '"' && p[i] != '\\' && static_cast<unsigned char>(p[i]) >= 0x20)
        ++i;
      return i;
    }
#endif
  }

  // The key lookup: an open-addressing table over the first bytes of each projected name,
  // built once per codec, so finding a field costs the same in any field order. A hit is
  // confirmed by comparing the raw key bytes in the message with the name followed by its
  // closing quote (no scan for the key's end, no copy, no unescaping). A name with a quote,
  // a backslash or a control character cannot match raw bytes; it is found by the slow path.
  using column_decoder = bool (*)(codec&, std::size_t, simdjson::ondemand::value&, char*,
                                  row_type&);
  struct key_info {
    std::uint64_t pattern[2] = {};  // bytes 0-15 of the name and its closing quote
    std::uint64_t mask[2] = {};     // which of those bytes belong to the pattern
    std::size_t length = 0;         // of the name
    column_decoder decode = nullptr;
    std::ptrdiff_t offset = 0;  // of the column's member in the row
    std::size_t column = 0;     // the column's index in the table
    bool from_text = false;     // a string value's text converts into it (convert_texts)
  };

  // At most a quarter full, so a probe ends soon at an empty bucket.
  static constexpr unsigned key_table_bits = std::bit_width(4 * Table::column_count - 1) < 4
                                                 ? 4
                                                 : std::bit_width(4 * Table::column_count - 1);
  static constexpr std::size_t key_table_size = std::size_t{1} << key_table_bits;

  // text::detail::parse_plain_decimal for the text of a string whose closing quote follows
  // it: the quote ends the digit loops, so they need no bounds checks. Same results.
  static bool plain_decimal_before_quote(std::string_view text, double& out) noexcept {
    const char* p = text.data();
    const char* const end = p + text.size();  // *end == '"'
    const bool negative = *p == '-';
    p += negative;
    const char* const first = p;
    std::uint64_t mantissa = 0;
    for (unsigned digit; (digit = static_cast<unsigned char>(*p - '0')) <= 9; ++p)
      mantissa = mantissa * 10 + digit;
    std::size_t digits = static_cast<std::size_t>(p - first);
    std::size_t fraction_digits = 0;
    if (*p == '.') {
      const char* const fraction = ++p;
      for (unsigned digit; (digit = static_cast<unsigned char>(*p - '0')) <= 9; ++p)
        mantissa = mantissa * 10 + digit;
      fraction_digits = static_cast<std::size_t>(p - fraction);
      digits += fraction_digits;
    }
    if (p != end || digits == 0 || digits > 19 || mantissa > (std::uint64_t{1} << 53)) return false;
    static constexpr double powers[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                        1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                        1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    const double value = static_cast<double>(mantissa) / powers[fraction_digits];
    out = negative ? -value : value;
    return true;
  }

  // One column's decoder, for the values the walk does not leave to convert_texts.
  template <class Member>
  static bool decode_column(codec& self, std::size_t slot, simdjson::ondemand::value& value,
                            char* address, row_type& row) {
    return self.decode_member(slot, value, *std::launder(reinterpret_cast<Member*>(address)), row);
  }

  static constexpr bool converts_from_text(sql_type type) noexcept {
    return type == sql_type::string || type == sql_type::double_ || type == sql_type::float_;
  }

  // The second pass of decode(): the texts the walk noted (`deferred`, one bit per column),
  // converted in column order, inline (no call per field).
  bool convert_texts(const column_bits& deferred, row_type& row) {
    bool ok = true;
    for_each_column<Table>([&](auto column) {
      constexpr std::size_t I = decltype(column)::value;
      using Member = typename Table::fields::template member_type<I>;
      using V = typename column_traits<Member>::value_type;
      constexpr sql_type type = column_traits<Member>::type;
      if constexpr (converts_from_text(type)) {
        if (!ok || !deferred.test(I)) return;
        Member& member = Table::fields::template get<I>(row);
        const std::string_view text = texts_[I];
        if constexpr (type == sql_type::string) {
          column_io::assign_string(column_io::emplace(member), to_message(text));
        } else {
          // "60.00": the same correctly rounded double as simdjson's parser and Java's.
          double parsed = 0;
          if (plain_decimal_before_quote(text, parsed))
            column_io::emplace(member) = static_cast<V>(parsed);
          else
            ok = convert_other_number(I, text, member, row);
        }
      }
    });
    return ok;
  }

  [[gnu::noinline]] bool convert_earlier_text(std::size_t column, row_type& row) {
    return convert_texts(column_bits::only(column), row);
  }

  // A DOUBLE or FLOAT column's string that is not a plain decimal: Double.parseDouble of the
  // trimmed text, as decode_member does for any string.
  template <class Member>
  [[gnu::noinline]] bool convert_other_number(std::size_t column, std::string_view text,
                                              Member& member, row_type& row) {
    using V = typename column_traits<Member>::value_type;
    if (const auto parsed = text::parse_java_double(text)) {
      column_io::emplace(member) = static_cast<V>(*parsed);
      return true;
    }
    const std::string_view token(text.data() - 1, text.size() + 2);  // with its quotes
    return field_error(slot_of_column_[column], to_message(token),
                       sql_type_name(column_traits<Member>::type), row);
  }

  // The member offsets, learnt from the first row decoded into (they are the same for every
  // object of the type).
  void learn_offsets(row_type& row) noexcept {
    for (std::size_t slot = 0; slot < names_.size(); ++slot)
      visit_column<Table>(projection_.columns[slot], [&](auto column) {
        constexpr std::size_t I = decltype(column)::value;
        keys_[slot].offset = reinterpret_cast<char*>(&Table::fields::template get<I>(row)) -
                             reinterpret_cast<char*>(&row);
      });
    offsets_known_ = true;
  }

  std::size_t key_bucket(std::uint64_t head) const noexcept {
    return static_cast<std::size_t>((head * key_seed_) >> (64 - key_table_bits));
  }

  void build_key_index() {
    std::size_t shortest = 8;
    std::vector<bool> raw_matchable(names_.size());
    for (std::size_t slot = 0; slot < names_.size(); ++slot) {
      key_info& key = keys_[slot];
      const std::string_view name = names_[slot];
      raw_matchable[slot] = std::all_of(name.begin(), name.end(), [](char c) {
        return c != '"' && c != '\\' && static_cast<unsigned char>(c) >= 0x20;
      });
      char bytes[16] = {};
      std::memcpy(bytes, name.data(), std::min<std::size_t>(name.size(), 16));
      if (name.size() < 16) bytes[name.size()] = '"';
      key.pattern[0] = load_word(bytes);
      key.pattern[1] = load_word(bytes + 8);
      key.mask[0] = low_bytes(name.size() + 1);
      key.mask[1] = name.size() + 1 > 8 ? low_bytes(name.size() + 1 - 8) : 0;
      key.length = name.size();
      visit_column<Table>(projection_.columns[slot], [&](auto column) {
        constexpr std::size_t I = decltype(column)::value;
        using Member = typename Table::fields::template member_type<I>;
        key.decode = &codec::decode_column<Member>;
        key.column = I;
        key.from_text = converts_from_text(column_traits<Member>::type);
        slot_of_column_[I] = slot;
      });
      if (raw_matchable[slot]) shortest = std::min(shortest, name.size() + 1);
    }
    flat_walkable_ =
        std::all_of(keys_.begin(), keys_.begin() + static_cast<std::ptrdiff_t>(names_.size()),
                    [](const key_info& key) { return key.from_text; });
    // Every key is hashed on its first `shortest` bytes: all of them belong to any name that
    // can match (with its quote), and reading them is safe (the buffer is padded).
    head_mask_ = low_bytes(shortest);
    // Seeds are tried until no two names share a bucket; linear probing keeps the table correct
    // if none is found.
    std::uint64_t seed = 0x9E3779B97F4A7C15ull;
    for (int attempt = 0; attempt < 64; ++attempt, seed += 0x6A09E667F3BCC90Aull) {
      key_seed_ = seed;
      key_table_.fill(0);
      bool collided = false;
      for (std::size_t slot = 0; slot < names_.size(); ++slot) {
        if (!raw_matchable[slot]) continue;
        std::size_t bucket = key_bucket(keys_[slot].pattern[0] & head_mask_);
        for (; key_table_[bucket] != 0; bucket = (bucket + 1) % key_table_size)
          collided = true;
        key_table_[bucket] = static_cast<std::uint8_t>(slot + 1);
      }
      if (!collided) break;
    }
  }

  // The rest of a name of 16 bytes or more, and its closing quote, within the message.
  bool long_key_is(const char* raw, std::size_t slot) const noexcept {
    const std::size_t length = names_[slot].size();
    return static_cast<std::size_t>(scratch_.get() + message_.size() - raw) > length &&
           std::memcmp(raw + 16, names_[slot].data() + 16, length - 16) == 0 && raw[length] == '"';
  }

  // The slot of the field's key, npos for an unknown field, malformed_key for a bad escape.
  std::size_t find_slot(simdjson::ondemand::field& field) {
    const char* raw = reinterpret_cast<const char*>(field.key().raw());
    if (const std::size_t slot = find_raw_slot(raw); slot != npos) return slot;
    // No name matches the raw bytes: an unknown field, unless the key has escapes.
    if (raw[find_string_stop(raw)] == '"') return npos;
    return find_escaped_slot(field);
  }

  // The slot whose name and closing quote are the bytes at `raw` (a key's text, after its
  // opening quote), npos when none is.
  std::size_t find_raw_slot(const char* raw) const noexcept {
    // Reading 16 bytes from `raw` is safe: the key's closing quote is in the message and the
    // scratch buffer is padded.
    const std::uint64_t first = load_word(raw);
    for (std::size_t bucket = key_bucket(first & head_mask_);;
         bucket = (bucket + 1) % key_table_size) {
      const std::size_t entry = key_table_[bucket];
      if (entry == 0) break;
      const key_info& key = keys_[entry - 1];
      if ((((first ^ key.pattern[0]) & key.mask[0]) |
           ((load_word(raw + 8) ^ key.pattern[1]) & key.mask[1])) == 0 &&
          (key.length < 16 || long_key_is(raw, entry - 1)))
        return entry - 1;
    }
    return npos;
  }

  // A key with escapes (rare): unescaped by simdjson, then compared with every name.
  [[gnu::noinline]] std::size_t find_escaped_slot(simdjson::ondemand::field& field) {
    std::string_view key;
    if (field.unescaped_key().get(key)) return malformed_key;
    for (std::size_t slot = 0; slot < names_.size(); ++slot)
      if (names_[slot] == key) return slot;
    return npos;
  }

  bool missing(std::size_t slot, row_type& row) {
    if (options_.fail_on_missing_field)
      return fail(slot, "Some field is missing in the JSON data.");
    bool ok = true;
    visit_column<Table>(projection_.columns[slot], [&](auto column) {
      constexpr std::size_t I = decltype(column)::value;
      if (column_io::set_null(Table::fields::template get<I>(row))) return;
      if (role_ == role::value && Table::is_key_column(I)) return;  // keeps the key's value
      ok = fail(slot, "missing, and the column is NOT NULL");
    });
    return ok;
  }

  std::string_view to_message(std::string_view in_scratch) const noexcept {
    return std::string_view(message_.data() + (in_scratch.data() - scratch_.get()),
                            in_scratch.size());
  }

  static std::string_view trim_whitespace(std::string_view text) noexcept {
    auto space = [](char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; };
    while (!text.empty() && space(text.front()))
      text.remove_prefix(1);
    while (!text.empty() && space(text.back()))
      text.remove_suffix(1);
    return text;
  }

  static std::string_view trim_token(std::string_view token) noexcept {
    while (!token.empty() && (token.back() == ' ' || token.back() == '\n' || token.back() == '\r' ||
                              token.back() == '\t'))
      token.remove_suffix(1);
    return token;
  }

  // A value that does not fit its column: NULL under ignore-parse-errors when the column is
  // nullable, otherwise a failure naming the field and what was found.
  bool field_error(std::size_t slot, std::string_view found, std::string_view expected,
                   row_type& row) {
    if (options_.ignore_parse_errors) {
      bool nulled = false;
      visit_column<Table>(projection_.columns[slot], [&](auto column) {
        constexpr std::size_t I = decltype(column)::value;
        nulled = column_io::set_null(Table::fields::template get<I>(row));
      });
      if (nulled) return true;
    }
    std::string message = "cannot read ";
    message += found.size() > 64 ? std::string(found.substr(0, 64)) + "..." : std::string(found);
    message += " as ";
    message += expected;
    return fail(slot, std::move(message));
  }

  // RFC 8259 number grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
  // On-Demand checks atoms only when asked to parse them, so `6x` or `01` must be caught here.
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

  // Bytes of [p, end) that are below 0x20 (JSON forbids raw control characters in strings;
  // Jackson rejects them) or are a backslash (the string has escapes), as a SWAR mask test
  // eight bytes at a time. Reading a word past `end` is safe: the scratch buffer is padded.
  enum class string_scan : std::uint8_t { plain, escaped, control };

  static string_scan scan_string(const char* p, const char* end) noexcept {
    constexpr std::uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    std::uint64_t found_control = 0, found_backslash = 0;
    for (; p < end; p += 8) {
      std::uint64_t word;
      std::memcpy(&word, p, 8);
      const std::uint64_t backslash = word ^ (ones * '\\');
      std::uint64_t control = (word - ones * 0x20) & ~word & highs;
      std::uint64_t escape = (backslash - ones) & ~backslash & highs;
      const auto left = static_cast<std::size_t>(end - p);
      if (left < 8) {
        const std::uint64_t keep = (std::uint64_t{1} << (left * 8)) - 1;
        control &= keep;
        escape &= keep;
      }
      found_control |= control;
      found_backslash |= escape;
    }
    if (found_control != 0) return string_scan::control;
    return found_backslash != 0 ? string_scan::escaped : string_scan::plain;
  }

  // The content of a string value: a view into the caller's message when it has no escapes
  // (the usual case, found by one SWAR pass), otherwise simdjson's unescaped copy in the
  // parser's string buffer (valid until the next decode). A null data() means malformed.
  // Returned by value, in registers: an out-parameter stalled on store forwarding.
  std::string_view string_content(simdjson::ondemand::value& value, std::string_view token) {
    // The token is `"..."`: simdjson ends it at the next structural character.
    const std::string_view raw = token.substr(1, token.size() - 2);
    switch (scan_string(raw.data(), raw.data() + raw.size())) {
      case string_scan::plain:
        return to_message(raw);
      case string_scan::escaped: {
        std::string_view unescaped;
        if (value.get_string().get(unescaped)) return {};
        return unescaped.data() != nullptr ? unescaped : std::string_view(raw.data(), 0);
      }
      case string_scan::control:
        return {};
    }
    return {};
  }

  static bool nested_json(simdjson::ondemand::value& value, bool is_object,
                          std::string_view& token) noexcept {
    if (is_object) {
      simdjson::ondemand::object nested;
      return !(value.get_object().get(nested) || nested.raw_json().get(token));
    }
    simdjson::ondemand::array nested;
    return !(value.get_array().get(nested) || nested.raw_json().get(token));
  }

  // The first MAP or MULTISET in a member's type whose keys are not STRING (Flink's JSON
  // converters refuse them when the format is created); empty when there is none.
  template <class Member>
  static std::string non_string_map_key() {
    using V = typename upsertkit::detail::unwrap_optional<Member>::type;
    auto is_string = []<class K>(std::type_identity<K>) {
      return std::is_same_v<K, std::string> || std::is_same_v<K, std::string_view>;
    };
    if constexpr (upsertkit::detail::is_vector<V>) {
      return non_string_map_key<typename V::value_type>();
    } else if constexpr (upsertkit::detail::is_map<V>) {
      if (!is_string(std::type_identity<typename V::key_type>{}))
        return upsertkit::detail::sql_type_text<V>();
      return non_string_map_key<typename V::mapped_type>();
    } else if constexpr (upsertkit::detail::is_multiset<V>) {
      if (!is_string(std::type_identity<typename V::element_type>{}))
        return upsertkit::detail::sql_type_text<V>();
      return {};
    } else if constexpr (upsertkit::detail::is_row<V>) {
      std::string refused;
      for_each_field<V>([&](auto f) {
        if (refused.empty())
          refused = non_string_map_key<
              typename struct_fields<V>::template member_type<decltype(f)::value>>();
      });
      return refused;
    } else {
      return {};
    }
  }

  static constexpr bool is_nested(sql_type type) noexcept {
    return type == sql_type::array || type == sql_type::map || type == sql_type::multiset ||
           type == sql_type::row;
  }

  static constexpr bool has_nested_columns = [] {
    for (sql_type type : Table::column_types)
      if (is_nested(type)) return true;
    return false;
  }();

  // Where a nested value's error is, for its message: `tags[2]`, `home.geo.lat`,
  // `attributes["k"]`. Nothing is kept while values decode well: a failing value's enclosing
  // arrays, maps and rows add their segment as the failure returns through them (innermost
  // first), and the name is spelt once, at the column.
  struct path_segment {
    std::string_view name;  // a ROW field or a MAP key; empty for an ARRAY index
    std::size_t index = 0;
    bool is_key = false;
  };

  std::string nested_field_name(std::size_t slot) const {
    std::string name(names_[slot]);
    for (auto it = path_.rbegin(); it != path_.rend(); ++it) {
      const path_segment& segment = *it;
      if (segment.is_key) {
        name += "[\"";
        name += segment.name;
        name += "\"]";
      } else if (!segment.name.empty()) {
        name += '.';
        name += segment.name;
      } else {
        name += '[';
        name += std::to_string(segment.index);
        name += ']';
      }
    }
    return name;
  }

  // Decoded BYTES inside nested values: one buffer each (a deque keeps them in place while
  // it grows), valid until the next decode.
  std::string& next_nested_buffer() {
    if (nested_buffers_used_ == nested_buffers_.size()) nested_buffers_.emplace_back();
    std::string& buffer = nested_buffers_[nested_buffers_used_++];
    buffer.clear();
    return buffer;
  }

  // A nested column (ARRAY, MAP, MULTISET, ROW). A value error inside it fails the record, or
  // under ignore-parse-errors makes the innermost nullable element, field or column NULL; a
  // malformed message always fails.
  template <class Member>
  [[gnu::noinline]] bool decode_nested_column(std::size_t slot, simdjson::ondemand::value& value,
                                              Member& member, row_type& row) {
    nested_error_ = nested_error::none;
    // Inside a nested value the innermost nullable element or field takes the NULL
    // (read_element), as Flink's nullable converter wraps every nested converter: field_error
    // must not NULL the column, whose value is being filled.
    ignore_nested_errors_ = options_.ignore_parse_errors;
    options_.ignore_parse_errors = false;
    ++nesting_;
    const bool ok = read_element(slot, value, member, row, true);
    --nesting_;
    options_.ignore_parse_errors = ignore_nested_errors_;
    if (ok) return true;
    if (nested_error_ != nested_error::value) return false;  // malformed: failure_ says so
    if (ignore_nested_errors_ && column_io::set_null(member)) return true;
    if (!path_.empty()) {
      std::string message = failure_.failure().message;
      failure_ = decode_status::failure(nested_field_name(slot), std::move(message));
    }
    return false;
  }

  // One element, field, map value or count: NULL, a nested value or a scalar (decode_member).
  template <class Element>
  bool read_element(std::size_t slot, simdjson::ondemand::value& value, Element& element,
                    row_type& row, bool is_column = false) {
    using V = typename upsertkit::detail::unwrap_optional<Element>::type;
    bool ok;
    if constexpr (is_nested(column_traits<V>::type)) {
      simdjson::ondemand::json_type kind;
      if (value.type().get(kind)) return malformed();
      if (kind == simdjson::ondemand::json_type::null) {
        if (value.is_null().error()) return malformed();
        if (column_io::set_null(element)) return true;
        return fail_nested(slot, is_column ? "null, and the column is NOT NULL"
                                           : "null, and the element is NOT NULL");
      }
      ok = read_nested(slot, value, column_io::emplace(element), row);
    } else {
      if constexpr (column_traits<V>::type == sql_type::string) {
        // The usual string, without escapes, as the top-level walk reads it: a view into the
        // message found by one vector scan. Others take decode_member's path.
        simdjson::ondemand::raw_json_string raw;
        if (!value.get_raw_json_string().get(raw)) {
          const char* begin = reinterpret_cast<const char*>(raw.raw());
          const std::size_t length = find_string_stop(begin);
          if (begin[length] == '"') {
            column_io::assign_string(column_io::emplace(element),
                                     to_message(std::string_view(begin, length)));
            return true;
          }
        }
      }
      if constexpr (column_traits<V>::type == sql_type::integer ||
                    column_traits<V>::type == sql_type::bigint) {
        // A plain integer token, parsed by simdjson (which consumes nothing when the token is
        // anything else: "1.5", "01", a string, 2^63); the rest, and values out of V's range,
        // take decode_member's Jackson-compatible path and its errors.
        std::int64_t number = 0;
        if (!value.get_int64().get(number) && number >= std::numeric_limits<V>::min() &&
            number <= std::numeric_limits<V>::max()) {
          column_io::emplace(element) = static_cast<V>(number);
          return true;
        }
      }
      if constexpr (!upsertkit::detail::is_optional<Element>::value) {
        simdjson::ondemand::json_type kind;
        if (value.type().get(kind)) return malformed();
        if (kind == simdjson::ondemand::json_type::null)
          return fail_nested(slot, is_column ? "null, and the column is NOT NULL"
                                             : "null, and the element is NOT NULL");
      }
      ok = decode_member(slot, value, element, row);
      // A scalar that does not fit names its column (fail()); a malformed message names none.
      if (!ok && !failure_.failure().field.empty()) {
        nested_error_ = nested_error::value;
        path_.clear();
      }
    }
    if constexpr (upsertkit::detail::is_optional<Element>::value) {
      if (!ok && nested_error_ == nested_error::value && ignore_nested_errors_) {
        element.reset();
        nested_error_ = nested_error::none;
        return true;
      }
    }
    return ok;
  }

  // A value inside this one failed: its segment goes on the failure's path (a malformed
  // message has no path).
  bool failed_at(path_segment segment) {
    if (nested_error_ == nested_error::value) path_.push_back(segment);
    return false;
  }

  // The text of a field's key or a map's key: a view into the message when it has no escapes.
  std::string_view key_text(simdjson::ondemand::field& field) {
    const char* raw = reinterpret_cast<const char*>(field.key().raw());
    const std::size_t length = find_string_stop(raw);
    if (raw[length] == '"') return to_message(std::string_view(raw, length));
    std::string_view unescaped;
    if (field.unescaped_key().get(unescaped)) return {};
    return unescaped.data() != nullptr ? unescaped : std::string_view(raw, 0);
  }

  // What a value of the wrong kind was, for "cannot read ... as ARRAY<INT>".
  std::string_view found_text(simdjson::ondemand::value& value) {
    simdjson::ondemand::json_type kind;
    if (!value.type().get(kind)) {
      if (kind == simdjson::ondemand::json_type::object) return "a JSON object";
      if (kind == simdjson::ondemand::json_type::array) return "a JSON array";
    }
    return to_message(trim_token(value.raw_json_token()));
  }

  template <class V>
  bool read_nested(std::size_t slot, simdjson::ondemand::value& value, V& out, row_type& row) {
    if constexpr (upsertkit::detail::is_vector<V>) {
      simdjson::ondemand::array array;
      if (value.get_array().get(array))
        return fail_nested(slot, "cannot read " + std::string(found_text(value)) + " as " +
                                     upsertkit::detail::sql_type_text<V>());
      out.clear();
      std::size_t index = 0;
      for (auto element_result : array) {
        simdjson::ondemand::value element;
        if (element_result.get(element)) return malformed();
        bool ok;
        if constexpr (std::is_same_v<typename V::value_type, bool>) {
          bool flag = false;  // std::vector<bool> has no element to read into
          ok = read_element(slot, element, flag, row);
          out.push_back(flag);
        } else {
          ok = read_element(slot, element, out.emplace_back(), row);
        }
        if (!ok) return failed_at({{}, index, false});
        ++index;
      }
      return true;
    } else if constexpr (upsertkit::detail::is_map<V> || upsertkit::detail::is_multiset<V>) {
      auto& entries = [&]() -> auto& {
        if constexpr (upsertkit::detail::is_multiset<V>)
          return out.counts;
        else
          return out;
      }
      ();
      using key_type = typename std::remove_reference_t<decltype(entries)>::key_type;
      simdjson::ondemand::object object;
      if (value.get_object().get(object))
        return fail_nested(slot, "cannot read " + std::string(found_text(value)) + " as " +
                                     upsertkit::detail::sql_type_text<V>());
      entries.clear();
      for (auto field_result : object) {
        if (field_result.error()) return malformed();
        simdjson::ondemand::field&& field = std::move(field_result).value_unsafe();
        const std::string_view key = key_text(field);
        if (key.data() == nullptr) return malformed();
        if constexpr (std::is_same_v<key_type, std::string> ||
                      std::is_same_v<key_type, std::string_view>) {
          // A key given twice keeps its last value, as Flink's HashMap.put.
          auto& mapped = entries[key_type(key)];
          if (!read_element(slot, field.value(), mapped, row)) return failed_at({key, 0, true});
        } else {
          return false;  // the constructor refused the key type
        }
      }
      return true;
    } else {
      static_assert(upsertkit::detail::is_row<V>);
      using fields = struct_fields<V>;
      simdjson::ondemand::object object;
      if (value.get_object().get(object))
        return fail_nested(slot, "cannot read " + std::string(found_text(value)) + " as " +
                                     upsertkit::detail::sql_type_text<V>());
      std::array<bool, fields::count> seen{};
      std::size_t expected = 0;
      for (auto field_result : object) {
        if (field_result.error()) return malformed();
        simdjson::ondemand::field&& field = std::move(field_result).value_unsafe();
        const std::string_view key = key_text(field);
        if (key.data() == nullptr) return malformed();
        // Producers mostly write a ROW's fields in its order: the next field is tried first.
        const std::size_t index = expected < fields::count && fields::names[expected] == key
                                      ? expected
                                      : fields::index_of(key);
        if (index == npos) continue;  // unknown fields are skipped, as at the top level
        expected = index + 1;
        seen[index] = true;
        bool ok = true;
        visit_field<V>(index, [&](auto f) {
          ok =
              read_element(slot, field.value(), fields::template get<decltype(f)::value>(out), row);
        });
        if (!ok) return failed_at({fields::names[index]});
      }
      bool ok = true;
      for_each_field<V>([&](auto f) {
        constexpr std::size_t F = decltype(f)::value;
        if (!ok || seen[F]) return;
        if (options_.fail_on_missing_field)
          ok = fail_nested(slot, "Some field is missing in the JSON data.");
        else if (!column_io::set_null(fields::template get<F>(out)))
          ok = fail_nested(slot, "missing, and the field is NOT NULL");
        if (!ok) failed_at({fields::names[F]});
      });
      return ok;
    }
  }

  // Appends a nested value: an ARRAY as a JSON array, a MAP or MULTISET as an object (keys are
  // strings, counts numbers), a ROW as an object, NULL fields left out under
  // encode.ignore-null-fields as at the top level.
  template <class Element>
  void append_element(const Element& element, string_writer& out) const {
    const auto* value = column_io::value_of(element);
    if (value == nullptr)
      out += "null";
    else
      append_value(*value, out);
  }

  template <class V>
  void append_nested(const V& value, string_writer& out) const {
    if constexpr (upsertkit::detail::is_vector<V>) {
      out += '[';
      bool first = true;
      for (const auto& element : value) {
        if (!first) out += ',';
        first = false;
        if constexpr (std::is_same_v<typename V::value_type, bool>)
          out += element ? "true" : "false";
        else
          append_element(element, out);
      }
      out += ']';
    } else if constexpr (upsertkit::detail::is_map<V> || upsertkit::detail::is_multiset<V>) {
      const auto& entries = [&]() -> const auto& {
        if constexpr (upsertkit::detail::is_multiset<V>)
          return value.counts;
        else
          return value;
      }
      ();
      out += '{';
      bool first = true;
      for (const auto& [key, mapped] : entries) {
        if (!first) out += ',';
        first = false;
        if constexpr (std::is_convertible_v<decltype(key), std::string_view>)
          append_string(out, std::string_view(key));
        out += ':';
        append_element(mapped, out);
      }
      out += '}';
    } else {
      using fields = struct_fields<V>;
      out += '{';
      bool first = true;
      for_each_field<V>([&](auto f) {
        constexpr std::size_t F = decltype(f)::value;
        const auto& field = fields::template get<F>(value);
        if (column_io::value_of(field) == nullptr && options_.encode_ignore_null_fields) return;
        if (!first) out += ',';
        first = false;
        append_string(out, fields::names[F]);
        out += ':';
        append_element(field, out);
      });
      out += '}';
    }
  }

  enum class token_kind : std::uint8_t { string, number, boolean, null };

  // Reads one field's value. simdjson has already checked the document's structure; the value
  // is classified by its first byte and read from its raw text, without a second pass.
  template <class Member>
  [[gnu::noinline]] bool decode_member(std::size_t slot, simdjson::ondemand::value& value,
                                       Member& member, row_type& row) {
    using traits = column_traits<Member>;
    using V = typename traits::value_type;
    constexpr sql_type type = traits::type;
    if constexpr (is_nested(type)) {
      if (nesting_ == 0) return decode_nested_column(slot, value, member, row);
    }

    std::string_view token = trim_token(value.raw_json_token());
    if (token.empty()) return malformed();
    token_kind kind;
    switch (token.front()) {
      case '"':
        kind = token_kind::string;
        break;
      case 't':
      case 'f':
        if (token != "true" && token != "false") return malformed();
        kind = token_kind::boolean;
        break;
      case 'n':
        if (token != "null") return malformed();
        kind = token_kind::null;
        break;
      case '{':
      case '[': {
        std::string_view nested;
        if (!nested_json(value, token.front() == '{', nested)) return malformed();
        nested = trim_token(nested);
        if constexpr (type == sql_type::string) {
          // A STRING column takes a nested value as its JSON text.
          column_io::assign_string(column_io::emplace(member), to_message(nested));
          return true;
        } else {
          return field_error(slot, nested, sql_type_name(type), row);
        }
      }
      default:
        if (!is_json_number(token)) return malformed();
        kind = token_kind::number;
    }
    if (kind == token_kind::null) {
      if (column_io::set_null(member)) return true;
      return fail(slot, "null, and the column is NOT NULL");
    }
    if constexpr (type == sql_type::double_ || type == sql_type::float_) {
      // simdjson's number parser first (a JSON number, bare or quoted: "60.00"); its result
      // is the correctly rounded double, as Java's. Other text ("NaN", " 1", "1d") fails it
      // without consuming the value and takes the Java-compatible path below.
      // simdjson 3.0.1 misreads numbers with more than 19 significant digits after leading
      // zeros (`0.1000000000000000055511151231257827`: its overflow test counts from the first
      // significant digit); such tokens take the from_chars path below.
      double fast = 0;
      const bool short_token = token.size() <= 20;
      if ((kind == token_kind::number && text::detail::parse_plain_decimal(token, fast)) ||
          (kind == token_kind::number && short_token && !value.get_double().get(fast)) ||
          (kind == token_kind::string && short_token && !value.get_double_in_string().get(fast))) {
        column_io::emplace(member) = static_cast<V>(fast);
        return true;
      }
    }
    std::string_view content = token;
    if (kind == token_kind::string) {
      if (token.size() < 2 || token.back() != '"') return malformed();
      content = string_content(value, token);
      if (content.data() == nullptr) return malformed();
    } else {
      content = to_message(token);
    }
    const bool is_string = kind == token_kind::string;

    if constexpr (type == sql_type::string) {
      // Scalars keep their text as written: 60.00 stays "60.00".
      column_io::assign_string(column_io::emplace(member), content);
      return true;
    } else if constexpr (type == sql_type::bytes) {
      // Jackson's getBinaryValue(): a base64 string only. Decoded into this slot's buffer.
      if (bytes_buffers_.size() <= slot) bytes_buffers_.resize(names_.size());
      std::string& buffer = nesting_ == 0 ? bytes_buffers_[slot] : next_nested_buffer();
      buffer.clear();
      if (!is_string || !base64::append_decoded(buffer, content))
        return field_error(slot, token, "BYTES (base64)", row);
      column_io::emplace(member) = bytes(buffer.data(), buffer.size());
      return true;
    } else if constexpr (type == sql_type::boolean) {
      column_io::emplace(member) =
          kind == token_kind::boolean ? content == "true" : text::parse_java_boolean(content);
      return true;
    } else if constexpr (type == sql_type::double_ || type == sql_type::float_) {
      // Number tokens and strings alike: Double.parseDouble(text.trim()) in Flink.
      auto parsed = kind != token_kind::boolean ? text::parse_java_double(content) : std::nullopt;
      if (!parsed) return field_error(slot, token, sql_type_name(type), row);
      column_io::emplace(member) = static_cast<V>(*parsed);
      return true;
    } else if constexpr (type == sql_type::tinyint || type == sql_type::smallint ||
                         type == sql_type::integer || type == sql_type::bigint) {
      constexpr auto min = static_cast<std::int64_t>(std::numeric_limits<V>::min());
      constexpr auto max = static_cast<std::int64_t>(std::numeric_limits<V>::max());
      std::optional<std::int64_t> parsed;
      if (kind == token_kind::number && content.find_first_of(".eE") != std::string_view::npos) {
        // TINYINT/SMALLINT read a fractional token with Byte/Short.parseXxx(text): an error.
        // INT/BIGINT use Jackson's getIntValue()/getLongValue(): truncation toward zero.
        // Jackson's convertNumberToInt/Long: an error outside [(double) MIN, (double) MAX],
        // then Java's cast, which saturates: 9223372036854775807.0 (that is 2^63) is
        // Long.MAX_VALUE, while 2147483647.5 is above (double) Integer.MAX_VALUE.
        if constexpr (type == sql_type::integer || type == sql_type::bigint) {
          auto d = text::parse_java_double(content);
          if (d && *d >= static_cast<double>(min) && *d <= static_cast<double>(max)) {
            if constexpr (type == sql_type::bigint)
              parsed = *d >= 9.2233720368547758e18 ? max : static_cast<std::int64_t>(*d);
            else
              parsed = static_cast<std::int64_t>(*d);
          }
        }
      } else if (kind != token_kind::boolean) {
        parsed = text::parse_java_integer(content, min, max);
      }
      if (!parsed) return field_error(slot, token, sql_type_name(type), row);
      column_io::emplace(member) = static_cast<V>(*parsed);
      return true;
    } else if constexpr (type == sql_type::decimal) {
      if (kind == token_kind::boolean) return field_error(slot, token, sql_type_name(type), row);
      bool malformed_number = false;
      auto unscaled = text::parse_decimal<typename V::unscaled_type>(content, V::precision,
                                                                     V::scale, malformed_number);
      if (malformed_number) return field_error(slot, token, sql_type_name(type), row);
      if (!unscaled) {
        // Flink's DecimalData.fromBigDecimal yields NULL when the precision overflows.
        if (column_io::set_null(member)) return true;
        return fail(slot, "value " + std::string(content) + " does not fit DECIMAL(" +
                              std::to_string(V::precision) + ", " + std::to_string(V::scale) + ")");
      }
      column_io::emplace(member).unscaled = *unscaled;
      return true;
    } else if constexpr (type == sql_type::date) {
      auto parsed = is_string ? text::parse_date(content) : std::nullopt;
      if (!parsed) return field_error(slot, token, "DATE (yyyy-MM-dd)", row);
      column_io::emplace(member) = *parsed;
      return true;
    } else if constexpr (type == sql_type::timestamp || type == sql_type::timestamp_ltz) {
      // At the column's precision: digits past it are truncated (docs/formats.md).
      const auto parsed = is_string ? text::parse_date_time(content, options_.timestamp_standard,
                                                            false, type == sql_type::timestamp_ltz)
                                    : std::nullopt;
      const auto joined = parsed ? join_day_time<V>(*parsed) : std::nullopt;
      if (!joined)
        return field_error(slot, token, text::temporal_expected<V>(options_.timestamp_standard),
                           row);
      column_io::emplace(member) = *joined;
      return true;
    } else if constexpr (type == sql_type::time) {
      // Flink's JSON reader keeps LocalTime.toSecondOfDay(): the fraction is dropped.
      const auto parsed =
          is_string ? text::parse_time(content, text::time_form::sql) : std::nullopt;
      if (!parsed)
        return field_error(slot, token, text::temporal_expected<V>(options_.timestamp_standard),
                           row);
      column_io::emplace(member) = *join_day_time<V>({0, *parsed - *parsed % 1'000'000'000});
      return true;
    }
    return true;
  }

  projection projection_;
  options options_;
  role role_;
  std::vector<std::string> encoded_names_;  // `,"name":` per slot, escaped once
  std::size_t names_bytes_ = 0;             // of all encoded_names_
  simdjson::ondemand::parser parser_;
  std::unique_ptr<char[]> scratch_;
  std::size_t scratch_capacity_ = 0;
#if defined(__AVX2__)
  std::unique_ptr<std::uint64_t[]> string_bits_;  // mark_strings'
#endif
  std::string_view message_;
  std::vector<std::string_view> names_;               // projection_.names, flat for the key lookup
  std::array<key_info, Table::column_count> keys_{};  // per slot
  std::array<std::string_view, Table::column_count> texts_{};  // per column: the walk's texts
  std::array<std::size_t, Table::column_count> slot_of_column_{};
  std::array<std::uint8_t, key_table_size> key_table_{};  // slot + 1 per bucket, 0 when empty
  std::uint64_t key_seed_ = 0;
  std::uint64_t head_mask_ = 0;
  bool offsets_known_ = false;
  // Every projected column converts from its text: decode() tries walk_flat first. With any
  // other column the walk would fail at its field in nearly every message, a wasted pass.
  bool flat_walkable_ = false;
  decode_status failure_;
  // Decoded BYTES columns, one buffer per slot, valid until the next decode.
  std::vector<std::string> bytes_buffers_;
  // Nested values (decode_nested_column): how deep the decoder is, where, and what failed.
  // `value` once fail_nested reports a value that does not fit (ignore-parse-errors may NULL
  // it); any other failure inside a nested value is a malformed message.
  enum class nested_error : std::uint8_t { none, value };
  unsigned nesting_ = 0;
  bool ignore_nested_errors_ = false;  // the user's ignore-parse-errors, during a nested value
  nested_error nested_error_ = nested_error::none;
  std::vector<path_segment> path_;
  std::deque<std::string> nested_buffers_;
  std::size_t nested_buffers_used_ = 0;
};

}  // inline namespace simd_...

}  // namespace upsertkit::json

#endif  // UPSERTKIT_FORMATS_JSON_HPP
