-- A type the generator has no C++ type for, inside a nested type: the generator refuses the
-- table, naming it, the column, the type and the part of it.
CREATE TABLE events (
  id BIGINT,
  visits ARRAY<ROW<at TIMESTAMP(3) WITH TIME ZONE, amount INT>>,
  PRIMARY KEY (id) NOT ENFORCED
) WITH ('connector' = 'upsert-kafka');
