// The default state store against std::unordered_map, including forced hash collisions.
#include <gtest/gtest.h>
#include <upsertkit/stores/memory_store.hpp>

// After the store's own declarations of mmap/munmap/madvise: glibc's must agree with them (a
// mismatch would not compile), and so must the constants.
#include <sys/mman.h>

#include <cstring>
#include <random>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace {

using upsertkit::memory_store;

void check_equal(const memory_store& store,
                 const std::unordered_map<std::string, std::string>& model,
                 std::uint64_t (*hash)(std::string_view)) {
  ASSERT_EQ(store.size(), model.size());
  for (const auto& [key, row] : model) {
    const auto* e = store.find(key, hash(key));
    ASSERT_NE(e, nullptr) << key;
    EXPECT_EQ(e->row(), row) << key;
    EXPECT_EQ(e->key(), key);
  }
  std::size_t visited = 0;
  store.for_each([&](const memory_store::entry& e) {
    ++visited;
    auto it = model.find(std::string(e.key()));
    ASSERT_NE(it, model.end());
    EXPECT_EQ(e.row(), it->second);
  });
  EXPECT_EQ(visited, model.size());
}

void random_operations(std::uint64_t (*hash)(std::string_view), int key_space, int steps) {
  std::mt19937_64 random(7);
  memory_store store;
  std::unordered_map<std::string, std::string> model;
  for (int step = 0; step < steps; ++step) {
    const std::string key = "key-" + std::to_string(random() % key_space);
    const std::uint64_t h = hash(key);
    const auto op = random() % 10;
    if (op < 3) {
      EXPECT_EQ(store.erase(key, h), model.erase(key) == 1);
    } else {
      const std::string row(random() % 300, static_cast<char>('a' + random() % 26));
      const auto* e = store.find(key, h);
      if (e == nullptr) {
        ASSERT_EQ(model.count(key), 0u);
        store.insert(key, h, row, step);
      } else {
        store.replace(e, h, row, step);
      }
      model[key] = row;
    }
    if (step % 997 == 0) check_equal(store, model, hash);
  }
  check_equal(store, model, hash);
  store.erase_if([](const memory_store::entry& e) { return e.row().size() % 2 == 0; });
  std::erase_if(model, [](const auto& kv) { return kv.second.size() % 2 == 0; });
  check_equal(store, model, hash);
  for (const auto& [key, row] : std::unordered_map<std::string, std::string>(model))
    EXPECT_TRUE(store.erase(key, hash(key)));
  EXPECT_EQ(store.size(), 0u);
  // Only the slot array remains once every block is freed.
  EXPECT_LE(store.memory_bytes(), 16 * 4096u);
}

#if defined(__linux__)
static_assert(upsertkit::detail::mman::prot_read == PROT_READ);
static_assert(upsertkit::detail::mman::prot_write == PROT_WRITE);
static_assert(upsertkit::detail::mman::map_private == MAP_PRIVATE);
static_assert(upsertkit::detail::mman::map_anonymous == MAP_ANONYMOUS);
static_assert(upsertkit::detail::mman::madv_hugepage == MADV_HUGEPAGE);
#endif

TEST(MemoryStore, BehavesLikeAMap) {
  random_operations(&upsertkit::hash_bytes, 2000, 40000);
}

TEST(MemoryStore, SurvivesTotalHashCollisions) {
  // Every key in one probe chain exercises backward-shift deletion across the whole cluster.
  random_operations([](std::string_view) -> std::uint64_t { return 42; }, 60, 6000);
}

TEST(MemoryStore, SurvivesClusteredHashes) {
  random_operations(
      [](std::string_view k) -> std::uint64_t { return upsertkit::hash_bytes(k) % 7; }, 300, 20000);
}

TEST(MemoryStore, ReplaceInPlaceKeepsTheEntryAndGrowingMovesIt) {
  memory_store store;
  const auto h = upsertkit::hash_bytes("k");
  const auto* e = store.insert("k", h, "0123456789", 1);
  const auto* same = store.replace(e, h, "abc", 2);
  EXPECT_EQ(same, e);
  EXPECT_EQ(same->row(), "abc");
  EXPECT_EQ(same->write_time, 2);
  const std::string big(100, 'x');
  const auto* moved = store.replace(same, h, big, 3);
  EXPECT_EQ(store.find("k", h), moved);
  EXPECT_EQ(moved->row(), big);
}

