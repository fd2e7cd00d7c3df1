import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { isOutcomeRecord, listLedger } from "../../functions/audit/store.js";
import { controlIds } from "../../functions/controls/catalog.js";
import { listExemptions } from "../../functions/exemptions/store.js";
import type { Step } from "../../local/scenario.js";
import { cli, type LocalDeployment, localDeployment, oncall, scenarioFile } from "./support.js";

/**
 * `driftwarden exempt add|list|remove` run as a separate process against a
 * local runtime (the variables `npm start` prints): the ExemptionsTable items
 * the workflow reads, the caller's IAM identity, an audit record per change.
 * The account: shop-prod's HTTP listener, whose redirect someone is about to
 * put back to `forward` (scenario alb-redirect-restored, clock 2026-01-01).
 */
const scenario = scenarioFile("alb-redirect-restored");
const listener =
  "arn:aws:elasticloadbalancing:us-west-2:111122223333:listener/app/shop-prod/0f9e8d7c6b5a4930/8c7b6a5948372615";
const control = "alb-http-to-https-redirect";

let deployment: LocalDeployment;

const stores = () => ({
  exemptions: {
    table: deployment.runtime.resources.exemptionsTable,
    region: deployment.runtime.resources.region,
  },
  audit: { table: deployment.runtime.resources.auditTable, region: deployment.runtime.resources.region },
});

/** The scenario's own drift: the redirect put back to forward, and CloudTrail's event about it. */
async function driftHappens(): Promise<void> {
  for (const [index, step] of (scenario.steps as Step[]).entries())
    await deployment.runtime.step(index + 1, step);
}

describe("a runtime exemption through its life", () => {
  afterEach(async () => {
    await deployment?.close();
  });

  it("makes the execution exempt while it lasts, is audited with who added it, and once it expired the next sweep fixes", async () => {
    // Prepare
    deployment = await localDeployment(scenario);
    const added = await cli(
      [
        "exempt",
        "add",
        listener,
        "--control",
        control,
        "--until",
        "2026-01-02",
        "--reason",
        "blue/green cut-over",
      ],
      deployment.env,
    );

    // Act
    await driftHappens();
    const during = await deployment.runtime.report("exempt");
    await deployment.runtime.advance("P2D");
    await deployment.runtime.sweep();
    const after = await deployment.runtime.report("expired");

    // Assess: the add
    expect(added.code).toBe(0);
    expect(added.stdout).toContain(
      `Exempted ${listener} from ${control} until 2026-01-02 ("blue/green cut-over"), as ${oncall.arn}`,
    );
    expect(await listExemptions(stores().exemptions)).toEqual([
      {
        resource: listener,
        control,
        reason: "blue/green cut-over",
        expires: "2026-01-02",
        by: oncall.arn,
        createdAt: "2026-01-01T00:00:00.000Z",
      },
    ]);
    const ledger = await listLedger(stores().audit);
    expect(ledger[0]).toMatchObject({
      kind: "exemption",
      entry: "exemption-added",
      resource: listener,
      control,
      by: oncall.arn,
      exemption: { reason: "blue/green cut-over", expires: "2026-01-02" },
    });
    // Assess: while it lasts
    expect(during.executions.map((e) => e.outcome)).toEqual(["exempt"]);
    expect(during.calls).toEqual([]);
    expect(during.notifications).toEqual([]);
    expect(during.audit).toEqual([
      expect.objectContaining({
        outcome: "exempt",
        notes: [
          `Exempt: exempted at runtime by ${oncall.arn} until 2026-01-02T23:59:59.999Z: blue/green cut-over`,
        ],
      }),
    ]);
    // Assess: after it expired
    expect(after.executions.map((e) => e.outcome)).toEqual(["exempt", "fixed"]);
    expect(after.calls.map((c) => c.action)).toEqual(["ModifyListener"]);
    const fixed = after.notifications.find((n) => n.attributes.outcome === "fixed");
    expect(fixed?.message).toContain(
      `the runtime exemption added by ${oncall.arn} ("blue/green cut-over") expired on 2026-01-02`,
    );
  });

  it("lists, then removes: the removal is audited and the next drift is fixed", async () => {
    // Prepare
    deployment = await localDeployment(scenario);
    await cli(
      [
        "exempt",
        "add",
        "*",
        "--control",
        "all",
        "--until",
        "2026-01-05T12:00:00Z",
        "--reason",
        "incident INC-4411: freeze",
      ],
      deployment.env,
    );

    // Act
    const listed = await cli(["exempt", "list", "--resource", listener], deployment.env);
    const removed = await cli(["exempt", "remove", "*", "--control", "all"], deployment.env);
    const again = await cli(["exempt", "remove", "*", "--control", "all"], deployment.env);
    await driftHappens();
    const report = await deployment.runtime.report("removed");

    // Assess
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain("every resource  every control  until 2026-01-05T12:00:00Z");
    expect(listed.stdout).toContain(
      `by ${oncall.arn} at 2026-01-01T00:00:00.000Z: "incident INC-4411: freeze"`,
    );
    expect(removed.code).toBe(0);
    expect(removed.stdout).toContain(
      `Removed the exemption of every resource from every control (added by ${oncall.arn})`,
    );
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(
      "driftwarden exempt remove: there is no runtime exemption of every resource from every control: nothing was removed (see driftwarden exempt list)\n",
    );
    expect((await listLedger(stores().audit)).map((r) => (isOutcomeRecord(r) ? r.outcome : r.entry))).toEqual(
      ["exemption-added", "exemption-removed", "fixed"],
    );
    expect(report.executions.map((e) => e.outcome)).toEqual(["fixed"]);
  });
});

