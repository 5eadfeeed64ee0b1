// upsertkit: scalar values as text, read and written the way the Java reference does.
//
// Reading follows the JDK parsers Flink's formats call (Double.parseDouble, Long.parseLong,
// Boolean.parseBoolean, new BigDecimal, LocalDate/LocalDateTime patterns); writing follows
// Double.toString, Float.toString, BigDecimal.toString and Flink's timestamp formats.
// Every function works on a string_view and appends to a std::string or a string_writer:
// nothing allocates per call once the output buffer has grown.
#ifndef UPSERTKIT_TEXT_HPP
#define UPSERTKIT_TEXT_HPP

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>

#include "types.hpp"

namespace upsertkit::text {

/// String.trim(): drops leading and trailing chars <= U+0020.
constexpr std::string_view java_trim(std::string_view s) noexcept {
  while (!s.empty() && static_cast<unsigned char>(s.front()) <= ' ')
    s.remove_prefix(1);
  while (!s.empty() && static_cast<unsigned char>(s.back()) <= ' ')
    s.remove_suffix(1);
  return s;
}

constexpr bool equals_ignore_case(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

/// Boolean.parseBoolean(s.trim()): "true" in any case is true, anything else false (no error).
constexpr bool parse_java_boolean(std::string_view s) noexcept {
  return equals_ignore_case(java_trim(s), "true");
}

/// Long.parseLong(s.trim()) range-checked against [min, max] (Integer.parseInt etc.).
inline std::optional<std::int64_t> parse_java_integer(std::string_view s, std::int64_t min,
                                                      std::int64_t max) noexcept {
  s = java_trim(s);
  if (!s.empty() && s.front() == '+') {
    s.remove_prefix(1);
    if (!s.empty() && (s.front() == '-' || s.front() == '+')) return std::nullopt;
  }
  if (s.empty()) return std::nullopt;
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  if (value < min || value > max) return std::nullopt;
  return value;
}

/// Double.parseDouble(s.trim()): decimal notation, hexadecimal floating literals
/// (`0x1.8p1`: the binary exponent is required, as in Java), "NaN", "[+-]Infinity", and an
/// optional trailing f/F/d/D type suffix.
namespace detail {
// Plain decimals whose digits fit 2^53, the usual shape of amounts ("60.00", "-1.5", "7."):
// the digits and the power of ten are both exact doubles, so one IEEE division gives the
// correctly rounded result. Anything else returns false and takes the general path.
inline bool parse_plain_decimal(std::string_view s, double& out) noexcept {
  const char* p = s.data();
  const char* const end = p + s.size();
  const bool negative = p < end && *p == '-';
  p += negative;
  const char* const first = p;
  std::uint64_t mantissa = 0;
  while (p < end && static_cast<unsigned char>(*p - '0') <= 9)
    mantissa = mantissa * 10 + static_cast<unsigned char>(*p++ - '0');
  std::size_t digits = static_cast<std::size_t>(p - first);
  std::size_t fraction_digits = 0;
  if (p < end && *p == '.') {
    const char* const fraction = ++p;
    while (p < end && static_cast<unsigned char>(*p - '0') <= 9)
      mantissa = mantissa * 10 + static_cast<unsigned char>(*p++ - '0');
    fraction_digits = static_cast<std::size_t>(p - fraction);
    digits += fraction_digits;
  }
  // At most 19 digits cannot overflow; then fraction_digits <= 22 holds too.
  if (p != end || digits == 0 || digits > 19 || mantissa > (std::uint64_t{1} << 53)) return false;
  static constexpr double powers[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                      1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                      1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  const double value = static_cast<double>(mantissa) / powers[fraction_digits];
  out = negative ? -value : value;
  return true;
}
}  // namespace detail

inline std::optional<double> parse_java_double(std::string_view s) noexcept {
  double fast = 0;
  if (detail::parse_plain_decimal(s, fast)) return fast;
  s = java_trim(s);
  // The type suffix follows a numeral only: "NaNd" and "Infinityf" are errors in Java.
  if (s.size() >= 2 && (s.back() == 'd' || s.back() == 'D' || s.back() == 'f' || s.back() == 'F') &&
      ((s[s.size() - 2] >= '0' && s[s.size() - 2] <= '9') || s[s.size() - 2] == '.'))
    s.remove_suffix(1);
  bool negative = false;
  if (!s.empty() && (s.front() == '+' || s.front() == '-')) {
    negative = s.front() == '-';
    s.remove_prefix(1);
  }
  if (s.empty()) return std::nullopt;
  if (s == "NaN") return std::numeric_limits<double>::quiet_NaN();
  if (s == "Infinity")
    return negative ? -std::numeric_limits<double>::infinity()
                    : std::numeric_limits<double>::infinity();
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    const std::string_view hex = s.substr(2);
    if (hex.find_first_of("pP") == std::string_view::npos || hex.front() == '+' ||
        hex.front() == '-')
      return std::nullopt;
    double value = 0;
    auto [end, ec] =
        std::from_chars(hex.data(), hex.data() + hex.size(), value, std::chars_format::hex);
    if (ec != std::errc() || end != hex.data() + hex.size()) return std::nullopt;
    return negative ? -value : value;
  }
  if (!(s.front() >= '0' && s.front() <= '9') && s.front() != '.') return std::nullopt;
  double value = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (end != s.data() + s.size()) return std::nullopt;
  if (ec == std::errc::result_out_of_range) {
    // Java rounds overflow to infinity and underflow to zero rather than failing.
    bool huge = false;
    for (char c : s) {
      if (c == 'e' || c == 'E') break;
      if (c >= '1' && c <= '9') {
        huge = true;
        break;
      }
    }
    std::size_t e = s.find_first_of("eE");
    if (e != std::string_view::npos && e + 1 < s.size() && s[e + 1] == '-') huge = false;
    value = huge ? std::numeric_limits<double>::infinity() : 0.0;
  } else if (ec != std::errc()) {
    return std::nullopt;
  }
  return negative ? -value : value;
}

/// new BigDecimal(s.trim()) rescaled to Scale with HALF_UP and checked against Precision.
/// Returns the unscaled value; std::nullopt with `malformed` set when the text is no number,
/// std::nullopt with `malformed` clear when it does not fit DECIMAL(P, S) (Flink yields NULL).
/// Unscaled is std::int64_t (P <= 18) or upsertkit::int128 (P <= 38): decimal<P, S>::unscaled_type.
template <class Unscaled = std::int64_t>
std::optional<Unscaled> parse_decimal(std::string_view s, int precision, int scale,
                                      bool& malformed) noexcept {
  using magnitude_type =
      std::conditional_t<std::is_same_v<Unscaled, int128>, uint128, std::uint64_t>;
  constexpr magnitude_type magnitude_max = ~magnitude_type{0};
  constexpr int max_shift = std::is_same_v<Unscaled, int128> ? 39 : 19;
  malformed = false;
  s = java_trim(s);
  bool negative = false;
  if (!s.empty() && (s.front() == '+' || s.front() == '-')) {
    negative = s.front() == '-';
    s.remove_prefix(1);
  }
  // Collect up to 40 significant digits and the decimal exponent they carry.
  char digits[40];
  int digit_count = 0;
  int exponent = 0;  // value = digits * 10^exponent
  bool seen_point = false, seen_digit = false;
  std::size_t i = 0;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c >= '0' && c <= '9') {
      seen_digit = true;
      if (digit_count == 0 && c == '0') {
        if (seen_point) --exponent;
        continue;
      }
      if (digit_count < 40) {
        digits[digit_count++] = c;
        if (seen_point) --exponent;
      } else if (!seen_point) {
        ++exponent;  // digits past the 40th only scale; HALF_UP looks at the first dropped one
      }
    } else if (c == '.' && !seen_point) {
      seen_point = true;
    } else {
      break;
    }
  }
  if (!seen_digit) {
    malformed = true;
    return std::nullopt;
  }
  if (i < s.size()) {
    if (s[i] != 'e' && s[i] != 'E') {
      malformed = true;
      return std::nullopt;
    }
    auto e = parse_java_integer(s.substr(i + 1), -100000, 100000);
    // parse_java_integer trims, but BigDecimal allows no blank after the 'e' ("1e 5").
    if (!e || (i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) <= ' ')) {
      malformed = true;
      return std::nullopt;
    }
    exponent += static_cast<int>(*e);
  }
  // Shift to the target scale: unscaled = digits * 10^(exponent + scale).
  int shift = exponent + scale;
  int kept = digit_count + (shift < 0 ? shift : 0);  // digits left of the rounding point
  if (kept < 0) return Unscaled{0};                  // rounds to zero (|value| < 0.5 ulp)
  magnitude_type unscaled = 0;
  for (int d = 0; d < kept; ++d) {
    if (unscaled > (magnitude_max - 9) / 10) return std::nullopt;
    unscaled = unscaled * 10 + static_cast<magnitude_type>(digits[d] - '0');
  }
  if (shift > 0) {
    if (unscaled != 0 && shift > max_shift) return std::nullopt;
    for (int z = 0; z < shift && unscaled != 0; ++z) {
      if (unscaled > magnitude_max / 10) return std::nullopt;
      unscaled *= 10;
    }
  } else if (kept < digit_count) {
    if (digits[kept] >= '5') ++unscaled;  // HALF_UP looks at the first dropped digit only
  }
  magnitude_type limit = 1;
  for (int p = 0; p < precision; ++p)
    limit *= 10;
  if (unscaled >= limit) return std::nullopt;
  const auto value = static_cast<Unscaled>(unscaled);
  return negative ? static_cast<Unscaled>(-value) : value;
}

