# Swagger UI for GET /docs: the swagger-ui-dist files scripts/setup.sh fetched (pinned, checksum
# verified) into third_party/swagger-ui; -DSWAGGER_UI_ROOT=<dir> selects another copy. Installed
# to share/inferd/swagger-ui, where the server looks next to its binary; a build-tree server
# reads them from SWAGGER_UI_ROOT (INFERD_SWAGGER_UI_DIR). Without them the server still builds
# and serves /openapi.json; /docs answers 404.
set(SWAGGER_UI_ROOT "${PROJECT_SOURCE_DIR}/third_party/swagger-ui" CACHE PATH
    "Directory of the swagger-ui-dist files GET /docs serves")
set(INFERD_SWAGGER_UI_FILES swagger-ui.css swagger-ui-bundle.js swagger-ui-standalone-preset.js
    favicon-32x32.png favicon-16x16.png)
set(INFERD_SWAGGER_UI_DIR "")
set(_inferd_swagger_ui_complete ON)
foreach(file IN LISTS INFERD_SWAGGER_UI_FILES)
  if(NOT EXISTS "${SWAGGER_UI_ROOT}/${file}")
    set(_inferd_swagger_ui_complete OFF)
  endif()
endforeach()
if(_inferd_swagger_ui_complete)
  set(INFERD_SWAGGER_UI_DIR "${SWAGGER_UI_ROOT}")
  message(STATUS "Swagger UI: ${SWAGGER_UI_ROOT}")
else()
  message(STATUS "Swagger UI not found in ${SWAGGER_UI_ROOT} (scripts/setup.sh fetches it): "
                 "GET /docs will answer 404")
endif()
