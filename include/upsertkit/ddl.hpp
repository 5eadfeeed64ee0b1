// upsertkit: reading a Flink `CREATE TABLE name (...) WITH (...)` statement at run time, and
// checking it against a compiled table.
//
//   upsertkit::ddl::table_definition t = upsertkit::ddl::parse_create_table(sql);
//   upsertkit::ddl::check<orders::table>(t, "Order");   // throws config_error listing mismatches
//   auto options = upsertkit::parse_upsert_kafka_options(t.options);  // options.hpp
//
// The grammar is Flink's (flink-sql-parser `SqlCreateTable`), as far as a table definition goes:
// `--` and `/* */` comments; backquoted identifiers (`` doubles a backquote); case-insensitive
// keywords; CREATE [TEMPORARY] TABLE [IF NOT EXISTS] [catalog.][db.]name; physical columns with
// NULL / NOT NULL / PRIMARY KEY NOT ENFORCED / COMMENT; metadata columns
// `x TYPE METADATA [FROM 'key'] [VIRTUAL]`; computed columns `x AS expr`; `[CONSTRAINT n]
// PRIMARY KEY (a, b) NOT ENFORCED`; `WATERMARK FOR c AS expr`; COMMENT '...'; PARTITIONED BY
// (...); and WITH ('key' = 'value', ...) whose string literals escape a quote as ''. Nested
// types as Flink 1.20's parser takes them: ARRAY<T>, MULTISET<T> (the element without postfix
// types), the postfix `T [NOT NULL] ARRAY` / `MULTISET`, MAP<K, V>, ROW<a T, b T 'comment'>
// and ROW(a T, ...), each part with NULL / NOT NULL, nested in any way.
#ifndef UPSERTKIT_DDL_HPP
#define UPSERTKIT_DDL_HPP

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "error.hpp"
#include "option_map.hpp"
#include "schema.hpp"
#include "types.hpp"

namespace upsertkit::ddl {

/// The WITH options (option_map.hpp).
using upsertkit::option_map;

enum class column_kind : std::uint8_t { physical, metadata, computed };

/// A type, or a part of a nested one: an ARRAY's or MULTISET's element, a MAP's key or value,
/// a ROW's field. A column's own type is `column::type_tree()`.
struct data_type {
  /// Normalized, as Flink resolves it: `INT`, `DECIMAL(10, 2)`, `ARRAY<INT NOT NULL>`,
  /// `MAP<STRING, ARRAY<BIGINT>>`, `ROW<street STRING, zip INT>` (a field name that is no plain
  /// identifier backquoted). Without the part's own NOT NULL, which is `not_null`.
  std::string text;
  /// The type when upsertkit has it. ARRAY, MAP, MULTISET and ROW are set whatever their parts
  /// are: `supported()` says whether upsertkit has every part.
  std::optional<sql_type> type;
  int precision = -1;  // DECIMAL, TIME, TIMESTAMP, TIMESTAMP_LTZ precision
  int scale = -1;      // DECIMAL scale
  /// NOT NULL as Flink resolves it. A field of a nullable ROW is nullable whatever it declares
  /// (Flink 1.20 derives `ROW<x INT NOT NULL>` as `ROW<x INT>` unless the ROW is NOT NULL);
  /// `declared_not_null` keeps what was written.
  bool not_null = false;
  bool declared_not_null = false;
  std::string name;     // a ROW field's name (of a column's type_tree(): the column's)
  std::string comment;  // a ROW field's comment (`ROW<a INT 'comment'>`)
  /// ARRAY, MULTISET: the element; MAP: the key and the value; ROW: the fields. Else empty.
  std::vector<data_type> children;

  /// Whether upsertkit has this type and every part of it.
  bool supported() const {
    if (!type.has_value()) return false;
    for (const data_type& child : children)
      if (!child.supported()) return false;
    return true;
  }
};

/// One column of a CREATE TABLE statement.
struct column {
  std::string name;
  column_kind kind = column_kind::physical;
  /// The type as written, normalized: upper-case keywords, `DECIMAL(10, 2)`, `TIMESTAMP(3)`,
  /// `ARRAY<INT NOT NULL>` (data_type::text). Empty for a computed column.
  std::string type_text;
  /// The type when upsertkit has it (DECIMAL: see precision/scale; TIME, TIMESTAMP and
  /// TIMESTAMP_LTZ: see precision; ARRAY, MAP, MULTISET, ROW: see children).
  std::optional<sql_type> type;
  int precision = -1;  // DECIMAL, TIME, TIMESTAMP, TIMESTAMP_LTZ precision
  int scale = -1;      // DECIMAL scale
  /// The parts of a nested type (data_type::children): ARRAY, MULTISET: the element; MAP: the
  /// key and the value; ROW: the fields. Empty for other types.
  std::vector<data_type> children;
  bool not_null = false;       // NOT NULL, or a PRIMARY KEY column (implicitly NOT NULL)
  bool declared_null = false;  // an explicit NULL
  std::string metadata_key;    // METADATA [FROM 'key'] (the column name when FROM is absent)
  bool is_virtual = false;     // METADATA ... VIRTUAL
  std::string expression;      // AS expr (computed column)
  std::string comment;

  /// The column's type as a data_type (its NOT NULL included), to walk nested types.
  data_type type_tree() const {
    data_type t;
    t.text = type_text;
    t.type = type;
    t.precision = precision;
    t.scale = scale;
    t.not_null = not_null;
    t.declared_not_null = not_null;
    t.name = name;
    t.children = children;
    return t;
  }
};

/// A parsed CREATE TABLE statement.
struct table_definition {
  std::string name;  // as written, qualified parts joined by '.'
  std::vector<column> columns;
  std::vector<std::string> primary_key;  // PRIMARY KEY columns in declaration order
  std::string primary_key_name;          // CONSTRAINT name, if given
  std::string watermark_column;
  std::string watermark_expression;
  std::string comment;
  option_map options;  // WITH ('k' = 'v', ...)