namespace detail {
constexpr bool read_digits(std::string_view s, std::size_t pos, std::size_t count,
                           unsigned& out) noexcept {
  if (pos + count > s.size()) return false;
  unsigned v = 0;
  for (std::size_t i = 0; i < count; ++i) {
    char c = s[pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<unsigned>(c - '0');
  }
  out = v;
  return true;
}
// 1 or 2 digits (java.sql.Timestamp.valueOf is lenient on month and day widths).
constexpr bool read_1_or_2_digits(std::string_view s, std::size_t& pos, unsigned& out) noexcept {
  unsigned v = 0;
  std::size_t start = pos;
  while (pos < s.size() && pos - start < 2 && s[pos] >= '0' && s[pos] <= '9')
    v = v * 10 + static_cast<unsigned>(s[pos++] - '0');
  out = v;
  return pos > start;
}
}  // namespace detail

/// ISO_LOCAL_DATE `yyyy-MM-dd` (4-digit year, as Flink's formats read it).
constexpr std::optional<date> parse_date(std::string_view s) noexcept {
  unsigned y = 0, m = 0, d = 0;
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  if (!detail::read_digits(s, 0, 4, y) || !detail::read_digits(s, 5, 2, m) ||
      !detail::read_digits(s, 8, 2, d))
    return std::nullopt;
  if (m < 1 || m > 12 || d < 1 || d > days_in_month(static_cast<int>(y), m)) return std::nullopt;
  return date{days_from_civil(static_cast<int>(y), m, d)};
}

/// Which text form a TIMESTAMP takes (`json.timestamp-format.standard`).
enum class timestamp_standard : std::uint8_t { sql, iso_8601 };

namespace detail {
// `HH:mm[:ss[.f{0,9}]]` from s[pos]; seconds required when `seconds_required`. On success pos is
// past what was read and `nanos` is the nanoseconds of the day. `end_of_day` also accepts
// 24:00[:00[.0]] as 86'400 s, as java.time's SMART resolver does (a formatter built with
// DateTimeFormatterBuilder; the ISO_* constants are STRICT).
constexpr bool read_time(std::string_view s, std::size_t& pos, bool seconds_required,
                         std::int64_t& nanos, bool end_of_day = false) noexcept {
  unsigned h = 0, mi = 0, sec = 0;
  if (!read_digits(s, pos, 2, h) || pos + 2 >= s.size() || s[pos + 2] != ':' ||
      !read_digits(s, pos + 3, 2, mi))
    return false;
  pos += 5;
  const bool has_seconds = pos < s.size() && s[pos] == ':';
  if (has_seconds) {
    if (!read_digits(s, pos + 1, 2, sec)) return false;
    pos += 3;
  } else if (seconds_required) {
    return false;
  }
  std::int64_t fraction = 0;
  if (has_seconds && pos < s.size() && s[pos] == '.') {
    ++pos;
    const std::size_t start = pos;
    std::int64_t scale = 100'000'000;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (pos - start == 9) return false;  // at most 9 fraction digits (nanoseconds)
      fraction += (s[pos] - '0') * scale;
      scale /= 10;
      ++pos;
    }
  }
  if ((h > 23 && !(end_of_day && h == 24 && mi == 0 && sec == 0 && fraction == 0)) || mi > 59 ||
      sec > 59)
    return false;
  nanos = ((h * 60 + mi) * 60 + sec) * std::int64_t{1'000'000'000} + fraction;
  return true;
}
}  // namespace detail

/// Which text a TIME takes: Flink's SQL_TIME_FORMAT `HH:mm:ss[.f{0,9}]` (the JSON format), or
/// java.time's ISO_LOCAL_TIME `HH:mm[:ss[.f{0,9}]]` (the CSV format's LocalTime.parse).
enum class time_form : std::uint8_t { sql, iso_local };

/// The nanoseconds of the day of a TIME in `form`; nullopt when `s` is not one. The SQL form
/// resolves SMART: `24:00:00` is midnight (Flink's JSON reader keeps only the LocalTime).
constexpr std::optional<std::int64_t> parse_time(std::string_view s, time_form form) noexcept {
  std::size_t pos = 0;
  std::int64_t nanos = 0;
  if (!detail::read_time(s, pos, form == time_form::sql, nanos, form == time_form::sql) ||
      pos != s.size())
    return std::nullopt;
  return nanos % upsertkit::detail::nanos_per_day;
}

/// Reads a TIMESTAMP at full precision (nanoseconds). SQL: `yyyy-MM-dd HH:mm:ss[.f{0,9}]`;
/// ISO-8601: `yyyy-MM-ddTHH:mm[:ss[.f{0,9}]]`. `lenient` accepts java.sql.Timestamp.valueOf's
/// 1-digit month/day; `zone_suffix` requires the `Z` that TIMESTAMP_LTZ's text ends with.
/// Resolved as Flink's formatters resolve (flink-format-common TimeFormats): the SQL ones and
/// the ISO one with `Z` are SMART (a day 29-31 past the month's end is its last day, and
/// 24:00:00 is the next midnight); ISO_LOCAL_DATE_TIME, the ISO one without, is STRICT.
constexpr std::optional<day_time> parse_date_time(std::string_view s, timestamp_standard standard,
                                                  bool lenient = false,
                                                  bool zone_suffix = false) noexcept {
  const bool smart = standard == timestamp_standard::sql || zone_suffix;
  if (zone_suffix) {
    if (s.empty() || s.back() != 'Z') return std::nullopt;
    s.remove_suffix(1);
  }
  unsigned y = 0, mo = 0, d = 0;
  std::size_t pos = 0;
  if (!detail::read_digits(s, 0, 4, y) || s.size() < 5 || s[4] != '-') return std::nullopt;
  pos = 5;
  if (lenient) {
    if (!detail::read_1_or_2_digits(s, pos, mo) || pos >= s.size() || s[pos++] != '-' ||
        !detail::read_1_or_2_digits(s, pos, d))
      return std::nullopt;
  } else {
    if (!detail::read_digits(s, 5, 2, mo) || s.size() < 8 || s[7] != '-' ||
        !detail::read_digits(s, 8, 2, d))
      return std::nullopt;
    pos = 10;
  }
  const char separator = standard == timestamp_standard::sql ? ' ' : 'T';
  if (pos >= s.size() || s[pos] != separator) return std::nullopt;
  ++pos;
  std::int64_t nanos = 0;
  if (!detail::read_time(s, pos, standard == timestamp_standard::sql, nanos, smart) ||
      pos != s.size())
    return std::nullopt;
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return std::nullopt;
  const unsigned last_day = days_in_month(static_cast<int>(y), mo);
  if (d > last_day) {
    if (!smart) return std::nullopt;
    d = last_day;
  }
  std::int64_t days = days_from_civil(static_cast<int>(y), mo, d);
  if (nanos == upsertkit::detail::nanos_per_day) {
    ++days;
    nanos = 0;
  }
  return day_time{days, nanos};
}

/// Reads a TIMESTAMP(3) (parse_date_time; digits past milliseconds are truncated).
constexpr std::optional<timestamp> parse_timestamp(std::string_view s, timestamp_standard standard,
                                                   bool lenient = false) noexcept {
  auto parsed = parse_date_time(s, standard, lenient);
  if (!parsed) return std::nullopt;
  return join_day_time<timestamp>(*parsed);
}

// ---------------------------------------------------------------------------------------------
// Writing

namespace detail {
template <class Out>
void append_2(Out& out, unsigned v) {
  out += static_cast<char>('0' + v / 10);
  out += static_cast<char>('0' + v % 10);
}
// java.time's year: at least 4 digits, '-' before a negative one, '+' before one past 9999.
template <class Out>
void append_year(Out& out, int year) {
  if (year < 0) {
    out += '-';
    year = -year;
  } else if (year > 9999) {
    out += '+';
  }
  char buf[12];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, year);
  (void)ec;
  for (auto n = end - buf; n < 4; ++n)
    out += '0';
  out.append(buf, end);
}

// Java's Double.toString / Float.toString layout of the shortest round-trip digits.
template <class Out>
void append_java_floating(Out& out, const char* digits_begin, std::size_t ndigits, int exponent10,
                          bool negative) {
  // value = 0.d1d2d3... * 10^exponent10  (decimal point before the first digit)
  if (negative) out += '-';
  if (exponent10 >= -2 && exponent10 <= 7) {
    // 10^-3 <= |x| < 10^7: plain notation with at least one digit after the point.
    if (exponent10 <= 0) {
      out += "0.";
      for (int z = 0; z < -exponent10; ++z)
        out += '0';
      out.append(digits_begin, ndigits);
    } else {
      auto int_digits = static_cast<std::size_t>(exponent10);
      if (ndigits <= int_digits) {
        out.append(digits_begin, ndigits);
        out.append(int_digits - ndigits, '0');
        out += ".0";
      } else {
        out.append(digits_begin, int_digits);
        out += '.';
        out.append(digits_begin + int_digits, ndigits - int_digits);
      }
    }
  } else {
    out += digits_begin[0];
    out += '.';
    if (ndigits > 1)
      out.append(digits_begin + 1, ndigits - 1);
    else
      out += '0';
    out += 'E';
    char buf[8];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, exponent10 - 1);
    (void)ec;
    out.append(buf, end);
  }
}

