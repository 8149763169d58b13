// Prints the rule groups of a PrometheusRule as a Prometheus rule file, for `promtool check rules`.
//   node extract-rules.mjs k8s/components/monitoring/prometheusrule.yaml > rules.yml
import { readFileSync } from "node:fs";
import { YAML } from "./lib/yaml.mjs";

const rule = YAML.parse(readFileSync(process.argv[2], "utf8"));
if (rule?.kind !== "PrometheusRule" || !Array.isArray(rule.spec?.groups)) throw new Error(`${process.argv[2]}: no PrometheusRule with groups`);
process.stdout.write(YAML.stringify({ groups: rule.spec.groups }));
