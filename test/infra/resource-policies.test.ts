import { runSimulation, type Simulation } from "@cloud-copilot/iam-simulate";
import { describe, expect, it } from "vitest";
import { topicPolicy } from "../../infra/alerts.js";
import {
  approvalKeyPolicy,
  type FunctionName,
  functionStatements,
  policyDocument,
  sealKeyPolicy,
} from "../../infra/permissions.js";
import { account, deployment } from "./support.js";

/**
 * The resource policies that hold whatever identity policies elsewhere in the
 * account grant: the Alerts topic (only driftwarden publishes, over TLS) and
 * the KMS keys (only the requesting roles make link MACs, only the endpoint
 * checks them, only the sealer signs seals). Evaluated with
 * @cloud-copilot/iam-simulate, with the request context AWS sets.
 */
const role = (name: string) => `arn:aws:iam::${account}:role/driftwarden-production-${name}`;
const roles = {
  requestApproval: role("WorkflowRequestApprovalRole"),
  notify: role("WorkflowNotifyRole"),
  reminders: role("ApprovalRemindersRole"),
  approvalEndpoint: role("ApprovalEndpointFunctionRole"),
  audit: role("WorkflowAuditRole"),
} satisfies Partial<Record<FunctionName, string>>;
const admin = `arn:aws:iam::${account}:role/Admin`;
const everything = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };

interface Caller {
  /** An IAM role (its identity policy) or an AWS service principal. */
  principal: string;
  identity?: unknown;
  service?: boolean;
}

const driftwarden = (fn: keyof typeof roles): Caller => ({
  principal: roles[fn],
  identity: policyDocument(functionStatements(fn, deployment)),
});
const administrator: Caller = { principal: admin, identity: everything };

async function decide(
  caller: Caller,
  action: string,
  resource: string,
  resourcePolicy: unknown,
  context: Record<string, string> = {},
): Promise<string> {
  const simulation: Simulation = {
    identityPolicies: caller.identity ? [{ name: "identity", policy: caller.identity }] : [],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy,
    request: {
      action,
      principal: caller.service
        ? caller.principal
        : `${caller.principal.replace(":iam:", ":sts:").replace(":role/", ":assumed-role/")}/session`,
      resource: { accountId: account, resource },
      contextVariables: {
        ...(caller.service
          ? { "aws:PrincipalIsAWSService": "true", "aws:SourceAccount": account }
          : { "aws:PrincipalArn": caller.principal, "aws:PrincipalIsAWSService": "false" }),
        "aws:SecureTransport": "true",
        ...context,
      },
    },
  };
  const response = await runSimulation(simulation, {});
  if (response.resultType === "error")
    throw new Error(`simulation failed: ${JSON.stringify(response.errors)}`);
  return response.overallResult;
}

describe("the Alerts topic", () => {
  const topic = deployment.topicArn;
  const policy = topicPolicy({
    topicArn: topic,
    account,
    publishers: [roles.requestApproval, roles.notify, roles.reminders],
  });

  it.each<[string, string, Caller, Record<string, string>]>([
    ["the notify step", "Allowed", driftwarden("notify"), {}],
    ["the approval request step", "Allowed", driftwarden("requestApproval"), {}],
    ["the reminders", "Allowed", driftwarden("reminders"), {}],
    ["CloudWatch alarms", "Allowed", { principal: "cloudwatch.amazonaws.com", service: true }, {}],
    ["an administrator of the account", "ExplicitlyDenied", administrator, {}],
    [
      "the notify step without TLS",
      "ExplicitlyDenied",
      driftwarden("notify"),
      { "aws:SecureTransport": "false" },
    ],
    ["a driftwarden role that does not notify", "ExplicitlyDenied", driftwarden("audit"), {}],
  ])("publish by %s -> %s", async (_case, expected, caller, context) => {
    // Act
    const result = await decide(caller, "sns:Publish", topic, policy, context);

    // Assess
    expect(result).toBe(expected);
  });

  it("lets EventBridge relay other regions' alarms only from this deployment's rule", async () => {
    // Prepare
    const relayRuleArn = `arn:aws:events:eu-west-1:${account}:rule/driftwarden-dlq-alarms-production`;
    const withRelay = topicPolicy({ topicArn: topic, account, publishers: [roles.notify], relayRuleArn });
    const events: Caller = { principal: "events.amazonaws.com", service: true };

    // Act
    const ours = await decide(events, "sns:Publish", topic, withRelay, { "aws:SourceArn": relayRuleArn });
    const theirs = await decide(events, "sns:Publish", topic, withRelay, {
      "aws:SourceArn": `arn:aws:events:eu-west-1:${account}:rule/someone-else`,
    });

    // Assess
    expect([ours, theirs]).toEqual(["Allowed", "ImplicitlyDenied"]);
  });
});

describe("the approval-link key", () => {
  const key = deployment.keys.approvalLinks;
  const policy = approvalKeyPolicy({
    partition: "aws",
    account,
    makers: [roles.requestApproval, roles.reminders],
    verifiers: [roles.approvalEndpoint],
  });
  const hmac = { "kms:MacAlgorithm": "HMAC_SHA_256" };

  it.each<[string, string, string, Caller]>([
    ["the approval request step", "kms:GenerateMac", "Allowed", driftwarden("requestApproval")],
    ["the reminders", "kms:GenerateMac", "Allowed", driftwarden("reminders")],
    ["the approval endpoint", "kms:VerifyMac", "Allowed", driftwarden("approvalEndpoint")],
    ["the approval endpoint", "kms:GenerateMac", "ExplicitlyDenied", driftwarden("approvalEndpoint")],
    ["the approval request step", "kms:VerifyMac", "ExplicitlyDenied", driftwarden("requestApproval")],
    ["an administrator of the account", "kms:GenerateMac", "ExplicitlyDenied", administrator],
    ["an administrator of the account", "kms:VerifyMac", "ExplicitlyDenied", administrator],
    ["an administrator of the account", "kms:DescribeKey", "Allowed", administrator],
  ])("%s: %s -> %s", async (_case, action, expected, caller) => {
    // Act
    const result = await decide(caller, action, key, policy, hmac);

    // Assess
    expect(result).toBe(expected);
  });

  it("the endpoint's own role cannot make a MAC even where the key policy would not stop it", async () => {
    // Prepare: a key policy without the Denies (as if it were replaced)
    const open = { Version: "2012-10-17", Statement: [policy.Statement[0]] };

    // Act
    const result = await decide(driftwarden("approvalEndpoint"), "kms:GenerateMac", key, open, hmac);

    // Assess
    expect(result).toBe("ImplicitlyDenied");
  });
});

describe("the audit seal key", () => {
  const key = deployment.keys.auditSeals;
  const policy = sealKeyPolicy({ partition: "aws", account, signers: [roles.reminders] });
  const ecdsa = { "kms:SigningAlgorithm": "ECDSA_SHA_256", "kms:MessageType": "RAW" };

  it.each<[string, string, string, Caller]>([
    ["the sealer (reminders)", "kms:Sign", "Allowed", driftwarden("reminders")],
    ["the audit step", "kms:Sign", "ExplicitlyDenied", driftwarden("audit")],
    ["an administrator of the account", "kms:Sign", "ExplicitlyDenied", administrator],
    ["an administrator running audit verify", "kms:GetPublicKey", "Allowed", administrator],
  ])("%s: %s -> %s", async (_case, action, expected, caller) => {
    // Act
    const result = await decide(caller, action, key, policy, ecdsa);

    // Assess
    expect(result).toBe(expected);
  });
});
