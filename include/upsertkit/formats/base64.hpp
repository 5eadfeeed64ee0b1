// upsertkit: base64 for BYTES columns in the text formats (json, csv).
//
// The standard alphabet (RFC 4648 section 4, `+` and `/`) with `=` padding and no line breaks:
// what Jackson's default variant (MIME-NO-LINEFEEDS) writes for a byte[] in Flink's json and
// csv formats, and the same text java.util.Base64.getEncoder() gives. Decoding is strict, as
// Jackson's default variant is since 2.12 (padding written on output is required on input):
// the length must be a multiple of 4, `=` only as the last one or two characters, and every
// other character from the alphabet (no whitespace, no URL-safe `-`/`_`).
#ifndef UPSERTKIT_FORMATS_BASE64_HPP
#define UPSERTKIT_FORMATS_BASE64_HPP

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace upsertkit::base64 {

/// The length of the encoding of `size` bytes.
constexpr std::size_t encoded_size(std::size_t size) noexcept {
  return (size + 2) / 3 * 4;
}

/// Writes the base64 text of `bytes` (encoded_size(bytes.size()) chars) from `p` on.
inline void write_encoded(char* p, std::string_view bytes) noexcept {
  static constexpr char alphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::size_t i = 0;
  auto byte = [&](std::size_t k) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[k]));
  };
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t group = byte(i) << 16 | byte(i + 1) << 8 | byte(i + 2);
    *p++ = alphabet[group >> 18];
    *p++ = alphabet[group >> 12 & 0x3F];
    *p++ = alphabet[group >> 6 & 0x3F];
    *p++ = alphabet[group & 0x3F];
  }
  const std::size_t left = bytes.size() - i;
  if (left == 0) return;
  const std::uint32_t group = byte(i) << 16 | (left == 2 ? byte(i + 1) << 8 : 0);
  *p++ = alphabet[group >> 18];
  *p++ = alphabet[group >> 12 & 0x3F];
  *p++ = left == 2 ? alphabet[group >> 6 & 0x3F] : '=';
  *p = '=';
}

/// Appends the base64 text of `bytes` to `out`.
inline void append_encoded(std::string& out, std::string_view bytes) {
  const std::size_t at = out.size();
  out.resize(at + encoded_size(bytes.size()));
  write_encoded(out.data() + at, bytes);
}

namespace detail {
// 0..63 for alphabet characters, 64 for '=', 255 for anything else.
struct decode_table {
  unsigned char values[256];
  constexpr decode_table() : values() {
    for (unsigned char& v : values)
      v = 255;
    constexpr std::string_view alphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (std::size_t i = 0; i < alphabet.size(); ++i)
      values[static_cast<unsigned char>(alphabet[i])] = static_cast<unsigned char>(i);
    values[static_cast<unsigned char>('=')] = 64;
  }
};
inline constexpr decode_table table{};
}  // namespace detail

/// Decodes `text` and appends the bytes to `out`. Returns false (out then holds a partial
/// result) when `text` is not strict padded base64. Bits below the last byte in a padded
/// group are ignored, as Jackson and java.util.Base64 do.
inline bool append_decoded(std::string& out, std::string_view text) {
  if (text.size() % 4 != 0) return false;
  const std::size_t at = out.size();
  out.resize(at + text.size() / 4 * 3);
  char* p = out.data() + at;
  for (std::size_t i = 0; i < text.size(); i += 4) {
    std::uint32_t v[4];
    for (std::size_t k = 0; k < 4; ++k)
      v[k] = detail::table.values[static_cast<unsigned char>(text[i + k])];
    const bool last = i + 4 == text.size();
    if (v[0] > 63 || v[1] > 63) return false;
    std::size_t produced = 3;
    if (v[2] == 64 || v[3] == 64) {
      // Padding: "xx==" or "xxx=", only in the last group.
      if (!last || v[3] != 64 || v[2] == 255) return false;
      produced = v[2] == 64 ? 1 : 2;
      if (v[2] == 64) v[2] = 0;
      v[3] = 0;
    } else if (v[2] > 63 || v[3] > 63) {
      return false;
    }
    const std::uint32_t group = v[0] << 18 | v[1] << 12 | v[2] << 6 | v[3];
    *p++ = static_cast<char>(group >> 16);
    if (produced > 1) *p++ = static_cast<char>(group >> 8 & 0xFF);
    if (produced > 2) *p++ = static_cast<char>(group & 0xFF);
  }
  out.resize(static_cast<std::size_t>(p - out.data()));
  return true;
}

}  // namespace upsertkit::base64

#endif  // UPSERTKIT_FORMATS_BASE64_HPP