  const column* find(std::string_view column_name) const {
    for (const column& c : columns)
      if (c.name == column_name) return &c;
    return nullptr;
  }
  /// The physical columns (what a struct holds), in order.
  std::vector<const column*> physical_columns() const {
    std::vector<const column*> out;
    for (const column& c : columns)
      if (c.kind == column_kind::physical) out.push_back(&c);
    return out;
  }
};

/// A statement that is not valid DDL. The message starts with "line L, column C: ".
class ddl_error : public config_error {
 public:
  using config_error::config_error;
};

namespace detail {

inline char upper(char c) noexcept {
  return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
}

inline bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (upper(a[i]) != upper(b[i])) return false;
  return true;
}

enum class token_kind : std::uint8_t { end, word, quoted_identifier, string, number, symbol };

struct token {
  token_kind kind = token_kind::end;
  std::string text;       // identifier / unescaped string / number / symbol
  std::size_t begin = 0;  // offset in the source
  std::size_t end = 0;
};

class lexer {
 public:
  /// Lexes source[begin, end); token offsets count from the start of `source`.
  lexer(std::string_view source, std::size_t begin, std::size_t end)
      : source_(source.substr(0, end)), pos_(begin) {}
  explicit lexer(std::string_view source) : lexer(source, 0, source.size()) {}

  std::vector<token> tokens() {
    std::vector<token> out;
    for (;;) {
      skip_space_and_comments();
      token t;
      t.begin = pos_;
      if (pos_ == source_.size()) {
        t.end = pos_;
        out.push_back(t);
        return out;
      }
      const char c = source_[pos_];
      if (is_word_start(c)) {
        t.kind = token_kind::word;
        while (pos_ < source_.size() && is_word_char(source_[pos_]))
          ++pos_;
        t.text = std::string(source_.substr(t.begin, pos_ - t.begin));
      } else if (c == '`') {
        t.kind = token_kind::quoted_identifier;
        t.text = quoted('`', "backquoted identifier");
      } else if (c == '\'') {
        t.kind = token_kind::string;
        t.text = quoted('\'', "string literal");
      } else if (c >= '0' && c <= '9') {
        t.kind = token_kind::number;
        while (pos_ < source_.size() &&
               ((source_[pos_] >= '0' && source_[pos_] <= '9') || source_[pos_] == '.'))
          ++pos_;
        t.text = std::string(source_.substr(t.begin, pos_ - t.begin));
      } else {
        t.kind = token_kind::symbol;
        ++pos_;
        t.text = std::string(1, c);
      }
      t.end = pos_;
      out.push_back(std::move(t));
    }
  }

  static std::string where(std::string_view source, std::size_t offset) {
    std::size_t line = 1, column = 1;
    for (std::size_t i = 0; i < offset && i < source.size(); ++i) {
      if (source[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    return "line " + std::to_string(line) + ", column " + std::to_string(column);
  }

 private:
  static bool is_word_start(char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$' ||
           static_cast<unsigned char>(c) >= 0x80;
  }
  static bool is_word_char(char c) noexcept { return is_word_start(c) || (c >= '0' && c <= '9'); }

  [[noreturn]] void fail(std::size_t at, const std::string& message) const {
    throw ddl_error(where(source_, at) + ": " + message);
  }

  void skip_space_and_comments() {
    while (pos_ < source_.size()) {
      const char c = source_[pos_];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
        ++pos_;
      } else if (c == '-' && pos_ + 1 < source_.size() && source_[pos_ + 1] == '-') {
        while (pos_ < source_.size() && source_[pos_] != '\n')
          ++pos_;
      } else if (c == '/' && pos_ + 1 < source_.size() && source_[pos_ + 1] == '*') {
        const std::size_t close = source_.find("*/", pos_ + 2);
        if (close == std::string_view::npos) fail(pos_, "unterminated /* comment");
        pos_ = close + 2;
      } else {
        return;
      }
    }
  }

  // A quoted string or identifier; a doubled quote stands for one.
  std::string quoted(char quote, const char* what) {
    const std::size_t start = pos_++;
    std::string text;
    for (;;) {
      if (pos_ == source_.size()) fail(start, std::string("unterminated ") + what);
      const char c = source_[pos_++];
      if (c == quote) {
        if (pos_ < source_.size() && source_[pos_] == quote) {
          text += quote;
          ++pos_;
          continue;
        }
        return text;
      }
      text += c;
    }
  }

  std::string_view source_;
  std::size_t pos_ = 0;
};

// A ROW field name as the normalized text writes it: backquoted unless a plain identifier.
inline std::string field_text(std::string_view name) {
  bool plain = !name.empty() && !(name[0] >= '0' && name[0] <= '9');
  for (char c : name)
    plain = plain && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '_');
  if (plain) return std::string(name);
  std::string out = "`";
  for (char c : name)
    out += c == '`' ? std::string("``") : std::string(1, c);
  return out + "`";
}

inline std::string part_text(const data_type& part) {
  return part.text + (part.not_null ? " NOT NULL" : "");
}

// The text of a nested type from its parts' (a scalar's text is kept).
inline void render(data_type& t) {
  if (!t.type) return;
  switch (*t.type) {
    case sql_type::array:
    case sql_type::multiset:
      if (t.children.size() == 1)
        t.text = std::string(*t.type == sql_type::array ? "ARRAY<" : "MULTISET<") +
                 part_text(t.children[0]) + ">";
      break;
    case sql_type::map:
      if (t.children.size() == 2)
        t.text = "MAP<" + part_text(t.children[0]) + ", " + part_text(t.children[1]) + ">";
      break;
    case sql_type::row:
      t.text = "ROW<";
      for (std::size_t i = 0; i < t.children.size(); ++i)
        t.text +=
            (i > 0 ? ", " : "") + field_text(t.children[i].name) + " " + part_text(t.children[i]);
      t.text += ">";
      break;
    default:
      break;
  }
}

// Flink derives a nullable ROW's fields as nullable, whatever they declare (Calcite's
// createTypeWithNullability, which FlinkTypeFactory keeps for ROW types): `ROW<x INT NOT
// NULL>` is `ROW<x INT>` unless the ROW is NOT NULL. Elements, keys and values keep theirs.
// Applied once the column's own NOT NULL is known (a PRIMARY KEY makes it NOT NULL).
inline void resolve_nullability(data_type& t) {
  for (data_type& child : t.children) {
    if (t.type == sql_type::row && !t.not_null) child.not_null = false;
    resolve_nullability(child);
  }
  render(t);
}

class parser {
 public:
  parser(std::string_view source, std::vector<token> tokens)
      : source_(source), tokens_(std::move(tokens)) {}

