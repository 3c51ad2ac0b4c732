# inferd_library(<name> SOURCES ... DEPS ...): one library target per source folder.
function(inferd_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(${name} PUBLIC ${ARG_DEPS} PRIVATE inferd_warnings ${ARG_PRIVATE_DEPS})
endfunction()

# inferd_test(<name> SOURCES ... DEPS ...): a GoogleTest binary registered with CTest.
function(inferd_test name)
  if(NOT INFERD_BUILD_TESTS)
    return()
  endif()
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} inferd_warnings GTest::gtest GTest::gmock
                        GTest::gtest_main)
  target_compile_definitions(${name} PRIVATE
    INFERD_SOURCE_DIR="${PROJECT_SOURCE_DIR}" INFERD_BINARY_DIR="${PROJECT_BINARY_DIR}")
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES TIMEOUT 120)
endfunction()
