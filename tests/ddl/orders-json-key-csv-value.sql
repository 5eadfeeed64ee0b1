-- The orders table with a JSON key and a CSV value that leaves the key out
-- (the replay case ddl-json-key-csv-value: the same records as json-key-csv-value).
CREATE TABLE `orders` (
  order_id      STRING,
  order_channel STRING,
  order_time    STRING,
  pay_amount    DOUBLE,
  real_pay      DOUBLE,
  pay_time      STRING,
  user_id       STRING,
  user_name     STRING,
  area_id       STRING,
  /* the key */
  PRIMARY KEY (order_id) NOT ENFORCED
) WITH (
  'connector' = 'upsert-kafka',
  'topic' = 'orders',
  'properties.bootstrap.servers' = 'localhost:9092',
  'key.format' = 'json',
  'value.format' = 'csv',
  'value.fields-include' = 'EXCEPT_KEY'
);
