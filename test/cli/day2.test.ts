import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listLedger } from "../../functions/audit/store.js";
import type { Step } from "../../local/scenario.js";
import { lines } from "./run.js";
import { cli, type LocalDeployment, localDeployment, oncall, scenarioFile } from "./support.js";

/**
 * `driftwarden status`, `history` and `resume` as an operator runs them: a
 * separate process against a local runtime (the variables `npm start` prints).
 * The account: Terraform keeps putting orders-api's HTTP listener back to
 * `forward`; after three fixes within the hour driftwarden suspends it
 * (scenario alb-flapping-suspended).
 */
const scenario = scenarioFile("alb-flapping-suspended");
const listener =
  "arn:aws:elasticloadbalancing:eu-central-1:111122223333:listener/app/orders-api/7c6b5a4f3e2d1c0b/2e3d4c5b6a798011";
const control = "alb-http-to-https-redirect";
const steps = scenario.steps as Step[];

let deployment: LocalDeployment;

beforeAll(async () => {
  deployment = await localDeployment(scenario);
  for (const [index, step] of steps.entries()) await deployment.runtime.step(index + 1, step);
}, 120_000);

afterAll(async () => {
  await deployment?.close();
});

/** Terraform reverts the fix once more: its ModifyListener, and CloudTrail's event about it (a new event id). */
async function terraformRevertsAgain(): Promise<void> {
  const call = steps[9] as Step;
  const event = structuredClone(steps[10]) as { event: Record<string, unknown> };
  event.event.id = "5f0c3a1e-9b7d-4c2a-8e6f-1a2b3c4d5e6f";
  await deployment.runtime.advance("PT5M");
  await deployment.runtime.step(steps.length + 1, call);
  await deployment.runtime.step(steps.length + 2, event as Step);
}

describe("status, history and resume against a running local deployment", () => {
  it("status names the suspended resource, who keeps reverting it and how to resume it", async () => {
    // Act
    const run = await cli(["status"], deployment.env);

    // Assess
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("Pending approvals (0)");
    expect(run.stdout).toContain("Suspended resources (1)");
    expect(run.stdout).toContain(
      `  ${control}  listener orders-api/2e3d4c5b6a798011  fixed 3 times since Mon 23 Mar 09:00 UTC`,
    );
    expect(run.stdout).toContain(
      "reverted by Terraform (from a Terraform user agent) as arn:aws:sts::111122223333:assumed-role/terraform-apply/atlantis-orders-api",
    );
    expect(run.stdout).toContain(`driftwarden resume ${control} ${listener}`);
    expect(run.stdout).toContain("Failed in the last day (0)");
  });

  it("status --json carries the same facts for scripts", async () => {
    // Act
    const run = await cli(["status", "--json"], deployment.env);

    // Assess
    expect(run.code, run.stderr).toBe(0);
    const status = JSON.parse(run.stdout);
    expect(
      status.suspended.map((s: { control: string; resource: string }) => [s.control, s.resource]),
    ).toEqual([[control, listener]]);
    expect(status.pendingApprovals).toEqual([]);
    expect(status.failedLastDay).toEqual([]);
  });

  it("history shows each outcome of the resource with time, control, change and who", async () => {
    // Act
    const run = await cli(["history", "--resource", listener], deployment.env);

    // Assess
    expect(run.code, run.stderr).toBe(0);
    const outcomes = run.stdout.split("\n").filter((line) => line.includes(`  ${control}  `));
    expect(outcomes).toEqual([
      `  Mon 23 Mar 09:00 UTC  ${control}  fixed`,
      `  Mon 23 Mar 09:12 UTC  ${control}  fixed`,
      `  Mon 23 Mar 09:24 UTC  ${control}  fixed`,
      `  Mon 23 Mar 09:36 UTC  ${control}  suspended`,
    ]);
    expect(run.stdout).toContain("change: ModifyListener on listener orders-api/2e3d4c5b6a798011 (made)");
    expect(run.stdout).toContain(
      "drifted by arn:aws:sts::111122223333:assumed-role/terraform-apply/atlantis-orders-api",
    );
  });

  it.each([
    { since: "2026-03-23T09:20:00Z", outcomes: ["fixed", "suspended"] },
    { since: "PT20M", outcomes: ["fixed", "suspended"] },
  ])("history --since $since keeps the records from then on", async ({ since, outcomes }) => {
    // Act
    const run = await cli(["history", "--resource", listener, "--since", since, "--json"], deployment.env);

    // Assess
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).map((r: { outcome: string }) => r.outcome)).toEqual(outcomes);
  });

  it.each([
    {
      name: "resume of a resource that is not suspended",
      args: ["resume", control, `${listener}0`],
      says: `driftwarden resume: ${listener}0 is not suspended by ${control}: 0 fixes in the last PT1H`,
    },
    {
      name: "resume with an unknown control",
      args: ["resume", "alb-redirect", listener],
      says: 'driftwarden resume: unknown control "alb-redirect"',
    },
    {
      name: "history of an unknown resource",
      args: ["history", "--resource", `${listener}0`],
      says: `driftwarden history: no audit records of ${listener}0 in`,
    },
    {
      name: "history since something that is no time",
      args: ["history", "--resource", listener, "--since", "yesterday"],
      says: 'driftwarden history: --since: "yesterday" is neither a date',
    },
  ])("$name: one line, exit code 2", async ({ args, says }) => {
    // Act
    const run = await cli(args, deployment.env);

    // Assess
    expect({ code: run.code, stdout: run.stdout }).toEqual({ code: 2, stdout: "" });
    expect(lines(run.stderr), run.stderr).toHaveLength(1);
    expect(run.stderr).toContain(says);
  });

  it.each([
    { command: ["status"], variable: "DRIFTWARDEN_HISTORY_TABLE", says: "the DRIFTWARDEN_*_TABLE variables" },
    {
      command: ["history", "--resource", listener],
      variable: "DRIFTWARDEN_AUDIT_TABLE",
      says: "--table or DRIFTWARDEN_AUDIT_TABLE",
    },
    {
      command: ["resume", control, listener],
      variable: "DRIFTWARDEN_HISTORY_TABLE",
      says: "DRIFTWARDEN_HISTORY_TABLE",
    },
  ])(
    "$command.0 with a wrong $variable: one line naming where the name comes from",
    async ({ command, variable, says }) => {
      // Act
      const run = await cli(command, { ...deployment.env, [variable]: "driftwarden-NoSuchTable" });

      // Assess
      expect({ code: run.code, stdout: run.stdout }).toEqual({ code: 2, stdout: "" });
      expect(lines(run.stderr), run.stderr).toHaveLength(1);
      expect(run.stderr).toContain("was not found in eu-central-1 (ResourceNotFoundException)");
      expect(run.stderr).toContain(says);
    },
  );

  it("resume lifts the suspension, is audited with the caller's identity, and the next drift is fixed again", async () => {
    // Act
    const resumed = await cli(["resume", control, listener], deployment.env);
    const status = await cli(["status", "--json"], deployment.env);
    await terraformRevertsAgain();
    const report = await deployment.runtime.report("after resume");

    // Assess
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain(`Resumed ${control} on ${listener} as ${oncall.arn}`);
    const ledger = await listLedger({
      table: deployment.runtime.resources.auditTable,
      region: deployment.runtime.resources.region,
    });
    const lifted = ledger.find((record) => record.kind === "resume");
    expect(lifted).toMatchObject({
      entry: "suspension-lifted",
      control,
      resource: listener,
      by: oncall.arn,
      suspension: { fixes: 3 },
    });
    expect(JSON.parse(status.stdout).suspended).toEqual([]);
    expect(report.executions.map((e) => e.outcome)).toEqual([
      "fixed",
      "fixed",
      "fixed",
      "suspended",
      "fixed",
    ]);
    expect(report.calls.filter((c) => c.action === "ModifyListener")).toHaveLength(4);
  }, 120_000);
});

