// upsertkit: Flink's `csv` format (flink-formats/flink-csv over Jackson's CSV dataformat) for one
// projection of a table, both directions.
//
// Reading follows CsvRowDataDeserializationSchema: Jackson's CsvParser splits ONE record into
// string fields (RFC 4180 quoting, doubled quotes, optional escape character, comments), then
// CsvToRowDataConverters turns each field into its column type with the JDK parsers.
// Writing follows CsvRowDataSerializationSchema: Jackson's CsvEncoder with an empty line
// separator, so a message carries no trailing newline.
//
//   auto projections = upsertkit::table_projections<orders>();
//   upsertkit::csv::codec<orders> value_codec(projections.value, upsertkit::csv::parse_options(
//       {{"field-delimiter", "|"}, {"null-literal", "<NULL>"}}));
//   Order row;
//   if (auto status = value_codec.decode(message, row); !status) ...  // fail / skip the record
//   std::string out;
//   value_codec.encode(row, out);
#ifndef UPSERTKIT_FORMATS_CSV_HPP
#define UPSERTKIT_FORMATS_CSV_HPP

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "../column_io.hpp"
#include "../config/csv_options.hpp"
#include "../error.hpp"
#include "../option_map.hpp"
#include "../schema.hpp"
#include "../text.hpp"
#include "../types.hpp"
#include "base64.hpp"

namespace upsertkit::csv {

namespace detail {

std::string char_description(char c);

/// String.length() of UTF-8 text: UTF-16 code units (a 4-byte sequence is a surrogate pair).
constexpr std::size_t utf16_length(std::string_view s) noexcept {
  std::size_t n = 0;
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c & 0xC0) != 0x80) ++n;
    if (c >= 0xF0) ++n;
  }
  return n;
}

// Days since 1970-01-01 of a date of the Julian calendar, and back (via the Julian day number;
// years >= 0 keep every division on non-negative numbers).
constexpr std::int64_t days_from_julian(int year, unsigned month, unsigned day) noexcept {
  const int a = (14 - static_cast<int>(month)) / 12;
  const std::int64_t y = year + 4800 - a;
  const std::int64_t m = static_cast<int>(month) + 12 * a - 3;
  return day + (153 * m + 2) / 5 + 365 * y + y / 4 - 32083 - 2440588;
}

constexpr civil_date julian_from_days(std::int64_t days) noexcept {
  const std::int64_t c = days + 2440588 + 32082;
  const std::int64_t d = (4 * c + 3) / 1461;
  const std::int64_t e = c - 1461 * d / 4;
  const std::int64_t m = (5 * e + 2) / 153;
  return {static_cast<int>(d - 4800 + m / 10), static_cast<unsigned>(m + 3 - 12 * (m / 10)),
          static_cast<unsigned>(e - (153 * m + 2) / 5 + 1)};
}

/// java.sql.Date.valueOf, which Flink's CSV reader uses for DATE, then Date.toLocalDate():
/// `yyyy-[m]m-[d]d`, month 1..12, day 1..31, no trimming. The lenient java.util.Date constructor
/// rolls a day past the month's end over (2023-02-30 is 2023-03-02), in the JVM's calendar:
/// Julian before 1582-10-15, Gregorian after. toLocalDate() then takes that date's fields as a
/// proleptic Gregorian date, so before the cutover the fields stay as written (1582-10-04 is
/// 1582-10-04), the ten days the cutover skipped become the days after it (1582-10-05 is
/// 1582-10-15), year 0 (1 BC, whose era is dropped) is year 1, and a Julian-only leap day
/// (1500-02-29) is no Gregorian date: Java throws, so it fails here.
constexpr std::optional<date> parse_sql_date(std::string_view s) noexcept {
  unsigned year = 0, month = 0, day = 0;
  if (!text::detail::read_digits(s, 0, 4, year) || s.size() < 5 || s[4] != '-') return std::nullopt;
  std::size_t pos = 5;
  if (!text::detail::read_1_or_2_digits(s, pos, month) || pos >= s.size() || s[pos++] != '-' ||
      !text::detail::read_1_or_2_digits(s, pos, day) || pos != s.size())
    return std::nullopt;
  if (month < 1 || month > 12 || day < 1 || day > 31) return std::nullopt;
  const int y = static_cast<int>(year);
  constexpr std::int64_t cutover = days_from_civil(1582, 10, 15);
  const std::int64_t offset = static_cast<std::int64_t>(day) - 1;
  const std::int64_t gregorian = days_from_civil(y, month, 1) + offset;
  std::int64_t days = gregorian;
  if (y < 1582 || (y == 1582 && gregorian < cutover)) days = days_from_julian(y, month, 1) + offset;
  if (days >= cutover) return date{static_cast<std::int32_t>(days)};
  civil_date fields = julian_from_days(days);
  if (fields.year == 0) fields.year = 1;
  if (fields.day > days_in_month(fields.year, fields.month)) return std::nullopt;
  return date{days_from_civil(fields.year, fields.month, fields.day)};
}

}  // namespace detail

