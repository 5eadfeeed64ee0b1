// upsertkit: the definitions of csv_options.hpp's functions, inline in that header or compiled
// once under UPSERTKIT_SEPARATE_COMPILATION (separate_compilation.hpp).
#ifdef UPSERTKIT_SEPARATE_COMPILATION
#define UPSERTKIT_INLINE
#else
#define UPSERTKIT_INLINE inline
#endif

namespace upsertkit::csv {

namespace detail {

UPSERTKIT_INLINE bool is_octal(char c) {
  return c >= '0' && c <= '7';
}

UPSERTKIT_INLINE int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

UPSERTKIT_INLINE std::optional<std::string> unescape_java(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\') {
      out += text[i];
      continue;
    }
    if (++i == text.size()) break;  // a lone trailing backslash is dropped
    const char c = text[i];
    switch (c) {
      case 'b':
        out += '\b';
        break;
      case 't':
        out += '\t';
        break;
      case 'n':
        out += '\n';
        break;
      case 'f':
        out += '\f';
        break;
      case 'r':
        out += '\r';
        break;
      case 'u': {
        while (i + 1 < text.size() && text[i + 1] == 'u')
          ++i;
        if (i + 1 < text.size() && text[i + 1] == '+') ++i;
        int code = 0;
        for (int d = 0; d < 4; ++d) {
          const int h = i + 1 < text.size() ? hex_value(text[++i]) : -1;
          if (h < 0) return std::nullopt;
          code = code * 16 + h;
        }
        if (code >= 0x80) return std::nullopt;  // not one byte in UTF-8
        out += static_cast<char>(code);
        break;
      }
      default:
        if (is_octal(c)) {
          // Up to three octal digits when the first is 0..3, else up to two (OctalUnescaper).
          int code = c - '0';
          const std::size_t max_digits = c <= '3' ? 3 : 2;
          for (std::size_t d = 1; d < max_digits && i + 1 < text.size() && is_octal(text[i + 1]);
               ++d)
            code = code * 8 + (text[++i] - '0');
          if (code >= 0x80) return std::nullopt;
          out += static_cast<char>(code);
        } else {
          out += c;  // `\\`, `\"`, `\'` and any other `\x` become the character itself
        }
    }
  }
  return out;
}

}  // namespace detail

UPSERTKIT_INLINE options parse_options(const option_map& format_options) {
  options result;
  auto find = [&](std::string_view key) -> const std::string* {
    auto it = format_options.find(key);
    return it == format_options.end() ? nullptr : &it->second;
  };
  auto read_bool = [&](std::string_view key, bool& target) {
    const std::string* value = find(key);
    if (!value) return;
    if (text::equals_ignore_case(*value, "true")) {
      target = true;
    } else if (text::equals_ignore_case(*value, "false")) {
      target = false;
    } else {
      throw config_error("Invalid value for option 'csv." + std::string(key) +
                         "'. Unrecognized option for boolean: " + *value +
                         ". Expected either true or false(case insensitive)");
    }
  };
  read_bool("disable-quote-character", result.disable_quote_character);
  read_bool("allow-comments", result.allow_comments);
  read_bool("ignore-parse-errors", result.ignore_parse_errors);
  read_bool("write-bigdecimal-in-scientific-notation",
            result.write_bigdecimal_in_scientific_notation);

  if (result.disable_quote_character && find("quote-character"))
    throw config_error(
        "Format cannot define a quote character and disabled quote character at the same time.");

  // Flink counts UTF-16 chars; we need one byte, so a non-ASCII character is refused too.
  auto single_char = [&](std::string_view key, bool unescape) -> std::optional<char> {
    const std::string* value = find(key);
    if (!value) return std::nullopt;
    std::optional<std::string> text =
        unescape ? detail::unescape_java(*value) : std::optional<std::string>(*value);
    if (!text || text->size() != 1 || static_cast<unsigned char>((*text)[0]) >= 0x80)
      throw config_error("Option 'csv." + std::string(key) +
                         "' must be a string with single character, but was: " + *value);
    return (*text)[0];
  };
  if (auto c = single_char("field-delimiter", true)) result.field_delimiter = *c;
  if (auto c = single_char("array-element-delimiter", false))
    result.array_element_delimiter.assign(1, *c);
  if (auto c = single_char("quote-character", false)) result.quote_character = *c;
  if (auto c = single_char("escape-character", false)) result.escape_character = *c;
  if (const std::string* value = find("null-literal")) result.null_literal = *value;

  std::string unsupported;
  for (const auto& [key, value] : format_options) {
    if (std::find(std::begin(detail::option_keys), std::end(detail::option_keys), key) !=
        std::end(detail::option_keys))
      continue;
    if (!unsupported.empty()) unsupported += '\n';
    unsupported += key;
  }
  if (!unsupported.empty()) {
    std::string supported;
    for (std::string_view key : detail::option_keys) {
      if (!supported.empty()) supported += '\n';
      supported += key;
    }
    throw config_error("Unsupported options found for 'csv'.\n\nUnsupported options:\n\n" +
                       unsupported + "\n\nSupported options:\n\n" + supported);
  }
  return result;
}

}  // namespace upsertkit::csv

#undef UPSERTKIT_INLINE
