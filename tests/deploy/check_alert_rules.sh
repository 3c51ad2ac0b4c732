#!/usr/bin/env bash
# Alert rules and the compose stack's Prometheus: promtool checks the rules and the config as
# compose mounts them, `promtool test rules` proves each alert fires (alerts_test.yml), every
# alert has a test and a runbook_url whose section exists in docs/runbook.md, and the Kubernetes
# PrometheusRule is the generated copy of the rules file.
#   check_alert_rules.sh SOURCE_DIR INFERD_BINARY
set -euo pipefail
src="$1" inferd="$2"
rules="${src}/deploy/monitoring/prometheus-alerts.yml"
command -v promtool >/dev/null || { echo "FAIL: promtool missing: run scripts/setup.sh"; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "${work}"' EXIT

promtool check rules "${rules}"
(cd "${src}/tests/deploy" && promtool test rules alerts_test.yml)

alerts=$(sed -n 's/^ *- alert: *\([A-Za-z0-9_]*\).*/\1/p' "${rules}")
[[ -n "${alerts}" ]] || { echo "FAIL: no alerts in ${rules}"; exit 1; }
for a in ${alerts}; do
  grep -q "alertname: ${a}\$" "${src}/tests/deploy/alerts_test.yml" ||
    { echo "FAIL: alert ${a} has no promtool test"; exit 1; }
done
# Each runbook_url names a heading of docs/runbook.md (GitHub's anchor: lower case, spaces to -).
anchors=$(sed -n 's/^#\{1,6\} \(.*\)/\1/p' "${src}/docs/runbook.md" |
  tr 'A-Z' 'a-z' | sed 's/[^a-z0-9 _-]//g; s/ /-/g')
n_urls=0
while read -r anchor; do
  n_urls=$((n_urls + 1))
  grep -qx -- "${anchor}" <<<"${anchors}" ||
    { echo "FAIL: runbook_url #${anchor} is no heading of docs/runbook.md"; exit 1; }
done < <(sed -n 's/.*runbook_url: *docs\/runbook.md#\([a-z0-9_-]*\).*/\1/p' "${rules}")
n_alerts=$(wc -w <<<"${alerts}")
[[ "${n_urls}" == "${n_alerts}" ]] ||
  { echo "FAIL: ${n_alerts} alerts but ${n_urls} runbook_urls into docs/runbook.md"; exit 1; }
grep -q 'expr: up{job="inferd"} == 0' "${rules}" || { echo "FAIL: no up == 0 alert"; exit 1; }

cp "${src}/deploy/monitoring/prometheusrule.yaml" "${work}/committed.yaml"
cp -r "${src}/deploy/monitoring" "${work}/monitoring"
"${work}/monitoring/make_prometheusrule.sh"
diff -u "${work}/committed.yaml" "${work}/monitoring/prometheusrule.yaml" ||
  { echo "FAIL: prometheusrule.yaml is stale: run deploy/monitoring/make_prometheusrule.sh"; exit 1; }

# The compose stack's Prometheus config, checked with its files where the compose file mounts them.
node "${src}/tests/deploy/check_compose.mjs" "${inferd}" "${src}/deploy/compose/compose.yaml" |
  tee "${work}/compose.txt"
mkdir -p "${work}/etc/prometheus/rules"
while read -r _ dst host; do
  cp "${host}" "${work}${dst}"
done < <(grep '^mount ' "${work}/compose.txt")
promtool check config "${work}/etc/prometheus/prometheus.yml"
echo "alert rules: ${n_alerts} alerts, each tested and linked to its runbook section"
