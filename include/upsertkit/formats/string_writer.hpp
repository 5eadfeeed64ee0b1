// upsertkit: appending to a std::string without a capacity check and a call per piece.
//
// The encoders write a row as many small pieces (a quote, a name, a few digits). Through
// std::string's own append and push_back each piece is an out-of-line call that checks the
// capacity and moves the terminating NUL: profiles of BM_JsonEncodeOrders put over half of
// the encoder's time there. A string_writer grows the string once to a bound, writes through a
// pointer, and cuts the string to what was written when it finishes.
#ifndef UPSERTKIT_FORMATS_STRING_WRITER_HPP
#define UPSERTKIT_FORMATS_STRING_WRITER_HPP

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <string>
#include <string_view>

namespace upsertkit {

/// Appends to `out` (the string's text before it is kept). The string's size is only right
/// again after finish() or the destructor; until then nothing else may use it. Offers the part
/// of std::string's interface the text helpers use (`+=`, `append`), so they write to either.
class string_writer {
 public:
  /// `expected` is how many bytes the caller expects to append: room for them is made at once.
  string_writer(std::string& out, std::size_t expected) : out_(out) {
    const std::size_t at = out.size();
    out.resize(at + std::max<std::size_t>(expected, 64));
    cursor_ = out.data() + at;
    end_ = out.data() + out.size();
  }
  string_writer(const string_writer&) = delete;
  string_writer& operator=(const string_writer&) = delete;
  ~string_writer() { finish(); }

  /// Cuts the string to what was written; the writer must not be used after it.
  void finish() {
    if (cursor_ == nullptr) return;
    out_.resize(static_cast<std::size_t>(cursor_ - out_.data()));
    cursor_ = end_ = nullptr;
  }

  string_writer& operator+=(char c) {
    reserve(1);
    *cursor_++ = c;
    return *this;
  }
  string_writer& operator+=(std::string_view text) {
    append(text.data(), text.size());
    return *this;
  }
  string_writer& operator+=(const char* text) { return *this += std::string_view(text); }

  // Forced inline: GCC's heuristics otherwise split it into a call on some inputs (1.7% of
  // the JSON encoder's instructions, scripts/instruction-count.sh).
  [[gnu::always_inline]] string_writer& append(const char* data, std::size_t size) {
    if (size == 0) return *this;  // an empty view may hold a null pointer: no memcpy
    reserve(size);
    std::memcpy(cursor_, data, size);
    cursor_ += size;
    return *this;
  }
  string_writer& append(const char* first, const char* last) {
    return append(first, static_cast<std::size_t>(last - first));
  }
  string_writer& append(std::size_t count, char c) {
    reserve(count);
    std::memset(cursor_, c, count);
    cursor_ += count;
    return *this;
  }

  /// Makes room for `size` more bytes; write them through cursor() and then advance(size).
  void reserve(std::size_t size) {
    if (static_cast<std::size_t>(end_ - cursor_) < size) grow(size);
  }
  char* cursor() noexcept { return cursor_; }
  void advance(std::size_t size) noexcept { cursor_ += size; }

 private:
  // Kept out of line: the fast path above stays small enough to inline everywhere.
  [[gnu::noinline]] void grow(std::size_t size) {
    const auto at = static_cast<std::size_t>(cursor_ - out_.data());
    out_.resize(std::max(out_.size() * 2, at + size + 64));
    cursor_ = out_.data() + at;
    end_ = out_.data() + out_.size();
  }

  std::string& out_;
  char* cursor_ = nullptr;
  char* end_ = nullptr;
};

}  // namespace upsertkit

#endif  // UPSERTKIT_FORMATS_STRING_WRITER_HPP
