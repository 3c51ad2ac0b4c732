# `cmake --install <build> --component client`: the C++ client library for users.
#   include/inferd/{client,common}/*.h   public headers (include with <inferd/client/...>)
#   lib/libinferd_client.so*             the library
#   lib/cmake/inferd/                    find_package(inferd) -> target inferd::client
#   lib/pkgconfig/inferd.pc              pkg-config --cflags --libs inferd
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(INFERD_CLIENT_HEADERS
  ${PROJECT_SOURCE_DIR}/src/client/inference_client.h
  ${PROJECT_SOURCE_DIR}/src/client/client_options.h
  ${PROJECT_SOURCE_DIR}/src/client/infer_types.h
  ${PROJECT_SOURCE_DIR}/src/client/grpc_client.h
  # HttpClient (for its HTTP-only Predict) and the Boost-free headers it includes.
  ${PROJECT_SOURCE_DIR}/src/client/http_client.h
  ${PROJECT_SOURCE_DIR}/src/client/async_http.h
  ${PROJECT_SOURCE_DIR}/src/client/http_connection.h)
install(FILES ${INFERD_CLIENT_HEADERS}
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/inferd/client COMPONENT client)
install(FILES ${PROJECT_SOURCE_DIR}/src/common/status.h
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/inferd/common COMPONENT client)
install(TARGETS inferd_client_shared EXPORT inferdTargets
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT client
        NAMELINK_COMPONENT client)
install(EXPORT inferdTargets NAMESPACE inferd::
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/inferd COMPONENT client)

set(INFERD_CONFIG_DIR ${CMAKE_CURRENT_BINARY_DIR}/inferd_package)
file(WRITE ${INFERD_CONFIG_DIR}/inferdConfig.cmake
  "include(CMakeFindDependencyMacro)\n"
  "find_dependency(absl CONFIG)\n"
  "include(\"\${CMAKE_CURRENT_LIST_DIR}/inferdTargets.cmake\")\n")
write_basic_package_version_file(${INFERD_CONFIG_DIR}/inferdConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${INFERD_CONFIG_DIR}/inferdConfig.cmake ${INFERD_CONFIG_DIR}/inferdConfigVersion.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/inferd COMPONENT client)

# pkg-config: relocatable (paths relative to the .pc file), absl from the system's .pc files.
file(WRITE ${INFERD_CONFIG_DIR}/inferd.pc
  "prefix=\${pcfiledir}/../..\n"
  "libdir=\${prefix}/${CMAKE_INSTALL_LIBDIR}\n"
  "includedir=\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}\n\n"
  "Name: inferd\n"
  "Description: C++ client library of the inferd inference server (KServe v2 HTTP and gRPC)\n"
  "Version: ${PROJECT_VERSION}\n"
  "Requires: absl_status absl_statusor\n"
  "Libs: -L\${libdir} -linferd_client\n"
  "Cflags: -I\${includedir} -I\${includedir}/inferd\n")
install(FILES ${INFERD_CONFIG_DIR}/inferd.pc
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig COMPONENT client)
