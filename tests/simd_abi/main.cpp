// Runs the two objects of the SIMD ABI check: both must give the changelog, each with its own
// kernels (the Haswell one only where the CPU has AVX2).
#include <cstdio>
#include <string>

#include "simd_abi_table.hpp"

int main() {
  const std::string expected =
      "+I(1,a string long enough for the vector scan: abcdefghijklmnopqrstuvwxyz,1.5)\n"
      "-U(1,a string long enough for the vector scan: abcdefghijklmnopqrstuvwxyz,1.5)\n"
      "+U(1,escaped \"quote\",2.0)\n"
      "-D(1,escaped \"quote\",2.0)\n";
  const std::string baseline = simd_abi::decode_baseline();
  if (baseline != expected) {
    std::fprintf(stderr, "baseline object:\n%s\nexpected:\n%s", baseline.c_str(), expected.c_str());
    return 1;
  }
  __builtin_cpu_init();
  if (!__builtin_cpu_supports("avx2")) {
    std::puts("no AVX2 on this CPU: the Haswell object is linked, not run");
    return 0;
  }
  const std::string haswell = simd_abi::decode_haswell();
  if (haswell != expected) {
    std::fprintf(stderr, "haswell object:\n%s\nexpected:\n%s", haswell.c_str(), expected.c_str());
    return 1;
  }
  std::puts("both objects give the changelog");
  return 0;
}
