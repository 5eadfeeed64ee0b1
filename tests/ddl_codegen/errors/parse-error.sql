-- A missing comma: the reader's error, at its line and column.
CREATE TABLE events (
  id BIGINT
  name STRING,
  PRIMARY KEY (id) NOT ENFORCED
) WITH ('connector' = 'upsert-kafka');
