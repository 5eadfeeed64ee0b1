// upsertkit: Flink's `csv` format (flink-formats/flink-csv over Jackson's CSV dataformat) for one
// projection of a table, both directions.
//
// Reading follows CsvRowDataDeserializationSchema: Jackson's CsvParser splits ONE record into
// string fields (RFC 4180 quoting, doubled quotes, optional escape character, comments), then
// CsvToRowDataConverters turns each field into its column type with the JDK parsers.
// Writing follows CsvRowDataSerializationSchema: Jackson's CsvEncoder with an empty line
// separator, so a message carries no trailing newline.
// An ARRAY column is one field holding its elements joined by `array-element-delimiter`; a
// ROW column is the same with its fields in order. Their elements are scalars: MAP, MULTISET
// and deeper nesting are refused when the codec is built, as Flink refuses them.
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

constexpr bool is_array_or_row(sql_type type) noexcept {
  return type == sql_type::array || type == sql_type::row;
}

constexpr bool is_nested(sql_type type) noexcept {
  return is_array_or_row(type) || type == sql_type::map || type == sql_type::multiset;
}

template <class Member>
std::string flink_type_summary();

// LogicalType.asSummaryString of a value type, as Flink's DDL declares it (nullable unless
// `nullable` is false): the text Flink's CSV errors quote. A MAP key and a MULTISET element are
// written nullable, as `MAP<STRING, INT>` declares them; a ROW field's name is in backquotes.
template <class V>
std::string flink_type_summary_of(bool nullable) {
  constexpr sql_type type = column_traits<V>::type;
  std::string text;
  if constexpr (type == sql_type::array) {
    text = "ARRAY<" + flink_type_summary<typename V::value_type>() + ">";
  } else if constexpr (type == sql_type::map) {
    text = "MAP<" + flink_type_summary_of<typename V::key_type>(true) + ", " +
           flink_type_summary<typename V::mapped_type>() + ">";
  } else if constexpr (type == sql_type::multiset) {
    text = "MULTISET<" + flink_type_summary_of<typename V::element_type>(true) + ">";
  } else if constexpr (type == sql_type::row) {
    text = "ROW<";
    for_each_field<V>([&](auto field) {
      constexpr std::size_t I = decltype(field)::value;
      if constexpr (I != 0) text += ", ";
      text += '`';
      text += struct_fields<V>::names[I];
      text += "` ";
      text += flink_type_summary<typename struct_fields<V>::template member_type<I>>();
    });
    text += '>';
  } else {
    text = upsertkit::detail::sql_type_text<V>();
  }
  if (!nullable) text += " NOT NULL";
  return text;
}

template <class Member>
std::string flink_type_summary() {
  return flink_type_summary_of<typename column_traits<Member>::value_type>(
      column_traits<Member>::nullable);
}

// CsvRowSchemaConverter.validateNestedField: an ARRAY's element or a ROW's field must be a
// scalar, so ARRAY and ROW nest one level only.
template <class Element>
void check_simple_nested_type(std::string_view column) {
  if constexpr (is_nested(column_traits<Element>::type))
    throw config_error("Only simple types are supported in the second level nesting of fields '" +
                       std::string(column) + "' but was: " + flink_type_summary<Element>());
}

// CsvRowSchemaConverter.convertType: MAP and MULTISET have no CSV form.
template <class Member>
void check_schema_type(std::string_view column) {
  using V = typename column_traits<Member>::value_type;
  constexpr sql_type type = column_traits<Member>::type;
  if constexpr (type == sql_type::map || type == sql_type::multiset) {
    throw config_error("Unsupported type '" + flink_type_summary<Member>() + "' for field '" +
                       std::string(column) + "'.");
  } else if constexpr (type == sql_type::array) {
    check_simple_nested_type<typename V::value_type>(column);
  } else if constexpr (type == sql_type::row) {
    for_each_field<V>([&](auto field) {
      check_simple_nested_type<
          typename struct_fields<V>::template member_type<decltype(field)::value>>(column);
    });
  }
}

