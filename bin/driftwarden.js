#!/usr/bin/env node
// The CLI is TypeScript run through tsx, so a clone needs no build step before `npx driftwarden`.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const major = Number(process.versions.node.split(".")[0]);
const projectNode = fileURLToPath(new URL("../node_modules/node/bin/node", import.meta.url));
if (major < 22 && existsSync(projectNode)) {
  // Started by an older system Node (outside npm scripts): hand over to the project's Node 22.
  const child = spawn(projectNode, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: "inherit",
  });
  // Ctrl-C reaches the child from the terminal too; it answers it (one line, exit 2) and this process
  // reports its exit code. A signal sent to this process alone is passed on.
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
    process.on(signal, () => child.kill(signal));
  }
  child.on("exit", (code, signal) => {
    process.exit(code ?? (signal === "SIGINT" ? 130 : 1));
  });
} else {
  // Until the command has loaded (tsx compiling it can take seconds), Ctrl-C still ends it in one line.
  process.on("SIGINT", () => {
    process.stderr.write("driftwarden: interrupted (Ctrl-C) while starting; nothing was done.\n");
    process.exit(2);
  });
  const { register } = await import("tsx/esm/api");
  register();
  await import("../cli/main.ts");
}
