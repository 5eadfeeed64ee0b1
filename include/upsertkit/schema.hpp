// upsertkit: compile-time table schemas.
//
// A table is a plain struct adapted with BOOST_HANA_ADAPT_STRUCT plus its PRIMARY KEY columns,
// named as string literals in PRIMARY KEY declaration order:
//
//   struct Order { std::string_view order_id; std::optional<double> pay_amount; };
//   BOOST_HANA_ADAPT_STRUCT(Order, order_id, pay_amount);
//   using orders = upsertkit::table<Order, upsertkit::primary_key<"order_id">>;
//
// BOOST_HANA_ADAPT_STRUCT takes at most 39 members; a wider struct lists its columns with
// upsertkit::columns (below), which has no limit.
//
// A PRIMARY KEY name that is not a field, a nullable key column, or a duplicate key column is a
// compile error. Everything else (codecs, materializer, partitioner) is generated from this.
#ifndef UPSERTKIT_SCHEMA_HPP
#define UPSERTKIT_SCHEMA_HPP

#include <array>
#include <boost/hana/accessors.hpp>
#include <boost/hana/adapt_struct.hpp>
#include <boost/hana/at.hpp>
#include <boost/hana/first.hpp>
#include <boost/hana/length.hpp>
#include <boost/hana/pair.hpp>
#include <boost/hana/second.hpp>
#include <boost/hana/string.hpp>
#include <boost/hana/tuple.hpp>
#include <boost/hana/unpack.hpp>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "error.hpp"
#include "types.hpp"

namespace upsertkit {

/// A string usable as a template argument: `primary_key<"order_id">`.
template <std::size_t N>
struct fixed_string {
  char chars[N]{};
  constexpr fixed_string(const char (&text)[N]) noexcept {  // NOLINT: implicit by design
    for (std::size_t i = 0; i < N; ++i)
      chars[i] = text[i];
  }
  constexpr std::string_view view() const noexcept { return {chars, N - 1}; }
};

/// The PRIMARY KEY columns of a table, in PRIMARY KEY declaration order.
template <fixed_string... Columns>
struct primary_key {};

/// The formats a table's codecs are compiled for, by their `key.format`/`value.format` names:
/// `table<Order, primary_key<"order_id">, formats<"csv", "json">>`. The formats are still
/// chosen at run time, among these; a format outside the list is refused when the source,
/// sink or pipeline is built, as Flink refuses a format whose jar is not on its class path.
/// Naming them spares every program the other codecs' code (docs/performance.md, "Compile
/// time"); the default is every format upsertkit has.
template <fixed_string... Names>
struct formats;

/// Every format upsertkit has, the default of a table.
using all_formats = formats<"json", "csv", "avro", "raw">;

/// One column of a struct adapted with `columns`: its name and its member.
template <fixed_string Name, auto Member>
struct column {};

/// The columns of a struct, in column order, for structs wider than BOOST_HANA_ADAPT_STRUCT
/// allows (39 members), or whose columns are named differently from their members:
///
///   template <>
///   struct boost::hana::accessors_impl<Wide>
///       : upsertkit::columns<upsertkit::column<"id", &Wide::id>,
///                            upsertkit::column<"c1", &Wide::c1>, ...> {};
///
/// This is the specialization Hana's own macro writes, without the macro's limit.
template <class... Columns>
struct columns;
template <fixed_string... Names, auto... Members>
struct columns<column<Names, Members>...> {
  static constexpr auto apply() {
    return boost::hana::make_tuple(boost::hana::make_pair(name_of<Names>(), access<Members>{})...);
  }

 private:
  template <fixed_string Name, std::size_t... C>
  static constexpr auto spell(std::index_sequence<C...>) {
    return boost::hana::string_c<Name.chars[C]...>;
  }
  template <fixed_string Name>
  static constexpr auto name_of() {
    return spell<Name>(std::make_index_sequence<Name.view().size()>{});
  }
  template <auto Member>
  struct access {
    template <class Object>
    constexpr decltype(auto) operator()(Object&& object) const noexcept {
      return (std::forward<Object>(object).*Member);
    }
  };
};

inline constexpr std::size_t npos = static_cast<std::size_t>(-1);

/// Field names and member access for any Hana-adapted struct.
template <class Struct>
struct struct_fields {
  static constexpr std::size_t count =
      decltype(boost::hana::length(boost::hana::accessors<Struct>()))::value;

