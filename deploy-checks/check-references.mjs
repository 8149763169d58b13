// Checks what a schema cannot: references and rules across the output of `kubectl kustomize` (the schemas of
// every resource are checked by kubeconform, scripts/check-deploy.sh).
//
//   kubectl kustomize k8s/overlays/dev | node deploy-checks/check-references.mjs dev
//
// - References: Service selectors, HPA and PDB targets, ConfigMaps/Secrets/PVCs/service accounts that pods use,
//   Strimzi resources' cluster label, ServiceMonitor/PodMonitor selectors.
// - Rules of this project: restricted Pod Security on every namespace and pod; a NetworkPolicy in every
//   namespace; no ReadWriteMany claim; the job's max parallelism pinned, HA on, durable checkpoints, object
//   storage in production, no plugin jar pinned to a patch version; every region's otlp_spans has as many
//   partitions as the central one (MirrorMaker 2 keeps partition numbers).
// Prints one line per problem and exits 1 when there is any.
import { readFileSync } from "node:fs";
import { YAML } from "./lib/yaml.mjs";

const { parseAllDocuments } = YAML;

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

// --- rules of this project -------------------------------------------------------------------------------------

const get = (obj, path) => path.split(".").reduce((value, k) => (value == null ? undefined : value[k]), obj);

// Pod Security "restricted": https://kubernetes.io/docs/concepts/security/pod-security-standards/
function checkRestricted(res, pod) {
  const podSc = pod.securityContext ?? {};
  if (pod.hostNetwork || pod.hostPID || pod.hostIPC) problem(res, "restricted: no host namespaces");
  for (const container of [...(pod.containers ?? []), ...(pod.initContainers ?? [])]) {
    const sc = container.securityContext ?? {};
    const where = `container ${container.name}`;
    if ((sc.runAsNonRoot ?? podSc.runAsNonRoot) !== true) problem(res, `restricted: ${where} needs runAsNonRoot: true`);
    if ((sc.runAsUser ?? podSc.runAsUser) === 0) problem(res, `restricted: ${where} runs as uid 0`);
    if (sc.allowPrivilegeEscalation !== false) problem(res, `restricted: ${where} needs allowPrivilegeEscalation: false`);
    if (!(sc.capabilities?.drop ?? []).includes("ALL")) problem(res, `restricted: ${where} must drop ALL capabilities`);
    if (sc.privileged) problem(res, `restricted: ${where} is privileged`);
    const seccomp = sc.seccompProfile?.type ?? podSc.seccompProfile?.type;
    if (!["RuntimeDefault", "Localhost"].includes(seccomp)) problem(res, `restricted: ${where} needs seccompProfile RuntimeDefault`);
  }
  for (const volume of pod.volumes ?? []) {
    if (volume.hostPath) problem(res, `restricted: volume ${volume.name} is a hostPath`);
  }
}

function checkFlink(res) {
  const conf = res.spec?.flinkConfiguration ?? {};
  const max = Number(conf["pipeline.max-parallelism"]);
  if (!Number.isInteger(max) || max <= 0) {
    problem(res, "flinkConfiguration pipeline.max-parallelism must be pinned (it fixes the key groups of the savepoints)");
  } else if (res.spec?.job?.parallelism > max) {
    problem(res, `job.parallelism ${res.spec.job.parallelism} is above pipeline.max-parallelism ${max}`);
  }
  if (res.spec?.job?.upgradeMode !== "stateless" && conf["high-availability.type"] !== "kubernetes") {
    problem(res, "upgradeMode savepoint/last-state needs high-availability.type: kubernetes");
  }
  if ((res.spec?.jobManager?.replicas ?? 1) > 1 && conf["high-availability.type"] !== "kubernetes") {
    problem(res, "more than one jobmanager needs high-availability.type: kubernetes");
  }
  for (const setting of ["execution.checkpointing.dir", "execution.checkpointing.savepoint-dir", "high-availability.storageDir"]) {
    if (!/^(file|s3|s3p|s3a|gs|abfss?|hdfs|oss):\/\//.test(conf[setting] ?? "")) {
      problem(res, `flinkConfiguration ${setting} must be a durable storage URI`);
    }
  }
  if (label === "production" && !/^(s3|s3p|s3a|gs|abfss?|oss):\/\//.test(conf["execution.checkpointing.dir"] ?? "")) {
    problem(res, "production keeps checkpoints in object storage");
  }
  if (res.spec?.job?.savepointTriggerNonce !== undefined) problem(res, "savepointTriggerNonce is deprecated: create a FlinkStateSnapshot");
  const containers = res.spec?.podTemplate?.spec?.containers ?? [];
  if (!containers.some((c) => c.name === "flink-main-container")) {
    problem(res, "podTemplate must name its container flink-main-container");
  }
  for (const env of containers.flatMap((c) => c.env ?? [])) {
    if (env.name === "ENABLE_BUILT_IN_PLUGINS" && /\d+\.\d+\.\d+\.jar/.test(env.value ?? "")) {
      problem(res, `ENABLE_BUILT_IN_PLUGINS names a patch version (${env.value}): it breaks on the next image; copy from opt/ instead`);
    }
  }
}

