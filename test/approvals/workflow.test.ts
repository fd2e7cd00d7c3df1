import { afterEach, describe, expect, it } from "vitest";
import { handler as remindersHandler } from "../../functions/approvals/reminders.js";
import { decideApproval, listApprovals } from "../../functions/approvals/store.js";
import { maxAttempts } from "../../functions/lib/aws.js";
import { ApprovalError } from "../../functions/lib/errors.js";
import { LocalRuntime } from "../../local/runtime.js";
import { parseScenario } from "../../local/scenario.js";
import { lambdaContext } from "../../local/stepfunctions.js";
import {
  createListenerEvent,
  formFields,
  get,
  type Harness,
  listenerArn,
  outcomes,
  post,
  scenarioDocument,
  settleApprovals,
  startHarness,
} from "./support.js";

/**
 * What happens around a decision, through the whole local pipeline: the
 * approval binds to the plan it showed, an unanswered request reminds once
 * and then expires.
 */
let harness: Harness;

afterEach(async () => {
  await harness?.close();
});

const forwardTo = (targetGroup: string) => [
  {
    Type: "forward",
    TargetGroupArn: targetGroup,
    ForwardConfig: { TargetGroups: [{ TargetGroupArn: targetGroup, Weight: 1 }] },
  },
];
const canaryGroup =
  "arn:aws:elasticloadbalancing:us-west-2:111122223333:targetgroup/intranet-canary/0a1b2c3d4e5f6a7b";

async function approveFromPage(url: string, by: string) {
  const page = await get(url);
  const result = await post(url, { ...formFields(page.html), by });
  await settleApprovals(harness.runtime);
  return result;
}

const reminders = (h: Harness) =>
  h.runtime.sandbox.published.filter((p) => p.subject?.includes("APPROVAL REMINDER"));

describe("an approval binds to the plan it showed", () => {
  it("re-plans and asks again when the resource changed before the approval", async () => {
    // Prepare
    harness = await startHarness();
    await harness.runtime.call("elbv2", "ModifyListener", {
      ListenerArn: listenerArn,
      DefaultActions: forwardTo(canaryGroup),
    });

    // Act
    const first = await approveFromPage(harness.approveUrl, "dana@example.com");
    const [second] = await harness.runtime.pendingApprovals();
    const afterFirst = await harness.runtime.report("re-asked");

    // Assess
    expect(first.status).toBe(200);
    expect(second).toBeDefined();
    expect(second?.id).not.toBe(harness.approval.id);
    expect(second?.planDigest).not.toBe(harness.approval.planDigest);
    expect(JSON.stringify(second?.changes)).toContain(listenerArn);
    expect(afterFirst.calls).toEqual([]);
    expect(outcomes(afterFirst)).toEqual(["awaiting-approval"]);
    expect(afterFirst.notifications.filter((n) => n.subject.includes("APPROVAL NEEDED"))).toHaveLength(2);

    // Act: the re-asked request is approved as it stands
    await harness.runtime.decide("approved", "dana@example.com", { id: second?.id, channel: "web" });
    const report = await harness.runtime.report("fixed after re-ask");

    // Assess
    expect(outcomes(report)).toEqual(["fixed"]);
    expect(report.calls.map((c) => c.action)).toEqual(["ModifyListener"]);
    // The first request closed as superseded when its plan changed; the second is the one decided.
    expect(report.approvals.map((a) => a.status)).toEqual(["superseded", "approved"]);
  });

  it("ends compliant, changing nothing, when someone fixed it before the approval", async () => {
    // Prepare
    harness = await startHarness();
    await harness.runtime.call("elbv2", "ModifyListener", {
      ListenerArn: listenerArn,
      DefaultActions: [
        { Type: "redirect", RedirectConfig: { Protocol: "HTTPS", Port: "443", StatusCode: "HTTP_301" } },
      ],
    });

    // Act
    await approveFromPage(harness.approveUrl, "dana@example.com");
    const report = await harness.runtime.report("already fixed");

    // Assess
    expect(outcomes(report)).toEqual(["compliant"]);
    expect(report.calls).toEqual([]);
    expect(await harness.runtime.pendingApprovals()).toEqual([]);
  });

  it("applies the approved plan when nothing changed", async () => {
    // Prepare
    harness = await startHarness();

    // Act
    await approveFromPage(harness.approveUrl, "dana@example.com");
    const report = await harness.runtime.report("approved as shown");

    // Assess
    expect(outcomes(report)).toEqual(["fixed"]);
    expect(report.calls).toEqual([
      { service: "elbv2", action: "ModifyListener", input: harness.approval.changes[0]?.input },
    ]);
  });
});

