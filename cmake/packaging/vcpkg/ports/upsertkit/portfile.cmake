# upsertkit as a vcpkg overlay port, built from the checkout this file is in:
#   vcpkg install upsertkit --overlay-ports=<checkout>/cmake/packaging/vcpkg/ports
# (for a registry, replace SOURCE_PATH with vcpkg_from_git or vcpkg_from_github at a tag).
# scripts/vcpkg-port-check.sh runs the same configure and install steps with plain cmake.
get_filename_component(SOURCE_PATH "${CMAKE_CURRENT_LIST_DIR}/../../../../.." ABSOLUTE)

# Header-only: one release configuration, nothing under debug/.
set(VCPKG_BUILD_TYPE release)

# The feature rocksdb installs the component of the same name (upsertkit::rocksdb, RocksDB's
# port as its dependency): -DUPSERTKIT_ROCKSDB=ON, else OFF.
vcpkg_check_features(OUT_FEATURE_OPTIONS FEATURE_OPTIONS
  FEATURES
    rocksdb UPSERTKIT_ROCKSDB
)

vcpkg_cmake_configure(
  SOURCE_PATH "${SOURCE_PATH}"
  OPTIONS
    ${FEATURE_OPTIONS}
    -DUPSERTKIT_BUILD_TESTS=OFF
    -DUPSERTKIT_BUILD_EXAMPLES=OFF
    -DUPSERTKIT_BUILD_BENCHMARKS=OFF
    -DUPSERTKIT_INSTALL=ON
    -DUPSERTKIT_CONFIG_DIR=share/upsertkit
)
vcpkg_cmake_install()
# The config is installed straight into share/upsertkit (UPSERTKIT_CONFIG_DIR above), the
# default CONFIG_PATH, where vcpkg wants it: nothing to move.
vcpkg_cmake_config_fixup(PACKAGE_NAME upsertkit)
vcpkg_fixup_pkgconfig()

file(INSTALL "${CMAKE_CURRENT_LIST_DIR}/usage" DESTINATION "${CURRENT_PACKAGES_DIR}/share/${PORT}")
# The repository declares no licence yet: the copyright file says so until it does.
file(WRITE "${CURRENT_PACKAGES_DIR}/share/${PORT}/copyright"
     "upsertkit declares no licence yet; see its README.md.\n")
