// upsertkit: SQL column types that C++ has no word for (DECIMAL, DATE, TIME, TIMESTAMP, BYTES,
// MULTISET) and the trait that maps every supported C++ member type onto its SQL type,
// including the nested ones: ARRAY is std::vector, MAP std::map, ROW a Hana-adapted struct.
#ifndef UPSERTKIT_TYPES_HPP
#define UPSERTKIT_TYPES_HPP

#include <boost/hana/accessors.hpp>
#include <boost/hana/concept/struct.hpp>
#include <boost/hana/first.hpp>
#include <boost/hana/for_each.hpp>
#include <boost/hana/length.hpp>
#include <boost/hana/second.hpp>
#include <boost/hana/string.hpp>
#include <boost/hana/unpack.hpp>
#include <chrono>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace upsertkit {

/// A 128-bit integer, the unscaled value of a DECIMAL wider than 18 digits. The GCC/Clang
/// builtin: 38 digits need 127 bits, and its arithmetic is a few machine instructions.
__extension__ typedef __int128 int128;
__extension__ typedef unsigned __int128 uint128;

/// DECIMAL(Precision, Scale): the value is `unscaled / 10^Scale`, P in 1..38 as in Flink.
/// The unscaled value is an std::int64_t up to P = 18 (every operation one machine
/// instruction, 8 bytes of state) and an upsertkit::int128 above.
template <int Precision, int Scale>
struct decimal {
  static_assert(Precision >= 1 && Precision <= 38, "upsertkit::decimal<P, S>: P must be in 1..38");
  static_assert(Scale >= 0 && Scale <= Precision, "upsertkit::decimal<P, S>: S must be in 0..P");
  static constexpr int precision = Precision;
  static constexpr int scale = Scale;
  using unscaled_type = std::conditional_t<(Precision <= 18), std::int64_t, int128>;

