"""Conan 2 recipe of upsertkit, a header-only library, made from the checkout it is in.

    conan create cmake/packaging/conan -pr:h cmake/packaging/conan/profiles/debian12 \
        -pr:b cmake/packaging/conan/profiles/debian12 --build=missing --no-remote

(scripts/conan-check.sh does this with conan from PyPI in a venv, then again with
-o "upsertkit/*:with_rocksdb=True".)

librdkafka, simdjson and Boost are not conan requirements: they come from the system's packages
(Debian: librdkafka-dev, libsimdjson-dev, libboost-dev), which system_requirements() checks, or
installs when tools.system.package_manager:mode is "install". CMake consumers get upsertkit's
own upsertkitConfig.cmake (no CMakeDeps file), which finds those packages the same way as from
any install.

The option with_rocksdb (default False) adds the component rocksdb, the RocksDB state store
(find_package(upsertkit COMPONENTS rocksdb), upsertkit::rocksdb, upsertkit-rocksdb.pc). RocksDB
comes from the system too, as the other dependencies do (Debian: librocksdb-dev), not from
conan-center's rocksdb recipe: no remote can be reached here, and one libstdc++ program should
not mix conan's and the system's builds of the libraries it links (docs/packaging.md).
"""

import os
import re

from conan import ConanFile
from conan.tools.build import check_min_cppstd
from conan.tools.cmake import CMake, CMakeToolchain, cmake_layout
from conan.tools.files import copy, load
from conan.tools.system.package_manager import Apt

# The checkout's root, seen from this file (only while exporting: set_version, export_sources).
_ROOT = os.path.join("..", "..", "..")


class UpsertkitConan(ConanFile):
    name = "upsertkit"
    description = ("Header-only C++20 toolkit: Kafka upsert topics to typed changelogs and back, "
                   "with the semantics of Flink's upsert-kafka connector")
    topics = ("kafka", "changelog", "upsert", "header-only")
    package_type = "header-library"
    settings = "os", "arch", "compiler", "build_type"
    options = {"with_rocksdb": [True, False]}
    default_options = {"with_rocksdb": False}
    no_copy_source = True

    def set_version(self):
        text = load(self, os.path.join(self.recipe_folder, _ROOT, "include", "upsertkit",
                                       "version.hpp"))
        parts = [re.search(rf"#define UPSERTKIT_VERSION_{part} (\d+)", text).group(1)
                 for part in ("MAJOR", "MINOR", "PATCH")]
        self.version = ".".join(parts)

    def export_sources(self):
        root = os.path.join(self.recipe_folder, _ROOT)
        copy(self, "CMakeLists.txt", root, self.export_sources_folder)
        copy(self, "include/*", root, self.export_sources_folder)
        for pattern in ("cmake/*.cmake", "cmake/*.in"):
            copy(self, pattern, root, self.export_sources_folder, excludes="cmake/packaging/*")

    def layout(self):
        cmake_layout(self)

    def validate(self):
        check_min_cppstd(self, 20)

    def system_requirements(self):
        # "check" mode (conan's default) fails with the list of what is missing.
        packages = ["librdkafka-dev", "libsimdjson-dev", "libboost-dev", "pkg-config"]
        if self.options.with_rocksdb:
            packages.append("librocksdb-dev")
        Apt(self).install(packages, update=True, check=True)

    def generate(self):
        toolchain = CMakeToolchain(self)
        for option in ("TESTS", "EXAMPLES", "BENCHMARKS"):
            toolchain.cache_variables[f"UPSERTKIT_BUILD_{option}"] = False
        toolchain.cache_variables["UPSERTKIT_INSTALL"] = True
        toolchain.cache_variables["UPSERTKIT_ROCKSDB"] = bool(self.options.with_rocksdb)
        toolchain.generate()

    def build(self):
        # Nothing to compile: configuring checks the dependencies and writes the config files.
        cmake = CMake(self)
        cmake.configure()

    def package(self):
        CMake(self).install()

    def package_id(self):
        # Header-only: no setting changes the package; with_rocksdb does (the component's files).
        self.info.settings.clear()
        self.info.requires.clear()

    def package_info(self):
        # CMake: find_package(upsertkit [COMPONENTS rocksdb]) loads the package's own config
        # from builddirs; CMakeDeps writes nothing for it.
        self.cpp_info.set_property("cmake_find_mode", "none")
        # Other generators: the components, their headers and the system libraries to link.
        main = self.cpp_info.components["upsertkit"]
        main.bindirs = []
        main.libdirs = []
        main.builddirs = [os.path.join("share", "upsertkit", "cmake")]
        main.system_libs = ["rdkafka", "simdjson"]
        main.set_property("cmake_target_name", "upsertkit::upsertkit")
        if self.options.with_rocksdb:
            rocksdb = self.cpp_info.components["rocksdb"]
            rocksdb.bindirs = []
            rocksdb.libdirs = []
            rocksdb.includedirs = []  # upsertkit's, through requires
            rocksdb.requires = ["upsertkit"]
            rocksdb.system_libs = ["rocksdb"]
            rocksdb.set_property("cmake_target_name", "upsertkit::rocksdb")
            rocksdb.set_property("pkg_config_name", "upsertkit-rocksdb")
