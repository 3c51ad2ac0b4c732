# tsan preset: make ThreadSanitizer see absl::Mutex, CondVar and Notification, which live in
# Debian's uninstrumented libabsl_synchronization (tests/sanitizers/absl_tsan_annotations.cc says
# how). The preset also compiles with -U__SANITIZE_THREAD__: protobuf's and Abseil's headers change
# class layouts under that macro (e.g. protobuf's MapFieldBase gains two counters), which no longer
# match Debian's uninstrumented libprotobuf/libabsl and crash (a map field parsed by TextFormat
# segfaulted). Without the macro the headers match the libraries; TSan instruments our code all
# the same. Test executables link the object library `inferd_tsan_absl`, which carries the --wrap
# options for exactly the functions it wraps.
file(STRINGS /usr/include/absl/base/options.h INFERD_ABSL_NS
     REGEX "^#define ABSL_OPTION_INLINE_NAMESPACE_NAME ")
if(NOT INFERD_ABSL_NS MATCHES " debian3$")
  message(WARNING "tsan: Abseil's inline namespace is not Debian 12's (debian3); absl::Mutex is "
                  "not annotated for ThreadSanitizer and may show false races")
  return()
endif()
set(source ${PROJECT_SOURCE_DIR}/tests/sanitizers/absl_tsan_annotations.cc)
add_library(inferd_tsan_absl OBJECT ${source})
set_source_files_properties(${source} PROPERTIES SKIP_UNITY_BUILD_INCLUSION ON)
target_link_libraries(inferd_tsan_absl PUBLIC absl::synchronization)
file(STRINGS ${source} wrapped REGEX "^(void|bool) __wrap_")
foreach(line IN LISTS wrapped)
  string(REGEX REPLACE "^(void|bool) __wrap_([A-Za-z0-9_]+)\\(.*" "\\2" symbol "${line}")
  target_link_options(inferd_tsan_absl INTERFACE "LINKER:--wrap=${symbol}")
endforeach()
