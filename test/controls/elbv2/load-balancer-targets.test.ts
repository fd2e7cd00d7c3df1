import { describe, expect, it } from "vitest";
import { albDeletionProtection } from "../../../functions/controls/alb-deletion-protection/index.js";
import { albDropInvalidHeaders } from "../../../functions/controls/alb-drop-invalid-headers/index.js";
import { albWafAttached } from "../../../functions/controls/alb-waf-attached/index.js";
import type { AnyControl, Trigger } from "../../../functions/controls/types.js";
import { account, context, loadBalancer, NLB, REGION, SHOP, SHOP_ACL, SHOP_HTTPS } from "./sandbox.js";

const ELB = "elasticloadbalancing.amazonaws.com";
const WAF = "wafv2.amazonaws.com";

function cloudTrail(
  eventSource: string,
  eventName: string,
  requestParameters: Record<string, unknown> | null,
  responseElements: Record<string, unknown> | null = null,
): Trigger {
  return {
    kind: "cloudtrail",
    eventName,
    eventSource,
    region: REGION,
    account: "111122223333",
    requestParameters,
    responseElements,
  };
}

// CloudTrail's record of CreateLoadBalancer: camelCase, the created load balancer in the response.
const created = cloudTrail(
  ELB,
  "CreateLoadBalancer",
  {
    name: "shop-prod",
    subnets: ["subnet-08a8a4db8e985274f", "subnet-04ff3c1d781d45591"],
    scheme: "internet-facing",
    type: "application",
  },
  {
    loadBalancers: [
      {
        loadBalancerArn: SHOP,
        loadBalancerName: "shop-prod",
        type: "application",
        scheme: "internet-facing",
      },
    ],
  },
);
const createdTruncated = cloudTrail(
  ELB,
  "CreateLoadBalancer",
  { name: "shop-prod", subnets: ["subnet-08a8a4db8e985274f"] },
  null,
);
const createdNlb = cloudTrail(
  ELB,
  "CreateLoadBalancer",
  { name: "ingest", type: "network" },
  { loadBalancers: [{ loadBalancerArn: NLB, type: "network" }] },
);
const attributesChanged = cloudTrail(
  ELB,
  "ModifyLoadBalancerAttributes",
  { loadBalancerArn: SHOP, attributes: [{ key: "deletion_protection.enabled", value: "false" }] },
  { attributes: [{ key: "deletion_protection.enabled", value: "false" }] },
);
const associated = cloudTrail(WAF, "AssociateWebACL", { webACLArn: SHOP_ACL, resourceArn: SHOP });
const disassociated = cloudTrail(WAF, "DisassociateWebACL", { resourceArn: SHOP });
const apiGatewayDisassociated = cloudTrail(WAF, "DisassociateWebACL", {
  resourceArn: "arn:aws:apigateway:eu-west-1::/restapis/a1b2c3d4e5/stages/prod",
});
const listenerChanged = cloudTrail(ELB, "ModifyListener", {
  listenerArn: SHOP_HTTPS,
  sslPolicy: "ELBSecurityPolicy-2016-08",
});
const configItem = (resourceType: string, resourceId: string): Trigger => ({
  kind: "config-item",
  resourceType,
  resourceId,
  arn: resourceId,
  region: REGION,
  account: "111122223333",
  status: "OK",
  configuration: null,
});
const compliance = (configRuleName: string, resourceId = SHOP): Trigger => ({
  kind: "compliance",
  configRuleName,
  resourceType: "AWS::ElasticLoadBalancingV2::LoadBalancer",
  resourceId,
  region: REGION,
  account: "111122223333",
  newCompliance: "NON_COMPLIANT",
});
const LB_TYPE = "AWS::ElasticLoadBalancingV2::LoadBalancer";

describe("which load balancer an event is about", () => {
  it.each<[string, AnyControl, Trigger, string[]]>([
    ["CreateLoadBalancer", albDropInvalidHeaders, created, [SHOP]],
    [
      "CreateLoadBalancer with its response dropped: found by name",
      albDeletionProtection,
      createdTruncated,
      [SHOP],
    ],
    ["CreateLoadBalancer of a network load balancer", albDeletionProtection, createdNlb, []],
    ["CreateLoadBalancer, for the WAF control too", albWafAttached, created, [SHOP]],
    ["ModifyLoadBalancerAttributes", albDeletionProtection, attributesChanged, [SHOP]],
    ["ModifyLoadBalancerAttributes is no WAF call", albWafAttached, attributesChanged, []],
    ["WAF's AssociateWebACL", albWafAttached, associated, [SHOP]],
    ["WAF's DisassociateWebACL", albWafAttached, disassociated, [SHOP]],
    ["WAF's DisassociateWebACL of an API Gateway stage", albWafAttached, apiGatewayDisassociated, []],
    ["WAF's calls do not concern attributes", albDropInvalidHeaders, disassociated, []],
    ["a listener change concerns no load balancer attribute", albDropInvalidHeaders, listenerChanged, []],
    ["a Config item of the load balancer", albDeletionProtection, configItem(LB_TYPE, SHOP), [SHOP]],
    ["a Config item of a network load balancer", albDeletionProtection, configItem(LB_TYPE, NLB), []],
    [
      "a Config item of a listener",
      albWafAttached,
      configItem("AWS::ElasticLoadBalancingV2::Listener", SHOP_HTTPS),
      [],
    ],
    [
      "Security Hub's ELB.4 rule",
      albDropInvalidHeaders,
      compliance("securityhub-alb-http-drop-invalid-header-enabled-9f8e7d"),
      [SHOP],
    ],
    [
      "Security Hub's ELB.6 rule",
      albDeletionProtection,
      compliance("securityhub-elb-deletion-protection-enabled-1a2b3c"),
      [SHOP],
    ],
    ["the managed rule ALB_WAF_ENABLED", albWafAttached, compliance("alb-waf-enabled"), [SHOP]],
    ["another control's rule", albDeletionProtection, compliance("securityhub-alb-waf-enabled-4d5e6f"), []],
  ])("%s", async (_name, control, trigger, expected) => {
    // Prepare
    account({ loadBalancers: [loadBalancer(SHOP), loadBalancer(NLB, "network")] });

    // Act
    const targets = await control.resolveTargets(trigger, context());

    // Assess
    expect(targets).toEqual(expected);
  });

  it("finds nothing when the load balancer a truncated CreateLoadBalancer names is already gone", async () => {
    // Prepare
    account();

    // Act
    const targets = await albDeletionProtection.resolveTargets(createdTruncated, context());

    // Assess
    expect(targets).toEqual([]);
  });
});