  table_definition create_table() {
    table_definition table;
    expect_keyword("CREATE");
    accept_keyword("TEMPORARY");
    expect_keyword("TABLE");
    if (accept_keyword("IF")) {
      expect_keyword("NOT");
      expect_keyword("EXISTS");
    }
    table.name = identifier("a table name");
    while (accept_symbol(".")) {
      table.name += '.';
      table.name += identifier("a table name");
    }
    expect_symbol("(");
    for (;;) {
      table_element(table);
      if (accept_symbol(",")) continue;
      expect_symbol(")");
      break;
    }
    if (accept_keyword("COMMENT")) table.comment = string_literal();
    if (accept_keyword("PARTITIONED")) {
      expect_keyword("BY");
      expect_symbol("(");
      do
        (void)identifier("a partition column");
      while (accept_symbol(","));
      expect_symbol(")");
    }
    if (peek_keyword("LIKE")) fail(peek(), "CREATE TABLE ... LIKE is not supported");
    if (accept_keyword("WITH")) {
      expect_symbol("(");
      if (!accept_symbol(")")) {
        for (;;) {
          const token& key_token = peek();
          std::string key = string_literal();
          expect_symbol("=");
          std::string value = string_literal();
          if (!table.options.emplace(key, std::move(value)).second)
            fail(key_token, "option '" + key + "' is given twice in WITH");
          if (accept_symbol(",")) continue;
          expect_symbol(")");
          break;
        }
      }
    }
    accept_symbol(";");
    if (peek().kind != token_kind::end)
      fail(peek(), "unexpected '" + peek().text + "' after the CREATE TABLE statement");
    finish(table);
    return table;
  }

 private:
  // ---------------------------------------------------------------------------------------
  // Table elements

  void table_element(table_definition& table) {
    if (peek_keyword("CONSTRAINT") || peek_keyword("PRIMARY")) {
      std::string name;
      if (accept_keyword("CONSTRAINT")) name = identifier("a constraint name");
      const token& at = peek();
      expect_keyword("PRIMARY");
      expect_keyword("KEY");
      if (!table.primary_key.empty()) fail(at, "the table has more than one PRIMARY KEY");
      expect_symbol("(");
      do
        table.primary_key.push_back(identifier("a PRIMARY KEY column"));
      while (accept_symbol(","));
      expect_symbol(")");
      not_enforced();
      table.primary_key_name = name;
      return;
    }
    if (peek_keyword("WATERMARK")) {
      const token& at = next();
      if (!table.watermark_column.empty()) fail(at, "the table has more than one WATERMARK");
      expect_keyword("FOR");
      table.watermark_column = identifier("the WATERMARK column");
      expect_keyword("AS");
      table.watermark_expression = expression();
      return;
    }
    table.columns.push_back(column_definition(table));
  }

  column column_definition(table_definition& table) {
    column c;
    const token& name_token = peek();
    c.name = identifier("a column name");
    for (const column& other : table.columns)
      if (other.name == c.name) fail(name_token, "column '" + c.name + "' is declared twice");
    if (accept_keyword("AS")) {
      c.kind = column_kind::computed;
      c.expression = expression();
      if (accept_keyword("COMMENT")) c.comment = string_literal();
      return c;
    }
    column_type(c);
    for (;;) {
      if (accept_keyword("NOT")) {
        expect_keyword("NULL");
        c.not_null = true;
      } else if (accept_keyword("NULL")) {
        c.declared_null = true;
      } else if (peek_keyword("METADATA")) {
        next();
        c.kind = column_kind::metadata;
        c.metadata_key = accept_keyword("FROM") ? string_literal() : c.name;
        if (accept_keyword("VIRTUAL")) c.is_virtual = true;
      } else if (peek_keyword("CONSTRAINT") || peek_keyword("PRIMARY")) {
        if (accept_keyword("CONSTRAINT")) table.primary_key_name = identifier("a constraint name");
        const token& at = peek();
        expect_keyword("PRIMARY");
        expect_keyword("KEY");
        if (!table.primary_key.empty()) fail(at, "the table has more than one PRIMARY KEY");
        not_enforced();
        table.primary_key.push_back(c.name);
      } else if (accept_keyword("COMMENT")) {
        c.comment = string_literal();
      } else {
        return c;
      }
    }
  }

  void not_enforced() {
    if (accept_keyword("NOT")) {
      expect_keyword("ENFORCED");
      return;
    }
    fail(peek(),
         "Flink doesn't support ENFORCED mode for PRIMARY KEY constraint. ENFORCED/NOT ENFORCED "
         "controls if the constraint checks are performed on the incoming/outgoing data. Flink "
         "does not own the data therefore the only supported mode is the NOT ENFORCED mode");
  }

  // A column's type (Flink's ExtendedDataType without the column's NULL / NOT NULL).
  void column_type(column& c) {
    data_type t = extended_type(c.name);
    c.type_text = std::move(t.text);
    c.type = t.type;
    c.precision = t.precision;
    c.scale = t.scale;
    c.children = std::move(t.children);
  }

  // A type name and any postfix `[NULL | NOT NULL] ARRAY` or `MULTISET` after it, each making
  // the type so far its element: `INT NOT NULL ARRAY` is ARRAY<INT NOT NULL>. The part's own
  // NULL / NOT NULL after that is the caller's.
  data_type extended_type(const std::string& column_name) {
    data_type t = type_name(column_name);
    for (;;) {
      std::size_t nullability = 0;
      if (peek_keyword("NOT") && next_is_keyword(1, "NULL"))
        nullability = 2;
      else if (peek_keyword("NULL"))
        nullability = 1;
      if (!next_is_keyword(nullability, "ARRAY") && !next_is_keyword(nullability, "MULTISET"))
        return t;
      t.not_null = t.declared_not_null = nullability == 2;
      for (std::size_t i = 0; i < nullability; ++i)
        next();
      data_type collection;
      collection.type = iequals(next().text, "ARRAY") ? sql_type::array : sql_type::multiset;
      collection.children.push_back(std::move(t));
      render(collection);
      t = std::move(collection);
    }
  }

