// upsertkit: a key or value format chosen at run time (`key.format`, `value.format`).
//
// The codecs are concrete class templates; this header puts the table's formats (its
// `formats<...>`, by default all four) in one std::variant so a WITH clause can pick among them.
// Visiting a variant of a few alternatives is a jump on the index, with each codec's decode
// inlined.
#ifndef UPSERTKIT_FORMATS_FORMAT_HPP
#define UPSERTKIT_FORMATS_FORMAT_HPP

#include <array>
#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

#include "../config/format_options.hpp"
#include "../error.hpp"
#include "../schema.hpp"
#include "avro.hpp"
#include "csv.hpp"
#include "json.hpp"
#include "raw.hpp"

namespace upsertkit {

#include "simd_namespace.ipp"

template <class Table>
class any_codec {
  using formats = typename Table::format_list;

 public:
  using row_type = typename Table::row_type;

  /// Builds the codec for format `name` (one of the table's `formats<...>`: by default "json",
  /// "csv", "avro" or "raw") over `columns`. Throws config_error for a format outside the list
  /// or a bad option.
  any_codec(std::string_view name, projection columns, const format_options& options,
            json::role which)
      : codec_(make(name, columns, options, which)) {}

  decode_status decode(std::string_view message, row_type& row) {
    return std::visit([&](auto& c) { return c.decode(message, row); }, codec_);
  }

  void encode(const row_type& row, std::string& out) const {
    std::visit([&](const auto& c) { c.encode(row, out); }, codec_);
  }

  /// `<format>.ignore-parse-errors`: a record this codec cannot read is skipped, not fatal.
  bool ignore_parse_errors() const {
    return std::visit([](const auto& c) { return c.format_options().ignore_parse_errors; }, codec_);
  }

  std::string_view name() const noexcept { return formats::names[codec_.index()]; }

 private:
  template <std::size_t I>
  static constexpr std::string_view format_name = formats::names[I];

  template <std::size_t I>
  static auto codec_type() {
    if constexpr (format_name<I> == "json")
      return std::type_identity<json::codec<Table>>{};
    else if constexpr (format_name<I> == "csv")
      return std::type_identity<csv::codec<Table>>{};
    else if constexpr (format_name<I> == "avro")
      return std::type_identity<avro::codec<Table>>{};
    else if constexpr (format_name<I> == "raw")
      return std::type_identity<raw::codec<Table>>{};
    else
      static_assert(sizeof(Table) == 0,
                    "upsertkit: a format of schema.hpp's list has no codec here");
  }

  template <class Indexes>
  struct variant_of;
  template <std::size_t... I>
  struct variant_of<std::index_sequence<I...>> {
    using type = std::variant<typename decltype(codec_type<I>())::type...>;
  };
  using variant = typename variant_of<std::make_index_sequence<formats::count>>::type;

  template <std::size_t I>
  static variant make_one(projection& columns, const format_options& options, json::role which) {
    if constexpr (format_name<I> == "json")
      return variant(std::in_place_index<I>, std::move(columns), json::parse_options(options),
                     which);
    else if constexpr (format_name<I> == "csv")
      return variant(std::in_place_index<I>, std::move(columns), csv::parse_options(options));
    else if constexpr (format_name<I> == "avro")
      return variant(std::in_place_index<I>, std::move(columns), avro::parse_options(options));
    else if constexpr (format_name<I> == "raw")
      return variant(std::in_place_index<I>, std::move(columns), raw::parse_options(options));
    else
      static_assert(sizeof(Table) == 0,
                    "upsertkit: a format of schema.hpp's list has no codec here");
  }

  // The format named `name`: the I-th of the list, or a later one.
  template <std::size_t I = 0>
  static variant make(std::string_view name, projection& columns, const format_options& options,
                      json::role which) {
    if constexpr (I == formats::count) {
      throw config_error("Could not find any format factory for identifier '" + std::string(name) +
                         "'. Supported formats: " + supported() + ".");
    } else {
      if (name == format_name<I>) return make_one<I>(columns, options, which);
      return make<I + 1>(name, columns, options, which);
    }
  }

  // The table's formats in alphabetical order, as Flink lists the factories it found.
  static std::string supported() {
    std::string list;
    for (std::string_view known : {"avro", "csv", "json", "raw"}) {
      for (std::string_view listed : formats::names) {
        if (listed != known) continue;
        if (!list.empty()) list += ", ";
        list += known;
      }
    }
    return list;
  }

  variant codec_;
};

}  // inline namespace simd_...

}  // namespace upsertkit

#endif  // UPSERTKIT_FORMATS_FORMAT_HPP
