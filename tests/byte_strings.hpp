// Binary messages spelt in tests: bytes from a list of values, and bytes as hex text.
#ifndef UPSERTKIT_TESTS_BYTE_STRINGS_HPP
#define UPSERTKIT_TESTS_BYTE_STRINGS_HPP

#include <initializer_list>
#include <string>
#include <string_view>

namespace byte_strings {

// {0x04, 0x70} -> "\x04\x70".
inline std::string bytes(std::initializer_list<int> values) {
  std::string out;
  for (int v : values)
    out += static_cast<char>(v);
  return out;
}

// "\x04\x70" -> "04 70".
inline std::string hex(std::string_view data) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  for (char c : data) {
    if (!out.empty()) out += ' ';
    out += digits[static_cast<unsigned char>(c) >> 4];
    out += digits[static_cast<unsigned char>(c) & 0xF];
  }
  return out;
}

}  // namespace byte_strings

#endif  // UPSERTKIT_TESTS_BYTE_STRINGS_HPP
