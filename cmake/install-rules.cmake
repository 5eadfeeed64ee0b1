# Install rules: headers, the exported upsertkit::upsertkit target, a package config that finds
# the dependencies itself, a SameMajorVersion version file, and a pkg-config file.
include(CMakePackageConfigHelpers)

set(UPSERTKIT_CONFIG_DIR ${CMAKE_INSTALL_DATADIR}/upsertkit/cmake
    CACHE STRING "Where upsertkitConfig.cmake is installed, relative to the prefix")

install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/upsertkit DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS upsertkit_upsertkit EXPORT upsertkitTargets)
install(EXPORT upsertkitTargets NAMESPACE upsertkit:: DESTINATION ${UPSERTKIT_CONFIG_DIR})

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/upsertkitConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/upsertkitConfig.cmake
                              INSTALL_DESTINATION ${UPSERTKIT_CONFIG_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/upsertkitConfigVersion.cmake
                                 COMPATIBILITY SameMajorVersion ARCH_INDEPENDENT)
install(FILES ${PROJECT_BINARY_DIR}/upsertkitConfig.cmake
              ${PROJECT_BINARY_DIR}/upsertkitConfigVersion.cmake
              ${PROJECT_SOURCE_DIR}/cmake/dependencies.cmake
        DESTINATION ${UPSERTKIT_CONFIG_DIR})

configure_file(${PROJECT_SOURCE_DIR}/cmake/upsertkit.pc.in ${PROJECT_BINARY_DIR}/upsertkit.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/upsertkit.pc DESTINATION ${CMAKE_INSTALL_DATADIR}/pkgconfig)
