// Checks the deployment docs and files against each other and against the modules (cheap, text-level):
//  - versions: the Flink image tag and the FlinkDeployment's flinkVersion match flink.version in pom.xml; the
//    Kafka image matches kafka.version; the operator versions the schema checks use (scripts/deploy-tools.sh)
//    are the ones docs/production.md states;
//  - option names: every GATEWAY_* / JOB_* variable the docs, docker/ and k8s/ use is an option of the gateway
//    or the job (their READMEs' tables) or a documented passthrough prefix;
//  - compose settings: every ${VAR} of docker/compose.yaml is in docs/deployment-profiles.md's settings table
//    and the other way round;
//  - stale terms: names that no longer exist or are deprecated (list below, each with its reason).
//
//   node check-docs.mjs [repo root]
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const root = process.argv[2] ?? ".";
const read = (path) => readFileSync(join(root, path), "utf8");
const problems = [];

function files(dir, pattern) {
  const out = [];
  for (const name of readdirSync(join(root, dir))) {
    const path = join(dir, name);
    if (statSync(join(root, path)).isDirectory()) out.push(...files(path, pattern));
    else if (pattern.test(name)) out.push(path);
  }
  return out;
}

// --- versions ------------------------------------------------------------------------------------------------
const pom = read("pom.xml");
const pomVersion = (name) => new RegExp(`<${name}>([^<]+)</${name}>`).exec(pom)?.[1];
const flink = pomVersion("flink.version");
const kafka = pomVersion("kafka.version");
const compose = read("docker/compose.yaml");
const dockerfileJob = read("docker/Dockerfile.job");

const flinkTags = [
  ["docker/Dockerfile.job", /^ARG FLINK_IMAGE=flink:(\S+)$/m.exec(dockerfileJob)?.[1]],
  ["docker/compose.yaml", /FLINK_IMAGE:-flink:([^}\s]+)\}/.exec(compose)?.[1]],
];
for (const [file, tag] of flinkTags) {
  if (!tag?.startsWith(`${flink}-`)) problems.push(`${file}: Flink image tag ${tag} is not flink.version ${flink} (pom.xml), pinned`);
}
const kafkaTag = /KAFKA_IMAGE:-apache\/kafka:([^}\s]+)\}/.exec(compose)?.[1];
if (kafkaTag !== kafka) problems.push(`docker/compose.yaml: apache/kafka:${kafkaTag} is not kafka.version ${kafka} (pom.xml)`);
const [major, minor] = flink.split(".");
for (const file of files("k8s", /\.ya?ml$/)) {
  for (const m of read(file).matchAll(/flinkVersion: (\S+)/g)) {
    if (m[1] !== `v${major}_${minor}`) problems.push(`${file}: flinkVersion ${m[1]} is not v${major}_${minor} (flink.version ${flink})`);
  }
}
const tools = read("scripts/deploy-tools.sh");
const production = read("docs/production.md");
for (const [variable, what] of [["STRIMZI_VERSION", "Strimzi"], ["FLINK_OPERATOR_API_VERSION", "flink-kubernetes-operator-api"],
  ["PROMETHEUS_OPERATOR_VERSION", "Prometheus Operator"], ["KUBECONFORM_VERSION", "kubeconform"]]) {
  const version = new RegExp(`^${variable}=(\\S+)$`, "m").exec(tools)?.[1];
  if (!version) problems.push(`scripts/deploy-tools.sh: ${variable} is not set`);
  else if (!production.includes(version)) problems.push(`docs/production.md does not state ${what} ${version}, the version the checks use`);
}

