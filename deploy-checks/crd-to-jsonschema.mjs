// Converts CustomResourceDefinitions to the JSON schemas kubeconform reads, one file per served version:
//   <out>/<group>/<kind lower-case>_<version>.json
// Strict, as kubeconform's own converter does with DENY_ROOT_ADDITIONAL_PROPERTIES and more: every object
// schema that lists its properties and neither preserves unknown fields nor sets additionalProperties gets
// additionalProperties: false (except branches of oneOf/anyOf/allOf/not, which only constrain), so a misspelt
// or removed field is an error. OpenAPI's nullable and
// x-kubernetes-int-or-string become JSON-schema types.
//
//   node crd-to-jsonschema.mjs <out dir> <crd.yaml>...
// Widenings for versions newer than the published schema are applied from WIDEN in this file (each one says why).
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { YAML } from "./lib/yaml.mjs";

// kind/version -> [JSON pointer into the version's openAPIV3Schema, value to add to an enum, why]
const WIDEN = {
  "flink.apache.org/FlinkDeployment/v1beta1": [
    ["/properties/spec/properties/flinkVersion", "v2_2",
      "flink-kubernetes-operator-api 1.10.0 is the newest release on Maven Central; operator 1.13 adds v2_2"],
  ],
};

// branch: a schema inside oneOf/anyOf/allOf/not, which constrains the object around it and must not close it.
function convert(schema, branch = false) {
  if (Array.isArray(schema)) return schema.map((s) => convert(s, branch));
  if (schema === null || typeof schema !== "object") return schema;
  const out = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === "nullable" || key === "x-kubernetes-int-or-string") continue;
    out[key] = key === "properties" || key === "patternProperties" || key === "definitions"
      ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, convert(v)]))
      : convert(value, ["oneOf", "anyOf", "allOf", "not"].includes(key));
  }
  if (schema["x-kubernetes-int-or-string"]) {
    delete out.type;
    out.anyOf = [{ type: "integer" }, { type: "string" }];
  }
  if (schema.nullable && typeof out.type === "string") out.type = [out.type, "null"];
  const preserves = schema["x-kubernetes-preserve-unknown-fields"] === true;
  if (out.properties && !branch && !preserves && out.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}

function pointer(root, path) {
  return path.split("/").slice(1).reduce((node, key) => node?.[key], root);
}

const [outDir, ...files] = process.argv.slice(2);
let written = 0;
for (const file of files) {
  for (const doc of YAML.parseAllDocuments(readFileSync(file, "utf8"))) {
    const crd = doc.toJS();
    if (crd?.kind !== "CustomResourceDefinition") continue;
    const { group, names } = crd.spec;
    for (const version of crd.spec.versions ?? []) {
      if (!version.served) continue;
      const schema = structuredClone(version.schema?.openAPIV3Schema);
      if (!schema) throw new Error(`${file}: ${names.kind} ${version.name} has no openAPIV3Schema`);
      for (const [path, value] of WIDEN[`${group}/${names.kind}/${version.name}`] ?? []) {
        const node = pointer(schema, path);
        if (!Array.isArray(node?.enum)) throw new Error(`${file}: ${path} is no enum: the widening is out of date`);
        if (!node.enum.includes(value)) node.enum.push(value);
      }
      const json = convert(schema);
      json.properties.apiVersion = { type: "string", enum: [`${group}/${version.name}`] };
      json.properties.kind = { type: "string", enum: [names.kind] };
      json.properties.metadata ??= { type: "object" };
      json.required = [...new Set([...(json.required ?? []), "apiVersion", "kind", "metadata"])];
      mkdirSync(join(outDir, group), { recursive: true });
      writeFileSync(join(outDir, group, `${names.kind.toLowerCase()}_${version.name}.json`), JSON.stringify(json, null, 1));
      written++;
    }
  }
}
if (written === 0) throw new Error("no CustomResourceDefinition found in " + files.join(" "));
console.log(`${written} schema(s) written to ${outDir}`);
