// A program outside this repository's build that uses the RocksDB state store as the package's
// component `rocksdb` gives it (CMake find_package(upsertkit COMPONENTS rocksdb), pkg-config's
// upsertkit-rocksdb, the vcpkg feature, the conan option). It opens a store in a directory of
// its own, commits two keys with a checkpoint, leaves one change uncommitted, closes the store,
// reopens it and checks that exactly the committed state came back; it prints one line per step
// for scripts/packaging-tests.sh to compare with expected.txt, and fails if the state differs.
#include <unistd.h>
#include <upsertkit/stores/rocksdb_store.hpp>

#include <cstdint>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>

namespace consumer {

static_assert(upsertkit::checkpointing_store<upsertkit::rocksdb_store>);

std::uint64_t hash(std::string_view key) {
  return upsertkit::hash_bytes(key);
}

std::string row_of(const upsertkit::rocksdb_store& store, std::string_view key) {
  const auto* e = store.find(key, hash(key));
  return e == nullptr ? std::string("-") : std::string(e->row());
}

// As the materializer does: a find, then insert for an absent key or replace for a found one.
void put(upsertkit::rocksdb_store& store, std::string_view key, std::string_view row,
         std::int64_t now) {
  if (const auto* e = store.find(key, hash(key)); e != nullptr)
    store.replace(e, hash(key), row, now);
  else
    store.insert(key, hash(key), row, now);
}

void print(const char* step, const upsertkit::rocksdb_store& store) {
  std::printf("%s: checkpoint %lld, %zu keys, p-7 %s, p-8 %s, p-9 %s\n", step,
              static_cast<long long>(store.checkpoint()), store.size(),
              row_of(store, "p-7").c_str(), row_of(store, "p-8").c_str(),
              row_of(store, "p-9").c_str());
}

int run(const std::filesystem::path& dir) {
  upsertkit::rocksdb_store_options options;
  options.path = dir / "payments-0";
  options.fingerprint = "payments v1";
  {
    upsertkit::rocksdb_store store(options);
    print("opened", store);
    put(store, "p-7", "Ann,1250", 1);
    put(store, "p-8", "Bob,990", 2);
    put(store, "p-9", "Cid,10", 3);
    put(store, "p-7", "Ann,1300", 4);
    store.erase("p-9", hash("p-9"));
    store.commit(5);  // offsets 0-4 applied: the next record to read is 5
    print("committed", store);
    put(store, "p-9", "Dan,70", 5);  // never committed: lost when the store closes
    print("pending", store);
  }
  const upsertkit::rocksdb_store store(options);
  print("reopened", store);
  const bool as_committed = store.checkpoint() == 5 && store.size() == 2 && !store.rebuilt() &&
                            row_of(store, "p-7") == "Ann,1300" &&
                            row_of(store, "p-8") == "Bob,990" && row_of(store, "p-9") == "-";
  std::printf("%s\n", as_committed ? "state as committed" : "state NOT as committed");
  return as_committed ? 0 : 1;
}

}  // namespace consumer

int main() {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                    ("upsertkit-rocksdb-consumer-" + std::to_string(::getpid()));
  int status = 1;
  try {
    status = consumer::run(dir);
  } catch (const std::exception& e) {
    std::printf("error: %s\n", e.what());
  }
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
  return status;
}
