// Kafka's murmur2 partitioner against the Java client's and librdkafka's published vectors.
#include <gtest/gtest.h>
#include <upsertkit/partitioner.hpp>

#include <cstdint>
#include <string>

namespace {

std::int32_t java_int(std::uint32_t bits) {
  return static_cast<std::int32_t>(bits);
}

// apache/kafka clients/src/test/java/org/apache/kafka/common/utils/UtilsTest.java#testMurmur2
TEST(Murmur2, MatchesJavaClientVectors) {
  EXPECT_EQ(java_int(upsertkit::murmur2("21")), -973932308);
  EXPECT_EQ(java_int(upsertkit::murmur2("foobar")), -790332482);
  EXPECT_EQ(java_int(upsertkit::murmur2("a-little-bit-long-string")), -985981536);
  EXPECT_EQ(java_int(upsertkit::murmur2("a-little-bit-longer-string")), -1486304829);
  EXPECT_EQ(java_int(upsertkit::murmur2("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8")),
            -58897971);
  EXPECT_EQ(java_int(upsertkit::murmur2(std::string{'a', 'b', 'c'})), 479470107);
}

// confluentinc/librdkafka src/rdmurmur2.c unittest_murmur2
TEST(Murmur2, MatchesLibrdkafkaVectors) {
  EXPECT_EQ(upsertkit::murmur2("kafka"), 0xd067cf64u);
  EXPECT_EQ(upsertkit::murmur2("giberish123456789"), 0x8f552b0cu);
  EXPECT_EQ(upsertkit::murmur2("1234"), 0x9fc97b14u);
  EXPECT_EQ(upsertkit::murmur2("234"), 0xe7c009cau);
  EXPECT_EQ(upsertkit::murmur2("34"), 0x873930dau);
  EXPECT_EQ(upsertkit::murmur2("4"), 0x5a4b5ca1u);
  EXPECT_EQ(upsertkit::murmur2(""), 0x106e08d9u);
}

TEST(Murmur2, UsableAtCompileTime) {
  static_assert(upsertkit::murmur2("kafka") == 0xd067cf64u);
  static_assert(upsertkit::partition_for_key("kafka", 3) == 1);
}

// Java reads `data[i] & 0xff`: a port that sign-extends bytes >= 0x80 gets every one of these
// wrong. The values are Kafka 4.1.2's org.apache.kafka.common.utils.Utils.murmur2 and
// toPositive(h) % 6 on JDK 17 (kafka-clients from Maven Central), computed on 2026-12-06.
TEST(Murmur2, MatchesJavaForBytesAboveSevenBits) {
  struct vector {
    std::string bytes;
    std::int32_t java_hash;
    std::int32_t partition_of_6;
  };
  std::string all(256, '\0');
  for (int i = 0; i < 256; ++i)
    all[static_cast<std::size_t>(i)] = static_cast<char>(i);
  std::string high(7, '\0');
  for (int i = 0; i < 7; ++i)
    high[static_cast<std::size_t>(i)] = static_cast<char>(0x80 + i * 17);
  const vector vectors[] = {
      {std::string("\xff", 1), -311467685, 3},
      {std::string("\x80", 1), 857690492, 2},
      {std::string("\xff\xfe\x80", 3), -160726397, 3},
      {"\xc3\xa9", 186971271, 3},        // UTF-8 of U+00E9
      {"\xe2\x82\xac", -1352192002, 4},  // UTF-8 of U+20AC
      {all, -1948347274, 4},             // bytes 0..255: every tail length seen
      {high, 1556198382, 0},             // 0x80, 0x91, ..., 0xe6
  };
  for (const vector& v : vectors) {
    EXPECT_EQ(java_int(upsertkit::murmur2(v.bytes)), v.java_hash) << v.bytes.size() << " bytes";
    EXPECT_EQ(upsertkit::partition_for_key(v.bytes, 6), v.partition_of_6) << v.bytes.size();
  }
}

TEST(PartitionForKey, ToPositiveMasksTheSignBitInsteadOfAbs) {
  // "kafka" hashes to 0xd067cf64, negative as a Java int: abs() would give another partition.
  const std::uint32_t h = upsertkit::murmur2("kafka");
  EXPECT_EQ(upsertkit::to_positive(h), static_cast<std::int32_t>(h & 0x7fffffff));
  // Taking the unsigned hash modulo n without the mask (a known bug of some ports) gives
  // partition 0 for both n = 3 and n = 6.
  EXPECT_EQ(upsertkit::partition_for_key("kafka", 3), 1);
  EXPECT_EQ(upsertkit::partition_for_key("kafka", 6), 4);
}

TEST(PartitionForKey, SeedKeysLandWhereJavaPutsThem) {
  // Derived in the reference (an independent port): CSV key of the seed's first order,
  // and its JSON key spelling.
  EXPECT_EQ(java_int(upsertkit::murmur2("202303251202020001")), 565601368);
  EXPECT_EQ(upsertkit::partition_for_key("202303251202020001", 4), 0);
  const char* json_key = R"({"order_id":"202303251202020001"})";
  EXPECT_EQ(java_int(upsertkit::murmur2(json_key)), -1298505321);
  EXPECT_EQ(upsertkit::partition_for_key(json_key, 3), 2);
  EXPECT_EQ(upsertkit::partition_for_key(json_key, 4), 3);
  EXPECT_EQ(upsertkit::partition_for_key(json_key, 8), 7);
}

}  // namespace
