# Defines relu_peers: the C++ peer libraries (XNNPACK, oneDNN) behind bench/peers.h; included from bench/CMakeLists.txt.
#
# Inputs, from cmake/optional_peers.cmake: RELU_HAVE_XNNPACK (with the
# imported target relu_xnnpack) and RELU_HAVE_ONEDNN (with relu_onednn). Each
# peer's source is compiled only when its library was usable, and the matching
# RELU_HAVE_* definition tells peers.cc which peers exist. Paths are relative
# to this file so that it can be included from anywhere.

add_library(relu_peers STATIC ${CMAKE_CURRENT_LIST_DIR}/peers.cc)
target_include_directories(relu_peers PUBLIC ${CMAKE_CURRENT_LIST_DIR}/..)
target_link_libraries(relu_peers PUBLIC relu_kernels)

if(RELU_HAVE_XNNPACK)
  # XNNPACK has no version API; record the Debian package's version now.
  set(_relu_xnnpack_version "unknown")
  find_program(_relu_dpkg_query dpkg-query)
  if(_relu_dpkg_query)
    execute_process(
      COMMAND ${_relu_dpkg_query} -W "-f=\${Version}" libxnnpack-dev
      OUTPUT_VARIABLE _relu_dpkg_version
      RESULT_VARIABLE _relu_dpkg_result
      OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
    if(_relu_dpkg_result EQUAL 0 AND _relu_dpkg_version)
      set(_relu_xnnpack_version "${_relu_dpkg_version}")
    endif()
  endif()
  target_sources(relu_peers PRIVATE ${CMAKE_CURRENT_LIST_DIR}/peer_xnnpack.cc)
  target_compile_definitions(relu_peers PRIVATE
    RELU_HAVE_XNNPACK RELU_XNNPACK_VERSION="${_relu_xnnpack_version}")
  target_link_libraries(relu_peers PRIVATE relu_xnnpack)
  message(STATUS "Peer XNNPACK version: ${_relu_xnnpack_version}")
endif()

if(RELU_HAVE_ONEDNN)
  # oneDNN runs on OpenMP here; peer_onednn.cc calls omp_set_num_threads to
  # set its thread count, which needs the same runtime (GCC's libgomp, as
  # Debian's libdnnl links, when the compiler is g++). relu_onednn carries
  # both (cmake/optional_peers.cmake).
  target_sources(relu_peers PRIVATE ${CMAKE_CURRENT_LIST_DIR}/peer_onednn.cc)
  target_compile_definitions(relu_peers PRIVATE RELU_HAVE_ONEDNN)
  target_link_libraries(relu_peers PRIVATE relu_onednn)
endif()
