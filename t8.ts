import { readFileSync } from "node:fs";
import { parseScenario } from "./local/scenario.js";
import { simulate } from "./local/simulate.js";
const raw = JSON.parse(readFileSync(process.argv[2]!, "utf8"));
const t = Date.now();
const r = await simulate(parseScenario(raw));
console.log(Date.now() - t, "ms");
console.log(JSON.stringify({ executions: r.executions.map((e) => [e.id, e.outcome]), calls: r.calls.map((c) => c.action), ignored: r.ignored.map((i) => [i.reason, i.detail?.slice(0, 60)]), audit: r.audit.map((a) => a.outcome), notifications: r.notifications.map((n) => n.attributes.outcome), errors: r.errors, faultsInjected: r.faultsInjected }, null, 1));
