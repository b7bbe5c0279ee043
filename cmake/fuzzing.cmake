# Fuzzing: the report parsers' libFuzzer targets (fuzz/) and a short run of each in ctest, wherever a clang++ with libFuzzer is found.
set(RELU_FUZZ AUTO CACHE STRING
    "libFuzzer targets and a short run of each in ctest: AUTO (when clang++ with libFuzzer is found), ON, OFF")
set_property(CACHE RELU_FUZZ PROPERTY STRINGS AUTO ON OFF)
# Four targets at this many seconds keep the smoke runs near a CI budget of
# two minutes; scripts/fuzz.sh runs long ones.
set(RELU_FUZZ_SMOKE_SECONDS 25 CACHE STRING "Seconds of libFuzzer per parser in ctest")

if(RELU_FUZZ STREQUAL "OFF" OR NOT RELU_BUILD_REPORT)
  return()
endif()

if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  set(_relu_fuzz_cxx ${CMAKE_CXX_COMPILER})
else()
  find_program(RELU_FUZZ_CLANGXX NAMES clang++ clang++-16 clang++-15 clang++-14
               DOC "clang++ for the libFuzzer targets")
  set(_relu_fuzz_cxx ${RELU_FUZZ_CLANGXX})
endif()

# Proven by compiling and linking a fuzzer with the sanitizers it uses: a
# clang without compiler-rt's libFuzzer fails here, not in the build.
set(_relu_fuzz_why "")
if(NOT _relu_fuzz_cxx)
  set(_relu_fuzz_why "no clang++ found")
elseif(NOT RELU_FUZZ_PROBED_CXX STREQUAL _relu_fuzz_cxx)
  set(_probe_dir ${CMAKE_BINARY_DIR}/CMakeFiles/relu_fuzz_probe)
  file(WRITE ${_probe_dir}/probe.cc
       "#include <cstddef>\n#include <cstdint>\n"
       "extern \"C\" int LLVMFuzzerTestOneInput(const uint8_t*, size_t) { return 0; }\n")
  execute_process(
    COMMAND ${_relu_fuzz_cxx} -fsanitize=fuzzer,address,undefined probe.cc -o probe
    WORKING_DIRECTORY ${_probe_dir}
    RESULT_VARIABLE _probe_rc OUTPUT_QUIET ERROR_QUIET)
  set(RELU_FUZZ_PROBED_CXX ${_relu_fuzz_cxx} CACHE INTERNAL "")
  if(_probe_rc EQUAL 0)
    set(RELU_FUZZ_PROBE_OK ON CACHE INTERNAL "")
  else()
    set(RELU_FUZZ_PROBE_OK OFF CACHE INTERNAL "")
  endif()
endif()
if(_relu_fuzz_cxx AND NOT RELU_FUZZ_PROBE_OK)
  set(_relu_fuzz_why "${_relu_fuzz_cxx} cannot link -fsanitize=fuzzer (libFuzzer from compiler-rt missing)")
endif()
if(NOT _relu_fuzz_why STREQUAL "")
  if(RELU_FUZZ STREQUAL "ON")
    message(FATAL_ERROR "RELU_FUZZ=ON: ${_relu_fuzz_why}")
  endif()
  message(STATUS "Fuzzing: skipped (${_relu_fuzz_why})")
  return()
endif()

set(_relu_fuzz_bin ${CMAKE_BINARY_DIR}/fuzz)
if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  add_subdirectory(${PROJECT_SOURCE_DIR}/fuzz ${_relu_fuzz_bin})
else()
  # A GCC build cannot compile the fuzzers: a small clang project of their
  # own, rebuilt with every build so it follows report/.
  include(ExternalProject)
  ExternalProject_Add(relu_fuzz
    SOURCE_DIR ${PROJECT_SOURCE_DIR}/fuzz
    BINARY_DIR ${_relu_fuzz_bin}
    CMAKE_ARGS -DCMAKE_CXX_COMPILER=${_relu_fuzz_cxx} -DCMAKE_BUILD_TYPE=
    INSTALL_COMMAND ""
    BUILD_ALWAYS ON)
endif()
message(STATUS "Fuzzing: ${_relu_fuzz_cxx}, ${RELU_FUZZ_SMOKE_SECONDS} s per parser in ctest (label fuzz)")

foreach(target bench_json semantics so_claims bench_name)
  # New inputs go to the build tree; the committed seeds (and the crash
  # inputs kept as regressions) are only read.
  set(_work ${_relu_fuzz_bin}/work/${target})
  file(MAKE_DIRECTORY ${_work}/corpus ${_work}/artifacts)
  add_test(NAME Fuzz.${target}
    COMMAND ${_relu_fuzz_bin}/fuzz_${target}
            -max_total_time=${RELU_FUZZ_SMOKE_SECONDS} -timeout=10 -rss_limit_mb=2048
            -dict=${PROJECT_SOURCE_DIR}/fuzz/json.dict
            -artifact_prefix=${_work}/artifacts/
            ${_work}/corpus ${PROJECT_SOURCE_DIR}/fuzz/corpus/${target})
  math(EXPR _timeout "${RELU_FUZZ_SMOKE_SECONDS} * 4 + 60")
  set_tests_properties(Fuzz.${target} PROPERTIES LABELS fuzz TIMEOUT ${_timeout})
endforeach()
