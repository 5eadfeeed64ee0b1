// upsertkit: Flink's `print` connector as a change handler.
//
// Two row styles: `legacy` is what Flink 1.11-1.12 printed and what the seed's examples show,
// `+I(202303251202020001,miniAppShop,...)`; `modern` is Flink >= 1.13, `+I[a, b, 60.0]`.
// Values print as Flink's Row.toString prints them: NULL as `null`, DOUBLE like Java's
// Double.toString (`60.0`), TIMESTAMP like LocalDateTime.toString (`2020-03-08T13:12:11.120`),
// BYTES like Arrays.toString(byte[]) of Java's signed bytes (`[1, 0, -1]`, `[]` when empty).
#ifndef UPSERTKIT_PRINT_HPP
#define UPSERTKIT_PRINT_HPP

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>

#include "column_io.hpp"
#include "error.hpp"
#include "row_kind.hpp"
#include "schema.hpp"
#include "text.hpp"

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

/// Appends one printed row (without prefix or newline).
template <class Table>
void append_printed_row(std::string& out, row_kind kind, const typename Table::row_type& row,
                        print_style style) {
  out += short_string(kind);
  out += style == print_style::legacy ? '(' : '[';
  for_each_column<Table>([&](auto column) {
    constexpr std::size_t I = decltype(column)::value;
    if constexpr (I != 0) out += style == print_style::legacy ? "," : ", ";
    const auto* value = column_io::value_of(Table::fields::template get<I>(row));
    if (value == nullptr) {
      out += "null";
      return;
    }
    using V = std::remove_cvref_t<decltype(*value)>;
    constexpr sql_type type = column_traits<V>::type;
    if constexpr (type == sql_type::string)
      out.append(value->data(), value->size());
    else if constexpr (type == sql_type::boolean)
      out += *value ? "true" : "false";
    else if constexpr (type == sql_type::double_)
      text::append_java_double(out, *value);
    else if constexpr (type == sql_type::float_)
      text::append_java_float(out, *value);
    else if constexpr (type == sql_type::decimal)
      text::append_decimal(out, value->unscaled, V::scale);
    else if constexpr (type == sql_type::date)
      text::append_date(out, *value);
    else if constexpr (type == sql_type::timestamp)
      text::append_date_time(out, split_day_time(*value), text::timestamp_style::local_date_time);
    else if constexpr (type == sql_type::timestamp_ltz)
      text::append_date_time(out, split_day_time(*value), text::timestamp_style::instant);
    else if constexpr (type == sql_type::time)
      text::append_time(out, split_day_time(*value).nanos_of_day, text::time_style::local_time);
    else if constexpr (type == sql_type::bytes)
      append_java_byte_array(out, *value);
    else
      text::append_integer(out, static_cast<std::int64_t>(*value));
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
