"""Avro interoperability of upsertkit's `avro` format with fastavro, an independent
implementation, in both directions.

    python interop.py DRIVER WORKDIR

1. DRIVER write WORKDIR: upsertkit writes its derived schemas (*.avsc) and one schemaless datum
   per sample row (cpp-*.avro).
2. Each schema must equal the one written out below from the reference's mapping, and
   fastavro.parse_schema must accept it.
3. fastavro's schemaless_reader decodes each cpp-*.avro with that schema, consuming every byte,
   into the sample row.
4. fastavro's schemaless_writer encodes the sample rows (py-*.avro), which upsertkit must read
   (step 5). Byte equality is checked with DECIMAL values given to fastavro as plain bytes in
   Java's BigInteger.toByteArray form (what Flink writes): fastavro's own decimal writer may
   add a sign-extension byte (-128 as ff 80 where Java writes 80), equally valid Avro. The
   reference's test vector must come out exactly.
5. DRIVER read WORKDIR: upsertkit decodes fastavro's py-*.avro into its sample rows.

The sample rows are the ones of avro_tables.hpp, written again here in Python.
"""

import datetime
import decimal
import io
import json
import os
import subprocess
import sys

import fastavro

UTC = datetime.timezone.utc
D = decimal.Decimal
NAMESPACE = "org.apache.flink.avro.generated"


def ts(*args):
    return datetime.datetime(*args, tzinfo=UTC)


def dec(precision, scale):
    return {"type": "bytes", "logicalType": "decimal", "precision": precision, "scale": scale}


TYPES = [
    ("id", "long"),
    ("flag", "boolean"),
    ("tiny", "int"),
    ("small", "int"),
    ("integer", "int"),
    ("big", "long"),
    ("real", "float"),
    ("dbl", "double"),
    ("amount", dec(10, 2)),
    ("wide", dec(18, 4)),
    ("day", {"type": "int", "logicalType": "date"}),
    ("ts", {"type": "long", "logicalType": "timestamp-millis"}),
    ("owned", "string"),
    ("name", "string"),
    ("data", "bytes"),
]


def record(fields):
    return {"type": "record", "name": "record", "namespace": NAMESPACE, "fields": fields}


def not_null(name, avro_type):
    return {"name": name, "type": avro_type}


def nullable(name, avro_type):
    return {"name": name, "type": ["null", avro_type], "default": None}


SCHEMAS = {
    "all_types": record([not_null(n, t) for n, t in TYPES]),
    "nullables": record([not_null("id", "long")] + [nullable(n, t) for n, t in TYPES[1:]]),
    "payments": record(
        [not_null("order_id", "string"), nullable("amount", "double"),
         nullable("status", "string")]),
    "payments_key": record([not_null("order_id", "string")]),
}

NAMES = [n for n, _ in TYPES]

ROWS = {
    "all_types": [
        dict(zip(NAMES, [1, True, -128, 32767, -2**31, 2**63 - 1, 1.5, 60.0, D("60.00"),
                         D("-12345678901234.5678"), datetime.date(2023, 3, 25),
                         ts(2020, 3, 8, 13, 12, 11, 123000), "Bob", "\u00fcn\u00efcode \u2713",
                         b"\x00\xff\x01"])),
        dict(zip(NAMES, [-1, False, 127, -32768, 2**31 - 1, -2**63, -0.25, 1.0e7, D("-0.01"),
                         D("99999999999999.9999"), datetime.date(1969, 12, 31),
                         ts(1969, 12, 31, 23, 59, 59, 999000), "", "x", b""])),
        dict(zip(NAMES, [0, False, 0, 0, 0, 0, 0.0, -0.5, D("0.00"), D("0.0128"),
                         datetime.date(1970, 1, 1), ts(1970, 1, 1), 'a "quoted" \\ text',
                         "", b"\x80\x7f\x00\x00"])),
    ],
    "nullables": [
        dict(zip(NAMES, [7] + [None] * 14)),
        dict(zip(NAMES, [8, True, -1, 300, 70000, 2**40, 3.25, 0.1, D("-123.45"), D("-0.0128"),
                         datetime.date(1, 1, 1), ts(1, 1, 1), "owned", "view", b"\xff"])),
    ],
    "payments": [{"order_id": "202303251202020001", "amount": 60.0, "status": "PAID"}],
    "payments_key": [{"order_id": "202303251202020001"}],
}