  unscaled_type unscaled = 0;

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
/// The same SQL type as upsertkit::local_timestamp<3> (kept: the first type upsertkit had).
struct timestamp {
  std::int64_t millis_since_epoch = 0;
  friend constexpr bool operator==(timestamp, timestamp) = default;
  friend constexpr auto operator<=>(timestamp, timestamp) = default;
};

namespace detail {
constexpr std::int64_t pow10(int exponent) noexcept {
  std::int64_t value = 1;
  for (int i = 0; i < exponent; ++i)
    value *= 10;
  return value;
}
}  // namespace detail

/// Ticks of 10^-Precision seconds (Precision 0..9): std::chrono::seconds, milliseconds,
/// microseconds and nanoseconds for 0, 3, 6 and 9.
template <int Precision>
requires(Precision >= 0 && Precision <= 9) using fractional_seconds =
    std::chrono::duration<std::int64_t, std::ratio<1, detail::pow10(Precision)>>;

/// TIMESTAMP(P) WITHOUT TIME ZONE: a wall-clock time, no zone (Java's LocalDateTime), counted in
/// 10^-P s since 1970-01-01 00:00:00. `std::chrono::local_time<std::chrono::microseconds>` is
/// TIMESTAMP(6). The int64 count holds years 0000-9999 for P <= 7; TIMESTAMP(8) holds years
/// up to 4892 and TIMESTAMP(9) 1677-09-21..2262-04-11 (a value outside fails to decode).
template <int Precision>
using local_timestamp = std::chrono::local_time<fractional_seconds<Precision>>;

/// TIMESTAMP_LTZ(P) (TIMESTAMP(P) WITH LOCAL TIME ZONE): an instant (Java's Instant), counted
/// in 10^-P s since 1970-01-01 00:00:00 UTC. Same ranges as local_timestamp<P>.
template <int Precision>
using timestamp_ltz = std::chrono::sys_time<fractional_seconds<Precision>>;

/// TIME(P): a time of day, 00:00:00 to 23:59:59.999999999, counted in 10^-P s since midnight.
template <int Precision>
requires(Precision >= 0 && Precision <= 9) struct time_of_day {
  static constexpr int precision = Precision;
  fractional_seconds<Precision> since_midnight{};
  friend constexpr bool operator==(time_of_day, time_of_day) = default;
  friend constexpr auto operator<=>(time_of_day, time_of_day) = default;
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

/// MULTISET<T>: each distinct element with its number of occurrences (Flink's external type
/// for a MULTISET is a Map<T, Integer> too). Elements are NOT NULL, as MAP keys are: no format
/// carries a null one (docs/schema.md). The formats read and write `counts` as it is.
template <class T>
struct multiset {
  using element_type = T;
  std::map<T, std::int32_t> counts;
  friend bool operator==(const multiset&, const multiset&) = default;
};

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

/// The proleptic Gregorian date `days` after 1970-01-01 (any day of a TIMESTAMP's int64 count).
constexpr civil_date civil_from_days(std::int64_t days) noexcept {
  const std::int64_t z = days + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto day_of_era = static_cast<unsigned>(z - era * 146097);
  const unsigned year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const int year = static_cast<int>(static_cast<std::int64_t>(year_of_era) + era * 400);
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

/// A date and time split the way the formats read and write them: days since 1970-01-01 and
/// nanoseconds into that day (0..86'399'999'999'999). A TIME has days = 0.
struct day_time {
  std::int64_t days = 0;
  std::int64_t nanos_of_day = 0;
  friend constexpr bool operator==(day_time, day_time) = default;
};

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
  timestamp,  // TIMESTAMP(p) WITHOUT TIME ZONE, any p
  bytes,
  time,           // TIME(p)
  timestamp_ltz,  // TIMESTAMP_LTZ(p)
  array,          // ARRAY<T>: std::vector
  map,            // MAP<K, V>: std::map
  multiset,       // MULTISET<T>: upsertkit::multiset
  row,            // ROW<...>: a Hana-adapted struct
};

namespace detail {
inline constexpr std::int64_t nanos_per_day = 86'400'000'000'000;

constexpr int precision_of_denominator(std::intmax_t denominator) noexcept {
  for (int p = 0; p <= 9; ++p)
    if (denominator == pow10(p)) return p;
  return -1;
}

// How a temporal member type splits into a day_time and back. `join` truncates to the type's
// precision and is nullopt when the value does not fit the member's count.
template <class V>
struct temporal_traits {
  static constexpr int precision = -1;
};

template <sql_type Type, int Precision>
struct tick_temporal_traits {
  static constexpr sql_type type = Type;
  static constexpr int precision = Precision;
  static constexpr std::int64_t nanos_per_tick = pow10(9 - Precision);
  static constexpr std::int64_t ticks_per_day = nanos_per_day / nanos_per_tick;

  static constexpr day_time split(std::int64_t ticks) noexcept {
    std::int64_t days = ticks / ticks_per_day;
    std::int64_t rest = ticks % ticks_per_day;
    if (rest < 0) {
      rest += ticks_per_day;
      --days;
    }
    return {days, rest * nanos_per_tick};
  }
  static constexpr std::optional<std::int64_t> join(day_time value) noexcept {
    std::int64_t ticks = 0;
    if (__builtin_mul_overflow(value.days, ticks_per_day, &ticks) ||
        __builtin_add_overflow(ticks, value.nanos_of_day / nanos_per_tick, &ticks))
      return std::nullopt;
    return ticks;
  }
};

template <class Clock, std::intmax_t Denominator>
requires(
    precision_of_denominator(Denominator) >= 0 &&
    (std::is_same_v<Clock, std::chrono::local_t> ||
     std::is_same_v<
         Clock,
         std::chrono::
             system_clock>)) struct temporal_traits<std::chrono::
                                                        time_point<Clock,
                                                                   std::chrono::duration<
                                                                       std::int64_t,
                                                                       std::ratio<1, Denominator>>>>
    : tick_temporal_traits<std::is_same_v<Clock, std::chrono::local_t> ? sql_type::timestamp
                                                                       : sql_type::timestamp_ltz,
                           precision_of_denominator(Denominator)> {
  using value_type =
      std::chrono::time_point<Clock,
                              std::chrono::duration<std::int64_t, std::ratio<1, Denominator>>>;
  using base =
      tick_temporal_traits<std::is_same_v<Clock, std::chrono::local_t> ? sql_type::timestamp
                                                                       : sql_type::timestamp_ltz,
                           precision_of_denominator(Denominator)>;
  static constexpr day_time split(value_type value) noexcept {
    return base::split(value.time_since_epoch().count());
  }
  static constexpr std::optional<value_type> join(day_time value) noexcept {
    auto ticks = base::join(value);
    if (!ticks) return std::nullopt;
    return value_type(typename value_type::duration(*ticks));
  }
};

template <>
struct temporal_traits<timestamp> : tick_temporal_traits<sql_type::timestamp, 3> {
  using base = tick_temporal_traits<sql_type::timestamp, 3>;
  static constexpr day_time split(timestamp value) noexcept {
    return base::split(value.millis_since_epoch);
  }
  static constexpr std::optional<timestamp> join(day_time value) noexcept {
    auto ticks = base::join(value);
    if (!ticks) return std::nullopt;
    return timestamp{*ticks};
  }
};

template <int Precision>
struct temporal_traits<time_of_day<Precision>> : tick_temporal_traits<sql_type::time, Precision> {
  using base = tick_temporal_traits<sql_type::time, Precision>;
  static constexpr day_time split(time_of_day<Precision> value) noexcept {
    return {0, value.since_midnight.count() * base::nanos_per_tick};
  }
  static constexpr std::optional<time_of_day<Precision>> join(day_time value) noexcept {
    return time_of_day<Precision>{
        fractional_seconds<Precision>(value.nanos_of_day / base::nanos_per_tick)};
  }
};

template <class V>
concept temporal_value = temporal_traits<V>::precision >= 0;
}  // namespace detail

/// A temporal value as days and nanoseconds of the day (for TIME: the time of day).
template <detail::temporal_value V>
constexpr day_time split_day_time(V value) noexcept {
  return detail::temporal_traits<V>::split(value);
}

/// The temporal value of `value`, truncated to V's precision; nullopt when V cannot hold it
/// (TIMESTAMP(8) and TIMESTAMP(9) outside their ranges; see local_timestamp).
template <detail::temporal_value V>
constexpr std::optional<V> join_day_time(day_time value) noexcept {
  return detail::temporal_traits<V>::join(value);
}

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

template <class T>
inline constexpr bool is_vector = false;
template <class T, class Allocator>
inline constexpr bool is_vector<std::vector<T, Allocator>> = true;
template <class T>
inline constexpr bool is_map = false;
template <class K, class V, class Compare, class Allocator>
inline constexpr bool is_map<std::map<K, V, Compare, Allocator>> = true;
template <class T>
inline constexpr bool is_multiset = false;
template <class T>
inline constexpr bool is_multiset<multiset<T>> = true;
// A ROW is any struct adapted for Hana (BOOST_HANA_ADAPT_STRUCT or upsertkit::columns).
template <class T>
inline constexpr bool is_row = boost::hana::Struct<T>::value;

template <class V>
constexpr std::optional<sql_type> sql_type_of() noexcept;

// Whether every member of a ROW struct is a column type (a nested field can be a ROW too).
template <class Struct>
constexpr bool row_fields_are_columns() noexcept {
  return boost::hana::unpack(boost::hana::accessors<Struct>(), [](auto... accessor) {
    return (sql_type_of<typename unwrap_optional<std::remove_cvref_t<decltype(boost::hana::second(
                accessor)(std::declval<Struct&>()))>>::type>()
                .has_value() &&
            ...);
  });
}

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
  else if constexpr (temporal_value<V>)
    return temporal_traits<V>::type;
  else if constexpr (std::is_same_v<V, bytes>)
    return sql_type::bytes;
  else if constexpr (is_vector<V>) {
    if (sql_type_of<typename unwrap_optional<typename V::value_type>::type>())
      return sql_type::array;
    return std::nullopt;
  } else if constexpr (is_map<V>) {
    // Keys are NOT NULL: no format carries a null key (docs/schema.md).
    if (sql_type_of<typename V::key_type>() &&
        sql_type_of<typename unwrap_optional<typename V::mapped_type>::type>())
      return sql_type::map;
    return std::nullopt;
  } else if constexpr (is_multiset<V>) {
    if (sql_type_of<typename V::element_type>()) return sql_type::multiset;
    return std::nullopt;
  } else if constexpr (is_row<V>) {
    // At least one field: a field-less ROW would encode in no bytes, and an ARRAY of them
    // could claim any length in a few bytes of message.
    if (decltype(boost::hana::length(boost::hana::accessors<V>()))::value > 0 &&
        row_fields_are_columns<V>())
      return sql_type::row;
    return std::nullopt;
  } else {
    return std::nullopt;
  }
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
                  "upsertkit::date, upsertkit::time_of_day<P>, upsertkit::timestamp, "
                  "upsertkit::local_timestamp<P>, upsertkit::timestamp_ltz<P>, upsertkit::bytes "
                  "(BYTES), std::vector<T> (ARRAY), std::map<K, V> (MAP), "
                  "upsertkit::multiset<T> (MULTISET), a Hana-adapted struct of at least one "
                  "column (ROW), or "
                  "std::optional of one of them");
    return detail::sql_type_of<value_type>().value_or(sql_type::string);
  }();

  /// DECIMAL's precision, TIME's, TIMESTAMP's and TIMESTAMP_LTZ's; -1 for other types.
  static constexpr int precision = [] {
    if constexpr (detail::is_decimal<value_type>::value)
      return value_type::precision;
    else
      return detail::temporal_traits<value_type>::precision;
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
      return "TIMESTAMP";
    case sql_type::bytes:
      return "BYTES";
    case sql_type::time:
      return "TIME";
    case sql_type::timestamp_ltz:
      return "TIMESTAMP_LTZ";
    case sql_type::array:
      return "ARRAY";
    case sql_type::map:
      return "MAP";
    case sql_type::multiset:
      return "MULTISET";
    case sql_type::row:
      return "ROW";
  }
  return "?";
}

