// Binary messages in tests: bytes from a list of values, bytes as hex text, and a message in a
// heap block of exactly its size.
#ifndef UPSERTKIT_TESTS_BYTE_STRINGS_HPP
#define UPSERTKIT_TESTS_BYTE_STRINGS_HPP

#include <cstddef>
#include <cstring>
#include <initializer_list>
#include <memory>
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

// The message in a heap block of exactly its size, so ASan sees any read past its end.
struct exact_buffer {
  explicit exact_buffer(std::string_view data)
      : size(data.size()), storage(new char[data.size() == 0 ? 1 : data.size()]) {
    if (size > 0) std::memcpy(storage.get(), data.data(), size);
  }
  std::string_view view() const { return {storage.get(), size}; }
  bool holds(const void* p) const {
    const char* c = static_cast<const char*>(p);
    return c >= storage.get() && c < storage.get() + size;
  }
  std::size_t size;
  std::unique_ptr<char[]> storage;
};

}  // namespace byte_strings

#endif  // UPSERTKIT_TESTS_BYTE_STRINGS_HPP
