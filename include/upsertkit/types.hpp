// upsertkit: SQL column types that C++ has no word for (DECIMAL, DATE, TIMESTAMP(3), BYTES) and
// the trait that maps every supported C++ member type onto its SQL type.
#ifndef UPSERTKIT_TYPES_HPP
#define UPSERTKIT_TYPES_HPP

#include <compare>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

namespace upsertkit {

/// DECIMAL(Precision, Scale): the value is `unscaled / 10^Scale`.
/// Precision is capped at 18 so the unscaled value fits an int64 and every operation stays a
/// machine instruction; wider decimals are a documented limitation (docs/schema.md).
template <int Precision, int Scale>
struct decimal {
  static_assert(Precision >= 1 && Precision <= 18,
                "upsertkit::decimal<P, S>: P must be in 1..18 (the unscaled value is an int64)");
  static_assert(Scale >= 0 && Scale <= Precision, "upsertkit::decimal<P, S>: S must be in 0..P");
  static constexpr int precision = Precision;
  static constexpr int scale = Scale;

  std::int64_t unscaled = 0;

  friend constexpr bool operator==(decimal, decimal) = default;
  friend constexpr auto operator<=>(decimal, decimal) = default;
};

/// DATE: days since 1970-01-01 (proleptic Gregorian calendar, like java.time.LocalDate).
struct date {
  std::int32_t days_since_epoch = 0;
  friend constexpr bool operator==(date, date) = default;
  friend constexpr auto operator<=>(date, date) = default;
};

/// TIMESTAMP(3) WITHOUT TIME ZONE: milliseconds since 1970-01-01 00:00:00 of a wall clock.
struct timestamp {
  std::int64_t millis_since_epoch = 0;
  friend constexpr bool operator==(timestamp, timestamp) = default;
  friend constexpr auto operator<=>(timestamp, timestamp) = default;
};

/// BYTES (VARBINARY / BINARY): a view of binary data, like a std::string_view column. Decoding
/// points it into the message (avro, raw), into the codec's scratch buffer (json and csv, which
/// decode base64) or into the materializer's state, so it is valid as long as that storage is.
/// Any byte value is allowed, including 0x00. Comparison is bytewise, as unsigned bytes.
class bytes {
 public:
  constexpr bytes() noexcept = default;
  constexpr bytes(const char* data, std::size_t size) noexcept : view_(data, size) {}
  bytes(const unsigned char* data, std::size_t size) noexcept
      : view_(reinterpret_cast<const char*>(data), size) {}
  bytes(const std::byte* data, std::size_t size) noexcept
      : view_(reinterpret_cast<const char*>(data), size) {}
  /// The bytes of `view` (e.g. of a std::string that holds binary data).
  constexpr explicit bytes(std::string_view view) noexcept : view_(view) {}

  constexpr const char* data() const noexcept { return view_.data(); }
  constexpr std::size_t size() const noexcept { return view_.size(); }
  constexpr bool empty() const noexcept { return view_.empty(); }
  /// The byte at `i` as 0..255.
  constexpr unsigned char operator[](std::size_t i) const noexcept {
    return static_cast<unsigned char>(view_[i]);
  }
  /// The same bytes as a std::string_view (to copy them into a std::string, hash them, ...).
  constexpr std::string_view view() const noexcept { return view_; }

  friend constexpr bool operator==(bytes a, bytes b) noexcept { return a.view_ == b.view_; }
  friend constexpr std::strong_ordering operator<=>(bytes a, bytes b) noexcept {
    return a.view_.compare(b.view_) <=> 0;  // char_traits<char>: compares as unsigned char
  }