describe("an unanswered approval", () => {
  it("reminds once when a quarter of the time is left, then expires and tells on-call", async () => {
    // Prepare
    harness = await startHarness();

    // Act
    await harness.runtime.advance("PT17H59M");
    const before = reminders(harness).length;
    await harness.runtime.advance("PT1M");
    const atReminder = await harness.record();
    await harness.runtime.advance("PT5H59M");
    const stillWaiting = outcomes(await harness.runtime.report("waiting"));
    await harness.runtime.advance("PT1M");
    const report = await harness.runtime.report("expired");

    // Assess
    expect(before).toBe(0);
    expect(atReminder).toMatchObject({
      reminded: true,
      remindedAt: "2026-03-02T03:00:10.000Z",
      status: "pending",
    });
    expect(stillWaiting).toEqual(["awaiting-approval"]);
    expect(outcomes(report)).toEqual(["approval-expired"]);
    expect((await harness.record())?.status).toBe("expired");
    const [reminder, ...more] = reminders(harness);
    expect(more).toEqual([]);
    expect(reminder?.subject).toContain("expires in 6 h 0 min");
    expect(reminder?.attributes).toMatchObject({ kind: "reminder", outcome: "awaiting-approval" });
    expect(reminder?.message).toContain(`Approve: ${harness.approveUrl}`);
    expect(reminder?.message).toContain(`Reject: ${harness.rejectUrl}`);
    expect(reminder?.message).not.toContain(harness.approval.token);
    const expiredEmail = report.notifications.find((n) => n.subject.includes("APPROVAL EXPIRED"));
    expect(expiredEmail?.message).toContain("Nobody decided within the approval timeout");
    expect(report.calls).toEqual([]);
  });

  it.each([
    { timeout: undefined, jump: "P2D", remindedAt: "2026-03-02T03:00:10.000Z" },
    { timeout: "PT1H", jump: "PT2H", remindedAt: "2026-03-01T09:45:10.000Z" },
    { timeout: "P4D", jump: "P5D", remindedAt: "2026-03-04T09:00:10.000Z" },
  ])(
    "with approvalTimeout $timeout, one jump past expiry still reminds at the 75% point first",
    async ({ timeout, jump, remindedAt }) => {
      // Prepare
      harness = await startHarness({ config: timeout ? { approvalTimeout: timeout } : {} });

      // Act
      await harness.runtime.advance(jump);
      const report = await harness.runtime.report("jumped");

      // Assess
      expect(outcomes(report)).toEqual(["approval-expired"]);
      const subjects = report.notifications.map((n) => n.subject.split(":")[0]);
      expect(subjects).toEqual([
        "[driftwarden] APPROVAL NEEDED",
        "[driftwarden] APPROVAL REMINDER",
        "[driftwarden] APPROVAL EXPIRED",
      ]);
      expect((await harness.record())?.remindedAt).toBe(remindedAt);
    },
  );

  it("is not reminded once decided", async () => {
    // Prepare
    harness = await startHarness();
    await harness.runtime.advance("PT1H");
    await approveFromPage(harness.approveUrl, "dana@example.com");

    // Act
    await harness.runtime.advance("P1D");

    // Assess
    expect(reminders(harness)).toEqual([]);
    expect(outcomes(await harness.runtime.report("decided"))).toEqual(["fixed"]);
  });

  it("sends one reminder however many reminder runs overlap", async () => {
    // Prepare: the clock moves without the runtime's own reminder run
    harness = await startHarness();
    harness.runtime.clock.advance("PT19H");

    // Act
    const runs = await Promise.all(
      [1, 2, 3].map(() => remindersHandler({}, lambdaContext("driftwarden-approval-reminders"))),
    );

    // Assess
    expect(runs.flatMap((run) => run.reminded)).toEqual([harness.approval.id]);
    expect(reminders(harness)).toHaveLength(1);
  });

  it("tries again on the next run when publishing the reminder failed", async () => {
    // Prepare
    harness = await startHarness();
    harness.runtime.clock.advance("PT19H");
    harness.runtime.sandbox.throttle({ service: "sns", action: "Publish", times: maxAttempts });

    // Act
    const failed = remindersHandler({}, lambdaContext("driftwarden-approval-reminders"));
    await expect(failed).rejects.toThrow(ApprovalError);
    const released = await harness.record();
    const retried = await remindersHandler({}, lambdaContext("driftwarden-approval-reminders"));

    // Assess
    expect(released?.reminded).toBeUndefined();
    expect(retried.reminded).toEqual([harness.approval.id]);
    expect(reminders(harness)).toHaveLength(1);
  });
});

