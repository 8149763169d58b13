// Checks what `docker-compose config` cannot: whether the services of a resolved compose file can run and
// what they expose.
//  - every volume a service mounts read-write is a path its image's user may write (compose-images.yaml for
//    pulled images; the Dockerfile's final stage for built ones: its USER and what it chowns to that user);
//    otherwise Docker creates the mount point owned by root and the service fails to write;
//  - every published port is bound to 127.0.0.1 unless compose-images.yaml `published` lists it.
//
//   docker-compose -f docker/compose.yaml --profile full config | node check-compose-runtime.mjs <label> [repo root]
import { readFileSync } from "node:fs";
import { dirname, join, posix } from "node:path";
import { fileURLToPath } from "node:url";
import { YAML } from "./lib/yaml.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const label = process.argv[2] ?? "compose";
const root = process.argv[3] ?? join(here, "..");
const config = YAML.parse(readFileSync(0, "utf8"));
const facts = YAML.parse(readFileSync(join(here, "compose-images.yaml"), "utf8"));
const problems = [];
const problem = (service, message) => problems.push(`${label}: ${service}: ${message}`);

// The final stage of a Dockerfile: its base image's facts, then its USER and the paths it chowns to that user.
function dockerfileFacts(path, args) {
  const text = readFileSync(path, "utf8").replace(/\\\n/g, " ");
  const lines = text.split("\n");
  const defaults = Object.fromEntries([...text.matchAll(/^ARG\s+(\w+)=(\S+)/gm)].map((m) => [m[1], m[2]]));
  const start = lines.findLastIndex((line) => /^FROM\s/i.test(line));
  const from = lines[start].split(/\s+/)[1].replace(/\$\{(\w+)\}/g, (_, v) => args?.[v] ?? defaults[v] ?? "");
  const base = facts.images?.[from.replace(/@.*$/, "").replace(/:[^/:]+$/, "")];
  if (!base) return { missing: `base image ${from} of ${path}` };
  let user = base.user;
  const owned = new Map();
  for (const line of lines.slice(start)) {
    const userMatch = /^USER\s+(\S+)/i.exec(line);
    if (userMatch) user = userMatch[1].split(":")[0];
    for (const chown of line.matchAll(/chown\s+(?:-R\s+)?([^\s:]+)(?::\S+)?\s+((?:\/[^\s&;]*\s*)+)/g)) {
      for (const p of chown[2].trim().split(/\s+/)) owned.set(p, chown[1]);
    }
  }
  if (user === "root" || user === "0") return { user, writable: ["/"], source: path };
  const writable = ["/tmp", ...(user === base.user ? base.writable : []), ...[...owned].filter(([, o]) => o === user).map(([p]) => p)];
  return { user, writable, source: `${path} on ${base.source}` };
}

const under = (path, dir) => dir === "/" || path === dir || path.startsWith(dir.endsWith("/") ? dir : dir + "/");

for (const [name, service] of Object.entries(config.services ?? {})) {
  let image;
  if (service.build) {
    const dockerfile = join(service.build.context ?? root, service.build.dockerfile ?? "Dockerfile");
    image = dockerfileFacts(dockerfile, service.build.args);
    if (image.missing) {
      problem(name, `${image.missing}: its user and writable paths are not in deploy-checks/compose-images.yaml`);
      continue;
    }
  } else {
    const repo = (service.image ?? "").replace(/@.*$/, "").replace(/:[^/:]+$/, "");
    image = facts.images?.[repo];
    if (!image) {
      problem(name, `image ${service.image}: its user and writable paths are not in deploy-checks/compose-images.yaml`);
      continue;
    }
  }
  if (service.entrypoint === undefined && image.user !== "root" && String(service.user ?? "") === "0") {
    problem(name, "runs as root");
  }
  for (const volume of service.volumes ?? []) {
    let target, readOnly, type;
    if (typeof volume === "string") {
      const parts = volume.split(":");
      target = parts.length >= 2 ? parts[1] : parts[0];
      readOnly = parts[2]?.split(",").includes("ro") ?? false;
      type = parts.length >= 2 && !parts[0].startsWith("/") && !parts[0].startsWith(".") ? "volume" : "bind";
    } else {
      ({ target, type } = volume);
      readOnly = volume.read_only === true;
    }
    if (readOnly || type === "tmpfs") continue;
    if (!image.writable.some((dir) => under(posix.normalize(target), dir))) {
      problem(name, `mounts ${target} read-write, but ${image.user} may write only ${image.writable.join(", ")} (${image.source})`);
    }
  }
  const allowed = new Set((facts.published?.[name] ?? []).map(Number));
  for (const port of service.ports ?? []) {
    let hostIp, containerPort;
    if (typeof port === "string") {
      const parts = port.replace(/\/(tcp|udp)$/, "").split(":");
      containerPort = Number(parts.at(-1));
      hostIp = parts.length === 3 ? parts[0] : "";
    } else {
      containerPort = Number(port.target);
      hostIp = port.host_ip ?? "";
    }
    const loopback = ["127.0.0.1", "::1", "[::1]", "localhost"].includes(hostIp);
    if (!loopback && !allowed.has(containerPort)) {
      problem(name, `publishes ${containerPort} on ${hostIp || "every interface"}: bind it to 127.0.0.1 or list it in compose-images.yaml published`);
    }
  }
}

for (const line of problems) console.error(line);
console.log(`${label}: ${Object.keys(config.services ?? {}).length} services, volumes and ports checked, ${problems.length} problem(s)`);
process.exit(problems.length > 0 ? 1 : 0);
