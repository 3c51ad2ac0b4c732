# The libtorch (TorchScript) backend is optional at build time. INFERD_WITH_LIBTORCH:
#   AUTO (default)  built when Debian's libtorch-dev (TorchConfig.cmake) is found
#   ON              required: configuring fails without it
#   OFF             not built; TorchScript models then fail to load saying so
# Sets INFERD_HAVE_LIBTORCH. Only src/backend/libtorch/torch_runtime.cc sees libtorch's headers
# (docs/adr/0007-libtorch-backend-plugin.md).
set(INFERD_WITH_LIBTORCH AUTO CACHE STRING "Build the libtorch backend: AUTO, ON or OFF")
set_property(CACHE INFERD_WITH_LIBTORCH PROPERTY STRINGS AUTO ON OFF)
set(INFERD_HAVE_LIBTORCH OFF)
if(NOT INFERD_WITH_LIBTORCH STREQUAL "OFF")
  find_package(Torch CONFIG QUIET)
  if(Torch_FOUND AND TARGET torch)
    set(INFERD_HAVE_LIBTORCH ON)
    message(STATUS "libtorch backend: on (libtorch ${Torch_VERSION})")
  elseif(INFERD_WITH_LIBTORCH STREQUAL "ON")
    message(FATAL_ERROR "INFERD_WITH_LIBTORCH=ON but libtorch was not found: install "
                        "libtorch-dev (scripts/setup.sh) or pass -DINFERD_WITH_LIBTORCH=AUTO")
  else()
    message(STATUS "libtorch backend: off (libtorch-dev not found)")
  endif()
else()
  message(STATUS "libtorch backend: off (INFERD_WITH_LIBTORCH=OFF)")
endif()