  // `[NULL | NOT NULL]` after an element, key, value or field type (default: nullable).
  void part_nullability(data_type& t) {
    if (accept_keyword("NOT")) {
      expect_keyword("NULL");
      t.not_null = t.declared_not_null = true;
    } else {
      accept_keyword("NULL");
    }
  }

  void expect_in_type(std::string_view symbol, const std::string& column_name) {
    if (!accept_symbol(symbol))
      fail(peek(), "expected '" + std::string(symbol) + "' in the type of '" + column_name +
                       "' but found " + describe(peek()));
  }

  // A type name: ARRAY<T>, MULTISET<T>, MAP<K, V>, ROW<...>, ROW(...) or a scalar type.
  data_type type_name(const std::string& column_name) {
    const token& at = peek();
    if (at.kind != token_kind::word)
      fail(at, "expected a data type for column '" + column_name + "'");
    const bool array = iequals(at.text, "ARRAY");
    if (array || iequals(at.text, "MULTISET")) {
      // ARRAY<T [NOT NULL]>: the element is a type name, without postfix ARRAY / MULTISET.
      next();
      if (!peek_symbol("<"))
        fail(peek(), "expected '<' after " + upper_text(at.text) + " in the type of '" +
                         column_name + "' (" + upper_text(at.text) + "<T> or T " +
                         upper_text(at.text) + ") but found " + describe(peek()));
      next();
      data_type t;
      t.type = array ? sql_type::array : sql_type::multiset;
      t.children.push_back(type_name(column_name));
      part_nullability(t.children.back());
      expect_in_type(">", column_name);
      render(t);
      return t;
    }
    if (iequals(at.text, "MAP")) {
      next();
      expect_in_type("<", column_name);
      data_type t;
      t.type = sql_type::map;
      t.children.push_back(extended_type(column_name));
      part_nullability(t.children.back());
      expect_in_type(",", column_name);
      t.children.push_back(extended_type(column_name));
      part_nullability(t.children.back());
      expect_in_type(">", column_name);
      render(t);
      return t;
    }
    if (iequals(at.text, "ROW") && (next_is_symbol(1, "<") || next_is_symbol(1, "("))) {
      next();
      const std::string close = next().text == "<" ? ">" : ")";
      data_type t;
      t.type = sql_type::row;
      if (!accept_symbol(close)) {
        do
          t.children.push_back(row_field(column_name, t.children));
        while (accept_symbol(","));
        expect_in_type(close, column_name);
      }
      render(t);
      return t;
    }
    if (iequals(at.text, "ROW"))
      fail(peek(1), "expected '<' or '(' after ROW in the type of '" + column_name +
                        "' but found " + describe(peek(1)));
    return scalar_type(column_name);
  }

  // `name type [NULL | NOT NULL] ['comment']`, with Flink's checks of the name (RowType).
  data_type row_field(const std::string& column_name, const std::vector<data_type>& before) {
    const token& at = peek();
    if (at.kind != token_kind::word && at.kind != token_kind::quoted_identifier)
      fail(at,
           "expected a field name in the type of '" + column_name + "' but found " + describe(at));
    std::string name = next().text;
    if (name.find_first_not_of(" \t\n\r\f\v") == std::string::npos)
      fail(at, "Field names must contain at least one non-whitespace character.");
    for (const data_type& other : before)
      if (other.name == name)
        fail(at, "Field names must be unique. Found duplicates: [" + name + "]");
    data_type field = extended_type(column_name);
    part_nullability(field);
    field.name = std::move(name);
    if (peek().kind == token_kind::string) field.comment = next().text;
    return field;
  }

