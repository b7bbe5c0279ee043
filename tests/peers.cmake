# Defines peers_test: the C++ peers (bench/peers.h) against max(x, 0), in place and single-threaded; included from tests/CMakeLists.txt.
#
# Needs relu_peers (bench/peers.cmake). The test asks Peers() and
# PeerVersions() which peers exist, so it needs no RELU_HAVE_* definitions
# and runs (vacuously) when no peer library was found.
include(GoogleTest)
add_executable(peers_test ${CMAKE_CURRENT_LIST_DIR}/peers_test.cc)
target_link_libraries(peers_test PRIVATE relu_peers GTest::gtest_main)
# One process per test: RunStartsNoThreads relies on a fresh process.
gtest_discover_tests(peers_test DISCOVERY_TIMEOUT 60)