# The reference's test vector (behaviour reference, section 6).
REFERENCE_KEY = bytes.fromhex("24" + "202303251202020001".encode().hex())
REFERENCE = {
    "payments_key": REFERENCE_KEY,
    "payments": REFERENCE_KEY + bytes.fromhex("02 00 00 00 00 00 00 4e 40 02 08 50 41 49 44"),
}

failures = []


def java_unscaled_bytes(value, scale):
    """BigInteger.toByteArray() of the unscaled value: the shortest two's complement."""
    unscaled = int(value.scaleb(scale))
    length = (unscaled if unscaled >= 0 else ~unscaled).bit_length() // 8 + 1
    return unscaled.to_bytes(length, "big", signed=True)


def without_decimal_logical_type(schema):
    """The schema with every decimal as plain bytes, and the fields' scales."""
    fields, scales = [], {}
    for field in schema["fields"]:
        avro_type = field["type"]
        branch = avro_type[1] if isinstance(avro_type, list) else avro_type
        if isinstance(branch, dict) and branch.get("logicalType") == "decimal":
            scales[field["name"]] = branch["scale"]
            avro_type = ["null", "bytes"] if isinstance(avro_type, list) else "bytes"
        fields.append(dict(field, type=avro_type))
    return dict(schema, fields=fields), scales


def check(condition, message):
    if condition:
        print("ok:", message)
    else:
        print("FAIL:", message)
        failures.append(message)


def main():
    driver, workdir = sys.argv[1], sys.argv[2]
    os.makedirs(workdir, exist_ok=True)
    subprocess.run([driver, "write", workdir], check=True)

    for table, rows in ROWS.items():
        with open(os.path.join(workdir, table + ".avsc")) as f:
            text = f.read()
        ours = json.loads(text)
        check(ours == SCHEMAS[table], f"{table}: derived schema is the reference's mapping")
        parsed = fastavro.parse_schema(ours)  # raises if the schema is not valid Avro
        check(parsed is not None, f"{table}: fastavro.parse_schema accepts the schema")

        for i, row in enumerate(rows):
            with open(os.path.join(workdir, f"cpp-{table}-{i}.avro"), "rb") as f:
                cpp_bytes = f.read()
            stream = io.BytesIO(cpp_bytes)
            decoded = fastavro.schemaless_reader(stream, parsed, None)
            check(stream.tell() == len(cpp_bytes), f"{table}[{i}]: fastavro reads every byte")
            check(decoded == row, f"{table}[{i}]: fastavro decodes upsertkit's bytes"
                  + ("" if decoded == row else f": {decoded!r} != {row!r}"))

            out = io.BytesIO()
            fastavro.schemaless_writer(out, parsed, row)
            py_bytes = out.getvalue()

            plain_schema, scales = without_decimal_logical_type(ours)
            plain_row = {k: (java_unscaled_bytes(v, scales[k]) if k in scales and v is not None
                             else v) for k, v in row.items()}
            out = io.BytesIO()
            fastavro.schemaless_writer(out, fastavro.parse_schema(plain_schema), plain_row)
            java_bytes = out.getvalue()
            check(java_bytes == cpp_bytes, f"{table}[{i}]: fastavro writes the same bytes"
                  + ("" if java_bytes == cpp_bytes
                     else f": {java_bytes.hex(' ')} != {cpp_bytes.hex(' ')}"))
            with open(os.path.join(workdir, f"py-{table}-{i}.avro"), "wb") as f:
                f.write(py_bytes)
            if table in REFERENCE:
                check(py_bytes == REFERENCE[table], f"{table}: fastavro gives the test vector")
                check(cpp_bytes == REFERENCE[table], f"{table}: upsertkit gives the test vector")

    result = subprocess.run([driver, "read", workdir])
    check(result.returncode == 0, "upsertkit decodes every datum fastavro wrote")

    if failures:
        print(f"avro interop: {len(failures)} check(s) failed")
        return 1
    print("avro interop: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
