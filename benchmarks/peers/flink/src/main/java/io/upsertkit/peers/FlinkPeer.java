package io.upsertkit.peers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.util.EnvironmentInformation;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.RichSinkFunction;
import org.apache.flink.table.api.ExplainDetail;
import org.apache.flink.table.api.Table;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.types.Row;

/**
 * Flink SQL peer: the seed's Example 1 upsert-kafka table on a local mini-cluster in this JVM,
 * parallelism 1, default (heap) state backend, read from the earliest offset to the offsets that
 * are the topic's end when the job starts ('scan.bounded.mode' = 'latest-offset').
 *
 * <p>{@code --sink count} (default): the table as a changelog stream (toChangelogStream, so
 * ChangelogNormalize emits UPDATE_BEFORE too, as for the seed's print sink) into a sink that
 * only counts RowKinds: a counting blackhole. {@code --sink blackhole}: {@code INSERT INTO} a
 * 'blackhole' connector table, timing only (that sink does not ask for UPDATE_BEFORE, and
 * nothing is counted).
 */
public final class FlinkPeer {
  static final String PROGRAM = "upsertkit-peer-flink";

  /** The seed's Example 1 source DDL; only the WITH options for this benchmark are added. */
  static String sourceDdl(String topic, String brokers, String groupId) {
    return "CREATE TABLE upsertKafkaSource (\n"
        + "  order_id string,\n"
        + "  order_channel string,\n"
        + "  order_time string,\n"
        + "  pay_amount double,\n"
        + "  real_pay double,\n"
        + "  pay_time string,\n"
        + "  user_id string,\n"
        + "  user_name string,\n"
        + "  area_id string,\n"
        + "  PRIMARY KEY (order_id) NOT ENFORCED\n"
        + ") WITH (\n"
        + "  'connector' = 'upsert-kafka',\n"
        + "  'topic' = '" + topic + "',\n"
        + "  'properties.bootstrap.servers' = '" + brokers + "',\n"
        + "  'properties.group.id' = '" + groupId + "',\n"
        + "  'key.format' = 'csv',\n"
        + "  'value.format' = 'json',\n"
        + "  'value.fields-include' = 'ALL',\n"
        // upsert-kafka always starts from the earliest offset (it has no 'scan.startup.mode'
        // option and rejects it); since connector 3.1 (FLINK-31740) it can stop at the offsets
        // that are the latest when the job starts, which makes the job finish.
        + "  'scan.bounded.mode' = 'latest-offset'\n"
        + ")";
  }

  static final String BLACKHOLE_DDL = "CREATE TABLE blackholeSink (\n"
      + "  order_id string, order_channel string, order_time string, pay_amount double, real_pay double,\n"
      + "  pay_time string, user_id string, user_name string, area_id string,\n"
      + "  PRIMARY KEY (order_id) NOT ENFORCED\n"
      + ") WITH ('connector' = 'blackhole')";

  // The sink runs in a task thread of this JVM's mini-cluster (parallelism 1); main reads these
  // after execute() returns, which happens after the task has finished.
  static volatile long inserts, updateBefores, updateAfters, deletes;
  static volatile long firstNanos, firstCpu, lastNanos, lastCpu;

  /** Counts the changelog by RowKind and drops the rows. */
  static final class CountingSink extends RichSinkFunction<Row> {
    private long i, ub, ua, d;

    @Override
    public void invoke(Row row, Context context) {
      if (i + ub + ua + d == 0) {
        firstNanos = System.nanoTime();
        firstCpu = Result.processCpuNanos();
      }
      switch (row.getKind()) {
        case INSERT -> i++;
        case UPDATE_BEFORE -> ub++;
        case UPDATE_AFTER -> ua++;
        case DELETE -> d++;
      }
    }

    @Override
    public void finish() { // end of the bounded input: every row has been counted
      lastNanos = System.nanoTime();
      lastCpu = Result.processCpuNanos();
      inserts = i;
      updateBefores = ub;
      updateAfters = ua;
      deletes = d;
    }
  }

