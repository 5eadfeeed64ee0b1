-- An orders table that does not match struct Order (the replay case ddl-mismatch).
CREATE TABLE orders (
  order_id STRING,
  order_channel STRING,
  order_time STRING,
  pay_amount INT,
  real_pay DOUBLE,
  pay_time STRING,
  user_id STRING,
  user_name STRING,
  PRIMARY KEY (order_id) NOT ENFORCED
) WITH (
  'connector' = 'upsert-kafka',
  'topic' = 'orders',
  'properties.bootstrap.servers' = 'localhost:9092',
  'key.format' = 'csv',
  'value.format' = 'json'
);