 private:
  // Views into Hana's string storage, used only during constant evaluation.
  static constexpr std::array<std::string_view, count> hana_names() {
    return boost::hana::unpack(boost::hana::accessors<Struct>(), [](auto... accessor) {
      return std::array<std::string_view, count>{
          std::string_view(boost::hana::to<const char*>(boost::hana::first(accessor)))...};
    });
  }

  // The names are copied into storage of this class: views into Hana's own string storage
  // from a static member made g++ 12 drop a COMDAT section the linker still needed when two
  // translation units instantiated the same table.
  static constexpr std::size_t name_bytes = [] {
    std::size_t n = 0;
    for (std::string_view name : hana_names())
      n += name.size();
    return n;
  }();
  static constexpr std::array<char, name_bytes + 1> name_chars = [] {
    std::array<char, name_bytes + 1> chars{};
    std::size_t at = 0;
    for (std::string_view name : hana_names())
      for (char c : name)
        chars[at++] = c;
    return chars;
  }();

 public:
  static constexpr std::array<std::string_view, count> names = [] {
    // Hana's names once: building them per column costs a wide table clang's whole
    // constexpr step budget.
    const std::array<std::string_view, count> hana = hana_names();
    std::array<std::string_view, count> views{};
    std::size_t at = 0;
    for (std::size_t i = 0; i < count; ++i) {
      views[i] = std::string_view(name_chars.data() + at, hana[i].size());
      at += hana[i].size();
    }
    return views;
  }();

  static constexpr std::size_t index_of(std::string_view name) noexcept {
    for (std::size_t i = 0; i < count; ++i)
      if (names[i] == name) return i;
    return npos;
  }

