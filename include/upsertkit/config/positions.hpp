// upsertkit: where a Kafka read starts and stops (`scan.startup.*`, `scan.bounded.*`).
#ifndef UPSERTKIT_CONFIG_POSITIONS_HPP
#define UPSERTKIT_CONFIG_POSITIONS_HPP

#include <cstdint>
#include <map>

namespace upsertkit {

/// `scan.startup.mode` of the `kafka` connector.
enum class startup_mode : std::uint8_t {
  earliest_offset,
  latest_offset,
  group_offsets,
  timestamp,
  specific_offsets
};

/// `scan.bounded.mode`.
enum class bounded_mode : std::uint8_t {
  unbounded,
  latest_offset,
  group_offsets,
  timestamp,
  specific_offsets
};

/// Where reading starts: `scan.startup.mode` and its companions.
struct startup_position {
  startup_mode mode = startup_mode::earliest_offset;
  std::int64_t timestamp_ms = -1;                // `scan.startup.timestamp-millis`
  std::map<std::int32_t, std::int64_t> offsets;  // `scan.startup.specific-offsets`
};

/// Where a bounded read stops (exclusive): `scan.bounded.mode` and its companions.
struct bounded_position {
  bounded_mode mode = bounded_mode::unbounded;
  std::int64_t timestamp_ms = -1;                // `scan.bounded.timestamp-millis`
  std::map<std::int32_t, std::int64_t> offsets;  // `scan.bounded.specific-offsets`
};

}  // namespace upsertkit

#endif  // UPSERTKIT_CONFIG_POSITIONS_HPP
