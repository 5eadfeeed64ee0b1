// Fuzz target: a committed RocksDB state directory with one of its files damaged by the input
// (bytes written at an offset, the file cut short, or the file replaced), opened as a source's
// store (rebuild_unreadable) and as a user's, then read whole. Each outcome must be one of:
// the committed state exactly, a rebuild to an empty store with a reason, an upsertkit::error
// naming the directory. Never a crash, never wrong rows, never a config_error (which is for
// directories that are not damaged state: a file, a lock, a foreign database).
//
// Input: byte 0 picks the file (modulo the files of the directory, in name order), byte 1 the
// kind of damage, bytes 2-5 the offset (modulo the file's size); the rest are the bytes written.
#include <unistd.h>
#include <upsertkit/error.hpp>
#include <upsertkit/key_hash.hpp>
#include <upsertkit/stores/rocksdb_store.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

constexpr std::int64_t committed_offset = 300;

const fs::path& root() {
  static const fs::path dir =
      fs::temp_directory_path() / ("upsertkit-fuzz-state-dir-" + std::to_string(::getpid()));
  return dir;
}

const std::map<std::string, std::string>& expected() {
  static const std::map<std::string, std::string> rows = [] {
    std::map<std::string, std::string> r;
    for (int i = 0; i < 300; ++i)
      r["key-" + std::to_string(i)] = "row-" + std::to_string(i * 7);
    return r;
  }();
  return rows;
}

// The committed store every input starts from: written once per process, closed (flushed).
const std::vector<fs::path>& pristine_files() {
  static const std::vector<fs::path> files = [] {
    fs::remove_all(root());
    upsertkit::rocksdb_store_options o;
    o.path = root() / "pristine";
    o.fingerprint = "fuzz";
    {
      upsertkit::rocksdb_store store(o);
      int i = 0;
      for (const auto& [key, row] : expected())
        store.insert(key, upsertkit::hash_bytes(key), row, i++);
      store.commit(committed_offset);
    }
    std::vector<fs::path> names;
    for (const auto& f : fs::directory_iterator(o.path))
      if (f.is_regular_file() && f.path().filename() != "LOCK")
        names.push_back(f.path().filename());
    std::sort(names.begin(), names.end());
    std::atexit([] {
      std::error_code ignored;
      fs::remove_all(root(), ignored);
    });
    return names;
  }();
  return files;
}

void damage(const fs::path& file, std::uint8_t kind, std::uint32_t offset,
            const std::uint8_t* bytes, std::size_t count) {
  const std::uintmax_t size = fs::file_size(file);
  switch (kind % 3) {
    case 0: {  // bytes written over the file at an offset
      std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
      f.seekp(static_cast<std::streamoff>(size == 0 ? 0 : offset % size));
      f.write(reinterpret_cast<const char*>(bytes), static_cast<std::streamsize>(count));
      break;
    }
    case 1:  // cut short
      fs::resize_file(file, size == 0 ? 0 : offset % size);
      break;
    default: {  // replaced
      std::ofstream f(file, std::ios::binary | std::ios::trunc);
      f.write(reinterpret_cast<const char*>(bytes), static_cast<std::streamsize>(count));
    }
  }
}

void check_open(const fs::path& dir, bool rebuild) {
  upsertkit::rocksdb_store_options o;
  o.path = dir;
  o.fingerprint = "fuzz";
  o.rebuild_unreadable = rebuild;
  try {
    upsertkit::rocksdb_store store(o);
    if (store.rebuilt()) {
      if (store.rebuild_reason().empty() || store.size() != 0 || store.checkpoint() != -1)
        std::abort();  // a rebuild starts empty and says why
      return;
    }
    std::map<std::string, std::string> seen;
    store.for_each([&](const upsertkit::rocksdb_store::entry& e) {
      seen[std::string(e.key())] = std::string(e.row());
    });
    // Damage RocksDB cannot see (bytes equal to those they replace, a file it does not read
    // again) leaves the state whole; anything else must have been refused above.
    if (seen != expected() || store.checkpoint() != committed_offset) std::abort();
    for (const auto& [key, row] : expected()) {
      const auto* e = store.find(key, upsertkit::hash_bytes(key));
      if (e == nullptr || e->row() != row) std::abort();
    }
  } catch (const upsertkit::config_error&) {
    std::abort();  // damaged state is not a configuration error
  } catch (const upsertkit::error& e) {
    if (std::string(e.what()).find(dir.string()) == std::string::npos) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::vector<fs::path>& files = pristine_files();
  if (size < 6) return 0;
  std::uint32_t offset = 0;
  std::memcpy(&offset, data + 2, sizeof offset);
  for (bool rebuild : {false, true}) {
    const fs::path copy = root() / "copy";
    fs::remove_all(copy);
    fs::copy(root() / "pristine", copy);
    fs::remove(copy / "LOCK");
    damage(copy / files[data[0] % files.size()], data[1], offset, data + 6, size - 6);
    check_open(copy, rebuild);
  }
  return 0;
}
