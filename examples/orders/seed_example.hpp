// The seed's Example 1 data: the three Kafka records of step 4 (CSV keys, JSON values) and
// the four changelog rows the print sink shows for them (step 5, with the timestamps' normal
// spaces). Shared by the tool, the tests and the integration tests.
#ifndef UPSERTKIT_EXAMPLES_SEED_EXAMPLE_HPP
#define UPSERTKIT_EXAMPLES_SEED_EXAMPLE_HPP

#include <array>
#include <string_view>
#include <utility>

namespace orders::seed {

inline constexpr std::array<std::pair<std::string_view, std::string_view>, 3> records = {{
    {"202303251202020001",
     R"({"order_id":"202303251202020001", "order_channel":"miniAppShop", "order_time":"2023-03-25 12:02:02", "pay_amount":"60.00", "real_pay":"60.00", "pay_time":"2023-03-25 12:03:00", "user_id":"0002", "user_name":"Bob", "area_id":"330110"})"},
    {"202303251505050001",
     R"({"order_id":"202303251505050001", "order_channel":"appshop", "order_time":"2023-03-25 15:05:05", "pay_amount":"500.00", "real_pay":"400.00", "pay_time":"2023-03-25 15:10:00", "user_id":"0003", "user_name":"Cindy", "area_id":"330108"})"},
    {"202303251202020001",
     R"({"order_id":"202303251202020001", "order_channel":"miniAppShop", "order_time":"2023-03-25 12:02:02", "pay_amount":"60.00", "real_pay":"60.00", "pay_time":"2023-03-25 12:03:00", "user_id":"0002", "user_name":"Bob", "area_id":"330111"})"},
}};

inline constexpr std::array<std::string_view, 4> changelog = {
    "+I(202303251202020001,miniAppShop,2023-03-25 12:02:02,60.0,60.0,2023-03-25 "
    "12:03:00,0002,Bob,330110)",
    "+I(202303251505050001,appshop,2023-03-25 15:05:05,500.0,400.0,2023-03-25 "
    "15:10:00,0003,Cindy,330108)",
    "-U(202303251202020001,miniAppShop,2023-03-25 12:02:02,60.0,60.0,2023-03-25 "
    "12:03:00,0002,Bob,330110)",
    "+U(202303251202020001,miniAppShop,2023-03-25 12:02:02,60.0,60.0,2023-03-25 "
    "12:03:00,0002,Bob,330111)"};

}  // namespace orders::seed

#endif  // UPSERTKIT_EXAMPLES_SEED_EXAMPLE_HPP
