package io.upsertkit.peers;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The peers' common command line: {@code --brokers HOST:PORT --topic T [--group-or-app-id ID]}
 * plus peer-specific {@code --name value} options listed by the caller.
 */
public final class PeerArgs {
  public final String brokers;
  public final String topic;
  /** null: the peer makes a unique one, so every run reads the topic from the earliest offset. */
  public final String groupOrAppId;
  private final Map<String, String> extra;

  private PeerArgs(Map<String, String> values) {
    brokers = values.remove("brokers");
    topic = values.remove("topic");
    groupOrAppId = values.remove("group-or-app-id");
    extra = values;
  }

  /** Parses {@code args}; prints usage and exits 2 on a mistake. */
  public static PeerArgs parse(String program, String[] args, Set<String> extraNames, String extraUsage) {
    Map<String, String> values = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      String name = a.startsWith("--") ? a.substring(2) : null;
      boolean known = name != null
          && (Set.of("brokers", "topic", "group-or-app-id").contains(name) || extraNames.contains(name));
      if (!known || i + 1 == args.length) usage(program, extraUsage, "bad argument " + a);
      values.put(name, args[++i]);
    }
    PeerArgs p = new PeerArgs(values);
    if (p.brokers == null || p.topic == null) usage(program, extraUsage, "--brokers and --topic are required");
    return p;
  }

  public String option(String name, String fallback) {
    return extra.getOrDefault(name, fallback);
  }

  private static void usage(String program, String extraUsage, String why) {
    System.err.println(program + ": " + why);
    System.err.println("usage: java -jar " + program + ".jar --brokers HOST:PORT --topic T [--group-or-app-id ID]"
        + (extraUsage.isEmpty() ? "" : " " + extraUsage));
    System.exit(2);
  }
}
