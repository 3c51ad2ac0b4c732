// Checks deploy/compose/compose.yaml: every bind-mounted file exists, inferd's command uses only
// flags `inferd serve --help` lists, Prometheus scrapes inferd's metrics port under the job name
// the alert rules expect, and the rules and dashboard are mounted where the configs look.
// Prints, for check_alert_rules.sh, the host file mounted at each container path of Prometheus.
//
//   node check_compose.mjs INFERD_BINARY COMPOSE.yaml
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parse } from "yaml";

const [inferd, composeFile] = process.argv.slice(2);
const dir = dirname(composeFile);
const compose = parse(readFileSync(composeFile, "utf8"));
let failures = 0;
const fail = (m) => (console.log(`FAIL ${m}`), failures++);

const mounts = {};
for (const [name, svc] of Object.entries(compose.services)) {
  for (const v of svc.volumes ?? []) {
    const [src, dst] = v.split(":");
    const host = resolve(dir, src);
    if (!existsSync(host)) fail(`${name}: mounts ${src}, which does not exist`);
    mounts[`${name}:${dst}`] = host;
  }
}

const help = execFileSync(inferd, ["serve", "--help"], { encoding: "utf8" });
const command = compose.services.inferd.command;
if (command[0] !== "serve") fail(`inferd: command must start with serve`);
for (const a of command.filter((x) => x.startsWith("--"))) {
  if (!help.includes(a.split("=")[0])) fail(`inferd: ${a} is not in \`inferd serve --help\``);
}

const promConfig = parse(readFileSync(mounts["prometheus:/etc/prometheus/prometheus.yml"], "utf8"));
const job = promConfig.scrape_configs.find((j) => j.job_name === "inferd");
if (!job) fail("prometheus.yml: no job named inferd (InferdDown/InferdTargetMissing need it)");
else if (!job.static_configs[0].targets.includes("inferd:8002")) {
  fail("prometheus.yml: the inferd job does not scrape inferd:8002");
}
if (!compose.services.inferd.ports.includes("8002:8002")) fail("inferd: metrics port not published");
if (!Object.keys(mounts).some((k) => k.startsWith("prometheus:/etc/prometheus/rules/"))) {
  fail("prometheus: alert rules not mounted under /etc/prometheus/rules/");
}
if (!Object.keys(mounts).some((k) => k.startsWith("grafana:/var/lib/grafana/dashboards/"))) {
  fail("grafana: dashboard not mounted where the provisioning looks");
}
for (const [k, host] of Object.entries(mounts)) {
  if (k.startsWith("prometheus:")) console.log(`mount ${k.slice("prometheus:".length)} ${host}`);
}
console.log(failures ? `${failures} failed` : "compose checks passed");
process.exit(failures ? 1 : 0);
