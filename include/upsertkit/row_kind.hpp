// upsertkit: the four kinds of changelog row and the change handed to user code.
#ifndef UPSERTKIT_ROW_KIND_HPP
#define UPSERTKIT_ROW_KIND_HPP

#include <cstdint>
#include <string_view>

namespace upsertkit {

/// Flink's RowKind: INSERT (+I), UPDATE_BEFORE (-U), UPDATE_AFTER (+U), DELETE (-D).
enum class row_kind : std::uint8_t { insert, update_before, update_after, delete_ };

/// "+I", "-U", "+U" or "-D", as Flink's RowKind.shortString() prints them.
constexpr std::string_view short_string(row_kind kind) noexcept {
  switch (kind) {
    case row_kind::insert:
      return "+I";
    case row_kind::update_before:
      return "-U";
    case row_kind::update_after:
      return "+U";
    case row_kind::delete_:
      return "-D";
  }
  return "??";
}

struct record_metadata;  // defined by the Kafka source (metadata.hpp); null offline

/// One row of the changelog. `row` (and any string_view inside it) is valid only during the
/// handler call: copy what you keep.
template <class Row>
struct change {
  row_kind kind;
  const Row& row;
  std::int32_t partition;
  const record_metadata* metadata;  // the record that caused this change, if known
};

}  // namespace upsertkit

#endif  // UPSERTKIT_ROW_KIND_HPP
