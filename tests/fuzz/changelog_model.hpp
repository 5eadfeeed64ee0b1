// A downstream table that applies a changelog and checks it as it goes: +I for a key it does
// not hold (unless keys may expire), -U and -D carrying exactly the row it holds for that key,
// +U after -U when update-befores are emitted. Rows are kept as canonical bytes.
#ifndef UPSERTKIT_TESTS_FUZZ_CHANGELOG_MODEL_HPP
#define UPSERTKIT_TESTS_FUZZ_CHANGELOG_MODEL_HPP

#include <upsertkit/row_codec.hpp>
#include <upsertkit/row_kind.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <utility>

#include "fuzz_common.hpp"

namespace fuzz {

template <class Table>
class changelog_model {
 public:
  using row_type = typename Table::row_type;
  using key = std::pair<std::int32_t, std::string>;  // partition, canonical key bytes

  changelog_model(bool emit_update_before, bool keys_expire)
      : update_before_(emit_update_before), keys_expire_(keys_expire) {}

  void operator()(const upsertkit::change<row_type>& c) {
    std::string k, row;
    upsertkit::row_codec<Table>::encode_key(c.row, k);
    upsertkit::row_codec<Table>::encode(c.row, row);
    const key at{c.partition, k};
    const auto it = rows_.find(at);
    ++changes_;
    switch (c.kind) {
      case upsertkit::row_kind::insert:
        FUZZ_CHECK(keys_expire_ || it == rows_.end(), "+I for a key already held");
        FUZZ_CHECK(!pending_before_);
        rows_[at] = std::move(row);
        break;
      case upsertkit::row_kind::update_before:
        FUZZ_CHECK(update_before_, "-U although update-befores are off");
        FUZZ_CHECK(it != rows_.end() && it->second == row, "-U does not carry the held row");
        FUZZ_CHECK(!pending_before_);
        pending_before_ = true;
        before_key_ = at;
        break;
      case upsertkit::row_kind::update_after:
        FUZZ_CHECK(it != rows_.end(), "+U for a key not held");
        if (update_before_) {
          FUZZ_CHECK(pending_before_ && before_key_ == at, "+U without its -U");
          FUZZ_CHECK(keys_expire_ || it->second != row, "-U/+U for an unchanged row");
        }
        pending_before_ = false;
        it->second = std::move(row);
        break;
      case upsertkit::row_kind::delete_:
        FUZZ_CHECK(it != rows_.end() && it->second == row, "-D does not carry the held row");
        FUZZ_CHECK(!pending_before_);
        rows_.erase(it);
        break;
    }
  }

  // The held rows equal the materializer's state exactly (call when no key can have expired).
  template <class Materializer>
  void check_equals(const Materializer& state) const {
    FUZZ_CHECK(!pending_before_);
    std::map<key, std::string> stored;
    state.for_each_row([&](std::int32_t partition, const row_type& row) {
      std::string k, bytes;
      upsertkit::row_codec<Table>::encode_key(row, k);
      upsertkit::row_codec<Table>::encode(row, bytes);
      FUZZ_CHECK(stored.emplace(key{partition, k}, bytes).second, "a key stored twice");
    });
    FUZZ_CHECK(stored == rows_, "the changelog applied to an empty table is not the state");
    FUZZ_CHECK(state.state_keys() == rows_.size());
  }

  // Every stored row is held downstream (with a state TTL, downstream may hold more: expired
  // keys are forgotten without a change, as in Flink).
  template <class Materializer>
  void check_contains(const Materializer& state) const {
    state.for_each_row([&](std::int32_t partition, const row_type& row) {
      std::string k, bytes;
      upsertkit::row_codec<Table>::encode_key(row, k);
      upsertkit::row_codec<Table>::encode(row, bytes);
      const auto it = rows_.find(key{partition, k});
      FUZZ_CHECK(it != rows_.end() && it->second == bytes, "a stored row was never emitted");
    });
  }

  std::uint64_t changes() const noexcept { return changes_; }
  const std::map<key, std::string>& rows() const noexcept { return rows_; }

 private:
  bool update_before_;
  bool keys_expire_;
  bool pending_before_ = false;
  key before_key_;
  std::map<key, std::string> rows_;
  std::uint64_t changes_ = 0;
};

// The handler the materializer owns: forwards to a model owned by the fuzz target.
template <class Table>
struct model_handler {
  changelog_model<Table>* model;
  void operator()(const upsertkit::change<typename Table::row_type>& c) const { (*model)(c); }
};

}  // namespace fuzz

#endif  // UPSERTKIT_TESTS_FUZZ_CHANGELOG_MODEL_HPP
