# `cmake --install <build> --prefix P`: a relocatable server install.
#   bin/inferd, bin/tritonserver -> inferd     (RPATH $ORIGIN/../lib: a copied prefix runs anywhere)
#   lib/libonnxruntime.so.1                    the ONNX Runtime the binary was built against
#   lib/inferd/libinferd_libtorch.so           the libtorch backend's module, when built (ADR 0007)
#   share/inferd/swagger-ui/                   Swagger UI for GET /docs (cmake/swagger_ui.cmake)
#   share/inferd/VERSION                       the one version string (project(VERSION)), e.g. for
#                                              an image label
#   share/doc/inferd/{LICENSE,CHANGELOG.md,INSTALL.md}
# plus the client library and headers (cmake/client_install.cmake, component `client`).
# `--component server` installs the server alone (only the `inferd` target need be built).
# `cpack -G TGZ` in the build folder (`make package`) packs that prefix into a tarball.
include(GNUInstallDirs)

set_target_properties(inferd PROPERTIES INSTALL_RPATH "\$ORIGIN/../${CMAKE_INSTALL_LIBDIR}")
install(TARGETS inferd RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT server)
# Triton's name for the server (KServe's Triton runtime and Triton scripts run `tritonserver`).
install(CODE "execute_process(COMMAND \${CMAKE_COMMAND} -E create_symlink inferd
                \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR}/tritonserver\")"
        COMPONENT server)
# The real file under its soname, whatever symlinks lead to it in the source tree.
file(REAL_PATH "${ONNXRUNTIME_LIBRARY}" INFERD_ORT_LIBRARY_FILE)
install(FILES "${INFERD_ORT_LIBRARY_FILE}" DESTINATION ${CMAKE_INSTALL_LIBDIR}
        RENAME libonnxruntime.so.1 COMPONENT server)

# The libtorch backend's module (when built), opened by the server on the first TorchScript load;
# libtorch itself comes from the system (Debian's libtorch-dev), not from this install.
if(TARGET inferd_libtorch)
  install(TARGETS inferd_libtorch LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}/inferd
          COMPONENT server)
endif()

if(INFERD_SWAGGER_UI_DIR)
  set(_inferd_swagger_ui_install ${INFERD_SWAGGER_UI_FILES})
  list(TRANSFORM _inferd_swagger_ui_install PREPEND "${INFERD_SWAGGER_UI_DIR}/")
  foreach(notice LICENSE NOTICE VERSION)
    if(EXISTS "${INFERD_SWAGGER_UI_DIR}/${notice}")
      list(APPEND _inferd_swagger_ui_install "${INFERD_SWAGGER_UI_DIR}/${notice}")
    endif()
  endforeach()
  install(FILES ${_inferd_swagger_ui_install}
          DESTINATION ${CMAKE_INSTALL_DATADIR}/inferd/swagger-ui COMPONENT server)
endif()

file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/inferd_package/VERSION "${PROJECT_VERSION}\n")
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/inferd_package/VERSION
        DESTINATION ${CMAKE_INSTALL_DATADIR}/inferd COMPONENT server)
install(FILES ${PROJECT_SOURCE_DIR}/LICENSE ${PROJECT_SOURCE_DIR}/CHANGELOG.md
              ${PROJECT_SOURCE_DIR}/scripts/package/INSTALL.md
        DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT server)

set(CPACK_GENERATOR TGZ)
set(CPACK_PACKAGE_NAME inferd)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_FILE_NAME inferd-${PROJECT_VERSION}-linux-${CMAKE_SYSTEM_PROCESSOR})
set(CPACK_PACKAGE_DIRECTORY ${PROJECT_BINARY_DIR}/package)
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_STRIP_FILES bin/inferd)
include(CPack)
