// upsertkit: the C++ header of a table, generated from its Flink `CREATE TABLE` statement.
//
//   std::vector<upsertkit::ddl::table_definition> tables = upsertkit::ddl::parse_script(sql);
//   upsertkit::ddl::codegen_options options;
//   options.namespace_name = "orders";
//   std::string header = upsertkit::ddl::generate_header(tables, options);
//
// For each table the header holds a struct with one member per physical column (column order,
// std::optional for a nullable column; std::vector, std::map and upsertkit::multiset for ARRAY,
// MAP and MULTISET, and for each ROW a struct declared inside the struct that holds it, named
// after its column or field), its Boost.Hana adaptation and its ROW structs' (upsertkit::columns
// when a column name is no C++ member name or the struct is wider than BOOST_HANA_ADAPT_STRUCT
// takes),
// `using <table>_table = upsertkit::table<...>` with the PRIMARY KEY, and the WITH clause as
// `inline const upsertkit::option_map <table>_options`. ddl::check of the statement against the
// generated table reports nothing. codegen_main() is the command-line tool that CMake's
// upsertkit_generate_schema() builds and runs (docs/ddl.md, "Generating the struct from the DDL").
#ifndef UPSERTKIT_DDL_CODEGEN_HPP
#define UPSERTKIT_DDL_CODEGEN_HPP

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <ostream>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "ddl.hpp"
#include "error.hpp"

namespace upsertkit::ddl {

/// How STRING, VARCHAR(n) and CHAR(n) columns are declared.
enum class string_member : std::uint8_t {
  owning,  ///< std::string: the row owns its text
  view,    ///< std::string_view: zero copy, a view into the record or the materializer's state
};

/// What generate_header() writes besides the tables themselves.
struct codegen_options {
  /// The namespace of the declarations (`orders`, `app::schemas`); empty: the global namespace.
  std::string namespace_name;
  /// The include guard; empty: derived from the namespace and `source_name` (or the first table).
  std::string include_guard;
  string_member strings = string_member::owning;
  /// The tables to generate, by name (as written, or its last part when qualified), each
  /// optionally `name=StructName`; empty: every table, with the struct names of docs/ddl.md.
  std::vector<std::string> tables;
  /// Compile the table for the formats its WITH clause names (`formats<"csv", "json">`) when
  /// upsertkit has all of them; otherwise, and by default, for every format.
  bool formats_from_with = false;
  /// The file the statements came from, named in the header's first comment.
  std::string source_name;
};

/// A table the generator cannot write: an unsupported column type, a name that cannot become
/// a C++ name, two tables that would share a name. `table()` and `column()` say where (either
/// may be empty), so that codegen_main() can point at the line and column of the statement.
class codegen_error : public config_error {
 public:
  codegen_error(const std::string& message, std::string table, std::string column)
      : config_error(message), table_(std::move(table)), column_(std::move(column)) {}
  const std::string& table() const noexcept { return table_; }
  const std::string& column() const noexcept { return column_; }