  // A scalar type: one or more keywords, optional (p[, s]) or <...>, optional time zone words.
  data_type scalar_type(const std::string& column_name) {
    data_type t;
    std::string base = upper_text(next().text);
    if (base == "DOUBLE" && accept_keyword("PRECISION")) {
    } else if (base == "CHARACTER" && accept_keyword("VARYING")) {
      base = "VARCHAR";
    } else if (base == "BINARY" && accept_keyword("VARYING")) {
      base = "VARBINARY";
    }
    std::vector<int> numbers;
    std::string nested;
    if (accept_symbol("(")) {
      do {
        const token& n = next();
        // Up to 2147483647, Flink's largest length (VARBINARY(2147483647) is BYTES).
        std::int64_t value = 0;
        if (n.kind == token_kind::number && n.text.size() <= 10 &&
            n.text.find('.') == std::string::npos)
          for (char digit : n.text)
            value = value * 10 + (digit - '0');
        if (n.kind != token_kind::number || n.text.size() > 10 ||
            n.text.find('.') != std::string::npos || value > 2147483647)
          fail(n, "expected a length, precision or scale in the type of '" + column_name +
                      "' but found " + describe(n));
        numbers.push_back(static_cast<int>(value));
      } while (accept_symbol(","));
      expect_symbol(")");
    } else if (peek_symbol("<")) {
      const std::size_t begin = peek().begin;
      int depth = 0;
      do {
        const token& part = next();
        if (part.kind == token_kind::end)
          fail(part, "unterminated '<' in the type of '" + column_name + "'");
        if (part.text == "<" && part.kind == token_kind::symbol) ++depth;
        if (part.text == ">" && part.kind == token_kind::symbol) --depth;
      } while (depth > 0);
      nested = collapse_space(source_.substr(begin, tokens_[pos_ - 1].end - begin));
    }
    std::string zone;
    if (peek_keyword("WITH") && next_is_keyword(1, "LOCAL")) {
      next();
      next();
      expect_keyword("TIME");
      expect_keyword("ZONE");
      zone = " WITH LOCAL TIME ZONE";
    } else if (peek_keyword("WITH") && next_is_keyword(1, "TIME")) {
      next();
      next();
      expect_keyword("ZONE");
      zone = " WITH TIME ZONE";
    } else if (accept_keyword("WITHOUT")) {
      expect_keyword("TIME");
      expect_keyword("ZONE");
    }

    // The normalized text and the upsertkit type.
    std::string text = base;
    if (!numbers.empty()) {
      text += '(';
      for (std::size_t i = 0; i < numbers.size(); ++i) {
        if (i > 0) text += ", ";
        text += std::to_string(numbers[i]);
      }
      text += ')';
    }
    text += nested;
    if (base == "STRING" || base == "VARCHAR" || base == "CHAR") {
      t.type = sql_type::string;
    } else if (base == "BYTES" || base == "VARBINARY" || base == "BINARY") {
      t.type = sql_type::bytes;  // any length: upsertkit::bytes does not check it
    } else if (base == "BOOLEAN") {
      t.type = sql_type::boolean;
    } else if (base == "TINYINT") {
      t.type = sql_type::tinyint;
    } else if (base == "SMALLINT") {
      t.type = sql_type::smallint;
    } else if (base == "INT" || base == "INTEGER") {
      t.type = sql_type::integer;
      text = "INT";
    } else if (base == "BIGINT") {
      t.type = sql_type::bigint;
    } else if (base == "FLOAT" || base == "REAL") {
      t.type = sql_type::float_;
      text = "FLOAT";
    } else if (base == "DOUBLE") {
      t.type = sql_type::double_;
      text = "DOUBLE";
    } else if (base == "DECIMAL" || base == "DEC" || base == "NUMERIC") {
      t.precision = numbers.size() > 0 ? numbers[0] : 10;  // Flink's default DECIMAL(10, 0)
      t.scale = numbers.size() > 1 ? numbers[1] : 0;
      text = "DECIMAL(" + std::to_string(t.precision) + ", " + std::to_string(t.scale) + ")";
      // Flink's range: DECIMAL(1..38, 0..p).
      if (t.precision >= 1 && t.precision <= 38 && t.scale <= t.precision)
        t.type = sql_type::decimal;
    } else if (base == "DATE") {
      t.type = sql_type::date;
    } else if (base == "TIME" || base == "TIMESTAMP" || base == "TIMESTAMP_LTZ") {
      // Flink's default precisions: TIME(0), TIMESTAMP(6), TIMESTAMP_LTZ(6).
      t.precision = numbers.empty() ? (base == "TIME" ? 0 : 6) : numbers[0];
      text = base + "(" + std::to_string(t.precision) + ")";
      const bool valid = numbers.size() <= 1 && t.precision <= 9;
      if (base == "TIME" && zone.empty() && valid)
        t.type = sql_type::time;
      else if (base == "TIMESTAMP" && zone.empty() && valid)
        t.type = sql_type::timestamp;
      else if ((base == "TIMESTAMP_LTZ" && zone.empty()) ||
               (base == "TIMESTAMP" && zone == " WITH LOCAL TIME ZONE"))
        t.type = valid ? std::optional(sql_type::timestamp_ltz) : std::nullopt;
    }
    t.text = text + zone;
    return t;
  }

  // An expression up to the next ',' or ')' outside parentheses, as written.
  std::string expression() {
    const std::size_t begin = peek().begin;
    std::size_t end = begin;
    int depth = 0;
    for (;;) {
      const token& t = peek();
      if (t.kind == token_kind::end) fail(t, "unexpected end of the statement in an expression");
      if (t.kind == token_kind::symbol) {
        if (t.text == "(") ++depth;
        if (t.text == ")") {
          if (depth == 0) break;
          --depth;
        }
        if (t.text == "," && depth == 0) break;
      }
      if (depth == 0 && t.kind == token_kind::word && iequals(t.text, "COMMENT")) break;
      end = next().end;
    }
    if (end == begin) fail(peek(), "expected an expression");
    return collapse_space(source_.substr(begin, end - begin));
  }

  void finish(table_definition& table) {
    for (const std::string& key : table.primary_key) {
      column* c = nullptr;
      for (column& candidate : table.columns)
        if (candidate.name == key) c = &candidate;
      if (c == nullptr)
        throw ddl_error("Invalid primary key. Column '" + key + "' does not exist.");
      if (c->kind != column_kind::physical)
        throw ddl_error("Invalid primary key. Column '" + key + "' is not a physical column.");
      if (c->declared_null)
        throw ddl_error("Invalid primary key. Column '" + key + "' is nullable.");
      c->not_null = true;  // PRIMARY KEY columns are NOT NULL
    }
    for (std::size_t i = 0; i < table.primary_key.size(); ++i)
      for (std::size_t j = i + 1; j < table.primary_key.size(); ++j)
        if (table.primary_key[i] == table.primary_key[j])
          throw ddl_error("Invalid primary key. Column '" + table.primary_key[i] +
                          "' appears twice.");
    if (!table.watermark_column.empty() && table.find(table.watermark_column) == nullptr)
      throw ddl_error("The rowtime attribute field '" + table.watermark_column +
                      "' is not defined in the table schema");
    for (column& c : table.columns) {
      if (c.children.empty()) continue;
      data_type t = c.type_tree();
      resolve_nullability(t);
      c.type_text = std::move(t.text);
      c.children = std::move(t.children);
    }
  }

  // ---------------------------------------------------------------------------------------
  // Tokens

  const token& peek(std::size_t ahead = 0) const {
    const std::size_t at = pos_ + ahead;
    return at < tokens_.size() ? tokens_[at] : tokens_.back();
  }
  const token& next() {
    const token& t = peek();
    if (pos_ < tokens_.size() - 1) ++pos_;
    return t;
  }
  bool peek_keyword(std::string_view keyword) const {
    return peek().kind == token_kind::word && iequals(peek().text, keyword);
  }
  bool next_is_keyword(std::size_t ahead, std::string_view keyword) const {
    return peek(ahead).kind == token_kind::word && iequals(peek(ahead).text, keyword);
  }
  bool accept_keyword(std::string_view keyword) {
    if (!peek_keyword(keyword)) return false;
    next();
    return true;
  }
  void expect_keyword(std::string_view keyword) {
    if (!accept_keyword(keyword))
      fail(peek(), "expected " + std::string(keyword) + " but found " + describe(peek()));
  }
  bool peek_symbol(std::string_view symbol) const {
    return peek().kind == token_kind::symbol && peek().text == symbol;
  }
  bool next_is_symbol(std::size_t ahead, std::string_view symbol) const {
    return peek(ahead).kind == token_kind::symbol && peek(ahead).text == symbol;
  }
  bool accept_symbol(std::string_view symbol) {
    if (!peek_symbol(symbol)) return false;
    next();
    return true;
  }
  void expect_symbol(std::string_view symbol) {
    if (!accept_symbol(symbol))
      fail(peek(), "expected '" + std::string(symbol) + "' but found " + describe(peek()));
  }
  std::string identifier(const char* what) {
    const token& t = peek();
    if (t.kind != token_kind::word && t.kind != token_kind::quoted_identifier)
      fail(t, std::string("expected ") + what + " but found " + describe(t));
    return next().text;
  }
  std::string string_literal() {
    const token& t = peek();
    if (t.kind != token_kind::string)
      fail(t, "expected a string literal ('...') but found " + describe(t));
    return next().text;
  }

