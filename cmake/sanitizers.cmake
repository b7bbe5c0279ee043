# Sanitizer builds: RELU_SANITIZE=address,undefined (or undefined) instruments every target; scripts/sanitize.sh builds and tests with it.
set(RELU_SANITIZE "" CACHE STRING
    "Comma-separated -fsanitize= list for every target (e.g. address,undefined); empty for none")
set(RELU_SANITIZER_PRELOAD "")
# Tests with a time limit multiply it by this: instrumented code runs 2-5x
# slower, and a slow run is not a failure.
set(RELU_TEST_TIME_SCALE 1)
if(RELU_SANITIZE STREQUAL "")
  return()
endif()
set(RELU_TEST_TIME_SCALE 4)

set(_relu_san ${RELU_SANITIZE})
# GCC leaves float-to-integer overflow out of "undefined"; clang has it in.
# It is the cast of an absurd repetition count the report used to make.
if(_relu_san MATCHES "undefined" AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  string(APPEND _relu_san ",float-cast-overflow")
endif()
# Every finding fails its test: no recovery, and a stack to read. The
# libstdc++ assertions catch out-of-range container indexing as well.
add_compile_options(-fsanitize=${_relu_san} -fno-sanitize-recover=all
                    -fno-omit-frame-pointer -g -D_GLIBCXX_ASSERTIONS)
add_link_options(-fsanitize=${_relu_san})

# Python (uninstrumented) loads our kernels through ctypes: the sanitizer
# runtime must be in the process before them (GCC's ASan insists on coming
# first; clang links no runtime into a shared library), so the Python tests
# preload it.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND _relu_san MATCHES "address")
  set(_relu_rt libasan.so)
elseif(CMAKE_CXX_COMPILER_ID STREQUAL "Clang" AND _relu_san MATCHES "address")
  set(_relu_rt libclang_rt.asan-${CMAKE_SYSTEM_PROCESSOR}.so)
elseif(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  set(_relu_rt libclang_rt.ubsan_standalone-${CMAKE_SYSTEM_PROCESSOR}.so)
endif()
if(_relu_rt)
  execute_process(COMMAND ${CMAKE_CXX_COMPILER} -print-file-name=${_relu_rt}
                  OUTPUT_VARIABLE RELU_SANITIZER_PRELOAD
                  OUTPUT_STRIP_TRAILING_WHITESPACE)
  get_filename_component(RELU_SANITIZER_PRELOAD "${RELU_SANITIZER_PRELOAD}" REALPATH)
endif()
message(STATUS "Sanitizers: ${_relu_san} (${CMAKE_CXX_COMPILER_ID}); preload for Python: ${RELU_SANITIZER_PRELOAD}")
