# Runs the overlay port's portfile.cmake without vcpkg (which cannot be downloaded here), with
# stand-ins for the vcpkg functions it calls that do the same with plain cmake:
#
#   cmake -DPORT_DIR=<port> -DCURRENT_PACKAGES_DIR=<staging prefix> -DBUILD_DIR=<dir>
#         [-DFEATURES=core;rocksdb] -P emulate-port.cmake
#
# FEATURES is the list vcpkg gives a portfile: "core" and the features asked for
# (upsertkit[rocksdb] gives core;rocksdb).
#
# What is real: the portfile's own code (its SOURCE_PATH, options, file() steps) and our
# CMake build and install with those options. What is not: vcpkg's toolchain and triplet, its
# dependency ports (the system packages stand in), and the fix-ups of vcpkg_cmake_config_fixup
# and vcpkg_fixup_pkgconfig, which are only checked to have nothing to do here.
cmake_minimum_required(VERSION 3.21)
foreach(var IN ITEMS PORT_DIR CURRENT_PACKAGES_DIR BUILD_DIR)
  if(NOT ${var})
    message(FATAL_ERROR "set ${var}")
  endif()
endforeach()
get_filename_component(PORT ${PORT_DIR} NAME)
set(TARGET_TRIPLET x64-linux)
set(VCPKG_BUILD_TYPE "")
set(_emulated_steps "")
if(NOT FEATURES)
  set(FEATURES core)
endif()

# -D<var>=ON for each feature of FEATURES in the list, -D<var>=OFF for the others, as vcpkg's
# own vcpkg_check_features does (INVERTED_FEATURES, which this port does not use, is refused).
function(vcpkg_check_features)
  cmake_parse_arguments(PARSE_ARGV 0 arg "" "OUT_FEATURE_OPTIONS;PREFIX" "FEATURES")
  if(arg_UNPARSED_ARGUMENTS OR NOT arg_OUT_FEATURE_OPTIONS)
    message(FATAL_ERROR "vcpkg_check_features: unsupported arguments ${arg_UNPARSED_ARGUMENTS}")
  endif()
  set(options "")
  set(pairs ${arg_FEATURES})
  while(pairs)
    list(POP_FRONT pairs feature variable)
    if(NOT variable)
      message(FATAL_ERROR "vcpkg_check_features: feature ${feature} has no variable")
    endif()
    if(feature IN_LIST FEATURES)
      list(APPEND options "-D${variable}=ON")
    else()
      list(APPEND options "-D${variable}=OFF")
    endif()
  endwhile()
  message(STATUS "vcpkg_check_features: ${options}")
  set(${arg_OUT_FEATURE_OPTIONS} ${options} PARENT_SCOPE)
  set(_emulated_steps "${_emulated_steps};check_features" PARENT_SCOPE)
endfunction()

function(vcpkg_cmake_configure)
  cmake_parse_arguments(PARSE_ARGV 0 arg "" "SOURCE_PATH" "OPTIONS;OPTIONS_RELEASE")
  if(NOT VCPKG_BUILD_TYPE STREQUAL "release")
    message(FATAL_ERROR "a header-only port sets VCPKG_BUILD_TYPE release before configuring")
  endif()
  if(NOT EXISTS ${arg_SOURCE_PATH}/CMakeLists.txt)
    message(FATAL_ERROR "SOURCE_PATH ${arg_SOURCE_PATH} has no CMakeLists.txt")
  endif()
  message(STATUS "vcpkg_cmake_configure: SOURCE_PATH ${arg_SOURCE_PATH}")
  execute_process(
    COMMAND ${CMAKE_COMMAND} -S ${arg_SOURCE_PATH} -B ${BUILD_DIR} -G Ninja
            -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=${CURRENT_PACKAGES_DIR}
            ${arg_OPTIONS} ${arg_OPTIONS_RELEASE}
    COMMAND_ERROR_IS_FATAL ANY)
  set(_emulated_steps "${_emulated_steps};configure" PARENT_SCOPE)