// CsvToRowDataConverters.convertToTime, for a column, an ARRAY's element or a ROW's field.
template <class Member>
void check_time_precision() {
  using traits = column_traits<Member>;
  using V = typename traits::value_type;
  if constexpr (traits::type == sql_type::time && traits::precision > 3) {
    throw config_error("Csv does not support TIME type with precision: " +
                       std::to_string(traits::precision) + ", it only supports precision 0 ~ 3.");
  } else if constexpr (traits::type == sql_type::array) {
    check_time_precision<typename V::value_type>();
  } else if constexpr (traits::type == sql_type::row) {
    for_each_field<V>([](auto field) {
      check_time_precision<
          typename struct_fields<V>::template member_type<decltype(field)::value>>();
    });
  }
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
    bool has_nested = false;
    for (std::size_t i = 0; i < columns_.columns.size(); ++i) {
      const std::uint16_t column = columns_.columns[i];
      if (column >= Table::column_count)
        throw config_error("csv codec: projection column " + std::to_string(column) +
                           " is not a column of the table");
      // CsvRowSchemaConverter.convert, which both of Flink's schema builders run first.
      visit_column<Table>(column, [&](auto index) {
        using member = typename Table::template member_type<decltype(index)::value>;
        detail::check_schema_type<member>(field_name(i));
        has_nested = has_nested || detail::is_array_or_row(column_traits<member>::type);
      });
    }
    // Then CsvToRowDataConverters refuses TIME(p > 3), at any level, when the reader is built;
    // so does the codec.
    for (std::uint16_t column : columns_.columns)
      visit_column<Table>(column, [](auto index) {
        detail::check_time_precision<
            typename Table::template member_type<decltype(index)::value>>();
      });
    // parse_options allows exactly one character; an options struct filled in by hand could
    // hold none, with which Jackson's splitting would never end.
    if (has_nested && opts_.array_element_delimiter.empty())
      throw config_error(
          "Option 'csv.array-element-delimiter' must be a string with single character, but "
          "was: ");
    quoting_ = !opts_.disable_quote_character;
    // CsvEncoder._calcSafeChar: the line separator is empty in Flink, so only these two count.
    const unsigned delimiter = static_cast<unsigned char>(opts_.field_delimiter);
    const unsigned quote = quoting_ ? static_cast<unsigned char>(opts_.quote_character) : 0U;
    min_safe_char_ = std::max(delimiter, quote) + 1;
    fields_.reserve(columns_.columns.size() + 1);
  }

  const options& format_options() const noexcept { return opts_; }
  const projection& columns() const noexcept { return columns_; }

  /// Decodes one message into the projected members of `row`. String views (an ARRAY's or
  /// ROW's too) point into `message`, or into this codec's scratch buffer (valid until the
  /// next decode) when the field needed unescaping. BYTES (base64 text) decode into a buffer of
  /// the codec per column, also valid until the next decode. Never throws; allocates only
  /// while its buffers, and the ARRAY vectors of `row`, grow.
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

  // `noun` says what is NOT NULL: a column, an ARRAY's element or a ROW's field.
  template <class Member>
  static decode_status store_null(Member& member, std::string_view name,
                                  std::string_view noun = "column") {
    if (column_io::set_null(member)) return {};
    return decode_status::failure(name, "null value for NOT NULL " + std::string(noun));
  }

  template <class Value>
  static decode_status cannot_parse(std::string_view name, std::string_view text,
                                    std::string_view why = {}) {
    std::string message =
        "cannot parse '" + std::string(text) + "' as " + upsertkit::detail::sql_type_text<Value>();
    if (!why.empty()) message.append(": ").append(why);
    return decode_status::failure(name, std::move(message));
  }

  // A nested value's failure, renamed to where it is: `tags[2]` or `home.zip`.
  static decode_status nested_failure(const decode_status& status, std::string name) {
    return decode_status::failure(name, status.failure().message);
  }

  std::string& bytes_buffer(std::size_t slot) {
    if (bytes_buffers_.size() <= slot) bytes_buffers_.resize(columns_.columns.size());
    return bytes_buffers_[slot];
  }

  template <class Member>
  decode_status read_member(std::string_view text, Member& member, std::string_view name,
                            std::size_t slot) {
    using traits = column_traits<Member>;
    if constexpr (traits::type == sql_type::array) {
      return read_array(text, column_io::emplace(member), name, slot);
    } else if constexpr (traits::type == sql_type::row) {
      return read_row(text, member, name, slot);
    } else {
      // Jackson turns a value equal to the null literal (quoted or not) into VALUE_NULL.
      if (opts_.null_literal && text == *opts_.null_literal) return store_null(member, name);
      std::string* decoded_bytes = nullptr;
      if constexpr (traits::type == sql_type::bytes) {
        decoded_bytes = &bytes_buffer(slot);
        decoded_bytes->clear();
      }
      return read_scalar(text, member, name, "column", decoded_bytes);
    }
  }

  // The buffer an ARRAY's or ROW's BYTES decode into, one after the other. base64 never
  // decodes to more bytes than it has characters, so reserving the field's length keeps the
  // views of earlier elements valid while later ones are appended.
  template <class Element>
  std::string* nested_bytes_buffer(std::size_t slot, std::size_t field_length) {
    if constexpr (column_traits<Element>::type != sql_type::bytes) {
      return nullptr;
    } else {
      std::string& buffer = bytes_buffer(slot);
      buffer.clear();
      buffer.reserve(field_length);
      return &buffer;
    }
  }

  // One element of an ARRAY or field of a ROW: the null literal is checked per element
  // (CsvParser._handleArrayValue), then the element is read as a column of its type would be.
  template <class Element>
  decode_status read_element(std::string_view text, Element& element, std::string_view noun,
                             std::string* decoded_bytes) {
    if (opts_.null_literal && text == *opts_.null_literal) return store_null(element, {}, noun);
    return read_scalar(text, element, {}, noun, decoded_bytes);
  }

  // Jackson's CsvParser reads an ARRAY column's field (after unquoting and unescaping) as the
  // pieces between array-element delimiters, with no quoting of their own: a delimiter inside
  // an element always splits it. A field without a delimiter that is empty or blank (Java
  // trim) has no elements; "a;" has two, the second empty. The whole field is never compared
  // to the null literal, so a field equal to it is one NULL element.
  template <class Vector>
  decode_status read_array(std::string_view text, Vector& out, std::string_view name,
                           std::size_t slot) {
    using Element = typename Vector::value_type;
    const std::string_view delimiter = opts_.array_element_delimiter;
    out.clear();
    std::size_t end = text.find(delimiter);
    if (end == std::string_view::npos && text::java_trim(text).empty()) return {};
    std::string* decoded_bytes = nested_bytes_buffer<Element>(slot, text.size());
    std::size_t start = 0;
    for (std::size_t index = 0;; ++index) {
      const std::string_view element_text =
          text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
      decode_status status;
      if constexpr (std::is_same_v<Element, bool>) {
        bool flag = false;  // std::vector<bool> has no element to read into
        status = read_element(element_text, flag, "element", nullptr);
        out.push_back(flag);
      } else {
        status = read_element(element_text, out.emplace_back(), "element", decoded_bytes);
      }
      if (!status.ok())
        return nested_failure(status, std::string(name) + '[' + std::to_string(index) + ']');
      if (end == std::string_view::npos) return {};
      start = end + delimiter.size();
      end = text.find(delimiter, start);
    }
  }

  // A ROW column is read like an ARRAY (CsvRowSchemaConverter gives it Jackson's ARRAY column
  // type), then CsvToRowDataConverters takes the elements as its fields by position: no
  // elements is a NULL ROW, fewer than its fields fail, more are ignored.
  template <class Member>
  decode_status read_row(std::string_view text, Member& member, std::string_view name,
                         std::size_t slot) {
    using Struct = typename column_traits<Member>::value_type;
    using fields = struct_fields<Struct>;
    const std::string_view delimiter = opts_.array_element_delimiter;
    std::size_t elements = 1;
    for (std::size_t at = text.find(delimiter); at != std::string_view::npos;
         at = text.find(delimiter, at + delimiter.size()))
      ++elements;
    if (elements == 1 && text::java_trim(text).empty()) return store_null(member, name);
    if (elements < fields::count)
      return decode_status::failure(name, "Row length mismatch. " + std::to_string(fields::count) +
                                              " fields expected but was " +
                                              std::to_string(elements) + ".");
    Struct& value = column_io::emplace(member);
    std::string* decoded_bytes = nullptr;
    for_each_field<Struct>([&](auto field) {
      using field_member = typename fields::template member_type<decltype(field)::value>;
      if (decoded_bytes == nullptr)
        decoded_bytes = nested_bytes_buffer<field_member>(slot, text.size());
    });
    decode_status status;
    std::size_t start = 0;
    for_each_field<Struct>([&](auto field) {
      constexpr std::size_t I = decltype(field)::value;
      if (!status.ok()) return;
      const std::size_t end = text.find(delimiter, start);
      const std::string_view element_text =
          text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
      status = read_element(element_text, fields::template get<I>(value), "field", decoded_bytes);
      if (!status.ok())
        status = nested_failure(status, std::string(name) + '.' + std::string(fields::names[I]));
      start = end == std::string_view::npos ? text.size() : end + delimiter.size();
    });
    return status;
  }

  // A scalar's text → the member (a column, an ARRAY's element or a ROW's field). BYTES decode
  // into `decoded_bytes`, appended.
  template <class Member>
  decode_status read_scalar(std::string_view text, Member& member, std::string_view name,
                            std::string_view noun, std::string* decoded_bytes) {
    using traits = column_traits<Member>;
    using V = typename traits::value_type;
    if constexpr (traits::type == sql_type::string) {
      column_io::assign_string(column_io::emplace(member), text);
    } else if constexpr (traits::type == sql_type::bytes) {
      // TextNode.binaryValue(): the trimmed text as padded base64 ("" is empty BYTES).
      const std::size_t start = decoded_bytes->size();
      if (!base64::append_decoded(*decoded_bytes, text::java_trim(text)))
        return cannot_parse<V>(name, text, "not base64");
      column_io::emplace(member) =
          bytes(decoded_bytes->data() + start, decoded_bytes->size() - start);
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
        return decode_status::failure(name, "null value for NOT NULL " + std::string(noun) + " ('" +
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

  // Quotes what was just appended from `start` if the string rule says so. DECIMAL, DATE,
  // TIME, TIMESTAMP and BYTES reach Jackson as text (textNode, writeNumber(BigDecimal) →
  // CsvEncoder.write(int, String), base64 from CsvGenerator.writeBinary), so they are quoted
  // like strings: a timestamp's space quotes it, and with a delimiter like '|' every such value
  // is quoted. So is an ARRAY's or ROW's joined text.
  void quote_appended(std::string& out, std::size_t start) const {
    const std::string_view written(out.data() + start, out.size() - start);
    if (!needs_quotes(written)) return;
    char small[64];  // most such texts fit: no allocation to quote a timestamp
    std::string large;
    std::string_view copy;
    if (written.size() <= sizeof small) {
      std::memcpy(small, written.data(), written.size());
      copy = std::string_view(small, written.size());
    } else {
      large.assign(written);
      copy = large;
    }
    out.resize(start);
    append_string(out, copy);
  }

  // A scalar's text as Jackson's CsvGenerator produces it, unquoted. `plain_decimal` is
  // JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN, which only a column's own DECIMAL sees.
  template <class V>
  void append_scalar_text(const V& value, std::string& out, bool plain_decimal) const {
    constexpr sql_type type = column_traits<V>::type;
    if constexpr (type == sql_type::string) {
      out.append(std::string_view(value));
    } else if constexpr (type == sql_type::bytes) {
      base64::append_encoded(out, value.view());
    } else if constexpr (type == sql_type::boolean) {
      out += value ? "true" : "false";
    } else if constexpr (type == sql_type::tinyint || type == sql_type::smallint ||
                         type == sql_type::integer || type == sql_type::bigint) {
      text::append_integer(out, value);
    } else if constexpr (type == sql_type::float_) {
      text::append_java_float(out, value);
    } else if constexpr (type == sql_type::double_) {
      text::append_java_double(out, value);
    } else if constexpr (type == sql_type::decimal) {
      text::append_decimal(out, value.unscaled, V::scale, plain_decimal);
    } else if constexpr (type == sql_type::date) {
      text::append_date(out, value);
    } else if constexpr (type == sql_type::timestamp || type == sql_type::timestamp_ltz) {
      text::append_date_time(out, split_day_time(value), text::timestamp_style::sql,
                             type == sql_type::timestamp_ltz);
    } else if constexpr (type == sql_type::time) {
      // ISO_LOCAL_TIME: seconds always, the fraction without trailing zeros.
      text::append_time(out, split_day_time(value).nanos_of_day, text::time_style::sql);
    }
  }

  // An ARRAY's element or a ROW's field inside the joined text: CsvGenerator._addToArray
  // writes a NULL as the null literal or nothing (getNullValueOrEmpty), and a DECIMAL with
  // String.valueOf(BigDecimal), which is toString whatever
  // write-bigdecimal-in-scientific-notation says.
  template <class Element>
  void append_element(const Element& element, std::string& out) const {
    const auto* value = column_io::value_of(element);
    if (value == nullptr) {
      if (opts_.null_literal) out += *opts_.null_literal;
      return;
    }
    append_scalar_text(*value, out, /*plain_decimal=*/false);
  }

  // CsvGenerator collects an ARRAY's elements (and a ROW's fields, a Jackson array too) joined
  // by the array-element delimiter, then writes the whole as one string: its quoting rule
  // applies to the joined text, and an element holding the delimiter is not escaped (it reads
  // back as two).
  template <class V>
  void append_nested(const V& value, std::string& out) const {
    const std::string_view delimiter = opts_.array_element_delimiter;
    if constexpr (column_traits<V>::type == sql_type::array) {
      bool first = true;
      for (const auto& element : value) {
        if (!first) out.append(delimiter);
        first = false;
        if constexpr (std::is_same_v<typename V::value_type, bool>)
          append_element(static_cast<bool>(element), out);  // std::vector<bool>'s proxy
        else
          append_element(element, out);
      }
    } else {
      for_each_field<V>([&](auto field) {
        constexpr std::size_t I = decltype(field)::value;
        if constexpr (I != 0) out.append(delimiter);
        append_element(struct_fields<V>::template get<I>(value), out);
      });
    }
  }

  template <class Member>
  void write_member(const Member& member, std::string& out) const {
    using traits = column_traits<Member>;
    const auto* value = column_io::value_of(member);
    if (!value) {  // null → the null literal, unquoted, or nothing
      if (opts_.null_literal) out += *opts_.null_literal;
      return;
    }
    const std::size_t start = out.size();
    if constexpr (traits::type == sql_type::string) {
      append_string(out, std::string_view(*value));
    } else if constexpr (traits::type == sql_type::boolean || traits::type == sql_type::tinyint ||
                         traits::type == sql_type::smallint || traits::type == sql_type::integer ||
                         traits::type == sql_type::bigint || traits::type == sql_type::float_ ||
                         traits::type == sql_type::double_) {
      // CsvEncoder.write(int, boolean/long/double) and appendValue(float): never quoted.
      append_scalar_text(*value, out, false);
    } else if constexpr (traits::type == sql_type::array || traits::type == sql_type::row) {
      append_nested(*value, out);
      quote_appended(out, start);
    } else {
      append_scalar_text(*value, out, !opts_.write_bigdecimal_in_scientific_notation);
      quote_appended(out, start);
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