 private:
  std::string table_;
  std::string column_;
};

namespace codegen_detail {

inline bool is_letter(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
inline bool is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}
inline char to_upper(char c) noexcept {
  return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
}

// C++20's keywords and alternative tokens, `typeof` (a keyword in GNU modes), and `import` and
// `module`, which start a directive at the beginning of a line.
inline bool is_keyword(std::string_view word) noexcept {
  static constexpr std::string_view keywords[] = {"alignas",
                                                  "alignof",
                                                  "and",
                                                  "and_eq",
                                                  "asm",
                                                  "auto",
                                                  "bitand",
                                                  "bitor",
                                                  "bool",
                                                  "break",
                                                  "case",
                                                  "catch",
                                                  "char",
                                                  "char8_t",
                                                  "char16_t",
                                                  "char32_t",
                                                  "class",
                                                  "compl",
                                                  "concept",
                                                  "const",
                                                  "consteval",
                                                  "constexpr",
                                                  "constinit",
                                                  "const_cast",
                                                  "continue",
                                                  "co_await",
                                                  "co_return",
                                                  "co_yield",
                                                  "decltype",
                                                  "default",
                                                  "delete",
                                                  "do",
                                                  "double",
                                                  "dynamic_cast",
                                                  "else",
                                                  "enum",
                                                  "explicit",
                                                  "export",
                                                  "extern",
                                                  "false",
                                                  "float",
                                                  "for",
                                                  "friend",
                                                  "goto",
                                                  "if",
                                                  "import",
                                                  "inline",
                                                  "int",
                                                  "long",
                                                  "module",
                                                  "mutable",
                                                  "namespace",
                                                  "new",
                                                  "noexcept",
                                                  "not",
                                                  "not_eq",
                                                  "nullptr",
                                                  "operator",
                                                  "or",
                                                  "or_eq",
                                                  "private",
                                                  "protected",
                                                  "public",
                                                  "register",
                                                  "reinterpret_cast",
                                                  "requires",
                                                  "return",
                                                  "short",
                                                  "signed",
                                                  "sizeof",
                                                  "static",
                                                  "static_assert",
                                                  "static_cast",
                                                  "struct",
                                                  "switch",
                                                  "template",
                                                  "this",
                                                  "thread_local",
                                                  "throw",
                                                  "true",
                                                  "try",
                                                  "typedef",
                                                  "typeid",
                                                  "typename",
                                                  "typeof",
                                                  "union",
                                                  "unsigned",
                                                  "using",
                                                  "virtual",
                                                  "void",
                                                  "volatile",
                                                  "wchar_t",
                                                  "while",
                                                  "xor",
                                                  "xor_eq"};
  return std::find(std::begin(keywords), std::end(keywords), word) != std::end(keywords);
}

// Macros that the C and POSIX headers a program includes anyway (or a GNU mode) define: a
// member with such a name would be replaced by the preprocessor.
inline bool is_common_macro(std::string_view word) noexcept {
  static constexpr std::string_view macros[] = {
      "NULL",         "EOF",          "errno",    "assert",    "stdin",    "stdout",   "stderr",
      "linux",        "unix",         "i386",     "offsetof",  "major",    "minor",    "setjmp",
      "va_arg",       "va_start",     "va_end",   "va_copy",   "BUFSIZ",   "CHAR_BIT", "SIZE_MAX",
      "INT_MAX",      "INT_MIN",      "UINT_MAX", "LONG_MAX",  "LONG_MIN", "FLT_MAX",  "DBL_MAX",
      "EXIT_SUCCESS", "EXIT_FAILURE", "RAND_MAX", "MB_CUR_MAX"};
  return std::find(std::begin(macros), std::end(macros), word) != std::end(macros);
}

// [A-Za-z_][A-Za-z0-9_]*, as written.
inline bool is_identifier(std::string_view name) noexcept {
  if (name.empty() || is_digit(name[0])) return false;
  for (char c : name)
    if (!is_letter(c) && !is_digit(c) && c != '_') return false;
  return true;
}

// An identifier the generated header can declare: no keyword, no name reserved to the
// implementation (a double underscore anywhere, or an underscore and a capital first), no
// common macro.
inline bool is_usable_identifier(std::string_view name) noexcept {
  if (!is_identifier(name) || is_keyword(name) || is_common_macro(name)) return false;
  if (name.find("__") != std::string_view::npos) return false;
  if (name[0] == '_' && (name.size() == 1 || (name[1] >= 'A' && name[1] <= 'Z'))) return false;
  return true;
}

// The letters and digits of `text`, every run of other characters between them (a UTF-8
// sequence, a space, underscores) one underscore, none leading or trailing.
inline std::string underscore_runs(std::string_view text) {
  std::string out;
  bool gap = false;
  for (char c : text) {
    if (is_letter(c) || is_digit(c)) {
      if (gap && !out.empty()) out += '_';
      gap = false;
      out += c;
    } else {
      gap = true;
    }
  }
  return out;
}

// The nearest usable identifier: underscore_runs(name), `prefix` before a leading digit, and
// `_` after a keyword or macro. Empty when nothing is left.
inline std::string make_identifier(std::string_view name, std::string_view prefix) {
  std::string out = underscore_runs(name);
  if (out.empty()) return out;
  if (is_digit(out[0])) out = std::string(prefix) + out;
  if (is_keyword(out) || is_common_macro(out)) out += '_';
  return out;
}

// A struct's name from a table's identifier: each part between underscores with a capital
// first letter, the underscores dropped (`page_views` -> `PageViews`, `upsertKafkaSource` ->
// `UpsertKafkaSource`); an underscore stays between two digits (`v1_2` -> `V1_2`).
inline std::string pascal_case(std::string_view identifier) {
  std::string out;
  bool capital = true;
  for (char c : identifier) {
    if (c == '_') {
      capital = true;
      continue;
    }
    if (capital && !out.empty() && is_digit(out.back()) && is_digit(c)) out += '_';
    out += capital ? to_upper(c) : c;
    capital = false;
  }
  if (is_keyword(out) || is_common_macro(out)) out += '_';
  return out;
}

// Whether `text` from `at` starts a well-formed UTF-8 sequence; its length then, else 0.
inline std::size_t utf8_sequence(std::string_view text, std::size_t at) noexcept {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(at);
  std::size_t length = 0;
  unsigned char low = 0x80, high = 0xBF;  // the second byte's range (no overlong or surrogate)
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;
    if (lead == 0xED) high = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;
  } else {
    return 0;
  }
  if (at + length > text.size()) return 0;
  if (byte(at + 1) < low || byte(at + 1) > high) return 0;
  for (std::size_t i = 2; i < length; ++i)
    if (byte(at + i) < 0x80 || byte(at + i) > 0xBF) return 0;
  return length;
}

// `text` escaped for a C++ string literal (without the quotes). Every byte outside printable
// ASCII is a three-digit octal escape, which no following digit can extend and which no
// -fexec-charset re-encodes, so the literal's bytes are exactly `text`'s. In a comment
// (`keep_utf8`), well-formed UTF-8 stays readable. A `?` after a `?` is escaped: `??/` was a
// trigraph, and g++ warns about them.
inline std::string escaped(std::string_view text, bool keep_utf8 = false) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const auto u = static_cast<unsigned char>(c);
    if (c == '"') {
      out += "\\\"";
    } else if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '?' && i > 0 && text[i - 1] == '?') {
      out += "\\?";
    } else if (u >= 0x20 && u < 0x7F) {
      out += c;
    } else if (std::size_t n = keep_utf8 && u >= 0x80 ? utf8_sequence(text, i) : 0; n > 0) {
      out.append(text.substr(i, n));
      i += n - 1;
    } else {
      out += '\\';
      out += static_cast<char>('0' + (u >> 6));
      out += static_cast<char>('0' + ((u >> 3) & 7));
      out += static_cast<char>('0' + (u & 7));
    }
  }
  return out;
}

/// `text` as a C++ string literal whose bytes are exactly `text`'s.
inline std::string literal(std::string_view text) {
  return '"' + escaped(text) + '"';
}

// A name inside a `//` comment: as it is when it is an identifier, else backquoted as in SQL.
inline std::string commented_name(std::string_view name) {
  if (is_identifier(name)) return std::string(name);
  std::string doubled;
  for (char c : name)
    doubled += c == '`' ? std::string("``") : std::string(1, c);
  return '`' + escaped(doubled, true) + '`';
}

// Free text (an expression, a COMMENT) inside a `//` comment: quoted and escaped, so
// that no line break ends the comment early and no backslash splices the next line into it.
inline std::string commented(std::string_view text) {
  return '"' + escaped(text, true) + '"';
}

/// The C++ type of a scalar type's values (without std::optional), or nullopt when the
/// generator has none: a type that ddl.hpp's reader does not know (`data_type::type` empty) is
/// refused, since ddl::check could not compare it either.
inline std::optional<std::string> scalar_type(const data_type& t, string_member strings) {
  // `VARCHAR<3>` and the like, which the reader reads leniently: no type of Flink's.
  if (!t.type.has_value() || t.text.find('<') != std::string::npos) return std::nullopt;
  const int p = t.precision;
  switch (*t.type) {
    case sql_type::string:
      return strings == string_member::view ? "std::string_view" : "std::string";
    case sql_type::boolean:
      return "bool";
    case sql_type::tinyint:
      return "std::int8_t";
    case sql_type::smallint:
      return "std::int16_t";
    case sql_type::integer:
      return "std::int32_t";
    case sql_type::bigint:
      return "std::int64_t";
    case sql_type::float_:
      return "float";
    case sql_type::double_:
      return "double";
    case sql_type::decimal:
      if (p < 1 || p > 38 || t.scale < 0 || t.scale > p) return std::nullopt;  // Flink's range
      return "upsertkit::decimal<" + std::to_string(p) + ", " + std::to_string(t.scale) + ">";
    case sql_type::date:
      return "upsertkit::date";
    case sql_type::time:
      if (p < 0 || p > 9) return std::nullopt;
      return "upsertkit::time_of_day<" + std::to_string(p) + ">";
    case sql_type::timestamp:
      if (p == 3) return "upsertkit::timestamp";
      if (p < 0 || p > 9) return std::nullopt;
      return "upsertkit::local_timestamp<" + std::to_string(p) + ">";
    case sql_type::timestamp_ltz:
      if (p < 0 || p > 9) return std::nullopt;
      return "upsertkit::timestamp_ltz<" + std::to_string(p) + ">";
    case sql_type::bytes:
      return "upsertkit::bytes";
    default:
      return std::nullopt;  // the nested types are struct_builder's
  }
}

