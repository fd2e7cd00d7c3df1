import { afterEach, describe, expect, it } from "vitest";
import { type DriftwardenConfig, parseConfig } from "../../functions/lib/config.js";
import { demoAccount, demoState, forwardTo, intranet, shop } from "../../local/demo-account.js";
import { LocalRuntime } from "../../local/runtime.js";
import { assumedRole } from "../../local/sandbox/identity.js";

/**
 * Every branch of the remediation workflow, executed by aws-local-stepfunctions
 * from the deployed definition against the deployed step handlers, on the
 * sandbox account. Each test makes the drift happen the way people do (a call
 * plus its CloudTrail event) and reads the outcome the way on-call would.
 */
let runtime: LocalRuntime | undefined;

afterEach(async () => {
  await runtime?.close();
  runtime = undefined;
});

const alice = assumedRole(`arn:aws:iam::${demoAccount.account}:role/Admin`, "alice", {
  sourceIp: "203.0.113.24",
  userAgent: "AWS Internal",
});

async function start(config: Record<string, unknown> = {}): Promise<LocalRuntime> {
  runtime = await LocalRuntime.start({
    ...demoAccount,
    config: parseConfig({ homeRegion: demoAccount.region, ...config }) as DriftwardenConfig,
    state: structuredClone(demoState) as never,
  });
  return runtime;
}

async function driftShop(rt: LocalRuntime): Promise<void> {
  await rt.change(
    "elbv2",
    "ModifyListener",
    { ListenerArn: shop.httpListener, DefaultActions: forwardTo(shop.targetGroup) },
    alice,
  );
}

/** The drift happens first; AWS starts throttling before its CloudTrail event reaches driftwarden. */
async function driftShopThenThrottle(rt: LocalRuntime, times: number): Promise<void> {
  await rt.sandbox.call(
    "elbv2",
    "ModifyListener",
    { ListenerArn: shop.httpListener, DefaultActions: forwardTo(shop.targetGroup) },
    alice,
  );
  const drift = rt.sandbox.mutations.at(-1);
  if (!drift) throw new Error("the drift was not recorded");
  rt.sandbox.throttle({ service: "elbv2", action: "ModifyListener", times });
  rt.deliver(rt.sandbox.cloudTrailEvent(drift) as Record<string, unknown>);
  await rt.settle();
}

async function httpOnlyIntranet(rt: LocalRuntime): Promise<string> {
  const output = (await rt.change(
    "elbv2",
    "CreateListener",
    {
      LoadBalancerArn: intranet.loadBalancer,
      Port: 80,
      Protocol: "HTTP",
      DefaultActions: forwardTo(intranet.targetGroup),
    },
    alice,
  )) as { Listeners: { ListenerArn: string }[] };
  return output.Listeners[0]?.ListenerArn ?? "";
}

async function outcomes(rt: LocalRuntime) {
  const report = await rt.report("branches");
  return { report, outcomes: report.executions.map((e) => e.outcome) };
}

type Report = Awaited<ReturnType<LocalRuntime["report"]>>;

function defaultActionType(report: Report, listenerArn: string): string | undefined {
  const listeners = (report.state.elbv2?.listeners ?? []) as {
    ListenerArn: string;
    DefaultActions: { Type: string }[];
  }[];
  return listeners.find((l) => l.ListenerArn === listenerArn)?.DefaultActions[0]?.Type;
}

const shopDefaultAction = (report: Report) => defaultActionType(report, shop.httpListener);