 private:
  std::string_view view_;
};

/// A nullable column. Any member that is not a std::optional is NOT NULL.
template <class T>
using nullable = std::optional<T>;

struct civil_date {
  int year;
  unsigned month;  // 1..12
  unsigned day;    // 1..31
};

/// Days since the epoch for a proleptic Gregorian date (era arithmetic, valid for any int year).
constexpr std::int32_t days_from_civil(int year, unsigned month, unsigned day) noexcept {
  year -= month <= 2 ? 1 : 0;
  const int era = (year >= 0 ? year : year - 399) / 400;
  const unsigned year_of_era = static_cast<unsigned>(year - era * 400);
  const unsigned shifted_month = month > 2 ? month - 3 : month + 9;
  const unsigned day_of_year = (153 * shifted_month + 2) / 5 + day - 1;
  const unsigned day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + static_cast<int>(day_of_era) - 719468;
}

constexpr civil_date civil_from_days(std::int32_t days) noexcept {
  const std::int32_t z = days + 719468;
  const std::int32_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned day_of_era = static_cast<unsigned>(z - era * 146097);
  const unsigned year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const int year = static_cast<int>(year_of_era) + era * 400;
  const unsigned day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const unsigned shifted_month = (5 * day_of_year + 2) / 153;
  const unsigned day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
  const unsigned month = shifted_month < 10 ? shifted_month + 3 : shifted_month - 9;
  return {year + (month <= 2 ? 1 : 0), month, day};
}

constexpr bool is_leap_year(int year) noexcept {
  return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
}

constexpr unsigned days_in_month(int year, unsigned month) noexcept {
  constexpr unsigned lengths[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap_year(year) ? 29 : lengths[month - 1];
}

/// The SQL type of a column, as the formats and the DDL importer see it.
enum class sql_type : std::uint8_t {
  string,
  boolean,
  tinyint,
  smallint,
  integer,
  bigint,
  float_,
  double_,
  decimal,
  date,
  timestamp,
  bytes,
};

namespace detail {
template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};
template <class T>
struct is_decimal : std::false_type {};
template <int P, int S>
struct is_decimal<decimal<P, S>> : std::true_type {};
template <class T>
struct unwrap_optional {
  using type = T;
};
template <class T>
struct unwrap_optional<std::optional<T>> {
  using type = T;
};

// The SQL type of a column's value type; nullopt when the type is not a column type.
template <class V>
constexpr std::optional<sql_type> sql_type_of() noexcept {
  if constexpr (std::is_same_v<V, std::string> || std::is_same_v<V, std::string_view>)
    return sql_type::string;
  else if constexpr (std::is_same_v<V, bool>)
    return sql_type::boolean;
  else if constexpr (std::is_same_v<V, std::int8_t>)
    return sql_type::tinyint;
  else if constexpr (std::is_same_v<V, std::int16_t>)
    return sql_type::smallint;
  else if constexpr (std::is_same_v<V, std::int32_t>)
    return sql_type::integer;
  else if constexpr (std::is_same_v<V, std::int64_t>)
    return sql_type::bigint;
  else if constexpr (std::is_same_v<V, float>)
    return sql_type::float_;
  else if constexpr (std::is_same_v<V, double>)
    return sql_type::double_;
  else if constexpr (is_decimal<V>::value)
    return sql_type::decimal;
  else if constexpr (std::is_same_v<V, date>)
    return sql_type::date;
  else if constexpr (std::is_same_v<V, timestamp>)
    return sql_type::timestamp;
  else if constexpr (std::is_same_v<V, bytes>)
    return sql_type::bytes;
  else
    return std::nullopt;
}
}  // namespace detail

/// Whether a struct member of type `Member` can be a column (std::optional<T>: a nullable T).
template <class Member>
concept column_type = detail::sql_type_of<typename detail::unwrap_optional<Member>::type>()
.has_value();

/// What a member type means as a column: its SQL type and whether it is nullable.
/// table<> reports an unsupported member type first, naming the column (schema.hpp); this
/// assertion is for column_traits used on its own.
template <class Member>
struct column_traits {
  using value_type = typename detail::unwrap_optional<Member>::type;
  static constexpr bool nullable = detail::is_optional<Member>::value;

  static constexpr sql_type type = [] {
    static_assert(column_type<Member>,
                  "upsertkit: unsupported column type; use std::string, std::string_view, bool, "
                  "std::int8_t..std::int64_t, float, double, upsertkit::decimal<P,S>, "
                  "upsertkit::date, upsertkit::timestamp, upsertkit::bytes (BYTES), or "
                  "std::optional of one of them");
    return detail::sql_type_of<value_type>().value_or(sql_type::string);
  }();
};

/// The SQL spelling of a column type, as Flink's DDL writes it (used in error messages).
constexpr std::string_view sql_type_name(sql_type type) noexcept {
  switch (type) {
    case sql_type::string:
      return "STRING";
    case sql_type::boolean:
      return "BOOLEAN";
    case sql_type::tinyint:
      return "TINYINT";
    case sql_type::smallint:
      return "SMALLINT";
    case sql_type::integer:
      return "INT";
    case sql_type::bigint:
      return "BIGINT";
    case sql_type::float_:
      return "FLOAT";
    case sql_type::double_:
      return "DOUBLE";
    case sql_type::decimal:
      return "DECIMAL";
    case sql_type::date:
      return "DATE";
    case sql_type::timestamp:
      return "TIMESTAMP(3)";
    case sql_type::bytes:
      return "BYTES";
  }
  return "?";
}

namespace detail {
/// The SQL type of a member, as the DDL would write it (`DECIMAL(18, 2)`, `STRING`).
template <class Member>
std::string sql_type_text() {
  using traits = column_traits<Member>;
  using V = typename traits::value_type;
  if constexpr (traits::type == sql_type::decimal)
    return "DECIMAL(" + std::to_string(V::precision) + ", " + std::to_string(V::scale) + ")";
  else
    return std::string(sql_type_name(traits::type));
}
}  // namespace detail

}  // namespace upsertkit

#endif  // UPSERTKIT_TYPES_HPP
