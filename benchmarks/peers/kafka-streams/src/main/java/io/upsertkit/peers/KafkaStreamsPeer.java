package io.upsertkit.peers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.utils.AppInfoParser;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.internals.Change;
import org.apache.kafka.streams.kstream.internals.KTableImpl;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.Stores;

/**
 * Kafka Streams peer: {@code builder.table(topic)} with a Jackson JSON serde, materialized in
 * RocksDB (or memory), and a processor that classifies every change the table forwards.
 *
 * <p>What Streams 4.1 forwards (KTableSource#process in kafka-streams 4.1.2): every record with a
 * non-null key is put into the store and forwarded as {@code Change(new, old)}, including a value
 * identical to the stored one and a tombstone of an absent key: there is no emit-on-change on a
 * source KTable (KIP-557's source-table part was reverted, KAFKA-12508). So the classifier below
 * compares the decoded old and new rows like Flink's ChangelogNormalize does, and reports how many
 * of those no-op changes Streams forwarded.
 */
public final class KafkaStreamsPeer {
  static final String SOURCE = "orders"; // name of the KTable source processor (Consumed.as)
  static final String STORE = "orders-store";

  // Written by the stream thread only; main reads them after KafkaStreams#close, which waits for
  // the stream thread to stop.
  static long forwarded, inserts, updateBefores, updateAfters, deletes, unchanged;
  static long forwardedIdentical, forwardedAbsentTombstones;
  static long firstNanos, firstCpu, lastNanos, lastCpu;
  static long expected;
  static final CountDownLatch DONE = new CountDownLatch(1);

  /**
   * Child of the KTable source: receives {@code Change(new, old)} for each record the table
   * forwards. It needs no state of its own: the old row comes from the table's store read that
   * KTableSource does anyway for every record.
   */
  static final class ChangelogCounter implements Processor<String, Change<Order>, Void, Void> {
    @Override
    public void process(Record<String, Change<Order>> r) {
      if (forwarded == 0) {
        firstNanos = System.nanoTime();
        firstCpu = Result.processCpuNanos();
      }
      forwarded++;
      Order now = r.value().newValue;
      Order old = r.value().oldValue;
      if (now != null) {
        if (old == null) inserts++;
        else if (old.equals(now)) { unchanged++; forwardedIdentical++; }
        else { updateBefores++; updateAfters++; }
      } else if (old != null) {
        deletes++;
      } else {
        unchanged++; // Flink drops a tombstone of an absent key; Streams forwards it
        forwardedAbsentTombstones++;
      }
      if (forwarded == expected) {
        lastNanos = System.nanoTime();
        lastCpu = Result.processCpuNanos();
        DONE.countDown();
      }
    }
  }

  public static void main(String[] args) throws Exception {
    PeerArgs a = PeerArgs.parse("upsertkit-peer-kafka-streams", args, Set.of("store", "timeout"),
        "[--store rocksdb|memory] [--timeout SECONDS]");
    String store = a.option("store", "rocksdb");
    if (!store.equals("rocksdb") && !store.equals("memory")) {
      System.err.println("upsertkit-peer-kafka-streams: --store must be rocksdb or memory");
      System.exit(2);
    }
    long timeoutSeconds = Long.parseLong(a.option("timeout", "1800"));
    long startNanos = System.nanoTime();
    TopicBounds bounds;
    try {
      bounds = TopicBounds.of(a.brokers, a.topic);
    } catch (IllegalStateException e) {
      System.err.println("upsertkit-peer-kafka-streams: " + e.getMessage());
      System.exit(1);
      return;
    }
    expected = bounds.records();
    System.err.println("kafka-streams peer: topic " + a.topic + " offsets " + bounds + ", " + expected + " records");

    Path stateDir = Files.createTempDirectory("upsertkit-peer-kafka-streams-");
    Properties p = new Properties();
    // A fresh application.id per run: no committed offsets, so auto.offset.reset applies.
    p.put(StreamsConfig.APPLICATION_ID_CONFIG,
        a.groupOrAppId != null ? a.groupOrAppId : "upsertkit-peer-ks-" + UUID.randomUUID());
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, a.brokers);
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
    // No record cache: every update reaches the store and the counter (the cache would collapse
    // updates of a key between commits, which is emit-rate tuning, not materialization).
    p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
    // The source topic is the table's changelog (what the Streams docs advise for a source
    // KTable): no extra changelog topic, nothing written back to the broker.
    p.put(StreamsConfig.TOPOLOGY_OPTIMIZATION_CONFIG, StreamsConfig.REUSE_KTABLE_SOURCE_TOPICS);
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");

