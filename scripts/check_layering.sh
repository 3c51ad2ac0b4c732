#!/usr/bin/env bash
# Fails when a source folder includes a header from a layer it must not depend on
# (docs/architecture.md: dependencies point downward; a front end never includes backend/, ...).
set -euo pipefail
cd "$(dirname "$0")/../src"
declare -A forbidden=(
  [common]="core backend repository scheduler lifecycle preprocess frontend server client tools"
  [metrics]="core backend repository scheduler lifecycle preprocess frontend server client tools"
  [core]="backend repository scheduler lifecycle preprocess frontend server client tools"
  [backend]="repository scheduler lifecycle frontend server client tools"
  [repository]="backend scheduler lifecycle frontend server client tools"
  [scheduler]="repository lifecycle frontend server client tools"
  [lifecycle]="frontend server client tools"
  [preprocess]="backend repository scheduler lifecycle frontend server client tools"
  [frontend]="backend repository scheduler lifecycle preprocess server client tools"
  [client]="backend repository scheduler lifecycle frontend server tools"
  [tools]="backend repository scheduler lifecycle frontend server"
)
status=0
for folder in "${!forbidden[@]}"; do
  [[ -d "$folder" ]] || continue
  for dep in ${forbidden[$folder]}; do
    if hits=$(grep -rnE "#include \"${dep}/" "$folder" 2>/dev/null); then
      echo "layering violation: ${folder}/ must not include ${dep}/:"
      echo "$hits"
      status=1
    fi
  done
done
# A runtime's folder (backend/<runtime>/) is reached only through the backend registry: outside
# its own folder only backend/registry/builtin_backends.cc (its one registration line) includes
# it. The server wires the registry (backend/registry/) and never names a runtime.
hits=$(grep -rnE '#include "backend/[a-z0-9_]+/' . |
  grep -vE '#include "backend/(registry|testing)/' |
  grep -vE '^\./backend/registry/builtin_backends\.cc:' |
  awk -F: '{ split($3, inc, "\""); split(inc[2], p, "/"); own = "./backend/" p[2] "/";
             if (index($1, own) != 1) print }' || true)
if [[ -n "$hits" ]]; then
  echo "a runtime's folder included outside it (use backend/registry/):"; echo "$hits"; status=1
fi
# ONNX Runtime headers only inside backend/onnxruntime/.
if hits=$(grep -rnE '#include [<"]onnxruntime' . | grep -v '^./backend/onnxruntime/'); then
  echo "ONNX Runtime included outside backend/onnxruntime/:"; echo "$hits"; status=1
fi
# Test-only code (src/testing/) is included by tests only: *_test.cc files and test helpers.
if hits=$(grep -rnE '#include "testing/' --include='*.h' --include='*.cc' . |
          grep -vE '^\./testing/|_test\.cc:|/test_util\.h:'); then
  echo "test-only code (testing/) included by production code:"; echo "$hits"; status=1
fi
exit $status
