package io.upsertkit.conformance;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The stage's JVM side (scripts/flink-conformance.sh runs it):
 *
 * <pre>
 *   generate --brokers HOST:PORT --out DIR [--seed N] [--records N] [--topic-prefix P]
 *            [--probe-case CASE --probe-records FILE]   (that case only, those records)
 *   flink    --sql FILE --flink-out FILE [--wait-for FILE [--wait-timeout S]] [--timeout S]
 *            [--upsertkit DIR --records DIR]          (then compares, as 'compare' does)
 *   compare  --sql FILE --flink FILE --upsertkit DIR --records DIR
 * </pre>
 */
public final class Main {
  private Main() {}

  public static void main(String[] argv) throws Exception {
    if (argv.length == 0) usage("no command");
    Map<String, String> args = new LinkedHashMap<>();
    for (int i = 1; i < argv.length; i++) {
      if (!argv[i].startsWith("--") || i + 1 >= argv.length) usage("bad argument " + argv[i]);
      args.put(argv[i].substring(2), argv[++i]);
    }
    int status = switch (argv[0]) {
      case "generate" -> {
        Generator.main(args);
        yield 0;
      }
      case "flink" -> FlinkRunner.main(args);
      case "compare" -> Compare.run(java.nio.file.Path.of(Generator.require(args, "sql")),
          java.nio.file.Path.of(Generator.require(args, "flink")),
          java.nio.file.Path.of(Generator.require(args, "upsertkit")),
          java.nio.file.Path.of(Generator.require(args, "records")), Map.of());
      default -> {
        usage("unknown command " + argv[0]);
        yield 2;
      }
    };
    System.exit(status);
  }

  private static void usage(String problem) {
    System.err.println("flink-conformance: " + problem + "\nusage: generate|flink|compare --option value ...");
    System.exit(2);
  }
}
