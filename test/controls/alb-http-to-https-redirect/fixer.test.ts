import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { albHttpToHttpsRedirect as control } from "../../../functions/controls/alb-http-to-https-redirect/index.js";
import { MalformedInputError } from "../../../functions/lib/errors.js";
import { fixture, HTTP_LISTENER, httpsRedirect, RULE_ACME, RULE_API } from "./builders.js";
import { FakeElbv2 } from "./fake-elbv2.js";
import { context, INTRANET_LISTENER, world } from "./world.js";

let elbv2: FakeElbv2;

beforeEach(() => {
  elbv2 = new FakeElbv2(world()).install();
});

afterEach(() => {
  elbv2.uninstall();
});

/** Replays the shared scenario's drift: someone points the HTTP listener at the target group. */
function driftShopProd(): void {
  const scenario = fixture<{ steps: { call?: { input: { DefaultActions: unknown } } }[] }>(
    "alb-redirect-restored.json",
  );
  const call = scenario.steps[0]?.call;
  const listener = elbv2.listener(HTTP_LISTENER);
  if (!call || !listener) throw new Error("fixture no longer holds the ModifyListener step");
  listener.DefaultActions = call.input.DefaultActions as typeof listener.DefaultActions;
}

const modifyListener = (listenerArn: string) => ({
  service: "elbv2" as const,
  action: "ModifyListener",
  input: { ListenerArn: listenerArn, DefaultActions: [httpsRedirect()] },
});
const modifyRule = (ruleArn: string) => ({
  service: "elbv2" as const,
  action: "ModifyRule",
  input: { RuleArn: ruleArn, Actions: [httpsRedirect()] },
});

describe("execute", () => {
  it("makes exactly each planned call and returns it", async () => {
    // Prepare
    driftShopProd();
    const ctx = context();
    const snapshot = await control.collect(ctx, HTTP_LISTENER);
    if (!snapshot) throw new Error("listener missing");
    const planned = control.plan(snapshot, {});
    elbv2.calls.length = 0;

    // Act
    const made = [];
    for (const change of planned) made.push(await control.execute(ctx, HTTP_LISTENER, change));

    // Assess
    expect(made).toEqual(planned);
    expect(made.map((c) => c?.action)).toEqual(["ModifyListener", "ModifyRule"]);
    expect(elbv2.calls.map(({ command, input }) => ({ command, input }))).toEqual(
      planned.map((c) => ({ command: c.action, input: c.input })),
    );
    expect(elbv2.listener(HTTP_LISTENER)?.DefaultActions).toEqual([httpsRedirect()]);
    expect(elbv2.rule(RULE_API)?.Actions).toEqual([httpsRedirect()]);
    // The ACME rule keeps serving HTTP-01 challenges over plain HTTP.
    expect(elbv2.rule(RULE_ACME)?.Actions?.[0]?.Type).toBe("forward");
  });

  it("lets Throttling propagate under its SDK name, having changed nothing", async () => {
    // Prepare
    driftShopProd();
    elbv2.throttleNext("ModifyListener");

    // Act
    const attempt = control.execute(context(), HTTP_LISTENER, modifyListener(HTTP_LISTENER));

    // Assess
    await expect(attempt).rejects.toMatchObject({ name: "Throttling" });
    expect(elbv2.listener(HTTP_LISTENER)?.DefaultActions?.[0]?.Type).toBe("forward");
  });

  it("lets RuleNotFoundException propagate when a planned rule was deleted meanwhile", async () => {
    // Prepare
    elbv2.state.rules = elbv2.state.rules.filter((r) => r.RuleArn !== RULE_API);

    // Act
    const attempt = control.execute(context(), HTTP_LISTENER, modifyRule(RULE_API));

    // Assess
    await expect(attempt).rejects.toMatchObject({ name: "RuleNotFoundException" });
  });

  it.each([
    ["a listener", modifyListener(INTRANET_LISTENER)],
    [
      "a rule of",
      modifyRule(`${INTRANET_LISTENER.replace(":listener/", ":listener-rule/")}/0123456789abcdef`),
    ],
    [
      "another kind of call on",
      { service: "elbv2" as const, action: "DeleteListener", input: { ListenerArn: HTTP_LISTENER } },
    ],
  ])("refuses %s another listener than the one it fixes", async (_what, change) => {
    // Prepare: a plan for the intranet listener (or a call no fix makes) handed to the shop listener's fix

    // Act
    const attempt = control.execute(context(), HTTP_LISTENER, change);

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(MalformedInputError);
    expect(elbv2.calls).toEqual([]);
  });
});

