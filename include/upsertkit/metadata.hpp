// upsertkit: the Kafka metadata of the record behind a change (Flink's metadata columns).
//
// Kept free of librdkafka types so formats and the materializer compile without Kafka; the
// Kafka source fills it from the message it decoded.
#ifndef UPSERTKIT_METADATA_HPP
#define UPSERTKIT_METADATA_HPP

#include <cstdint>
#include <optional>
#include <string_view>

namespace upsertkit {

/// `timestamp-type`: NoTimestampType, CreateTime or LogAppendTime.
enum class timestamp_type : std::uint8_t { no_timestamp_type, create_time, log_append_time };

constexpr std::string_view to_string(timestamp_type type) noexcept {
  switch (type) {
    case timestamp_type::no_timestamp_type:
      return "NoTimestampType";
    case timestamp_type::create_time:
      return "CreateTime";
    case timestamp_type::log_append_time:
      return "LogAppendTime";
  }
  return "NoTimestampType";
}

/// One record header; `value` is empty for a header with a null value.
struct header {
  std::string_view key;
  std::optional<std::string_view> value;
};

/// Read-only metadata of one Kafka record. Views are valid during the handler call.
struct record_metadata {
  std::string_view topic;
  std::int32_t partition = -1;
  std::int64_t offset = -1;
  std::int64_t timestamp_ms = -1;  // `timestamp`, TIMESTAMP_LTZ(3) as epoch milliseconds
  timestamp_type type = timestamp_type::no_timestamp_type;
  std::optional<std::int32_t> leader_epoch;
  const header* headers = nullptr;  // `headers`, in record order
  std::size_t header_count = 0;
};

}  // namespace upsertkit

#endif  // UPSERTKIT_METADATA_HPP