// Double.toString of a double that is a decimal with at most three digits after the point,
// 10^-3 <= |value| < 10^7 (prices, amounts): the common case, written without the shortest-
// digits search. False when `value` is not such a decimal.
//
// Why this is Java's text: for the smallest k in 0..3 such that the nearest k-place decimal n /
// 10^k parses back to `value`, that decimal has the fewest significant digits of all that do
// (any shorter one has fewer places and would have been found at a smaller k), and it is the
// only k-place one that does (10^-k is far wider than the gap between doubles below 10^7).
// IEEE division of the exact n by the exact 10^k rounds as parsing the decimal does, so the
// test is exact. Java writes such a value in plain notation, at least one digit after the point.
template <class Out>
bool append_java_short_decimal(Out& out, double value) {
  const double magnitude = std::fabs(value);
  if (!(magnitude >= 1e-3 && magnitude < 1e7)) return false;
  static constexpr std::uint64_t powers[] = {1, 10, 100, 1000};
  for (int k = 0; k <= 3; ++k) {
    const auto scale = static_cast<double>(powers[k]);                   // exact
    const auto n = static_cast<std::uint64_t>(magnitude * scale + 0.5);  // < 2^34
    if (static_cast<double>(n) / scale != magnitude) continue;
    char buf[24];
    if (value < 0) out += '-';
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, n / powers[k]);
    (void)ec;
    out.append(buf, end);
    out += '.';
    if (k == 0) {
      out += '0';
      return true;
    }
    std::uint64_t fraction = n % powers[k];
    char digits[3];
    for (int i = k - 1; i >= 0; --i) {
      digits[i] = static_cast<char>('0' + fraction % 10);
      fraction /= 10;
    }
    out.append(digits, static_cast<std::size_t>(k));
    return true;
  }
  return false;
}

