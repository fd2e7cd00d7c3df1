import { parseConfig } from "../functions/lib/config.js";
import { largeAccount } from "./large-account.js";
import { LocalRuntime } from "./runtime.js";

/**
 * One sweep of a generated account on the local runtime, measured: the calls
 * the sweep function made per service (throttled attempts included, as AWS
 * counts requests), the executions it started, and how long it took on the
 * sandbox clock (the rate limits' waits included).
 */
export interface SweepMeasurement {
  calls: Record<string, { made: number; throttled: number }>;
  executions: number;
  errors: string[];
  simulatedSeconds: number;
}

const allControls = [
  "alb-http-to-https-redirect",
  "alb-tls-policy",
  "alb-drop-invalid-headers",
  "alb-deletion-protection",
  "alb-waf-attached",
  "cloudfront-tls-to-origin",
  "cloudfront-viewer-https",
  "cloudfront-min-viewer-tls",
  "cloudfront-security-headers",
  "cloudfront-waf-attached",
];

const readServices = new Set(["elbv2", "cloudfront", "wafv2", "config"]);

export const configTypes = [
  "AWS::ElasticLoadBalancingV2::LoadBalancer",
  "AWS::ElasticLoadBalancingV2::Listener",
  "AWS::CloudFront::Distribution",
];

export async function measureOneSweep(options: {
  loadBalancers: number;
  listenersPerLoadBalancer: number;
  distributions: number;
  /** Controls swept (in report mode: drifts are found and reported, nothing is changed); the rest are off. */
  controls: string[];
  config: boolean;
  /** Every n-th resource drifted. */
  driftEvery: number;
}): Promise<SweepMeasurement> {
  const account = "111122223333";
  const region = "eu-west-1";
  const generated = largeAccount({
    account,
    region,
    loadBalancers: options.loadBalancers,
    listenersPerLoadBalancer: options.listenersPerLoadBalancer,
    distributions: options.distributions,
    driftEvery: options.driftEvery,
    ...(options.config ? { recorded: configTypes } : {}),
  });
  const runtime = await LocalRuntime.start({
    account,
    region,
    clock: "2026-03-01T09:00:00Z",
    config: parseConfig({
      homeRegion: region,
      watchedRegions: [region],
      controls: Object.fromEntries(
        allControls.map((id) => [id, { mode: options.controls.includes(id) ? "report" : "off" }]),
      ),
    }),
    state: generated.state,
  });
  try {
    await runtime.sweep();
    const calls: SweepMeasurement["calls"] = {};
    for (const [key, count] of runtime.sandbox.callCounts) {
      const [fn, call = ""] = key.split(" ");
      const service = call.split(":")[0] ?? "";
      // What the sweep reads; starting workflows and their records are counted by the workflows' figures.
      if (fn !== "sweep" || !readServices.has(service)) continue;
      const total = calls[service] ?? { made: 0, throttled: 0 };
      total.made += count.made;
      total.throttled += count.throttled;
      calls[service] = total;
    }
    const sweep = [...runtime.sweeper.executions.values()][0];
    const report = await runtime.report("sweep");
    return {
      calls,
      executions: report.executions.length,
      errors: report.errors.map((e) => e.message),
      simulatedSeconds:
        sweep?.stopDate && sweep.startDate
          ? (sweep.stopDate.getTime() - sweep.startDate.getTime()) / 1000
          : Number.NaN,
    };
  } finally {
    await runtime.close();
  }
}
