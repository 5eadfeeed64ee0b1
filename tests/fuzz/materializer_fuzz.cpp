// Fuzz target: the materializer (ChangelogNormalize) fed a sequence of upserts and tombstones
// over a few keys and partitions, derived from the input; options from the first byte
// (update-befores on/off, state TTL on/off).
//
// Checks, besides the sanitizers:
//   - every change against an independent model of Flink's rule (what must be emitted for this
//     input given the previous row of the key): kinds, rows and order;
//   - the changelog applied to an empty table (changelog_model) equals the stored state
//     (for_each_row) after every step, and -U / -D carry exactly the row emitted before for
//     that key; with a TTL, every stored row is held downstream (expired keys vanish silently);
//   - the counters add up (inserts, update-befores/afters, deletes, unchanged, unknown
//     tombstones).
#include <upsertkit/materializer.hpp>

#include <chrono>
#include <cstdint>
#include <cstring>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "changelog_model.hpp"
#include "fuzz_common.hpp"

namespace fuzz {

struct Item {
  std::int32_t id = 0;
  std::string_view region;
  std::optional<std::string_view> name;
  std::optional<double> price;
};

}  // namespace fuzz

BOOST_HANA_ADAPT_STRUCT(fuzz::Item, id, region, name, price);

namespace {

using items = upsertkit::table<fuzz::Item, upsertkit::primary_key<"region", "id">>;

constexpr std::string_view regions[] = {"", "eu", "us", "e\0u"};
constexpr std::string_view names[] = {"", "a", "b", "a-longer-name-that-is-not-inlined", "\xff"};
const double prices[] = {0.0,
                         -0.0,
                         1.5,
                         1e308,
                         std::numeric_limits<double>::quiet_NaN(),
                         -std::numeric_limits<double>::infinity()};

// The model's view of one stored row: field values, compared bit for bit like canonical bytes.
struct model_row {
  std::optional<std::string_view> name;
  std::optional<double> price;
  std::int64_t written = 0;
  bool same(const fuzz::Item& r) const {
    if (name != r.name) return false;
    if (price.has_value() != r.price.has_value()) return false;
    return !price || std::memcmp(&*price, &*r.price, sizeof(double)) == 0;
  }
};

// A change with its own copy of the strings: a -U or -D row points into the state, which the
// materializer frees once the handler returned.
struct flat_item {
  std::int32_t id = 0;
  std::string region;
  std::optional<std::string> name;
  std::optional<double> price;
  explicit flat_item(const fuzz::Item& r) : id(r.id), region(r.region), price(r.price) {
    if (r.name) name.emplace(*r.name);
  }
};

struct expected_change {
  upsertkit::row_kind kind;
  flat_item row;
};

struct recorder {
  fuzz::changelog_model<items>* model;
  std::vector<expected_change>* seen;
  void operator()(const upsertkit::change<fuzz::Item>& c) const {
    (*model)(c);
    seen->push_back({c.kind, flat_item(c.row)});
  }
};

bool same_item(const flat_item& a, const flat_item& b) {
  return a.id == b.id && a.region == b.region && fuzz::same_member(a.name, b.name) &&
         a.price.has_value() == b.price.has_value() &&
         (!a.price || std::memcmp(&*a.price, &*b.price, sizeof(double)) == 0);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::input in(data, size);
  const std::uint8_t choice = in.byte();
  upsertkit::materializer_options options;
  options.emit_update_before = !(choice & 0x01);
  const bool ttl = choice & 0x02;
  if (ttl) options.state_ttl = std::chrono::milliseconds(1 + (choice >> 2));

  fuzz::changelog_model<items> model(options.emit_update_before, ttl);
  std::vector<expected_change> seen;
  upsertkit::materializer<items, recorder> m(recorder{&model, &seen}, options);
  std::map<std::tuple<std::int32_t, std::string_view, std::int32_t>, model_row> expected;
  std::int64_t now = 0;
  std::uint64_t inserts = 0, befores = 0, afters = 0, deletes = 0, unchanged = 0, unknown = 0;

  while (!in.empty()) {
    const std::uint8_t op = in.byte();
    const std::uint8_t arg = in.byte();
    fuzz::Item row;
    row.id = op >> 5;  // 8 ids
    row.region = regions[(op >> 3) & 0x03];
    const std::int32_t partition = (op >> 1) & 0x03;  // partitions 0..3
    const auto at = std::make_tuple(partition, row.region, row.id);
    if (ttl && (arg & 0xc0) == 0xc0) {
      now += arg & 0x0f;  // time passes
      m.set_time(now);
      if (arg & 0x10) {
        const std::size_t evicted = m.evict_expired();
        std::size_t model_evicted = 0;
        for (auto it = expected.begin(); it != expected.end();) {
          if (now - it->second.written >= options.state_ttl.count()) {
            it = expected.erase(it);
            ++model_evicted;
          } else {
            ++it;
          }
        }
        FUZZ_CHECK(evicted == model_evicted);
      }
      continue;
    }
    // A key is live unless its last write expired.
    auto it = expected.find(at);
    if (it != expected.end() && ttl && now - it->second.written >= options.state_ttl.count()) {
      expected.erase(it);
      it = expected.end();
    }
    std::vector<expected_change> want;
    seen.clear();
    if (op & 0x01) {  // tombstone: only the key columns are read
      row.name = "garbage";
      row.price = 7.0;
      m.remove(partition, row);
      if (it == expected.end()) {
        ++unknown;
      } else {
        fuzz::Item full = row;
        full.name = it->second.name;
        full.price = it->second.price;
        want.push_back({upsertkit::row_kind::delete_, flat_item(full)});
        ++deletes;
        expected.erase(it);
      }
    } else {
      if (arg & 0x01) row.name = names[(arg >> 1) % 5];
      if (arg & 0x10) row.price = prices[(arg >> 5) % 6];
      m.upsert(partition, row);
      if (it == expected.end()) {
        want.push_back({upsertkit::row_kind::insert, flat_item(row)});
        ++inserts;
        expected[at] = model_row{row.name, row.price, now};
      } else if (!ttl && it->second.same(row)) {
        ++unchanged;
      } else {
        if (options.emit_update_before) {
          fuzz::Item previous = row;
          previous.name = it->second.name;
          previous.price = it->second.price;
          want.push_back({upsertkit::row_kind::update_before, flat_item(previous)});
          ++befores;
        }
        want.push_back({upsertkit::row_kind::update_after, flat_item(row)});
        ++afters;
        it->second = model_row{row.name, row.price, now};
      }
    }
    FUZZ_CHECK(seen.size() == want.size(), "wrong number of changes");
    for (std::size_t i = 0; i < want.size(); ++i) {
      FUZZ_CHECK(seen[i].kind == want[i].kind, "wrong change kind");
      FUZZ_CHECK(same_item(seen[i].row, want[i].row), "wrong change row");
    }
    if (ttl)
      model.check_contains(m);
    else
      model.check_equals(m);
  }
  const upsertkit::materializer_stats& s = m.stats();
  FUZZ_CHECK(s.inserts == inserts && s.update_befores == befores && s.update_afters == afters &&
             s.deletes == deletes && s.unknown_tombstones == unknown);
  if (!ttl) FUZZ_CHECK(s.unchanged == unchanged);
  FUZZ_CHECK(m.state_keys() == expected.size());
  return 0;
}
