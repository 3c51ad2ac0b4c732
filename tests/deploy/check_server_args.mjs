// Checks the manifests against the real server: every flag a Deployment or KServe runtime passes
// is one `inferd` accepts, the server started with exactly those arguments (ports rewritten to 0,
// the model store pointed at examples/model_repository) answers the probe paths, the named ports
// agree with the flags, and the shutdown budget fits terminationGracePeriodSeconds.
//
//   node check_server_args.mjs INFERD_BINARY MODEL_REPOSITORY RENDERED.yaml...
import { spawn, execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

const [inferd, modelRepo, ...files] = process.argv.slice(2);
const docs = files.flatMap((f) =>
  parseAllDocuments(readFileSync(f, "utf8")).map((d) => d.toJS()).filter(Boolean),
);
let failures = 0;
const fail = (msg) => {
  console.log(`FAIL ${msg}`);
  failures++;
};
const ok = (msg) => console.log(`ok   ${msg}`);

// Argument list → Map(flag → value), accepting `--flag value` and `--flag=value`.
function flagValues(args) {
  const flags = new Map();
  for (let i = 0; i < args.length; i++) {
    if (!args[i].startsWith("--")) continue;
    const eq = args[i].indexOf("=");
    if (eq > 0) flags.set(args[i].slice(0, eq), args[i].slice(eq + 1));
    else flags.set(args[i], args[i + 1]?.startsWith("--") ? "" : args[i + 1]);
  }
  return flags;
}

const PORT_FLAGS = ["--http-port", "--grpc-port", "--metrics-port"];
const REPO_FLAGS = ["--model-repository", "--model-store"];

// The manifest's arguments with ports set to 0 (a port it leaves at its default too, so that
// parallel tests never collide) and the model store set to the example repository.
function localArgs(args) {
  const given = new Set(args.map((a) => a.split("=")[0]));
  const absent = PORT_FLAGS.filter((f) => !given.has(f)).map((f) => `${f}=0`);
  return args.map((a, i) => {
    const [flag] = a.split("=");
    const rewrite = PORT_FLAGS.includes(flag) ? "0" : REPO_FLAGS.includes(flag) ? modelRepo : null;
    if (rewrite === null) {
      const prev = args[i - 1] ?? "";
      if (PORT_FLAGS.includes(prev)) return "0";
      if (REPO_FLAGS.includes(prev)) return modelRepo;
      return a;
    }
    return a.includes("=") ? `${flag}=${rewrite}` : a;
  }).concat(absent);
}

function startServer(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(inferd, args, { stdio: ["ignore", "pipe", "pipe"] });
    const ports = {};
    let out = "";
    let stderr = "";
    const timer = setTimeout(() => reject(new Error(`not listening after 30 s: ${stderr}`)), 30000);
    child.stderr.on("data", (d) => (stderr += d));
    child.stdout.on("data", (d) => {
      out += d;
      for (const m of out.matchAll(/inferd: (HTTP|gRPC|metrics) listening on \S+:(\d+)/g)) {
        ports[m[1]] = Number(m[2]);
      }
      if (ports.HTTP && ports.metrics) {
        clearTimeout(timer);
        resolve({ child, ports });
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before listening: ${stderr.trim()}`));
    });
  });
}

async function getStatus(url, deadlineMs) {
  const end = Date.now() + deadlineMs;
  let last = "no answer";
  while (Date.now() < end) {
    try {
      const r = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (r.status === 200) return { status: 200, body: await r.text() };
      last = `HTTP ${r.status}`;
      if (r.status === 404) break; // no such path: waiting will not help
    } catch (e) {
      last = e.message;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { status: 0, body: last };
}

function stop(child, budgetSecs) {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      resolve(`did not exit within ${budgetSecs} s of SIGTERM`);
    }, budgetSecs * 1000);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      resolve(code === 0 ? null : `exit code ${code} signal ${signal}`);
    });
    child.kill("SIGTERM");
  });
}

const serveHelp = execFileSync(inferd, ["serve", "--help"], { encoding: "utf8" });

function checkFlagsKnown(what, args) {
  if (args[0] !== "serve") return; // Triton's spellings are proven by starting the server below
  for (const flag of flagValues(args).keys()) {
    if (!new RegExp(`(^|[\\s,])${flag}(?=[\\s,=]|$)`, "m").test(serveHelp)) {
      fail(`${what}: ${flag} is not in \`inferd serve --help\``);
    }
  }
}

// Named ports agree with the port flags (the flag, or the server's default when absent).
function checkPorts(what, container, flags) {
  const defaults = { http: "8000", grpc: "8001", metrics: "8002" };
  const byName = new Map((container.ports ?? []).map((p) => [p.name, String(p.containerPort)]));
  for (const [name, port] of byName) {
    const flagged = flags.get(`--${name}-port`) ?? defaults[name];
    if (flagged !== port) fail(`${what}: port ${name}=${port} but the server listens on ${flagged}`);
  }
  const envPort = (container.env ?? []).find((e) => e.name === "INFERD_HTTP_PORT")?.value;
  const httpPort = flags.get("--http-port") ?? defaults.http;
  if (envPort !== undefined && envPort !== httpPort) {
    fail(`${what}: INFERD_HTTP_PORT=${envPort} but --http-port is ${httpPort}`);
  }
  return byName;
}

function checkDrainBudget(what, podSpec, container, flags) {
  const grace = Number(flags.get("--shutdown-grace-secs"));
  const exit = Number(flags.get("--exit-timeout-secs"));
  const preStop = container.lifecycle?.preStop?.exec?.command ?? [];
  const sleep = preStop[0] === "sleep" ? Number(preStop[1]) : 0;
  const budget = podSpec.terminationGracePeriodSeconds ?? 30;
  if (!(grace >= 0 && exit >= 0)) {
    fail(`${what}: pass --shutdown-grace-secs and --exit-timeout-secs explicitly`);
  } else if (sleep + grace + exit >= budget) {
    fail(`${what}: preStop ${sleep} + grace ${grace} + exit timeout ${exit} >= ${budget} s`);
  } else {
    ok(`${what}: drain ${sleep} + ${grace} + ${exit} s < terminationGracePeriodSeconds ${budget}`);
  }
  return grace + exit;
}

async function checkRunning(what, args, probes, metricNames, drainSecs) {
  let server;
  try {
    server = await startServer(localArgs(args));
  } catch (e) {
    fail(`${what}: ${inferd} ${args.join(" ")}: ${e.message}`);
    return;
  }
  for (const path of probes) {
    const r = await getStatus(`http://127.0.0.1:${server.ports.HTTP}${path}`, 30000);
    if (r.status === 200) ok(`${what}: GET ${path} 200`);
    else fail(`${what}: GET ${path}: ${r.body}`);
  }
  const metrics = await getStatus(`http://127.0.0.1:${server.ports.metrics}/metrics`, 10000);
  for (const name of metricNames) {
    if (!metrics.body.includes(`\n${name}{`)) fail(`${what}: /metrics has no ${name}`);
  }
  const err = await stop(server.child, drainSecs + 10);
  if (err) fail(`${what}: SIGTERM: ${err}`);
  else ok(`${what}: started with the manifest's arguments, exit 0 on SIGTERM`);
}

function adapterMetrics() {
  const rules = docs.filter((d) => d.kind === "ConfigMap" && d.metadata.name.includes("adapter"));
  const names = [];
  for (const cm of rules) {
    for (const m of Object.values(cm.data).join("\n").matchAll(/seriesQuery: '(\w+)/g)) {
      names.push(m[1]);
    }
  }
  return names;
}

function checkServiceWiring() {
  const deployments = docs.filter((d) => d.kind === "Deployment");
  const portNames = new Set(
    deployments.flatMap((d) => d.spec.template.spec.containers.flatMap((c) => c.ports ?? []))
      .map((p) => p.name),
  );
  for (const svc of docs.filter((d) => d.kind === "Service")) {
    for (const p of svc.spec.ports) {
      if (typeof p.targetPort === "string" && !portNames.has(p.targetPort)) {
        fail(`Service ${svc.metadata.name}: targetPort ${p.targetPort} is no container port`);
      }
    }
    const svcPorts = new Set(svc.spec.ports.map((p) => p.name));
    for (const sm of docs.filter((d) => d.kind === "ServiceMonitor")) {
      for (const ep of sm.spec.endpoints) {
        if (!svcPorts.has(ep.port)) fail(`ServiceMonitor: port ${ep.port} not in the Service`);
      }
    }
  }
  for (const hpa of docs.filter((d) => d.kind === "HorizontalPodAutoscaler")) {
    const target = hpa.spec.scaleTargetRef.name;
    if (!deployments.some((d) => d.metadata.name === target)) fail(`HPA targets ${target}: absent`);
  }
}

const seen = new Set();
const metricNames = adapterMetrics();
checkServiceWiring();
for (const doc of docs) {
  let podSpec;
  let containers;
  if (doc.kind === "Deployment") {
    podSpec = doc.spec.template.spec;
    containers = podSpec.containers;
  } else if (doc.kind === "ClusterServingRuntime" || doc.kind === "ServingRuntime") {
    podSpec = null;
    containers = doc.spec.containers;
  } else continue;
  for (const c of containers) {
    const what = `${doc.kind}/${doc.metadata.name}`;
    const args = c.args ?? [];
    const flags = flagValues(args);
    checkFlagsKnown(what, args);
    const ports = checkPorts(what, c, flags);
    let drain = 25;
    if (podSpec) drain = checkDrainBudget(what, podSpec, c, flags);
    const probes = ["startupProbe", "readinessProbe", "livenessProbe"]
      .map((p) => c[p]?.httpGet)
      .filter(Boolean);
    for (const p of probes) {
      if (!ports.has(p.port) || ports.get(p.port) !== (flags.get("--http-port") ?? "8000")) {
        fail(`${what}: probe port ${p.port} is not the HTTP port`);
      }
    }
    const paths = probes.length ? [...new Set(probes.map((p) => p.path))] : ["/v2/health/ready"];
    const key = JSON.stringify([args, paths]);
    if (seen.has(key)) continue; // same container in another overlay: started once
    seen.add(key);
    await checkRunning(what, args, paths, metricNames, drain);
  }
}
console.log(failures ? `${failures} failed` : "all checks passed");
process.exit(failures ? 1 : 0);
