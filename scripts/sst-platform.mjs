#!/usr/bin/env node
// Installs SST's platform (component sources and `config.d.ts`) from npm when it is
// missing, so `tsc -p infra/tsconfig.json` can type-check infra against the real
// component arguments. `sst install` fetches providers from npm; no Pulumi download is needed.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const marker = join(root, ".sst", "platform", "config.d.ts");

if (existsSync(marker)) process.exit(0);

console.log("SST platform missing: running `sst install --stage ci` (about 40 s)");
const result = spawnSync("npx", ["sst", "install", "--stage", "ci"], {
  cwd: root,
  stdio: "inherit",
  env: {
    ...process.env,
    // Pulumi and Bun are only needed to deploy; type-checking needs the platform alone.
    SST_SKIP_DEPENDENCY_CHECK: "1",
    SST_NO_BUN: "1",
    SST_TELEMETRY_DISABLED: "1",
  },
});
if (result.error) {
  console.error(`could not run sst install: ${result.error.message}`);
  process.exit(1);
}
if (result.status !== 0 || !existsSync(marker)) {
  console.error(`sst install did not produce ${marker} (exit code ${result.status})`);
  process.exit(result.status || 1);
}
