// upsertkit: a consumer group member id (`group.instance.id`) derived from where a source keeps
// its durable state, so that a restarted process is the same static member as before.
//
// Why: a member with a `group.instance.id` does not leave the group when it closes or dies, and
// when it comes back within `session.timeout.ms` the coordinator gives it its partitions at once.
// Without one, a restart waits for the broker's `group.initial.rebalance.delay.ms` (3 s by
// default) after a clean close, and for the dead member's session (45 s by default) after a
// crash. A source with durable state is restarted on the same host and directory by
// construction, so that is what the id is derived from (docs/decisions.md, "Static membership
// by default with durable state").
#ifndef UPSERTKIT_STATIC_MEMBERSHIP_HPP
#define UPSERTKIT_STATIC_MEMBERSHIP_HPP

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>

#include "error.hpp"

namespace upsertkit {

/// A `group.instance.id` held by this process while the object lives:
/// `upsertkit-<host>-<16 hex digits>-<slot>`, the digits a hash of the host name and the
/// directory's absolute path. Several processes (or sources) sharing one directory each hold
/// their own slot, a lock file `member-<slot>.lock` in it taken with flock(): the kernel
/// releases it when the process dies, so a restart takes the lowest free slot again.
/// The derivation is stable across versions: changing it would make every restart after an
/// upgrade a new member, stalling the old one's partitions for `session.timeout.ms`.
class derived_member_id {
 public:
  /// Claims the lowest free slot of `directory` (created if missing). Throws config_error when the
  /// directory or a lock file cannot be created, error when all `max_slots` are held.
  static derived_member_id claim(const std::filesystem::path& directory, int max_slots = 1024) {
    namespace fs = std::filesystem;
    std::error_code failed;
    fs::create_directories(directory, failed);
    if (failed)
      throw config_error("cannot create the state directory '" + directory.string() +
                         "': " + failed.message());
    const fs::path absolute = fs::weakly_canonical(fs::absolute(directory), failed);
    if (failed)
      throw config_error("cannot resolve the state directory '" + directory.string() +
                         "': " + failed.message());
    const std::string host = host_name();
    const std::uint64_t digest = fnv1a(host + '\0' + absolute.string());
    for (int slot = 0; slot < max_slots; ++slot) {
      const fs::path lock = absolute / ("member-" + std::to_string(slot) + ".lock");
      const int fd = ::open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
      if (fd < 0)
        throw config_error("cannot create '" + lock.string() + "': " + std::strerror(errno));
      if (::flock(fd, LOCK_EX | LOCK_NB) == 0)
        return derived_member_id(
            fd, slot, "upsertkit-" + host + "-" + hex(digest) + "-" + std::to_string(slot));
      const int why = errno;
      ::close(fd);
      if (why != EWOULDBLOCK)
        throw error("cannot lock '" + lock.string() + "': " + std::strerror(why));
    }
    throw error("all " + std::to_string(max_slots) + " member slots of '" + absolute.string() +
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
  derived_member_id(int fd, int slot, std::string id) : fd_(fd), slot_(slot), id_(std::move(id)) {}

  void release() noexcept {
    if (fd_ >= 0) ::close(fd_);  // closing the last descriptor releases the flock
    fd_ = -1;
  }

  // The host name with bytes a group.instance.id may not hold ([A-Za-z0-9._-] only) as '_',
  // at most 64 of them.
  static std::string host_name() {
    char buffer[256] = {};
    if (::gethostname(buffer, sizeof buffer - 1) != 0 || buffer[0] == '\0') return "localhost";
    std::string out;
    for (const char* c = buffer; *c != '\0' && out.size() < 64; ++c) {
      const auto b = static_cast<unsigned char>(*c);
      const bool allowed = (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') ||
                           (b >= '0' && b <= '9') || b == '.' || b == '_' || b == '-';
      out += allowed ? *c : '_';
    }
    return out;
  }

  // FNV-1a, 64 bits: fixed here, unlike hash_bytes, which may change between versions.
  static std::uint64_t fnv1a(std::string_view bytes) noexcept {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (const char c : bytes) {
      h ^= static_cast<unsigned char>(c);
      h *= 0x100000001b3ULL;
    }
    return h;
  }

  static std::string hex(std::uint64_t value) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out(16, '0');
    for (int i = 15; i >= 0; --i, value >>= 4)
      out[static_cast<std::size_t>(i)] = digits[value & 15];
    return out;
  }

  int fd_ = -1;
  int slot_ = 0;
  std::string id_;
};

}  // namespace upsertkit

#endif  // UPSERTKIT_STATIC_MEMBERSHIP_HPP
