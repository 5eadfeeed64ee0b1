// Synthetic records of the seed's orders table, shared by the benchmarks: the same generator
// and seed give the same bytes on every run.
#ifndef UPSERTKIT_BENCHMARKS_ORDERS_DATA_HPP
#define UPSERTKIT_BENCHMARKS_ORDERS_DATA_HPP

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

namespace orders_bench {

struct order_fields {
  std::string order_id, order_channel, order_time, pay_amount, real_pay, pay_time, user_id,
      user_name, area_id;
};

inline std::string order_id(std::uint64_t key) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "2023032512%08llu", static_cast<unsigned long long>(key));
  return buffer;
}

inline order_fields make_order(std::uint64_t key, std::mt19937_64& random) {
  static const char* channels[] = {"miniAppShop", "appshop", "webShop", "store"};
  static const char* names[] = {"Bob", "Cindy", "Alice", "Dmitri", "Eve", "Zhang Wei"};
  char buffer[64];
  order_fields f;
  f.order_id = order_id(key);
  f.order_channel = channels[random() % 4];
  std::snprintf(buffer, sizeof buffer, "2023-03-25 %02d:%02d:%02d", int(random() % 24),
                int(random() % 60), int(random() % 60));
  f.order_time = buffer;
  const auto cents = random() % 100000;
  std::snprintf(buffer, sizeof buffer, "%llu.%02llu", static_cast<unsigned long long>(cents / 100),
                static_cast<unsigned long long>(cents % 100));
  f.pay_amount = buffer;
  std::snprintf(buffer, sizeof buffer, "%llu.%02llu",
                static_cast<unsigned long long>(cents * 8 / 1000),
                static_cast<unsigned long long>(cents * 8 / 10 % 100));
  f.real_pay = buffer;
  std::snprintf(buffer, sizeof buffer, "2023-03-25 %02d:%02d:%02d", int(random() % 24),
                int(random() % 60), int(random() % 60));
  f.pay_time = buffer;
  std::snprintf(buffer, sizeof buffer, "%04d", int(random() % 10000));
  f.user_id = buffer;
  f.user_name = names[random() % 6];
  std::snprintf(buffer, sizeof buffer, "3301%02d", int(random() % 100));
  f.area_id = buffer;
  return f;
}

/// The seed's value layout: `{"order_id":"...", "order_channel":"...", ...}` with numbers in
/// strings, ~230 bytes. `shuffle` randomises the field order per record.
inline std::string to_json(const order_fields& f, std::mt19937_64* shuffle = nullptr) {
  std::vector<std::pair<const char*, const std::string*>> fields = {
      {"order_id", &f.order_id},     {"order_channel", &f.order_channel},
      {"order_time", &f.order_time}, {"pay_amount", &f.pay_amount},
      {"real_pay", &f.real_pay},     {"pay_time", &f.pay_time},
      {"user_id", &f.user_id},       {"user_name", &f.user_name},
      {"area_id", &f.area_id}};
  if (shuffle != nullptr) std::shuffle(fields.begin(), fields.end(), *shuffle);
  std::string out = "{";
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i != 0) out += ", ";
    out += '"';
    out += fields[i].first;
    out += "\":\"";
    out += *fields[i].second;
    out += '"';
  }
  out += '}';
  return out;
}

/// One upsert-topic record: CSV key and JSON value, or a tombstone.
struct record {
  std::string key;
  std::string value;
  bool tombstone = false;
};

/// `count` records over `keys` keys: ~5% tombstones, ~10% identical repeats of the key's last
/// value, the rest new values (inserts for unseen keys, updates otherwise).
inline std::vector<record> upsert_stream(std::size_t count, std::size_t keys, std::uint64_t seed,
                                         bool shuffled = false) {
  std::mt19937_64 random(seed);
  std::vector<std::string> last(keys);
  std::vector<record> records;
  records.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    const std::uint64_t key = random() % keys;
    record r;
    r.key = order_id(key);
    const auto dice = random() % 100;
    if (dice < 5) {
      r.tombstone = true;
      last[key].clear();
    } else if (dice < 15 && !last[key].empty()) {
      r.value = last[key];
    } else {
      r.value = to_json(make_order(key, random), shuffled ? &random : nullptr);
      last[key] = r.value;
    }
    records.push_back(std::move(r));
  }
  return records;
}

}  // namespace orders_bench

#endif  // UPSERTKIT_BENCHMARKS_ORDERS_DATA_HPP
