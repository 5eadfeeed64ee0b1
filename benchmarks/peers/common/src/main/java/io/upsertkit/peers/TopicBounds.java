package io.upsertkit.peers;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;

/**
 * The topic's earliest and end offsets per partition, taken once at start: the run is done when
 * every partition has been consumed up to its end offset.
 */
public final class TopicBounds {
  public final Map<TopicPartition, Long> earliest;
  public final Map<TopicPartition, Long> end;

  private TopicBounds(Map<TopicPartition, Long> earliest, Map<TopicPartition, Long> end) {
    this.earliest = earliest;
    this.end = end;
  }

  /**
   * Records between earliest and end. Exact for a topic written without transactions and not
   * compacted (no offset gaps), which is how the benchmark writes its topic.
   */
  public long records() {
    long n = 0;
    for (TopicPartition tp : end.keySet()) n += end.get(tp) - earliest.get(tp);
    return n;
  }

  public static TopicBounds of(String brokers, String topic) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
    try (Admin admin = Admin.create(props)) {
      TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get(60, TimeUnit.SECONDS).get(topic);
      List<TopicPartition> parts = d.partitions().stream()
          .map(p -> new TopicPartition(topic, p.partition())).collect(Collectors.toList());
      return new TopicBounds(offsets(admin, parts, OffsetSpec.earliest()), offsets(admin, parts, OffsetSpec.latest()));
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot read topic '" + topic + "' on " + brokers + ": " + e.getCause(), e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException("cannot read topic '" + topic + "' on " + brokers + ": " + e, e);
    }
  }

  private static Map<TopicPartition, Long> offsets(Admin admin, List<TopicPartition> parts, OffsetSpec spec)
      throws Exception {
    Map<TopicPartition, OffsetSpec> req = new HashMap<>();
    for (TopicPartition tp : parts) req.put(tp, spec);
    Map<TopicPartition, Long> out = new HashMap<>();
    admin.listOffsets(req).all().get(60, TimeUnit.SECONDS).forEach((tp, info) -> out.put(tp, info.offset()));
    return out;
  }

  @Override
  public String toString() {
    return end.keySet().stream().sorted((a, b) -> Integer.compare(a.partition(), b.partition()))
        .map(tp -> tp.partition() + ":" + earliest.get(tp) + ".." + end.get(tp))
        .collect(Collectors.joining(" "));
  }
}
