package io.upsertkit.conformance;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.StatementSet;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;

/**
 * {@code flink}: runs a SQL script on a local mini-cluster in this JVM (parallelism 1): the
 * CREATE TABLE statements first, then, once the file named by --wait-for exists (upsertkit has
 * written its sink topics), every INSERT of the script in one statement set, i.e. one job whose
 * print sinks write to --flink-out. With --upsertkit it then compares (Compare). Exit status: 0
 * (ran; equal when compared), 1 (the changelogs differ), 3 (the job could not run or failed).
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

    if (args.containsKey("wait-for")) {
      Path marker = Path.of(args.get("wait-for"));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeout);
      while (!Files.exists(marker)) {
        if (System.nanoTime() > deadline) {
          System.err.println("flink: " + marker + " did not appear within " + timeout + " s");
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

    long jobStart = System.nanoTime();
    StatementSet set = tEnv.createStatementSet();
    for (String insert : inserts) set.addInsertSql(insert);
    try {
      set.execute().await(timeout, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      System.err.println("flink: the job did not finish within " + timeout + " s");
      return FAILED;
    } catch (Exception e) {
      System.err.println("flink: the job failed: " + e);
      for (Throwable c = e.getCause(); c != null; c = c.getCause()) System.err.println("  caused by: " + c);
      return FAILED;
    }
    printed.flush();
    System.setOut(console);
    System.err.printf("flink: %d INSERT statements in one job: %.1f s (%.1f s since the JVM's start)%n",
        inserts.size(), (System.nanoTime() - jobStart) / 1e9, (System.nanoTime() - start) / 1e9);

    if (!args.containsKey("upsertkit")) return 0;
    return Compare.run(sql, flinkOut, Path.of(args.get("upsertkit")), Path.of(Generator.require(args, "records")));
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort
    }
  }
}
