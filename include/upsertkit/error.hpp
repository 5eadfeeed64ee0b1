// upsertkit: error values and exceptions.
//
// On the per-record path errors are values (`decode_status`) so a bad record costs no exception
// and the caller's policy (fail, or skip and hand to a dead-letter hook) decides what happens.
// Exceptions are thrown only where the user's code is the next frame: bad configuration, and a
// record error under the `fail` policy.
#ifndef UPSERTKIT_ERROR_HPP
#define UPSERTKIT_ERROR_HPP

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace upsertkit {

/// Base of every exception upsertkit throws.
class error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A table definition or option that cannot work (bad WITH clause, bad prefix, ...).
/// The message is the reference implementation's text where it has one.
class config_error : public error {
 public:
  using error::error;
};

/// Why one key or value could not be decoded. `field` is empty when the message as a whole is
/// malformed (not an object, wrong column count, ...).
struct decode_failure {
  std::string field;
  std::string message;
};

/// The outcome of decoding one key or value: a row, no row (the format says the message holds
/// none, e.g. an empty JSON message or a CSV comment line), or a failure naming field and cause.
class decode_status {
 public:
  decode_status() = default;
  static decode_status failure(std::string_view field, std::string message);
  static decode_status no_row() {
    decode_status s;
    s.no_row_ = true;
    return s;
  }
  explicit operator bool() const noexcept { return ok(); }
  bool ok() const noexcept { return !failure_ && !no_row_; }
  bool is_no_row() const noexcept { return no_row_; }
  bool failed() const noexcept { return failure_.has_value(); }
  const decode_failure& failure() const { return *failure_; }
  /// "field 'x': message" or just the message; used by every error that reaches the user.
  std::string describe() const;

 private:
  std::optional<decode_failure> failure_;
  bool no_row_ = false;
};

/// Where a record came from. Offline tools fill what they have (a line number as the offset).
struct record_position {
  std::string_view topic;
  std::int32_t partition = -1;
  std::int64_t offset = -1;
};

/// Which part of the record failed.
enum class record_part : std::uint8_t { key, value };

/// A record that could not be turned into a change under the `fail` policy. The message names
/// topic, partition, offset, key or value, and field.
class record_error : public error {
 public:
  record_error(record_position where, record_part part, decode_failure failure);

  const std::string& topic() const noexcept { return topic_; }
  std::int32_t partition() const noexcept { return partition_; }
  std::int64_t offset() const noexcept { return offset_; }
  record_part part() const noexcept { return part_; }
  const std::string& field() const noexcept { return failure_.field; }
  const std::string& reason() const noexcept { return failure_.message; }

  static std::string format(record_position where, record_part part, const decode_failure& failure);

 private:
  std::string topic_;
  std::int32_t partition_;
  std::int64_t offset_;
  record_part part_;
  decode_failure failure_;
};

}  // namespace upsertkit

// The definitions: inline here, or compiled once (separate_compilation.hpp).
#ifndef UPSERTKIT_SEPARATE_COMPILATION
#include "error.ipp"
#endif

#endif  // UPSERTKIT_ERROR_HPP