    StreamsBuilder builder = new StreamsBuilder();
    Materialized<String, Order, org.apache.kafka.streams.state.KeyValueStore<org.apache.kafka.common.utils.Bytes, byte[]>> mat =
        store.equals("memory")
            ? Materialized.as(Stores.inMemoryKeyValueStore(STORE))
            : Materialized.as(STORE); // default supplier: RocksDB
    KTable<String, Order> table = builder.table(a.topic,
        Consumed.with(new CsvKeySerde(), new OrderSerde()).withName(SOURCE),
        mat.withKeySerde(new CsvKeySerde()).withValueSerde(new OrderSerde()));
    // Streams only puts the old row into the Change it forwards when a downstream operator asks
    // for it (joins, aggregations do); the public DSL has no operator that hands Change(new, old)
    // to user code, so ask the way those operators do. KTableSource reads the old row from the
    // store for every record anyway, so this costs no extra store access or state.
    ((KTableImpl<String, Order, Order>) table).enableSendingOldValues(true);
    Topology topology = builder.build(p);
    topology.addProcessor("changelog-counter", ChangelogCounter::new, SOURCE);
    System.err.println(topology.describe());

    KafkaStreams streams = new KafkaStreams(topology, p);
    Throwable[] failure = new Throwable[1];
    streams.setUncaughtExceptionHandler(e -> {
      failure[0] = e;
      DONE.countDown();
      return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    });
    int rc = 0;
    long processed = 0;
    try {
      if (expected > 0) {
        streams.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        // Done when the counter has seen every record, or (should Streams ever drop a record
        // before forwarding it, e.g. a null key) when the stream thread has processed them all.
        while (!DONE.await(10, TimeUnit.MILLISECONDS)) {
          if (processTotal(streams) >= expected) {
            lastNanos = System.nanoTime();
            lastCpu = Result.processCpuNanos();
            break;
          }
          KafkaStreams.State state = streams.state();
          if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.PENDING_ERROR
              || state == KafkaStreams.State.NOT_RUNNING) {
            throw new IllegalStateException("Kafka Streams stopped (state " + state + ") after " + forwarded
                + " of " + expected + " records");
          }
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("timed out after " + timeoutSeconds + " s with " + forwarded + " of "
                + expected + " records forwarded (process-total " + processTotal(streams) + ")");
          }
        }
        if (failure[0] != null) throw new IllegalStateException("stream thread failed: " + failure[0], failure[0]);
        // The metric is updated after each batch of records, so it may lag behind the counter.
        processed = Math.max(forwarded, (long) processTotal(streams));
      } else {
        firstNanos = lastNanos = System.nanoTime();
        firstCpu = lastCpu = Result.processCpuNanos();
      }
    } catch (Exception e) {
      System.err.println("upsertkit-peer-kafka-streams: " + e.getMessage());
      rc = 1;
    } finally {
      streams.close(Duration.ofSeconds(30));
      deleteTree(stateDir); // the whole state dir is this run's own temp dir
    }
    if (rc != 0) System.exit(rc);
    // records: the stream thread's own count ("process-total"); forwarded: what reached the
    // counter. They are equal: Streams forwards every record (see class comment).
    long unforwarded = processed - forwarded;
    new Result()
        .put("contender", "kafka-streams")
        .put("records", processed)
        .put("seconds", Result.seconds(lastNanos - firstNanos))
        .put("cpu_seconds", Result.seconds(lastCpu - firstCpu))
        .put("inserts", inserts)
        .put("update_befores", updateBefores)
        .put("update_afters", updateAfters)
        .put("deletes", deletes)
        .put("unchanged", unchanged + unforwarded)
        .put("forwarded", forwarded)
        .put("forwarded_identical", forwardedIdentical)
        .put("forwarded_absent_tombstones", forwardedAbsentTombstones)
        .put("store", store)
        .put("seconds_from_start", Result.seconds(lastNanos - startNanos))
        .put("timing", "seconds and cpu_seconds from the first record reaching the counter to the last")
        .put("version", "kafka-streams " + AppInfoParser.getVersion())
        .print();
  }

  /** The stream thread's "process-total" metric: records it has processed. */
  static double processTotal(KafkaStreams streams) {
    double total = 0;
    for (Metric m : streams.metrics().values()) {
      if (m.metricName().group().equals("stream-thread-metrics") && m.metricName().name().equals("process-total")) {
        total += ((Number) m.metricValue()).doubleValue();
      }
    }
    return total;
  }

  static void deleteTree(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      System.err.println("kafka-streams peer: could not delete " + dir + ": " + e);
    }
  }
}
