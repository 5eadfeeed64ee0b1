-- The column types of issue 17 (TIME(p), TIMESTAMP(p) for every p, TIMESTAMP_LTZ(p), DECIMAL up
-- to precision 38), each nullable and NOT NULL. tests/ddl_codegen/generated_test.cpp checks the
-- generated header.
CREATE TABLE new_types (
  id INT,
  t TIME,
  t3 TIME(3) NOT NULL,
  t9 TIME(9) WITHOUT TIME ZONE,
  ts0 TIMESTAMP(0),
  ts TIMESTAMP,
  ts6 TIMESTAMP(6) NOT NULL,
  ts9 TIMESTAMP(9) WITHOUT TIME ZONE,
  ltz TIMESTAMP_LTZ,
  ltz0 TIMESTAMP_LTZ(0) NOT NULL,
  ltz3 TIMESTAMP_LTZ(3),
  ltz6 TIMESTAMP(6) WITH LOCAL TIME ZONE,
  ltz_default TIMESTAMP WITH LOCAL TIME ZONE NOT NULL,
  d19 DECIMAL(19, 0),
  d38 DECIMAL(38, 10) NOT NULL,
  d38_38 DECIMAL(38, 38),
  PRIMARY KEY (id) NOT ENFORCED
) WITH (
  'connector' = 'upsert-kafka',
  'topic' = 'new-types',
  'properties.bootstrap.servers' = 'localhost:9092',
  'key.format' = 'csv',
  'value.format' = 'avro'
);
