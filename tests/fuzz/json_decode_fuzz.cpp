// Fuzz target: json::codec::decode, as a key and as a value, for the orders table, a table
// with every scalar column type and one with the nested types, under the option combinations
// chosen by the first input byte.
//
// Checks, besides the sanitizers:
//   - decode never throws, and a failure names a column of the projection or no field;
//   - decoding the same message again on the same codec gives the same outcome and row
//     (the codec's reused buffers carry nothing over);
//   - differential: decode() (which takes its flat-object fast path where it can) and
//     decode_general() (simdjson's walk of every message) give the same outcome, the same
//     failure (field and message) and the same row;
//   - round trip: decode ok -> encode -> decode (on a second codec) is ok and gives the same
//     projected columns (NaN equals NaN, -0.0 differs from 0.0). Not checked when
//     `fail-on-missing-field` is combined with `encode.ignore-null-fields`: an omitted NULL
//     is then a missing field, by design.
#include <upsertkit/formats/json.hpp>

#include <cstdint>
#include <string>

#include "fuzz_common.hpp"

namespace {

template <class Table>
void run(std::uint8_t choice, std::string_view message) {
  using row_type = typename Table::row_type;
  upsertkit::key_value_layout layout;
  if (choice & 0x40) layout.include = upsertkit::fields_include::except_key;
  const upsertkit::table_projections<Table> projections(layout);
  const bool key_role = choice & 0x01;
  upsertkit::json::options opts;
  opts.ignore_parse_errors = (choice & 0x06) == 0x02;
  opts.fail_on_missing_field = (choice & 0x06) == 0x04;
  opts.timestamp_standard = (choice & 0x08) ? upsertkit::text::timestamp_standard::iso_8601
                                            : upsertkit::text::timestamp_standard::sql;
  opts.encode_ignore_null_fields = choice & 0x10;
  opts.encode_decimal_as_plain_number = choice & 0x20;
  const upsertkit::projection& columns = key_role ? projections.key : projections.value;
  const auto which = key_role ? upsertkit::json::role::key : upsertkit::json::role::value;

  upsertkit::json::codec<Table> codec(columns, opts, which);
  row_type row{};
  const upsertkit::decode_status status = codec.decode(message, row);
  if (status.failed()) {
    const std::string& field = status.failure().field;
    FUZZ_CHECK(fuzz::names_a_column(field, columns.names), "unknown field", field);
    FUZZ_CHECK(!status.failure().message.empty());
  }

  // The general path on a codec of its own: the same outcome, failure and row.
  upsertkit::json::codec<Table> general(columns, opts, which);
  row_type general_row{};
  const upsertkit::decode_status by_simdjson = general.decode_general(message, general_row);
  FUZZ_CHECK(by_simdjson.ok() == status.ok() && by_simdjson.is_no_row() == status.is_no_row(),
             "fast path: " + status.describe(), "general path: " + by_simdjson.describe());
  if (status.failed())
    FUZZ_CHECK(by_simdjson.failure().field == status.failure().field &&
                   by_simdjson.failure().message == status.failure().message,
               "fast path: " + status.describe(), "general path: " + by_simdjson.describe());
  if (status.ok())
    FUZZ_CHECK((fuzz::same_columns<Table>(row, general_row, columns.columns)), "rows differ",
               message);

  // The same message again on the same codec: same outcome, same row.
  row_type again{};
  const upsertkit::decode_status second = codec.decode(message, again);
  FUZZ_CHECK(second.ok() == status.ok() && second.is_no_row() == status.is_no_row(),
             status.describe());
  if (!status.ok()) return;
  FUZZ_CHECK((fuzz::same_columns<Table>(row, again, columns.columns)), message);

  // Round trip (row's string views point into `codec`'s buffers, which stay untouched).
  if (opts.fail_on_missing_field && opts.encode_ignore_null_fields) return;
  std::string encoded;
  codec.encode(row, encoded);
  upsertkit::json::codec<Table> reader(columns, opts, which);
  row_type back{};
  const upsertkit::decode_status round = reader.decode(encoded, back);
  FUZZ_CHECK(round.ok(), "encoded", encoded + " -> " + round.describe());
  FUZZ_CHECK((fuzz::same_columns<Table>(row, back, columns.columns)), "encoded", encoded);
  // Encoding is then a fixed point.
  std::string again_encoded;
  reader.encode(back, again_encoded);
  FUZZ_CHECK(again_encoded == encoded, encoded, again_encoded);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::input in(data, size);
  const std::uint8_t choice = in.byte();
  // A message that starts with `N` after a choice with 0x80 is for the nested table (the
  // all-types seeds start with `{`).
  if ((choice & 0x80) && !in.empty() && in.rest().front() == 'N')
    run<fuzz::nested>(choice, in.rest().substr(1));
  else if (choice & 0x80)
    run<fuzz::all_types>(choice, in.rest());
  else
    run<orders::table>(choice, in.rest());
  return 0;
}
