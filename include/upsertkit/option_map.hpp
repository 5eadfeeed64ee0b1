// upsertkit: the one type of an option map (a WITH clause, a format's options).
#ifndef UPSERTKIT_OPTION_MAP_HPP
#define UPSERTKIT_OPTION_MAP_HPP

#include <functional>
#include <map>
#include <string>

namespace upsertkit {

/// Option names to values, as text. std::less<> lets a std::string_view find a key without
/// building a std::string. `format_options` (a format's options, without their prefix) and
/// `ddl::option_map` are this type.
using option_map = std::map<std::string, std::string, std::less<>>;

}  // namespace upsertkit

#endif  // UPSERTKIT_OPTION_MAP_HPP
