package io.upsertkit.conformance;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The pipe check (P, docs/flink-conformance.md): for each case, the records Flink wrote for
 * {@code INSERT INTO pipe_<case> SELECT * FROM src_<case>} (an upsert-kafka source into an
 * upsert-kafka sink of the same key and formats) and the records upsertkit's pipe (an upsert
 * source whose handler is an upsert sink) wrote from the same topic must be the same records:
 * as many, in the same order, each with the same key bytes, and a tombstone where Flink wrote
 * one. That is which changes become records: no -U, suppressed duplicates, no tombstone for a
 * key never seen (or all of them, were ChangelogNormalize left out: the plan is printed).
 * Value bytes are compared and counted but not required equal: the encoders differ where
 * docs/formats.md says so (a DECIMAL keeps its scale here), and what the values hold is check
 * B's (Flink reads what upsertkit's sink wrote and prints the same changelog).
 */
final class PipeCompare {
  private PipeCompare() {}

  record Counts(int passed, int failed) {}

  private record Rec(byte[] key, byte[] value) {
    boolean sameRecord(Rec o) {
      return Arrays.equals(key, o.key) && (value == null) == (o.value == null);
    }

    @Override
    public String toString() {
      return text(key) + " -> " + (value == null ? "(tombstone)" : text(value));
    }
  }

  private static final Pattern BROKERS = Pattern.compile("'properties\\.bootstrap\\.servers' = '([^']+)'");

  static Counts run(Path sql, Map<String, String> failures, Map<String, String> plans) throws Exception {
    String script = Files.readString(sql, StandardCharsets.UTF_8);
    Matcher m = BROKERS.matcher(script);
    if (!m.find()) throw new IllegalStateException("no bootstrap servers in " + sql);
    String brokers = m.group(1);
    int passed = 0, failed = 0;
    for (Cases.Case c : Cases.in(script)) {
      if (!script.contains("CREATE TABLE `" + c.pipeTable() + "`")) continue;
      String plan = plans.getOrDefault(c.pipeTable(), "");
      String what = "P " + c.pipeTable() + " (" + c.source() + "): Flink's INSERT INTO pipe SELECT * FROM source"
          + (plan.contains("ChangelogNormalize") ? " (planned with ChangelogNormalize)"
              : plan.isEmpty() ? "" : " (planned WITHOUT ChangelogNormalize)")
          + " against upsertkit's pipe";
      if (failures.containsKey(c.pipeTable())) {
        failed++;
        System.out.println("FAILED " + what + ": Flink's job failed:\n    " + failures.get(c.pipeTable()));
        continue;
      }
      List<Rec> flink = read(brokers, c.pipeTopicFlink());
      List<Rec> ours = read(brokers, c.pipeTopicUpsertkit());
      int n = Math.min(flink.size(), ours.size());
      int first = -1, sameValues = 0, firstValue = -1;
      for (int i = 0; i < n; i++) {
        if (first < 0 && !flink.get(i).sameRecord(ours.get(i))) first = i;
        if (flink.get(i).value == null || ours.get(i).value == null) continue;
        if (Arrays.equals(flink.get(i).value, ours.get(i).value)) sameValues++;
        else if (firstValue < 0) firstValue = i;
      }
      long tombstones = flink.stream().filter(r -> r.value == null).count();
      if (first < 0 && flink.size() == ours.size() && !flink.isEmpty()) {
        passed++;
        System.out.println("ok     " + what + ": " + flink.size() + " records (" + tombstones
            + " tombstones) with the same keys in the same order; " + sameValues + " of the "
            + (flink.size() - tombstones) + " values byte-identical"
            + (firstValue < 0 ? "" : ", the first that is not:\n      flink:     " + flink.get(firstValue)
                + "\n      upsertkit: " + ours.get(firstValue)));
        continue;
      }
      failed++;
      System.out.println("FAILED " + what + ": Flink wrote " + flink.size() + " records (" + tombstones
          + " tombstones), upsertkit " + ours.size());
      if (first < 0) first = n;
      for (int i = Math.max(0, first - 2); i < Math.min(Math.max(flink.size(), ours.size()), first + 3); i++) {
        System.out.println("  " + (i == first ? ">" : " ") + " #" + i);
        System.out.println("      flink:     " + (i < flink.size() ? flink.get(i) : "(none)"));
        System.out.println("      upsertkit: " + (i < ours.size() ? ours.get(i) : "(none)"));
      }
    }
    return new Counts(passed, failed);
  }

  /** Every record of partition 0 of the topic, from its start to its end. */
  private static List<Rec> read(String brokers, String topic) {
    Properties config = new Properties();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    List<Rec> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      TopicPartition partition = new TopicPartition(topic, 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long end = consumer.endOffsets(List.of(partition)).get(partition);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (consumer.position(partition) < end && System.nanoTime() < deadline)
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200)))
          out.add(new Rec(r.key(), r.value()));
    }
    return out;
  }

  private static String text(byte[] bytes) {
    if (bytes == null) return "null";
    StringBuilder b = new StringBuilder();
    for (byte x : bytes) {
      int c = x & 0xff;
      if (c >= 0x20 && c < 0x7f) b.append((char) c);
      else b.append(String.format("\\x%02x", c));
    }
    return b.toString();
  }
}