/// Reads and writes the projected columns of `Table` as one CSV record per message.
/// A codec is not thread-safe for decode (it owns reusable buffers); encode is const.
template <class Table>
class codec {
 public:
  using row_type = typename Table::row_type;

  explicit codec(projection columns, options opts = {})
      : columns_(std::move(columns)), opts_(std::move(opts)) {
    for (std::uint16_t column : columns_.columns) {
      if (column >= Table::column_count)
        throw config_error("csv codec: projection column " + std::to_string(column) +
                           " is not a column of the table");
      // CsvToRowDataConverters refuses these when the format is created; so does the codec.
      visit_column<Table>(column, [](auto index) {
        using traits = column_traits<typename Table::template member_type<decltype(index)::value>>;
        if constexpr (traits::type == sql_type::time && traits::precision > 3)
          throw config_error("Csv does not support TIME type with precision: " +
                             std::to_string(traits::precision) +
                             ", it only supports precision 0 ~ 3.");
      });
    }
    quoting_ = !opts_.disable_quote_character;
    // CsvEncoder._calcSafeChar: the line separator is empty in Flink, so only these two count.
    const unsigned delimiter = static_cast<unsigned char>(opts_.field_delimiter);
    const unsigned quote = quoting_ ? static_cast<unsigned char>(opts_.quote_character) : 0U;
    min_safe_char_ = std::max(delimiter, quote) + 1;
    fields_.reserve(columns_.columns.size() + 1);
  }

  const options& format_options() const noexcept { return opts_; }
  const projection& columns() const noexcept { return columns_; }

  /// Decodes one message into the projected members of `row`. String views point into
  /// `message`, or into this codec's scratch buffer (valid until the next decode) when the
  /// field needed unescaping. BYTES (base64 text) decode into a buffer of the codec per
  /// column, also valid until the next decode. Never throws; allocates only while its buffers grow.
  decode_status decode(std::string_view message, row_type& row) {
    // ObjectReader.readValue on no content at all: MismatchedInputException (reference 1.1:
    // an empty CSV value is a parse error, not a tombstone).
    if (message.empty()) return decode_status::failure("", "No content to map due to end-of-input");
    std::size_t pos = 0;
    if (opts_.allow_comments) {
      // Only comment or blank lines: no row. (Flink meets Jackson's "No content" error here and
      // fails unless ignore-parse-errors is set, which is why its docs pair the two options.)
      pos = skip_comment_lines(message);
      if (pos == message.size()) return decode_status::no_row();
    }
    fields_.clear();
    scratch_.clear();
    if (decode_status status = split_record(message, pos); !status.ok()) return status;

    // CsvToRowDataConverters.validateArity (too many fields already failed in Jackson).
    const std::size_t expected = columns_.columns.size();
    if (fields_.size() != expected)
      return decode_status::failure("", "Row length mismatch. " + std::to_string(expected) +
                                            " fields expected but was " +
                                            std::to_string(fields_.size()) + ".");

    decode_status status;
    for (std::size_t i = 0; i < expected && status.ok(); ++i) {
      const std::string_view text = field_text(message, fields_[i]);
      visit_column<Table>(columns_.columns[i], [&](auto index) {
        status = read_member(text, Table::fields::template get<decltype(index)::value>(row),
                             field_name(i), i);
      });
    }
    return status;
  }

  /// Appends the projected columns of `row` to `out` as one record without a line separator.
  void encode(const row_type& row, std::string& out) const {
    for (std::size_t i = 0; i < columns_.columns.size(); ++i) {
      if (i > 0) out += opts_.field_delimiter;
      visit_column<Table>(columns_.columns[i], [&](auto index) {
        write_member(Table::fields::template get<decltype(index)::value>(row), out);
      });
    }
  }

 private:
  // Where a field's text is: in the message (zero copy) or in scratch_ (unescaped). Offsets,
  // not pointers, because scratch_ may grow while later fields are read.
  struct field_span {
    std::size_t offset;
    std::size_t size;
    bool in_scratch;
  };

