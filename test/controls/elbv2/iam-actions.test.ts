import { describe, expect, it } from "vitest";
import { albDeletionProtection } from "../../../functions/controls/alb-deletion-protection/index.js";
import { albDropInvalidHeaders } from "../../../functions/controls/alb-drop-invalid-headers/index.js";
import { albTlsPolicy } from "../../../functions/controls/alb-tls-policy/index.js";
import { albWafAttached } from "../../../functions/controls/alb-waf-attached/index.js";
import type { AnyControl, Trigger } from "../../../functions/controls/types.js";
import { useClientPlugin } from "../../../functions/lib/aws.js";
import { controlConfig, parseConfig } from "../../../functions/lib/config.js";
import {
  account,
  context,
  httpListener,
  httpsListener,
  loadBalancer,
  REGION,
  SHOP,
  SHOP_HTTP,
  SHOP_HTTPS,
  webAclArn,
} from "./sandbox.js";

/**
 * The IAM a control declares is what its code calls: every call made while it
 * resolves, sweeps, collects, plans, judges risk and fixes is declared (reads
 * in readActions, changes in fixActions), and every declared read is used. WAF
 * also checks ELBv2 permission-only actions that no API call names.
 */
const BASELINE = webAclArn("baseline", "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b");
const PERMISSION_ONLY = [
  "elasticloadbalancing:GetLoadBalancerWebACL",
  "elasticloadbalancing:CreateWebACLAssociation",
];
const iamPrefix: Record<string, string> = { elbv2: "elasticloadbalancing", wafv2: "wafv2" };

function recordCalls(): { calls: Set<string>; stop: () => void } {
  const calls = new Set<string>();
  const stop = useClientPlugin({
    plugin: ({ service }) => ({
      applyToStack: (stack) => {
        stack.add(
          (next, context) => async (args) => {
            calls.add(
              `${iamPrefix[service] ?? service}:${String(context.commandName).replace(/Command$/, "")}`,
            );
            return next(args);
          },
          { step: "initialize", name: "recordCalls", priority: "high" },
        );
      },
    }),
  });
  return { calls, stop };
}

const created: Trigger = {
  kind: "cloudtrail",
  eventName: "CreateLoadBalancer",
  eventSource: "elasticloadbalancing.amazonaws.com",
  region: REGION,
  account: "111122223333",
  requestParameters: { name: "shop-prod" },
  responseElements: null,
};
const listenerCreated: Trigger = {
  ...created,
  eventName: "CreateListener",
  requestParameters: { loadBalancerArn: SHOP, protocol: "HTTPS" },
};

describe.each<[string, AnyControl, string, Trigger]>([
  ["alb-tls-policy", albTlsPolicy, SHOP_HTTPS, listenerCreated],
  ["alb-drop-invalid-headers", albDropInvalidHeaders, SHOP, created],
  ["alb-deletion-protection", albDeletionProtection, SHOP, created],
  ["alb-waf-attached", albWafAttached, SHOP, created],
])("%s", (id, control, resource, trigger) => {
  it("calls exactly the actions its metadata declares", async () => {
    // Prepare: every control finds drift to fix
    account({
      loadBalancers: [loadBalancer(SHOP)],
      listeners: [
        httpListener(SHOP_HTTP, SHOP),
        httpsListener(SHOP_HTTPS, SHOP, "ELBSecurityPolicy-FS-1-2-Res-2020-10"),
      ],
      webAcls: [{ Name: "baseline", Id: "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b", ARN: BASELINE }],
    });
    const { settings } = controlConfig(
      parseConfig({ controls: { "alb-waf-attached": { webAclArns: { [REGION]: BASELINE } } } }),
      id,
    );
    const recorder = recordCalls();

    // Act
    let reads: string[];
    try {
      await control.resolveTargets(trigger, context());
      await control.listResources(context());
      const snapshot = await control.collect(context(), resource);
      const changes = control.plan(snapshot, settings);
      await control.assessRisk(snapshot, changes, context(), settings);
      reads = [...recorder.calls].sort();
      for (const change of changes) await control.execute(context(), resource, change);
    } finally {
      recorder.stop();
    }
    const writes = [...recorder.calls].filter((call) => !reads.includes(call)).sort();

    // Assess
    const declaredReads = control.metadata.readActions.filter((a) => !PERMISSION_ONLY.includes(a)).sort();
    const declaredWrites = control.metadata.fixActions.filter((a) => !PERMISSION_ONLY.includes(a)).sort();
    expect(reads).toEqual(declaredReads);
    expect(writes).toEqual(declaredWrites);
    expect(writes.length).toBeGreaterThan(0);
  });
});
