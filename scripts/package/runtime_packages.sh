#!/usr/bin/env bash
# Prints the Debian packages that provide the shared libraries the given binaries load (ldd, then
# dpkg -S), one per line, sorted. Libraries outside Debian's packages (ONNX Runtime, shipped in
# the install's lib/) are skipped. Used to write INSTALL.md's list and to check it in tests.
# Usage: runtime_packages.sh BINARY [BINARY ...]
set -euo pipefail
for binary in "$@"; do
  ldd "$binary" | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}'
done | sort -u | while read -r lib; do
  # Debian 12 merges /lib into /usr/lib; dpkg knows the path the package shipped.
  for path in "$lib" "$(readlink -f "$lib")" "${lib/#\/usr\/lib\//\/lib\/}" \
              "$(readlink -f "$lib" | sed 's|^/usr/lib/|/lib/|')"; do
    if package=$(dpkg -S "$path" 2>/dev/null); then
      echo "${package%%:*}"
      break
    fi
  done
done | sort -u