/// The types generate_header() accepts, for messages (defined below).
inline std::string supported_types();

// The last part of a qualified table name (`catalog.db.orders` -> `orders`).
inline std::string_view last_part(std::string_view name) noexcept {
  const std::size_t dot = name.rfind('.');
  return dot == std::string_view::npos ? name : name.substr(dot + 1);
}

// A struct as it will be written: a table's, or a ROW's.
struct struct_plan {
  std::string name;
  std::string origin;  // a ROW's: where it is in its column (`home.geo`, `visits[]`)
  struct member {
    std::string field;               // the column's or field's SQL name
    std::string name;                // the member's name
    std::string type;                // its full type (std::optional<...> when nullable)
    std::string note;                // a ROW field's comment (a table's columns: write_struct)
    const column* source = nullptr;  // a table's physical column
  };
  std::vector<member> members;
  bool members_are_fields = true;  // every member named as its column or field
  bool ordered = false;            // operator<=> too: a ROW inside a MAP key or MULTISET element

  bool has_member(std::string_view member_name) const {
    for (const member& m : members)
      if (m.name == member_name) return true;
    return false;
  }
};

// A table as it will be written.
struct table_plan {
  const table_definition* table = nullptr;
  std::string base;  // <base>_table, <base>_options
  struct_plan row;   // the table's struct (row.name)
  /// The structs of its ROWs, each before the structs that use it (declared before row).
  std::vector<struct_plan> rows;
  bool uses_vector = false;
  bool uses_map = false;
};

// Names in messages: as written, with what a terminal would not show escaped.
inline std::string table_message(const table_definition& table) {
  return "table '" + escaped(table.name, true) + "'";
}

inline std::string column_message(const table_definition& table, const column& c) {
  return table_message(table) + ", column '" + escaped(c.name, true) + "'";
}

inline void check_column_name(const table_definition& table, const column& c) {
  if (c.name.empty())
    throw codegen_error(column_message(table, c) +
                            ": an empty column name (Flink refuses it too); rename the column",
                        table.name, c.name);
  if (c.name.find('\0') != std::string::npos)
    throw codegen_error(column_message(table, c) +
                            ": the name holds a NUL character, which a column name of a "
                            "Boost.Hana struct cannot hold; rename the column",
                        table.name, c.name);
}

// Member names for `fields`: as the column or field is named when that is a usable identifier
// not taken yet, else the nearest usable one (make_identifier with `prefix` before a leading
// digit; `fallback<n>` when nothing is left), made unique with `_2`, `_3`, ...
inline void name_members(struct_plan& s, std::set<std::string, std::less<>>& taken,
                         std::string_view prefix, std::string_view fallback) {
  for (struct_plan::member& m : s.members)
    if (is_usable_identifier(m.field) && taken.insert(m.field).second) m.name = m.field;
  for (std::size_t i = 0; i < s.members.size(); ++i) {
    struct_plan::member& m = s.members[i];
    if (!m.name.empty()) continue;
    std::string name = make_identifier(m.field, prefix);
    if (name.empty()) name = std::string(fallback) + std::to_string(i + 1);
    std::string unique = name;
    for (int n = 2; taken.count(unique) > 0; ++n)
      unique = name + "_" + std::to_string(n);
    taken.insert(unique);
    m.name = std::move(unique);
    s.members_are_fields = false;
  }
}

// Builds the C++ types of one column, with a struct for each ROW in it.
struct type_builder {
  const table_definition& table;
  const column& source;
  string_member strings;
  table_plan& plan;

  [[noreturn]] void refuse(const std::string& why) const {
    throw codegen_error(column_message(table, source) + ": the type " +
                            escaped(source.type_text, true) + " is not supported by the generator" +
                            why + "; supported: " + supported_types(),
                        table.name, source.name);
  }

  // The type of an element, key, value or field: std::optional unless it is NOT NULL.
  std::string part(const data_type& t, const std::string& path, const std::string& base,
                   const struct_plan& owner, bool in_key) {
    const std::string type = of(t, path, base, owner, in_key);
    return t.not_null ? type : "std::optional<" + type + ">";
  }

  // The C++ type of `t`'s values, without std::optional. `path` is where `t` is in the column
  // (for messages and a ROW struct's comment), `base` the name of a ROW struct for it, `owner`
  // the struct with the member whose type this is. `in_key`: `t` is (in) a MAP key or MULTISET
  // element, an std::map key in C++, which needs an order.
  std::string of(const data_type& t, const std::string& path, const std::string& base,
                 const struct_plan& owner, bool in_key) {
    const auto children = [&](std::size_t n) {
      if (t.children.size() != n) refuse(" (" + escaped(path, true) + " has no element type)");
    };
    if (!t.type.has_value())
      refuse(path == detail::field_text(source.name)
                 ? std::string()
                 : " (" + escaped(path, true) + " is " + escaped(t.text, true) + ")");
    switch (*t.type) {
      case sql_type::array:
        children(1);
        plan.uses_vector = true;
        return "std::vector<" + part(t.children[0], path + "[]", base, owner, in_key) + ">";
      case sql_type::multiset:
        children(1);
        if (in_key)
          refuse(": " + escaped(path, true) +
                 " is a MULTISET inside a MAP key or MULTISET element, which C++ cannot order "
                 "(upsertkit::multiset has no operator<)");
        // Elements are NOT NULL in upsertkit whatever the DDL says (docs/schema.md).
        return "upsertkit::multiset<" + of(t.children[0], path + "[]", base, owner, true) + ">";
      case sql_type::map: {
        children(2);
        plan.uses_map = true;
        // Keys are NOT NULL in upsertkit whatever the DDL says (docs/schema.md). The key's ROW
        // structs are declared before the value's.
        const std::string key = of(t.children[0], path + "[key]", base + "_key", owner, true);
        return "std::map<" + key + ", " +
               part(t.children[1], path + "[value]", base + "_value", owner, in_key) + ">";
      }
      case sql_type::row:
        return row(t, path, base, owner, in_key);
      default:
        break;
    }
    const std::optional<std::string> scalar = scalar_type(t, strings);
    if (!scalar) refuse(" (" + escaped(path, true) + " is " + escaped(t.text, true) + ")");
    return *scalar;
  }

