import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { albHttpToHttpsRedirect as control } from "../../../functions/controls/alb-http-to-https-redirect/index.js";
import type { Plan } from "../../../functions/controls/alb-http-to-https-redirect/planner.js";
import { MalformedInputError } from "../../../functions/lib/errors.js";
import { fixture, forward, HTTP_LISTENER, httpsRedirect, RULE_ACME, RULE_API, TG_ARN } from "./builders.js";
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

describe("apply", () => {
  it("makes exactly the planned calls and returns them", async () => {
    // Prepare
    driftShopProd();
    const ctx = context();
    const snapshot = await control.collect(ctx, HTTP_LISTENER);
    if (!snapshot) throw new Error("listener missing");
    const plan = control.plan(snapshot);
    elbv2.calls.length = 0;

    // Act
    const changes = await control.apply(ctx, HTTP_LISTENER, plan);

    // Assess
    expect(changes).toEqual(control.describePlan(plan, snapshot));
    expect(changes.map((c) => c.action)).toEqual(["ModifyListener", "ModifyRule"]);
    expect(elbv2.calls.map(({ command, input }) => ({ command, input }))).toEqual(
      changes.map((c) => ({ command: c.action, input: c.input })),
    );
    expect(elbv2.listener(HTTP_LISTENER)?.DefaultActions).toEqual([httpsRedirect()]);
    expect(elbv2.rule(RULE_API)?.Actions).toEqual([httpsRedirect()]);
    // The ACME rule keeps serving HTTP-01 challenges over plain HTTP.
    expect(elbv2.rule(RULE_ACME)?.Actions?.[0]?.Type).toBe("forward");
  });

  it("lets Throttling propagate under its SDK name, having changed nothing", async () => {
    // Prepare
    const plan: Plan = {
      listenerArn: HTTP_LISTENER,
      httpsPort: "443",
      modifyListener: { ListenerArn: HTTP_LISTENER, DefaultActions: [httpsRedirect()] },
      modifyRules: [],
    };
    driftShopProd();
    elbv2.throttleNext("ModifyListener");

    // Act
    const attempt = control.apply(context(), HTTP_LISTENER, plan);

    // Assess
    await expect(attempt).rejects.toMatchObject({ name: "Throttling" });
    expect(elbv2.listener(HTTP_LISTENER)?.DefaultActions?.[0]?.Type).toBe("forward");
  });

  it("lets RuleNotFoundException propagate when a planned rule was deleted meanwhile", async () => {
    // Prepare
    const plan: Plan = {
      listenerArn: HTTP_LISTENER,
      httpsPort: "443",
      modifyListener: null,
      modifyRules: [{ RuleArn: RULE_API, Actions: [httpsRedirect()] }],
    };
    elbv2.state.rules = elbv2.state.rules.filter((r) => r.RuleArn !== RULE_API);

    // Act
    const attempt = control.apply(context(), HTTP_LISTENER, plan);

    // Assess
    await expect(attempt).rejects.toMatchObject({ name: "RuleNotFoundException" });
  });

  it("refuses a plan made for another listener", async () => {
    // Prepare
    const plan: Plan = {
      listenerArn: INTRANET_LISTENER,
      httpsPort: "443",
      modifyListener: { ListenerArn: INTRANET_LISTENER, DefaultActions: [httpsRedirect()] },
      modifyRules: [],
    };

    // Act
    const attempt = control.apply(context(), HTTP_LISTENER, plan);

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(MalformedInputError);
    expect(elbv2.calls).toEqual([]);
  });
});

describe("verify", () => {
  it("is compliant once the fix holds", async () => {
    // Prepare
    driftShopProd();
    const ctx = context();
    const before = await control.collect(ctx, HTTP_LISTENER);
    if (!before) throw new Error("listener missing");
    await control.apply(ctx, HTTP_LISTENER, control.plan(before));

    // Act
    const finding = await control.verify(ctx, HTTP_LISTENER);

    // Assess
    expect(finding.status).toBe("compliant");
  });

  it("is non-compliant when someone puts the forward back after the fix", async () => {
    // Prepare
    const listener = elbv2.listener(HTTP_LISTENER);
    if (listener) listener.DefaultActions = [forward(TG_ARN)];

    // Act
    const finding = await control.verify(context(), HTTP_LISTENER);

    // Assess
    expect(finding.status).toBe("non-compliant");
    expect(finding.message).toContain(`default action "forward"`);
  });

  it("is non-compliant, saying so, when the listener is gone", async () => {
    // Prepare
    elbv2.state.listeners = elbv2.state.listeners.filter((l) => l.ListenerArn !== HTTP_LISTENER);

    // Act
    const finding = await control.verify(context(), HTTP_LISTENER);

    // Assess
    expect(finding).toEqual({
      status: "non-compliant",
      message: `listener ${HTTP_LISTENER} no longer exists, so the redirect to HTTPS could not be verified`,
    });
  });
});

describe("the control end to end against the fake", () => {
  it("HTTP-only load balancer: plans the redirect but asks on-call", async () => {
    // Prepare: intranet has no HTTPS listener (the shared "approval" scenario).
    const ctx = context();

    // Act
    const snapshot = await control.collect(ctx, INTRANET_LISTENER);
    if (!snapshot) throw new Error("listener missing");
    const finding = control.detect(snapshot);
    const risk = await control.assessRisk(snapshot, control.plan(snapshot), ctx);

    // Assess
    expect(finding.status).toBe("non-compliant");
    expect(risk).toEqual({
      level: "approval",
      reasons: ["the redirect would take the site down: load balancer intranet has no HTTPS listener"],
    });
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
