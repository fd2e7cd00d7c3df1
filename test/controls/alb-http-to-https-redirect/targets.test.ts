import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { resolveTargets } from "../../../functions/controls/alb-http-to-https-redirect/targets.js";
import type { Trigger } from "../../../functions/controls/types.js";
import {
  ACCOUNT,
  cloudTrail,
  fixture,
  HTTP_LISTENER,
  LB_ARN,
  NLB_ARN,
  NLB_LISTENER,
  NLB_RULE,
  REGION,
  RULE_ACME,
  RULE_API,
  ruleArn,
  triggerOf,
} from "./builders.js";
import { FakeElbv2 } from "./fake-elbv2.js";
import { context, INTRANET_ADMIN_LISTENER, INTRANET_LB, INTRANET_LISTENER, world } from "./world.js";

const INTRANET_RULE = `${INTRANET_LISTENER.replace(":listener/", ":listener-rule/")}/3e4f5a6b7c8d9e0f`;

const compliance = (overrides: Partial<Extract<Trigger, { kind: "compliance" }>> = {}): Trigger => ({
  kind: "compliance",
  configRuleName: "securityhub-alb-http-to-https-redirection-check-a1b2c3",
  resourceType: "AWS::ElasticLoadBalancingV2::LoadBalancer",
  resourceId: INTRANET_LB,
  region: REGION,
  account: ACCOUNT,
  newCompliance: "NON_COMPLIANT",
  ...overrides,
});

const configItem = (arn: string, resourceType = "AWS::ElasticLoadBalancingV2::Listener"): Trigger => ({
  kind: "config-item",
  resourceType,
  resourceId: arn,
  arn,
  region: REGION,
  account: ACCOUNT,
  status: "OK",
  configuration: null,
});

let elbv2: FakeElbv2;

beforeEach(() => {
  elbv2 = new FakeElbv2(world()).install();
});

afterEach(() => {
  elbv2.uninstall();
});

