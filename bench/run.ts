import { performance } from "node:perf_hooks";
import { parseConfig } from "../functions/lib/config.js";
import { LocalRuntime } from "../local/runtime.js";

/**
 * Performance goals, measured on the local runtime (never asserted in tests):
 *  - intake decides an event (route, parse, re-read, start) in well under 100 ms;
 *  - a sweep over an account with many ALBs stays linear in the number of listeners.
 * Run: npm run bench [-- <load balancers>]
 */
const loadBalancers = Number(process.argv[2] ?? 200);
const region = "eu-west-1";
const account = "111122223333";
const elb = `arn:aws:elasticloadbalancing:${region}:${account}`;
const hex = (n: number, width: number) => n.toString(16).padStart(width, "0");

function accountState(count: number) {
  const lbs = [];
  const listeners = [];
  for (let i = 0; i < count; i++) {
    const lb = `${elb}:loadbalancer/app/lb-${i}/${hex(i, 16)}`;
    const tg = `${elb}:targetgroup/tg-${i}/${hex(i, 16)}`;
    lbs.push({
      LoadBalancerArn: lb,
      LoadBalancerName: `lb-${i}`,
      Type: "application",
      Scheme: "internet-facing",
    });
    const drifted = i % 10 === 0;
    listeners.push({
      ListenerArn: `${elb}:listener/app/lb-${i}/${hex(i, 16)}/${hex(i + 1, 16)}`,
      LoadBalancerArn: lb,
      Port: 80,
      Protocol: "HTTP",
      DefaultActions: drifted
        ? [{ Type: "forward", TargetGroupArn: tg }]
        : [{ Type: "redirect", RedirectConfig: { Protocol: "HTTPS", Port: "443", StatusCode: "HTTP_301" } }],
    });
    listeners.push({
      ListenerArn: `${elb}:listener/app/lb-${i}/${hex(i, 16)}/${hex(i + 2, 16)}`,
      LoadBalancerArn: lb,
      Port: 443,
      Protocol: "HTTPS",
      Certificates: [{ CertificateArn: `arn:aws:acm:${region}:${account}:certificate/${i}` }],
      DefaultActions: [{ Type: "forward", TargetGroupArn: tg }],
    });
  }
  return { elbv2: { loadBalancers: lbs, listeners, rules: [], attributes: [], tags: [] } };
}

const runtime = await LocalRuntime.start({
  account,
  region,
  clock: "2026-03-01T09:00:00Z",
  config: parseConfig({ homeRegion: region }),
  state: accountState(loadBalancers) as never,
});
try {
  const started = performance.now();
  const results = await runtime.sweep();
  const elapsed = performance.now() - started;
  const report = await runtime.report("bench");
  const fixed = report.executions.filter((e) => e.outcome === "fixed").length;
  process.stdout.write(
    `sweep over ${loadBalancers} ALBs (${loadBalancers * 2} listeners): ${elapsed.toFixed(0)} ms, ` +
      `${results.length} results, ${fixed} drifted listeners fixed, ` +
      `${(elapsed / (loadBalancers * 2)).toFixed(2)} ms per listener\n`,
  );
} finally {
  await runtime.close();
}
