"""Conan 2 recipe of upsertkit, a header-only library, made from the checkout it is in.

    conan create cmake/packaging/conan -pr:h cmake/packaging/conan/profiles/debian12 \
        -pr:b cmake/packaging/conan/profiles/debian12 --build=missing --no-remote

(scripts/conan-check.sh does this with conan from PyPI in a venv.)

librdkafka, simdjson and Boost are not conan requirements: they come from the system's packages
(Debian: librdkafka-dev, libsimdjson-dev, libboost-dev), which system_requirements() checks, or
installs when tools.system.package_manager:mode is "install". CMake consumers get upsertkit's
own upsertkitConfig.cmake (no CMakeDeps file), which finds those packages the same way as from
any install.
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
        Apt(self).install(["librdkafka-dev", "libsimdjson-dev", "libboost-dev", "pkg-config"],
                          update=True, check=True)

    def generate(self):
        toolchain = CMakeToolchain(self)
        for option in ("TESTS", "EXAMPLES", "BENCHMARKS"):
            toolchain.cache_variables[f"UPSERTKIT_BUILD_{option}"] = False
        toolchain.cache_variables["UPSERTKIT_INSTALL"] = True
        toolchain.generate()

    def build(self):
        # Nothing to compile: configuring checks the dependencies and writes the config files.
        cmake = CMake(self)
        cmake.configure()

    def package(self):
        CMake(self).install()

    def package_id(self):
        self.info.clear()

    def package_info(self):
        self.cpp_info.bindirs = []
        self.cpp_info.libdirs = []
        # CMake: find_package(upsertkit) loads the package's own config from builddirs.
        self.cpp_info.set_property("cmake_find_mode", "none")
        self.cpp_info.builddirs = [os.path.join("share", "upsertkit", "cmake")]
        # Other generators: the headers and the system libraries to link.
        self.cpp_info.system_libs = ["rdkafka", "simdjson"]
