// Checks the output of `kubectl kustomize` offline.
//
//   kubectl kustomize k8s/overlays/dev | node k8s/schema-check/check-manifests.mjs dev
//
// - Built-in kinds (core, apps, autoscaling, policy, rbac, ...) are validated against the Kubernetes OpenAPI
//   schemas that the npm package kubernetes-models compiles into validators (types, enums, required fields,
//   formats). Unknown fields are not reported by those schemas.
// - Custom resources (Flink Kubernetes Operator, Strimzi) get structural checks: the fields their operators
//   need, with the values they accept.
// - References inside the output: Service selectors, HPA and PDB targets, ConfigMaps/Secrets/PVCs/service
//   accounts that pods use, Strimzi resources' cluster label.
// Prints one line per problem and exits 1 when there is any.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

const label = process.argv[2] ?? "stdin";
const docs = parseAllDocuments(readFileSync(0, "utf8"))
  .map((doc) => {
    if (doc.errors.length > 0) {
      throw new Error(`${label}: YAML error: ${doc.errors[0].message}`);
    }
    return doc.toJS();
  })
  .filter((doc) => doc != null);

const problems = [];
const problem = (res, message) => problems.push(`${label}: ${res.kind}/${res.metadata?.name}: ${message}`);

const BUILT_IN_GROUP = /^(|apps|batch|policy|autoscaling|[a-z.]+\.k8s\.io)$/;

function groupAndVersion(apiVersion) {
  const slash = apiVersion.indexOf("/");
  return slash < 0 ? ["", apiVersion] : [apiVersion.slice(0, slash), apiVersion.slice(slash + 1)];
}

async function validateBuiltIn(res) {
  const [group, version] = groupAndVersion(res.apiVersion);
  const path = group === "" ? `kubernetes-models/${version}/${res.kind}` : `kubernetes-models/${group}/${version}/${res.kind}`;
  let model;
  try {
    model = (await import(path))[res.kind];
  } catch {
    problem(res, `no schema for built-in ${res.apiVersion} ${res.kind} (misspelt kind or removed API version?)`);
    return;
  }
  try {
    new model(res).validate();
  } catch (error) {
    problem(res, `schema: ${error.message}`);
  }
}

// --- custom resources -------------------------------------------------------------------------------------

const get = (obj, path) => path.split(".").reduce((value, key) => (value == null ? undefined : value[key]), obj);

function need(res, path, check = (v) => v !== undefined && v !== null && v !== "", what = "is required") {
  const value = get(res, path);
  if (!check(value)) {
    problem(res, `${path} ${what}${value === undefined ? "" : ` (is ${JSON.stringify(value)})`}`);
  }
  return value;
}

const oneOf = (...allowed) => [(v) => allowed.includes(v), `must be one of ${allowed.join(", ")}`];
const positiveInt = [(v) => Number.isInteger(v) && v > 0, "must be a positive integer"];
const nonEmptyList = [(v) => Array.isArray(v) && v.length > 0, "must be a non-empty list"];
const stringMap = [(v) => v == null || Object.values(v).every((x) => typeof x === "string"), "values must be strings"];

