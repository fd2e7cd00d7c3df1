#!/usr/bin/env node
// The CLI is TypeScript run through tsx, so a clone needs no build step before `npx driftwarden`.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const major = Number(process.versions.node.split(".")[0]);
const projectNode = fileURLToPath(new URL("../node_modules/node/bin/node", import.meta.url));
if (major < 22 && existsSync(projectNode)) {
  // Started by an older system Node (outside npm scripts): hand over to the project's Node 22.
  const result = spawnSync(projectNode, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: "inherit",
  });
  process.exit(result.status ?? 1);
}

const { register } = await import("tsx/esm/api");
register();
await import("../cli/main.ts");
