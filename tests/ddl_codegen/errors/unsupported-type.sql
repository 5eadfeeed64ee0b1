-- A nested type: the generator refuses the table, naming it, the column and the type.
CREATE TABLE events (
  id BIGINT,
  tags ARRAY<STRING>,
  PRIMARY KEY (id) NOT ENFORCED
) WITH ('connector' = 'upsert-kafka');