const CUSTOM = {
  "flink.apache.org/v1beta1 FlinkDeployment": (res) => {
    need(res, "spec.image");
    // v2_2 needs an operator release that knows Flink 2.2; older ones know up to v2_1 / v1_20.
    need(res, "spec.flinkVersion", ...oneOf("v1_19", "v1_20", "v2_0", "v2_1", "v2_2"));
    need(res, "spec.mode", ...oneOf(undefined, "native", "standalone"));
    need(res, "spec.serviceAccount");
    need(res, "spec.flinkConfiguration", ...stringMap);
    for (const setting of ["execution.checkpointing.dir", "execution.checkpointing.savepoint-dir"]) {
      if (!/^(file|s3|s3p|s3a|gs|abfss?|hdfs|oss):\/\//.test(get(res, "spec.flinkConfiguration")?.[setting] ?? "")) {
        problem(res, `flinkConfiguration ${setting} must be a durable storage URI (file on a volume, s3, gs, ...)`);
      }
    }
    need(res, "spec.jobManager.resource.memory");
    need(res, "spec.jobManager.resource.cpu", (v) => typeof v === "number" && v > 0, "must be a positive number");
    need(res, "spec.taskManager.resource.memory");
    need(res, "spec.taskManager.resource.cpu", (v) => typeof v === "number" && v > 0, "must be a positive number");
    need(res, "spec.job.jarURI", (v) => typeof v === "string" && /^(local|https?|s3|file):\/\//.test(v), "must be a URI");
    need(res, "spec.job.parallelism", ...positiveInt);
    need(res, "spec.job.upgradeMode", ...oneOf("savepoint", "last-state", "stateless"));
    need(res, "spec.job.state", ...oneOf("running", "suspended"));
    const replicas = get(res, "spec.jobManager.replicas") ?? 1;
    if (replicas > 1 && get(res, "spec.flinkConfiguration")?.["high-availability.type"] !== "kubernetes") {
      problem(res, "more than one jobmanager needs high-availability.type: kubernetes");
    }
    if (get(res, "spec.job.upgradeMode") !== "stateless" && !get(res, "spec.flinkConfiguration")?.["high-availability.type"]) {
      problem(res, "upgradeMode savepoint/last-state needs high availability configured");
    }
    if (get(res, "spec.podTemplate") !== undefined) {
      const containers = get(res, "spec.podTemplate.spec.containers") ?? [];
      if (!containers.some((c) => c.name === "flink-main-container")) {
        problem(res, "podTemplate must name its container flink-main-container to reach Flink's container");
      }
    }
  },
  "kafka.strimzi.io/v1beta2 Kafka": (res) => {
    if (get(res, "metadata.annotations")?.["strimzi.io/kraft"] !== "enabled") {
      problem(res, "metadata.annotations strimzi.io/kraft must be \"enabled\" (KRaft, no ZooKeeper)");
    }
    if (get(res, "metadata.annotations")?.["strimzi.io/node-pools"] !== "enabled") {
      problem(res, "metadata.annotations strimzi.io/node-pools must be \"enabled\"");
    }
    if (get(res, "spec.zookeeper") !== undefined) problem(res, "spec.zookeeper must not be set with KRaft");
    const listeners = need(res, "spec.kafka.listeners", ...nonEmptyList) ?? [];
    for (const [i, listener] of listeners.entries()) {
      for (const field of ["name", "port", "type"]) {
        if (listener[field] === undefined) problem(res, `spec.kafka.listeners[${i}].${field} is required`);
      }
      if (typeof listener.tls !== "boolean") problem(res, `spec.kafka.listeners[${i}].tls must be true or false`);
      if (!["internal", "route", "loadbalancer", "nodeport", "ingress", "cluster-ip"].includes(listener.type)) {
        problem(res, `spec.kafka.listeners[${i}].type ${listener.type} is not a Strimzi listener type`);
      }
    }
  },
  "kafka.strimzi.io/v1beta2 KafkaNodePool": (res) => {
    need(res, "spec.replicas", ...positiveInt);
    need(res, "spec.roles", (v) => Array.isArray(v) && v.length > 0 && v.every((r) => ["controller", "broker"].includes(r)),
      "must list controller and/or broker");
    need(res, "spec.storage.type", ...oneOf("jbod", "persistent-claim", "ephemeral"));
  },
  "kafka.strimzi.io/v1beta2 KafkaTopic": (res) => {
    need(res, "spec.partitions", ...positiveInt);
    need(res, "spec.replicas", ...positiveInt);
    need(res, "spec.config", ...[(v) => v == null || typeof v === "object", "must be a map"]);
  },
  "kafka.strimzi.io/v1beta2 KafkaUser": (res) => {
    need(res, "spec.authentication.type", ...oneOf("scram-sha-512", "tls", "tls-external"));
  },
  "kafka.strimzi.io/v1beta2 KafkaMirrorMaker2": (res) => {
    need(res, "spec.replicas", ...positiveInt);
    const aliases = (need(res, "spec.clusters", ...nonEmptyList) ?? []).map((c) => c.alias);
    for (const cluster of get(res, "spec.clusters") ?? []) {
      if (!cluster.alias || !cluster.bootstrapServers) problem(res, "every cluster needs alias and bootstrapServers");
    }
    need(res, "spec.connectCluster", (v) => aliases.includes(v), "must be one of the clusters' aliases");
    for (const mirror of need(res, "spec.mirrors", ...nonEmptyList) ?? []) {
      if (!aliases.includes(mirror.sourceCluster) || !aliases.includes(mirror.targetCluster)) {
        problem(res, `mirror ${mirror.sourceCluster} -> ${mirror.targetCluster} names an unknown cluster`);
      }
      if (mirror.targetCluster !== get(res, "spec.connectCluster")) {
        problem(res, "mirrors must target the connect cluster");
      }
      if (!mirror.topicsPattern) problem(res, "every mirror needs topicsPattern");
    }
  },
};

// --- references within the output --------------------------------------------------------------------------

const key = (kind, namespace, name) => `${kind}/${namespace ?? ""}/${name}`;
const index = new Map(docs.map((res) => [key(res.kind, res.metadata?.namespace, res.metadata?.name), res]));
const exists = (kind, namespace, name) => index.has(key(kind, namespace, name));

function podSpecOf(res) {
  if (["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"].includes(res.kind)) return res.spec?.template?.spec;
  if (res.kind === "FlinkDeployment") return res.spec?.podTemplate?.spec;
  return undefined;
}

function podLabelsOf(res) {
  return res.spec?.template?.metadata?.labels ?? {};
}

const matches = (selector, labels) => Object.entries(selector ?? {}).every(([k, v]) => labels[k] === v);

function checkReferences(res) {
  const ns = res.metadata?.namespace;
  const pod = podSpecOf(res);
  if (pod) {
    for (const container of [...(pod.containers ?? []), ...(pod.initContainers ?? [])]) {
      for (const from of container.envFrom ?? []) {
        if (from.configMapRef && !from.configMapRef.optional && !exists("ConfigMap", ns, from.configMapRef.name)) {
          problem(res, `envFrom ConfigMap ${from.configMapRef.name} is not in the output`);
        }
        if (from.secretRef && !from.secretRef.optional && !exists("Secret", ns, from.secretRef.name)) {
          problem(res, `envFrom Secret ${from.secretRef.name} is not in the output and not optional`);
        }
      }
      const volumes = new Set((pod.volumes ?? []).map((v) => v.name));
      const claimTemplates = new Set((res.spec?.volumeClaimTemplates ?? []).map((v) => v.metadata?.name));
      for (const mount of container.volumeMounts ?? []) {
        if (!volumes.has(mount.name) && !claimTemplates.has(mount.name)) {
          problem(res, `container ${container.name} mounts undefined volume ${mount.name}`);
        }
      }
    }
    for (const volume of pod.volumes ?? []) {
      if (volume.persistentVolumeClaim && !exists("PersistentVolumeClaim", ns, volume.persistentVolumeClaim.claimName)) {
        problem(res, `volume ${volume.name} uses PVC ${volume.persistentVolumeClaim.claimName}, not in the output`);
      }
    }
  }
  if (res.kind === "FlinkDeployment" && !exists("ServiceAccount", ns, res.spec?.serviceAccount)) {
    problem(res, `service account ${res.spec?.serviceAccount} is not in the output`);
  }
  if (res.kind === "Deployment" || res.kind === "StatefulSet") {
    if (!matches(res.spec?.selector?.matchLabels, podLabelsOf(res))) problem(res, "selector does not match the pod labels");
  }
  if (res.kind === "Service" && res.spec?.selector) {
    const backed = docs.some((other) => other.metadata?.namespace === ns && podSpecOf(other) && other.kind !== "FlinkDeployment"
      && matches(res.spec.selector, podLabelsOf(other)));
    if (!backed) problem(res, "selector matches no workload in the output");
  }
  if (res.kind === "StatefulSet" && !exists("Service", ns, res.spec?.serviceName)) {
    problem(res, `serviceName ${res.spec?.serviceName} is not a Service in the output`);
  }
  if (res.kind === "HorizontalPodAutoscaler") {
    const target = res.spec?.scaleTargetRef ?? {};
    if (!exists(target.kind, ns, target.name)) problem(res, `scale target ${target.kind}/${target.name} is not in the output`);
  }
  if (res.kind === "PodDisruptionBudget") {
    const covered = docs.some((other) => other.metadata?.namespace === ns && podSpecOf(other) && other.kind !== "FlinkDeployment"
      && matches(res.spec?.selector?.matchLabels, podLabelsOf(other)));
    if (!covered) problem(res, "selector matches no workload in the output");
  }
  const cluster = res.metadata?.labels?.["strimzi.io/cluster"];
  if (res.apiVersion?.startsWith("kafka.strimzi.io/") && res.kind !== "Kafka" && res.kind !== "KafkaMirrorMaker2") {
    if (!cluster) problem(res, "label strimzi.io/cluster is required");
    else if (!exists("Kafka", ns, cluster)) problem(res, `strimzi.io/cluster ${cluster} names no Kafka in the output`);
  }
}

// --- run --------------------------------------------------------------------------------------------------

const counts = { builtIn: 0, custom: 0 };
const seen = new Set();
for (const res of docs) {
  if (!res.apiVersion || !res.kind || !res.metadata?.name) {
    problems.push(`${label}: a document lacks apiVersion, kind or metadata.name: ${JSON.stringify(res).slice(0, 120)}`);
    continue;
  }
  const id = key(res.kind, res.metadata.namespace, res.metadata.name);
  if (seen.has(id)) problem(res, "defined twice");
  seen.add(id);
  const [group] = groupAndVersion(res.apiVersion);
  if (BUILT_IN_GROUP.test(group)) {
    counts.builtIn++;
    await validateBuiltIn(res);
  } else if (CUSTOM[`${res.apiVersion} ${res.kind}`]) {
    counts.custom++;
    CUSTOM[`${res.apiVersion} ${res.kind}`](res);
  } else {
    problem(res, `unknown custom resource ${res.apiVersion} ${res.kind}: add a structural check`);
  }
  checkReferences(res);
}

for (const line of problems) console.error(line);
console.log(`${label}: ${counts.builtIn} built-in resources schema-checked, ${counts.custom} custom resources checked, ${problems.length} problem(s)`);
process.exit(problems.length > 0 ? 1 : 0);