  // Whether `name` is declared at namespace scope by this table, or names a member of `owner`
  // (which would then hide the struct's name in owner's definition).
  bool taken(const std::string& name, const struct_plan& owner) const {
    if (name == plan.row.name || name == plan.base + "_table" || name == plan.base + "_options" ||
        owner.has_member(name))
      return true;
    for (const struct_plan& other : plan.rows)
      if (other.name == name) return true;
    return false;
  }

  // A ROW's struct, named `base` (made unique with `_2`, `_3`, ...); its name.
  std::string row(const data_type& t, const std::string& path, const std::string& base,
                  const struct_plan& owner, bool in_key) {
    if (t.children.empty())
      refuse(" (" + escaped(path, true) + " is ROW<>: upsertkit's ROW has at least one field)");
    const std::string name = underscore_runs(base);
    std::string unique = name;
    for (int n = 2; taken(unique, owner); ++n)
      unique = name + "_" + std::to_string(n);

    struct_plan s;
    s.name = unique;
    s.origin = path;
    s.ordered = in_key;
    for (const data_type& field : t.children) {
      if (field.name.find('\0') != std::string::npos)
        refuse(": the field name " + escaped(field.name, true) +
               " holds a NUL character, which a Boost.Hana struct cannot hold");
      s.members.push_back({field.name, "", "", "", nullptr});
    }
    std::set<std::string, std::less<>> member_names{s.name};
    name_members(s, member_names, "f_", "field_");
    // Reserved before the fields' own ROW structs are named.
    plan.rows.push_back(struct_plan{unique, "", {}, true, false});
    const std::size_t placeholder = plan.rows.size() - 1;
    for (std::size_t i = 0; i < t.children.size(); ++i) {
      const data_type& field = t.children[i];
      struct_plan::member& m = s.members[i];
      const std::string field_path = path + "." + detail::field_text(field.name);
      m.type = part(field, field_path, s.name + "_" + m.name, s, in_key);
      m.note = escaped(field.text, true) + (field.not_null ? " NOT NULL" : "");
      if (field.declared_not_null && !field.not_null)
        m.note += ", declared NOT NULL (the fields of a nullable ROW are nullable)";
      if (m.name != field.name) m.note += ", field " + commented_name(field.name);
      if (!field.comment.empty()) m.note += ", COMMENT " + commented(field.comment);
    }
    // After the structs of its fields, which it uses.
    plan.rows.erase(plan.rows.begin() + static_cast<std::ptrdiff_t>(placeholder));
    plan.rows.push_back(std::move(s));
    return unique;
  }
};

inline table_plan plan_table(const table_definition& table, std::string struct_name,
                             const codegen_options& options) {
  table_plan plan;
  plan.table = &table;
  if (table.name.empty())
    throw codegen_error("a table with an empty name (Flink refuses it too): name the table",
                        table.name, "");
  plan.base = make_identifier(last_part(table.name), "t_");
  if (plan.base.empty()) plan.base = "table";
  if (struct_name.empty()) {
    struct_name = pascal_case(plan.base);
  } else if (!is_usable_identifier(struct_name)) {
    throw codegen_error(table_message(table) + ": '" + struct_name +
                            "' cannot be the name of its struct (a C++ identifier that is no "
                            "keyword and not reserved: letters, digits and single underscores)",
                        table.name, "");
  }
  plan.row.name = std::move(struct_name);

  // Members named as their columns first, then the others, each unique and unlike the struct;
  // then the ROW structs, `<struct>_<member>`.
  const std::vector<const column*> physical = table.physical_columns();
  if (physical.empty())
    throw codegen_error(table_message(table) + " has no physical column: a struct needs one",
                        table.name, "");
  for (const column* c : physical) {
    check_column_name(table, *c);
    plan.row.members.push_back({c->name, "", "", "", c});
  }
  std::set<std::string, std::less<>> taken{plan.row.name};
  name_members(plan.row, taken, "c_", "column_");
  for (struct_plan::member& m : plan.row.members) {
    const column& c = *m.source;
    type_builder builder{table, c, options.strings, plan};
    const std::string type = builder.of(c.type_tree(), detail::field_text(c.name),
                                        plan.row.name + "_" + m.name, plan.row, false);
    m.type = c.not_null ? type : "std::optional<" + type + ">";
  }
  return plan;
}

/// The types generate_header() accepts with this build of ddl.hpp and types.hpp, for messages:
/// each is tried through the reader and plan_table(), so the list cannot promise a type that
/// one of them refuses.
inline std::string supported_types() {
  struct entry {
    std::string_view shown;
    std::string_view sample;
  };
  static constexpr entry entries[] = {{"STRING", "STRING"},
                                      {"VARCHAR(n)", "VARCHAR(10)"},
                                      {"CHAR(n)", "CHAR(10)"},
                                      {"BOOLEAN", "BOOLEAN"},
                                      {"TINYINT", "TINYINT"},
                                      {"SMALLINT", "SMALLINT"},
                                      {"INT", "INT"},
                                      {"BIGINT", "BIGINT"},
                                      {"FLOAT", "FLOAT"},
                                      {"DOUBLE", "DOUBLE"},
                                      {"DECIMAL(p, s)", "DECIMAL(10, 2)"},
                                      {"DATE", "DATE"},
                                      {"TIME(p)", "TIME(3)"},
                                      {"TIMESTAMP(p)", "TIMESTAMP(6)"},
                                      {"TIMESTAMP(3)", "TIMESTAMP(3)"},
                                      {"TIMESTAMP_LTZ(p)", "TIMESTAMP_LTZ(3)"},
                                      {"BYTES", "BYTES"},
                                      {"VARBINARY(n)", "VARBINARY(10)"},
                                      {"BINARY(n)", "BINARY(10)"},
                                      {"ARRAY<T>", "ARRAY<INT>"},
                                      {"MULTISET<T>", "MULTISET<INT>"},
                                      {"MAP<K, V>", "MAP<STRING, INT>"},
                                      {"ROW<name T, ...>", "ROW<a INT>"}};
  const auto accepted = [](std::string_view sample) {
    try {
      const table_definition t =
          parse_create_table("CREATE TABLE t (c " + std::string(sample) + " NOT NULL)");
      (void)plan_table(t, "", codegen_options{});
      return true;
    } catch (const config_error&) {
      return false;
    }
  };
  const bool any_timestamp = accepted("TIMESTAMP(6)");
  // The widest DECIMAL the reader takes (types.hpp's decimal<P, S> follows it).
  int widest_decimal = 0;
  for (int p : {18, 38})
    if (accepted("DECIMAL(" + std::to_string(p) + ", 0)")) widest_decimal = p;
  std::string out;
  bool nested = false;
  for (const entry& e : entries) {
    if (e.shown == "TIMESTAMP(3)" && any_timestamp) continue;  // TIMESTAMP(p) says it
    if (!accepted(e.sample)) continue;
    if (!out.empty()) out += ", ";
    out += e.shown;
    if (e.shown == "DECIMAL(p, s)") out += " (p <= " + std::to_string(widest_decimal) + ")";
    nested = nested || e.shown.find('<') != std::string_view::npos;
  }
  if (nested)
    out +=
        " (T, K, V: any of these; a ROW has a field; no MULTISET in a MAP key or MULTISET "
        "element)";
  return out;
}

