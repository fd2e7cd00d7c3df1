import { isWildcardOnlyAction, runSimulation, type Simulation } from "@cloud-copilot/iam-simulate";
import { describe, expect, it } from "vitest";
import { controls } from "../../functions/controls/registry.js";
import { controlMetadata } from "../../infra/controls.js";
import {
  type FunctionName,
  forwarderStatements,
  functionNames,
  functionStatements,
  policyDocument,
  readStatements,
  remediatorOnlyFromApply,
  remediatorRole,
  remediatorStatements,
  type Statement,
  stateMachineStatements,
} from "../../infra/permissions.js";
import { account, deployment, remediatorArn, stepArns } from "./support.js";

const listener = `arn:aws:elasticloadbalancing:us-west-2:${account}:listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2`;
const listenerRule = `arn:aws:elasticloadbalancing:eu-west-1:${account}:listener-rule/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee`;
const loadBalancer = `arn:aws:elasticloadbalancing:us-west-2:${account}:loadbalancer/app/web/50dc6c495c0c9188`;
const distribution = `arn:aws:cloudfront::${account}:distribution/E1QSDF4EXAMPLE`;
const vpcOrigin = `arn:aws:cloudfront::${account}:vpcorigin/vo_BQwjxxQxjCaBcQLzJUFkDM`;
const responseHeadersPolicy = `arn:aws:cloudfront::${account}:response-headers-policy/67f7725c-6f97-4210-82d7-5512b31e9d03`;
const unwatchedListener = `arn:aws:elasticloadbalancing:ap-south-1:${account}:listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2`;
const networkListener = `arn:aws:elasticloadbalancing:us-west-2:${account}:listener/net/nlb/50dc6c495c0c9188/f2f7dc8efc522ab2`;
const networkLoadBalancer = `arn:aws:elasticloadbalancing:us-west-2:${account}:loadbalancer/net/nlb/50dc6c495c0c9188`;
const unwatchedLoadBalancer = `arn:aws:elasticloadbalancing:ap-south-1:${account}:loadbalancer/app/web/50dc6c495c0c9188`;
const webAcl = `arn:aws:wafv2:us-west-2:${account}:regional/webacl/baseline/a1b2c3d4-5678-90ab-cdef-111111111111`;
const globalWebAcl = `arn:aws:wafv2:us-east-1:${account}:global/webacl/edge/a1b2c3d4-5678-90ab-cdef-222222222222`;

async function decide(statements: Statement[], action: string, resource: string, principal = remediatorArn) {
  return decideWith(statements, action, resource, {}, principal);
}

async function decideWith(
  statements: Statement[],
  action: string,
  resource: string,
  contextVariables: Record<string, string | string[]>,
  principal = remediatorArn,
) {
  const simulation: Simulation = {
    identityPolicies: [{ name: "inline", policy: policyDocument(statements) }],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: undefined,
    request: { action, principal, resource: { accountId: account, resource }, contextVariables },
  };
  const response = await runSimulation(simulation, {});
  if (response.resultType === "error")
    throw new Error(`simulation failed: ${JSON.stringify(response.errors)}`);
  return response.overallResult;
}

const remediator = remediatorStatements(deployment);
const detector = readStatements(deployment);

const everyStatement: Array<[string, Statement[]]> = [
  ["remediator", [...remediatorRole(deployment), ...remediatorOnlyFromApply(deployment, stepArns.apply)]],
  ...functionNames.map((name): [string, Statement[]] => [name, functionStatements(name, deployment)]),
  ["state machine", stateMachineStatements(stepArns)],
  ["event forwarder", forwarderStatements(deployment)],
];

