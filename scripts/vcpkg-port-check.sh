#!/usr/bin/env bash
# Checks the vcpkg overlay port (cmake/packaging/vcpkg/ports/upsertkit) as far as can be done
# without vcpkg, which cannot be downloaded here (docs/packaging.md says what is left):
#   1. vcpkg.json against the fields of vcpkg's manifest schema that a port uses (names,
#      version kinds and their patterns, dependency objects, no unknown field), with Python's
#      jsonschema from a venv under .cache/; and against vcpkg's own schema files too when
#      VCPKG_SCHEMA_DIR names a directory holding vcpkg.schema.json and the files it refers to;
#   2. the version in vcpkg.json is the project's;
#   3. portfile.cmake run by cmake/packaging/vcpkg/emulate-port.cmake (plain cmake stand-ins
#      for the vcpkg functions) into a staging package directory, once without features and
#      once with the feature rocksdb (upsertkit[rocksdb]);
#   4. tests/find_package built against the first, as the usage text says, and run; there,
#      find_package(upsertkit COMPONENTS rocksdb) is refused with the reason;
#   5. tests/find_package/rocksdb (COMPONENTS rocksdb) built against the second and run.
# Usage: scripts/vcpkg-port-check.sh [WORK_DIR]   (a temporary directory by default)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
port=$root/cmake/packaging/vcpkg/ports/upsertkit

