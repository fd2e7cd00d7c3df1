#!/usr/bin/env node
// npm links dependencies' commands into node_modules/.bin but never the project's own;
// linking `driftwarden` there lets tools that look for it (editors, hooks, `npm exec`) find it.
import { chmodSync, mkdirSync, rmSync, symlinkSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const target = join(root, "bin", "driftwarden.js");
const link = join(root, "node_modules", ".bin", "driftwarden");

mkdirSync(dirname(link), { recursive: true });
// force: also replaces a dangling link left by a moved checkout.
rmSync(link, { force: true });
symlinkSync(relative(dirname(link), target), link);
chmodSync(target, 0o755);