// Double.toString / Float.toString of any value, from the shortest round-trip digits.
template <class Out, class Floating>
void append_java_shortest(Out& out, Floating value) {
  if (std::isnan(value)) {
    out += "NaN";
    return;
  }
  if (std::isinf(value)) {
    out += value < 0 ? "-Infinity" : "Infinity";
    return;
  }
  if (value == 0) {
    out += std::signbit(value) ? "-0.0" : "0.0";
    return;
  }
  // Shortest round-trip digits in scientific form: d.dddde[+-]xx
  char buf[40];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::scientific);
  (void)ec;
  const char* p = buf;
  bool negative = *p == '-';
  if (negative) ++p;
  char digits[24];
  std::size_t ndigits = 0;
  const char* e = p;
  while (e < end && *e != 'e') {
    if (*e != '.') digits[ndigits++] = *e;
    ++e;
  }
  int exp = 0;
  std::from_chars(e + 1 + (e[1] == '+' ? 1 : 0), end, exp);
  while (ndigits > 1 && digits[ndigits - 1] == '0')
    --ndigits;
  if (ndigits == 1) {
    // When one digit suffices, Java chooses among the 1- and 2-digit decimals that round to the
    // value the closest one (Double.toString javadoc, JDK 19+): 4.9E-324, not 5.0E-324.
    char two[40];
    auto [two_end, two_ec] =
        std::to_chars(two, two + sizeof two, value, std::chars_format::scientific, 1);
    (void)two_ec;
    Floating back{};
    auto [back_end, back_ec] = std::from_chars(two, two_end, back);
    if (back_ec == std::errc() && back_end == two_end && back == value) {
      const char* q = two + (two[0] == '-' ? 1 : 0);  // d.de[+-]x
      digits[0] = q[0];
      digits[1] = q[2];
      ndigits = q[2] == '0' ? 1 : 2;
      std::from_chars(q + 4 + (q[4] == '+' ? 1 : 0), two_end, exp);
    }
  }
  append_java_floating(out, digits, ndigits, exp + 1, negative);
}

