# inferd_library(<name> SOURCES ... DEPS ...): one library target per source folder.
function(inferd_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(${name} PUBLIC ${ARG_DEPS} PRIVATE inferd_warnings ${ARG_PRIVATE_DEPS})
endfunction()

# inferd_test(<name> SOURCES ... DEPS ... [LABELS ...]): a GoogleTest binary registered with CTest.
# Label `concurrent` marks the suites of concurrent code that `make test-tsan` runs under
# ThreadSanitizer; the custom target `concurrent_tests` builds exactly those binaries.
function(inferd_test name)
  if(NOT INFERD_BUILD_TESTS)
    return()
  endif()
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} inferd_warnings GTest::gtest GTest::gmock
                        GTest::gtest_main)
  if(TARGET inferd_tsan_absl)
    target_link_libraries(${name} PRIVATE inferd_tsan_absl)
  endif()
  target_compile_definitions(${name} PRIVATE
    INFERD_SOURCE_DIR="${PROJECT_SOURCE_DIR}" INFERD_BINARY_DIR="${PROJECT_BINARY_DIR}")
  set(properties TIMEOUT 120)
  if(ARG_LABELS)
    list(APPEND properties LABELS "${ARG_LABELS}")
  endif()
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES ${properties})
  if("concurrent" IN_LIST ARG_LABELS)
    if(NOT TARGET concurrent_tests)
      add_custom_target(concurrent_tests)
    endif()
    add_dependencies(concurrent_tests ${name})
  endif()
endfunction()