describe("exempt add refuses, with one line naming the option, and writes nothing", () => {
  beforeAll(async () => {
    deployment = await localDeployment(scenario);
  });

  afterAll(async () => {
    await deployment?.close();
  });

  const add = (overrides: Record<string, string | undefined>) => {
    const options = { "--control": control, "--until": "2026-01-03", "--reason": "migration", ...overrides };
    return [
      "exempt",
      "add",
      overrides.resource ?? listener,
      ...Object.entries(options).flatMap(([name, value]) =>
        name.startsWith("--") && value !== undefined ? [name, value] : [],
      ),
    ];
  };

  // Each case is its own CLI process and writes nothing, so they run side by side.
  it.concurrent.for([
    {
      name: "an unknown control (a typo)",
      args: add({ "--control": "alb-http-to-http-redirect" }),
      code: 2,
      stderr: `driftwarden exempt add: --control: "alb-http-to-http-redirect" is not a driftwarden control; one of ${controlIds.join(", ")}, or all`,
    },
    {
      name: "a date in the past",
      args: add({ "--until": "2025-12-31" }),
      code: 2,
      stderr: "driftwarden exempt add: --until: 2025-12-31 is in the past (now is 2026-01-01T00:00:00.000Z)",
    },
    {
      name: "an instant without its offset",
      args: add({ "--until": "2026-01-03T09:00" }),
      code: 2,
      stderr: 'driftwarden exempt add: --until: "2026-01-03T09:00" is not a date',
    },
    {
      name: "an expiry beyond the maximum",
      args: add({ "--until": "2026-06-01" }),
      code: 2,
      stderr: "driftwarden exempt add: --until: 2026-06-01 is more than P90D away (latest 2026-04-01)",
    },
    {
      name: "an empty reason",
      args: add({ "--reason": "  " }),
      code: 2,
      stderr: "driftwarden exempt add: --reason: say why the resource is exempt",
    },
    {
      name: "no reason at all",
      args: add({ "--reason": undefined }),
      code: 2,
      stderr: "error: required option '--reason <text>' not specified",
    },
    {
      name: "something that is not an ARN",
      args: add({ resource: "shop-prod" }),
      code: 2,
      stderr: 'driftwarden exempt add: resource: "shop-prod" is not a resource ARN',
    },
    {
      name: "a distribution for the load balancer control",
      args: add({ resource: "arn:aws:cloudfront::111122223333:distribution/E1QSDF4EXAMPLE" }),
      code: 2,
      stderr:
        "driftwarden exempt add: resource: alb-http-to-https-redirect judges elasticloadbalancing resources",
    },
  ])("$name", async ({ args, code, stderr }, { expect }) => {
    // Act
    const result = await cli(args, deployment.env);

    // Assess
    expect(result.code).toBe(code);
    expect(result.stderr).toContain(stderr);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(await listExemptions(stores().exemptions)).toEqual([]);
    expect(await listLedger(stores().audit)).toEqual([]);
  });

  it("says which table when none is given", async () => {
    // Act
    const result = await cli(add({}), { ...deployment.env, DRIFTWARDEN_EXEMPTIONS_TABLE: "" });

    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "driftwarden exempt add: which exemptions (--table) table? Pass its name (from the deploy output) as an option or set DRIFTWARDEN_EXEMPTIONS_TABLE\n",
    );
  });
});
