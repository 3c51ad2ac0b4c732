// Validates Kubernetes manifests offline. Core and Prometheus Operator kinds are checked against
// the Kubernetes JSON schemas compiled into the npm packages pinned in package-lock.json
// (kubernetes-models, @kubernetes-models/prometheus-operator). KServe's CRDs have no such
// package: kserve_schema.mjs is a structural check written from KServe's API reference (allowed
// and required fields, with embedded containers checked against the core Container schema).
//
//   node validate_manifests.mjs FILE.yaml...    (multi-document YAML; exit 1 on any error)
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import { checkKserve } from "./kserve_schema.mjs";

const CORE_GROUPS = new Set(["v1", "apps/v1", "policy/v1", "autoscaling/v2"]);

async function modelFor(apiVersion, kind) {
  if (CORE_GROUPS.has(apiVersion)) {
    return (await import(`kubernetes-models/${apiVersion}/${kind}`))[kind];
  }
  if (apiVersion === "monitoring.coreos.com/v1") {
    const pkg = "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1";
    return (await import(`${pkg}/${kind}`))[kind];
  }
  return undefined;
}

async function validate(doc) {
  const { apiVersion, kind } = doc;
  if (!apiVersion || !kind) return ["no apiVersion/kind"];
  if (!doc.metadata?.name) return ["no metadata.name"];
  if (apiVersion.startsWith("serving.kserve.io/")) return checkKserve(doc);
  let Model;
  try {
    Model = await modelFor(apiVersion, kind);
  } catch {
    Model = undefined;
  }
  if (!Model) return [`no schema for ${apiVersion} ${kind}`];
  try {
    new Model(doc).validate();
    return [];
  } catch (e) {
    return [e.message];
  }
}

let failures = 0;
let count = 0;
for (const file of process.argv.slice(2)) {
  for (const parsed of parseAllDocuments(readFileSync(file, "utf8"))) {
    if (parsed.errors.length) {
      console.log(`FAIL ${file}: YAML: ${parsed.errors[0].message}`);
      failures++;
      continue;
    }
    const doc = parsed.toJS();
    if (doc === null) continue;
    count++;
    const errors = await validate(doc);
    const what = `${file}: ${doc.kind}/${doc.metadata?.name}`;
    if (errors.length) {
      failures++;
      for (const e of errors) console.log(`FAIL ${what}: ${e}`);
    } else {
      console.log(`ok   ${what}`);
    }
  }
}
if (count === 0) {
  console.log("FAIL: no manifests given");
  process.exit(1);
}
console.log(`${count - failures} valid, ${failures} invalid`);
process.exit(failures ? 1 : 0);