  static std::string describe(const token& t) {
    switch (t.kind) {
      case token_kind::end:
        return "the end of the statement";
      case token_kind::string:
        return "'" + t.text + "'";
      case token_kind::quoted_identifier:
        return "`" + t.text + "`";
      default:
        return "'" + t.text + "'";
    }
  }

  [[noreturn]] void fail(const token& at, const std::string& message) const {
    throw ddl_error(lexer::where(source_, at.begin) + ": " + message);
  }

  static std::string upper_text(std::string_view text) {
    std::string out(text);
    for (char& c : out)
      c = upper(c);
    return out;
  }

  // Source text with every run of white space (and comments' line breaks) as one space.
  static std::string collapse_space(std::string_view text) {
    std::string out;
    bool space = false;
    for (char c : text) {
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        space = true;
        continue;
      }
      if (space && !out.empty()) out += ' ';
      space = false;
      out += c;
    }
    return out;
  }

  std::string_view source_;
  std::vector<token> tokens_;
  std::size_t pos_ = 0;
};

// Splits a script at the `;` that end statements (not inside strings, identifiers, comments).
inline std::vector<std::pair<std::size_t, std::string_view>> split_statements(
    std::string_view script) {
  std::vector<std::pair<std::size_t, std::string_view>> out;
  std::size_t start = 0;
  std::size_t i = 0;
  auto push = [&](std::size_t end) {
    const std::string_view text = script.substr(start, end - start);
    if (text.find_first_not_of(" \t\r\n") != std::string_view::npos) out.emplace_back(start, text);
  };
  while (i < script.size()) {
    const char c = script[i];
    if (c == '\'' || c == '`') {
      ++i;
      while (i < script.size()) {
        if (script[i] == c) {
          if (i + 1 < script.size() && script[i + 1] == c) {
            i += 2;
            continue;
          }
          break;
        }
        ++i;
      }
      ++i;
    } else if (c == '-' && i + 1 < script.size() && script[i + 1] == '-') {
      while (i < script.size() && script[i] != '\n')
        ++i;
    } else if (c == '/' && i + 1 < script.size() && script[i + 1] == '*') {
      const std::size_t close = script.find("*/", i + 2);
      i = close == std::string_view::npos ? script.size() : close + 2;
    } else if (c == ';') {
      push(i);
      start = ++i;
    } else {
      ++i;
    }
  }
  push(std::min(i, script.size()));
  return out;
}

}  // namespace detail

/// Parses one `CREATE TABLE` statement (a trailing `;` is allowed). Throws ddl_error.
inline table_definition parse_create_table(std::string_view statement) {
  detail::lexer lex(statement);
  detail::parser p(statement, lex.tokens());
  return p.create_table();
}

/// Parses every `CREATE [TEMPORARY] TABLE` statement of a script, in order, skipping the
/// other statements (INSERT INTO, SET, CREATE VIEW/FUNCTION, ...). Error positions count in
/// the script. Throws ddl_error.
inline std::vector<table_definition> parse_script(std::string_view script) {
  std::vector<table_definition> tables;
  for (const auto& [offset, text] : detail::split_statements(script)) {
    std::vector<detail::token> tokens =
        detail::lexer(script, offset, offset + text.size()).tokens();
    auto keyword = [&](std::size_t i, std::string_view word) {
      return i < tokens.size() && tokens[i].kind == detail::token_kind::word &&
             detail::iequals(tokens[i].text, word);
    };
    if (!keyword(0, "CREATE")) continue;
    if (!keyword(keyword(1, "TEMPORARY") ? 2 : 1, "TABLE")) continue;
    detail::parser p(script, std::move(tokens));
    tables.push_back(p.create_table());
  }
  return tables;
}

// -------------------------------------------------------------------------------------------
// Checking a definition against a compiled table

