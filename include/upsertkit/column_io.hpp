// upsertkit: reading and writing one struct member generically, for every format.
#ifndef UPSERTKIT_COLUMN_IO_HPP
#define UPSERTKIT_COLUMN_IO_HPP

#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include "types.hpp"

namespace upsertkit::column_io {

/// The value inside a member, creating it when the member is a disengaged std::optional.
template <class Member>
constexpr auto& emplace(Member& member) {
  if constexpr (detail::is_optional<Member>::value) {
    if (!member) member.emplace();
    return *member;
  } else {
    return member;
  }
}

/// Pointer to the value of a member, or nullptr when it is NULL.
template <class Member>
constexpr const auto* value_of(const Member& member) {
  if constexpr (detail::is_optional<Member>::value)
    return member ? &*member : nullptr;
  else
    return &member;
}

/// Sets a member to NULL. Returns false for a NOT NULL member (the caller reports the error).
template <class Member>
constexpr bool set_null(Member& member) {
  if constexpr (detail::is_optional<Member>::value) {
    member.reset();
    return true;
  } else {
    return false;
  }
}

/// Assigns text to a string member: a view stays a view (zero copy), a std::string copies.
template <class StringLike>
constexpr void assign_string(StringLike& target, std::string_view text) {
  if constexpr (std::is_same_v<StringLike, std::string_view>)
    target = text;
  else
    target.assign(text.data(), text.size());
}

}  // namespace upsertkit::column_io

#endif  // UPSERTKIT_COLUMN_IO_HPP