if (($# > 0)); then
  work=$1
  mkdir -p "$work"
else
  work=$(mktemp -d "${TMPDIR:-/tmp}/upsertkit-vcpkg.XXXXXX")
  trap 'rm -rf "$work"' EXIT
fi

version=$(sed -nE 's/^ *VERSION ([0-9]+\.[0-9]+\.[0-9]+)$/\1/p' CMakeLists.txt | head -n 1)

echo "== 1, 2. vcpkg.json"
scripts/python-venv.sh >/dev/null
.cache/venv/bin/python - "$port/vcpkg.json" "$version" "${VCPKG_SCHEMA_DIR:-}" <<'PY'
import json, pathlib, sys
import jsonschema

manifest_path, version, schema_dir = sys.argv[1], sys.argv[2], sys.argv[3]
manifest = json.loads(pathlib.Path(manifest_path).read_text())

# The part of vcpkg's manifest schema (docs/vcpkg.schema.json in microsoft/vcpkg-tool) that a
# port's vcpkg.json uses, written out here because that file cannot be fetched at test time.
identifier = {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"}
semver = {
    "type": "string",
    "pattern": r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$",
}
strings = {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}
dependency = {
    "oneOf": [
        identifier,
        {
            "type": "object",
            "properties": {
                "name": identifier,
                "host": {"type": "boolean"},
                "features": {"type": "array", "items": identifier},
                "default-features": {"type": "boolean"},
                "platform": {"type": "string"},
                "version>=": {"type": "string", "pattern": r"^[^#]+(#\d+)?$"},
            },
            "required": ["name"],
            "additionalProperties": False,
        },
    ]
}
versions = ["version", "version-semver", "version-date", "version-string"]
schema = {
    "type": "object",
    "properties": {
        "name": identifier,
        "version": {"type": "string", "pattern": r"^\d+(\.\d+)*$"},
        "version-semver": semver,
        "version-date": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}(\.\d+)*$"},
        "version-string": {"type": "string", "pattern": "^[^#]+$"},
        "port-version": {"type": "integer", "minimum": 0},
        "maintainers": strings,
        "summary": {"type": "string"},
        "description": strings,
        "homepage": {"type": "string"},
        "documentation": {"type": "string"},
        "license": {"oneOf": [{"type": "string"}, {"type": "null"}]},
        "supports": {"type": "string"},
        "dependencies": {"type": "array", "items": dependency},
        "default-features": {"type": "array"},
        "features": {
            "type": "object",
            "propertyNames": identifier,
            "additionalProperties": {
                "type": "object",
                "properties": {
                    "description": strings,
                    "dependencies": {"type": "array", "items": dependency},
                    "supports": {"type": "string"},
                    "license": {"oneOf": [{"type": "string"}, {"type": "null"}]},
                },
                "patternProperties": {r"^\$": {}},
                "required": ["description"],
                "additionalProperties": False,
            },
        },
    },
    "patternProperties": {r"^\$": {}},
    "additionalProperties": False,
    "required": ["name", "description"],
    # a port has exactly one version field
    "oneOf": [{"required": [v]} for v in versions],
}
jsonschema.validate(manifest, schema)
print("vcpkg.json: valid against the port fields of vcpkg's manifest schema")

if schema_dir:
    from urllib.parse import urljoin
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT7

    directory = pathlib.Path(schema_dir)
    official = json.loads((directory / "vcpkg.schema.json").read_text())
    registry = Registry()
    for path in directory.glob("*.json"):
        contents = json.loads(path.read_text())
        resource = Resource.from_contents(contents, default_specification=DRAFT7)
        # under the URL the manifest schema's relative $refs resolve to, and its own $id
        for uri in {urljoin(official["$id"], path.name), contents.get("$id", path.name)}:
            registry = registry.with_resource(uri, resource)
    jsonschema.Draft7Validator(official, registry=registry).validate(manifest)
    print(f"vcpkg.json: valid against {directory}/vcpkg.schema.json")

names = [d if isinstance(d, str) else d["name"] for d in manifest["dependencies"]]
for needed in ("librdkafka", "simdjson", "boost-hana", "vcpkg-cmake", "vcpkg-cmake-config"):
    assert needed in names, f"vcpkg.json lacks the dependency {needed}"
assert manifest["version-semver"] == version, (
    f"vcpkg.json has version {manifest['version-semver']}, the project {version}")
print(f"vcpkg.json: version {version}, dependencies {', '.join(names)}")
# The feature rocksdb (the component rocksdb) brings vcpkg's rocksdb port, and is not a default.
feature = manifest.get("features", {}).get("rocksdb")
assert feature is not None, "vcpkg.json has no feature rocksdb"
assert "rocksdb" in [d if isinstance(d, str) else d["name"] for d in feature["dependencies"]], (
    "the feature rocksdb does not depend on the port rocksdb")
assert "rocksdb" not in manifest.get("default-features", []), "rocksdb is a default feature"
print("vcpkg.json: feature rocksdb, depending on rocksdb")
PY

echo "== 3. portfile.cmake, emulated: upsertkit, then upsertkit[rocksdb]"
rm -rf "$work/packages" "$work/packages-rocksdb" "$work/buildtrees"
cmake -DPORT_DIR="$port" -DCURRENT_PACKAGES_DIR="$work/packages/upsertkit_x64-linux" \
  -DBUILD_DIR="$work/buildtrees/upsertkit/x64-linux-rel" -DFEATURES=core \
  -P cmake/packaging/vcpkg/emulate-port.cmake
cmake -DPORT_DIR="$port" -DCURRENT_PACKAGES_DIR="$work/packages-rocksdb/upsertkit_x64-linux" \
  -DBUILD_DIR="$work/buildtrees/upsertkit-rocksdb/x64-linux-rel" "-DFEATURES=core;rocksdb" \
  -P cmake/packaging/vcpkg/emulate-port.cmake

echo "== 4. a consumer, as the usage text says"
grep -q 'find_package(upsertkit CONFIG REQUIRED)' "$port/usage"
grep -q 'target_link_libraries(main PRIVATE upsertkit::upsertkit)' "$port/usage"
cmake -S tests/find_package -B "$work/consumer" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$work/packages/upsertkit_x64-linux"
cmake --build "$work/consumer" -j 1
sed "s/@VERSION@/$version/" tests/find_package/expected.txt >"$work/expected.txt"
"$work/consumer/consumer" >"$work/actual.txt"
diff -u "$work/expected.txt" "$work/actual.txt"
# Without the feature, the component is refused, saying how to get it.
mkdir -p "$work/no-component"
cat >"$work/no-component/CMakeLists.txt" <<'EOF'
cmake_minimum_required(VERSION 3.21)
project(upsertkit_vcpkg_no_component LANGUAGES CXX)
find_package(upsertkit CONFIG QUIET COMPONENTS rocksdb)
if(upsertkit_FOUND OR NOT upsertkit_NOT_FOUND_MESSAGE MATCHES "without its rocksdb component.*upsertkit\\[rocksdb\\]")
  message(FATAL_ERROR "COMPONENTS rocksdb without the feature: found, or no reason: ${upsertkit_NOT_FOUND_MESSAGE}")
endif()
message(STATUS "not found without the feature, as expected: ${upsertkit_NOT_FOUND_MESSAGE}")
EOF
cmake -S "$work/no-component" -B "$work/no-component/build" \
  -DCMAKE_PREFIX_PATH="$work/packages/upsertkit_x64-linux"

echo "== 5. a consumer of upsertkit[rocksdb], as the usage text says"
grep -q 'find_package(upsertkit CONFIG REQUIRED COMPONENTS rocksdb)' "$port/usage"
grep -q 'target_link_libraries(main PRIVATE upsertkit::rocksdb)' "$port/usage"
cmake -S tests/find_package/rocksdb -B "$work/consumer-rocksdb" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$work/packages-rocksdb/upsertkit_x64-linux"
cmake --build "$work/consumer-rocksdb" -j 1
"$work/consumer-rocksdb/rocksdb_consumer" >"$work/actual-rocksdb.txt"
diff -u tests/find_package/rocksdb/expected.txt "$work/actual-rocksdb.txt"
echo "vcpkg port: ok"
