// Fuzz target: csv::codec::decode, as the key and as the value projection, for the orders table,
// a table with every scalar column type and one with ARRAY and ROW columns, under one of eight
// option sets chosen by the first byte.
//
// Checks, besides the sanitizers:
//   - decode never throws, and a failure names a column of the projection or no field;
//   - decoding the same message again on the same codec gives the same outcome and row;
//   - round trip: decode ok -> encode -> decode (second codec) is ok and gives the same
//     projected columns, then encoding is a fixed point. Where it cannot hold it is skipped,
//     by design (docs/formats.md): `disable-quote-character` (a delimiter inside a value is
//     written bare), a NULL without `null-literal` (written as an empty field, which reads back
//     as "" or an error), and a record that encodes to an empty message (one empty column).
#include <upsertkit/formats/csv.hpp>

#include <cstdint>
#include <string>
#include <type_traits>

#include "fuzz_common.hpp"

namespace {

upsertkit::csv::options option_set(int n) {
  upsertkit::csv::options o;
  switch (n) {
    case 1:
      o.null_literal = "<NULL>";
      break;
    case 2:
      o.field_delimiter = '|';
      o.escape_character = '\\';
      o.null_literal = "";
      break;
    case 3:
      o.field_delimiter = '\t';
      o.quote_character = '\'';
      o.null_literal = "null";
      break;
    case 4:
      o.allow_comments = true;
      o.null_literal = "N";
      break;
    case 5:
      o.disable_quote_character = true;
      break;
    case 6:
      o.ignore_parse_errors = true;
      o.null_literal = "\\N";
      break;
    case 7:
      o.write_bigdecimal_in_scientific_notation = false;
      o.escape_character = '#';
      o.null_literal = "NULL";
      break;
    default:
      break;
  }
  return o;
}

template <class Table>
bool has_null(const typename Table::row_type& row, const upsertkit::projection& columns) {
  bool any = false;
  for (const std::uint16_t column : columns.columns)
    upsertkit::visit_column<Table>(column, [&](auto index) {
      constexpr std::size_t I = decltype(index)::value;
      if (upsertkit::column_io::value_of(Table::fields::template get<I>(row)) == nullptr)
        any = true;
    });
  return any;
}

template <class Table>
void run(std::uint8_t choice, std::string_view message) {
  using row_type = typename Table::row_type;
  upsertkit::key_value_layout layout;
  if (choice & 0x40) layout.include = upsertkit::fields_include::except_key;
  const upsertkit::table_projections<Table> projections(layout);
  const upsertkit::projection& columns = (choice & 0x01) ? projections.key : projections.value;
  const upsertkit::csv::options opts = option_set((choice >> 1) & 0x07);

  upsertkit::csv::codec<Table> codec(columns, opts);
  row_type row{};
  const upsertkit::decode_status status = codec.decode(message, row);
  if (status.failed()) {
    const std::string& field = status.failure().field;
    FUZZ_CHECK(fuzz::names_a_column(field, columns.names), "unknown field", field);
    FUZZ_CHECK(!status.failure().message.empty());
  }
  row_type again{};
  const upsertkit::decode_status second = codec.decode(message, again);
  FUZZ_CHECK(second.ok() == status.ok() && second.is_no_row() == status.is_no_row(),
             status.describe());
  if (!status.ok()) return;
  FUZZ_CHECK((fuzz::same_columns<Table>(row, again, columns.columns)), message);

  // ARRAY and ROW text does not round-trip in Flink's csv (an element holding the delimiter is
  // written bare, `[""]` is written as an empty field, which reads as `[]`): decoding only.
  if constexpr (std::is_same_v<Table, fuzz::csv_nested>) return;
  if (opts.disable_quote_character) return;
  if (!opts.null_literal && has_null<Table>(row, columns)) return;
  std::string encoded;
  codec.encode(row, encoded);
  if (encoded.empty()) return;
  upsertkit::csv::codec<Table> reader(columns, opts);
  row_type back{};
  const upsertkit::decode_status round = reader.decode(encoded, back);
  FUZZ_CHECK(round.ok(), "encoded", encoded + " -> " + round.describe());
  FUZZ_CHECK((fuzz::same_columns<Table>(row, back, columns.columns)), "encoded", encoded);
  std::string again_encoded;
  reader.encode(back, again_encoded);
  FUZZ_CHECK(again_encoded == encoded, encoded, again_encoded);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::input in(data, size);
  const std::uint8_t choice = in.byte();
  // A message that starts with `N` after a choice with 0x80 is for the table of ARRAY and ROW
  // columns (the all-types seeds start with a digit).
  if ((choice & 0x80) && !in.empty() && in.rest().front() == 'N')
    run<fuzz::csv_nested>(choice, in.rest().substr(1));
  else if (choice & 0x80)
    run<fuzz::all_types>(choice, in.rest());
  else
    run<orders::table>(choice, in.rest());
  return 0;
}
