// upsertkit: the hash of a key's bytes that the materializer computes once per change and
// hands to its store (every store uses it: find, insert and erase take it).
#ifndef UPSERTKIT_KEY_HASH_HPP
#define UPSERTKIT_KEY_HASH_HPP

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace upsertkit {

namespace detail {
// The 128-bit product of a and b, folded to 64 bits: one multiply mixes every bit of both.
inline std::uint64_t fold_multiply(std::uint64_t a, std::uint64_t b) noexcept {
#if defined(__SIZEOF_INT128__)
  __extension__ using wide = unsigned __int128;
  const wide product = static_cast<wide>(a) * b;
  return static_cast<std::uint64_t>(product) ^ static_cast<std::uint64_t>(product >> 64);
#else
  const std::uint64_t a_lo = a & 0xFFFFFFFFu, a_hi = a >> 32, b_lo = b & 0xFFFFFFFFu,
                      b_hi = b >> 32;
  const std::uint64_t lo_lo = a_lo * b_lo, hi_lo = a_hi * b_lo, lo_hi = a_lo * b_hi,
                      hi_hi = a_hi * b_hi;
  const std::uint64_t cross = (lo_lo >> 32) + (hi_lo & 0xFFFFFFFFu) + lo_hi;
  const std::uint64_t high = (hi_lo >> 32) + (cross >> 32) + hi_hi;
  const std::uint64_t low = (cross << 32) | (lo_lo & 0xFFFFFFFFu);
  return low ^ high;
#endif
}

inline std::uint64_t load_u64(const char* p) noexcept {
  std::uint64_t w;
  std::memcpy(&w, p, 8);
  return w;
}

inline std::uint64_t load_u32(const char* p) noexcept {
  std::uint32_t w;
  std::memcpy(&w, p, 4);
  return w;
}
}  // namespace detail

/// 64-bit hash of key bytes. Not for adversaries that can choose keys to collide: see
/// docs/materializer.md. Up to 32 bytes (most keys) it reads the bytes as two or four
/// overlapping words and needs two or three multiplies in a row: the hash is the first step of
/// every lookup, so its latency is on the critical path of each record.
inline std::uint64_t hash_bytes(std::string_view bytes) noexcept {
  constexpr std::uint64_t k0 = 0x9E3779B97F4A7C15ull, k1 = 0xD6E8FEB86659FD93ull,
                          k2 = 0xA0761D6478BD642Full, k3 = 0xE7037ED1A0B428DBull;
  const char* p = bytes.data();
  const std::size_t n = bytes.size();
  std::uint64_t a = 0, b = 0;
  if (n <= 16) {
    if (n >= 8) {
      a = detail::load_u64(p);
      b = detail::load_u64(p + n - 8);
    } else if (n >= 4) {
      a = detail::load_u32(p);
      b = detail::load_u32(p + n - 4);
    } else if (n > 0) {
      a = std::uint64_t{static_cast<unsigned char>(p[0])} << 16 |
          std::uint64_t{static_cast<unsigned char>(p[n / 2])} << 8 |
          static_cast<unsigned char>(p[n - 1]);
    }
  } else if (n <= 32) {
    a = detail::fold_multiply(detail::load_u64(p) ^ k0, detail::load_u64(p + 8) ^ k1);
    b = detail::fold_multiply(detail::load_u64(p + n - 16) ^ k2, detail::load_u64(p + n - 8) ^ k3);
  } else {
    std::uint64_t h = k2;
    std::size_t left = n;
    for (; left > 16; p += 16, left -= 16)
      h = detail::fold_multiply(detail::load_u64(p) ^ k0, detail::load_u64(p + 8) ^ h);
    a = h;
    b = detail::fold_multiply(detail::load_u64(p + left - 16) ^ k1,
                              detail::load_u64(p + left - 8) ^ k3);
  }
  return detail::fold_multiply(detail::fold_multiply(a ^ k0, b ^ k1 ^ n) ^ k2, n ^ k3);
}

}  // namespace upsertkit

#endif  // UPSERTKIT_KEY_HASH_HPP
