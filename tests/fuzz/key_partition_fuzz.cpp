// Fuzz target: the key path of a record, as the source and the sink walk it: the key bytes are
// decoded by the key format (csv or json, orders table or every column type), encoded again
// as the sink would, and partitioned with Kafka's murmur2.
//
// Checks, besides the sanitizers:
//   - murmur2 equals a plain re-implementation of Kafka's Utils.murmur2 on every input, and
//     partition_for_key is in [0, n) for every partition count n tried;
//   - a decoded key encodes to bytes that decode to the same key columns and encode to the
//     same bytes again, so they land in the same partition: a key read from a topic and
//     written back keeps its partition.
#include <upsertkit/formats/format.hpp>
#include <upsertkit/partitioner.hpp>

#include <cstdint>
#include <string>

#include "fuzz_common.hpp"

namespace {

// Kafka's Utils.murmur2, written from the Java source's description, not from partitioner.hpp.
std::uint32_t reference_murmur2(std::string_view data) {
  const std::uint32_t seed = 0x9747b28c, m = 0x5bd1e995;
  const std::size_t length = data.size();
  std::uint32_t h = seed ^ static_cast<std::uint32_t>(length);
  const std::size_t length4 = length / 4;
  auto at = [&](std::size_t i) { return static_cast<std::uint32_t>(std::uint8_t(data[i])); };
  for (std::size_t i = 0; i < length4; ++i) {
    const std::size_t i4 = i * 4;
    std::uint32_t k = (at(i4) & 0xff) + ((at(i4 + 1) & 0xff) << 8) + ((at(i4 + 2) & 0xff) << 16) +
                      ((at(i4 + 3) & 0xff) << 24);
    k *= m;
    k ^= k >> 24;
    k *= m;
    h *= m;
    h ^= k;
  }
  const std::size_t tail = length & ~std::size_t{3};
  switch (length % 4) {
    case 3:
      h ^= (at(tail + 2) & 0xff) << 16;
      [[fallthrough]];
    case 2:
      h ^= (at(tail + 1) & 0xff) << 8;
      [[fallthrough]];
    case 1:
      h ^= at(tail) & 0xff;
      h *= m;
  }
  h ^= h >> 13;
  h *= m;
  h ^= h >> 15;
  return h;
}

void check_partitions(std::string_view bytes, std::int32_t extra_count) {
  const std::uint32_t hash = upsertkit::murmur2(bytes);
  FUZZ_CHECK(hash == reference_murmur2(bytes), "key", bytes);
  for (const std::int32_t n : {1, 2, 3, 6, 12, 100, 2147483647, extra_count}) {
    const std::int32_t p = upsertkit::partition_for_key(bytes, n);
    FUZZ_CHECK(p >= 0 && p < n);
    FUZZ_CHECK(p ==
               static_cast<std::int32_t>((hash & 0x7fffffffu) % static_cast<std::uint32_t>(n)));
  }
}

template <class Table>
void run(std::uint8_t choice, std::string_view key) {
  using row_type = typename Table::row_type;
  const std::int32_t count = 1 + (choice & 0x0f) * 7;
  check_partitions(key, count);
  const char* format = (choice & 0x10) ? "json" : "csv";
  upsertkit::format_options options;
  if (choice & 0x20)
    options[(choice & 0x10) ? "timestamp-format.standard" : "field-delimiter"] =
        (choice & 0x10) ? "ISO-8601" : "|";
  const upsertkit::table_projections<Table> projections;
  upsertkit::any_codec<Table> codec(format, projections.key, options, upsertkit::json::role::key);
  row_type row{};
  const upsertkit::decode_status status = codec.decode(key, row);
  if (!status.ok()) return;

  std::string encoded;
  codec.encode(row, encoded);
  check_partitions(encoded, count);
  if (encoded.empty()) return;  // a key that encodes to nothing is dropped by the pipeline
  upsertkit::any_codec<Table> reader(format, projections.key, options, upsertkit::json::role::key);
  row_type back{};
  const upsertkit::decode_status round = reader.decode(encoded, back);
  FUZZ_CHECK(round.ok(), "encoded key", encoded + " -> " + round.describe());
  FUZZ_CHECK((fuzz::same_columns<Table>(row, back, projections.key.columns)), "key", encoded);
  std::string again;
  reader.encode(back, again);
  FUZZ_CHECK(again == encoded, encoded, again);
  FUZZ_CHECK(upsertkit::partition_for_key(again, count) ==
             upsertkit::partition_for_key(encoded, count));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::input in(data, size);
  const std::uint8_t choice = in.byte();
  if (choice & 0x80)
    run<fuzz::all_types>(choice, in.rest());
  else
    run<orders::table>(choice, in.rest());
  return 0;
}
