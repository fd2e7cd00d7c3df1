import { logger } from "../functions/lib/observability.js";
import { configFloor, describeFloor } from "../local/sweep-floor.js";
import { measureOneSweep } from "../local/sweep-measure.js";
import { atMost, type Figure } from "./figures.js";

/**
 * The sweep on its state machine over generated accounts (five listeners per
 * ALB, one resource in a hundred drifted), under the sandbox's rate limits:
 *  - without AWS Config, the calls against the describe floor (local/sweep-floor.ts)
 *    for the controls that judge listeners, rules, TLS policies and distributions;
 *  - with AWS Config recording the types, the calls of the controls whose state
 *    Config holds (the goal of 150 calls at 2,000 ALBs), and with the redirect
 *    control too against its floor: listener rules are not a Config type, so
 *    it reads DescribeRules per HTTP listener;
 *  - each sweep's duration on the sandbox clock.
 */
const describeControls = [
  "alb-http-to-https-redirect",
  "alb-tls-policy",
  "cloudfront-viewer-https",
  "cloudfront-tls-to-origin",
];
const configControls = [
  "alb-tls-policy",
  "cloudfront-viewer-https",
  "cloudfront-tls-to-origin",
  "cloudfront-min-viewer-tls",
];

export async function measureSweep(): Promise<Figure[]> {
  logger.setLogLevel("SILENT");
  const figures: Figure[] = [];
  for (const loadBalancers of [200, 2000]) {
    const listeners = loadBalancers * 5;
    const distributions = loadBalancers;
    const shape = `${loadBalancers} ALBs / ${listeners} listeners / ${distributions} distributions`;

    const plain = await measureOneSweep({
      loadBalancers,
      listenersPerLoadBalancer: 5,
      distributions,
      controls: describeControls,
      config: false,
      driftEvery: 100,
    });
    const floor = describeFloor(
      { loadBalancers, httpListeners: loadBalancers, sslPoliciesInUse: 2, distributions },
      describeControls,
    );
    const floorTotal = floor.elbv2 + floor.cloudfront + floor.wafv2;
    const made = Object.values(plain.calls).reduce((sum, c) => sum + c.made, 0);
    const throttled = Object.values(plain.calls).reduce((sum, c) => sum + c.throttled, 0);
    const note = `${shape}; ${plain.executions} drifts found; ${throttled} attempts throttled and retried${plain.errors.length ? `; errors: ${plain.errors.join("; ")}` : ""}`;
    figures.push(
      atMost(
        `sweep ${loadBalancers} ALBs, describe: calls vs floor`,
        round(made / floorTotal),
        "x floor",
        1.1,
        `${made} calls, floor ${floorTotal}; ${note}`,
      ),
      {
        name: `sweep ${loadBalancers} ALBs, describe: calls`,
        value: made,
        unit: "calls",
        target: "report",
        pass: plain.errors.length === 0,
        note,
      },
      {
        name: `sweep ${loadBalancers} ALBs, describe: simulated duration`,
        value: round(plain.simulatedSeconds),
        unit: "s",
        target: "report",
        pass: plain.errors.length === 0,
        note: "on the sandbox clock, ELBv2 at 10 describes/s after a burst of 40",
      },
    );

    const withConfig = await measureOneSweep({
      loadBalancers,
      listenersPerLoadBalancer: 5,
      distributions,
      controls: configControls,
      config: true,
      driftEvery: 100,
    });
    const configMade = Object.values(withConfig.calls).reduce((sum, c) => sum + c.made, 0);
    const configNote = `${shape}; ${withConfig.executions} drifts found; by service ${JSON.stringify(withConfig.calls)}${withConfig.errors.length ? `; errors: ${withConfig.errors.join("; ")}` : ""}`;
    figures.push(
      loadBalancers === 2000
        ? atMost(`sweep ${loadBalancers} ALBs, AWS Config: calls`, configMade, "calls", 150, configNote)
        : {
            name: `sweep ${loadBalancers} ALBs, AWS Config: calls`,
            value: configMade,
            unit: "calls",
            target: "report",
            pass: withConfig.errors.length === 0,
            note: configNote,
          },
      {
        name: `sweep ${loadBalancers} ALBs, AWS Config: simulated duration`,
        value: round(withConfig.simulatedSeconds),
        unit: "s",
        target: "report",
        pass: withConfig.errors.length === 0,
      },
    );

    const withRules = await measureOneSweep({
      loadBalancers,
      listenersPerLoadBalancer: 5,
      distributions,
      controls: [...configControls, "alb-http-to-https-redirect"],
      config: true,
      driftEvery: 100,
    });
    const rulesFloor = configFloor(
      {
        loadBalancers,
        listeners,
        httpListeners: loadBalancers,
        sslPoliciesInUse: 2,
        distributions,
        regions: 2,
      },
      [...configControls, "alb-http-to-https-redirect"],
    );
    const rulesFloorTotal = rulesFloor.config + rulesFloor.elbv2 + rulesFloor.wafv2;
    const rulesMade = Object.values(withRules.calls).reduce((sum, c) => sum + c.made, 0);
    figures.push(
      atMost(
        `sweep ${loadBalancers} ALBs, AWS Config + redirect rules: calls vs floor`,
        round(rulesMade / rulesFloorTotal),
        "x floor",
        1.1,
        `${rulesMade} calls, floor ${rulesFloorTotal} (${rulesFloor.elbv2} of them DescribeRules and TLS policies, which Config does not hold); ${withRules.executions} drifts found; by service ${JSON.stringify(withRules.calls)}${withRules.errors.length ? `; errors: ${withRules.errors.join("; ")}` : ""}`,
      ),
    );
  }
  return figures;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