// A namespace option: `a` or `a::b`, each part usable.
inline void check_namespace(std::string_view ns) {
  if (ns.empty()) return;
  std::size_t begin = 0;
  for (;;) {
    const std::size_t end = ns.find("::", begin);
    const std::string_view part =
        ns.substr(begin, end == std::string_view::npos ? ns.npos : end - begin);
    if (!is_usable_identifier(part))
      throw codegen_error("the namespace '" + std::string(ns) +
                              "' is no C++ namespace name (identifiers joined by '::', no "
                              "keyword, no reserved name)",
                          "", "");
    if (end == std::string_view::npos) return;
    begin = end + 2;
  }
}

// underscore_runs(text) in upper case.
inline std::string guard_part(std::string_view text) {
  std::string out = underscore_runs(text);
  for (char& c : out)
    c = to_upper(c);
  return out;
}

inline std::string default_guard(const codegen_options& options, const table_plan& first) {
  std::string guard;
  std::string_view ns = options.namespace_name;
  for (std::size_t at; (at = ns.find("::")) != std::string_view::npos; ns.remove_prefix(at + 2))
    guard += guard_part(ns.substr(0, at)) + "_";
  if (!ns.empty()) guard += guard_part(ns) + "_";
  std::string from = guard_part(options.source_name);
  if (from.empty()) from = guard_part(first.base) + "_SCHEMA";
  guard += from + "_HPP";
  if (is_digit(guard[0])) guard = "G_" + guard;
  // A guard of the library's own would hide one of its headers.
  if (guard.rfind("UPSERTKIT_", 0) == 0) guard = "GENERATED_" + guard;
  return guard;
}

inline std::string key_type(const table_plan& plan) {
  if (plan.table->primary_key.empty()) return "upsertkit::no_primary_key";
  std::string out = "upsertkit::primary_key<";
  for (std::size_t i = 0; i < plan.table->primary_key.size(); ++i) {
    if (i > 0) out += ", ";
    out += literal(plan.table->primary_key[i]);
  }
  return out + ">";
}

// `formats<...>` from the WITH clause, when asked for and upsertkit has every format named.
inline std::string formats_type(const table_definition& table, const codegen_options& options) {
  if (!options.formats_from_with) return "";
  std::vector<std::string> names;
  for (std::string_view key : {"key.format", "value.format", "format"}) {
    const auto found = table.options.find(key);
    if (found == table.options.end()) continue;
    const std::string& name = found->second;
    if (name != "json" && name != "csv" && name != "avro" && name != "raw") return "";
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  }
  if (names.empty()) return "";
  std::string out = "upsertkit::formats<";
  for (std::size_t i = 0; i < names.size(); ++i)
    out += (i > 0 ? ", " : "") + literal(names[i]);
  return out + ">";
}

inline std::string open_namespace(const codegen_options& options) {
  return options.namespace_name.empty() ? "" : "namespace " + options.namespace_name + " {\n\n";
}

inline std::string close_namespace(const codegen_options& options) {
  return options.namespace_name.empty() ? "" : "}  // namespace " + options.namespace_name + "\n";
}

inline std::string qualified(const codegen_options& options, const std::string& name) {
  return options.namespace_name.empty() ? name : options.namespace_name + "::" + name;
}

// Consecutive members with their trailing comments aligned, as clang-format aligns them.
struct member_lines {
  std::string& out;
  std::vector<std::pair<std::string, std::string>> lines;

  void add(std::string code, std::string note) { lines.emplace_back(std::move(code), note); }
  void flush() {
    std::size_t width = 0;
    for (const auto& line : lines)
      width = std::max(width, line.first.size());
    for (const auto& [code, note] : lines)
      out += code + std::string(width - code.size() + 2, ' ') + "// " + note + "\n";
    lines.clear();
  }
};

inline void write_comparisons(std::string& out, const struct_plan& s) {
  out += "  friend bool operator==(const " + s.name + "&, const " + s.name + "&) = default;\n";
  if (s.ordered)
    out += "  friend auto operator<=>(const " + s.name + "&, const " + s.name + "&) = default;\n";
}

// The structs of a table's ROWs, each followed by an empty line.
inline void write_rows(std::string& out, const table_plan& plan) {
  for (const struct_plan& row : plan.rows) {
    out += "// ROW of " + escaped(row.origin, true) + " (table " +
           commented_name(plan.table->name) + ")\n";
    out += "struct " + row.name + " {\n";
    member_lines lines{out, {}};
    for (const struct_plan::member& m : row.members)
      lines.add("  " + m.type + " " + m.name + "{};", m.note);
    lines.flush();
    if (!row.members.empty()) out += "\n";
    write_comparisons(out, row);
    out += "};\n\n";
  }
}