  std::string_view field_text(std::string_view message, const field_span& field) const noexcept {
    return field.in_scratch ? std::string_view(scratch_).substr(field.offset, field.size)
                            : message.substr(field.offset, field.size);
  }

  std::string_view field_name(std::size_t i) const noexcept {
    if (i < columns_.names.size()) return columns_.names[i];
    if (i < columns_.columns.size()) return Table::column_names[columns_.columns[i]];
    return {};
  }

  // ---------------------------------------------------------------------------------------
  // Splitting (Jackson CsvDecoder.nextString / _nextQuotedString / _skipCommentLines)

  // At the start of the document Jackson skips '#' lines, empty lines and spaces when comments
  // are allowed (so leading spaces of the first field go too).
  static std::size_t skip_comment_lines(std::string_view in) noexcept {
    std::size_t pos = 0;
    while (pos < in.size()) {
      const char c = in[pos];
      if (c == '#') {
        while (pos < in.size() && in[pos] != '\r' && in[pos] != '\n')
          ++pos;
        if (pos == in.size()) break;
      } else if (c != '\r' && c != '\n' && c != ' ') {
        break;
      }
      const bool cr = in[pos] == '\r';
      ++pos;
      if (cr && pos < in.size() && in[pos] == '\n') ++pos;
    }
    return pos;
  }

  static char unescape(char c) noexcept {
    switch (c) {
      case '0':
        return '\0';
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      default:
        return c;
    }
  }

  bool is_escape(char c) const noexcept {
    return opts_.escape_character && c == *opts_.escape_character;
  }

  // Reads the first record's fields from `pos` into fields_. Jackson's ObjectReader reads one
  // value, so whatever follows the record's line end is ignored (a trailing "\n" or "\r\n").
  decode_status split_record(std::string_view in, std::size_t pos) {
    const std::size_t expected = columns_.columns.size();
    for (;;) {
      const std::size_t index = fields_.size();
      field_span field{pos, 0, false};
      bool more = false;  // the field ended at a delimiter, so another one follows
      if (pos == in.size() || in[pos] == '\r' || in[pos] == '\n') {
        // An empty last field (end of input or line), e.g. after a trailing delimiter.
      } else if (quoting_ && in[pos] == opts_.quote_character) {
        if (decode_status s = read_quoted(in, pos, field, more, index); !s.ok()) return s;
      } else if (in[pos] == opts_.field_delimiter) {
        ++pos;
        more = true;
      } else if (decode_status s = read_unquoted(in, pos, field, more, index); !s.ok()) {
        return s;
      }
      fields_.push_back(field);
      if (fields_.size() > expected) {
        // CsvParser._handleExtraColumn: fails on the first value past the schema's columns.
        const std::string_view value = field_text(in, field);
        return decode_status::failure(
            "", "Too many entries: expected at most " + std::to_string(expected) + " (value #" +
                    std::to_string(expected) + " (" + std::to_string(detail::utf16_length(value)) +
                    " chars) \"" + std::string(value) + "\")");
      }
      if (!more) return {};
    }
  }

  decode_status read_unquoted(std::string_view in, std::size_t& pos, field_span& field, bool& more,
                              std::size_t index) {
    const std::size_t start = pos;
    for (; pos < in.size(); ++pos) {
      const char c = in[pos];
      if (c == opts_.field_delimiter || c == '\r' || c == '\n') break;
      if (is_escape(c)) return read_unquoted_escaped(in, pos, start, field, more, index);
    }
    field = {start, pos - start, false};
    more = pos < in.size() && in[pos] == opts_.field_delimiter;
    if (more) ++pos;
    return {};
  }

  // The slow path once an escape character shows up: the field is rebuilt in scratch_.
  decode_status read_unquoted_escaped(std::string_view in, std::size_t& pos, std::size_t start,
                                      field_span& field, bool& more, std::size_t index) {
    const std::size_t offset = scratch_.size();
    scratch_.append(in.substr(start, pos - start));
    for (; pos < in.size(); ++pos) {
      const char c = in[pos];
      if (c == opts_.field_delimiter || c == '\r' || c == '\n') break;
      if (is_escape(c)) {
        if (++pos == in.size())
          return decode_status::failure(field_name(index), "Unexpected EOF in escaped character");
        scratch_ += unescape(in[pos]);
      } else {
        scratch_ += c;
      }
    }
    field = {offset, scratch_.size() - offset, true};
    more = pos < in.size() && in[pos] == opts_.field_delimiter;
    if (more) ++pos;
    return {};
  }

