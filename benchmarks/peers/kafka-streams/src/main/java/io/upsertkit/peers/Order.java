package io.upsertkit.peers;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One row of the seed's orders table (Example 1 DDL): every column but the two DOUBLEs is a
 * STRING, all nullable except the PRIMARY KEY order_id. Record equality (Objects.equals per
 * field, Double.equals for the amounts) is the row equality used to classify changes, as Flink's
 * RecordEqualiser compares every field.
 */
@JsonIgnoreProperties(ignoreUnknown = true) // like Flink's json format without fail-on-unknown
public record Order(
    @JsonProperty("order_id") String orderId,
    @JsonProperty("order_channel") String orderChannel,
    @JsonProperty("order_time") String orderTime,
    @JsonProperty("pay_amount") Double payAmount,
    @JsonProperty("real_pay") Double realPay,
    @JsonProperty("pay_time") String payTime,
    @JsonProperty("user_id") String userId,
    @JsonProperty("user_name") String userName,
    @JsonProperty("area_id") String areaId) {}
