import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { collect, listResources } from "../../../functions/controls/alb-http-to-https-redirect/snapshot.js";
import {
  acmeRule,
  apiForwardRule,
  HTTP_LISTENER,
  HTTPS_LISTENER,
  httpsRedirect,
  LB_ARN,
  NLB_LISTENER,
  REGION,
} from "./builders.js";
import { FakeElbv2 } from "./fake-elbv2.js";
import { context, DUBLIN_LISTENER, INTRANET_ADMIN_LISTENER, INTRANET_LISTENER, world } from "./world.js";

let elbv2: FakeElbv2;

beforeEach(() => {
  elbv2 = new FakeElbv2(world()).install();
});

afterEach(() => {
  elbv2.uninstall();
});

describe("collect", () => {
  it("reads the listener, its load balancer, HTTPS siblings, non-default rules and tags", async () => {
    // Prepare: shop-prod from the shared scenario; the fake pages one item at a time.

    // Act
    const snapshot = await collect(context(), HTTP_LISTENER);

    // Assess
    expect(snapshot).toEqual({
      region: REGION,
      listener: {
        ListenerArn: HTTP_LISTENER,
        LoadBalancerArn: LB_ARN,
        Port: 80,
        Protocol: "HTTP",
        DefaultActions: [httpsRedirect()],
      },
      loadBalancer: { LoadBalancerArn: LB_ARN, LoadBalancerName: "shop-prod", Type: "application" },
      httpsListeners: [{ ListenerArn: HTTPS_LISTENER, Port: 443 }],
      otherListeners: [],
      // Priority order as DescribeRules gives it; the default rule is not repeated here.
      rules: [acmeRule(), apiForwardRule()],
      tags: { team: "shop", env: "production-edge" },
    });
    expect(JSON.parse(JSON.stringify(snapshot))).toEqual(snapshot);
  });

  it("follows every Marker of DescribeRules", async () => {
    // Prepare: three rules (two numbered plus the default) at one per page.

    // Act
    await collect(context(), HTTP_LISTENER);

    // Assess
    const markers = elbv2.calls.filter((c) => c.command === "DescribeRules").map((c) => c.input.Marker);
    expect(markers).toEqual([undefined, "1", "2"]);
  });

  it("reads the listener's own region from its ARN, whatever the context says", async () => {
    // Prepare
    const ctx = context("eu-west-1");

    // Act
    const snapshot = await collect(ctx, HTTP_LISTENER);

    // Assess
    expect(snapshot?.region).toBe(REGION);
    expect(new Set(elbv2.calls.map((c) => c.region))).toEqual(new Set([REGION]));
  });

  it.each([
    {
      name: "listener deleted",
      arn: `${HTTP_LISTENER.slice(0, -4)}ffff`,
      prepare: () => {},
    },
    {
      name: "load balancer deleted under its listener",
      arn: HTTP_LISTENER,
      prepare: () => {
        elbv2.state.loadBalancers = elbv2.state.loadBalancers.filter((lb) => lb.LoadBalancerArn !== LB_ARN);
      },
    },
  ])("returns null when the $name", async ({ arn, prepare }) => {
    // Prepare
    prepare();

    // Act
    const snapshot = await collect(context(), arn);

    // Assess
    expect(snapshot).toBeNull();
  });

  it("does not read rules of a listener out of scope (network load balancer)", async () => {
    // Prepare: a TCP listener of shop-tcp.

    // Act
    const snapshot = await collect(context(), NLB_LISTENER);

    // Assess
    expect(snapshot?.loadBalancer.Type).toBe("network");
    expect(snapshot?.rules).toEqual([]);
    expect(elbv2.commands()).not.toContain("DescribeRules");
  });

  it("propagates errors other than not-found with their SDK names", async () => {
    // Prepare
    elbv2.throttleNext("DescribeListeners");

    // Act
    const attempt = collect(context(), HTTP_LISTENER);

    // Assess
    await expect(attempt).rejects.toMatchObject({ name: "Throttling" });
  });
});

describe("listResources", () => {
  it("lists every HTTP listener of every application load balancer in the region, across pages", async () => {
    // Prepare: us-west-2 holds shop-prod (HTTP + HTTPS), intranet (two HTTP), shop-tcp (network).

    // Act
    const arns = await listResources(context());

    // Assess
    expect(arns).toEqual([HTTP_LISTENER, INTRANET_LISTENER, INTRANET_ADMIN_LISTENER]);
    expect(arns).not.toContain(NLB_LISTENER);
    expect(arns).not.toContain(DUBLIN_LISTENER);
  });

  it("lists the other region's listeners from a context in that region", async () => {
    // Prepare
    const ctx = context("eu-west-1");

    // Act
    const arns = await listResources(ctx);

    // Assess
    expect(arns).toEqual([DUBLIN_LISTENER]);
  });
});
