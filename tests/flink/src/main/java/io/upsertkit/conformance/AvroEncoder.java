package io.upsertkit.conformance;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.avro.LogicalType;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.flink.formats.avro.typeutils.AvroSchemaConverter;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.utils.LogicalTypeParser;

/**
 * Writes rows as schemaless Avro binary with Apache Avro's own GenericDatumWriter, in the schema
 * Flink derives for the format's row type (AvroSchemaConverter), which is the schema Flink's
 * avro format reads with. The Java value of each field follows the schema's logical type; an
 * ARRAY is a Java List, a MAP or MULTISET a Map (written in its iteration order), a ROW a
 * GenericData.Record of the nested record schema.
 */
final class AvroEncoder {
  private final Schema schema;
  private final GenericDatumWriter<GenericData.Record> writer;
  private BinaryEncoder encoder;

  AvroEncoder(List<String> names, List<Column> columns) {
    String row = "ROW<" + java.util.stream.IntStream.range(0, names.size())
        .mapToObj(i -> "`" + names.get(i) + "` " + columns.get(i).type().resolved().text())
        .collect(Collectors.joining(", ")) + ">";
    // NOT NULL: a format's row type is (the record itself, not a union with null). The types as
    // Flink resolves the DDL (a nullable ROW's fields are nullable): its schema is derived from
    // those.
    RowType rowType = (RowType) LogicalTypeParser.parse(row, AvroEncoder.class.getClassLoader()).copy(false);
    schema = AvroSchemaConverter.convertToSchema(rowType);
    writer = new GenericDatumWriter<>(schema);
  }

  Schema schema() {
    return schema;
  }

  byte[] encode(List<Object> values) {
    GenericData.Record record = new GenericData.Record(schema);
    List<Schema.Field> fields = schema.getFields();
    for (int i = 0; i < fields.size(); i++) record.put(i, avroValue(fields.get(i).schema(), values.get(i)));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    encoder = EncoderFactory.get().directBinaryEncoder(out, encoder);
    try {
      writer.write(record, encoder);
      encoder.flush();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toByteArray();
  }

  private static Object avroValue(Schema s, Object v) {
    if (v == null) return null;
    if (s.getType() == Schema.Type.UNION)
      for (Schema branch : s.getTypes())
        if (branch.getType() != Schema.Type.NULL) return avroValue(branch, v);
    switch (s.getType()) {
      case ARRAY -> {
        List<Object> out = new ArrayList<>();
        for (Object e : (List<?>) v) out.add(avroValue(s.getElementType(), e));
        return out;
      }
      case MAP -> {   // MAP and MULTISET (of each element to its count)
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : Values.entriesInContentOrder((Map<?, ?>) v))
          out.put((String) e.getKey(), avroValue(s.getValueType(), e.getValue()));
        return out;
      }
      case RECORD -> {
        GenericData.Record record = new GenericData.Record(s);
        List<?> fields = (List<?>) v;
        for (int i = 0; i < fields.size(); i++) record.put(i, avroValue(s.getFields().get(i).schema(), fields.get(i)));
        return record;
      }
      default -> {
      }
    }
    LogicalType logical = s.getLogicalType();
    String name = logical == null ? "" : logical.getName();
    return switch (name) {
      case "decimal" -> ByteBuffer.wrap(((BigDecimal) v).unscaledValue().toByteArray());
      case "date" -> (int) ((LocalDate) v).toEpochDay();
      case "time-millis" -> (int) (((LocalTime) v).toNanoOfDay() / 1_000_000);
      case "time-micros" -> ((LocalTime) v).toNanoOfDay() / 1_000;
      case "timestamp-millis", "local-timestamp-millis" -> epoch(v, 1_000);
      case "timestamp-micros", "local-timestamp-micros" -> epoch(v, 1_000_000);
      default -> switch (s.getType()) {
        case BYTES -> ByteBuffer.wrap((byte[]) v);
        case INT -> ((Number) v).intValue();   // TINYINT and SMALLINT are avro ints
        default -> v;                          // String, Boolean, Long, Float, Double
      };
    };
  }

  /** Units (1,000: milliseconds, 1,000,000: microseconds) since 1970-01-01 00:00:00. */
  private static long epoch(Object v, long perSecond) {
    Instant i = v instanceof Instant instant ? instant : ((LocalDateTime) v).toInstant(ZoneOffset.UTC);
    return Math.addExact(Math.multiplyExact(i.getEpochSecond(), perSecond),
        i.getNano() / (1_000_000_000L / perSecond));
  }
}
