// The state stores the materializer and source tests run with, as GoogleTest typed tests: the
// memory store always, and the RocksDB store when the project is configured with
// UPSERTKIT_ROCKSDB=ON (which defines UPSERTKIT_TEST_ROCKSDB for the test binary). A build
// without RocksDB compiles and runs the memory variants only.
//
//   template <class Stores> class Suite : public ::testing::Test { protected: Stores stores; };
//   TYPED_TEST_SUITE(Suite, store_fixtures::all);
//
// GoogleTest names the variants Suite/0.Test (memory) and Suite/1.Test (rocksdb); CMake's test
// discovery (ctest) names them Suite.Test<store_fixtures::memory> and
// Suite.Test<store_fixtures::rocksdb>. (Named variants would give ctest names of the whole
// "Suite/rocksdb.  # TypeParam = ..." line: CMake 3.25 expects a number there.)
//
// Each fixture type (one object per test) offers:
//   store                          the store type, for materializer<..., store> and
//                                  upsert_source<..., store>
//   durable                        whether the store keeps a checkpoint (a restarted source
//                                  resumes from it instead of reading from the first offset)
//   attach(materializer)           gives a materializer its stores (RocksDB: a store factory,
//                                  one new directory per call, one store per partition in it)
//   durability_point(materializer) commits every store of the materializer (RocksDB: its
//                                  pending changes written with a checkpoint, then its keys in
//                                  memory forgotten, so that later reads come from the
//                                  database); nothing for the memory store
//   use_state(options, name)       a source's state_dir: <the test's directory>/<name>. The
//                                  same name is the same state, as a restarted process finds
//                                  it on its disk; nothing for the memory store
// The RocksDB fixture's directory is upsertkit-store-<pid>-<suite>-<test> in the temporary
// directory (TMPDIR, else /tmp), removed before and after the test.
#ifndef UPSERTKIT_TESTS_STORE_FIXTURES_HPP
#define UPSERTKIT_TESTS_STORE_FIXTURES_HPP

#include <gtest/gtest.h>
#include <upsertkit/stores/memory_store.hpp>

#include <cstdint>
#include <string>
#include <string_view>

#if UPSERTKIT_TEST_ROCKSDB
#include <unistd.h>
#include <upsertkit/stores/rocksdb_store.hpp>

#include <filesystem>
#include <memory>
#include <system_error>
#include <utility>
#endif

namespace store_fixtures {

/// The default store: state in the process's heap, nothing kept across a restart.
struct memory {
  using store = upsertkit::memory_store;
  static constexpr bool durable = false;

  template <class Materializer>
  void attach(Materializer&) {}
  template <class Materializer>
  void durability_point(Materializer&) {}
  template <class Options>
  void use_state(Options&, std::string_view = "state") const {}
};

#if UPSERTKIT_TEST_ROCKSDB
/// The RocksDB store, in a directory of the test's own.
class rocksdb {
 public:
  using store = upsertkit::rocksdb_store;
  static constexpr bool durable = true;

  rocksdb() : dir_(test_directory()) { std::filesystem::remove_all(dir_); }
  ~rocksdb() {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  rocksdb(const rocksdb&) = delete;
  rocksdb& operator=(const rocksdb&) = delete;

  template <class Materializer>
  void attach(Materializer& m) {
    const std::filesystem::path base = dir_ / ("materializer-" + std::to_string(materializers_++));
    m.set_store_factory([base](std::int32_t partition) {
      upsertkit::rocksdb_store_options o;
      o.path = base / std::to_string(partition);
      o.fingerprint = "store-fixtures";
      // One cache and one memtable budget for every store of the process, as a source has.
      const auto& shared = upsertkit::rocksdb_store::shared_resources();
      o.block_cache = shared.block_cache;
      o.write_buffers = shared.write_buffers;
      // Past this, a commit forgets the keys in memory: every durability point does.
      o.memory_limit = 0;
      return std::make_unique<upsertkit::rocksdb_store>(std::move(o));
    });
  }

  template <class Materializer>
  void durability_point(Materializer& m) {
    ++checkpoint_;
    for (std::int32_t p = 0; p < max_partition; ++p)
      if (auto* store = m.partition_state(p)) store->commit(checkpoint_);
  }

  template <class Options>
  void use_state(Options& options, std::string_view name = "state") const {
    options.state_dir = (dir_ / name).string();
    // The embedded (mock) cluster of librdkafka 2.0.2 does not give a returning static member
    // its place: each restart would wait out the session of the member it replaces (+6 s per
    // restart, measured). Static membership is tested on the real broker
    // (tests/broker/membership_test.cpp).
    options.static_membership = false;
  }

  const std::filesystem::path& directory() const noexcept { return dir_; }

 private:
  // The tests use a few partitions; partition_state() is nullptr past the highest one.
  static constexpr std::int32_t max_partition = 64;

  static std::filesystem::path test_directory() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = "upsertkit-store-" + std::to_string(::getpid());
    if (info != nullptr) name += std::string("-") + info->test_suite_name() + "-" + info->name();
    for (char& c : name)  // a typed suite's name is Suite/1
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '_'))
        c = '_';
    return std::filesystem::temp_directory_path() / name;
  }

  std::filesystem::path dir_;
  int materializers_ = 0;
  std::int64_t checkpoint_ = 0;
};
#endif

/// The fixture types of a typed test suite.
using all = ::testing::Types<memory
#if UPSERTKIT_TEST_ROCKSDB
                             ,
                             rocksdb
#endif
                             >;

}  // namespace store_fixtures

#endif  // UPSERTKIT_TESTS_STORE_FIXTURES_HPP
