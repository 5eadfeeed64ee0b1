-- The rarer nested types (docs/ddl.md, "What is generated"): ROWs as MAP keys and MULTISET
-- elements (their structs get an operator<=>), MAP keys that are no STRING, ROW(...),
-- every scalar type inside a ROW, the postfix ARRAY / MULTISET with NULL / NOT NULL, ROW
-- structs whose names are taken (by a member of the struct that uses them, by another ROW's
-- struct), ROW fields whose names are no C++ names, a ROW wider than BOOST_HANA_ADAPT_STRUCT
-- takes, a field declared NOT NULL in a nullable ROW (nullable in Flink), and a nested metadata
-- column.
-- tests/ddl_codegen/generated_test.cpp checks the generated header.
CREATE TABLE nested (
  id INT,
  `Nested_home` INT,
  home ROW<`class` INT, `my field` STRING NOT NULL, home ROW<x INT> NOT NULL, `1st` ROW(z INT)> NOT NULL,
  nested ROW<nested ROW<nested INT>>,
  a_b ROW<x INT>,
  a ROW<b ROW<y INT>>,
  keyed MAP<ROW<a INT, b STRING>, ROW<c DOUBLE NOT NULL> NOT NULL>,
  int_keys MAP<INT, STRING NOT NULL> NOT NULL,
  elements MULTISET<ROW<a INT, r ROW<q ARRAY<INT>>>>,
  postfix INT NOT NULL MULTISET NULL ARRAY NOT NULL,
  scalars ROW(s STRING, vc VARCHAR(3), b BOOLEAN, ti TINYINT, si SMALLINT, i INT, bi BIGINT,
              f FLOAT, d DOUBLE, dec DECIMAL(38, 4), dt DATE, t TIME(3), ts TIMESTAMP(3),
              ts9 TIMESTAMP(9), ltz TIMESTAMP_LTZ(6), bts BYTES NOT NULL),
  declared ROW<x INT NOT NULL, r ROW<y INT NOT NULL> NOT NULL>,
  kept ROW<x INT NOT NULL, r ROW<y INT NOT NULL> NOT NULL> NOT NULL,
  wide ROW<f0 INT, f1 INT, f2 INT, f3 INT, f4 INT, f5 INT, f6 INT, f7 INT, f8 INT, f9 INT,
           f10 INT, f11 INT, f12 INT, f13 INT, f14 INT, f15 INT, f16 INT, f17 INT, f18 INT,
           f19 INT, f20 INT, f21 INT, f22 INT, f23 INT, f24 INT, f25 INT, f26 INT, f27 INT,
           f28 INT, f29 INT, f30 INT, f31 INT, f32 INT, f33 INT, f34 INT, f35 INT, f36 INT,
           f37 INT, f38 INT, f39 INT>,
  headers MAP<STRING, BYTES> METADATA VIRTUAL,
  PRIMARY KEY (id) NOT ENFORCED
) WITH (
  'connector' = 'upsert-kafka',
  'topic' = 'nested',
  'properties.bootstrap.servers' = 'localhost:9092',
  'key.format' = 'json',
  'value.format' = 'avro'
);