describe("the workflow trusts the approvals table, not the task output", () => {
  it.each([
    [
      "SendTaskSuccess claiming an approval by a made-up person",
      "success",
      { decision: "approved", by: "mallory" },
    ],
    ["SendTaskSuccess claiming a rejection", "success", { decision: "rejected" }],
    ["SendTaskFailure with the rejection error", "failure", { by: "mallory" }],
  ] as const)("applies nothing after %s", async (_label, kind, output) => {
    // Prepare: whoever holds the task token (stolen from logs, say) completes the task directly
    harness = await startHarness();
    const token = (await harness.record())?.token ?? "";

    // Act
    if (kind === "success") {
      await harness.runtime.sfn.handle("SendTaskSuccess", {
        taskToken: token,
        output: JSON.stringify(output),
      });
    } else {
      await harness.runtime.sfn.handle("SendTaskFailure", {
        taskToken: token,
        error: "Driftwarden.Rejected",
        cause: JSON.stringify(output),
      });
    }
    await settleApprovals(harness.runtime);
    const report = await harness.runtime.report("forged");

    // Assess: the request still waits, decidable, with a fresh token and no second email
    expect(report.calls).toEqual([]);
    expect(outcomes(report)).toEqual(["awaiting-approval"]);
    const record = await harness.record();
    expect(record?.status).toBe("pending");
    expect(record?.token).not.toBe(token);
    expect(record?.expiresAt).toBe(harness.approval.expiresAt);
    expect(report.notifications.filter((n) => n.subject.includes("APPROVAL NEEDED"))).toHaveLength(1);
    expect(report.audit.map((a) => a.decision)).not.toContainEqual(
      expect.objectContaining({ by: "mallory" }),
    );

    // Act: on-call then decides for real
    await harness.runtime.decide("approved", "dana@example.com", { channel: "web" });
    const decided = await harness.runtime.report("decided");

    // Assess: the decider comes from the record, marked as typed on the page
    expect(outcomes(decided)).toEqual(["fixed"]);
    expect(decided.audit[0]?.decision).toMatchObject({
      kind: "approved",
      by: "dana@example.com",
      verified: false,
    });
  });

  it("expires at the request's own deadline even after a stray completion restarted the wait", async () => {
    // Prepare
    harness = await startHarness();
    await harness.runtime.advance("PT12H");
    const token = (await harness.record())?.token ?? "";
    await harness.runtime.sfn.handle("SendTaskSuccess", { taskToken: token, output: "{}" });
    await settleApprovals(harness.runtime);

    // Act
    await harness.runtime.advance("PT12H");
    const report = await harness.runtime.report("expired on time");

    // Assess
    expect(outcomes(report)).toEqual(["approval-expired"]);
    expect(report.audit[0]?.at).toBe(harness.approval.expiresAt);
  });
});

describe("a plan that flips A -> B -> A while on-call decides", () => {
  it("asks again with a fresh request each time, closing the old ones as superseded", async () => {
    // Prepare: plan A (redirect of the forward to intranet-tg) was asked for
    harness = await startHarness();
    const changeTo = (targetGroup: string) =>
      harness.runtime.call("elbv2", "ModifyListener", {
        ListenerArn: listenerArn,
        DefaultActions: forwardTo(targetGroup),
      });

    // Act: B, approve the A request; A again, approve the B request; then approve the A request asked anew
    await changeTo(canaryGroup);
    await harness.runtime.decide("approved", "dana@example.com", { channel: "web" });
    await settleApprovals(harness.runtime);
    await changeTo(
      "arn:aws:elasticloadbalancing:us-west-2:111122223333:targetgroup/intranet-tg/9f8e7d6c5b4a3921",
    );
    await harness.runtime.decide("approved", "dana@example.com", { channel: "web" });
    await settleApprovals(harness.runtime);
    const third = (await harness.runtime.pendingApprovals())[0];
    await harness.runtime.decide("approved", "erin@example.com", { channel: "web" });
    const report = await harness.runtime.report("flip-flop");

    // Assess
    expect(outcomes(report)).toEqual(["fixed"]);
    expect(report.approvals.map((a) => a.status)).toEqual(["superseded", "superseded", "approved"]);
    expect(new Set(report.approvals.map((a) => a.id)).size).toBe(3);
    expect(third?.id).not.toBe(harness.approval.id);
    expect(third?.planDigest).toBe(harness.approval.planDigest);
    expect(report.notifications.filter((n) => n.subject.includes("APPROVAL NEEDED"))).toHaveLength(3);
    expect(report.audit[0]?.decision).toMatchObject({ kind: "approved", by: "erin@example.com" });
    expect(report.calls.map((c) => c.action)).toEqual(["ModifyListener"]);
  });
});

