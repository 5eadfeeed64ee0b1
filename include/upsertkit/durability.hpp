// upsertkit: the durability point. Before a source commits the offsets of the records it read,
// it asks its change handler to make durable everything it was handed; only then is the
// commit sent. A sink that still buffers changes (the reducing buffer, records in flight, a
// stdio buffer) would otherwise lose them in a crash while the group already counts them as
// done: Flink flushes every sink on the checkpoint barrier before it commits, Kafka Streams
// flushes its producer before it commits, for the same reason.
//
// A handler opts in with member functions, detected at compile time:
//
//   flush()                         returns once everything handed to it is durable, or throws
//                                   (the source then commits nothing and stops with the error)
//
// and, to commit the source's offsets in the same transaction as its output (exactly-once):
//
//   transactional() const -> bool   whether it writes in transactions (a runtime setting);
//                                   when false, flush() is used
//   commit_transaction(offsets)     writes everything, adds `offsets` (kafka::consumed_offsets)
//                                   to the open transaction, commits it and opens the next;
//                                   throws (having aborted) when it cannot
//   abort_transaction()             drops everything since the last commit: called when the
//                                   source stops on an error or loses its partitions, whose
//                                   records are then read again from the last commit
//
// and, for a handler that holds changes back (a buffer) outside transactions:
//
//   discard_buffer()                drops what it holds and has not written: called when the
//                                   group took the source's partitions away without letting it
//                                   commit (its session ran out). Their new owner writes those
//                                   changes again, then newer ones, which a late write of the
//                                   old ones would overwrite.
//
// upsert_sink has all of them and print_sink has flush(). A handler with none keeps the
// behaviour of a plain callback: offsets are committed once it returned for every change,
// which is enough for a handler that makes each change durable before returning.
#ifndef UPSERTKIT_DURABILITY_HPP
#define UPSERTKIT_DURABILITY_HPP

#include <concepts>
#include <type_traits>

#include "kafka/client.hpp"
#include "kafka/topic_reader.hpp"

namespace upsertkit {

/// A change handler with a durability point: `flush()`.
template <class Handler>
concept durable_handler = requires(Handler& handler) {
  handler.flush();
};

/// A change handler that holds changes back and can drop them: `discard_buffer()`.
template <class Handler>
concept buffering_handler = requires(Handler& handler) {
  handler.discard_buffer();
};

/// A change handler that can commit a source's offsets in its own transaction.
template <class Handler>
concept transactional_handler = durable_handler<Handler> &&
    requires(Handler& handler, const Handler& const_handler,
             const kafka::consumed_offsets& offsets) {
  { const_handler.transactional() } -> std::convertible_to<bool>;
  handler.commit_transaction(offsets);
  handler.abort_transaction();
};

namespace detail {

/// Points a reader's durability hooks at `handler` (see kafka::topic_reader::hooks), which
/// must outlive the reader.
template <class Handler>
void set_durability_hooks(kafka::topic_reader::hooks& hooks, Handler& handler) {
  using handler_type = std::remove_cvref_t<Handler>;
  if constexpr (transactional_handler<handler_type>) {
    hooks.make_durable = [&handler](const kafka::consumed_offsets& offsets) {
      if (!handler.transactional()) {
        handler.flush();
        return false;
      }
      handler.commit_transaction(offsets);
      return true;
    };
    hooks.discard = [&handler] {
      if (!handler.transactional()) return false;
      handler.abort_transaction();
      return true;
    };
  } else if constexpr (durable_handler<handler_type>) {
    hooks.make_durable = [&handler](const kafka::consumed_offsets&) {
      handler.flush();
      return false;
    };
  }
  if constexpr (transactional_handler<handler_type> || buffering_handler<handler_type>) {
    hooks.lost = [&handler] {
      if constexpr (transactional_handler<handler_type>) {
        if (handler.transactional()) {
          handler.abort_transaction();
          return;
        }
      }
      if constexpr (buffering_handler<handler_type>) handler.discard_buffer();
    };
  }
}

}  // namespace detail
}  // namespace upsertkit

#endif  // UPSERTKIT_DURABILITY_HPP
