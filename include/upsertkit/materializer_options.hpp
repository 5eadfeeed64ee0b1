// upsertkit: the materializer's options, apart from the materializer, so that the
// configuration (config/source_options.hpp) does not compile the state machine.
#ifndef UPSERTKIT_MATERIALIZER_OPTIONS_HPP
#define UPSERTKIT_MATERIALIZER_OPTIONS_HPP

#include <chrono>

namespace upsertkit {

struct materializer_options {
  /// Idle state retention (Flink's `table.exec.state.ttl`); zero disables it. With TTL on,
  /// a key not written for this long is forgotten and identical rows are emitted as -U/+U
  /// (Flink does so "to prevent too early state eviction of downstream operators").
  std::chrono::milliseconds state_ttl{0};
  /// Emit -U rows. Sinks that take only upserts (like upsert-kafka) do not need them.
  bool emit_update_before = true;
  /// No ChangelogNormalize: every record passes through as it is, a value as +U of its row, a
  /// tombstone as -D of its key row; no state, so duplicates of the current row and tombstones
  /// of keys never seen are emitted too: a stateless copy (docs/parallelism.md, "Pass-through
  /// copy"; Flink 1.20.3 keeps ChangelogNormalize even for an upsert-kafka to upsert-kafka
  /// INSERT, so the default is what it runs there). A source in this mode keeps no state: in a
  /// group it starts each partition at the group's committed offset instead of rebuilding it.
  bool pass_through = false;
};

}  // namespace upsertkit

#endif  // UPSERTKIT_MATERIALIZER_OPTIONS_HPP
