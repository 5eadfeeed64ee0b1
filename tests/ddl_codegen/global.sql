-- A qualified table name that is no C++ name, a WATERMARK and a three-column PRIMARY KEY, generated
-- into the global namespace. tests/ddl_codegen/generated_test.cpp checks the generated header.
CREATE TEMPORARY TABLE IF NOT EXISTS my_catalog.my_db.`page-views` (
  user_id BIGINT NOT NULL COMMENT 'who',
  page STRING NOT NULL,
  view_time TIMESTAMP(3) NOT NULL,
  referrer STRING,
  duration_ms INT,
  WATERMARK FOR view_time AS view_time - INTERVAL '5' SECOND,
  PRIMARY KEY (page, user_id, view_time) NOT ENFORCED
) WITH (
  'connector' = 'upsert-kafka',
  'topic' = 'page-views',
  'properties.bootstrap.servers' = 'localhost:9092',
  'key.format' = 'csv',
  'value.format' = 'json'
);
