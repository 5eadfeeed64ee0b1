package io.upsertkit.peers;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;

/** The one JSON line a peer prints last on stdout, and the clocks it is measured with. */
public final class Result {
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  /** CPU time of the whole process (every thread), in nanoseconds. */
  public static long processCpuNanos() {
    return OS.getProcessCpuTime();
  }

  private final Map<String, Object> fields = new LinkedHashMap<>();

  public Result put(String name, Object value) {
    fields.put(name, value);
    return this;
  }

  public String toJson() {
    StringBuilder sb = new StringBuilder("{");
    for (Map.Entry<String, Object> e : fields.entrySet()) {
      if (sb.length() > 1) sb.append(',');
      sb.append('"').append(e.getKey()).append("\":");
      Object v = e.getValue();
      if (v == null) sb.append("null");
      else if (v instanceof Double d) sb.append(String.format(java.util.Locale.ROOT, "%.3f", d));
      else if (v instanceof Number || v instanceof Boolean) sb.append(v);
      else sb.append('"').append(v.toString().replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
    }
    return sb.append('}').toString();
  }

  /** Prints the JSON line as the last line of stdout. */
  public void print() {
    System.out.println(toJson());
    System.out.flush();
  }

  public static double seconds(long nanos) {
    return nanos / 1e9;
  }
}
