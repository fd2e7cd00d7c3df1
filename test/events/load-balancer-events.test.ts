import { describe, expect, it } from "vitest";
import { controls } from "../../functions/controls/registry.js";
import { deployedEventRules } from "../../functions/events/deployed.js";
import { classify } from "../../functions/intake/classify.js";
import { routingPlan } from "../../infra/routing-plan.js";
import { routeEvent, unmatchedReason } from "../../local/router/router.js";
import type { SandboxAccount } from "../../local/sandbox/account.js";
import {
  account,
  CERTIFICATE,
  developer,
  forward,
  httpListener,
  httpsListener,
  loadBalancer,
  SHOP,
  SHOP_ACL,
  SHOP_HTTP,
  SHOP_HTTPS,
} from "../controls/elbv2/sandbox.js";

const remediatorRoleArn = "arn:aws:iam::111122223333:role/driftwarden-remediator";
const rules = deployedEventRules(remediatorRoleArn);
// The load balancers live in the home region, where intake runs.
const plan = routingPlan({ rules, homeRegion: "eu-west-1", regions: ["eu-west-1"], stage: "test" });
const shopAcl = { Name: "shop-rules", Id: "a1b2c3d4-5678-90ab-cdef-111111111111", ARN: SHOP_ACL };

function shop(): SandboxAccount {
  return account({
    loadBalancers: [loadBalancer(SHOP)],
    listeners: [
      httpListener(SHOP_HTTP, SHOP),
      httpsListener(SHOP_HTTPS, SHOP, "ELBSecurityPolicy-TLS13-1-2-2021-06"),
    ],
    webAcls: [shopAcl],
    associations: [{ ResourceArn: SHOP, WebACLArn: SHOP_ACL }],
  });
}

/** The EventBridge event CloudTrail delivers for the account's last change, as the sandbox echoes it. */
async function eventOf(
  sandbox: SandboxAccount,
  service: "elbv2" | "wafv2",
  action: string,
  input: Record<string, unknown>,
  who = developer,
) {
  await sandbox.call(service, action, input, who);
  const mutation = sandbox.mutations.at(-1);
  if (!mutation) throw new Error(`${action} changed nothing`);
  return sandbox.cloudTrailEvent(mutation) as unknown as Record<string, unknown>;
}

const controlsOf = (envelope: unknown) => {
  const classified = classify(envelope, { controls, remediatorRoleArn });
  return classified.kind === "trigger" ? classified.controls.map((c) => c.metadata.id) : classified;
};

describe("the deployed CloudTrail rule", () => {
  it("has a WAF branch of its own beside ELBv2's, with every load balancer call the controls need", () => {
    // Act
    const regional = rules.find((rule) => rule.name === "driftwarden-cloudtrail-regional");
    const pattern = regional?.pattern as {
      source: string[];
      detail: { $or: { eventSource: string[]; eventName: string[] }[] };
    };

    // Assess
    expect(pattern.source).toEqual(["aws.elasticloadbalancing", "aws.wafv2"]);
    const branches = Object.fromEntries(pattern.detail.$or.map((b) => [b.eventSource[0], b.eventName]));
    expect(branches["wafv2.amazonaws.com"]).toEqual(["AssociateWebACL", "DisassociateWebACL"]);
    expect(branches["elasticloadbalancing.amazonaws.com"]).toEqual(
      expect.arrayContaining([
        "CreateLoadBalancer",
        "ModifyLoadBalancerAttributes",
        "CreateListener",
        "ModifyListener",
      ]),
    );
  });
});

describe("a change someone makes reaches the controls it concerns", () => {
  it.each([
    {
      name: "WAF's DisassociateWebACL",
      change: ["wafv2", "DisassociateWebACL", { ResourceArn: SHOP }] as const,
      expected: ["alb-waf-attached"],
    },
    {
      name: "WAF's AssociateWebACL",
      change: ["wafv2", "AssociateWebACL", { WebACLArn: SHOP_ACL, ResourceArn: SHOP }] as const,
      expected: ["alb-waf-attached"],
    },
    {
      name: "ModifyLoadBalancerAttributes",
      change: [
        "elbv2",
        "ModifyLoadBalancerAttributes",
        { LoadBalancerArn: SHOP, Attributes: [{ Key: "deletion_protection.enabled", Value: "false" }] },
      ] as const,
      expected: ["alb-drop-invalid-headers", "alb-deletion-protection"],
    },
    {
      name: "ModifyListener setting an SslPolicy",
      change: [
        "elbv2",
        "ModifyListener",
        { ListenerArn: SHOP_HTTPS, SslPolicy: "ELBSecurityPolicy-2016-08" },
      ] as const,
      expected: ["alb-http-to-https-redirect", "alb-tls-policy"],
    },
    {
      name: "CreateListener",
      change: [
        "elbv2",
        "CreateListener",
        {
          LoadBalancerArn: SHOP,
          Protocol: "HTTPS",
          Port: 8443,
          Certificates: [{ CertificateArn: CERTIFICATE }],
          DefaultActions: forward,
        },
      ] as const,
      expected: ["alb-http-to-https-redirect", "alb-tls-policy"],
    },
  ])("$name -> $expected", async ({ change, expected }) => {
    // Prepare
    const sandbox = shop();
    const [service, action, input] = change;
    const envelope = await eventOf(sandbox, service, action, input);

    // Act
    const matched = routeEvent(envelope, plan).matched;
    const concerned = controlsOf(envelope);

    // Assess
    expect(matched).toEqual(["driftwarden-cloudtrail-regional"]);
    expect(concerned).toEqual(expected);
  });

  it("the remediator's own WAF call matches no rule and is accounted as own-change", async () => {
    // Prepare
    const sandbox = shop();
    await sandbox.call("wafv2", "DisassociateWebACL", { ResourceArn: SHOP }, developer);
    const envelope = await eventOf(
      sandbox,
      "wafv2",
      "AssociateWebACL",
      { WebACLArn: SHOP_ACL, ResourceArn: SHOP },
      sandbox.remediator(),
    );

    // Act
    const matched = routeEvent(envelope, plan).matched;

    // Assess
    expect(matched).toEqual([]);
    expect(unmatchedReason(envelope, remediatorRoleArn)).toBe("own-change");
  });

  it("a WAF call no control listens to (a web ACL's rules changed) matches no rule", async () => {
    // Prepare
    const sandbox = shop();
    const envelope = await eventOf(sandbox, "wafv2", "DisassociateWebACL", { ResourceArn: SHOP });
    const detail = envelope.detail as Record<string, unknown>;
    detail.eventName = "UpdateWebACL";

    // Act
    const matched = routeEvent(envelope, plan).matched;

    // Assess
    expect(matched).toEqual([]);
    expect(unmatchedReason(envelope, remediatorRoleArn)).toBe("not-relevant");
  });
});
