// The `yaml` package, installed by scripts/deploy-tools.sh outside the repository (DEPLOY_CHECKS_NODE_MODULES is
// the directory holding its node_modules).
import { createRequire } from "node:module";
import { join } from "node:path";

const dir = process.env.DEPLOY_CHECKS_NODE_MODULES;
if (!dir) throw new Error("DEPLOY_CHECKS_NODE_MODULES is not set: run through scripts/check-deploy.sh");
const require = createRequire(join(dir, "package.json"));
export const YAML = require("yaml");