  template <std::size_t I>
  static constexpr decltype(auto) get(Struct& object) noexcept {
    return boost::hana::second(boost::hana::at_c<I>(boost::hana::accessors<Struct>()))(object);
  }
  template <std::size_t I>
  static constexpr decltype(auto) get(const Struct& object) noexcept {
    return boost::hana::second(boost::hana::at_c<I>(boost::hana::accessors<Struct>()))(object);
  }
  template <std::size_t I>
  using member_type = std::remove_cvref_t<decltype(get<I>(std::declval<Struct&>()))>;
};

namespace detail {
// A column name spelled out as characters, for diagnostics: g++ prints a fixed_string template
// argument as text, but clang 14 prints it as a list of numbers; both print a char pack as
// characters ('o', 'r', 'd', ...). The assertions below name it in their condition, so the
// first line of the error shows the column.
template <char... Name>
struct the_column {
  static constexpr bool is_a_field_of_the_struct = false;
  static constexpr bool is_a_format = false;
  template <class Member>
  static constexpr bool has_a_column_type = false;
};

template <fixed_string Name, std::size_t... C>
auto spell(std::index_sequence<C...>) -> the_column<Name.chars[C]...>;
template <fixed_string Name>
using spelled = decltype(spell<Name>(std::make_index_sequence<Name.view().size()>{}));

template <class Struct, std::size_t I, std::size_t... C>
auto spell_field(std::index_sequence<C...>) -> the_column<struct_fields<Struct>::names[I][C]...>;
template <class Struct, std::size_t I>
using spelled_field = decltype(spell_field<Struct, I>(
    std::make_index_sequence<struct_fields<Struct>::names[I].size()>{}));

// A misspelt key column is reported from a function body: an assertion failing inside a class
// would leave the class invalid, and clang would report each use of it as another error.
template <class Column>
void report_key_column_not_found() {
  static_assert(Column::is_a_field_of_the_struct,
                "upsertkit: a PRIMARY KEY column is not a field of the struct (its name is "
                "spelled out in the_column<...>)");
}

template <class Format>
void report_unknown_format() {
  static_assert(Format::is_a_format,
                "upsertkit: unknown format in upsertkit::formats<...> (its name is spelled out "
                "in the_column<...>); the formats are \"json\", \"csv\", \"avro\" and \"raw\"");
}

constexpr bool is_format_name(std::string_view name) noexcept {
  return name == "json" || name == "csv" || name == "avro" || name == "raw";
}

template <fixed_string Name>
constexpr bool format_checked() {
  if constexpr (!is_format_name(Name.view())) (void)&report_unknown_format<spelled<Name>>;
  return true;
}

// Whether a PRIMARY KEY name is a field of the struct.
template <class Struct, fixed_string Column>
inline constexpr bool is_field_of = struct_fields<Struct>::index_of(Column.view()) != npos;

// True, after having the column reported if it is no field of the struct (taking the
// function's address instantiates it, and leaves this a constant expression).
template <class Struct, fixed_string Column>
constexpr bool key_column_checked() {
  if constexpr (!is_field_of<Struct, Column>) (void)&report_key_column_not_found<spelled<Column>>;
  return true;
}

// An unsupported member type is reported from a base class of the table: it is instantiated
// before any member reads a column's traits, so the error naming the column comes first.
template <class Column, class Member>
struct unsupported_column_type {
  static_assert(Column::template has_a_column_type<Member>,
                "upsertkit: unsupported column type (column and member type in "
                "the_column<...>::has_a_column_type<...>). Column types are std::string, "
                "std::string_view, bool, std::int8_t..std::int64_t, float, double, "
                "upsertkit::decimal<P,S>, upsertkit::date, upsertkit::time_of_day<P>, "
                "upsertkit::timestamp, upsertkit::local_timestamp<P>, "
                "upsertkit::timestamp_ltz<P>, upsertkit::bytes (BYTES), std::vector<T> (ARRAY), "
                "std::map<K, V> (MAP), upsertkit::multiset<T> (MULTISET), a Hana-adapted struct "
                "(ROW), or std::optional of one of them");
};

// The column is spelled out only when its type is not supported (the names of a table's
// columns as char packs would cost every program compile time for nothing).
template <class Struct, std::size_t I,
          bool Supported = column_type<typename struct_fields<Struct>::template member_type<I>>>
struct member_type_check {};
template <class Struct, std::size_t I>
struct member_type_check<Struct, I, false>
    : unsupported_column_type<spelled_field<Struct, I>,
                              typename struct_fields<Struct>::template member_type<I>> {};

// Instantiated as a base of every table, before any member reads a column's traits.
template <class Struct, class = std::make_index_sequence<struct_fields<Struct>::count>>
struct member_type_checks;
template <class Struct, std::size_t... I>
struct member_type_checks<Struct, std::index_sequence<I...>> : member_type_check<Struct, I>... {};

// The struct field index of a PRIMARY KEY column, 0 for a name that is no field
// (key_column_checked reports it) so that no unrelated error piles on top.
template <class Struct, fixed_string Column>
constexpr std::size_t key_column_index() {
  if constexpr (is_field_of<Struct, Column>)
    return struct_fields<Struct>::index_of(Column.view());
  else
    return 0;
}

template <class Struct, std::size_t I>
constexpr bool key_column_is_not_null() {
  using member = typename struct_fields<Struct>::template member_type<I>;
  static_assert(
      !column_traits<member>::nullable,
      "upsertkit: PRIMARY KEY columns are NOT NULL; a key member cannot be std::optional");
  return true;
}

template <class Struct, fixed_string... Columns>
constexpr bool key_columns_are_not_null() {
  if constexpr ((is_field_of<Struct, Columns> && ...))
    return (key_column_is_not_null<Struct, key_column_index<Struct, Columns>()>() && ...);
  else
    return true;  // a misspelt column has its own error
}

// Whether no two elements are equal: key column indexes, format names.
template <class T, std::size_t N>
constexpr bool all_distinct(const std::array<T, N>& values) {
  for (std::size_t i = 0; i < N; ++i)
    for (std::size_t j = i + 1; j < N; ++j)
      if (values[i] == values[j]) return false;
  return true;
}
}  // namespace detail

template <fixed_string... Names>
struct formats {
  static_assert(sizeof...(Names) > 0, "upsertkit::formats<...> needs at least one format");
  static_assert((detail::format_checked<Names>() && ...));
  static constexpr std::array<std::string_view, sizeof...(Names)> names = {Names.view()...};
  static_assert(detail::all_distinct(names), "upsertkit: a format appears twice in formats<...>");
  static constexpr std::size_t count = sizeof...(Names);
};

template <class Struct, class PrimaryKey, class Formats = all_formats>
struct table;

/// The primary-key argument of a table without one: the plain `kafka` connector's
/// append-only tables (`table<Order, no_primary_key>`). Upsert tables need a key.
struct no_primary_key {};

namespace detail {
// What every table knows about its columns, key or not.
template <class T>
inline constexpr bool is_format_list = false;
template <fixed_string... Names>
inline constexpr bool is_format_list<formats<Names...>> = true;

template <class Struct, class Formats>
struct table_columns : member_type_checks<Struct> {
  static_assert(is_format_list<Formats>,
                "upsertkit: a table's third argument is its formats, upsertkit::formats<...>");
  using row_type = Struct;
  /// The formats this table's codecs are compiled for (`formats<...>`).
  using format_list = Formats;
  using fields = struct_fields<Struct>;

