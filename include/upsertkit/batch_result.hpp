// upsertkit: what a call on a batch did.
//
// Progress flows forward, as a return value: the materializer, the pipeline and the topic
// reader each return how many items of the batch they finished (in order) and the exception
// that stopped them, if one did. The caller marks those items done and rethrows. Nothing is
// reported back through out-parameters, and an exception never hides how far the batch got.
#ifndef UPSERTKIT_BATCH_RESULT_HPP
#define UPSERTKIT_BATCH_RESULT_HPP

#include <cstddef>
#include <exception>

namespace upsertkit {

/// The outcome of applying a batch: the first `done` items were finished, in order; if
/// `failure` holds an exception, it was thrown on item `done`, and that item and the rest
/// were not applied.
struct [[nodiscard]] batch_result {
  std::size_t done = 0;
  std::exception_ptr failure;

  bool ok() const noexcept { return !failure; }

  /// Throws the exception that stopped the batch, if any.
  void rethrow_if_failed() const {
    if (failure) std::rethrow_exception(failure);
  }
};

}  // namespace upsertkit

#endif  // UPSERTKIT_BATCH_RESULT_HPP