describe("inEffect", () => {
  it("tells a made redirect from one still to make, call by call", async () => {
    // Prepare
    driftShopProd();
    const ctx = context();
    const before = await control.collect(ctx, HTTP_LISTENER);
    if (!before) throw new Error("listener missing");
    const [listenerCall, ruleCall] = control.plan(before, {});
    if (!listenerCall || !ruleCall) throw new Error("expected a listener and a rule call");
    await control.execute(ctx, HTTP_LISTENER, listenerCall);

    // Act
    const after = await control.collect(ctx, HTTP_LISTENER);
    if (!after) throw new Error("listener missing");

    // Assess: the listener's redirect is live, the rule's is not yet
    expect([control.inEffect(before, listenerCall), control.inEffect(before, ruleCall)]).toEqual([
      false,
      false,
    ]);
    expect([control.inEffect(after, listenerCall), control.inEffect(after, ruleCall)]).toEqual([true, false]);
  });

  it("takes a deleted rule's call as needing nothing", async () => {
    // Prepare
    elbv2.state.rules = elbv2.state.rules.filter((r) => r.RuleArn !== RULE_API);
    const snapshot = await control.collect(context(), HTTP_LISTENER);
    if (!snapshot) throw new Error("listener missing");

    // Act
    const needed = control.inEffect(snapshot, modifyRule(RULE_API));

    // Assess
    expect(needed).toBe(true);
  });

  it("does not take a redirect to another port for the planned one", async () => {
    // Prepare
    const listener = elbv2.listener(HTTP_LISTENER);
    if (listener) {
      listener.DefaultActions = [
        {
          Type: "redirect",
          RedirectConfig: { ...httpsRedirect().RedirectConfig, StatusCode: "HTTP_301", Port: "8443" },
        },
      ];
    }
    const snapshot = await control.collect(context(), HTTP_LISTENER);
    if (!snapshot) throw new Error("listener missing");

    // Act
    const live = control.inEffect(snapshot, modifyListener(HTTP_LISTENER));

    // Assess
    expect(live).toBe(false);
  });
});

describe("the control end to end against the fake", () => {
  it("HTTP-only load balancer: plans the redirect but asks on-call", async () => {
    // Prepare: intranet has no HTTPS listener (the shared "approval" scenario).
    const ctx = context();

    // Act
    const snapshot = await control.collect(ctx, INTRANET_LISTENER);
    if (!snapshot) throw new Error("listener missing");
    const finding = control.detect(snapshot, {});
    const risks = await control.assessRisk(snapshot, control.plan(snapshot, {}), ctx, {});

    // Assess
    expect(finding.status).toBe("non-compliant");
    expect(risks).toEqual([
      {
        level: "approval",
        reasons: ["the redirect would take the site down: load balancer intranet has no HTTPS listener"],
      },
    ]);
    expect(control.tags(snapshot)).toEqual({});
  });

  it("exposes the listener's tags overlaid on the load balancer's", async () => {
    // Prepare
    const ctx = context();

    // Act
    const snapshot = await control.collect(ctx, HTTP_LISTENER);

    // Assess
    expect(snapshot && control.tags(snapshot)).toEqual({ team: "shop", env: "production-edge" });
  });
});