describe("remediation workflow branches", () => {
  it("fixes low-risk drift automatically, verifies it, audits and notifies", async () => {
    // Prepare
    const rt = await start();

    // Act
    await driftShop(rt);

    // Assess
    const { report, outcomes: seen } = await outcomes(rt);
    expect(seen).toEqual(["fixed"]);
    expect(shopDefaultAction(report)).toBe("redirect");
    expect(report.audit).toMatchObject([{ outcome: "fixed", decision: { kind: "automatic" } }]);
    expect(report.notifications[0]?.message).toContain(
      'Changed by: "arn:aws:sts::111122223333:assumed-role/Admin/alice"',
    );
    expect(report.notifications[0]?.message).toContain('Source IP: "203.0.113.24"');
    expect(report.notifications[0]?.message).toContain(`Audit id: ${report.executions[0]?.id}`);
  });

  it("starts nothing, changes nothing and emails nobody when nothing drifted", async () => {
    // Prepare
    const rt = await start();

    // Act: a change that keeps the redirect (a new status code) is still compliant
    await rt.change(
      "elbv2",
      "ModifyListener",
      {
        ListenerArn: shop.httpListener,
        DefaultActions: [
          { Type: "redirect", RedirectConfig: { Protocol: "HTTPS", Port: "443", StatusCode: "HTTP_302" } },
        ],
      },
      alice,
    );

    // Assess: intake re-read the listener and found it compliant, with no workflow open for it
    const { report, outcomes: seen } = await outcomes(rt);
    expect(seen).toEqual([]);
    // The TLS policy control, triggered by the same call, has no HTTPS listener to judge here.
    expect(report.ignored).toMatchObject([
      { reason: "compliant", detail: expect.stringMatching(/redirects to HTTPS/) },
      {
        reason: "not-relevant",
        detail: expect.stringMatching(/only HTTPS listeners have a TLS security policy/),
      },
    ]);
    expect(report.calls).toEqual([]);
    expect(report.notifications).toEqual([]);
    expect(report.audit).toEqual([]);
  });

  it.each([
    ["approved", "fixed", "redirect"],
    ["rejected", "rejected", "forward"],
  ] as const)("asks on-call for a risky fix; %s ends %s", async (decision, outcome, finalAction) => {
    // Prepare
    const rt = await start();
    const listener = await httpOnlyIntranet(rt);
    expect((await outcomes(rt)).outcomes).toEqual(["awaiting-approval"]);

    // Act
    await rt.decide(decision, "oncall@example.com", { reason: "not during the sale" });

    // Assess
    const { report, outcomes: seen } = await outcomes(rt);
    expect(seen).toEqual([outcome]);
    expect(defaultActionType(report, listener)).toBe(finalAction);
    expect(report.approvals).toMatchObject([{ status: decision, by: "oncall@example.com" }]);
    expect(report.audit).toMatchObject([{ outcome, decision: { kind: decision, by: "oncall@example.com" } }]);
    expect(report.notifications.map((n) => n.attributes.outcome)).toEqual(["awaiting-approval", outcome]);
  });

  it("expires an approval nobody decided within the configured timeout", async () => {
    // Prepare
    const rt = await start({ approvalTimeout: "PT2H" });
    await httpOnlyIntranet(rt);

    // Act
    await rt.advance("PT1H");
    const halfway = (await outcomes(rt)).outcomes;
    await rt.advance("PT1H30M");

    // Assess
    const { report, outcomes: seen } = await outcomes(rt);
    expect(halfway).toEqual(["awaiting-approval"]);
    expect(seen).toEqual(["approval-expired"]);
    expect(report.approvals).toMatchObject([{ status: "expired" }]);
    expect(report.notifications.map((n) => n.attributes.outcome)).toContain("approval-expired");
    await expect(rt.decide("approved", "late@example.com")).rejects.toThrow(/no pending approval/);
  });

  it("does not apply an approved plan when the resource changed meanwhile: it re-plans", async () => {
    // Prepare: approval requested because intranet has no HTTPS listener
    const rt = await start();
    const listener = await httpOnlyIntranet(rt);
    await rt.call("elbv2", "CreateListener", {
      LoadBalancerArn: intranet.loadBalancer,
      Port: 8443,
      Protocol: "HTTPS",
      Certificates: [{ CertificateArn: "arn:aws:acm:eu-west-1:111122223333:certificate/abc" }],
      DefaultActions: forwardTo(intranet.targetGroup),
    });

    // Act
    await rt.decide("approved", "oncall@example.com");

    // Assess: the new plan redirects to the HTTPS listener that now exists
    const { report, outcomes: seen } = await outcomes(rt);
    expect(seen).toEqual(["fixed"]);
    expect(report.calls).toMatchObject([
      {
        action: "ModifyListener",
        input: { ListenerArn: listener, DefaultActions: [{ RedirectConfig: { Port: "8443" } }] },
      },
    ]);
  });

  it("ends compliant after approval when someone fixed it by hand meanwhile", async () => {
    // Prepare
    const rt = await start();
    const listener = await httpOnlyIntranet(rt);
    await rt.call("elbv2", "ModifyListener", {
      ListenerArn: listener,
      DefaultActions: [
        { Type: "redirect", RedirectConfig: { Protocol: "HTTPS", Port: "443", StatusCode: "HTTP_301" } },
      ],
    });

    // Act
    await rt.decide("approved", "oncall@example.com");

    // Assess
    const { report, outcomes: seen } = await outcomes(rt);
    expect(seen).toEqual(["compliant"]);
    expect(report.calls).toEqual([]);
  });

  it("ends compliant at the timeout when someone fixed it by hand meanwhile, with no expired email", async () => {
    // Prepare
    const rt = await start({ approvalTimeout: "PT2H" });
    const listener = await httpOnlyIntranet(rt);
    await rt.call("elbv2", "ModifyListener", {
      ListenerArn: listener,
      DefaultActions: [
        { Type: "redirect", RedirectConfig: { Protocol: "HTTPS", Port: "443", StatusCode: "HTTP_301" } },
      ],
    });

    // Act
    await rt.advance("PT2H30M");

    // Assess
    const { report, outcomes: seen } = await outcomes(rt);
    expect(seen).toEqual(["compliant"]);
    expect(report.calls).toEqual([]);
    expect(report.approvals).toMatchObject([{ status: "expired" }]);
    expect(report.notifications.map((n) => n.attributes.outcome)).not.toContain("approval-expired");
    await expect(rt.decide("approved", "late@example.com")).rejects.toThrow(/no pending approval/);
  });

  it("in off mode looks at nothing: the drift starts no workflow, writes no record, sends no email", async () => {
    // Prepare
    const rt = await start({ controls: { "alb-http-to-https-redirect": { mode: "off" } } });

    // Act
    await driftShop(rt);

    // Assess
    const { report } = await outcomes(rt);
    expect(report.executions).toEqual([]);
    expect(report.audit).toEqual([]);
    expect(report.notifications).toEqual([]);
    expect(report.ignored.map((entry) => entry.reason)).toEqual(["not-relevant"]);
    expect(shopDefaultAction(report)).toBe("forward");
  });

  it.each([["report", "reported", 1]] as const)(
    "in %s mode ends %s and changes nothing",
    async (mode, outcome, emails) => {
      // Prepare
      const rt = await start({ controls: { "alb-http-to-https-redirect": { mode } } });

      // Act
      await driftShop(rt);

      // Assess
      const { report, outcomes: seen } = await outcomes(rt);
      expect(seen).toEqual([outcome]);
      expect(report.calls).toEqual([]);
      expect(report.notifications).toHaveLength(emails);
      expect(shopDefaultAction(report)).toBe("forward");
    },
  );

  it("asks for every fix in approve-all mode", async () => {
    // Prepare
    const rt = await start({ controls: { "alb-http-to-https-redirect": { mode: "approve-all" } } });

    // Act
    await driftShop(rt);

    // Assess
    const { report, outcomes: seen } = await outcomes(rt);
    expect(seen).toEqual(["awaiting-approval"]);
    expect(report.approvals[0]?.reasons[0]).toMatch(/approve-all/);
  });

  it("retries apply on throttling with backoff and still fixes", async () => {
    // Prepare
    const rt = await start();

    // Act
    await driftShopThenThrottle(rt, 2);

    // Assess: CloudTrail recorded the two refused attempts as well; the pipeline ignores them (the
    // drift's own event is not-relevant to alb-tls-policy: the listener it names is not HTTPS)
    const { report, outcomes: seen } = await outcomes(rt);
    expect(seen).toEqual(["fixed"]);
    expect(report.ignored.map((i) => i.reason)).toEqual([
      "not-relevant",
      "failed-call",
      "failed-call",
      "own-change",
    ]);
  });

  it("ends failed, audited and notified when AWS keeps refusing the fix", async () => {
    // Prepare
    const rt = await start();

    // Act
    await driftShopThenThrottle(rt, 50);

    // Assess
    const { report, outcomes: seen } = await outcomes(rt);
    expect(seen).toEqual(["failed"]);
    expect(report.audit).toMatchObject([{ outcome: "failed", error: { name: "Throttling" } }]);
    expect(report.notifications.map((n) => n.attributes.outcome)).toEqual(["failed"]);
    expect(report.notifications[0]?.message).toContain("Error: Throttling");
  });

  it("ends failed when the fix does not hold on re-reading (something fights it)", async () => {
    // Prepare: a deploy tool that puts `forward` back the instant driftwarden redirects
    const rt = await start();
    const tool = assumedRole("arn:aws:iam::111122223333:role/eb-deployer", "beanstalk");
    rt.sandbox.onMutation((mutation) => {
      if (
        mutation.identity.sessionIssuerArn === rt.remediator.sessionIssuerArn &&
        mutation.action === "ModifyListener"
      ) {
        void rt.sandbox.call(
          "elbv2",
          "ModifyListener",
          { ListenerArn: shop.httpListener, DefaultActions: forwardTo(shop.targetGroup) },
          tool,
        );
      }
    });

    // Act
    await driftShop(rt);

    // Assess
    const { report, outcomes: seen } = await outcomes(rt);
    expect(seen).toEqual(["failed"]);
    expect(report.audit).toMatchObject([{ outcome: "failed", error: { name: "VerificationFailed" } }]);
  });

  it("suspends automatic fixing of a resource that keeps drifting back", async () => {
    // Prepare
    const rt = await start({ flapping: { maxFixes: 2, window: "PT1H" } });

    // Act: three drifts in a few minutes
    for (let i = 0; i < 3; i++) {
      await driftShop(rt);
      await rt.advance("PT5M");
    }

    // Assess
    const { report, outcomes: seen } = await outcomes(rt);
    expect(seen).toEqual(["fixed", "fixed", "suspended"]);
    const suspended = report.notifications.find((n) => n.attributes.outcome === "suspended");
    expect(suspended?.message).toContain("assumed-role/Admin/alice");
  });
});

