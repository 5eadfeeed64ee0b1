package io.upsertkit.peers;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The message key in Flink's 'key.format' = 'csv' for PRIMARY KEY (order_id): one CSV field,
 * quoted only when it needs to be. Decoded like Flink's csv format reads one column: a quoted
 * field loses its quotes ("" is a quote), anything else is the text as is.
 */
public final class CsvKeySerde implements Serde<String> {
  @Override
  public Serializer<String> serializer() {
    return (topic, key) -> {
      if (key == null) return null;
      boolean quote = key.isEmpty() || key.chars().anyMatch(c -> c == ',' || c == '"' || c == '\n' || c == '\r');
      String field = quote ? '"' + key.replace("\"", "\"\"") + '"' : key;
      return field.getBytes(StandardCharsets.UTF_8);
    };
  }

  @Override
  public Deserializer<String> deserializer() {
    return (topic, bytes) -> {
      if (bytes == null) return null; // Streams drops records without a key, as Flink does
      String s = new String(bytes, StandardCharsets.UTF_8);
      if (s.length() >= 2 && s.charAt(0) == '"' && s.charAt(s.length() - 1) == '"') {
        return s.substring(1, s.length() - 1).replace("\"\"", "\"");
      }
      return s;
    };
  }
}
