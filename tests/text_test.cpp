// Java compatibility of upsertkit::text: Double/Float.toString, Double.parseDouble,
// Long.parseLong, Boolean.parseBoolean, BigDecimal, LocalDate and Flink's timestamp formats.
// Expected strings are what the JDK (17+; JDK 19+ for the shortest-digit rule) prints.
#include <gtest/gtest.h>
#include <upsertkit/text.hpp>

#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <random>
#include <string>
#include <string_view>

namespace text_test {

namespace text = upsertkit::text;
using upsertkit::date;
using upsertkit::timestamp;

std::string java_double(double value) {
  std::string out = "prefix:";  // append_* append: the prefix must survive
  text::append_java_double(out, value);
  EXPECT_EQ(out.substr(0, 7), "prefix:");
  return out.substr(7);
}

std::string java_float(float value) {
  std::string out;
  text::append_java_float(out, value);
  return out;
}

std::string decimal_text(std::int64_t unscaled, int scale, bool plain = false) {
  std::string out;
  text::append_decimal(out, unscaled, scale, plain);
  return out;
}

std::string date_text(std::int32_t days) {
  std::string out;
  text::append_date(out, date{days});
  return out;
}

std::string timestamp_text(std::int64_t millis, text::timestamp_style style) {
  std::string out;
  text::append_timestamp(out, timestamp{millis}, style);
  return out;
}

// 2020-03-08 13:12:11 UTC wall clock, in epoch milliseconds (checked with Python's datetime).
constexpr std::int64_t k20200308_131211 = 1583673131000;

// ---------------------------------------------------------------------------------------------
// Double.toString / Float.toString

TEST(JavaDouble, PlainNotationBetweenOneThousandthAndTenMillion) {
  EXPECT_EQ(java_double(60.0), "60.0");
  EXPECT_EQ(java_double(100), "100.0");
  EXPECT_EQ(java_double(1e3), "1000.0");
  EXPECT_EQ(java_double(-0.5), "-0.5");
  EXPECT_EQ(java_double(0.001), "0.001");
  EXPECT_EQ(java_double(-0.001), "-0.001");
  EXPECT_EQ(java_double(9999999.0), "9999999.0");
  EXPECT_EQ(java_double(123456.789), "123456.789");
  EXPECT_EQ(java_double(0.1 + 0.2), "0.30000000000000004");
  // The largest double below 10^7 still prints plain; the one below 10^-3 does not.
  EXPECT_EQ(java_double(std::nextafter(1e7, 0.0)), "9999999.999999998");
  EXPECT_EQ(java_double(std::nextafter(0.001, 0.0)), "9.999999999999998E-4");
}

// The short-decimal path (amounts such as 60.0 or 1234.56) must write what the general path
// writes from the shortest digits, for every value it takes, and decline every other one.
TEST(JavaDouble, ShortDecimalPathAgreesWithTheShortestDigits) {
  std::mt19937_64 random(12345);
  std::size_t taken = 0;
  auto check = [&](double value) {
    std::string fast;
    std::string general;
    text::detail::append_java_shortest(general, value);
    if (!text::detail::append_java_short_decimal(fast, value)) return;
    ++taken;
    ASSERT_EQ(fast, general) << std::hexfloat << value;
  };
  for (int i = 0; i < 300'000; ++i) {
    // decimals with 0-3 places across the plain range, and their neighbouring doubles
    const int places = static_cast<int>(random() % 4);
    const double scale = places == 0 ? 1 : places == 1 ? 10 : places == 2 ? 100 : 1000;
    const auto n = static_cast<double>(random() % static_cast<std::uint64_t>(1e7 * scale));
    const double value = n / scale;
    for (double v : {value, -value, std::nextafter(value, 0.0), std::nextafter(value, 1e300)})
      check(v);
    // any double in and around the range
    check(std::ldexp(static_cast<double>(random() >> 11), -static_cast<int>(random() % 80)));
  }
  for (double v : {1e-3, std::nextafter(1e-3, 0.0), std::nextafter(1e7, 0.0), 1e7, 0.5, 0.125,
                   0.0625, 9999999.999, 0.1 + 0.2, 1.005, 2.675, 1e-3 + 5e-4})
    check(v);
  EXPECT_GT(taken, 590'000u);  // the decimals above and their negations, bar a few zeros
  std::string out;
  EXPECT_FALSE(text::detail::append_java_short_decimal(out, 0.1 + 0.2));
  EXPECT_FALSE(text::detail::append_java_short_decimal(out, 0.0005));
  EXPECT_FALSE(text::detail::append_java_short_decimal(out, 1e7));
  EXPECT_FALSE(text::detail::append_java_short_decimal(out, 0.0));
  EXPECT_TRUE(out.empty());
}

TEST(JavaDouble, ScientificNotationOutsideThePlainRange) {
  EXPECT_EQ(java_double(1e7), "1.0E7");
  EXPECT_EQ(java_double(-1e7), "-1.0E7");
  EXPECT_EQ(java_double(12345678.9), "1.23456789E7");
  EXPECT_EQ(java_double(1.0E-4), "1.0E-4");
  EXPECT_EQ(java_double(0.00099), "9.9E-4");
  EXPECT_EQ(java_double(1e21), "1.0E21");
  EXPECT_EQ(java_double(1e23), "1.0E23");
  EXPECT_EQ(java_double(1.5e300), "1.5E300");
  EXPECT_EQ(java_double(-2.5e-10), "-2.5E-10");
  EXPECT_EQ(java_double(std::numeric_limits<double>::max()), "1.7976931348623157E308");
  EXPECT_EQ(java_double(std::numeric_limits<double>::min()), "2.2250738585072014E-308");
}

TEST(JavaDouble, SubnormalsPreferTheClosestTwoDigitDecimal) {
  // Double.MIN_VALUE: "5e-324" also round-trips, but Java picks the closer 4.9E-324.
  EXPECT_EQ(java_double(std::numeric_limits<double>::denorm_min()), "4.9E-324");
  EXPECT_EQ(java_double(-std::numeric_limits<double>::denorm_min()), "-4.9E-324");
  // 2 * MIN_VALUE = 9.88e-324: 9.9E-324 is closer than 1.0E-323 (javadoc's length-1-or-2 rule).
  EXPECT_EQ(java_double(2 * std::numeric_limits<double>::denorm_min()), "9.9E-324");
  EXPECT_EQ(java_double(3 * std::numeric_limits<double>::denorm_min()), "1.5E-323");
}

TEST(JavaDouble, ZerosAndNonFiniteValues) {
  EXPECT_EQ(java_double(0.0), "0.0");
  EXPECT_EQ(java_double(-0.0), "-0.0");
  EXPECT_EQ(java_double(std::numeric_limits<double>::quiet_NaN()), "NaN");
  EXPECT_EQ(java_double(-std::numeric_limits<double>::quiet_NaN()), "NaN");
  EXPECT_EQ(java_double(std::numeric_limits<double>::infinity()), "Infinity");
  EXPECT_EQ(java_double(-std::numeric_limits<double>::infinity()), "-Infinity");
}

TEST(JavaFloat, UsesTheFloatsOwnShortestDigits) {
  EXPECT_EQ(java_float(1.1f), "1.1");  // not 1.100000023841858 (the double's digits)
  EXPECT_EQ(java_float(0.1f), "0.1");
  EXPECT_EQ(java_float(1e10f), "1.0E10");
  EXPECT_EQ(java_float(100.0f), "100.0");
  EXPECT_EQ(java_float(1.0e-4f), "1.0E-4");
  EXPECT_EQ(java_float(-0.0f), "-0.0");
  EXPECT_EQ(java_float(std::numeric_limits<float>::max()), "3.4028235E38");
  EXPECT_EQ(java_float(std::numeric_limits<float>::denorm_min()), "1.4E-45");
  EXPECT_EQ(java_float(std::numeric_limits<float>::quiet_NaN()), "NaN");
  EXPECT_EQ(java_float(-std::numeric_limits<float>::infinity()), "-Infinity");
}

bool is_plain_range(double value) {
  double magnitude = std::fabs(value);
  return magnitude >= 1e-3 && magnitude < 1e7;
}

TEST(JavaDouble, RandomBitPatternsRoundTripBitExactly) {
  std::mt19937_64 random(20230325);
  int checked = 0;
  for (int i = 0; i < 200000; ++i) {
    const double value = std::bit_cast<double>(random());
    if (std::isnan(value)) continue;
    const std::string printed = java_double(value);
    const auto parsed = text::parse_java_double(printed);
    ASSERT_TRUE(parsed.has_value()) << printed;
    ASSERT_EQ(std::bit_cast<std::uint64_t>(*parsed), std::bit_cast<std::uint64_t>(value))
        << printed;
    if (std::isfinite(value)) {
      // Java's layout: plain exactly in [1e-3, 1e7), always a digit after the point.
      ASSERT_EQ(printed.find('E') == std::string::npos, is_plain_range(value)) << printed;
      const auto point = printed.find('.');
      ASSERT_NE(point, std::string::npos) << printed;
      ASSERT_TRUE(point + 1 < printed.size() && printed[point + 1] >= '0' &&
                  printed[point + 1] <= '9')
          << printed;
    }
    ++checked;
  }
  EXPECT_GT(checked, 199000);
}

TEST(JavaDouble, RandomValuesInThePlainRangeRoundTrip) {
  // Random bit patterns rarely land near 1; these exercise the plain layout.
  std::mt19937_64 random(7);
  std::uniform_real_distribution<double> exponent(-3.0, 7.0);
  for (int i = 0; i < 50000; ++i) {
    const double value = std::pow(10.0, exponent(random)) * (i % 2 ? -1 : 1);
    const std::string printed = java_double(value);
    ASSERT_EQ(printed.find('E') == std::string::npos, is_plain_range(value)) << printed;
    ASSERT_EQ(text::parse_java_double(printed), value) << printed;
  }
}

TEST(JavaFloat, RandomBitPatternsRoundTripThroughFloatParsing) {
  std::mt19937 random(42);
  for (int i = 0; i < 100000; ++i) {
    const float value = std::bit_cast<float>(static_cast<std::uint32_t>(random()));
    if (!std::isfinite(value)) continue;
    const std::string printed = java_float(value);
    float parsed = 0;
    auto [end, ec] = std::from_chars(printed.data(), printed.data() + printed.size(), parsed);
    ASSERT_EQ(ec, std::errc()) << printed;
    ASSERT_EQ(end, printed.data() + printed.size()) << printed;
    ASSERT_EQ(std::bit_cast<std::uint32_t>(parsed), std::bit_cast<std::uint32_t>(value)) << printed;
  }
}

// ---------------------------------------------------------------------------------------------
// Double.parseDouble(s.trim())

TEST(ParseJavaDouble, AcceptsJavaNumerals) {
  EXPECT_EQ(text::parse_java_double("60.00"), 60.0);
  EXPECT_EQ(text::parse_java_double(" 60 "), 60.0);
  EXPECT_EQ(text::parse_java_double("\t7\n"), 7.0);
  EXPECT_EQ(text::parse_java_double("+1.5"), 1.5);
  EXPECT_EQ(text::parse_java_double("-1.5"), -1.5);
  EXPECT_EQ(text::parse_java_double("1e3"), 1000.0);
  EXPECT_EQ(text::parse_java_double("1E-2"), 0.01);
  EXPECT_EQ(text::parse_java_double("1.5d"), 1.5);
  EXPECT_EQ(text::parse_java_double("1.5F"), 1.5);
  EXPECT_EQ(text::parse_java_double("2D"), 2.0);
  EXPECT_EQ(text::parse_java_double("1."), 1.0);
  EXPECT_EQ(text::parse_java_double(".5"), 0.5);
  EXPECT_EQ(text::parse_java_double("4.9E-324"), std::numeric_limits<double>::denorm_min());
  const auto negative_zero = text::parse_java_double("-0");
  ASSERT_TRUE(negative_zero.has_value());
  EXPECT_TRUE(*negative_zero == 0.0 && std::signbit(*negative_zero));
}

TEST(ParseJavaDouble, NaNAndInfinity) {
  const auto nan = text::parse_java_double("NaN");
  ASSERT_TRUE(nan.has_value());
  EXPECT_TRUE(std::isnan(*nan));
  EXPECT_EQ(text::parse_java_double("-Infinity"), -std::numeric_limits<double>::infinity());
  EXPECT_EQ(text::parse_java_double("+Infinity"), std::numeric_limits<double>::infinity());
  EXPECT_EQ(text::parse_java_double(" Infinity "), std::numeric_limits<double>::infinity());
  // Case-sensitive, and the type suffix may only follow a numeral.
  EXPECT_EQ(text::parse_java_double("nan"), std::nullopt);
  EXPECT_EQ(text::parse_java_double("infinity"), std::nullopt);
  EXPECT_EQ(text::parse_java_double("inf"), std::nullopt);
  EXPECT_EQ(text::parse_java_double("NaNd"), std::nullopt);
  EXPECT_EQ(text::parse_java_double("Infinityf"), std::nullopt);
}

TEST(ParseJavaDouble, OverflowAndUnderflowRoundLikeJava) {
  EXPECT_EQ(text::parse_java_double("1e400"), std::numeric_limits<double>::infinity());
  EXPECT_EQ(text::parse_java_double("-1e400"), -std::numeric_limits<double>::infinity());
  const auto tiny = text::parse_java_double("1e-400");
  ASSERT_TRUE(tiny.has_value());
  EXPECT_EQ(*tiny, 0.0);
  const auto negative_tiny = text::parse_java_double("-1e-400");
  ASSERT_TRUE(negative_tiny.has_value());
  EXPECT_TRUE(*negative_tiny == 0.0 && std::signbit(*negative_tiny));
}

TEST(ParseJavaDouble, RejectsNonNumerals) {
  for (std::string_view bad : {"abc", "", "   ", "-", "+", ".", "d", "1e", "1e+", "--5", "+-5",
                               "1.2.3", "1,5", "1 5", "0x10", "1.5dd", "e5", "12abc"}) {
    EXPECT_EQ(text::parse_java_double(bad), std::nullopt) << "'" << bad << "'";
  }
}

// ---------------------------------------------------------------------------------------------
// Integer.parseInt / Long.parseLong(s.trim())

TEST(ParseJavaInteger, RangeChecked) {
  EXPECT_EQ(text::parse_java_integer("127", -128, 127), 127);
  EXPECT_EQ(text::parse_java_integer("-128", -128, 127), -128);
  EXPECT_EQ(text::parse_java_integer("128", -128, 127), std::nullopt);
  EXPECT_EQ(text::parse_java_integer("-129", -128, 127), std::nullopt);
  constexpr auto min64 = std::numeric_limits<std::int64_t>::min();
  constexpr auto max64 = std::numeric_limits<std::int64_t>::max();
  EXPECT_EQ(text::parse_java_integer("9223372036854775807", min64, max64), max64);
  EXPECT_EQ(text::parse_java_integer("-9223372036854775808", min64, max64), min64);
  EXPECT_EQ(text::parse_java_integer("9223372036854775808", min64, max64), std::nullopt);
  EXPECT_EQ(text::parse_java_integer("-9223372036854775809", min64, max64), std::nullopt);
}

TEST(ParseJavaInteger, SignsWhitespaceAndGarbage) {
  EXPECT_EQ(text::parse_java_integer("+5", -100, 100), 5);
  EXPECT_EQ(text::parse_java_integer("-5", -100, 100), -5);
  EXPECT_EQ(text::parse_java_integer(" 7 ", -100, 100), 7);
  EXPECT_EQ(text::parse_java_integer("007", -100, 100), 7);
  for (std::string_view bad :
       {"--5", "+-5", "-+5", "++5", "+", "-", "", " ", "1.0", "1e2", "0x10", "5a", "1 2", "½"}) {
    EXPECT_EQ(text::parse_java_integer(bad, -100, 100), std::nullopt) << "'" << bad << "'";
  }
}

// ---------------------------------------------------------------------------------------------
// Boolean.parseBoolean(s.trim())

TEST(ParseJavaBoolean, TrueIgnoringCaseElseFalse) {
  EXPECT_TRUE(text::parse_java_boolean("true"));
  EXPECT_TRUE(text::parse_java_boolean("TRUE"));
  EXPECT_TRUE(text::parse_java_boolean(" True\t"));
  EXPECT_FALSE(text::parse_java_boolean("false"));
  EXPECT_FALSE(text::parse_java_boolean("yes"));
  EXPECT_FALSE(text::parse_java_boolean("1"));
  EXPECT_FALSE(text::parse_java_boolean(""));
  EXPECT_FALSE(text::parse_java_boolean("truee"));
  EXPECT_FALSE(text::parse_java_boolean("t rue"));
}

// ---------------------------------------------------------------------------------------------
// new BigDecimal(s.trim()) -> DecimalData.fromBigDecimal(bd, p, s): HALF_UP, NULL on overflow

struct decimal_result {
  std::optional<std::int64_t> unscaled;
  bool malformed;
};

decimal_result decimal(std::string_view s, int precision, int scale) {
  decimal_result result{};
  result.malformed = true;  // must be reset by the call
  result.unscaled = text::parse_decimal(s, precision, scale, result.malformed);
  return result;
}

TEST(ParseDecimal, RescalesExactValues) {
  EXPECT_EQ(decimal("60.00", 10, 2).unscaled, 6000);
  EXPECT_EQ(decimal("60", 10, 2).unscaled, 6000);
  EXPECT_EQ(decimal("1e2", 10, 2).unscaled, 10000);
  EXPECT_EQ(decimal("1E+2", 10, 2).unscaled, 10000);
  EXPECT_EQ(decimal("15E-1", 10, 2).unscaled, 150);
  EXPECT_EQ(decimal(".5", 10, 2).unscaled, 50);
  EXPECT_EQ(decimal("5.", 10, 2).unscaled, 500);
  EXPECT_EQ(decimal("+7", 10, 2).unscaled, 700);
  EXPECT_EQ(decimal(" 3.1 ", 10, 2).unscaled, 310);
  EXPECT_EQ(decimal("-0.07", 10, 2).unscaled, -7);
  EXPECT_EQ(decimal("000123.4500", 10, 2).unscaled, 12345);
  EXPECT_EQ(decimal("0.000", 10, 2).unscaled, 0);
  EXPECT_EQ(decimal("12345678.99", 10, 2).unscaled, 1234567899);
  EXPECT_EQ(decimal("999999999999999999", 18, 0).unscaled, 999999999999999999);
  EXPECT_FALSE(decimal("60.00", 10, 2).malformed);
}

TEST(ParseDecimal, RoundsHalfUpAwayFromZero) {
  EXPECT_EQ(decimal("1.005", 10, 2).unscaled, 101);
  EXPECT_EQ(decimal("-1.005", 10, 2).unscaled, -101);
  EXPECT_EQ(decimal("1.0049999", 10, 2).unscaled, 100);
  EXPECT_EQ(decimal("-1.0049999", 10, 2).unscaled, -100);
  EXPECT_EQ(decimal("60.005", 10, 2).unscaled, 6001);
  EXPECT_EQ(decimal("0.005", 10, 2).unscaled, 1);
  EXPECT_EQ(decimal("0.0049", 10, 2).unscaled, 0);
  EXPECT_EQ(decimal("0.0005", 10, 2).unscaled, 0);
  EXPECT_EQ(decimal("2.5", 10, 0).unscaled, 3);  // HALF_UP, not HALF_EVEN
  EXPECT_EQ(decimal("-2.5", 10, 0).unscaled, -3);
  EXPECT_EQ(decimal("1e-30", 10, 2).unscaled, 0);
  // More digits than the 40 the parser keeps: the rounding digit is still the right one.
  EXPECT_EQ(decimal("123.4567890123456789012345678901234567890123", 10, 2).unscaled, 12346);
}

TEST(ParseDecimal, PrecisionOverflowIsNullNotMalformed) {
  struct overflow_case {
    std::string_view text;
    int precision, scale;
  };
  for (auto [text, precision, scale] :
       {overflow_case{"123456789.99", 10, 2}, overflow_case{"1e30", 10, 2},
        overflow_case{"99999999.995", 10, 2}, overflow_case{"100", 2, 0}, overflow_case{"1", 1, 1},
        overflow_case{"-123456789.99", 10, 2}}) {
    const auto result = decimal(text, precision, scale);
    EXPECT_EQ(result.unscaled, std::nullopt) << text;
    EXPECT_FALSE(result.malformed) << text;
  }
  // The largest value that fits still fits.
  EXPECT_EQ(decimal("99999999.994", 10, 2).unscaled, 9999999999);
  EXPECT_EQ(decimal("0.9", 1, 1).unscaled, 9);
}

TEST(ParseDecimal, NonNumbersAreMalformed) {
  for (std::string_view bad : {"abc", "", " ", ".", "-", "+", "e5", "1e", "1e+", "1.2.3", "--1",
                               "+-1", "1e 5", "1e5x", "1,5", "NaN", "Infinity", "0x10", "1 2"}) {
    const auto result = decimal(bad, 10, 2);
    EXPECT_EQ(result.unscaled, std::nullopt) << "'" << bad << "'";
    EXPECT_TRUE(result.malformed) << "'" << bad << "'";
  }
}

// BigDecimal.toString / toPlainString

TEST(AppendDecimal, BigDecimalToString) {
  EXPECT_EQ(decimal_text(6000, 2), "60.00");
  EXPECT_EQ(decimal_text(-5, 1), "-0.5");
  EXPECT_EQ(decimal_text(123, 0), "123");
  EXPECT_EQ(decimal_text(-123456, 3), "-123.456");
  EXPECT_EQ(decimal_text(0, 2), "0.00");
  EXPECT_EQ(decimal_text(1, 6), "0.000001");  // adjusted exponent -6: still plain
  EXPECT_EQ(decimal_text(1, 7), "1E-7");      // adjusted exponent -7: scientific
  EXPECT_EQ(decimal_text(-1, 7), "-1E-7");
  EXPECT_EQ(decimal_text(15, 9), "1.5E-8");
  EXPECT_EQ(decimal_text(0, 8), "0E-8");
  EXPECT_EQ(decimal_text(999999999999999999, 18), "0.999999999999999999");
}

TEST(AppendDecimal, PlainOptionNeverUsesAnExponent) {
  EXPECT_EQ(decimal_text(1, 7, true), "0.0000001");
  EXPECT_EQ(decimal_text(-15, 9, true), "-0.000000015");
  EXPECT_EQ(decimal_text(6000, 2, true), "60.00");
  EXPECT_EQ(decimal_text(0, 8, true), "0.00000000");
}

TEST(AppendDecimal, RoundTripsThroughParseDecimal) {
  std::mt19937_64 random(99);
  for (int i = 0; i < 20000; ++i) {
    const int scale = static_cast<int>(random() % 19);
    const auto unscaled =
        static_cast<std::int64_t>(random() % 1000000000000000000) * (i % 2 ? -1 : 1);
    const std::string printed = decimal_text(unscaled, scale);
    ASSERT_EQ(decimal(printed, 18, scale).unscaled, unscaled) << printed;
    ASSERT_EQ(decimal(decimal_text(unscaled, scale, true), 18, scale).unscaled, unscaled);
  }
}

// ---------------------------------------------------------------------------------------------
// DATE: ISO_LOCAL_DATE

TEST(Date, ParsesIsoLocalDate) {
  EXPECT_EQ(text::parse_date("1970-01-01"), date{0});
  EXPECT_EQ(text::parse_date("1969-12-31"), date{-1});
  EXPECT_EQ(text::parse_date("2023-03-25"), date{19441});
  EXPECT_EQ(text::parse_date("2024-02-29"), date{19782});
  EXPECT_EQ(text::parse_date("0001-01-01"), date{-719162});
  EXPECT_EQ(text::parse_date("9999-12-31"), date{2932896});
  EXPECT_TRUE(text::parse_date("2000-02-29").has_value());  // divisible by 400: leap
}

TEST(Date, RejectsInvalidDates) {
  for (std::string_view bad :
       {"2023-02-29", "1900-02-29", "2023-04-31", "2023-13-01", "2023-00-10", "2023-01-00",
        "2023-01-32", "2023-4-05", "2023-04-5", "23-04-05", "2023-04-05 ", " 2023-04-05",
        "2023/04/05", "20230405", "2023-04-05T00:00", "", "abcd-ef-gh"}) {
    EXPECT_EQ(text::parse_date(bad), std::nullopt) << "'" << bad << "'";
  }
}

TEST(Date, AppendsIsoLocalDate) {
  EXPECT_EQ(date_text(0), "1970-01-01");
  EXPECT_EQ(date_text(-1), "1969-12-31");
  EXPECT_EQ(date_text(19782), "2024-02-29");
  EXPECT_EQ(date_text(-719162), "0001-01-01");
  EXPECT_EQ(date_text(2932896), "9999-12-31");
}

bool date_round_trips(std::int32_t day, std::string& printed) {
  printed.clear();
  text::append_date(printed, date{day});
  const auto parsed = text::parse_date(printed);
  return parsed && parsed->days_since_epoch == day;
}

TEST(Date, DaysFromYear1To9999RoundTrip) {
  std::string printed;
  // Every day of 1896..2104 (century and 400-year leap rules), then every 7th day of 1..9999.
  for (std::int32_t day = -27028; day <= 49307; ++day)
    ASSERT_TRUE(date_round_trips(day, printed)) << day << " printed as " << printed;
  for (std::int32_t day = -719162; day <= 2932896; day += 7)
    ASSERT_TRUE(date_round_trips(day, printed)) << day << " printed as " << printed;
  EXPECT_TRUE(date_round_trips(2932896, printed));
  EXPECT_EQ(printed, "9999-12-31");
}

// ---------------------------------------------------------------------------------------------
// TIMESTAMP(3)

constexpr auto sql = text::timestamp_standard::sql;
constexpr auto iso = text::timestamp_standard::iso_8601;

TEST(ParseTimestamp, SqlFormat) {
  EXPECT_EQ(text::parse_timestamp("2020-03-08 13:12:11", sql), timestamp{k20200308_131211});
  EXPECT_EQ(text::parse_timestamp("1970-01-01 00:00:00", sql), timestamp{0});
  EXPECT_EQ(text::parse_timestamp("2023-03-25 12:02:02", sql),
            timestamp{19441LL * 86400000 + (12 * 3600 + 2 * 60 + 2) * 1000});
  EXPECT_EQ(text::parse_timestamp("2020-03-08 13:12:11", iso), std::nullopt);
  EXPECT_EQ(text::parse_timestamp("2020-03-08T13:12:11", sql), std::nullopt);
  EXPECT_EQ(text::parse_timestamp("2020-03-08 13:12", sql), std::nullopt);  // seconds required
}

TEST(ParseTimestamp, FractionOfZeroToNineDigitsTruncatedToMillis) {
  EXPECT_EQ(text::parse_timestamp("2020-03-08 13:12:11.", sql), timestamp{k20200308_131211});
  EXPECT_EQ(text::parse_timestamp("2020-03-08 13:12:11.1", sql), timestamp{k20200308_131211 + 100});
  EXPECT_EQ(text::parse_timestamp("2020-03-08 13:12:11.12", sql),
            timestamp{k20200308_131211 + 120});
  EXPECT_EQ(text::parse_timestamp("2020-03-08 13:12:11.123", sql),
            timestamp{k20200308_131211 + 123});
  EXPECT_EQ(text::parse_timestamp("2020-03-08 13:12:11.1239", sql),
            timestamp{k20200308_131211 + 123});
  EXPECT_EQ(text::parse_timestamp("2020-03-08 13:12:11.999999999", sql),
            timestamp{k20200308_131211 + 999});
  EXPECT_EQ(text::parse_timestamp("2020-03-08 13:12:11.1234567890", sql), std::nullopt);
}

TEST(ParseTimestamp, IsoLocalDateTime) {
  EXPECT_EQ(text::parse_timestamp("2020-03-08T13:12:11", iso), timestamp{k20200308_131211});
  EXPECT_EQ(text::parse_timestamp("2020-03-08T13:12:11.12", iso),
            timestamp{k20200308_131211 + 120});
  EXPECT_EQ(text::parse_timestamp("2020-03-08T13:12:11.123456789", iso),
            timestamp{k20200308_131211 + 123});
  EXPECT_EQ(text::parse_timestamp("2020-03-08T13:12", iso), timestamp{k20200308_131211 - 11000});
  EXPECT_EQ(text::parse_timestamp("2020-03-08T13:12.5", iso), std::nullopt);
  EXPECT_EQ(text::parse_timestamp("2020-03-08T13:12:11Z", iso), std::nullopt);
}

TEST(ParseTimestamp, LenientAcceptsOneDigitMonthAndDay) {
  EXPECT_EQ(text::parse_timestamp("2020-3-8 13:12:11", sql, true), timestamp{k20200308_131211});
  EXPECT_EQ(text::parse_timestamp("2020-03-8 13:12:11.5", sql, true),
            timestamp{k20200308_131211 + 500});
  EXPECT_EQ(text::parse_timestamp("2020-3-08 13:12:11", sql, true), timestamp{k20200308_131211});
  EXPECT_EQ(text::parse_timestamp("2020-03-08 13:12:11", sql, true), timestamp{k20200308_131211});
  EXPECT_EQ(text::parse_timestamp("2020-3-8 13:12:11", sql), std::nullopt);
  EXPECT_EQ(text::parse_timestamp("2020-003-8 13:12:11", sql, true), std::nullopt);
}

TEST(ParseTimestamp, BeforeTheEpoch) {
  EXPECT_EQ(text::parse_timestamp("1969-12-31 23:59:59.999", sql), timestamp{-1});
  EXPECT_EQ(text::parse_timestamp("1960-01-01 00:00:00", sql), timestamp{-315619200000});
  EXPECT_EQ(text::parse_timestamp("0001-01-01 00:00:00", sql), timestamp{-719162LL * 86400000});
}

// Flink's SQL_TIMESTAMP_FORMAT is built with DateTimeFormatterBuilder, so it resolves SMART;
// ISO_LOCAL_DATE_TIME (the ISO-8601 standard) is STRICT.
TEST(ParseTimestamp, TheSqlFormatResolvesSmartTheIsoOneStrict) {
  const auto iso = text::timestamp_standard::iso_8601;
  EXPECT_EQ(text::parse_timestamp("2020-02-30 00:00:00", sql),
            text::parse_timestamp("2020-02-29 00:00:00", sql));
  EXPECT_EQ(text::parse_timestamp("2021-02-29 00:00:00", sql),
            text::parse_timestamp("2021-02-28 00:00:00", sql));
  EXPECT_EQ(text::parse_timestamp("2020-03-08 24:00:00", sql),
            text::parse_timestamp("2020-03-09 00:00:00", sql));
  EXPECT_EQ(text::parse_timestamp("2020-03-08 24:00:00.000", sql),
            text::parse_timestamp("2020-03-09 00:00:00", sql));
  EXPECT_EQ(text::parse_timestamp("2020-03-08 24:00:00.001", sql), std::nullopt);
  EXPECT_EQ(text::parse_timestamp("2020-02-32 00:00:00", sql), std::nullopt);
  EXPECT_EQ(text::parse_timestamp("2020-02-30T00:00:00", iso), std::nullopt);
  EXPECT_EQ(text::parse_timestamp("2020-03-08T24:00", iso), std::nullopt);
  // TIMESTAMP_LTZ's ISO formatter is built too: SMART.
  EXPECT_TRUE(text::parse_date_time("2020-02-30T24:00Z", iso, false, true).has_value());
}

TEST(ParseTimestamp, RejectsBadInput) {
  for (std::string_view bad :
       {"", "2020-03-08", "2020-03-08 24:00:01", "2020-03-08 13:60:00", "2020-03-08 13:12:60",
        "2020-03-08 13:12:1", "2020-03-08 1:12:11", "2020-03-08  13:12:11", "2020-03-08 13:12:11 ",
        " 2020-03-08 13:12:11", "2020-03-08 13:12:11Z", "2020-03-08 13:12:11.12a",
        "2020-13-08 13:12:11", "2020-00-08 13:12:11", "2020-03-00 13:12:11", "20-03-08 13:12:11",
        "2020-03-08 13-12-11", "2020-03-08 13:12:11.-1"}) {
    EXPECT_EQ(text::parse_timestamp(bad, sql), std::nullopt) << "'" << bad << "'";
  }
}

TEST(AppendTimestamp, SqlStripsTrailingZeros) {
  constexpr auto style = text::timestamp_style::sql;
  EXPECT_EQ(timestamp_text(k20200308_131211 + 120, style), "2020-03-08 13:12:11.12");
  EXPECT_EQ(timestamp_text(k20200308_131211 + 100, style), "2020-03-08 13:12:11.1");
  EXPECT_EQ(timestamp_text(k20200308_131211 + 1, style), "2020-03-08 13:12:11.001");
  EXPECT_EQ(timestamp_text(k20200308_131211, style), "2020-03-08 13:12:11");
  EXPECT_EQ(timestamp_text(k20200308_131211 - 11000, style), "2020-03-08 13:12:00");
  EXPECT_EQ(timestamp_text(0, style), "1970-01-01 00:00:00");
}

TEST(AppendTimestamp, Iso8601) {
  constexpr auto style = text::timestamp_style::iso_8601;
  EXPECT_EQ(timestamp_text(k20200308_131211 + 120, style), "2020-03-08T13:12:11.12");
  EXPECT_EQ(timestamp_text(k20200308_131211, style), "2020-03-08T13:12:11");
  EXPECT_EQ(timestamp_text(k20200308_131211 - 11000, style), "2020-03-08T13:12:00");
}

TEST(AppendTimestamp, LocalDateTimeToString) {
  constexpr auto style = text::timestamp_style::local_date_time;
  EXPECT_EQ(timestamp_text(k20200308_131211 + 120, style), "2020-03-08T13:12:11.120");
  EXPECT_EQ(timestamp_text(k20200308_131211 + 1, style), "2020-03-08T13:12:11.001");
  EXPECT_EQ(timestamp_text(k20200308_131211, style), "2020-03-08T13:12:11");
  EXPECT_EQ(timestamp_text(k20200308_131211 - 11000, style), "2020-03-08T13:12");
  EXPECT_EQ(timestamp_text(k20200308_131211 - 11000 + 500, style), "2020-03-08T13:12:00.500");
  EXPECT_EQ(timestamp_text(0, style), "1970-01-01T00:00");
}

TEST(AppendTimestamp, NegativeEpochMillis) {
  EXPECT_EQ(timestamp_text(-1, text::timestamp_style::sql), "1969-12-31 23:59:59.999");
  EXPECT_EQ(timestamp_text(-1, text::timestamp_style::local_date_time), "1969-12-31T23:59:59.999");
  EXPECT_EQ(timestamp_text(-86400000, text::timestamp_style::sql), "1969-12-31 00:00:00");
  EXPECT_EQ(timestamp_text(-86400001, text::timestamp_style::sql), "1969-12-30 23:59:59.999");
  EXPECT_EQ(timestamp_text(-315619200000, text::timestamp_style::iso_8601), "1960-01-01T00:00:00");
  EXPECT_EQ(timestamp_text(-719162LL * 86400000, text::timestamp_style::sql),
            "0001-01-01 00:00:00");
}

TEST(AppendTimestamp, RandomTimestampsRoundTripInBothStandards) {
  std::mt19937_64 random(2020);
  const std::int64_t first = -719162LL * 86400000;
  const std::int64_t last = 2932897LL * 86400000 - 1;
  std::uniform_int_distribution<std::int64_t> millis(first, last);
  for (int i = 0; i < 50000; ++i) {
    const timestamp value{millis(random)};
    const std::string as_sql = timestamp_text(value.millis_since_epoch, text::timestamp_style::sql);
    const std::string as_iso =
        timestamp_text(value.millis_since_epoch, text::timestamp_style::iso_8601);
    ASSERT_EQ(text::parse_timestamp(as_sql, sql), value) << as_sql;
    ASSERT_EQ(text::parse_timestamp(as_iso, iso), value) << as_iso;
    ASSERT_EQ(text::parse_timestamp(as_sql, sql, true), value) << as_sql;
  }
}

}  // namespace text_test