TEST(MemoryStore, MemoryAccountingFollowsContent) {
  memory_store store;
  const std::size_t empty = store.memory_bytes();
  for (int i = 0; i < 1000; ++i) {
    const std::string key = std::to_string(i);
    store.insert(key, upsertkit::hash_bytes(key), std::string(100, 'r'), 0);
  }
  const std::size_t full = store.memory_bytes();
  EXPECT_GE(full - empty, 1000u * 100u);           // at least the row bytes
  EXPECT_LE(full - empty, 1000u * (100u + 100u));  // and a bounded overhead per key
}

TEST(MemoryStore, BinaryKeysAndRowsAreKeptByteForByte) {
  // BYTES keys reach the store as row_codec key bytes: a length prefix, then any byte values.
  memory_store store;
  const std::string keys[] = {std::string("\x01\0", 2), std::string("\x01\xff", 2),
                              std::string("\x02\0\0", 3), std::string("\0", 1)};
  for (const std::string& key : keys)
    store.insert(key, upsertkit::hash_bytes(key), key + std::string("\0\xff", 2), 0);
  ASSERT_EQ(store.size(), 4u);
  for (const std::string& key : keys) {
    const auto* e = store.find(key, upsertkit::hash_bytes(key));
    ASSERT_NE(e, nullptr);
    EXPECT_EQ(e->key(), key);
    EXPECT_EQ(e->row(), key + std::string("\0\xff", 2));
  }
  EXPECT_EQ(store.find(std::string_view("\x01", 1), upsertkit::hash_bytes("\x01")), nullptr);
}

TEST(HashBytes, DependsOnEveryByteAndTheLength) {
  EXPECT_NE(upsertkit::hash_bytes("abcdefgh1"), upsertkit::hash_bytes("abcdefgh2"));
  EXPECT_NE(upsertkit::hash_bytes(std::string_view("a\0", 2)), upsertkit::hash_bytes("a"));
  EXPECT_NE(upsertkit::hash_bytes(""), upsertkit::hash_bytes(std::string_view("\0", 1)));
  EXPECT_EQ(upsertkit::hash_bytes("same"), upsertkit::hash_bytes("same"));
  // Every length of every read path (short, two words, four words, the loop), every byte and
  // bit: flipping one changes the hash; so does the length alone (zero bytes appended).
  std::set<std::uint64_t> by_length;
  for (std::size_t n = 0; n <= 100; ++n) {
    const std::string zeros(n, '\0');
    EXPECT_TRUE(by_length.insert(upsertkit::hash_bytes(zeros)).second) << n;
    std::string key(n, 'k');
    for (std::size_t i = 0; i < n; ++i)
      key[i] = static_cast<char>('a' + (i * 7) % 26);
    const std::uint64_t original = upsertkit::hash_bytes(key);
    for (std::size_t i = 0; i < n; ++i) {
      for (int bit = 0; bit < 8; ++bit) {
        key[i] = static_cast<char>(key[i] ^ (1 << bit));
        EXPECT_NE(upsertkit::hash_bytes(key), original) << "length " << n << " byte " << i;
        key[i] = static_cast<char>(key[i] ^ (1 << bit));
      }
    }
  }
}