namespace detail {

template <class T>
std::string type_name();

/// The C++ spelling of a member type, for messages.
template <class Member>
std::string cpp_type_name() {
  using traits = column_traits<Member>;
  using V = typename traits::value_type;
  std::string name;
  if constexpr (traits::type == sql_type::array)
    name = "std::vector<" + cpp_type_name<typename V::value_type>() + ">";
  else if constexpr (traits::type == sql_type::map)
    name = "std::map<" + cpp_type_name<typename V::key_type>() + ", " +
           cpp_type_name<typename V::mapped_type>() + ">";
  else if constexpr (traits::type == sql_type::multiset)
    name = "upsertkit::multiset<" + cpp_type_name<typename V::element_type>() + ">";
  else if constexpr (traits::type == sql_type::row)
    name = type_name<V>();
  else if constexpr (std::is_same_v<V, std::string>)
    name = "std::string";
  else if constexpr (std::is_same_v<V, std::string_view>)
    name = "std::string_view";
  else if constexpr (std::is_same_v<V, bool>)
    name = "bool";
  else if constexpr (std::is_same_v<V, std::int8_t>)
    name = "std::int8_t";
  else if constexpr (std::is_same_v<V, std::int16_t>)
    name = "std::int16_t";
  else if constexpr (std::is_same_v<V, std::int32_t>)
    name = "std::int32_t";
  else if constexpr (std::is_same_v<V, std::int64_t>)
    name = "std::int64_t";
  else if constexpr (std::is_same_v<V, float>)
    name = "float";
  else if constexpr (std::is_same_v<V, double>)
    name = "double";
  else if constexpr (traits::type == sql_type::decimal)
    name = "upsertkit::decimal<" + std::to_string(V::precision) + ", " + std::to_string(V::scale) +
           ">";
  else if constexpr (std::is_same_v<V, date>)
    name = "upsertkit::date";
  else if constexpr (std::is_same_v<V, timestamp>)
    name = "upsertkit::timestamp";
  else if constexpr (traits::type == sql_type::timestamp)
    name = "upsertkit::local_timestamp<" + std::to_string(traits::precision) + ">";
  else if constexpr (traits::type == sql_type::timestamp_ltz)
    name = "upsertkit::timestamp_ltz<" + std::to_string(traits::precision) + ">";
  else if constexpr (traits::type == sql_type::time)
    name = "upsertkit::time_of_day<" + std::to_string(traits::precision) + ">";
  else if constexpr (std::is_same_v<V, bytes>)
    name = "upsertkit::bytes";
  if constexpr (traits::nullable) name = "std::optional<" + name + ">";
  return name;
}

/// The name of a type as the compiler spells it (`orders::Order`), from __PRETTY_FUNCTION__.
template <class T>
std::string type_name() {
  const std::string_view pretty = __PRETTY_FUNCTION__;
  const std::size_t at = pretty.find("T = ");
  if (at == std::string_view::npos) return "the struct";
  std::size_t end = pretty.find_first_of(";]", at);
  if (end == std::string_view::npos) end = pretty.size();
  return std::string(pretty.substr(at + 4, end - at - 4));
}

// The messages of ddl::check are built by appending, not by chains of operator+: g++ 12 at -O3
// reports a false -Wrestrict inside libstdc++'s operator+(const char*, std::string&&) once it is
// inlined into the ROW paths below (GCC bug 105329), which -Werror turns into a failed build.
inline std::string concat(std::initializer_list<std::string_view> parts) {
  std::size_t size = 0;
  for (std::string_view part : parts)
    size += part.size();
  std::string out;
  out.reserve(size);
  for (std::string_view part : parts)
    out.append(part);
  return out;
}

inline std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& name : names) {
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

// Whether a DDL type and a member's value type are the same at this level: the same SQL type
// with the same DECIMAL precision and scale or temporal precision (the parts are compared one
// by one after this).
template <class Member>
bool same_type(const data_type& t) {
  using traits = column_traits<Member>;
  using V = typename traits::value_type;
  if (!t.type.has_value() || *t.type != traits::type) return false;
  if constexpr (traits::type == sql_type::decimal)
    return t.precision == V::precision && t.scale == V::scale;
  else if constexpr (traits::precision >= 0)
    return t.precision == traits::precision;
  else
    return true;
}

// Where a mismatch is: the column, the struct, the messages.
struct check_context {
  const std::string& column;
  const std::string& struct_name;
  std::vector<std::string>& out;

  void add(const std::string& path, const std::string& problem) const {
    out.push_back(concat({"column '", column, "': ", path, " ", problem}));
  }
};

// A path inside a column: `home.geo.lat`, `tags[]`, `groups[key]`, `groups[value][]`.
inline std::string field_path(const std::string& path, std::string_view field) {
  return concat({path, ".", field_text(field)});
}

template <class V>
void compare_parts(const data_type& t, const std::string& path, const check_context& context,
                   const std::string& nullable_row);

// One part of a nested column (an element, key, value or field) against its member type.
// `is_key`: a MAP key or MULTISET element, NOT NULL in C++ whatever the DDL says (no format
// carries a null one; docs/schema.md). `nullable_row`, for a field: the ROW whose NOT NULL
// would keep the field's (the innermost around it declared nullable).
template <class Member>
void compare_part(const data_type& t, const std::string& path, bool is_key,
                  const check_context& context, const std::string* nullable_row = nullptr) {
  using traits = column_traits<Member>;
  const std::string cpp = cpp_type_name<Member>();
  if (!same_type<Member>(t)) {
    context.add(path, concat({"is ", t.text, " in the DDL but `", cpp, "` (",
                              upsertkit::detail::sql_type_text<Member>(), ") in struct ",
                              context.struct_name}));
    return;
  }
  if (t.not_null && traits::nullable)
    context.add(path, concat({"is NOT NULL in the DDL but nullable (`", cpp, "`) in struct ",
                              context.struct_name}));
  if (!t.not_null && !traits::nullable && !is_key) {
    if (t.declared_not_null && nullable_row != nullptr)
      context.add(path,
                  concat({"is nullable in Flink (declared NOT NULL, but the fields of a "
                          "nullable ROW are nullable) but NOT NULL (`",
                          cpp, "`) in struct ", context.struct_name,
                          ": make it std::optional, or declare ", *nullable_row, " NOT NULL"}));
    else
      context.add(path,
                  concat({"is nullable in the DDL but NOT NULL (`", cpp, "`) in struct ",
                          context.struct_name, ": make it std::optional, or declare it NOT NULL"}));
  }
  // For t's fields, the ROW to declare NOT NULL is t; or, when t is declared NOT NULL already
  // and nullable only as a field of a nullable ROW, that ROW's.
  compare_parts<typename traits::value_type>(
      t, path, context, t.declared_not_null && nullable_row != nullptr ? *nullable_row : path);
}

// The parts of a nested type whose own type agrees with V's.
template <class V>
void compare_parts(const data_type& t, const std::string& path, const check_context& context,
                   const std::string& nullable_row) {
  if constexpr (upsertkit::detail::is_vector<V>) {
    if (t.children.size() == 1)
      compare_part<typename V::value_type>(t.children[0], concat({path, "[]"}), false, context);
  } else if constexpr (upsertkit::detail::is_multiset<V>) {
    if (t.children.size() == 1)
      compare_part<typename V::element_type>(t.children[0], concat({path, "[]"}), true, context);
  } else if constexpr (upsertkit::detail::is_map<V>) {
    if (t.children.size() == 2) {
      compare_part<typename V::key_type>(t.children[0], concat({path, "[key]"}), true, context);
      compare_part<typename V::mapped_type>(t.children[1], concat({path, "[value]"}), false,
                                            context);
    }
  } else if constexpr (upsertkit::detail::is_row<V>) {
    using fields = struct_fields<V>;
    const auto find = [&](std::string_view name) -> const data_type* {
      for (const data_type& field : t.children)
        if (field.name == name) return &field;
      return nullptr;
    };
    const std::string row_name = type_name<V>();
    for_each_field<V>([&](auto index) {
      constexpr std::size_t i = decltype(index)::value;
      // A copy, not a view of the constant: g++ 12 at -O1 with ASan took the constant's
      // storage for a one-byte array and failed the build (-Wstringop-overread).
      const std::string name(fields::names[i]);
      if (const data_type* field = find(name))
        compare_part<typename fields::template member_type<i>>(*field, field_path(path, name),
                                                               false, context, &nullable_row);
      else
        context.add(field_path(path, name),
                    concat({"is a field of struct ", row_name, " but not in the DDL"}));
    });
    std::vector<std::string> ddl_order, struct_order;
    for (const data_type& field : t.children) {
      if (fields::index_of(field.name) == npos)
        context.add(field_path(path, field.name),
                    concat({"(", part_text(field), ") is in the DDL but not a field of struct ",
                            row_name}));
      else
        ddl_order.push_back(field.name);
    }
    for (std::string_view name : fields::names)
      if (find(name) != nullptr) struct_order.emplace_back(name);
    if (ddl_order != struct_order)
      context.add(path, concat({"has its fields in another order: (", join(ddl_order),
                                ") in the DDL, (", join(struct_order), ") in struct ", row_name,
                                "; a ROW's fields are positional"}));
  }
}

}  // namespace detail