inline void write_struct(std::string& out, const table_plan& plan) {
  const table_definition& table = *plan.table;
  write_rows(out, plan);
  out += "// CREATE TABLE " + commented_name(table.name);
  if (!table.comment.empty()) out += " COMMENT " + commented(table.comment);
  out += "\n";
  if (!table.watermark_column.empty())
    out += "// WATERMARK FOR " + commented_name(table.watermark_column) + " AS " +
           commented(table.watermark_expression) + "\n";
  out += "struct " + plan.row.name + " {\n";
  member_lines lines{out, {}};
  std::size_t next_member = 0;
  for (const column& c : table.columns) {
    if (c.kind != column_kind::physical) lines.flush();
    if (c.kind == column_kind::metadata) {
      out += "  // metadata column " + commented_name(c.name) + " " + escaped(c.type_text, true) +
             " METADATA FROM " + commented(c.metadata_key) + (c.is_virtual ? " VIRTUAL" : "") +
             ": no member\n";
      continue;
    }
    if (c.kind == column_kind::computed) {
      out += "  // computed column " + commented_name(c.name) + " AS " + commented(c.expression) +
             ": no member\n";
      continue;
    }
    const struct_plan::member& m = plan.row.members[next_member++];
    std::string note = escaped(c.type_text, true) + (c.not_null ? " NOT NULL" : "");
    const auto key = std::find(table.primary_key.begin(), table.primary_key.end(), c.name);
    if (key != table.primary_key.end())
      note += ", PRIMARY KEY (" + std::to_string(key - table.primary_key.begin() + 1) + " of " +
              std::to_string(table.primary_key.size()) + ")";
    if (m.name != c.name) note += ", column " + commented_name(c.name);
    if (!c.comment.empty()) note += ", COMMENT " + commented(c.comment);
    lines.add("  " + m.type + " " + m.name + "{};", note);
  }
  lines.flush();
  out += "\n";
  write_comparisons(out, plan.row);
  out += "};\n";
}

// BOOST_HANA_ADAPT_STRUCT takes the struct and at most 39 members.
inline constexpr std::size_t hana_macro_members = 39;

inline void write_adaptation(std::string& out, const struct_plan& s,
                             const codegen_options& options) {
  const std::string name = qualified(options, s.name);
  if (s.members_are_fields && s.members.size() <= hana_macro_members && !s.members.empty()) {
    // Packed into lines of at most 100 characters, as clang-format packs them.
    std::string line = "BOOST_HANA_ADAPT_STRUCT(" + name + ",";
    const std::string indent(24, ' ');
    for (std::size_t i = 0; i < s.members.size(); ++i) {
      const std::string item = s.members[i].name + (i + 1 < s.members.size() ? "," : ");");
      if (line.size() + 1 + item.size() > 100 && line.size() > indent.size()) {
        out += line + "\n";
        line = indent + item;
      } else {
        line += (line.size() > indent.size() && line.back() != '(' ? " " : "") + item;
      }
    }
    out += line + "\n";
    return;
  }
  // Wider than the macro, or members whose names are no column or field names (schema.hpp).
  out += "template <>\nstruct boost::hana::accessors_impl<" + name + ">\n    : upsertkit::columns<";
  for (std::size_t i = 0; i < s.members.size(); ++i) {
    const struct_plan::member& m = s.members[i];
    out += (i > 0 ? ",\n                         " : "");
    out += "upsertkit::column<" + literal(m.field) + ", &" + name + "::" + m.name + ">";
  }
  out += "> {};\n";
}

// The adaptations of a table's ROW structs and of its struct.
inline void write_adaptations(std::string& out, const table_plan& plan,
                              const codegen_options& options) {
  for (const struct_plan& row : plan.rows)
    write_adaptation(out, row, options);
  write_adaptation(out, plan.row, options);
}

inline void write_table(std::string& out, const table_plan& plan, const codegen_options& options) {
  const table_definition& table = *plan.table;
  std::string type = "upsertkit::table<" + plan.row.name + ", " + key_type(plan);
  if (const std::string formats = formats_type(table, options); !formats.empty())
    type += ", " + formats;
  type += ">;";
  const std::string alias = "using " + plan.base + "_table =";
  out += alias + (alias.size() + 1 + type.size() > 100 ? "\n    " : " ") + type + "\n\n";
  out += "// WITH (...) of " + commented_name(table.name) + "\n";
  out += "inline const upsertkit::option_map " + plan.base + "_options{";
  if (table.options.empty()) {
    out += "};\n";
    return;
  }
  out += "\n";
  for (const auto& [key, value] : table.options)
    out += "    {" + literal(key) + ", " + literal(value) + "},\n";
  out += "};\n";
}

// The tables chosen by options.tables (all when empty), in script order, with their struct
// names.
inline std::vector<std::pair<const table_definition*, std::string>> chosen_tables(
    const std::vector<table_definition>& tables, const codegen_options& options) {
  std::vector<std::pair<const table_definition*, std::string>> out;
  if (options.tables.empty()) {
    for (const table_definition& table : tables)
      out.emplace_back(&table, "");
    return out;
  }
  std::vector<bool> used(options.tables.size(), false);
  for (const table_definition& table : tables) {
    for (std::size_t i = 0; i < options.tables.size(); ++i) {
      const std::string_view wanted = options.tables[i];
      const std::size_t equals = wanted.find('=');
      const std::string_view name = wanted.substr(0, equals);
      if (name != table.name && name != last_part(table.name)) continue;
      used[i] = true;
      out.emplace_back(&table, equals == std::string_view::npos
                                   ? std::string()
                                   : std::string(wanted.substr(equals + 1)));
      break;
    }
  }
  for (std::size_t i = 0; i < options.tables.size(); ++i) {
    if (used[i]) continue;
    std::string names;
    for (const table_definition& table : tables)
      names += (names.empty() ? "" : ", ") + table.name;
    const std::string name = options.tables[i].substr(0, options.tables[i].find('='));
    throw codegen_error(
        "no CREATE TABLE '" + name + "' (the tables are: " + (names.empty() ? "none" : names) + ")",
        "", "");
  }
  return out;
}

}  // namespace codegen_detail