describe("a decision that cannot reach the workflow", () => {
  it("is not recorded, says so, and stays decidable", async () => {
    // Prepare: Step Functions refuses the delivery past every retry
    harness = await startHarness();
    harness.runtime.sandbox.throttle({ service: "sfn", action: "SendTaskSuccess", times: 20 });

    // Act
    const attempt = harness.runtime.decide("approved", "dana@example.com", { channel: "web" });

    // Assess
    await expect(attempt).rejects.toThrow(
      /could not be delivered to the workflow.*still pending: decide again/,
    );
    expect((await harness.record())?.status).toBe("pending");
    expect((await harness.record())?.decidedBy).toBeUndefined();
  });

  it("tells a click after the task timed out that the request expired", async () => {
    // Prepare: the workflow stopped waiting
    harness = await startHarness();
    await harness.runtime.advance("PT24H");

    // Act
    const { resources, clock } = harness.runtime;
    const attempt = decideApproval(
      { table: resources.approvalsTable, region: resources.region, stateMachineRegion: resources.region },
      {
        id: harness.approval.id,
        decision: "approved",
        by: "dana@example.com",
        verified: false,
        via: { channel: "web" },
        now: clock.now(),
      },
    );

    // Assess
    await expect(attempt).rejects.toThrow(/expired/);
    expect((await harness.record())?.status).toBe("expired");
    expect(outcomes(await harness.runtime.report("expired"))).toEqual(["approval-expired"]);
  });
});

/** A task waiting on a token counts as idle locally while its function still retries: wait for the end. */
async function settleUntilEnded(runtime: LocalRuntime, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await runtime.settle();
    if ([...runtime.sfn.executions.values()].every((e) => e.status !== "RUNNING")) return;
    if (Date.now() > deadline) throw new Error("the execution did not end in time");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe("a request that never went out", () => {
  let runtime: LocalRuntime | undefined;
  afterEach(async () => {
    await runtime?.close();
    runtime = undefined;
  });

  it.each([
    ["SNS refuses Publish", "sns", "Publish"],
    ["KMS cannot sign the links", "kms", "GenerateMac"],
  ] as const)(
    "%s past every retry: closed as undelivered, not expired, and cannot be decided",
    async (_, service, action) => {
      // Prepare
      const scenario = parseScenario({
        ...scenarioDocument(),
        config: {},
        steps: [],
        faults: { seed: 1, rules: [{ service, action, serverError: 1 }] },
      });
      runtime = await LocalRuntime.start({
        account: scenario.account,
        region: scenario.region,
        clock: scenario.clock,
        config: scenario.config,
        state: scenario.state,
        ...(scenario.faults ? { faults: scenario.faults } : {}),
        // Links are signed (KMS GenerateMac) only when there is a page to link to.
        approvalUrl: "https://approvals.example.com/",
      });
      const store = { table: runtime.resources.approvalsTable, region: runtime.resources.region };

      // Act
      runtime.deliver(createListenerEvent());
      await settleUntilEnded(runtime);
      const [record] = await listApprovals(store, "undelivered");
      const attempt = decideApproval(
        { ...store, stateMachineRegion: runtime.resources.region },
        {
          id: record?.id ?? "none",
          decision: "approved",
          by: "dana@example.com",
          verified: false,
          via: { channel: "web" },
          now: runtime.clock.now(),
        },
      );

      // Assess
      expect(record?.notifiedAt).toBeUndefined();
      expect(await listApprovals(store, "expired")).toEqual([]);
      await expect(attempt).rejects.toThrow(/never sent to on-call/);
      const report = await runtime.report("never sent");
      expect(outcomes(report)).toEqual(["failed"]);
      expect(report.approvals).toEqual([]);
    },
  );
});
