// upsertkit: a key or value format chosen at run time (`key.format`, `value.format`).
//
// The codecs are concrete class templates; this header puts them in one std::variant so a
// table can pick its formats from a WITH clause. Visiting a variant of a few alternatives is a
// jump on the index, with each codec's decode inlined.
#ifndef UPSERTKIT_FORMATS_FORMAT_HPP
#define UPSERTKIT_FORMATS_FORMAT_HPP

#include <map>
#include <string>
#include <string_view>
#include <variant>

#include "../error.hpp"
#include "../schema.hpp"
#include "avro.hpp"
#include "csv.hpp"
#include "format_options.hpp"
#include "json.hpp"
#include "raw.hpp"

namespace upsertkit {

#include "simd_namespace.ipp"

template <class Table>
class any_codec {
 public:
  using row_type = typename Table::row_type;

  /// Builds the codec for format `name` ("json", "csv", "avro" or "raw") over `columns`. Throws
  /// config_error for an unknown format or a bad option.
  any_codec(std::string_view name, projection columns, const format_options& options,
            json::role which)
      : codec_(make(name, std::move(columns), options, which)) {}

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

  std::string_view name() const noexcept {
    constexpr std::string_view names[] = {"json", "csv", "avro", "raw"};
    return names[codec_.index()];
  }

 private:
  using variant =
      std::variant<json::codec<Table>, csv::codec<Table>, avro::codec<Table>, raw::codec<Table>>;

  static variant make(std::string_view name, projection columns, const format_options& options,
                      json::role which) {
    if (name == "json")
      return variant(std::in_place_index<0>, std::move(columns), json::parse_options(options),
                     which);
    if (name == "csv")
      return variant(std::in_place_index<1>, std::move(columns), csv::parse_options(options));
    if (name == "avro")
      return variant(std::in_place_index<2>, std::move(columns), avro::parse_options(options));
    if (name == "raw")
      return variant(std::in_place_index<3>, std::move(columns), raw::parse_options(options));
    throw config_error("Could not find any format factory for identifier '" + std::string(name) +
                       "'. Supported formats: avro, csv, json, raw.");
  }

  variant codec_;
};

}  // inline namespace simd_...

}  // namespace upsertkit

#endif  // UPSERTKIT_FORMATS_FORMAT_HPP