/// Every difference between `table` and the compiled `Table`, one message each (empty when
/// they agree). Only physical columns are compared; metadata and computed columns have no
/// member. Nested types are compared part by part (elements, keys, values, ROW fields with
/// their names and order, nullability as Flink resolves it), a message naming the path of the
/// part (`column 'home': home.geo.lat is ...`). MAP keys and MULTISET elements are NOT NULL in
/// C++, whatever the DDL says. `struct_name` names the struct in messages (default: the
/// compiler's name for it).
template <class Table>
std::vector<std::string> mismatches(const table_definition& table, std::string struct_name = "") {
  if (struct_name.empty()) struct_name = detail::type_name<typename Table::row_type>();
  std::vector<std::string> out;
  const std::vector<const column*> physical = table.physical_columns();

  for (std::size_t i = 0; i < Table::column_count; ++i) {
    const std::string_view name = Table::column_names[i];
    const column* c = table.find(name);
    if (c == nullptr) {
      out.push_back("column '" + std::string(name) + "' is in struct " + struct_name +
                    " but not in the DDL");
      continue;
    }
    visit_column<Table>(i, [&](auto index) {
      using member = typename Table::template member_type<decltype(index)::value>;
      using traits = column_traits<member>;
      using V = typename traits::value_type;
      const std::string cpp = detail::cpp_type_name<member>();
      if (c->kind != column_kind::physical) {
        out.push_back("column '" + c->name + "' is a " +
                      (c->kind == column_kind::metadata ? "metadata" : "computed") +
                      " column in the DDL but a member (`" + cpp + "`) of struct " + struct_name);
        return;
      }
      const data_type tree = c->type_tree();
      if (!detail::same_type<member>(tree)) {
        out.push_back("column '" + c->name + "' is " + c->type_text + " in the DDL but `" + cpp +
                      "` (" + upsertkit::detail::sql_type_text<member>() + ") in struct " +
                      struct_name);
        return;
      }
      if (c->not_null && traits::nullable)
        out.push_back("column '" + c->name + "' is NOT NULL in the DDL but nullable (`" + cpp +
                      "`) in struct " + struct_name);
      if (!c->not_null && !traits::nullable)
        out.push_back("column '" + c->name + "' is nullable in the DDL but NOT NULL (`" + cpp +
                      "`) in struct " + struct_name + ": make it std::optional, or declare it " +
                      "NOT NULL");
      const std::string root = detail::field_text(c->name);
      detail::compare_parts<V>(tree, root, detail::check_context{c->name, struct_name, out}, root);
    });
  }
  for (const column* c : physical)
    if (Table::fields::index_of(c->name) == npos)
      out.push_back("column '" + c->name + "' (" + c->type_text +
                    ") is in the DDL but not in struct " + struct_name);

  // Column order matters to positional formats (csv, avro).
  std::vector<std::string> ddl_order, struct_order;
  for (const column* c : physical)
    if (Table::fields::index_of(c->name) != npos) ddl_order.push_back(c->name);
  for (std::string_view name : Table::column_names)
    if (table.find(name) != nullptr && table.find(name)->kind == column_kind::physical)
      struct_order.emplace_back(name);
  if (ddl_order != struct_order)
    out.push_back("the columns are in another order: (" + detail::join(ddl_order) +
                  ") in the DDL, (" + detail::join(struct_order) + ") in struct " + struct_name +
                  "; csv and avro messages are positional");

  std::vector<std::string> struct_key;
  for (std::size_t column : Table::key_columns)
    struct_key.emplace_back(Table::column_names[column]);
  if (table.primary_key == struct_key) {
    // the same key, or neither has one (a plain `kafka` table: table<S, no_primary_key>)
  } else if (table.primary_key.empty()) {
    out.push_back("the DDL declares no PRIMARY KEY but struct " + struct_name +
                  " has PRIMARY KEY (" + detail::join(struct_key) + ")");
  } else if (struct_key.empty()) {
    out.push_back("the DDL has PRIMARY KEY (" + detail::join(table.primary_key) +
                  ") but the table type of struct " + struct_name + " has none (no_primary_key)");
  } else {
    out.push_back("the DDL has PRIMARY KEY (" + detail::join(table.primary_key) + ") but struct " +
                  struct_name + " has PRIMARY KEY (" + detail::join(struct_key) +
                  ") (the order is the key format's field order)");
  }
  return out;
}

/// Throws config_error listing every mismatch (one per line) unless `table` matches `Table`.
template <class Table>
void check(const table_definition& table, std::string struct_name = "") {
  std::vector<std::string> problems = mismatches<Table>(table, std::move(struct_name));
  if (problems.empty()) return;
  std::string text = "the DDL of table '" + table.name + "' does not match the compiled table:";
  for (const std::string& problem : problems)
    text += "\n  " + problem;
  throw config_error(text);
}

}  // namespace upsertkit::ddl

#endif  // UPSERTKIT_DDL_HPP
