// upsertkit: a consumer group member id (`group.instance.id`) derived from where a source keeps
// its durable state, so that a restarted process is the same static member as before.
//
// Why: a member with a `group.instance.id` does not leave the group when it closes or dies, and
// when it comes back within `session.timeout.ms` the coordinator gives it its partitions at once.
// Without one, a restart waits for the broker's `group.initial.rebalance.delay.ms` (3 s by
// default) after a clean close, and for the dead member's session (45 s by default) after a
// crash. A source with durable state is restarted with the same state directory by
// construction, so that is what the id belongs to (docs/decisions.md, "Static membership by
// default with durable state").
#ifndef UPSERTKIT_STATIC_MEMBERSHIP_HPP
#define UPSERTKIT_STATIC_MEMBERSHIP_HPP

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>
#include <string_view>
#include <utility>

#include "error.hpp"

namespace upsertkit {

/// A `group.instance.id` held by this process while the object lives:
/// `upsertkit-<16 hex digits>-<slot>`. Each slot of a directory is a lock file,
/// `member-<slot>.lock`, taken with flock(): sources sharing the directory (processes, or
/// sources in one process) each hold their own, and the kernel releases it when the process
/// dies, so a restart takes the lowest free slot again. The digits are a random token written
/// into the slot's file the first time it is taken, and read back every time after: the id
/// belongs to the directory, not to the host name or the path, which change under containers
/// and symlinked release directories while the state stays the same. A copy of the directory
/// run beside the original is the same member: the broker fences one of the two (docs/
/// source-and-sink.md, "Static membership"). The files must be on a local filesystem (as
/// RocksDB's own lock requires): flock() over NFS does not exclude within a process.
class derived_member_id {
 public:
  /// Claims the lowest free slot of `directory` (created if missing). Throws config_error when
  /// the directory or a slot's file cannot be created, read or written, error when all
  /// `max_slots` are held.
  static derived_member_id claim(const std::filesystem::path& directory, int max_slots = 1024) {
    namespace fs = std::filesystem;
    std::error_code failed;
    fs::create_directories(directory, failed);
    if (failed)
      throw config_error("cannot create the state directory '" + directory.string() +
                         "': " + failed.message());
    for (int slot = 0; slot < max_slots; ++slot) {
      const fs::path lock = directory / ("member-" + std::to_string(slot) + ".lock");
      const int fd = ::open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
      if (fd < 0)
        throw config_error("cannot create '" + lock.string() + "': " + std::strerror(errno));
      if (::flock(fd, LOCK_EX | LOCK_NB) == 0) {
        derived_member_id held(fd, slot);  // owns the descriptor from here on
        held.id_ = "upsertkit-" + token_of(fd, lock) + "-" + std::to_string(slot);
        return held;
      }
      const int why = errno;
      ::close(fd);
      if (why != EWOULDBLOCK)
        throw error("cannot lock '" + lock.string() + "': " + std::strerror(why));
    }
    throw error("all " + std::to_string(max_slots) + " member slots of '" + directory.string() +
                "' are held by other sources");
  }

  derived_member_id(derived_member_id&& other) noexcept
      : fd_(std::exchange(other.fd_, -1)), slot_(other.slot_), id_(std::move(other.id_)) {}
  derived_member_id& operator=(derived_member_id&& other) noexcept {
    if (this != &other) {
      release();
      fd_ = std::exchange(other.fd_, -1);
      slot_ = other.slot_;
      id_ = std::move(other.id_);
    }
    return *this;
  }
  derived_member_id(const derived_member_id&) = delete;
  derived_member_id& operator=(const derived_member_id&) = delete;
  ~derived_member_id() { release(); }

  /// The `group.instance.id`.
  const std::string& value() const noexcept { return id_; }
  int slot() const noexcept { return slot_; }

 private:
  derived_member_id(int fd, int slot) noexcept : fd_(fd), slot_(slot) {}

  void release() noexcept {
    if (fd_ >= 0) ::close(fd_);  // closing the last descriptor releases the flock
    fd_ = -1;
  }

  static bool is_token(std::string_view text) noexcept {
    if (text.size() != 16) return false;
    for (const char c : text)
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    return true;
  }

  // The slot's token: read from its file, or (a new file, or one whose content is not a
  // token: cut short by a crash, edited) a new random one written there and synced.
  static std::string token_of(int fd, const std::filesystem::path& file) {
    char buffer[64] = {};
    const ssize_t got = ::pread(fd, buffer, sizeof buffer, 0);
    if (got < 0) throw config_error("cannot read '" + file.string() + "': " + std::strerror(errno));
    std::string_view text(buffer, static_cast<std::size_t>(got));
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r'))
      text.remove_suffix(1);
    if (is_token(text)) return std::string(text);
    std::random_device random;
    std::uint64_t value = (std::uint64_t{random()} << 32) ^ random();
    static constexpr char digits[] = "0123456789abcdef";
    std::string token(16, '0');
    for (int i = 15; i >= 0; --i, value >>= 4)
      token[static_cast<std::size_t>(i)] = digits[value & 15];
    const std::string line = token + "\n";
    if (::ftruncate(fd, 0) != 0 ||
        ::pwrite(fd, line.data(), line.size(), 0) != static_cast<ssize_t>(line.size()) ||
        ::fdatasync(fd) != 0)
      throw config_error("cannot write '" + file.string() + "': " + std::strerror(errno));
    return token;
  }

  int fd_ = -1;
  int slot_ = 0;
  std::string id_;
};

}  // namespace upsertkit

#endif  // UPSERTKIT_STATIC_MEMBERSHIP_HPP
