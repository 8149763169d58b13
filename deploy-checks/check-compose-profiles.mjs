// Checks docker/compose.yaml's profiles, which `docker-compose config` (Compose v1) does not filter or check:
//  - each profile starts exactly the services the table in docs/deployment-profiles.md says;
//  - whatever a service depends on is started by every profile that starts the service;
//  - every profile has its env file in docker/profiles/.
//   node deploy-checks/check-compose-profiles.mjs <repo root>
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { YAML } from "./lib/yaml.mjs";

const { parse } = YAML;

const root = process.argv[2] ?? ".";
const compose = parse(readFileSync(join(root, "docker/compose.yaml"), "utf8"), { merge: true });
const problems = [];

// The table: rows "| `service` | ✓ | | ..." under a header naming the profiles.
const doc = readFileSync(join(root, "docs/deployment-profiles.md"), "utf8").split("\n");
const header = doc.find((line) => /^\|\s*service\s*\|/.test(line));
if (!header) throw new Error("docs/deployment-profiles.md: no table starting with '| service |'");
const profiles = header.split("|").slice(2, -1).map((cell) => cell.trim().replace(/`/g, ""));
const documented = new Map();
for (const line of doc) {
  const cells = line.split("|").slice(1, -1).map((cell) => cell.trim());
  const name = /^`([a-z-]+)`$/.exec(cells[0] ?? "")?.[1];
  if (name && cells.length === profiles.length + 1) {
    documented.set(name, new Set(profiles.filter((_, i) => cells[i + 1] !== "")));
  }
}

const services = compose.services ?? {};
for (const [name, service] of Object.entries(services)) {
  const actual = new Set(service.profiles ?? profiles);
  const expected = documented.get(name);
  if (!expected) {
    problems.push(`service ${name} is not in the table of docs/deployment-profiles.md`);
  } else {
    for (const profile of profiles) {
      if (actual.has(profile) !== expected.has(profile)) {
        problems.push(`service ${name}: profile ${profile}: compose says ${actual.has(profile)}, the docs say ${expected.has(profile)}`);
      }
    }
  }
  for (const dependency of Object.keys(service.depends_on ?? {})) {
    const theirs = new Set(services[dependency]?.profiles ?? profiles);
    for (const profile of actual) {
      if (!theirs.has(profile)) problems.push(`service ${name} depends on ${dependency}, which profile ${profile} does not start`);
    }
  }
}
for (const name of documented.keys()) {
  if (!services[name]) problems.push(`docs/deployment-profiles.md lists ${name}, which compose.yaml does not define`);
}
for (const profile of profiles) {
  if (!existsSync(join(root, "docker/profiles", `${profile}.env`))) problems.push(`docker/profiles/${profile}.env is missing`);
  const started = Object.entries(services).filter(([, s]) => (s.profiles ?? profiles).includes(profile));
  if (started.length === 0) problems.push(`profile ${profile} starts nothing`);
}

for (const line of problems) console.error(`compose profiles: ${line}`);
console.log(`compose profiles: ${profiles.length} profiles x ${Object.keys(services).length} services, ${problems.length} problem(s)`);
process.exit(problems.length > 0 ? 1 : 0);