describe("recording outcomes", () => {
  it("retries the email when SNS throttles, so the outcome is still notified once", async () => {
    // Prepare
    const rt = await start();
    rt.sandbox.throttle({ service: "sns", action: "Publish", times: 2 });

    // Act
    await driftShop(rt);

    // Assess
    const { report, outcomes: seen } = await outcomes(rt);
    expect(seen).toEqual(["fixed"]);
    expect(report.notifications.map((n) => n.attributes.outcome)).toEqual(["fixed"]);
    expect(report.audit).toHaveLength(1);
  });
});

describe("several approvals at once", () => {
  it("decides the oldest request first, in the order the drifts happened", async () => {
    // Prepare: two risky drifts in one go (the same sandbox instant)
    const rt = await start();
    const first = await httpOnlyIntranet(rt);
    await rt.call("elbv2", "DeleteListener", { ListenerArn: shop.httpsListener });
    await driftShop(rt);

    // Act
    const [oldest] = await rt.pendingApprovals();
    await rt.decide("rejected", "oncall@example.com", { reason: "intranet is internal" });

    // Assess
    expect(oldest?.resource).toBe(first);
    const { report } = await outcomes(rt);
    const byResource = Object.fromEntries(report.executions.map((e) => [e.resource, e.outcome]));
    expect(byResource[first]).toBe("rejected");
    expect(byResource[shop.httpListener]).toBe("awaiting-approval");
  });
});
