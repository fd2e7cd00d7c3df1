import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { outcomes } from "../../functions/workflow/types.js";
import { parseScenario } from "../../local/scenario.js";
import { simulate } from "../../local/simulate.js";

/**
 * Every scenario in this folder runs through `simulate` (the real pipeline on the
 * sandbox). A scenario's `expect` block is a partial report: arrays must have
 * exactly the listed elements, each matching as a subset (vitest toMatchObject).
 */
const folder = fileURLToPath(new URL(".", import.meta.url));
const files = readdirSync(folder)
  .filter((file) => file.endsWith(".json"))
  .sort();

describe.each(files)("scenario %s", (file) => {
  const raw = JSON.parse(readFileSync(`${folder}/${file}`, "utf8")) as { expect?: Record<string, unknown> };

  it("ends as its expectations say, with one audit record per outcome", async () => {
    // Prepare
    const scenario = parseScenario(raw);

    // Act
    const report = await simulate(scenario);

    // Assess
    expect(raw.expect, `${file} has no "expect" block`).toBeDefined();
    expect(report).toMatchObject(raw.expect ?? {});
    for (const execution of report.executions) {
      expect(outcomes).toContain(execution.outcome);
      const records = report.audit.filter((record) => record.execution === execution.id);
      expect(records, `audit records of ${execution.id}`).toHaveLength(1);
      expect(records[0]?.outcome).toBe(execution.outcome);
    }
    expect(report.calls.length === 0 || report.executions.length > 0).toBe(true);
  });
});
