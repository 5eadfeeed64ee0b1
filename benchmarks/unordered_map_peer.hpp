// The materializer's peer in the benchmarks: the same state machine written the obvious way,
// an std::unordered_map<std::string, std::string> from the key to the row's canonical bytes
// (BM_MaterializeUnorderedMapBaseline, BM_MaterializeNestedUnorderedMapBaseline).
#ifndef UPSERTKIT_BENCHMARKS_UNORDERED_MAP_PEER_HPP
#define UPSERTKIT_BENCHMARKS_UNORDERED_MAP_PEER_HPP

#include <upsertkit/row_codec.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <utility>

namespace bench_peer {

// Applies rows[i] (an upsert, or a tombstone where is_tombstone(i)) for i < count; counts the
// changes by kind (+I, -U, +U, -D) and returns the number of keys left.
template <class Table, class Rows, class IsTombstone, class KeyOf>
std::size_t apply_to_unordered_map(const Rows& rows, std::size_t count, IsTombstone is_tombstone,
                                   KeyOf key_of, std::uint64_t (&counts)[4]) {
  using row_type = typename Table::row_type;
  std::unordered_map<std::string, std::string> map;
  std::string row_bytes;
  row_type previous{};
  for (std::size_t i = 0; i < count; ++i) {
    const row_type& row = rows[i];
    std::string key(key_of(row));
    if (is_tombstone(i)) {
      auto it = map.find(key);
      if (it == map.end()) continue;
      upsertkit::row_codec<Table>::decode(it->second, previous);
      ++counts[3];
      map.erase(it);
      continue;
    }
    row_bytes.clear();
    upsertkit::row_codec<Table>::encode(row, row_bytes);
    auto [it, inserted] = map.try_emplace(std::move(key), row_bytes);
    if (inserted) {
      ++counts[0];
    } else if (it->second != row_bytes) {
      upsertkit::row_codec<Table>::decode(it->second, previous);
      ++counts[1];
      it->second = row_bytes;
      ++counts[2];
    }
  }
  return map.size();
}

}  // namespace bench_peer

#endif  // UPSERTKIT_BENCHMARKS_UNORDERED_MAP_PEER_HPP