describe("status, history and resume without AWS set up", () => {
  const empty = join(tmpdir(), `driftwarden-day2-empty-aws-config-${process.pid}`);
  writeFileSync(empty, "");
  const noCredentials = {
    AWS_REGION: "eu-west-1",
    AWS_CONFIG_FILE: empty,
    AWS_SHARED_CREDENTIALS_FILE: empty,
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_ACCESS_KEY_ID: "",
    AWS_SECRET_ACCESS_KEY: "",
    AWS_SESSION_TOKEN: "",
    DRIFTWARDEN_LOCAL_ENDPOINT: "",
    DRIFTWARDEN_APPROVALS_TABLE: "driftwarden-ApprovalsTable",
    DRIFTWARDEN_EXEMPTIONS_TABLE: "driftwarden-ExemptionsTable",
    DRIFTWARDEN_HISTORY_TABLE: "driftwarden-FixHistoryTable",
    DRIFTWARDEN_AUDIT_TABLE: "driftwarden-AuditTable",
  };

  it.each([
    { command: ["status"], says: "driftwarden status: no AWS credentials found" },
    { command: ["history", "--resource", listener], says: "driftwarden history: no AWS credentials found" },
    { command: ["resume", control, listener], says: "driftwarden resume: no AWS credentials found" },
  ])(
    "$command.0 with no credentials: one line, exit code 2",
    async ({ command, says }) => {
      // Act
      const run = await cli(command, noCredentials);

      // Assess
      expect({ code: run.code, stdout: run.stdout }).toEqual({ code: 2, stdout: "" });
      expect(lines(run.stderr), run.stderr).toHaveLength(1);
      expect(run.stderr).toContain(says);
    },
    60_000,
  );

  it("status without the fix history table names the variable to set", async () => {
    // Act
    const run = await cli(["status"], { ...noCredentials, DRIFTWARDEN_HISTORY_TABLE: "" });

    // Assess
    expect(run.code).toBe(2);
    expect(lines(run.stderr)).toEqual([
      "driftwarden status: which fix history (--history-table) table? Pass its name (from the deploy output) as an option or set DRIFTWARDEN_HISTORY_TABLE",
    ]);
  });
});
