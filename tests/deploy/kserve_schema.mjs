// Structural check of KServe's ClusterServingRuntime/ServingRuntime (serving.kserve.io/v1alpha1)
// and InferenceService (v1beta1): the fields these manifests may use, which are required, and
// their types, written from KServe's API reference. Unknown fields are errors (a misspelt field
// would otherwise be dropped silently by the API server). Containers are checked against the
// core Kubernetes Container schema.
import { Container } from "kubernetes-models/v1/Container";
import { ResourceRequirements } from "kubernetes-models/v1/ResourceRequirements";

const str = (v) => typeof v === "string";
const bool = (v) => typeof v === "boolean";
const int = (v) => Number.isInteger(v);
const strMap = (v) => v && typeof v === "object" && Object.values(v).every(str);

function viaModel(Model) {
  return (v, path, errors) => {
    try {
      new Model(v).validate();
    } catch (e) {
      errors.push(`${path}: ${e.message}`);
    }
  };
}

// An object shape: { field: checker }, `required` lists the mandatory fields.
function shape(fields, required = []) {
  return (v, path, errors) => {
    if (!v || typeof v !== "object" || Array.isArray(v)) {
      errors.push(`${path}: must be an object`);
      return;
    }
    for (const r of required) if (!(r in v)) errors.push(`${path}: missing required ${r}`);
    for (const [k, val] of Object.entries(v)) {
      const check = fields[k];
      if (!check) errors.push(`${path}: unknown field ${k}`);
      else if (typeof check === "function" && check.length <= 1) {
        if (!check(val)) errors.push(`${path}.${k}: wrong type`);
      } else check(val, `${path}.${k}`, errors);
    }
  };
}

function list(item) {
  return (v, path, errors) => {
    if (!Array.isArray(v)) errors.push(`${path}: must be a list`);
    else v.forEach((x, i) => item(x, `${path}[${i}]`, errors));
  };
}

function oneOf(values) {
  return (v) => values.includes(v);
}

const metadata = shape({ name: str, namespace: str, labels: strMap, annotations: strMap }, ["name"]);
const modelFormat = shape({ name: str, version: str, autoSelect: bool, priority: int }, ["name"]);
const protocols = oneOf(["v1", "v2", "grpc-v1", "grpc-v2"]);

const servingRuntimeSpec = shape(
  {
    annotations: strMap,
    labels: strMap,
    supportedModelFormats: list(modelFormat),
    protocolVersions: list((v, p, e) => protocols(v) || e.push(`${p}: unknown protocol ${v}`)),
    multiModel: bool,
    disabled: bool,
    grpcEndpoint: str,
    grpcDataEndpoint: str,
    containers: list(viaModel(Container)),
    nodeSelector: strMap,
  },
  ["supportedModelFormats", "containers"],
);

const predictorModel = shape(
  {
    modelFormat: shape({ name: str, version: str }, ["name"]),
    runtime: str,
    protocolVersion: protocols,
    storageUri: str,
    args: list((v, p, e) => str(v) || e.push(`${p}: must be a string`)),
    env: list(() => {}),
    resources: viaModel(ResourceRequirements),
  },
  ["modelFormat"],
);

const inferenceServiceSpec = shape(
  {
    predictor: shape(
      {
        minReplicas: int,
        maxReplicas: int,
        scaleMetric: oneOf(["cpu", "memory", "concurrency", "rps"]),
        scaleTarget: int,
        serviceAccountName: str,
        model: predictorModel,
      },
      ["model"],
    ),
  },
  ["predictor"],
);

const KINDS = {
  "serving.kserve.io/v1alpha1/ClusterServingRuntime": servingRuntimeSpec,
  "serving.kserve.io/v1alpha1/ServingRuntime": servingRuntimeSpec,
  "serving.kserve.io/v1beta1/InferenceService": inferenceServiceSpec,
};

export function checkKserve(doc) {
  const spec = KINDS[`${doc.apiVersion}/${doc.kind}`];
  if (!spec) return [`no structural schema for ${doc.apiVersion} ${doc.kind}`];
  const errors = [];
  shape({ apiVersion: str, kind: str, metadata, spec }, ["metadata", "spec"])(doc, doc.kind, errors);
  return errors;
}
