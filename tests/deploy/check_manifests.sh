#!/usr/bin/env bash
# Kubernetes and KServe manifests: render every overlay with `kubectl kustomize` (where kubectl is
# installed), validate every manifest against the Kubernetes schemas (validate_manifests.mjs),
# prove the validator rejects broken ones, then check probe paths, ports, flags and the drain
# budget against the real server (check_server_args.mjs).
#   check_manifests.sh SOURCE_DIR INFERD_BINARY
set -euo pipefail
src="$1" inferd="$2"
here="${src}/tests/deploy"
k8s="${src}/deploy/kubernetes"
[[ -d "${here}/node_modules/kubernetes-models" ]] ||
  { echo "FAIL: ${here}/node_modules missing: run scripts/setup.sh"; exit 1; }
# One version: the image tags and label default in the recipes follow CMake's project(VERSION).
version=$(sed -n 's/^project(inferd VERSION \([0-9.]*\).*/\1/p' "${src}/CMakeLists.txt")
[[ -n "${version}" ]] || { echo "FAIL: no project VERSION in CMakeLists.txt"; exit 1; }
for pin in "Dockerfile:ARG INFERD_VERSION=${version}" \
           "deploy/kubernetes/base/kustomization.yaml:newTag: ${version}" \
           "deploy/kubernetes/overlays/gpu/kustomization.yaml:newTag: ${version}-gpu" \
           "deploy/kserve/cluster-serving-runtime.yaml:image: inferd:${version}" \
           "deploy/compose/compose.yaml:image: inferd:${version}"; do
  grep -qF "${pin#*:}" "${src}/${pin%%:*}" ||
    { echo "FAIL: ${pin%%:*} does not say '${pin#*:}' (project VERSION ${version})"; exit 1; }
done
echo "image tags and label follow project VERSION ${version}"
work="$(mktemp -d)"
trap 'rm -rf "${work}"' EXIT

manifests=()
kubectl="${KUBECTL-kubectl}"   # KUBECTL= (empty) tries the path taken where kubectl is missing
if [[ -n "${kubectl}" ]] && command -v "${kubectl}" >/dev/null; then
  for overlay in "${k8s}"/base/ "${k8s}"/overlays/*/; do
    name="$(basename "${overlay}")"
    "${kubectl}" kustomize "${overlay}" > "${work}/${name}.yaml"
    echo "rendered overlay ${name}: $(grep -c '^kind:' "${work}/${name}.yaml") objects"
    manifests+=("${work}/${name}.yaml")
  done
else
  # Without kubectl the overlays cannot be rendered: check the complete manifests they are made
  # of (the patches alone are partial objects).
  echo "SKIPPED rendering the overlays: kubectl is not installed (validating the base files)"
  manifests+=("${k8s}"/base/{deployment,service,pdb,pvc}.yaml
              "${k8s}"/overlays/autoscale/{hpa,prometheus-adapter-rule}.yaml
              "${src}"/deploy/monitoring/{servicemonitor,prometheusrule}.yaml)
fi
manifests+=("${src}"/deploy/kserve/*.yaml)

node "${here}/validate_manifests.mjs" "${manifests[@]}"

# The validator must reject each broken document of testdata/invalid.yaml.
bad_docs=$(grep -c '^kind:' "${here}/testdata/invalid.yaml")
if out=$(node "${here}/validate_manifests.mjs" "${here}/testdata/invalid.yaml"); then
  echo "FAIL: the validator accepted testdata/invalid.yaml"; exit 1
fi
grep -qx "0 valid, ${bad_docs} invalid" <<<"${out}" ||
  { echo "FAIL: the validator missed a broken document:"; echo "${out}"; exit 1; }
echo "validator rejects all ${bad_docs} broken documents"

node "${here}/check_server_args.mjs" "${inferd}" "${src}/examples/model_repository" "${manifests[@]}"

# ...and it must catch a wrong flag and a wrong probe path.
if out=$(node "${here}/check_server_args.mjs" "${inferd}" "${src}/examples/model_repository" \
           "${here}/testdata/bad-server-args.yaml"); then
  echo "FAIL: check_server_args.mjs accepted testdata/bad-server-args.yaml"; exit 1
fi
for expected in "unknown-flag: --no-such-flag is not in" "wrong-probe-path: GET /v2/health/nope: HTTP 404"; do
  grep -qF "${expected}" <<<"${out}" ||
    { echo "FAIL: check_server_args.mjs did not report '${expected}':"; echo "${out}"; exit 1; }
done
echo "server check rejects a wrong flag and a wrong probe path"