// The low bits pick the home slot, so they must spread typical keys evenly: counter-like
// keys of the lengths and shapes Kafka keys have, into as many buckets as a table of 100,000
// keys uses. A chi-square of 1.0 per bucket is a uniform spread; 1.1 would lengthen probes.
TEST(HashBytes, LowBitsSpreadSequentialKeysEvenly) {
  const std::size_t keys = 100000, buckets = std::size_t{1} << 17;
  for (int shape = 0; shape < 3; ++shape) {
    std::vector<int> count(buckets);
    for (std::size_t i = 0; i < keys; ++i) {
      std::string key;
      if (shape == 0) {
        key = "key-" + std::to_string(i);
      } else if (shape == 1) {
        key.assign(8, '\0');
        std::memcpy(key.data(), &i, sizeof i < 8 ? sizeof i : 8);
      } else {
        key =
            "\x12"
            "20230325120202" +
            std::to_string(1000 + i) + std::string(40, 'p');
      }
      ++count[upsertkit::hash_bytes(key) & (buckets - 1)];
    }
    const double expected = static_cast<double>(keys) / static_cast<double>(buckets);
    double chi_square = 0;
    for (int c : count)
      chi_square += (c - expected) * (c - expected) / expected;
    EXPECT_LT(chi_square / static_cast<double>(buckets), 1.05) << "shape " << shape;
  }
}

// Past 2 MiB of blocks the store takes 2 MiB chunks (huge-page backed where the kernel
// allows), and past 2 MiB of slots a 2 MiB-aligned slot array: every key stays findable
// through growth, churn, a move and emptying, and the accounting stays within the content
// plus one chunk's tail.
TEST(MemoryStore, LargeStoreUsesHugeChunksAndGivesThemBack) {
  memory_store store;
  std::unordered_map<std::string, std::string> model;
  std::mt19937_64 random(11);
  const std::size_t keys = 110000;  // 131,072 slots (load 7/8 at most): a 2 MiB slot array
  std::size_t content = 0;
  for (std::size_t i = 0; i < keys; ++i) {
    const std::string key = "order-" + std::to_string(i);
    const std::string row(40 + random() % 80, static_cast<char>('a' + i % 26));
    store.insert(key, upsertkit::hash_bytes(key), row, 0);
    model[key] = row;
    content += key.size() + row.size() + sizeof(memory_store::entry);
  }
  const std::size_t slot_bytes = std::size_t{1} << 17 << 4;
  EXPECT_GE(store.memory_bytes(), content);
  EXPECT_LE(store.memory_bytes(), content + content / 4 + slot_bytes + (std::size_t{2} << 20));
  for (std::size_t i = 0; i < keys; i += 3) {  // churn: a third grows, a third is erased
    const std::string key = "order-" + std::to_string(i);
    const auto h = upsertkit::hash_bytes(key);
    if (i % 2 == 0) {
      ASSERT_TRUE(store.erase(key, h));
      model.erase(key);
    } else {
      const std::string row(300, 'g');
      store.replace(store.find(key, h), h, row, 1);
      model[key] = row;
    }
  }
  memory_store moved(std::move(store));
  check_equal(moved, model, &upsertkit::hash_bytes);
  for (const auto& [key, row] : model)
    ASSERT_TRUE(moved.erase(key, upsertkit::hash_bytes(key)));
  EXPECT_EQ(moved.size(), 0u);
  EXPECT_EQ(moved.memory_bytes(), slot_bytes);  // every chunk returned; the slots remain
  moved.clear();
  EXPECT_EQ(moved.memory_bytes(), 0u);
}

// Blocks come from chunks with free lists per size: churn at a steady key count must reuse freed
// blocks instead of growing, rows too large for a chunk go to the heap and back, and an
// emptied store holds no chunk.
TEST(MemoryStore, ChurnReusesFreedBlocks) {
  memory_store store;
  std::mt19937_64 random(7);
  auto key_of = [](std::size_t i) { return "key-" + std::to_string(i); };
  for (std::size_t i = 0; i < 5000; ++i)
    store.insert(key_of(i), upsertkit::hash_bytes(key_of(i)), std::string(100 + i % 50, 'r'), 0);
  const std::size_t settled = store.memory_bytes();
  for (int round = 0; round < 20; ++round) {
    for (std::size_t i = 0; i < 5000; i += 2) {
      const std::string key = key_of(i);
      const auto h = upsertkit::hash_bytes(key);
      ASSERT_TRUE(store.erase(key, h));
      store.insert(key, h, std::string(100 + random() % 50, 'n'), 0);
    }
  }
  EXPECT_EQ(store.size(), 5000u);
  EXPECT_LE(store.memory_bytes(), settled + settled / 4);
}

