import { afterEach, describe, expect, it } from "vitest";
import { handler as remindersHandler } from "../../functions/approvals/reminders.js";
import { maxAttempts } from "../../functions/lib/aws.js";
import { ApprovalError } from "../../functions/lib/errors.js";
import { lambdaContext } from "../../local/stepfunctions.js";
import {
  formFields,
  get,
  type Harness,
  listenerArn,
  outcomes,
  post,
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
    expect(report.approvals.map((a) => a.status)).toEqual(["approved", "approved"]);
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
