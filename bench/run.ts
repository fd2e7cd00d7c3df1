import { mkdir, writeFile } from "node:fs/promises";
import { measureBundles } from "./bundles.js";
import { measureEvents } from "./events.js";
import type { Figure } from "./figures.js";
import { measureSweep } from "./sweep.js";
import { measureTransitions } from "./transitions.js";

/**
 * `npm run bench`: every performance goal of driftwarden, measured (never
 * asserted in `npm test`): bundle sizes and cold imports against the floor of
 * the clients each function uses, intake's cost per event, a burst of events
 * on few resources, the sweep at account scale with and without AWS Config
 * (calls against the describe floor, simulated duration under the services'
 * rate limits), and the states an automatic fix passes. Prints one table and
 * writes bench/results.json. `npm run bench -- <part>...` runs some parts only
 * (and leaves results.json as it was).
 */
const parts: Record<string, () => Promise<Figure[]>> = {
  bundles: measureBundles,
  events: measureEvents,
  sweep: measureSweep,
  transitions: measureTransitions,
};

const wanted = process.argv.slice(2).filter((arg) => arg !== "--");
const unknown = wanted.filter((name) => !(name in parts));
if (unknown.length > 0) {
  process.stderr.write(
    `bench: unknown part ${unknown.join(", ")}; parts: ${Object.keys(parts).join(", ")}\n`,
  );
  process.exit(2);
}

const figures: Figure[] = [];
for (const [name, measure] of Object.entries(parts)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  process.stderr.write(`bench: measuring ${name}...\n`);
  figures.push(...(await measure()));
}

const rows = figures.map((f) => [
  f.name,
  `${Number.isInteger(f.value) ? f.value : f.value.toFixed(2)} ${f.unit}`,
  f.target,
  f.pass ? "pass" : "FAIL",
  f.note ?? "",
]);
const header = ["figure", "value", "target", "result", "note"];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
const line = (cells: string[]) =>
  cells
    .map((c, i) => c.padEnd(widths[i] ?? 0))
    .join("  ")
    .trimEnd();
process.stdout.write(
  `${[line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n")}\n`,
);

// Only a full run replaces bench/results.json: a partial one would drop the other figures.
if (wanted.length === 0) {
  await mkdir(new URL(".", import.meta.url), { recursive: true });
  await writeFile(
    new URL("./results.json", import.meta.url),
    `${JSON.stringify({ measuredAt: new Date().toISOString(), node: process.version, figures }, null, 2)}\n`,
  );
}
const failed = figures.filter((f) => !f.pass).length;
process.stdout.write(`${figures.length - failed} of ${figures.length} figures meet their goal\n`);