/// The C++ header declaring `tables` (docs/ddl.md, "Generating the struct from the DDL").
/// Throws codegen_error when a table cannot be written: a column type the generator does not
/// map (the message names the table, the column and the type, and lists the supported types),
/// a struct, namespace or guard name that is no C++ name, two tables with the same names.
inline std::string generate_header(const std::vector<table_definition>& tables,
                                   const codegen_options& options) {
  namespace cd = codegen_detail;
  cd::check_namespace(options.namespace_name);
  std::vector<cd::table_plan> plans;
  for (const auto& [table, struct_name] : cd::chosen_tables(tables, options))
    plans.push_back(cd::plan_table(*table, struct_name, options));
  if (plans.empty()) throw codegen_error("no CREATE TABLE statement to generate", "", "");

  // Names at namespace scope, each declared once.
  std::vector<std::pair<std::string, const cd::table_plan*>> names;
  for (const cd::table_plan& plan : plans) {
    std::vector<std::string> declared{plan.row.name, plan.base + "_table", plan.base + "_options"};
    for (const cd::struct_plan& row : plan.rows)
      declared.push_back(row.name);  // unique within the table (type_builder::taken)
    for (const std::string& name : declared) {
      for (const auto& [other, owner] : names)
        if (other == name)
          throw codegen_error(cd::table_message(*plan.table) + " and table '" + owner->table->name +
                                  "' would both declare '" + name +
                                  "': generate them into different namespaces or headers, or "
                                  "name the struct (--table NAME=STRUCT, CMake TABLES NAME=STRUCT)",
                              plan.table->name, "");
      names.emplace_back(name, &plan);
    }
  }

  std::string guard = options.include_guard;
  if (guard.empty()) {
    guard = cd::default_guard(options, plans.front());
  } else if (!cd::is_usable_identifier(guard) || guard.rfind("UPSERTKIT_", 0) == 0) {
    throw codegen_error("the include guard '" + guard +
                            "' is no usable macro name (an identifier, not reserved, not one "
                            "of upsertkit's own UPSERTKIT_...)",
                        "", "");
  }

  std::string out;
  out += "// Generated by upsertkit's DDL generator (upsertkit/ddl_codegen.hpp)";
  if (!options.source_name.empty()) out += " from " + cd::commented_name(options.source_name);
  out += ".\n// Do not edit: change the CREATE TABLE statements and generate it again.\n";
  out += "#ifndef " + guard + "\n#define " + guard + "\n\n";
  bool uses_vector = false;
  bool uses_map = false;
  for (const cd::table_plan& plan : plans) {
    uses_vector = uses_vector || plan.uses_vector;
    uses_map = uses_map || plan.uses_map;
  }
  out += "#include <boost/hana/adapt_struct.hpp>\n#include <cstdint>\n";
  if (uses_map) out += "#include <map>\n";
  out += "#include <optional>\n#include <string>\n#include <string_view>\n";
  if (uses_vector) out += "#include <vector>\n";
  out += "\n";
  out += "#include <upsertkit/option_map.hpp>\n#include <upsertkit/schema.hpp>\n";
  out += "#include <upsertkit/types.hpp>\n";
  for (const cd::table_plan& plan : plans) {
    out += "\n";
    out += cd::open_namespace(options);
    cd::write_struct(out, plan);
    out += options.namespace_name.empty() ? "\n" : "\n" + cd::close_namespace(options) + "\n";
    cd::write_adaptations(out, plan, options);
    out += "\n";
    out += cd::open_namespace(options);
    cd::write_table(out, plan, options);
    if (!options.namespace_name.empty()) out += "\n" + cd::close_namespace(options);
  }
  out += "\n#endif  // " + guard + "\n";
  return out;
}

namespace codegen_detail {

inline constexpr std::string_view usage_text =
    "usage: upsertkit_ddl_codegen [OPTIONS] FILE.sql\n"
    "\n"
    "Writes the C++ header of the CREATE TABLE statements in FILE.sql (Flink SQL; other\n"
    "statements are skipped): per table a struct with one member per physical column, its\n"
    "Boost.Hana adaptation, `using <table>_table = upsertkit::table<...>` with the PRIMARY KEY,\n"
    "and the WITH clause as `inline const upsertkit::option_map <table>_options`.\n"
    "\n"
    "Options:\n"
    "  -o, --output FILE       write the header to FILE (default: standard output); FILE is\n"
    "                          left untouched when it already holds the same text\n"
    "  --namespace NS          declare everything in namespace NS (`a::b` allowed)\n"
    "  --table NAME[=STRUCT]   generate only table NAME (repeatable), optionally naming its\n"
    "                          struct STRUCT (default: the table name in PascalCase,\n"
    "                          page_views -> PageViews)\n"
    "  --guard MACRO           the include guard (default: from the namespace and the\n"
    "                          output's file name)\n"
    "  --string-view           STRING/VARCHAR/CHAR columns as std::string_view (zero copy:\n"
    "                          views into the record or the state) instead of std::string\n"
    "  --formats-from-with     compile each table for the formats its WITH clause names\n"
    "  -h, --help              print this text\n"
    "\n"
    "Exit status: 0 written; 1 the file cannot be read, parsed or generated (the message\n"
    "names FILE:LINE:COLUMN); 2 wrong arguments. docs/ddl.md has the details.\n";

// The CREATE TABLE statements of a script as parse_script() finds them: offset and length.
inline std::vector<std::pair<std::size_t, std::size_t>> create_table_statements(
    std::string_view script) {
  std::vector<std::pair<std::size_t, std::size_t>> out;
  for (const auto& [offset, text] : detail::split_statements(script)) {
    const std::vector<detail::token> tokens =
        detail::lexer(script, offset, offset + text.size()).tokens();
    const auto keyword = [&](std::size_t i, std::string_view word) {
      return i < tokens.size() && tokens[i].kind == detail::token_kind::word &&
             detail::iequals(tokens[i].text, word);
    };
    if (keyword(0, "CREATE") && keyword(keyword(1, "TEMPORARY") ? 2 : 1, "TABLE"))
      out.emplace_back(tokens[0].begin, offset + text.size() - tokens[0].begin);
  }
  return out;
}

// Where column `name` is declared in the statement at script[begin, begin + length): the
// offset of its name, or of the statement when it is not found.
inline std::size_t column_offset(std::string_view script, std::size_t begin, std::size_t length,
                                 std::string_view name) {
  std::vector<detail::token> tokens;
  try {
    tokens = detail::lexer(script, begin, begin + length).tokens();
  } catch (const config_error&) {
    return begin;
  }
  int parens = 0;
  int angles = 0;  // ARRAY<ROW<a INT, b INT>>: the commas inside are no element's end
  bool element_start = false;
  for (const detail::token& t : tokens) {
    const bool symbol = t.kind == detail::token_kind::symbol;
    if (element_start && parens == 1 && t.text == name &&
        (t.kind == detail::token_kind::word || t.kind == detail::token_kind::quoted_identifier))
      return t.begin;
    element_start = false;
    if (symbol && t.text == "(") {
      element_start = ++parens == 1;
    } else if (symbol && t.text == ")") {
      --parens;
    } else if (symbol && parens == 1 && t.text == "<") {
      ++angles;
    } else if (symbol && parens == 1 && t.text == ">") {
      angles = angles > 0 ? angles - 1 : 0;
    } else if (symbol && parens == 1 && angles == 0 && t.text == ",") {
      element_start = true;
    }
  }
  return begin;
}

// "line L, column C: message" (ddl_error) as "L:C: error: message", as compilers write it;
// other messages unchanged.
inline std::string gnu_position(std::string_view message) {
  constexpr std::string_view line = "line ";
  if (message.substr(0, line.size()) != line) return std::string(message);
  const std::size_t comma = message.find(", column ");
  const std::size_t colon = message.find(": ");
  if (comma == std::string_view::npos || colon == std::string_view::npos || colon < comma)
    return std::string(message);
  return std::string(message.substr(line.size(), comma - line.size())) + ":" +
         std::string(message.substr(comma + 9, colon - comma - 9)) +
         ": error: " + std::string(message.substr(colon + 2));
}

inline std::string position(std::string_view script, std::size_t offset) {
  return gnu_position(detail::lexer::where(script, offset) + ": ");
}

inline bool write_if_changed(const std::string& path, const std::string& text, std::string& why) {
  namespace fs = std::filesystem;
  {
    std::ifstream in(path, std::ios::binary);
    if (in) {
      const std::string old{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
      if (old == text) return true;  // an unchanged header leaves its dependents alone
    }
  }
  std::error_code error;
  const fs::path target(path);
  if (target.has_parent_path()) fs::create_directories(target.parent_path(), error);
  // Written beside and renamed: a compiler never sees half a header.
  const std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out) {
      why = "cannot write " + temporary;
      return false;
    }
  }
  fs::rename(temporary, target, error);
  if (error) {
    why = "cannot rename " + temporary + " to " + path + ": " + error.message();
    fs::remove(temporary, error);
    return false;
  }
  return true;
}

}  // namespace codegen_detail