  static constexpr std::size_t column_count = fields::count;
  static constexpr std::array<std::string_view, column_count> column_names = fields::names;
  static_assert(column_count <= 0xFFFF, "upsertkit: too many columns");

  template <std::size_t I>
  using member_type = typename fields::template member_type<I>;
  template <std::size_t I>
  using column = column_traits<member_type<I>>;

  /// SQL type of each column (for messages and the DDL check).
  static constexpr std::array<sql_type, column_count> column_types =
      []<std::size_t... I>(std::index_sequence<I...>) {
    return std::array<sql_type, column_count>{column<I>::type...};
  }
  (std::make_index_sequence<column_count>{});
  static constexpr std::array<bool, column_count> column_nullable =
      []<std::size_t... I>(std::index_sequence<I...>) {
    return std::array<bool, column_count>{column<I>::nullable...};
  }
  (std::make_index_sequence<column_count>{});
};
}  // namespace detail

/// The compile-time description of an upsert table.
template <class Struct, fixed_string... KeyColumns, class Formats>
struct table<Struct, primary_key<KeyColumns...>, Formats> : detail::table_columns<Struct, Formats> {
  using base = detail::table_columns<Struct, Formats>;
  using base::column_count;
  using typename base::fields;
  using typename base::row_type;

  static constexpr std::size_t key_count = sizeof...(KeyColumns);

  /// Struct field index of each PRIMARY KEY column, in PRIMARY KEY declaration order.
  static constexpr std::array<std::size_t, key_count> key_columns = {
      detail::key_column_index<Struct, KeyColumns>()...};

  static_assert(key_count > 0,
                "'upsert-kafka' tables require to define a PRIMARY KEY constraint. The PRIMARY "
                "KEY specifies which columns should be read from or write to the Kafka message "
                "key.");
  static_assert((detail::key_column_checked<Struct, KeyColumns>() && ...));
  // Checked only when every name was found: a misspelt one already has its error.
  static constexpr bool keys_found = (detail::is_field_of<Struct, KeyColumns> && ...);
  static_assert(!keys_found || detail::all_distinct(key_columns),
                "upsertkit: a column appears twice in the PRIMARY KEY");
  static_assert(detail::key_columns_are_not_null<Struct, KeyColumns...>());

  static constexpr bool is_key_column(std::size_t column) noexcept {
    for (std::size_t k : key_columns)
      if (k == column) return true;
    return false;
  }
};

/// An append-only table (no PRIMARY KEY), for the plain `kafka` connector.
template <class Struct, class Formats>
struct table<Struct, no_primary_key, Formats> : detail::table_columns<Struct, Formats> {
  static constexpr std::size_t key_count = 0;
  static constexpr std::array<std::size_t, 0> key_columns = {};
  static constexpr bool is_key_column(std::size_t) noexcept { return false; }
};

/// Calls `f(std::integral_constant<std::size_t, I>{})` for the column whose index is `index`
/// (known only at run time). The fold compiles to a jump table with `f` inlined.
template <class Table, class F>
constexpr void visit_column(std::size_t index, F&& f) {
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    (void)((index == I ? (f(std::integral_constant<std::size_t, I>{}), true) : false) || ...);
  }
  (std::make_index_sequence<Table::column_count>{});
}