  decode_status read_quoted(std::string_view in, std::size_t& pos, field_span& field, bool& more,
                            std::size_t index) {
    const char quote = opts_.quote_character;
    const std::size_t start = ++pos;  // past the opening quote
    bool closed = false;
    for (; pos < in.size(); ++pos) {
      const char c = in[pos];
      if (c == quote) {
        if (pos + 1 < in.size() && in[pos + 1] == quote) break;  // doubled: needs unescaping
        field = {start, pos - start, false};
        ++pos;
        closed = true;
        break;
      }
      if (is_escape(c)) break;
    }
    if (!closed) {
      if (pos == in.size())
        return decode_status::failure(field_name(index), "Missing closing quote for value");
      // Slow path: rebuild the value in scratch_ from the first doubled quote or escape.
      const std::size_t offset = scratch_.size();
      scratch_.append(in.substr(start, pos - start));
      for (;;) {
        if (pos == in.size())
          return decode_status::failure(field_name(index), "Missing closing quote for value");
        const char c = in[pos];
        if (c == quote) {  // checked before the escape character, as Jackson does
          if (pos + 1 < in.size() && in[pos + 1] == quote) {
            scratch_ += quote;
            pos += 2;
            continue;
          }
          ++pos;
          break;
        }
        if (is_escape(c)) {
          if (++pos == in.size())
            return decode_status::failure(field_name(index), "Unexpected EOF in escaped character");
          scratch_ += unescape(in[pos++]);
          continue;
        }
        scratch_ += c;  // embedded delimiters and line breaks are content
        ++pos;
      }
      field = {offset, scratch_.size() - offset, true};
    }
    // After the closing quote Jackson skips spaces and control characters up to the delimiter
    // or the line end; anything else is an error.
    for (; pos < in.size(); ++pos) {
      const char c = in[pos];
      if (c == opts_.field_delimiter) {
        ++pos;
        more = true;
        return {};
      }
      if (c == '\r' || c == '\n') break;
      if (static_cast<unsigned char>(c) > ' ')
        return decode_status::failure(field_name(index),
                                      "Unexpected character (" + detail::char_description(c) +
                                          "): Expected column separator character (" +
                                          detail::char_description(opts_.field_delimiter) +
                                          ") or end-of-line");
    }
    more = false;
    return {};
  }

  // ---------------------------------------------------------------------------------------
  // Field text → member (CsvToRowDataConverters)

  template <class Member>
  static decode_status store_null(Member& member, std::string_view name) {
    if (column_io::set_null(member)) return {};
    return decode_status::failure(name, "null value for NOT NULL column");
  }

  template <class Value>
  static decode_status cannot_parse(std::string_view name, std::string_view text,
                                    std::string_view why = {}) {
    std::string message =
        "cannot parse '" + std::string(text) + "' as " + upsertkit::detail::sql_type_text<Value>();
    if (!why.empty()) message.append(": ").append(why);
    return decode_status::failure(name, std::move(message));
  }

