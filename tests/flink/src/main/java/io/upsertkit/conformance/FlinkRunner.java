package io.upsertkit.conformance;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.utils.LogicalTypeParser;

/**
 * {@code flink}: runs a SQL script on a local mini-cluster in this JVM (parallelism 1): the
 * CREATE TABLE statements first, then, once the file named by --wait-for exists (upsertkit has
 * written its sink topics), every INSERT of the script, each its own job, all at once, whose
 * print sinks write to --flink-out. With --upsertkit it then compares (Compare); a job that
 * failed fails the checks of its print table. Exit status: 0 (ran; equal when compared), 1 (the
 * changelogs differ or a job failed), 3 (the jobs could not run).
 */
final class FlinkRunner {
  private FlinkRunner() {}

  /** The exit status when Flink could not run the job (1 is "the changelogs differ"). */
  static final int FAILED = 3;

  static int main(Map<String, String> args) throws Exception {
    Path sql = Path.of(Generator.require(args, "sql"));
    Path flinkOut = Path.of(Generator.require(args, "flink-out"));
    long timeout = Long.parseLong(args.getOrDefault("timeout", "300"));
    long start = System.nanoTime();

    // The print sinks write to System.out: into the file, nothing else does.
    PrintStream console = System.out;
    PrintStream printed = new PrintStream(new FileOutputStream(flinkOut.toFile()), true, StandardCharsets.UTF_8);
    System.setOut(printed);

    Path workDir = Files.createTempDirectory("upsertkit-flink-conformance-");
    Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(workDir)));
    Configuration conf = new Configuration();
    conf.setString("process.working-dir", workDir.toString());
    conf.setString("io.tmp.dirs", workDir.resolve("io").toString());
    conf.setString("web.tmpdir", workDir.resolve("web").toString());
    conf.setString("rest.bind-port", "0");   // the mini-cluster's REST endpoint: any free port
    conf.setString("taskmanager.numberOfTaskSlots", "64");   // every job at once
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setParallelism(1);
    StreamTableEnvironment tEnv = StreamTableEnvironment.create(env);

    List<String> inserts = new ArrayList<>();
    for (String statement : Sql.statements(Files.readString(sql, StandardCharsets.UTF_8))) {
      if (statement.regionMatches(true, 0, "INSERT", 0, 6)) inserts.add(statement);
      else tEnv.executeSql(statement);
    }
    if (inserts.isEmpty()) {
      System.err.println("flink: no INSERT statement in " + sql);
      return FAILED;
    }
    // The generator wrote the values and the Avro schemas for the types as it says Flink resolves
    // them (SqlType.resolved: a nullable ROW's fields are nullable): that must be what Flink
    // resolved.
    for (Cases.Case c : Cases.in(Files.readString(sql, StandardCharsets.UTF_8))) {
      for (String table : List.of(c.sourceTable(), c.sinkTable())) {
        var schema = tEnv.from("`" + table + "`").getResolvedSchema();
        for (Column col : c.columns()) {
          LogicalType flink = schema.getColumn(col.name()).orElseThrow().getDataType().getLogicalType();
          // (Flink's planner also makes every TIME(p) a TIME(0): docs/flink-conformance.md.)
          LogicalType ours = LogicalTypeParser.parse(col.type().resolved().text().replaceAll("\\bTIME\\(\\d\\)", "TIME(0)"),
              FlinkRunner.class.getClassLoader());
          if (!flink.equals(ours)) {
            System.err.println("flink: " + table + "." + col.name() + " is " + flink.asSummaryString()
                + " in Flink, but the generator took it for " + ours.asSummaryString() + " (SqlType.resolved)");
            return FAILED;
          }
        }
      }
    }

    if (args.containsKey("wait-for")) {
      Path marker = Path.of(args.get("wait-for"));
      // Long enough for upsertkit's program to build from a clean tree.
      long waitTimeout = Long.parseLong(args.getOrDefault("wait-timeout", String.valueOf(timeout)));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(waitTimeout);
      while (!Files.exists(marker)) {
        if (System.nanoTime() > deadline) {
          System.err.println("flink: " + marker + " did not appear within " + waitTimeout + " s");
          return FAILED;
        }
        Thread.sleep(50);
      }
      String status = Files.readString(marker).strip();
      if (!status.equals("ok")) {
        System.err.println("flink: not running the job: " + marker + " says '" + status + "'");
        return FAILED;
      }
    }

    // The plan Flink makes for a pipe (an upsert-kafka source into an upsert-kafka sink of the
    // same key): whether it keeps ChangelogNormalize decides which records the pipe writes.
    Map<String, String> pipePlans = new LinkedHashMap<>();
    for (String insert : inserts) {
      Matcher m = PRINT_TABLE.matcher(insert);
      if (m.find() && m.group(1).startsWith("pipe_")) {
        String plan = tEnv.explainSql(insert);
        pipePlans.put(m.group(1), plan);
        if (pipePlans.size() == 1) System.err.println("flink: the plan of " + insert + ":\n" + plan);
      }
    }

    // One job per INSERT, all at once (a slot each): a job that fails (a record Flink cannot
    // read) fails the checks of its own print table, and the others still run to their end.
    long jobStart = System.nanoTime();
    Map<String, TableResult> jobs = new LinkedHashMap<>();
    for (String insert : inserts) {
      Matcher m = PRINT_TABLE.matcher(insert);
      if (!m.find()) {
        System.err.println("flink: no table to insert into in: " + insert);
        return FAILED;
      }
      jobs.put(m.group(1), tEnv.executeSql(insert));
    }
    long submitted = System.nanoTime();
    Map<String, String> failures = new LinkedHashMap<>();
    long deadline = jobStart + TimeUnit.SECONDS.toNanos(timeout);
    for (Map.Entry<String, TableResult> job : jobs.entrySet()) {
      try {
        job.getValue().await(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        failures.put(job.getKey(), "the job did not finish within " + timeout + " s");
        job.getValue().getJobClient().ifPresent(JobClient::cancel);
      } catch (Exception e) {
        List<String> causes = new ArrayList<>();
        for (Throwable c = e; c != null; c = c.getCause()) causes.add(String.valueOf(c));
        // The innermost causes say what was wrong (the record, the field).
        failures.put(job.getKey(), String.join("\n    caused by: ",
            causes.subList(Math.max(0, causes.size() - 4), causes.size())));
        System.err.println("flink: the job of " + job.getKey() + " failed: " + e);
        for (Throwable c = e.getCause(); c != null; c = c.getCause()) System.err.println("  caused by: " + c);
      }
    }
    printed.flush();
    System.setOut(console);
    System.err.printf("flink: %d INSERT statements, one job each: %.1f s (planned and submitted in %.1f s; %.1f s since the JVM's start)%s%n",
        inserts.size(), (System.nanoTime() - jobStart) / 1e9, (submitted - jobStart) / 1e9, (System.nanoTime() - start) / 1e9,
        failures.isEmpty() ? "" : "; " + failures.size() + " failed: " + String.join(", ", failures.keySet()));

    if (!args.containsKey("upsertkit")) return failures.isEmpty() ? 0 : FAILED;
    PipeCompare.Counts pass = PipeCompare.run(sql, failures, pipePlans);
    return Compare.run(sql, flinkOut, Path.of(args.get("upsertkit")), Path.of(Generator.require(args, "records")),
        failures, pass.passed(), pass.failed());
  }

  /** The print table of an INSERT (its print-identifier is the table's name without print_). */
  private static final Pattern PRINT_TABLE =
      Pattern.compile("INSERT\\s+INTO\\s+`(?:print_)?([^`]+)`", Pattern.CASE_INSENSITIVE);

  private static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort
    }
  }
}