/// Calls `f(std::integral_constant<std::size_t, I>{})` for every column in field order.
template <class Table, class F>
constexpr void for_each_column(F&& f) {
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    (f(std::integral_constant<std::size_t, I>{}), ...);
  }
  (std::make_index_sequence<Table::column_count>{});
}

/// Calls `f(std::integral_constant<std::size_t, I>{})` for every field of a Hana-adapted struct
/// (a table's row or a ROW column's struct), in field order.
template <class Struct, class F>
constexpr void for_each_field(F&& f) {
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    (f(std::integral_constant<std::size_t, I>{}), ...);
  }
  (std::make_index_sequence<struct_fields<Struct>::count>{});
}

/// Calls `f(std::integral_constant<std::size_t, I>{})` for the field of a Hana-adapted struct
/// whose index is `index` (known only at run time).
template <class Struct, class F>
constexpr void visit_field(std::size_t index, F&& f) {
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    (void)((index == I ? (f(std::integral_constant<std::size_t, I>{}), true) : false) || ...);
  }
  (std::make_index_sequence<struct_fields<Struct>::count>{});
}

/// `value.fields-include`.
enum class fields_include : std::uint8_t { all, except_key };

/// Flink reads enum options case-insensitively: `ALL`, `all` and `All` are the same.
inline fields_include parse_fields_include(std::string_view text) {
  auto equals = [&](std::string_view name) {
    if (text.size() != name.size()) return false;
    for (std::size_t i = 0; i < text.size(); ++i) {
      char c = text[i];
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
      if (c != name[i]) return false;
    }
    return true;
  };
  if (equals("ALL")) return fields_include::all;
  if (equals("EXCEPT_KEY")) return fields_include::except_key;
  throw config_error("Could not parse value '" + std::string(text) +
                     "' for key 'value.fields-include'. Possible values: [ALL, EXCEPT_KEY]");
}

/// The columns one format (key or value) reads and writes, and the names it uses for them.
struct projection {
  std::vector<std::uint16_t> columns;  // struct field indexes, in format order
  std::vector<std::string> names;      // names as they appear in the message
};

/// How a table's columns split between the Kafka key and value: `value.fields-include` and
/// `key.fields-prefix`, validated with the reference implementation's messages.
struct key_value_layout {
  fields_include include = fields_include::all;
  std::string key_prefix;
};

/// The key and value projections for `Table` under `layout`. Throws config_error with the
/// reference's texts when the layout is not allowed.
template <class Table>
struct table_projections {
  projection key;
  projection value;

  explicit table_projections(const key_value_layout& layout = {}) {
    if (!layout.key_prefix.empty() && layout.include == fields_include::all)
      throw config_error(
          "A key prefix is not allowed when option 'value.fields-include' is set to 'ALL'. Set "
          "it to 'EXCEPT_KEY' instead to avoid field overlaps.");
    for (std::size_t column : Table::key_columns) {
      std::string_view name = Table::column_names[column];
      if (!layout.key_prefix.empty()) {
        if (name.substr(0, layout.key_prefix.size()) != layout.key_prefix)
          throw config_error("All fields in 'key.fields' must be prefixed with '" +
                             layout.key_prefix +
                             "' when option 'key.fields-prefix' is set but field '" +
                             std::string(name) + "' is not prefixed.");
        name.remove_prefix(layout.key_prefix.size());
      }
      key.columns.push_back(static_cast<std::uint16_t>(column));
      key.names.emplace_back(name);
    }
    for (std::size_t column = 0; column < Table::column_count; ++column) {
      if (layout.include == fields_include::except_key && Table::is_key_column(column)) continue;
      value.columns.push_back(static_cast<std::uint16_t>(column));
      value.names.emplace_back(Table::column_names[column]);
    }
  }
};

}  // namespace upsertkit

#endif  // UPSERTKIT_SCHEMA_HPP