  template <class Member>
  decode_status read_member(std::string_view text, Member& member, std::string_view name,
                            std::size_t slot) {
    using traits = column_traits<Member>;
    using V = typename traits::value_type;
    // Jackson turns a value equal to the null literal (quoted or not) into VALUE_NULL.
    if (opts_.null_literal && text == *opts_.null_literal) return store_null(member, name);

    if constexpr (traits::type == sql_type::string) {
      column_io::assign_string(column_io::emplace(member), text);
    } else if constexpr (traits::type == sql_type::bytes) {
      // TextNode.binaryValue(): the trimmed text as padded base64 ("" is empty BYTES).
      if (bytes_buffers_.size() <= slot) bytes_buffers_.resize(columns_.columns.size());
      std::string& buffer = bytes_buffers_[slot];
      buffer.clear();
      if (!base64::append_decoded(buffer, text::java_trim(text)))
        return cannot_parse<V>(name, text, "not base64");
      column_io::emplace(member) = bytes(buffer.data(), buffer.size());
    } else if constexpr (traits::type == sql_type::boolean) {
      // Boolean.parseBoolean(text.trim()): anything but "true" is false, never an error.
      column_io::emplace(member) = text::parse_java_boolean(text);
    } else if constexpr (traits::type == sql_type::tinyint || traits::type == sql_type::smallint ||
                         traits::type == sql_type::integer || traits::type == sql_type::bigint) {
      // Byte/Short/Integer/Long.parseXxx(text.trim()).
      auto value = text::parse_java_integer(text, std::numeric_limits<V>::min(),
                                            std::numeric_limits<V>::max());
      if (!value) {
        const bool in_long_range =
            text::parse_java_integer(text, std::numeric_limits<std::int64_t>::min(),
                                     std::numeric_limits<std::int64_t>::max())
                .has_value();
        return cannot_parse<V>(name, text, in_long_range ? "value out of range" : "");
      }
      column_io::emplace(member) = static_cast<V>(*value);
    } else if constexpr (traits::type == sql_type::float_ || traits::type == sql_type::double_) {
      // Double/Float.parseXxx(text.trim()); a float is rounded from the double (see docs).
      auto value = text::parse_java_double(text);
      if (!value) return cannot_parse<V>(name, text);
      column_io::emplace(member) = static_cast<V>(*value);
    } else if constexpr (traits::type == sql_type::decimal) {
      // new BigDecimal(text): unlike the numeric types the text is NOT trimmed.
      if (text::java_trim(text).size() != text.size()) return cannot_parse<V>(name, text);
      bool malformed = false;
      auto unscaled =
          text::parse_decimal<typename V::unscaled_type>(text, V::precision, V::scale, malformed);
      if (!unscaled) {
        if (malformed) return cannot_parse<V>(name, text);
        // DecimalData.fromBigDecimal returns null when the precision overflows.
        if (column_io::set_null(member)) return {};
        return decode_status::failure(name, "null value for NOT NULL column ('" +
                                                std::string(text) + "' overflows " +
                                                upsertkit::detail::sql_type_text<V>() + ")");
      }
      column_io::emplace(member) = V{*unscaled};
    } else if constexpr (traits::type == sql_type::date) {
      auto value = detail::parse_sql_date(text);
      if (!value) return cannot_parse<V>(name, text);
      column_io::emplace(member) = *value;
    } else if constexpr (traits::type == sql_type::timestamp ||
                         traits::type == sql_type::timestamp_ltz) {
      // LocalDateTime.parse(text.trim(), SQL_TIMESTAMP[_WITH_LOCAL_TIMEZONE]_FORMAT) (Flink
      // 1.20): `yyyy-MM-dd HH:mm:ss[.f{0,9}]`, with a `Z` for TIMESTAMP_LTZ; truncated to the
      // column's precision.
      const auto parsed =
          text::parse_date_time(text::java_trim(text), text::timestamp_standard::sql, false,
                                traits::type == sql_type::timestamp_ltz);
      const auto value = parsed ? join_day_time<V>(*parsed) : std::nullopt;
      if (!value)
        return cannot_parse<V>(name, text,
                               text::temporal_pattern<V>(text::timestamp_standard::sql));
      column_io::emplace(member) = *value;
    } else if constexpr (traits::type == sql_type::time) {
      // LocalTime.parse(text) (ISO_LOCAL_TIME, not trimmed), then milliseconds of the day
      // truncated to the precision, which Flink's planner makes 0 for every TIME(p) (1.20.3:
      // TIME(3) resolves as TIME(0)): whole seconds, as Flink reads them. TIME(p > 3) is
      // refused when the codec is built.
      const auto parsed = text::parse_time(text, text::time_form::iso_local);
      if (!parsed)
        return cannot_parse<V>(
            name, text,
            text::temporal_pattern<V>(text::timestamp_standard::sql, text::time_form::iso_local));
      column_io::emplace(member) = *join_day_time<V>({0, *parsed - *parsed % 1'000'000'000});
    }
    return {};
  }

  // ---------------------------------------------------------------------------------------
  // Member → text (RowDataToCsvConverters + CsvEncoder)

  /// CsvEncoder._mayNeedQuotes with Flink's settings (loose check, empty line separator).
  bool needs_quotes(std::string_view s) const noexcept {
    if (!quoting_) return false;
    // MAX_QUOTE_CHECK: longer values are always quoted; Java counts UTF-16 chars.
    if (s.size() > 24 && detail::utf16_length(s) > 24) return true;
    // Without an escape character '\\' also forces quotes (_cfgControlCharEscapeChar); with
    // one, only the escape character does. The quote character is below min_safe_char_.
    const char extra = opts_.escape_character ? *opts_.escape_character : '\\';
    for (char c : s)
      if (static_cast<unsigned char>(c) < min_safe_char_ || c == extra) return true;
    return false;
  }

  void append_string(std::string& out, std::string_view s) const {
    if (!needs_quotes(s)) {
      out.append(s);
      return;
    }
    // The quote character is doubled; so is the escape character when there is one
    // (_writeQuotedAndEscaped); without one a backslash is written as is.
    const char quote = opts_.quote_character;
    out += quote;
    std::size_t run = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (s[i] == quote || is_escape(s[i])) {
        out.append(s.substr(run, i - run));
        out += s[i];
        run = i;  // the character itself is written with the next run
      }
    }
    out.append(s.substr(run));
    out += quote;
  }

  // DATE, TIMESTAMP and DECIMAL reach Jackson as text (textNode, or writeNumber(BigDecimal)
  // → CsvEncoder.write(int, String)), so they pass the string quoting rule: a timestamp's space
  // quotes it, and with a delimiter like '|' every such value is quoted.
  template <class Append>
  void append_generated(std::string& out, Append&& append) const {
    const std::size_t start = out.size();
    append();
    const std::string_view written(out.data() + start, out.size() - start);
    if (!needs_quotes(written)) return;
    char copy[64];
    const std::size_t n = std::min(written.size(), sizeof copy);
    std::memcpy(copy, written.data(), n);
    out.resize(start);
    append_string(out, std::string_view(copy, n));
  }

  // CsvGenerator.writeBinary: the base64 text goes through CsvEncoder.write(int, String), so it
  // is quoted like a string ('+' and '/' are below the safe character, and so is any text
  // longer than 24 characters).
  void append_base64(std::string& out, bytes value) const {
    const std::size_t start = out.size();
    base64::append_encoded(out, value.view());
    const std::string_view written(out.data() + start, out.size() - start);
    if (!needs_quotes(written)) return;
    const std::string copy(written);
    out.resize(start);
    append_string(out, copy);
  }

  template <class Member>
  void write_member(const Member& member, std::string& out) const {
    using traits = column_traits<Member>;
    using V = typename traits::value_type;
    const auto* value = column_io::value_of(member);
    if (!value) {  // null → the null literal, unquoted, or nothing
      if (opts_.null_literal) out += *opts_.null_literal;
      return;
    }
    if constexpr (traits::type == sql_type::string) {
      append_string(out, std::string_view(*value));
    } else if constexpr (traits::type == sql_type::bytes) {
      append_base64(out, *value);
    } else if constexpr (traits::type == sql_type::boolean) {
      out += *value ? "true" : "false";
    } else if constexpr (traits::type == sql_type::tinyint || traits::type == sql_type::smallint ||
                         traits::type == sql_type::integer || traits::type == sql_type::bigint) {
      text::append_integer(out, *value);  // CsvEncoder.write(int, long): never quoted
    } else if constexpr (traits::type == sql_type::float_) {
      text::append_java_float(out, *value);  // appendValue(float): never quoted
    } else if constexpr (traits::type == sql_type::double_) {
      text::append_java_double(out, *value);
    } else if constexpr (traits::type == sql_type::decimal) {
      append_generated(out, [&] {
        text::append_decimal(out, value->unscaled, V::scale,
                             /*plain=*/!opts_.write_bigdecimal_in_scientific_notation);
      });
    } else if constexpr (traits::type == sql_type::date) {
      append_generated(out, [&] { text::append_date(out, *value); });
    } else if constexpr (traits::type == sql_type::timestamp ||
                         traits::type == sql_type::timestamp_ltz) {
      append_generated(out, [&] {
        text::append_date_time(out, split_day_time(*value), text::timestamp_style::sql,
                               traits::type == sql_type::timestamp_ltz);
      });
    } else if constexpr (traits::type == sql_type::time) {
      // ISO_LOCAL_TIME: seconds always, the fraction without trailing zeros.
      append_generated(out, [&] {
        text::append_time(out, split_day_time(*value).nanos_of_day, text::time_style::sql);
      });
    }
  }

  projection columns_;
  options opts_;
  bool quoting_ = true;
  unsigned min_safe_char_ = 0;
  std::vector<field_span> fields_;          // the current record's fields, reused
  std::string scratch_;                     // unescaped field text, reused
  std::vector<std::string> bytes_buffers_;  // decoded BYTES per column, reused
};

}  // namespace upsertkit::csv

// The definitions: inline here, or compiled once (separate_compilation.hpp).
#ifndef UPSERTKIT_SEPARATE_COMPILATION
#include "csv.ipp"
#endif

#endif  // UPSERTKIT_FORMATS_CSV_HPP
