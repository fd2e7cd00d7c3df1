import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Step } from "../../local/scenario.js";
import { cli, type LocalDeployment, localDeployment, oncall, scenarioFile } from "./support.js";

/**
 * `driftwarden status` with work waiting for a person: an approval (the intranet load balancer's
 * HTTP listener forwards and the load balancer has no HTTPS listener, so the
 * redirect is asked about; scenario alb-no-https-listener-approved, before its
 * approve step) and two runtime exemptions, one ending within the week.
 */
const scenario = scenarioFile("alb-no-https-listener-approved");
const other = (id: string) =>
  `arn:aws:elasticloadbalancing:us-west-2:111122223333:listener/app/blog/1a2b3c4d5e6f7081/${id}`;

let deployment: LocalDeployment;

beforeAll(async () => {
  deployment = await localDeployment(scenario);
  await deployment.runtime.step(1, (scenario.steps as Step[])[0] as Step);
  for (const [resource, until, reason] of [
    [other("1111111111111111"), "2026-03-31", "migration to the new blog stack"],
    [other("2222222222222222"), "2026-01-04", "partner callback, INC-4211"],
  ] as const) {
    const added = await cli(
      ["exempt", "add", resource, "--control", "all", "--until", until, "--reason", reason],
      deployment.env,
    );
    if (added.code !== 0) throw new Error(added.stderr);
  }
}, 120_000);

afterAll(async () => {
  await deployment?.close();
});

describe("driftwarden status with work waiting", () => {
  it("lists the pending approval with how to decide it, and exemptions ending soon first", async () => {
    // Act
    const run = await cli(["status"], deployment.env);
    const json = await cli(["status", "--json"], deployment.env);

    // Assess
    expect(run.code, run.stderr).toBe(0);
    const status = JSON.parse(json.stdout);
    const id = status.pendingApprovals[0]?.id as string;
    expect(status.pendingApprovals.map((a: { resource: string }) => a.resource)).toEqual([
      "arn:aws:elasticloadbalancing:us-west-2:111122223333:listener/app/intranet/5a4b3c2d1e0f9a8b/7d6c5b4a39281706",
    ]);
    expect(run.stdout).toContain("Pending approvals (1)");
    expect(run.stdout).toContain(
      `decide: driftwarden approve ${id} | driftwarden reject ${id} --reason <text>`,
    );
    expect(run.stdout).toContain("no HTTPS listener");
    const exemptions = run.stdout.split("Exemptions in force (2)\n")[1]?.split("\n").slice(0, 4);
    expect(exemptions).toEqual([
      `  ENDS SOON runtime  every control  ${other("2222222222222222")}  until 2026-01-04`,
      `      "partner callback, INC-4211" by ${oncall.arn}`,
      `  runtime  every control  ${other("1111111111111111")}  until 2026-03-31`,
      `      "migration to the new blog stack" by ${oncall.arn}`,
    ]);
    expect(status.exemptions.map((e: { expiresWithinAWeek: boolean }) => e.expiresWithinAWeek)).toEqual([
      true,
      false,
    ]);
    expect(status.suspended).toEqual([]);
  });

  it("shows the last sweep run once a sweep has run, and refuses a sweep state machine that is not an ARN", async () => {
    // Prepare
    const before = JSON.parse((await cli(["status", "--json"], deployment.env)).stdout);
    await deployment.runtime.sweep();

    // Act
    const run = await cli(["status"], deployment.env);
    const json = JSON.parse((await cli(["status", "--json"], deployment.env)).stdout);
    const wrong = await cli(["status", "--sweep-state-machine", "driftwarden-sweep"], deployment.env);

    // Assess
    expect(before.lastSweepRun).toBeNull();
    expect(json.lastSweepRun).toEqual({
      name: expect.stringMatching(/^sweep-/),
      status: "SUCCEEDED",
      startedAt: expect.any(String),
      stoppedAt: expect.any(String),
    });
    expect(run.stdout).toMatch(/Last sweep \(schedule .+\)\n {2}ran [^\n]+: SUCCEEDED, ended /);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toContain('--sweep-state-machine: "driftwarden-sweep" is not a state machine ARN');
  });
});