TEST(MemoryStore, LargeRowsLeaveTheChunksAndComeBack) {
  memory_store store;
  const std::string big(10000, 'B'), small(10, 's');
  const auto h = upsertkit::hash_bytes("k");
  const auto* e = store.insert("k", h, small, 1);
  e = store.replace(e, h, big, 2);
  EXPECT_EQ(store.find("k", h)->row(), big);
  EXPECT_GE(store.memory_bytes(), big.size());
  e = store.replace(e, h, small, 3);  // fits the big block: stays there
  EXPECT_EQ(store.find("k", h)->row(), small);
  store.insert("other", upsertkit::hash_bytes("other"), big, 4);
  EXPECT_TRUE(store.erase("k", h));
  EXPECT_TRUE(store.erase("other", upsertkit::hash_bytes("other")));
  EXPECT_EQ(store.size(), 0u);
  EXPECT_LE(store.memory_bytes(), 16 * 4096u);  // only the slots
}

// reset() empties the store and keeps its memory: refilled to the same size (as the RocksDB
// store's cache is after each commit over its budget), it maps nothing new, and what it holds
// is exactly the new content (a large row included, which leaves the chunks).
TEST(MemoryStore, ResetKeepsTheMemoryForTheNextContent) {
  memory_store store;
  auto fill = [&](const std::string& prefix, std::unordered_map<std::string, std::string>& model) {
    for (std::size_t i = 0; i < 60000; ++i) {  // ~5 MiB: 64 KiB chunks, then huge ones
      const std::string key = prefix + std::to_string(i);
      const std::string row(60 + i % 40, static_cast<char>('a' + i % 26));
      store.insert(key, upsertkit::hash_bytes(key), row, 0);
      model[key] = row;
    }
    const std::string big(10000, 'B');
    store.insert(prefix + "big", upsertkit::hash_bytes(prefix + "big"), big, 0);
    model[prefix + "big"] = big;
  };
  std::unordered_map<std::string, std::string> first, second;
  fill("first-", first);
  const std::size_t held = store.memory_bytes();
  EXPECT_LE(store.bytes_in_use(), held);
  EXPECT_GE(store.bytes_in_use(), held - (std::size_t{2} << 20));  // at most one chunk unused
  store.reset();
  EXPECT_EQ(store.size(), 0u);
  EXPECT_EQ(store.find("first-1", upsertkit::hash_bytes("first-1")), nullptr);
  const std::size_t slots = store.bytes_in_use();
  EXPECT_LT(slots, held / 4);  // the slots only: the chunks are kept but not in use
  // The large row went back to the heap; the chunks and slots stay.
  EXPECT_LT(store.memory_bytes(), held - 10000);
  EXPECT_GT(store.memory_bytes(), held - 10000 - 256);
  fill("second-", second);
  check_equal(store, second, &upsertkit::hash_bytes);
  EXPECT_EQ(store.memory_bytes(), held);  // the same chunks again, none mapped
  store.reset();
  store.insert("k", upsertkit::hash_bytes("k"), "row", 1);
  EXPECT_EQ(store.find("k", upsertkit::hash_bytes("k"))->row(), "row");
  EXPECT_GT(store.bytes_in_use(), slots);
  store.clear();
  EXPECT_EQ(store.memory_bytes(), 0u);
}

TEST(MemoryStore, MovedStoreKeepsItsBlocks) {
  memory_store a;
  for (int i = 0; i < 300; ++i) {
    const std::string key = std::to_string(i);
    a.insert(key, upsertkit::hash_bytes(key), std::string(i, 'x'), 0);
  }
  memory_store b(std::move(a));
  memory_store c;
  c.insert("gone", upsertkit::hash_bytes("gone"), "row", 0);
  c = std::move(b);
  EXPECT_EQ(c.size(), 300u);
  for (int i = 0; i < 300; ++i) {
    const std::string key = std::to_string(i);
    const auto* e = c.find(key, upsertkit::hash_bytes(key));
    ASSERT_NE(e, nullptr);
    EXPECT_EQ(e->row(), std::string(i, 'x'));
  }
  EXPECT_EQ(c.find("gone", upsertkit::hash_bytes("gone")), nullptr);
}

}  // namespace