template <class Out, class Floating>
void append_java(Out& out, Floating value) {
  if constexpr (std::is_same_v<Floating, double>) {
    if (append_java_short_decimal(out, value)) return;
  }
  append_java_shortest(out, value);
}
}  // namespace detail

/// Double.toString as JDK 19+ prints it (shortest digits that round-trip): 60.0, 1.0E7, 1.0E-4.
/// JDK <= 18 sometimes printed one more digit than needed (JDK-4511638); see docs/formats.md.
template <class Out>
void append_java_double(Out& out, double value) {
  detail::append_java(out, value);
}

/// Float.toString, same rules on float's shortest digits.
template <class Out>
void append_java_float(Out& out, float value) {
  detail::append_java(out, value);
}

/// Integer/Long.toString.
template <class Out>
void append_integer(Out& out, std::int64_t value) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  (void)ec;
  out.append(buf, end);
}

namespace detail {
// The decimal digits of `value` at `buf` (room for 40); returns their end.
constexpr char* write_digits(char* buf, uint128 value) noexcept {
  char reversed[40];
  int n = 0;
  do {
    reversed[n++] = static_cast<char>('0' + static_cast<int>(value % 10));
    value /= 10;
  } while (value != 0);
  while (n > 0)
    *buf++ = reversed[--n];
  return buf;
}
}  // namespace detail