namespace detail {
template <class Member>
std::string sql_type_text();

// A nested type's element: its type, and NOT NULL when the element is not a std::optional.
template <class Element>
std::string element_type_text() {
  std::string text = sql_type_text<Element>();
  if constexpr (!is_optional<Element>::value) text += " NOT NULL";
  return text;
}

/// The SQL type of a member, as the DDL would write it (`DECIMAL(18, 2)`, `STRING`,
/// `ARRAY<INT NOT NULL>`, `ROW<street STRING, zip INT NOT NULL>`).
template <class Member>
std::string sql_type_text() {
  using traits = column_traits<Member>;
  using V = typename traits::value_type;
  if constexpr (traits::type == sql_type::decimal) {
    return "DECIMAL(" + std::to_string(V::precision) + ", " + std::to_string(V::scale) + ")";
  } else if constexpr (traits::type == sql_type::array) {
    return "ARRAY<" + element_type_text<typename V::value_type>() + ">";
  } else if constexpr (traits::type == sql_type::map) {
    // A key is always NOT NULL, so it is written as Flink's DDL usually has it: `MAP<STRING, V>`.
    return "MAP<" + sql_type_text<typename V::key_type>() + ", " +
           element_type_text<typename V::mapped_type>() + ">";
  } else if constexpr (traits::type == sql_type::multiset) {
    return "MULTISET<" + sql_type_text<typename V::element_type>() + ">";
  } else if constexpr (traits::type == sql_type::row) {
    std::string text = "ROW<";
    boost::hana::for_each(boost::hana::accessors<V>(), [&](auto accessor) {
      using field =
          std::remove_cvref_t<decltype(boost::hana::second(accessor)(std::declval<V&>()))>;
      if (text.size() > 4) text += ", ";
      text += boost::hana::to<const char*>(boost::hana::first(accessor));
      text += ' ';
      text += element_type_text<field>();
    });
    return text + ">";
  } else if constexpr (traits::precision >= 0) {
    return std::string(sql_type_name(traits::type)) + "(" + std::to_string(traits::precision) + ")";
  } else {
    return std::string(sql_type_name(traits::type));
  }
}
}  // namespace detail

}  // namespace upsertkit

#endif  // UPSERTKIT_TYPES_HPP
