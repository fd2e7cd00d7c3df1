import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readRecord, recordKey } from "../../functions/audit/store.js";
import { clients } from "../../functions/lib/aws.js";
import type { Step } from "../../local/scenario.js";
import { cli, type LocalDeployment, localDeployment, scenarioFile } from "./support.js";

/**
 * `driftwarden audit verify` and `audit list` run as a separate process
 * against a local runtime, as an operator runs them against AWS: the ledger
 * holds the fix of shop-prod's listener, sealed by the reminders schedule.
 */
const scenario = scenarioFile("alb-redirect-restored");
const listener =
  "arn:aws:elasticloadbalancing:us-west-2:111122223333:listener/app/shop-prod/0f9e8d7c6b5a4930/8c7b6a5948372615";

let deployment: LocalDeployment;

beforeEach(async () => {
  deployment = await localDeployment(scenario);
  for (const [index, step] of (scenario.steps as Step[]).entries())
    await deployment.runtime.step(index + 1, step);
  // The scheduled run (reminders, outbox, seal), as EventBridge Scheduler invokes it.
  await deployment.runtime.remind();
});

afterEach(async () => {
  await deployment?.close();
});

describe("driftwarden audit verify", () => {
  it("passes an untouched, sealed ledger", async () => {
    // Act
    const result = await cli(["audit", "verify"], deployment.env);

    // Assess
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("1 records, 1 seals; the last valid seal (1) covers records 1-1");
    expect(result.stdout).toContain("OK: every record and seal verifies.");
  });

  it("names a record changed behind driftwarden's back and exits 1", async () => {
    // Prepare: someone with write access to the table turns the fix into "compliant"
    const { auditTable, region } = deployment.runtime.resources;
    const record = await readRecord({ table: auditTable, region }, 1);
    await clients.dynamo(region).send(
      new PutCommand({
        TableName: auditTable,
        Item: { ...record, pk: recordKey(1), outcome: "compliant" },
      }),
    );

    // Act
    const result = await cli(["audit", "verify"], deployment.env);

    // Assess
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /^TAMPERED {2}record 1 \(.+, outcome compliant, .+\) was changed: its content no longer matches its hash$/m,
    );
    expect(result.stdout).toContain("is not the record seal 1 signed");
    expect(result.stdout).toContain("NOT OK: 2 problems found.");
    expect(result.stderr).toBe(
      `driftwarden audit verify: the audit ledger ${auditTable} failed verification: 2 problems (listed above)\n`,
    );
  });

  it("needs the deployment's seal key: a seal cannot vouch for itself", async () => {
    // Act
    const result = await cli(["audit", "verify"], { ...deployment.env, DRIFTWARDEN_AUDIT_SEAL_KEY: "" });

    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      "which seal key? Pass --seal-key <arn> or set DRIFTWARDEN_AUDIT_SEAL_KEY",
    );
  });
});

describe("driftwarden audit list", () => {
  it.each([
    { name: "every record", args: [], shows: ["fixed  alb-http-to-https-redirect", listener] },
    { name: "a resource's records", args: ["--resource", listener], shows: ["fixed", "decision automatic"] },
    {
      name: "nothing since a later day",
      args: ["--since", "2026-01-02"],
      shows: ["No audit records since 2026-01-02T00:00:00.000Z."],
    },
    {
      name: "nothing of another resource",
      args: ["--resource", `${listener}0`],
      shows: ["No audit records of"],
    },
  ])("lists $name", async ({ args, shows }) => {
    // Act
    const result = await cli(["audit", "list", ...args], deployment.env);

    // Assess
    expect(result.code).toBe(0);
    for (const text of shows) expect(result.stdout).toContain(text);
  });

  it("refuses a --since that is not a date, in one line", async () => {
    // Act
    const result = await cli(["audit", "list", "--since", "yesterday"], deployment.env);

    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'driftwarden audit list: --since: "yesterday" is not a date (2026-03-01) or a date and time with its offset (2026-03-01T09:00:00Z)\n',
    );
  });
});
