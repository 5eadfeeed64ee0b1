"""conan create's test: builds tests/find_package's program against the package with plain
find_package(upsertkit) (CMakeToolchain only: the package brings its own CMake config), runs
it and compares its output with tests/find_package/expected.txt; with the option with_rocksdb,
also tests/find_package/rocksdb's program (find_package(upsertkit COMPONENTS rocksdb)) against
tests/find_package/rocksdb/expected.txt."""

import os

from conan import ConanFile
from conan.tools.build import can_run
from conan.tools.cmake import CMake, CMakeToolchain, cmake_layout
from conan.tools.files import load


class UpsertkitTestConan(ConanFile):
    settings = "os", "arch", "compiler", "build_type"
    test_type = "explicit"

    def requirements(self):
        self.requires(self.tested_reference_str)

    def layout(self):
        cmake_layout(self)

    def _with_rocksdb(self):
        return bool(self.dependencies[self.tested_reference_str].options.with_rocksdb)

    def generate(self):
        toolchain = CMakeToolchain(self)
        toolchain.cache_variables["UPSERTKIT_TEST_ROCKSDB"] = self._with_rocksdb()
        toolchain.generate()

    def build(self):
        cmake = CMake(self)
        cmake.configure()
        cmake.build()

    def _run_and_compare(self, program, expected):
        output = os.path.join(self.build_folder, f"{program}-output.txt")
        self.run(f"{os.path.join(self.cpp.build.bindir, program)} > {output}")
        actual = load(self, output)
        if actual != expected:
            raise Exception(f"{program} output differs.\n--- expected\n{expected}--- actual\n{actual}")
        self.output.info(f"{program} output as expected")

    def test(self):
        if not can_run(self):
            return
        tests = os.path.join(self.source_folder, "..", "..", "..", "..", "tests", "find_package")
        version = str(self.dependencies[self.tested_reference_str].ref.version)
        expected = load(self, os.path.join(tests, "expected.txt")).replace("@VERSION@", version)
        self._run_and_compare("consumer", expected)
        if self._with_rocksdb():
            self._run_and_compare("rocksdb_consumer",
                                  load(self, os.path.join(tests, "rocksdb", "expected.txt")))
