import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { albHttpToHttpsRedirect as control } from "../../../functions/controls/alb-http-to-https-redirect/index.js";
import { fixture, forward, HTTP_LISTENER, TG_ARN, triggerOf } from "./builders.js";
import { FakeElbv2 } from "./fake-elbv2.js";
import { context, INTRANET_LB, world } from "./world.js";

let elbv2: FakeElbv2;

beforeEach(() => {
  elbv2 = new FakeElbv2(world()).install();
});

afterEach(() => {
  elbv2.uninstall();
});

const iam = (commands: string[]) => commands.map((c) => `elasticloadbalancing:${c}`).sort();

describe("metadata", () => {
  it("names the control as the catalog does", () => {
    // Prepare / Act
    const { metadata } = control;

    // Assess
    expect(metadata).toMatchObject({
      id: "alb-http-to-https-redirect",
      severity: "HIGH",
      securityHubIds: ["ELB.1"],
      resourceType: "AWS::ElasticLoadBalancingV2::Listener",
      service: "elbv2",
      triggers: {
        cloudTrail: { source: "aws.elasticloadbalancing", delivery: "regional" },
        config: { managedRules: ["ALB_HTTP_TO_HTTPS_REDIRECTION_CHECK"] },
      },
    });
  });

  it("grants exactly the read calls collect, listResources and resolveTargets make", async () => {
    // Prepare
    const ctx = context();

    // Act
    await control.collect(ctx, HTTP_LISTENER);
    await control.listResources(ctx);
    await control.resolveTargets(triggerOf(fixture("elbv2-create-listener.json")), ctx);
    await control.resolveTargets(
      {
        kind: "compliance",
        configRuleName: "securityhub-alb-http-to-https-redirection-check-a1b2c3",
        resourceType: "AWS::ElasticLoadBalancingV2::LoadBalancer",
        resourceId: INTRANET_LB,
        region: ctx.region,
        account: ctx.account,
        newCompliance: "NON_COMPLIANT",
      },
      ctx,
    );

    // Assess
    expect(iam(elbv2.commands())).toEqual([...control.metadata.readActions].sort());
  });

  it("grants exactly the calls its fix makes", async () => {
    // Prepare
    const ctx = context();
    const listener = elbv2.listener(HTTP_LISTENER);
    if (listener) listener.DefaultActions = [forward(TG_ARN)];
    const snapshot = await control.collect(ctx, HTTP_LISTENER);
    if (!snapshot) throw new Error("listener missing");
    elbv2.calls.length = 0;

    // Act
    for (const change of control.plan(snapshot, {})) await control.execute(ctx, HTTP_LISTENER, change);

    // Assess
    expect(iam(elbv2.commands())).toEqual([...control.metadata.fixActions].sort());
  });
});
