# Install rules: headers, the exported targets (upsertkit::upsertkit and its layers), a package config that finds
# the dependencies itself, a SameMajorVersion version file, and a pkg-config file. Everything
# goes to GNUInstallDirs places and refers to the rest by relative paths, so the installed tree
# is relocatable (scripts/packaging-tests.sh moves it and builds against the moved copy).
#
#   <prefix>/include/upsertkit/...                      the headers
#   <prefix>/share/upsertkit/cmake/upsertkitConfig.cmake  (+ ConfigVersion, Targets, Dependencies)
#   <prefix>/share/pkgconfig/upsertkit.pc
#
# With UPSERTKIT_ROCKSDB, also the optional component `rocksdb` (install component
# upsertkit_Rocksdb): the target upsertkit::rocksdb in its own export file, which the config
# loads only for find_package(upsertkit COMPONENTS rocksdb), and upsertkit-rocksdb.pc:
#
#   <prefix>/share/upsertkit/cmake/upsertkitRocksdbTargets.cmake
#   <prefix>/share/pkgconfig/upsertkit-rocksdb.pc
#
# Its header, stores/rocksdb_store.hpp, is installed with the others either way (docs/packaging.md,
# "RocksDB state store component", says why).
#
# The library is header-only and architecture independent, hence share/ rather than lib/.
include(CMakePackageConfigHelpers)

set(UPSERTKIT_CONFIG_DIR ${CMAKE_INSTALL_DATADIR}/upsertkit/cmake
    CACHE STRING "Where upsertkitConfig.cmake is installed, relative to the prefix")
set(UPSERTKIT_PKGCONFIG_DIR ${CMAKE_INSTALL_DATADIR}/pkgconfig
    CACHE STRING "Where upsertkit.pc is installed, relative to the prefix")

install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/upsertkit DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        COMPONENT upsertkit_Development)
list(TRANSFORM UPSERTKIT_LAYERS PREPEND upsertkit_ OUTPUT_VARIABLE _upsertkit_layer_targets)
install(TARGETS ${_upsertkit_layer_targets} EXPORT upsertkitTargets
        COMPONENT upsertkit_Development)
install(EXPORT upsertkitTargets NAMESPACE upsertkit:: DESTINATION ${UPSERTKIT_CONFIG_DIR}
        COMPONENT upsertkit_Development)

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/upsertkitConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/upsertkitConfig.cmake
                              INSTALL_DESTINATION ${UPSERTKIT_CONFIG_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/upsertkitConfigVersion.cmake
                                 COMPATIBILITY SameMajorVersion ARCH_INDEPENDENT)
install(FILES ${PROJECT_BINARY_DIR}/upsertkitConfig.cmake
              ${PROJECT_BINARY_DIR}/upsertkitConfigVersion.cmake
        DESTINATION ${UPSERTKIT_CONFIG_DIR} COMPONENT upsertkit_Development)
install(FILES ${PROJECT_SOURCE_DIR}/cmake/dependencies.cmake DESTINATION ${UPSERTKIT_CONFIG_DIR}
        RENAME upsertkitDependencies.cmake COMPONENT upsertkit_Development)
install(FILES ${PROJECT_SOURCE_DIR}/cmake/separate-compilation.cmake
        DESTINATION ${UPSERTKIT_CONFIG_DIR} RENAME upsertkitSeparateCompilation.cmake
        COMPONENT upsertkit_Development)
install(FILES ${PROJECT_SOURCE_DIR}/cmake/ddl-codegen.cmake DESTINATION ${UPSERTKIT_CONFIG_DIR}
        RENAME upsertkitDdlCodegen.cmake COMPONENT upsertkit_Development)

# upsertkit.pc finds its prefix from its own place (${pcfiledir}), not from the install prefix.
file(RELATIVE_PATH UPSERTKIT_PC_PREFIX_FROM_PCFILEDIR /${UPSERTKIT_PKGCONFIG_DIR} /)
string(REGEX REPLACE "/$" "" UPSERTKIT_PC_PREFIX_FROM_PCFILEDIR "${UPSERTKIT_PC_PREFIX_FROM_PCFILEDIR}")
if(IS_ABSOLUTE ${CMAKE_INSTALL_INCLUDEDIR})
  set(UPSERTKIT_PC_INCLUDEDIR ${CMAKE_INSTALL_INCLUDEDIR})
else()
  set(UPSERTKIT_PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
endif()
configure_file(${PROJECT_SOURCE_DIR}/cmake/upsertkit.pc.in ${PROJECT_BINARY_DIR}/upsertkit.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/upsertkit.pc DESTINATION ${UPSERTKIT_PKGCONFIG_DIR}
        COMPONENT upsertkit_Development)

# The component `rocksdb`: upsertkit::rocksdb links upsertkit::core (from upsertkitTargets) and
# upsertkit::librocksdb, which the config creates when the component is asked for.
if(UPSERTKIT_ROCKSDB)
  install(TARGETS upsertkit_rocksdb EXPORT upsertkitRocksdbTargets COMPONENT upsertkit_Rocksdb)
  install(EXPORT upsertkitRocksdbTargets NAMESPACE upsertkit:: DESTINATION ${UPSERTKIT_CONFIG_DIR}
          COMPONENT upsertkit_Rocksdb)
  configure_file(${PROJECT_SOURCE_DIR}/cmake/upsertkit-rocksdb.pc.in
                 ${PROJECT_BINARY_DIR}/upsertkit-rocksdb.pc @ONLY)
  install(FILES ${PROJECT_BINARY_DIR}/upsertkit-rocksdb.pc DESTINATION ${UPSERTKIT_PKGCONFIG_DIR}
          COMPONENT upsertkit_Rocksdb)
endif()
