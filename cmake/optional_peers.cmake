# Finds the optional C++ peers (XNNPACK, oneDNN) so that no peer, missing or broken, can stop the build.
#
# Each peer is found by its header and library, never by its package's CMake
# config: Debian's dnnl-config.cmake calls find_package(OpenCL REQUIRED),
# which is fatal on a machine without OpenCL headers, and CMake cannot catch
# a fatal error raised inside a package config. A found peer must then
# compile, link and run a small program against the library (try_run), so a
# header or library that is present but broken is skipped too. Either way
# configure prints one line, "Peer <name>: skipped (<why>)", and builds
# everything else.
#
# Sets, for each usable peer: RELU_HAVE_XNNPACK (imported target
# relu_xnnpack) and RELU_HAVE_ONEDNN (imported target relu_onednn).
# RELU_PEER_XNNPACK and RELU_PEER_ONEDNN (cache, default ON) turn a peer off.

option(RELU_PEER_XNNPACK "Time the XNNPACK peer when it is usable" ON)
option(RELU_PEER_ONEDNN "Time the oneDNN peer when it is usable" ON)

set(_relu_probe_dir ${CMAKE_CURRENT_LIST_DIR}/peer_probes)

# relu_probe_peer(<out-var> <probe source> <include dir> <libraries...>):
# compiles, links and runs the probe; <out-var> is "" on success, else a
# short reason.
function(relu_probe_peer out source include_dir)
  set(libs ${ARGN})
  set(bin ${CMAKE_BINARY_DIR}/peer_probes/${source})
  try_run(run_result compile_result
    ${bin} ${_relu_probe_dir}/${source}
    CMAKE_FLAGS "-DINCLUDE_DIRECTORIES=${include_dir}"
    LINK_LIBRARIES ${libs}
    CXX_STANDARD 17
    COMPILE_OUTPUT_VARIABLE compile_output
    RUN_OUTPUT_VARIABLE run_output)
  if(NOT compile_result)
    # The first compiler or linker error says enough for one line.
    string(REGEX MATCH "(#error|error:|ld:|undefined reference)[^\n]*" first "${compile_output}")
    if(NOT first)
      set(first "see CMakeFiles/CMakeError.log")
    endif()
    set(${out} "does not compile or link: ${first}" PARENT_SCOPE)
  elseif(NOT run_result EQUAL 0)
    string(STRIP "${run_output}" run_output)
    set(${out} "probe program failed: ${run_result} ${run_output}" PARENT_SCOPE)
  else()
    set(${out} "" PARENT_SCOPE)
  endif()
endfunction()

# XNNPACK: xnnpack.h, libXNNPACK and its thread pool library.
set(RELU_HAVE_XNNPACK OFF)
if(NOT RELU_PEER_XNNPACK)
  message(STATUS "Peer XNNPACK: skipped (RELU_PEER_XNNPACK=OFF)")
else()
  find_path(XNNPACK_INCLUDE_DIR xnnpack.h)
  find_library(XNNPACK_LIBRARY XNNPACK)
  if(NOT XNNPACK_INCLUDE_DIR OR NOT XNNPACK_LIBRARY)
    message(STATUS "Peer XNNPACK: skipped (not found; install libxnnpack-dev)")
  else()
    relu_probe_peer(_why xnnpack_probe.cc
      "${XNNPACK_INCLUDE_DIR};${PTHREADPOOL_INCLUDE_DIR}"
      ${XNNPACK_LIBRARY} ${PTHREADPOOL_LIBRARY} Threads::Threads)
    if(_why)
      message(STATUS "Peer XNNPACK: skipped (${XNNPACK_LIBRARY} ${_why})")
    else()
      add_library(relu_xnnpack INTERFACE IMPORTED)
      target_include_directories(relu_xnnpack INTERFACE
        ${XNNPACK_INCLUDE_DIR} ${PTHREADPOOL_INCLUDE_DIR})
      target_link_libraries(relu_xnnpack INTERFACE
        ${XNNPACK_LIBRARY} ${PTHREADPOOL_LIBRARY} Threads::Threads)
      set(RELU_HAVE_XNNPACK ON)
      message(STATUS "Peer XNNPACK: ${XNNPACK_LIBRARY}")
    endif()
  endif()
endif()

# oneDNN: oneapi/dnnl/dnnl.hpp and libdnnl, 2.x (bench/peer_onednn.cc uses
# the operation descriptors that 3.0 removed), on the OpenMP runtime that
# bench/peer_onednn.cc sets the thread count of.
set(RELU_HAVE_ONEDNN OFF)
if(NOT RELU_PEER_ONEDNN)
  message(STATUS "Peer oneDNN: skipped (RELU_PEER_ONEDNN=OFF)")
else()
  find_path(ONEDNN_INCLUDE_DIR oneapi/dnnl/dnnl.hpp)
  find_library(ONEDNN_LIBRARY dnnl)
  find_package(OpenMP COMPONENTS CXX QUIET)
  set(_version "")
  if(ONEDNN_INCLUDE_DIR AND EXISTS ${ONEDNN_INCLUDE_DIR}/oneapi/dnnl/dnnl_version.h)
    file(STRINGS ${ONEDNN_INCLUDE_DIR}/oneapi/dnnl/dnnl_version.h _lines
      REGEX "#define DNNL_VERSION_(MAJOR|MINOR|PATCH) ")
    foreach(_part MAJOR MINOR PATCH)
      string(REGEX MATCH "DNNL_VERSION_${_part} +([0-9]+)" _m "${_lines}")
      list(APPEND _version "${CMAKE_MATCH_1}")
    endforeach()
    list(JOIN _version "." _version)
  endif()
  if(NOT ONEDNN_INCLUDE_DIR OR NOT ONEDNN_LIBRARY)
    message(STATUS "Peer oneDNN: skipped (not found; install libdnnl-dev)")
  elseif(NOT _version MATCHES "^[0-9]+\\.[0-9]+\\.[0-9]+$")
    message(STATUS "Peer oneDNN: skipped (no version in ${ONEDNN_INCLUDE_DIR}/oneapi/dnnl/dnnl_version.h)")
  elseif(NOT _version MATCHES "^2\\.")
    message(STATUS "Peer oneDNN: skipped (version ${_version}; bench/peer_onednn.cc needs 2.x)")
  elseif(NOT OpenMP_CXX_FOUND)
    message(STATUS "Peer oneDNN: skipped (no OpenMP for the compiler; install libgomp or libomp)")
  else()
    relu_probe_peer(_why onednn_probe.cc "${ONEDNN_INCLUDE_DIR}"
      ${ONEDNN_LIBRARY} OpenMP::OpenMP_CXX)
    if(_why)
      message(STATUS "Peer oneDNN: skipped (${ONEDNN_LIBRARY} ${_why})")
    else()
      add_library(relu_onednn INTERFACE IMPORTED)
      target_include_directories(relu_onednn INTERFACE ${ONEDNN_INCLUDE_DIR})
      target_link_libraries(relu_onednn INTERFACE ${ONEDNN_LIBRARY} OpenMP::OpenMP_CXX)
      set(RELU_HAVE_ONEDNN ON)
      message(STATUS "Peer oneDNN: ${_version} (${ONEDNN_LIBRARY})")
    endif()
  endif()
endif()