endfunction()

function(vcpkg_cmake_install)
  execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD_DIR} COMMAND_ERROR_IS_FATAL ANY)
  set(_emulated_steps "${_emulated_steps};install" PARENT_SCOPE)
endfunction()

function(vcpkg_cmake_config_fixup)
  cmake_parse_arguments(PARSE_ARGV 0 arg "" "PACKAGE_NAME;CONFIG_PATH" "")
  if(NOT arg_PACKAGE_NAME)
    set(arg_PACKAGE_NAME ${PORT})
  endif()
  if(arg_CONFIG_PATH AND NOT arg_CONFIG_PATH STREQUAL "share/${arg_PACKAGE_NAME}")
    message(FATAL_ERROR "this emulation does not move config files (CONFIG_PATH ${arg_CONFIG_PATH})")
  endif()
  set(dir ${CURRENT_PACKAGES_DIR}/share/${arg_PACKAGE_NAME})
  if(NOT EXISTS ${dir}/${arg_PACKAGE_NAME}Config.cmake)
    message(FATAL_ERROR "vcpkg_cmake_config_fixup: no ${dir}/${arg_PACKAGE_NAME}Config.cmake")
  endif()
  file(GLOB_RECURSE configs ${dir}/*.cmake)
  foreach(config IN LISTS configs)
    file(READ ${config} text)
    string(FIND "${text}" "${CURRENT_PACKAGES_DIR}" at)
    if(NOT at EQUAL -1)
      message(FATAL_ERROR "${config} names the absolute package directory")
    endif()
  endforeach()
  set(_emulated_steps "${_emulated_steps};config_fixup" PARENT_SCOPE)
endfunction()

function(vcpkg_fixup_pkgconfig)
  file(GLOB_RECURSE pcs ${CURRENT_PACKAGES_DIR}/*.pc)
  if(NOT pcs)
    message(FATAL_ERROR "vcpkg_fixup_pkgconfig: no .pc file installed")
  endif()
  foreach(pc IN LISTS pcs)
    file(STRINGS ${pc} prefix_line REGEX "^prefix=")
    if(NOT prefix_line MATCHES "^prefix=\\\${pcfiledir}")
      message(FATAL_ERROR "${pc}: prefix is not relative to \${pcfiledir}: ${prefix_line}")
    endif()
  endforeach()
  set(_emulated_steps "${_emulated_steps};fixup_pkgconfig" PARENT_SCOPE)
endfunction()

include(${PORT_DIR}/portfile.cmake)

if(NOT _emulated_steps STREQUAL ";check_features;configure;install;config_fixup;fixup_pkgconfig")
  message(FATAL_ERROR "the portfile ran these steps: ${_emulated_steps}")
endif()
foreach(file IN ITEMS usage copyright upsertkitConfig.cmake upsertkitConfigVersion.cmake)
  if(NOT EXISTS ${CURRENT_PACKAGES_DIR}/share/${PORT}/${file})
    message(FATAL_ERROR "the port installed no share/${PORT}/${file}")
  endif()
endforeach()
# The feature rocksdb installs the component rocksdb, and without it nothing of it is installed.
foreach(file IN ITEMS share/${PORT}/upsertkitRocksdbTargets.cmake share/pkgconfig/upsertkit-rocksdb.pc)
  if("rocksdb" IN_LIST FEATURES AND NOT EXISTS ${CURRENT_PACKAGES_DIR}/${file})
    message(FATAL_ERROR "the feature rocksdb installed no ${file}")
  elseif(NOT "rocksdb" IN_LIST FEATURES AND EXISTS ${CURRENT_PACKAGES_DIR}/${file})
    message(FATAL_ERROR "without the feature rocksdb, ${file} was installed")
  endif()
endforeach()
if(EXISTS ${CURRENT_PACKAGES_DIR}/debug)
  message(FATAL_ERROR "a header-only port installs nothing under debug/")
endif()
message(STATUS "portfile emulated (features ${FEATURES}): ${_emulated_steps}")
