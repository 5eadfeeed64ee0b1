package io.upsertkit.peers;

import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * Counts the Kafka records the job read, from Flink's own metrics, in this JVM: the records
 * entering ChangelogNormalize (its operator's numRecordsIn) are exactly the rows the upsert-kafka
 * source produced, one per Kafka record with a key (a tombstone is a DELETE row). The counters
 * stay readable after the job has finished.
 */
public final class RecordsReporter implements MetricReporter {
  static final List<Counter> NORMALIZE_IN = new CopyOnWriteArrayList<>();

  public static final class Factory implements MetricReporterFactory {
    @Override
    public MetricReporter createMetricReporter(Properties properties) {
      return new RecordsReporter();
    }
  }

  /** Records that entered ChangelogNormalize, or -1 if the metric was not seen. */
  static long records() {
    if (NORMALIZE_IN.isEmpty()) return -1;
    long n = 0;
    for (Counter c : NORMALIZE_IN) n += c.getCount();
    return n;
  }

  @Override
  public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
    String operator = group.getAllVariables().get("<operator_name>");
    if (name.equals("numRecordsIn") && metric instanceof Counter && operator != null
        && operator.contains("ChangelogNormalize")) {
      NORMALIZE_IN.add((Counter) metric);
    }
  }

  @Override
  public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {}

  @Override
  public void open(MetricConfig config) {}

  @Override
  public void close() {}
}
