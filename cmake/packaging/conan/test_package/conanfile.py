"""conan create's test: builds tests/find_package's program against the package with plain
find_package(upsertkit) (CMakeToolchain only: the package brings its own CMake config), runs
it and compares its output with tests/find_package/expected.txt."""

import os

from conan import ConanFile
from conan.tools.build import can_run
from conan.tools.cmake import CMake, cmake_layout
from conan.tools.files import load


class UpsertkitTestConan(ConanFile):
    settings = "os", "arch", "compiler", "build_type"
    generators = "CMakeToolchain"
    test_type = "explicit"

    def requirements(self):
        self.requires(self.tested_reference_str)

    def layout(self):
        cmake_layout(self)

    def build(self):
        cmake = CMake(self)
        cmake.configure()
        cmake.build()

    def test(self):
        if not can_run(self):
            return
        expected_file = os.path.join(self.source_folder, "..", "..", "..", "..", "tests",
                                     "find_package", "expected.txt")
        version = str(self.dependencies[self.tested_reference_str].ref.version)
        expected = load(self, expected_file).replace("@VERSION@", version)
        output = os.path.join(self.build_folder, "consumer-output.txt")
        self.run(f"{os.path.join(self.cpp.build.bindir, 'consumer')} > {output}")
        actual = load(self, output)
        if actual != expected:
            raise Exception(f"consumer output differs.\n--- expected\n{expected}--- actual\n{actual}")
        self.output.info("consumer output as expected")