function checkRules() {
  const namespaces = new Set(docs.map((res) => res.metadata?.namespace).filter(Boolean));
  for (const ns of namespaces) {
    const nsRes = index.get(key("Namespace", undefined, ns));
    if (nsRes && nsRes.metadata?.labels?.["pod-security.kubernetes.io/enforce"] !== "restricted") {
      problem(nsRes, "label pod-security.kubernetes.io/enforce must be restricted");
    }
    if (!docs.some((res) => res.kind === "NetworkPolicy" && res.metadata?.namespace === ns)) {
      problems.push(`${label}: namespace ${ns} has no NetworkPolicy`);
    }
  }
  for (const res of docs) {
    const pod = podSpecOf(res);
    if (pod) checkRestricted(res, pod);
    if (res.kind === "FlinkDeployment") checkFlink(res);
    if (res.kind === "PersistentVolumeClaim" && (res.spec?.accessModes ?? []).includes("ReadWriteMany")) {
      problem(res, "ReadWriteMany claims stay Pending on most clusters: use ReadWriteOnce or object storage");
    }
    for (const claim of res.spec?.volumeClaimTemplates ?? []) {
      if ((claim.spec?.accessModes ?? []).includes("ReadWriteMany")) problem(res, "ReadWriteMany volumeClaimTemplate");
    }
    if (res.kind === "ServiceMonitor" || res.kind === "PodMonitor") {
      const selector = res.spec?.selector?.matchLabels ?? {};
      const ns = res.metadata?.namespace;
      // Pods an operator creates (Strimzi's) are not in the output.
      if (Object.keys(selector).some((k) => k.startsWith("strimzi.io/"))) continue;
      const targets = docs.filter((other) => other.metadata?.namespace === ns && (res.kind === "ServiceMonitor"
        ? other.kind === "Service" && matches(selector, other.metadata?.labels ?? {})
        : podSpecOf(other) && matches(selector, other.kind === "FlinkDeployment"
          ? { app: other.metadata?.name, ...(other.spec?.podTemplate?.metadata?.labels ?? {}) } : podLabelsOf(other))));
      if (targets.length === 0) problem(res, "selector matches nothing in the output");
      const endpoints = res.spec?.endpoints ?? res.spec?.podMetricsEndpoints ?? [];
      for (const endpoint of endpoints) {
        const ports = targets.flatMap((t) => t.kind === "Service" ? (t.spec?.ports ?? [])
          : (podSpecOf(t).containers ?? []).flatMap((c) => c.ports ?? []));
        if (endpoint.port && !ports.some((p) => p.name === endpoint.port)) problem(res, `port ${endpoint.port} is no named port of its targets`);
      }
    }
  }
  // MirrorMaker 2 with IdentityReplicationPolicy writes source partition i to target partition i: a region topic
  // with fewer partitions than the central one leaves central partitions (and job subtasks) without data.
  const topics = docs.filter((res) => res.kind === "KafkaTopic" && res.spec?.topicName === "otlp_spans");
  const central = topics.find((t) => t.metadata?.namespace?.endsWith("-central"));
  if (central) {
    for (const topic of topics.filter((t) => t !== central)) {
      if (topic.spec?.partitions !== central.spec?.partitions) {
        problem(topic, `${topic.spec?.partitions} partitions; the central otlp_spans has ${central.spec?.partitions}: MirrorMaker 2 keeps partition numbers`);
      }
    }
  }
}

// --- run --------------------------------------------------------------------------------------------------

const seen = new Set();
for (const res of docs) {
  if (!res.apiVersion || !res.kind || !res.metadata?.name) {
    problems.push(`${label}: a document lacks apiVersion, kind or metadata.name: ${JSON.stringify(res).slice(0, 120)}`);
    continue;
  }
  const id = key(res.kind, res.metadata.namespace, res.metadata.name);
  if (seen.has(id)) problem(res, "defined twice");
  seen.add(id);
  checkReferences(res);
}
checkRules();

for (const line of problems) console.error(line);
console.log(`${label}: ${docs.length} resources, references and rules checked, ${problems.length} problem(s)`);
process.exit(problems.length > 0 ? 1 : 0);
