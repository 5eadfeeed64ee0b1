// upsertkit: Kafka's default key partitioner, bit for bit as the Java producer computes it.
//
// Java: `Utils.toPositive(Utils.murmur2(keyBytes)) % numPartitions`, where toPositive is
// `n & 0x7fffffff` (not abs). librdkafka's `murmur2_random` is the same function, but its
// default partitioner (`consistent_random`, CRC32) is not: the sink sets murmur2 explicitly.
#ifndef UPSERTKIT_PARTITIONER_HPP
#define UPSERTKIT_PARTITIONER_HPP

#include <cstdint>
#include <cstring>
#include <string_view>

namespace upsertkit {

/// Kafka's murmur2 (Utils.murmur2): 32-bit MurmurHash2 with seed 0x9747b28c, little-endian
/// blocks. Returns the same bits Java returns as a signed int.
constexpr std::uint32_t murmur2(std::string_view key) noexcept {
  constexpr std::uint32_t m = 0x5bd1e995;
  constexpr unsigned r = 24;
  const auto length = static_cast<std::uint32_t>(key.size());
  std::uint32_t h = 0x9747b28c ^ length;
  const std::size_t blocks = key.size() / 4;
  auto byte = [&](std::size_t i) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(key[i]));
  };
  for (std::size_t i = 0; i < blocks; ++i) {
    std::uint32_t k =
        byte(4 * i) | byte(4 * i + 1) << 8 | byte(4 * i + 2) << 16 | byte(4 * i + 3) << 24;
    k *= m;
    k ^= k >> r;
    k *= m;
    h *= m;
    h ^= k;
  }
  const std::size_t tail = blocks * 4;
  switch (key.size() & 3) {
    case 3:
      h ^= byte(tail + 2) << 16;
      [[fallthrough]];
    case 2:
      h ^= byte(tail + 1) << 8;
      [[fallthrough]];
    case 1:
      h ^= byte(tail);
      h *= m;
  }
  h ^= h >> 13;
  h *= m;
  h ^= h >> 15;
  return h;
}

/// Utils.toPositive: clears the sign bit.
constexpr std::int32_t to_positive(std::uint32_t hash) noexcept {
  return static_cast<std::int32_t>(hash & 0x7fffffffu);
}

/// The partition the Java producer's default partitioner picks for these key bytes.
constexpr std::int32_t partition_for_key(std::string_view key_bytes,
                                         std::int32_t partition_count) noexcept {
  return to_positive(murmur2(key_bytes)) % partition_count;
}

}  // namespace upsertkit

#endif  // UPSERTKIT_PARTITIONER_HPP
