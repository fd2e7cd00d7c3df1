import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../functions/lib/config.js";
import { logger } from "../../functions/lib/observability.js";
import { largeAccount } from "../../local/large-account.js";
import { LocalRuntime } from "../../local/runtime.js";
import { describeFloor } from "../../local/sweep-floor.js";

/**
 * The sweep on its state machine over an account far larger than a scenario:
 * it starts exactly the drifted resources' workflows, reads each piece of
 * state once (within 10% of the describe floor) and, under the sandbox's rate
 * limits, surfaces no throttling.
 */
const region = "eu-west-1";
const account = "111122223333";
const swept = [
  "alb-http-to-https-redirect",
  "alb-tls-policy",
  "cloudfront-viewer-https",
  "cloudfront-tls-to-origin",
];
const off = [
  "alb-drop-invalid-headers",
  "alb-deletion-protection",
  "alb-waf-attached",
  "cloudfront-min-viewer-tls",
  "cloudfront-security-headers",
  "cloudfront-waf-attached",
];

let runtime: LocalRuntime | undefined;
beforeAll(() => logger.setLogLevel("SILENT"));
afterEach(async () => {
  await runtime?.close();
  runtime = undefined;
});

function sweepCalls(rt: LocalRuntime): Record<string, { made: number; throttled: number }> {
  const calls: Record<string, { made: number; throttled: number }> = {};
  for (const [key, count] of rt.sandbox.callCounts) {
    const [fn, call = ""] = key.split(" ");
    if (fn !== "sweep") continue;
    const service = call.split(":")[0] ?? "";
    const total = calls[service] ?? { made: 0, throttled: 0 };
    total.made += count.made;
    total.throttled += count.throttled;
    calls[service] = total;
  }
  return calls;
}