  public static void main(String[] args) throws Exception {
    PeerArgs a = PeerArgs.parse(PROGRAM, args, Set.of("sink", "timeout"), "[--sink count|blackhole] [--timeout SECONDS]");
    long timeoutSeconds = Long.parseLong(a.option("timeout", "1800"));
    String sink = a.option("sink", "count");
    if (!sink.equals("count") && !sink.equals("blackhole")) {
      System.err.println(PROGRAM + ": --sink must be count or blackhole");
      System.exit(2);
    }
    long startNanos = System.nanoTime();
    long startCpu = Result.processCpuNanos();
    TopicBounds bounds;
    try {
      bounds = TopicBounds.of(a.brokers, a.topic);
    } catch (IllegalStateException e) {
      System.err.println(PROGRAM + ": " + e.getMessage());
      System.exit(1);
      return;
    }
    System.err.println("flink peer: topic " + a.topic + " offsets " + bounds + ", " + bounds.records() + " records");

    // The mini-cluster's working, blob and upload directories go into one temp dir of this run,
    // deleted on exit (left in /tmp, one per run, they would pile up: the process exits without
    // waiting for the cluster's own clean-up).
    Path workDir = Files.createTempDirectory("upsertkit-peer-flink-");
    Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(workDir)));
    Configuration conf = new Configuration();
    conf.setString("process.working-dir", workDir.toString());
    conf.setString("io.tmp.dirs", workDir.resolve("io").toString());
    conf.setString("web.tmpdir", workDir.resolve("web").toString());
    conf.setString("web.upload.dir", workDir.resolve("web-upload").toString());
    conf.setString("metrics.reporter.upsertkit.factory.class", RecordsReporter.Factory.class.getName());
    conf.setString("rest.bind-port", "0"); // the mini-cluster's REST endpoint: any free port, never 8081
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setParallelism(1);
    StreamTableEnvironment tEnv = StreamTableEnvironment.create(env);
    String groupId = a.groupOrAppId != null ? a.groupOrAppId : "upsertkit-peer-flink-" + UUID.randomUUID();
    tEnv.executeSql(sourceDdl(a.topic, a.brokers, groupId));

    String plan;
    long jobStartNanos, jobStartCpu;
    try {
      if (sink.equals("count")) {
        Table orders = tEnv.from("upsertKafkaSource");
        plan = orders.explain(ExplainDetail.CHANGELOG_MODE);
        requireNormalize(plan);
        tEnv.toChangelogStream(orders).addSink(new CountingSink()).name("counting-blackhole").setParallelism(1);
        jobStartNanos = System.nanoTime();
        jobStartCpu = Result.processCpuNanos();
        // The Kafka source retries a lost broker for ever: give up after the timeout instead.
        env.executeAsync("upsertkit-peer-flink").getJobExecutionResult().get(timeoutSeconds, TimeUnit.SECONDS);
      } else {
        tEnv.executeSql(BLACKHOLE_DDL);
        String insert = "INSERT INTO blackholeSink SELECT * FROM upsertKafkaSource";
        plan = tEnv.explainSql(insert, ExplainDetail.CHANGELOG_MODE);
        requireNormalize(plan);
        jobStartNanos = System.nanoTime();
        jobStartCpu = Result.processCpuNanos();
        tEnv.executeSql(insert).await(timeoutSeconds, TimeUnit.SECONDS);
        lastNanos = System.nanoTime();
        lastCpu = Result.processCpuNanos();
      }
    } catch (TimeoutException e) {
      System.err.println(PROGRAM + ": timed out after " + timeoutSeconds + " s (records so far: "
          + RecordsReporter.records() + " of " + bounds.records() + ")");
      System.exit(1);
      return;
    } catch (Exception e) {
      System.err.println(PROGRAM + ": job failed: " + e);
      for (Throwable c = e.getCause(); c != null; c = c.getCause()) System.err.println("  caused by: " + c);
      System.exit(1);
      return;
    }

    long records = RecordsReporter.records();
    String recordsFrom = "numRecordsIn of ChangelogNormalize";
    if (records < 0) {
      records = bounds.records();
      recordsFrom = "end minus earliest offsets";
    }
    Result r = new Result().put("contender", "flink").put("records", records);
    if (sink.equals("count")) {
      if (inserts + updateAfters + deletes > 0 && firstNanos == 0) throw new IllegalStateException("no timing from sink");
      long changes = inserts + updateAfters + deletes;
      r.put("seconds", Result.seconds(lastNanos - firstNanos))
          .put("cpu_seconds", Result.seconds(lastCpu - firstCpu))
          .put("inserts", inserts)
          .put("update_befores", updateBefores)
          .put("update_afters", updateAfters)
          .put("deletes", deletes)
          // ChangelogNormalize emits nothing for an identical row and for a tombstone of an absent
          // key: both are records without a change.
          .put("unchanged", records - changes)
          .put("timing", "seconds and cpu_seconds from the first changelog row reaching the sink to the end of input");
    } else {
      r.put("seconds", Result.seconds(lastNanos - jobStartNanos))
          .put("cpu_seconds", Result.seconds(lastCpu - jobStartCpu))
          .put("timing", "blackhole sink: seconds and cpu_seconds from job submission to job end (no counts)");
    }
    r.put("sink", sink)
        .put("records_from", recordsFrom)
        .put("offsets_records", bounds.records())
        .put("seconds_from_start", Result.seconds(lastNanos - startNanos))
        .put("cpu_seconds_from_start", Result.seconds(lastCpu - startCpu))
        .put("version", "flink " + EnvironmentInformation.getVersion() + ", flink-connector-kafka " + connectorVersion())
        .print();
    System.exit(0); // the mini-cluster's non-daemon threads must not keep the JVM alive
  }

  /** From the pom (resource filtering): the connector jar carries no version the code can read. */
  static String connectorVersion() throws java.io.IOException {
    java.util.Properties p = new java.util.Properties();
    try (var in = FlinkPeer.class.getResourceAsStream("/upsertkit-peer-flink.properties")) {
      p.load(in);
    }
    return p.getProperty("flink.kafka.version");
  }

  static void deleteTree(Path dir) {
    try (var s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      System.err.println("flink peer: could not delete " + dir + ": " + e);
    }
  }

  static void requireNormalize(String plan) {
    System.err.println(plan);
    if (!plan.contains("ChangelogNormalize")) {
      throw new IllegalStateException("ChangelogNormalize is not in the plan: the counts would not be Flink's upsert semantics");
    }
  }
}