describe("IAM", () => {
  it.each([
    ["elasticloadbalancing:ModifyListener", listener],
    ["elasticloadbalancing:ModifyRule", listenerRule],
    ["cloudfront:UpdateDistribution", distribution],
    ["cloudfront:GetDistributionConfig", distribution],
    ["cloudfront:GetVpcOrigin", vpcOrigin],
    ["elasticloadbalancing:ModifyLoadBalancerAttributes", loadBalancer],
    ["wafv2:AssociateWebACL", webAcl],
    ["wafv2:AssociateWebACL", loadBalancer],
    ["elasticloadbalancing:CreateWebACLAssociation", loadBalancer],
  ])("the remediator may %s on %s", async (action, resource) => {
    // Prepare: the remediator's statements

    // Act
    const result = await decide(remediatorRole(deployment), action, resource);

    // Assess
    expect(result).toBe("Allowed");
  });

  it.each([
    ["elasticloadbalancing:DeleteLoadBalancer", loadBalancer],
    ["elasticloadbalancing:DeleteListener", listener],
    ["elasticloadbalancing:ModifyListener", unwatchedListener],
    ["elasticloadbalancing:ModifyListener", networkListener],
    ["elasticloadbalancing:ModifyLoadBalancerAttributes", networkLoadBalancer],
    ["elasticloadbalancing:ModifyLoadBalancerAttributes", unwatchedLoadBalancer],
    ["wafv2:AssociateWebACL", globalWebAcl],
    ["wafv2:AssociateWebACL", unwatchedLoadBalancer],
    ["wafv2:DisassociateWebACL", loadBalancer],
    ["wafv2:DeleteWebACL", webAcl],
    ["elasticloadbalancing:DeleteWebACLAssociation", loadBalancer],
    ["elasticloadbalancing:SetWebAcl", "*"],
    ["cloudfront:DeleteDistribution", distribution],
    ["cloudfront:CreateInvalidation", distribution],
    ["cloudfront:DeleteVpcOrigin", vpcOrigin],
    ["cloudfront:UpdateResponseHeadersPolicy", responseHeadersPolicy],
    // CloudFront refuses to change a VPC origin a distribution uses: that fix is blocked, never made.
    ["cloudfront:UpdateVpcOrigin", vpcOrigin],
    ["iam:PassRole", remediatorArn],
    ["iam:CreateUser", `arn:aws:iam::${account}:user/mallory`],
    ["iam:AttachRolePolicy", remediatorArn],
    ["iam:PutRolePolicy", remediatorArn],
    ["dynamodb:DeleteTable", deployment.tables.audit],
  ])("the remediator may not %s on %s", async (action, resource) => {
    // Prepare: the remediator's statements

    // Act
    const result = await decide(remediator, action, resource);

    // Assess
    expect(result).toBe("ImplicitlyDenied");
  });

  it.each([
    ["elasticloadbalancing:DescribeListeners", "*", "Allowed"],
    ["elasticloadbalancing:DescribeRules", "*", "Allowed"],
    ["cloudfront:GetDistribution", distribution, "Allowed"],
    ["elasticloadbalancing:ModifyListener", listener, "ImplicitlyDenied"],
    ["elasticloadbalancing:ModifyRule", listenerRule, "ImplicitlyDenied"],
    ["cloudfront:UpdateDistribution", distribution, "ImplicitlyDenied"],
    ["cloudfront:GetVpcOrigin", vpcOrigin, "Allowed"],
    ["cloudfront:GetResponseHeadersPolicy", responseHeadersPolicy, "Allowed"],
    ["cloudfront:UpdateVpcOrigin", vpcOrigin, "ImplicitlyDenied"],
    ["elasticloadbalancing:DescribeLoadBalancerAttributes", "*", "Allowed"],
    ["elasticloadbalancing:DescribeSSLPolicies", "*", "Allowed"],
    ["wafv2:GetWebACLForResource", loadBalancer, "Allowed"],
    ["wafv2:GetWebACLForResource", webAcl, "Allowed"],
    ["elasticloadbalancing:GetLoadBalancerWebACL", loadBalancer, "Allowed"],
    ["elasticloadbalancing:ModifyLoadBalancerAttributes", loadBalancer, "ImplicitlyDenied"],
    ["wafv2:AssociateWebACL", webAcl, "ImplicitlyDenied"],
  ])("detectors: %s on %s -> %s", async (action, resource, expected) => {
    // Prepare: the detectors' read statements

    // Act
    const result = await decide(detector, action, resource);

    // Assess
    expect(result).toBe(expected);
  });

  it.each<[FunctionName, string, string, string]>([
    ["intake", "states:StartExecution", deployment.stateMachineArn, "Allowed"],
    ["intake", "dynamodb:PutItem", deployment.tables.events, "Allowed"],
    ["intake", "dynamodb:GetItem", deployment.tables.events, "Allowed"],
    ["intake", "dynamodb:UpdateItem", deployment.tables.events, "Allowed"],
    ["intake", "dynamodb:PutItem", deployment.tables.audit, "ImplicitlyDenied"],
    ["intake", "elasticloadbalancing:ModifyListener", listener, "ImplicitlyDenied"],
    ["sweep", "states:StartExecution", deployment.stateMachineArn, "Allowed"],
    ["evaluate", "states:StartExecution", deployment.stateMachineArn, "ImplicitlyDenied"],
    ["evaluate", "dynamodb:Query", deployment.tables.history, "Allowed"],
    ["evaluate", "dynamodb:GetItem", deployment.tables.approvals, "Allowed"],
    ["evaluate", "dynamodb:UpdateItem", deployment.tables.approvals, "ImplicitlyDenied"],
    ["evaluate", "elasticloadbalancing:ModifyListener", listener, "ImplicitlyDenied"],
    ["verify", "elasticloadbalancing:ModifyListener", listener, "ImplicitlyDenied"],
    ["sweep", "dynamodb:UpdateItem", deployment.tables.events, "Allowed"],
    ["sweep", "dynamodb:PutItem", deployment.tables.events, "ImplicitlyDenied"],
    ["requestApproval", "sns:Publish", deployment.topicArn, "Allowed"],
    ["requestApproval", "dynamodb:PutItem", deployment.tables.approvals, "Allowed"],
    ["audit", "dynamodb:DeleteItem", deployment.tables.audit, "ExplicitlyDenied"],
    ["audit", "dynamodb:BatchWriteItem", deployment.tables.audit, "ExplicitlyDenied"],
    ["reminders", "dynamodb:DeleteItem", deployment.tables.audit, "ExplicitlyDenied"],
    ["requestApproval", "dynamodb:PartiQLDelete", deployment.tables.audit, "ExplicitlyDenied"],
    ["audit", "dynamodb:PutItem", deployment.tables.history, "Allowed"],
    ["notify", "sns:Publish", deployment.topicArn, "Allowed"],
    ["notify", "sns:Publish", `arn:aws:sns:eu-west-1:${account}:someone-elses-topic`, "ImplicitlyDenied"],
    ["approvalEndpoint", "states:SendTaskSuccess", "*", "Allowed"],
    ["approvalEndpoint", "dynamodb:UpdateItem", deployment.tables.approvals, "Allowed"],
    ["approvalEndpoint", "dynamodb:UpdateItem", deployment.tables.audit, "ImplicitlyDenied"],
    ["reminders", "dynamodb:Query", `${deployment.tables.approvals}/index/byStatus`, "Allowed"],
    ["reminders", "dynamodb:UpdateItem", deployment.tables.approvals, "Allowed"],
    ["reminders", "states:SendTaskSuccess", "*", "ImplicitlyDenied"],
    [
      "approvalEndpoint",
      "dynamodb:Query",
      `${deployment.tables.approvals}/index/byStatus`,
      "ImplicitlyDenied",
    ],
    [
      "approvalEndpoint",
      "states:StopExecution",
      `${deployment.stateMachineArn.replace("stateMachine", "execution")}:x`,
      "ImplicitlyDenied",
    ],
  ])("%s: %s on %s -> %s", async (fn, action, resource, expected) => {
    // Prepare
    const statements = functionStatements(fn, deployment);

    // Act
    const result = await decide(statements, action, resource, `arn:aws:iam::${account}:role/${fn}`);

    // Assess
    expect(result).toBe(expected);
  });

  it.each<[FunctionName | "remediator", string, string, string]>([
    ["audit", "dynamodb:PutItem", "seq#000000000042", "Allowed"],
    ["audit", "dynamodb:UpdateItem", "head", "Allowed"],
    ["audit", "dynamodb:PutItem", "seal#000000000001", "ImplicitlyDenied"],
    ["audit", "dynamodb:UpdateItem", "seq#000000000042", "ExplicitlyDenied"],
    ["audit", "dynamodb:UpdateItem", "idem#run-1#outcome", "Allowed"],
    ["requestApproval", "dynamodb:PutItem", "seq#000000000043", "Allowed"],
    ["requestApproval", "dynamodb:UpdateItem", "seq#000000000042", "ExplicitlyDenied"],
    ["reminders", "dynamodb:PutItem", "seal#000000000007", "Allowed"],
    ["reminders", "dynamodb:UpdateItem", "sealhead", "Allowed"],
    ["reminders", "dynamodb:UpdateItem", "seal#000000000007", "ExplicitlyDenied"],
    ["reminders", "dynamodb:UpdateItem", "seq#000000000042", "ExplicitlyDenied"],
    ["approvalEndpoint", "dynamodb:GetItem", "seq#000000000042", "ImplicitlyDenied"],
    ["intake", "dynamodb:PutItem", "event#5e3a5cd0", "Allowed"],
    ["intake", "dynamodb:PutItem", "journal#run-1#1", "ImplicitlyDenied"],
    ["notify", "dynamodb:PutItem", "notified#run-1#fixed", "Allowed"],
    ["notify", "dynamodb:PutItem", "event#5e3a5cd0", "ImplicitlyDenied"],
    ["remediator", "dynamodb:UpdateItem", "journal#run-1#1", "Allowed"],
    ["remediator", "dynamodb:UpdateItem", "event#5e3a5cd0", "ImplicitlyDenied"],
  ])("%s: %s of the item %s -> %s", async (fn, action, key, expected) => {
    // Prepare: each function reaches only its own items of a shared table (dynamodb:LeadingKeys)
    const statements = fn === "remediator" ? remediatorRole(deployment) : functionStatements(fn, deployment);
    const auditKeys = /^(seq#|seal#|idem#|head$|sealhead$)/;
    const table = auditKeys.test(key) ? "audit" : "events";

    // Act
    const result = await decideWith(statements, action, deployment.tables[table], {
      "dynamodb:LeadingKeys": [key],
    });

    // Assess
    expect(result).toBe(expected);
  });

  it("grants the remediator exactly the fixers' declared actions", () => {
    // Prepare
    const declared = [...new Set(controlMetadata.flatMap((control) => control.fixActions))].sort();

    // Act
    const granted = [...new Set(remediator.flatMap((statement) => statement.actions))].sort();

    // Assess
    expect(granted).toEqual(declared);
  });

  it("deploys the registry's controls (infra reads their metadata directly)", () => {
    // Prepare / Act / Assess
    expect(controlMetadata).toEqual(controls.map((control) => control.metadata));
  });

  it.each(everyStatement)("%s: no action has a wildcard", (_name, statements) => {
    // Prepare / Act
    const actions = statements.flatMap((statement) => statement.actions);

    // Assess
    expect(actions.length).toBeGreaterThan(0);
    for (const action of actions) expect(action).toMatch(/^[a-z0-9-]+:[A-Za-z0-9]+$/);
  });

  it.each(everyStatement)(
    "%s: resource * only for actions without resource-level permissions",
    async (_name, statements) => {
      // Prepare: a Deny on every resource only narrows; an Allow on every resource is what must be justified
      const unscoped = statements.filter(
        (statement) => statement.effect !== "Deny" && statement.resources.includes("*"),
      );

      // Act
      const checks = await Promise.all(
        unscoped.flatMap((statement) =>
          statement.actions.map(async (action) => {
            const [service = "", name = ""] = action.split(":");
            return [action, await isWildcardOnlyAction(service, name)] as const;
          }),
        ),
      );

      // Assess
      for (const statement of unscoped) expect(statement.resources).toEqual(["*"]);
      expect(checks.filter(([, wildcardOnly]) => !wildcardOnly)).toEqual([]);
    },
  );

  it("refuses a control action it has no resource scope for", () => {
    // Prepare
    const [first] = controlMetadata;
    if (!first) throw new Error("no controls");
    const control = { ...first, fixActions: ["elasticloadbalancing:DeleteLoadBalancer"] };

    // Act
    const build = () => remediatorStatements(deployment, [control]);

    // Assess
    expect(build).toThrow(/elasticloadbalancing:DeleteLoadBalancer.*actionScopes/);
  });
});