describe("resolveTargets", () => {
  it.each([
    {
      name: "CreateListener (shared fixture): the created listener",
      trigger: triggerOf(fixture("elbv2-create-listener.json")),
      expected: [INTRANET_LISTENER],
    },
    {
      name: "CreateListener without responseElements: the load balancer's HTTP listeners",
      trigger: cloudTrail("CreateListener", { loadBalancerArn: INTRANET_LB, port: 80, protocol: "HTTP" }),
      expected: [INTRANET_LISTENER, INTRANET_ADMIN_LISTENER],
    },
    {
      name: "CreateListener of HTTPS without responseElements: the load balancer's HTTP listeners, whose redirect it makes safe",
      trigger: cloudTrail("CreateListener", { loadBalancerArn: INTRANET_LB, port: 443, protocol: "HTTPS" }),
      expected: [INTRANET_LISTENER, INTRANET_ADMIN_LISTENER],
    },
    {
      name: "CreateListener of HTTPS: the load balancer's HTTP listeners, not the HTTPS one it created",
      trigger: cloudTrail(
        "CreateListener",
        { loadBalancerArn: INTRANET_LB, port: 443, protocol: "HTTPS" },
        {
          listeners: [
            {
              listenerArn: `${INTRANET_LB.replace(":loadbalancer/", ":listener/")}/0f1e2d3c4b5a6978`,
              loadBalancerArn: INTRANET_LB,
              protocol: "HTTPS",
            },
          ],
        },
      ),
      expected: [INTRANET_LISTENER, INTRANET_ADMIN_LISTENER],
    },
    {
      name: "CreateListener of HTTPS without requestParameters: the response names the load balancer",
      trigger: cloudTrail("CreateListener", null, {
        listeners: [
          {
            listenerArn: `${INTRANET_LB.replace(":loadbalancer/", ":listener/")}/0f1e2d3c4b5a6978`,
            loadBalancerArn: INTRANET_LB,
            protocol: "HTTPS",
          },
        ],
      }),
      expected: [INTRANET_LISTENER, INTRANET_ADMIN_LISTENER],
    },
    {
      name: "ModifyListener (shared fixture)",
      trigger: triggerOf(fixture("elbv2-modify-listener.json")),
      expected: [HTTP_LISTENER],
    },
    {
      name: "ModifyListener turning a listener into HTTPS: it and the load balancer's HTTP listeners",
      trigger: cloudTrail("ModifyListener", {
        listenerArn: INTRANET_ADMIN_LISTENER,
        port: 443,
        protocol: "HTTPS",
        certificates: [
          {
            certificateArn:
              "arn:aws:acm:eu-west-1:111122223333:certificate/0f0e0d0c-0b0a-4909-8807-060504030201",
          },
        ],
      }),
      expected: [INTRANET_ADMIN_LISTENER, INTRANET_LISTENER],
    },
    {
      name: "ModifyListener that does not set the protocol: only that listener",
      trigger: cloudTrail("ModifyListener", { listenerArn: INTRANET_ADMIN_LISTENER, port: 8080 }),
      expected: [INTRANET_ADMIN_LISTENER],
    },
    {
      name: "CreateRule: the listener in the request",
      trigger: cloudTrail(
        "CreateRule",
        { listenerArn: HTTP_LISTENER, priority: 10, conditions: [], actions: [] },
        { rules: [{ ruleArn: RULE_API, priority: "10", isDefault: false }] },
      ),
      expected: [HTTP_LISTENER],
    },
    {
      name: "CreateRule without listenerArn: the created rule's listener",
      trigger: cloudTrail("CreateRule", { priority: 10 }, { rules: [{ ruleArn: RULE_API, priority: "10" }] }),
      expected: [HTTP_LISTENER],
    },
    {
      name: "ModifyRule: the rule's listener",
      trigger: cloudTrail(
        "ModifyRule",
        { ruleArn: RULE_API, actions: [] },
        { rules: [{ ruleArn: RULE_API }] },
      ),
      expected: [HTTP_LISTENER],
    },
    {
      name: "DeleteRule: the rule's listener",
      trigger: cloudTrail("DeleteRule", { ruleArn: RULE_ACME }),
      expected: [HTTP_LISTENER],
    },
    {
      name: "SetRulePriorities: distinct listeners of the rules",
      trigger: cloudTrail("SetRulePriorities", {
        rulePriorities: [
          { ruleArn: RULE_API, priority: 20 },
          { ruleArn: RULE_ACME, priority: 5 },
          { ruleArn: INTRANET_RULE, priority: 1 },
        ],
      }),
      expected: [HTTP_LISTENER, INTRANET_LISTENER],
    },
    {
      name: "ModifyListener whose request CloudTrail left out: the listener in the response",
      trigger: cloudTrail("ModifyListener", null, {
        listeners: [{ listenerArn: HTTP_LISTENER, port: 80, protocol: "HTTP" }],
      }),
      expected: [HTTP_LISTENER],
    },
    {
      name: "ModifyRule whose request CloudTrail left out: the responded rule's listener",
      trigger: cloudTrail("ModifyRule", null, { rules: [{ ruleArn: RULE_API, priority: "10" }] }),
      expected: [HTTP_LISTENER],
    },
    {
      name: "SetRulePriorities whose request CloudTrail left out: the listeners of the responded rules",
      trigger: cloudTrail("SetRulePriorities", null, {
        rules: [{ ruleArn: RULE_ACME }, { ruleArn: INTRANET_RULE }],
      }),
      expected: [HTTP_LISTENER, INTRANET_LISTENER],
    },
    {
      name: "ModifyListener of a network load balancer",
      trigger: cloudTrail("ModifyListener", { listenerArn: NLB_LISTENER }),
      expected: [],
    },
    {
      name: "ModifyRule of a network load balancer rule ARN",
      trigger: cloudTrail("ModifyRule", { ruleArn: NLB_RULE }),
      expected: [],
    },
    {
      name: "CreateListener on a network load balancer",
      trigger: cloudTrail(
        "CreateListener",
        { loadBalancerArn: NLB_ARN, port: 80, protocol: "TCP" },
        { listeners: [{ listenerArn: NLB_LISTENER, protocol: "TCP" }] },
      ),
      expected: [],
    },
    {
      name: "an unrelated ELBv2 event (ModifyLoadBalancerAttributes)",
      trigger: cloudTrail("ModifyLoadBalancerAttributes", { loadBalancerArn: LB_ARN }),
      expected: [],
    },
    {
      name: "an event from another service with a listener-like name",
      trigger: {
        ...cloudTrail("ModifyListener", { listenerArn: HTTP_LISTENER }),
        eventSource: "ec2.amazonaws.com",
      },
      expected: [],
    },
    {
      name: "ModifyRule with a malformed rule ARN",
      trigger: cloudTrail("ModifyRule", { ruleArn: "not-an-arn" }),
      expected: [],
    },
    {
      name: "Config item of a listener (shared fixture)",
      trigger: triggerOf(fixture("config-item-change-listener.json")),
      expected: [HTTP_LISTENER],
    },
    {
      name: "Config item carrying the ARN only in arn",
      trigger: { ...configItem(HTTP_LISTENER), resourceId: "8c7b6a5948372615" },
      expected: [HTTP_LISTENER],
    },
    {
      name: "Config item of a network listener",
      trigger: configItem(NLB_LISTENER),
      expected: [],
    },
    {
      name: "Config item of another resource type",
      trigger: configItem(LB_ARN, "AWS::ElasticLoadBalancingV2::LoadBalancer"),
      expected: [],
    },
    {
      name: "Security Hub compliance change of a load balancer: its HTTP listeners",
      trigger: compliance(),
      expected: [INTRANET_LISTENER, INTRANET_ADMIN_LISTENER],
    },
    {
      name: "compliance change of the managed rule deployed under its own name",
      trigger: compliance({ configRuleName: "ALB_HTTP_TO_HTTPS_REDIRECTION_CHECK", resourceId: LB_ARN }),
      expected: [HTTP_LISTENER],
    },
    {
      name: "compliance change of a load balancer that is gone",
      trigger: compliance({ resourceId: LB_ARN.replace("0f9e8d7c6b5a4930", "ffffffffffffffff") }),
      expected: [],
    },
    {
      name: "compliance change of a network load balancer",
      trigger: compliance({ resourceId: NLB_ARN }),
      expected: [],
    },
    {
      name: "compliance change of another rule",
      trigger: compliance({ configRuleName: "securityhub-elb-deletion-protection-enabled-a1b2c3" }),
      expected: [],
    },
  ])("$name", async ({ trigger, expected }) => {
    // Prepare: the account from world(); the trigger in the table row.

    // Act
    const targets = await resolveTargets(trigger, context());

    // Assess
    expect(targets).toEqual(expected);
  });

  it("maps a rule ARN to its listener by ARN alone, without calling AWS", async () => {
    // Prepare
    const trigger = cloudTrail("DeleteRule", { ruleArn: ruleArn("0123456789abcdef") });

    // Act
    const targets = await resolveTargets(trigger, context());

    // Assess
    expect(targets).toEqual([HTTP_LISTENER]);
    expect(elbv2.calls).toEqual([]);
  });
});
