package io.upsertkit.peers;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.IOException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * JSON value serde with Jackson databind: a real decode into {@link Order} (what a Streams user
 * writes), and the encoding Streams uses to put the row into the state store.
 */
public final class OrderSerde implements Serde<Order> {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  // Readers/writers bound to the type are immutable and thread-safe; they skip the per-call lookup.
  private static final ObjectReader READER = MAPPER.readerFor(Order.class);
  private static final ObjectWriter WRITER = MAPPER.writerFor(Order.class);

  @Override
  public Serializer<Order> serializer() {
    return (topic, order) -> {
      if (order == null) return null;
      try {
        return WRITER.writeValueAsBytes(order);
      } catch (IOException e) {
        throw new SerializationException("cannot encode order " + order.orderId(), e);
      }
    };
  }

  @Override
  public Deserializer<Order> deserializer() {
    return (topic, bytes) -> {
      if (bytes == null) return null; // tombstone: Streams turns it into a delete
      try {
        return READER.readValue(bytes);
      } catch (IOException e) {
        throw new SerializationException("cannot decode JSON value of topic " + topic, e);
      }
    };
  }
}