/// BigDecimal.toString of `unscaled * 10^-scale` (scale >= 0): plain unless the adjusted
/// exponent is below -6, then scientific (`1E-7`, `1.5E-8`). With `plain` set, always plain
/// (BigDecimal.toPlainString, json.encode.decimal-as-plain-number). Unscaled: std::int64_t or
/// upsertkit::int128.
template <class Out, class Unscaled>
void append_decimal(Out& out, Unscaled unscaled, int scale, bool plain = false) {
  static_assert(std::is_same_v<Unscaled, std::int64_t> || std::is_same_v<Unscaled, int128>);
  char buf[40];
  char* end;
  if constexpr (std::is_same_v<Unscaled, std::int64_t>) {
    std::uint64_t magnitude = unscaled < 0 ? 0 - static_cast<std::uint64_t>(unscaled)
                                           : static_cast<std::uint64_t>(unscaled);
    end = std::to_chars(buf, buf + sizeof buf, magnitude).ptr;
  } else {
    uint128 magnitude =
        unscaled < 0 ? 0 - static_cast<uint128>(unscaled) : static_cast<uint128>(unscaled);
    end = detail::write_digits(buf, magnitude);
  }
  auto ndigits = static_cast<int>(end - buf);
  if (unscaled < 0) out += '-';
  int adjusted = ndigits - 1 - scale;
  if (scale == 0) {
    out.append(buf, end);
  } else if (plain || adjusted >= -6) {
    if (ndigits > scale) {
      out.append(buf, static_cast<std::size_t>(ndigits - scale));
      out += '.';
      out.append(buf + ndigits - scale, static_cast<std::size_t>(scale));
    } else {
      out += "0.";
      out.append(static_cast<std::size_t>(scale - ndigits), '0');
      out.append(buf, end);
    }
  } else {
    out += buf[0];
    if (ndigits > 1) {
      out += '.';
      out.append(buf + 1, end);
    }
    out += 'E';
    append_integer(out, adjusted);
  }
}