// --- option names --------------------------------------------------------------------------------------------
const options = new Set([
  ...read("flink-job/README.md").matchAll(/`(JOB_[A-Z0-9_]+)`/g),
  ...read("otlp-gateway/README.md").matchAll(/`(GATEWAY_[A-Z0-9_]+)`/g),
].map((m) => m[1]));
const prefixes = ["JOB_KAFKA_CLIENT_", "GATEWAY_KAFKA_CLIENT_", "GATEWAY_KAFKA_PROP_"];
const notOptions = /_(HOST_PORT|IMAGE)$/; // compose variables, not the services' options
const sources = [...files("docs", /\.md$/), ...files("docker", /\.(ya?ml|env)$/), ...files("k8s", /\.ya?ml$/)];
for (const file of sources) {
  for (const m of read(file).matchAll(/\b((?:JOB|GATEWAY)_[A-Z0-9_]+)/g)) {
    const name = m[1];
    if (options.has(name) || notOptions.test(name) || prefixes.some((p) => name.startsWith(p))) continue;
    problems.push(`${file}: ${name} is no option of the job or the gateway (flink-job/README.md, otlp-gateway/README.md)`);
  }
}

// --- compose settings vs. the docs' table --------------------------------------------------------------------
const profilesDoc = read("docs/deployment-profiles.md");
const settings = profilesDoc.slice(profilesDoc.indexOf("## Every setting"));
// The first cell of each row of the table names the variables ("`A` / `B`").
const documented = new Set(settings.split("\n## ")[0].split("\n").filter((line) => line.startsWith("| `"))
  .flatMap((line) => [...line.split("|")[1].matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1])));
// Variables compose reads (comments left out).
const used = new Set([...compose.replace(/#.*$/gm, "").matchAll(/\$\{([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]));
for (const name of used) {
  if (!documented.has(name)) problems.push(`docker/compose.yaml uses \${${name}}, which docs/deployment-profiles.md "Every setting" does not list`);
}
for (const name of documented) {
  if (!used.has(name) && !/_HOST_PORT$|_IMAGE$/.test(name)) {
    problems.push(`docs/deployment-profiles.md "Every setting" lists ${name}, which docker/compose.yaml does not use`);
  }
}

// --- stale terms ---------------------------------------------------------------------------------------------
const STALE = [
  [/kafka\.strimzi\.io\/v1beta2/, "Strimzi 1.0 removed kafka.strimzi.io/v1beta2: use kafka.strimzi.io/v1"],
  [/savepointTriggerNonce(?![^\n]*deprecated)/, "savepointTriggerNonce is deprecated: a FlinkStateSnapshot takes a savepoint"],
  [/web\.enable-lifecycle/, "the lifecycle API (reload, quit) is off"],
  [/flink-s3-fs-presto-\d+\.\d+\.\d+\.jar/, "a plugin jar named with its patch version breaks when the image moves on"],
  [/ENABLE_BUILT_IN_PLUGINS/, "the job image has the S3 plugin in plugins/ already"],
  [/^\s*tls:\s*$(?=[\s\S]*?insecure)/m, null],
  [/auth:\s*\n\s*tls:/, "the Collector's kafka exporter auth.tls is deprecated since v0.124: top-level tls"],
  [/GRAFANA_ADMIN_PASSWORD[^\n]*`admin`/, "Grafana has no default password"],
  [/(?<!-)docker-compose -f docker\/compose\.yaml[^\n]*up\b/, "Compose v1 is end of life: docker compose (v2)"],
  [/not yet/i, "options documented as missing that exist (check the sentence)"],
].filter(([, why]) => why);
const textFiles = [...files("docs", /\.(md|ya?ml)$/), ...files("docker", /\.(ya?ml|env|md)$|^Dockerfile/), ...files("k8s", /\.(ya?ml|md)$/)];
for (const file of textFiles) {
  const text = read(file);
  for (const [pattern, why] of STALE) {
    const m = pattern.exec(text);
    if (m) {
      const line = text.slice(0, m.index).split("\n").length;
      problems.push(`${file}:${line}: ${why}`);
    }
  }
}

for (const line of problems) console.error(`docs: ${line}`);
console.log(`docs: versions, option names, compose settings and stale terms checked in ${textFiles.length} files, ${problems.length} problem(s)`);
process.exit(problems.length > 0 ? 1 : 0);
