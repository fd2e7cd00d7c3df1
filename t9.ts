import { readFileSync } from "node:fs";
import { parseScenario } from "./local/scenario.js";
import { simulate } from "./local/simulate.js";
const raw = JSON.parse(readFileSync(process.argv[2]!, "utf8"));
for (const seed of [1, 2, 3, 4, 5, 6]) {
  raw.faults = { seed, rules: [{ service: "*", action: "*", throttle: 0.3, serverError: 0.05 }] };
  const t = Date.now();
  const r = await simulate(parseScenario(raw));
  console.log(seed, Date.now() - t, "ms", JSON.stringify({ ex: r.executions.map((e) => e.outcome), calls: r.calls.map((c) => c.action), ign: r.ignored.map((i) => i.reason), audit: r.audit.length, errors: r.errors.map((e) => e.message.slice(0, 120)), f: r.faultsInjected }));
}