/// `yyyy-MM-dd`.
template <class Out>
void append_date(Out& out, date value) {
  civil_date c = civil_from_days(value.days_since_epoch);
  detail::append_year(out, c.year);
  out += '-';
  detail::append_2(out, c.month);
  out += '-';
  detail::append_2(out, c.day);
}

/// How a TIMESTAMP is written.
enum class timestamp_style : std::uint8_t {
  sql,              // `2020-03-08 13:12:11.12`: fraction without trailing zeros (JSON/CSV)
  iso_8601,         // `2020-03-08T13:12:11.12`
  local_date_time,  // LocalDateTime.toString(): `2020-03-08T13:12:11.120`, `...T13:12` (print)
  instant           // Instant.toString(): `2020-03-08T13:12:00Z`, `...T13:12:11.120Z` (print)
};

/// How a TIME is written.
enum class time_style : std::uint8_t {
  sql,        // `13:12:11.12`, `13:12:00`: seconds always, fraction without trailing zeros
  local_time  // LocalTime.toString(): `13:12`, `13:12:11.120` (print)
};

namespace detail {
// The fraction of a second as digits: none for 0, else without trailing zeros (`stripped`) or
// in groups of three as java.time's toString writes it.
template <class Out>
void append_fraction(Out& out, std::int64_t nanos, bool stripped) {
  if (nanos == 0) return;
  char digits[9];
  auto value = static_cast<std::uint32_t>(nanos);
  for (int i = 8; i >= 0; --i) {
    digits[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  std::size_t n = 9;
  if (stripped) {
    while (digits[n - 1] == '0')
      --n;
  } else {
    while (n > 3 && digits[n - 1] == '0' && digits[n - 2] == '0' && digits[n - 3] == '0')
      n -= 3;
  }
  out += '.';
  out.append(digits, n);
}
}  // namespace detail

/// A time of day, `nanos` nanoseconds after midnight.
template <class Out>
void append_time(Out& out, std::int64_t nanos, time_style style) {
  const std::int64_t seconds = nanos / 1'000'000'000;
  const std::int64_t fraction = nanos % 1'000'000'000;
  detail::append_2(out, static_cast<unsigned>(seconds / 3600));
  out += ':';
  detail::append_2(out, static_cast<unsigned>(seconds / 60 % 60));
  if (style == time_style::local_time && seconds % 60 == 0 && fraction == 0) return;
  out += ':';
  detail::append_2(out, static_cast<unsigned>(seconds % 60));
  detail::append_fraction(out, fraction, style == time_style::sql);
}

/// A date and time in `style`; `zone_suffix` appends the `Z` of TIMESTAMP_LTZ's text (the
/// instant style always has it).
template <class Out>
void append_date_time(Out& out, day_time value, timestamp_style style, bool zone_suffix = false) {
  const civil_date c = civil_from_days(value.days);
  detail::append_year(out, c.year);
  out += '-';
  detail::append_2(out, c.month);
  out += '-';
  detail::append_2(out, c.day);
  out += style == timestamp_style::sql ? ' ' : 'T';
  if (style == timestamp_style::local_date_time) {
    append_time(out, value.nanos_of_day, time_style::local_time);
  } else if (style == timestamp_style::instant) {
    // ISO_INSTANT: seconds always, the fraction in groups of three.
    const std::int64_t seconds = value.nanos_of_day / 1'000'000'000;
    detail::append_2(out, static_cast<unsigned>(seconds / 3600));
    out += ':';
    detail::append_2(out, static_cast<unsigned>(seconds / 60 % 60));
    out += ':';
    detail::append_2(out, static_cast<unsigned>(seconds % 60));
    detail::append_fraction(out, value.nanos_of_day % 1'000'000'000, false);
    out += 'Z';
    return;
  } else {
    append_time(out, value.nanos_of_day, time_style::sql);
  }
  if (zone_suffix) out += 'Z';
}

/// A TIMESTAMP(3) in `style`.
template <class Out>
void append_timestamp(Out& out, timestamp value, timestamp_style style) {
  append_date_time(out, split_day_time(value), style);
}

/// The text a TIME, TIMESTAMP or TIMESTAMP_LTZ column of member type V reads, for messages:
/// `yyyy-MM-dd HH:mm:ss[.f]`, with the range where the type's count is narrower than years
/// 0000-9999 (TIMESTAMP(8), TIMESTAMP(9)).
template <class V>
std::string temporal_pattern(timestamp_standard standard, time_form form = time_form::sql) {
  using traits = upsertkit::detail::temporal_traits<V>;
  std::string out;
  if constexpr (traits::type == sql_type::time) {
    out += form == time_form::sql ? "HH:mm:ss[.f]" : "HH:mm[:ss[.f]]";
  } else {
    out += standard == timestamp_standard::sql ? "yyyy-MM-dd HH:mm:ss[.f]"
                                               : "yyyy-MM-ddTHH:mm[:ss[.f]]";
    if (traits::type == sql_type::timestamp_ltz) out += 'Z';
    if constexpr (traits::type != sql_type::time && traits::precision >= 8) {
      out += ", from ";
      append_date_time(out, split_day_time(V::min()), timestamp_style::sql);
      out += " to ";
      append_date_time(out, split_day_time(V::max()), timestamp_style::sql);
    }
  }
  return out;
}

/// `TIMESTAMP(6) (yyyy-MM-dd HH:mm:ss[.f])`: the type and temporal_pattern.
template <class V>
std::string temporal_expected(timestamp_standard standard, time_form form = time_form::sql) {
  using traits = upsertkit::detail::temporal_traits<V>;
  std::string out(sql_type_name(traits::type));
  out += '(';
  out += static_cast<char>('0' + traits::precision);
  out += ") (";
  out += temporal_pattern<V>(standard, form);
  out += ')';
  return out;
}

}  // namespace upsertkit::text

#endif  // UPSERTKIT_TEXT_HPP