/// The generator's command line (usage: codegen_detail::usage_text), with its output and
/// messages on the given streams: 0 when the header was written, 1 when the input cannot be
/// read, parsed or generated (`FILE:LINE:COLUMN: error: ...`), 2 for wrong arguments.
inline int codegen_main(const std::vector<std::string>& args, std::ostream& out,
                        std::ostream& err) {
  namespace cd = codegen_detail;
  codegen_options options;
  std::string sql_path;
  std::string output;
  const auto usage = [&](const std::string& problem) {
    err << "upsertkit_ddl_codegen: " << problem << "\n" << cd::usage_text;
    return 2;
  };
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    const auto value = [&](std::string& into) {
      if (i + 1 >= args.size()) return false;
      into = args[++i];
      return true;
    };
    if (arg == "-h" || arg == "--help") {
      out << cd::usage_text;
      return 0;
    }
    if (arg == "-o" || arg == "--output") {
      if (!value(output)) return usage(arg + " needs a file");
    } else if (arg == "--namespace") {
      if (!value(options.namespace_name)) return usage("--namespace needs a name");
    } else if (arg == "--table") {
      std::string table;
      if (!value(table) || table.empty() || table[0] == '=')
        return usage("--table needs a table name");
      options.tables.push_back(table);
    } else if (arg == "--guard") {
      if (!value(options.include_guard)) return usage("--guard needs a macro name");
    } else if (arg == "--string-view") {
      options.strings = string_member::view;
    } else if (arg == "--formats-from-with") {
      options.formats_from_with = true;
    } else if (!arg.empty() && arg[0] == '-') {
      return usage("unknown option " + arg);
    } else if (sql_path.empty()) {
      sql_path = arg;
    } else {
      return usage("one FILE.sql only (" + sql_path + ", " + arg + ")");
    }
  }
  if (sql_path.empty()) return usage("no FILE.sql given");
  options.source_name = std::filesystem::path(sql_path).filename().string();
  if (options.include_guard.empty() && !output.empty()) {
    // From the header's name: two generated headers of one program differ in it.
    codegen_options named = options;
    named.source_name = std::filesystem::path(output).stem().string();
    cd::table_plan none;
    none.base = "schema";
    options.include_guard = cd::default_guard(named, none);
  }

  std::ifstream in(sql_path, std::ios::binary);
  if (!in) {
    err << sql_path << ": error: cannot read the file: " << std::strerror(errno) << "\n";
    return 1;
  }
  const std::string script{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};

  std::vector<table_definition> tables;
  try {
    tables = parse_script(script);
  } catch (const config_error& e) {
    std::string message = cd::gnu_position(e.what());
    if (message == e.what()) {
      // A statement-level error without a position (an invalid PRIMARY KEY): the statement's.
      for (const auto& [begin, length] : cd::create_table_statements(script)) {
        try {
          (void)parse_create_table(std::string_view(script).substr(begin, length));
        } catch (const config_error&) {
          message = cd::position(script, begin) + message;
          break;
        }
      }
      if (message == e.what()) message = " error: " + message;
    }
    err << sql_path << ":" << message << "\n";
    return 1;
  }
  if (tables.empty()) {
    err << sql_path << ": error: no CREATE TABLE statement\n";
    return 1;
  }

  std::string header;
  try {
    header = generate_header(tables, options);
  } catch (const codegen_error& e) {
    std::string where;
    if (!e.table().empty()) {
      const auto statements = cd::create_table_statements(script);
      for (std::size_t i = 0; i < tables.size() && i < statements.size(); ++i) {
        if (tables[i].name != e.table()) continue;
        const auto [begin, length] = statements[i];
        where = cd::position(script, e.column().empty()
                                         ? begin
                                         : cd::column_offset(script, begin, length, e.column()));
        break;
      }
    }
    if (where.empty()) where = " error: ";
    err << sql_path << ":" << where << e.what() << "\n";
    return 1;
  }

  if (output.empty()) {
    out << header;
    return out ? 0 : 1;
  }
  std::string why;
  if (!cd::write_if_changed(output, header, why)) {
    err << output << ": error: " << why << "\n";
    return 1;
  }
  return 0;
}

/// `main` of the generator: `int main(int argc, char** argv) { return
/// upsertkit::ddl::codegen_main(argc, argv); }` (what upsertkit_generate_schema() compiles).
inline int codegen_main(int argc, char** argv) {
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i)
    args.emplace_back(argv[i]);
  // String streams written out with stdio: <iostream> would give every file that includes
  // upsertkit.hpp a static initializer.
  std::ostringstream out;
  std::ostringstream err;
  int status = 1;
  try {
    status = codegen_main(args, out, err);
  } catch (const std::exception& e) {
    err << "upsertkit_ddl_codegen: error: " << e.what() << "\n";
  }
  const std::string text = out.str();
  const std::string errors = err.str();
  std::fwrite(errors.data(), 1, errors.size(), stderr);
  if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size() || std::fflush(stdout) != 0) {
    std::fputs("upsertkit_ddl_codegen: error: cannot write the standard output\n", stderr);
    if (status == 0) status = 1;
  }
  return status;
}

}  // namespace upsertkit::ddl

#endif  // UPSERTKIT_DDL_CODEGEN_HPP