describe("the sweep over 200 ALBs and 20 distributions", () => {
  it("starts exactly the drifted resources' workflows at the describe floor, and no throttling surfaces", async () => {
    // Prepare
    const generated = largeAccount({
      account,
      region,
      loadBalancers: 200,
      listenersPerLoadBalancer: 2,
      distributions: 20,
      driftEvery: 10,
    });
    runtime = await LocalRuntime.start({
      account,
      region,
      clock: "2026-03-01T09:00:00Z",
      config: parseConfig({
        homeRegion: region,
        watchedRegions: [region],
        controls: Object.fromEntries([
          ...swept.map((id) => [id, { mode: "report" }]),
          ...off.map((id) => [id, { mode: "off" }]),
        ]),
      }),
      state: generated.state,
    });
    const started = runtime.clock.now().getTime();

    // Act
    const results = await runtime.sweep();

    // Assess: one workflow per drift, nothing else
    const report = await runtime.report("sweep");
    expect(report.errors).toEqual([]);
    expect(results.filter((r) => r.status !== "started")).toEqual([]);
    expect(report.executions.map((e) => `${e.control} ${e.resource}`).sort()).toEqual(
      [
        ...generated.driftedListeners.map((arn) => `alb-http-to-https-redirect ${arn}`),
        ...generated.driftedHttpsListeners.map((arn) => `alb-tls-policy ${arn}`),
        ...generated.driftedDistributions.map((arn) => `cloudfront-viewer-https ${arn}`),
      ].sort(),
    );
    expect(report.executions.every((e) => e.trigger === "sweep" && e.outcome === "reported")).toBe(true);
    // Assess: each piece of state read once, within 10% of the floor
    const calls = sweepCalls(runtime);
    const floor = describeFloor(
      { loadBalancers: 200, httpListeners: 200, sslPoliciesInUse: 2, distributions: 20 },
      swept,
    );
    const made = (calls.elbv2?.made ?? 0) + (calls.cloudfront?.made ?? 0) + (calls.wafv2?.made ?? 0);
    expect(made).toBeLessThanOrEqual(1.1 * (floor.elbv2 + floor.cloudfront + floor.wafv2));
    // Assess: the rate limits were met (the burst ran out) and paced, never surfaced
    expect(calls.elbv2?.made ?? 0).toBeGreaterThan(40);
    expect(calls.config).toEqual({ made: 4, throttled: 0 });
    expect(runtime.clock.now().getTime() - started).toBeGreaterThanOrEqual(
      ((floor.elbv2 - 40) / 10) * 1000 * 0.9,
    );
  }, 120_000);

  it("lists from AWS Config where its recorder records the types, at a hundred resources per query", async () => {
    // Prepare
    const generated = largeAccount({
      account,
      region,
      loadBalancers: 200,
      listenersPerLoadBalancer: 5,
      distributions: 200,
      driftEvery: 10,
      recorded: [
        "AWS::ElasticLoadBalancingV2::LoadBalancer",
        "AWS::ElasticLoadBalancingV2::Listener",
        "AWS::CloudFront::Distribution",
      ],
    });
    const configSwept = ["alb-tls-policy", "cloudfront-viewer-https", "cloudfront-tls-to-origin"];
    runtime = await LocalRuntime.start({
      account,
      region,
      clock: "2026-03-01T09:00:00Z",
      config: parseConfig({
        homeRegion: region,
        watchedRegions: [region],
        controls: Object.fromEntries([
          ...configSwept.map((id) => [id, { mode: "report" }]),
          ...[...off, "alb-http-to-https-redirect"].map((id) => [id, { mode: "off" }]),
        ]),
      }),
      state: generated.state,
    });

    // Act
    await runtime.sweep();

    // Assess: the same drifts found
    const report = await runtime.report("sweep");
    expect(report.errors).toEqual([]);
    expect(report.executions.map((e) => `${e.control} ${e.resource}`).sort()).toEqual(
      [
        ...generated.driftedHttpsListeners.map((arn) => `alb-tls-policy ${arn}`),
        ...generated.driftedDistributions.map((arn) => `cloudfront-viewer-https ${arn}`),
      ].sort(),
    );
    // Assess: 2 load balancer pages, 10 listener queries of 100, 2 distribution pages, the recorders of
    // two regions, and one look-up per TLS policy in use; nothing else, and at the sweep's own pace no
    // query is throttled
    const calls = sweepCalls(runtime);
    const selects = runtime.sandbox.callCounts.get("sweep config:SelectResourceConfig");
    expect(selects).toEqual({ made: 2 + 10 + 2, throttled: 0 });
    expect(calls.cloudfront).toBeUndefined();
    expect(runtime.sandbox.callCounts.get("sweep elbv2:DescribeSSLPolicies")).toEqual({
      made: 2,
      throttled: 0,
    });
    expect(calls.elbv2?.made).toBe(2);
  }, 120_000);

  it("a group that cannot be listed after every retry is reported; the other groups are swept", async () => {
    // Prepare
    const generated = largeAccount({
      account,
      region,
      loadBalancers: 3,
      listenersPerLoadBalancer: 2,
      distributions: 3,
      driftEvery: 2,
    });
    runtime = await LocalRuntime.start({
      account,
      region,
      clock: "2026-03-01T09:00:00Z",
      config: parseConfig({
        homeRegion: region,
        controls: Object.fromEntries([
          ...swept.map((id) => [id, { mode: "report" }]),
          ...off.map((id) => [id, { mode: "off" }]),
        ]),
      }),
      state: generated.state,
    });
    runtime.sandbox.throttle({ service: "elbv2", action: "DescribeLoadBalancers", times: 1000 });

    // Act
    await runtime.sweep(1);

    // Assess
    const report = await runtime.report("sweep");
    expect(report.errors).toEqual([
      { step: 1, message: expect.stringMatching(/^sweep of elbv2 in eu-west-1 failed: .*Throttling/) },
    ]);
    expect(report.executions.map((e) => e.resource).sort()).toEqual(
      [...generated.driftedDistributions].sort(),
    );
  }, 120_000);
});
