import { runSimulation, type Simulation } from "@cloud-copilot/iam-simulate";
import type { Pluggable } from "@smithy/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clients, useClientPlugin } from "../../functions/lib/aws.js";
import type { DriftwardenResources } from "../../functions/lib/resources.js";
import {
  approvalsTable,
  auditTable,
  eventsTable,
  exemptionsTable,
  fixHistoryTable,
  outboxTable,
  type TableShape,
} from "../../functions/lib/tables.js";
import {
  approvalKeyPolicy,
  type DeploymentArns,
  type FunctionName,
  functionNames,
  functionStatements,
  policyDocument,
  remediatorOnlyFromApply,
  remediatorRole,
  type Statement,
  sealKeyPolicy,
} from "../../infra/permissions.js";
import { currentFunction, type LocalFunction } from "../../local/invocation.js";
import { LocalRuntime } from "../../local/runtime.js";
import type { Step } from "../../local/scenario.js";
import { formFields, get, post, startHarness } from "../approvals/support.js";
import { scenarioFile } from "../cli/support.js";
import { account, deployment, stepArns } from "./support.js";

/**
 * Least privilege, measured: every AWS call each function makes while the
 * local pipeline runs its flows (fixes, approvals by page and by rejection,
 * expiries, reminders, exemptions, flapping, sweeps, and the outbox when the
 * audit table and SNS fail) is recorded with the function that made it, then
 * evaluated against that function's own generated statements with
 * @cloud-copilot/iam-simulate. A call its role does not allow fails the test;
 * so does a statement no recorded call needed (an unused grant).
 */
interface Call {
  fn: LocalFunction;
  service: string;
  action: string;
  input: Record<string, unknown>;
}

const calls: Call[] = [];
let inject: ((call: Call) => Error | undefined) | undefined;
/** Calls that fail once each, the first time one matches: a step dies mid-way and is retried. */
const failOnce: Array<{ what: string; match: (call: Call) => boolean }> = [];

function injected(call: Call): Error | undefined {
  const index = failOnce.findIndex((rule) => rule.match(call));
  if (index >= 0) {
    const [rule] = failOnce.splice(index, 1);
    return serverError(rule?.what ?? "it");
  }
  return inject?.(call);
}

function record(service: string, commandName: string | undefined, input: Record<string, unknown>): void {
  const fn = currentFunction();
  const action = commandName?.replace(/Command$/, "");
  if (!fn || !action) return;
  const call = { fn, service, action, input };
  calls.push(call);
  const failure = injected(call);
  if (failure) throw failure;
}

// biome-ignore lint/suspicious/noExplicitAny: SDK middleware is generic over every client's input/output union
const recorder = (service: string): Pluggable<any, any> => ({
  applyToStack: (stack) => {
    stack.add(
      (next, context) => async (args) => {
        record(service, context.commandName, args.input as Record<string, unknown>);
        return next(args);
      },
      { step: "initialize", priority: "high", name: "leastPrivilegeRecorder", override: true },
    );
  },
});

/** DynamoDB's document client is made apart from the plugged clients: its stack gets the recorder directly. */
function recordDynamo(region: string): void {
  clients.dynamo(region).middlewareStack.use(recorder("dynamodb"));
}

/** The update that records a claimed notification as sent (notify/once.ts). */
const isClaimDone = (call: Call) =>
  call.action === "UpdateItem" && String(call.input.UpdateExpression ?? "").includes("messageId");

const serverError = (what: string) =>
  Object.assign(new Error(`injected: ${what} is unavailable`), {
    name: "ServiceUnavailable",
    $fault: "server",
  });

async function runScenario(name: string, during?: (runtime: LocalRuntime) => Promise<void>): Promise<void> {
  const scenario = scenarioFile(name);
  const runtime = await LocalRuntime.start({
    account: scenario.account,
    region: scenario.region,
    clock: scenario.clock,
    config: scenario.config,
    state: scenario.state,
  });
  recordDynamo(scenario.region);
  learn(runtime.resources);
  try {
    for (const [index, step] of (scenario.steps as Step[]).entries()) await runtime.step(index + 1, step);
    await during?.(runtime);
    await runtime.remind();
  } finally {
    await runtime.close();
  }
}

// --- local names -> the deployment's ARNs --------------------------------------------------------
const tableArns = new Map<string, string>();
const keyArns = new Map<string, string>();
const topics = new Set<string>();
const shapes: Array<[TableShape, keyof typeof deployment.tables]> = [
  [auditTable, "audit"],
  [approvalsTable, "approvals"],
  [fixHistoryTable, "history"],
  [eventsTable, "events"],
  [exemptionsTable, "exemptions"],
  [outboxTable, "outbox"],
];

function learn(res: DriftwardenResources): void {
  tableArns.set(res.auditTable, deployment.tables.audit);
  tableArns.set(res.approvalsTable, deployment.tables.approvals);
  tableArns.set(res.historyTable, deployment.tables.history);
  tableArns.set(res.eventsTable, deployment.tables.events);
  tableArns.set(res.exemptionsTable, deployment.tables.exemptions);
  tableArns.set(res.outboxTable, deployment.tables.outbox);
  if (res.approvalKeyArn) keyArns.set(res.approvalKeyArn, deployment.keys.approvalLinks);
  if (res.auditSealKeyArn) keyArns.set(res.auditSealKeyArn, deployment.keys.auditSeals);
  topics.add(res.topicArn);
}

interface IamRequest {
  action: string;
  resource: string;
  context: Record<string, string | string[]>;
}

function hashKeyValue(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  const marshalled = value as { S?: string } | undefined;
  return marshalled?.S;
}

function dynamoRequest(call: Call): IamRequest | undefined {
  const table = String(call.input.TableName ?? "");
  const arn = tableArns.get(table);
  if (!arn) return undefined;
  const shape = shapes.find(([, key]) => deployment.tables[key] === arn)?.[0];
  const index = typeof call.input.IndexName === "string" ? `/index/${call.input.IndexName}` : "";
  const key = (call.input.Key ?? call.input.Item) as Record<string, unknown> | undefined;
  const leading = shape && key ? hashKeyValue(key[shape.hashKey]) : undefined;
  return {
    action: `dynamodb:${call.action}`,
    resource: `${arn}${index}`,
    context: leading ? { "dynamodb:LeadingKeys": [leading] } : {},
  };
}

/**
 * Every authorization AWS checks for the call: usually one; WAF's calls on a
 * load balancer also check the load balancer's own permission-only action
 * (GetLoadBalancerWebACL, CreateWebACLAssociation).
 */
function iamRequests(call: Call): IamRequest[] {
  if (call.service === "wafv2") {
    const resourceArn = String(call.input.ResourceArn ?? "*");
    const webAcl = typeof call.input.WebACLArn === "string" ? [call.input.WebACLArn] : [];
    const own = [{ action: `wafv2:${call.action}`, resource: resourceArn, context: {} }];
    for (const arn of webAcl) own.push({ action: `wafv2:${call.action}`, resource: arn, context: {} });
    const loadBalancer = resourceArn.includes(":elasticloadbalancing:")
      ? {
          GetWebACLForResource: "GetLoadBalancerWebACL",
          AssociateWebACL: "CreateWebACLAssociation",
        }[call.action]
      : undefined;
    if (loadBalancer)
      own.push({ action: `elasticloadbalancing:${loadBalancer}`, resource: resourceArn, context: {} });
    return own;
  }
  const single = iamRequest(call);
  return single ? [single] : [];
}

function iamRequest(call: Call): IamRequest | undefined {
  const input = call.input;
  switch (call.service) {
    case "dynamodb":
      return dynamoRequest(call);
    case "sts":
      // GetCallerIdentity needs no permission.
      return undefined;
    case "sns":
      return { action: `sns:${call.action}`, resource: deployment.topicArn, context: {} };
    case "kms":
      return {
        action: `kms:${call.action}`,
        resource: keyArns.get(String(input.KeyId)) ?? String(input.KeyId),
        context: {
          ...(input.MacAlgorithm ? { "kms:MacAlgorithm": String(input.MacAlgorithm) } : {}),
          ...(input.SigningAlgorithm ? { "kms:SigningAlgorithm": String(input.SigningAlgorithm) } : {}),
          ...(input.MessageType || call.action === "Sign"
            ? { "kms:MessageType": String(input.MessageType ?? "RAW") }
            : {}),
        },
      };
    case "sfn": {
      const resource =
        call.action === "StartExecution"
          ? deployment.stateMachineArn
          : call.action === "DescribeExecution"
            ? `${deployment.stateMachineArn.replace(":stateMachine:", ":execution:")}:${String(input.executionArn).split(":").pop()}`
            : "*";
      return { action: `states:${call.action}`, resource, context: {} };
    }
    case "elbv2": {
      const arn = input.ListenerArn ?? input.RuleArn ?? input.LoadBalancerArn;
      const context: Record<string, string[]> = {};
      if (typeof input.Protocol === "string")
        context["elasticloadbalancing:ListenerProtocol"] = [input.Protocol];
      if (typeof input.SslPolicy === "string")
        context["elasticloadbalancing:SecurityPolicy"] = [input.SslPolicy];
      return {
        action: `elasticloadbalancing:${call.action}`,
        resource: typeof arn === "string" && !call.action.startsWith("Describe") ? arn : "*",
        context,
      };
    }
    case "cloudfront": {
      const id = input.Id ?? input.Resource;
      // CloudFront's resource type follows the action: distributions, VPC origins, response headers policies.
      const kind = /VpcOrigin/.test(call.action)
        ? "vpcorigin"
        : /ResponseHeadersPolic/.test(call.action)
          ? "response-headers-policy"
          : "distribution";
      const resource =
        typeof id === "string"
          ? id.startsWith("arn:")
            ? id
            : `arn:aws:cloudfront::${account}:${kind}/${id}`
          : "*";
      return { action: `cloudfront:${call.action}`, resource, context: {} };
    }
    case "config":
      // Describing recorders authorizes on each recorder it reads; advanced query has no resource type.
      return {
        action: `config:${call.action}`,
        resource:
          call.action === "SelectResourceConfig"
            ? "*"
            : `arn:aws:config:${deployment.homeRegion ?? "us-east-1"}:${account}:configuration-recorder/default/recorder`,
        context: {},
      };
    default:
      throw new Error(`no IAM mapping for ${call.service}:${call.action}`);
  }
}

/** The deployment, watching every region the flows' load balancers live in. */
function deploymentOfFlows(): DeploymentArns {
  const regions = new Set(deployment.regions);
  for (const call of calls) {
    const arn = /arn:aws:elasticloadbalancing:([a-z0-9-]+):/.exec(JSON.stringify(call.input));
    if (arn?.[1]) regions.add(arn[1]);
  }
  return { ...deployment, regions: [...regions].sort() };
}

const roleOf = (fn: LocalFunction) => `arn:aws:iam::${account}:role/driftwarden-${fn}`;

function statementsOf(fn: LocalFunction): Statement[] {
  const arns = deploymentOfFlows();
  return fn === "remediator"
    ? [...remediatorRole(arns), ...remediatorOnlyFromApply(arns, stepArns.apply)]
    : functionStatements(fn as FunctionName, arns);
}

/** KMS needs its key policy to let IAM policies count: the deployed ones, naming the deployed roles. */
function keyPolicyOf(resource: string): unknown {
  if (resource === deployment.keys.approvalLinks) {
    return approvalKeyPolicy({
      partition: "aws",
      account,
      makers: [roleOf("requestApproval"), roleOf("reminders")],
      verifiers: [roleOf("approvalEndpoint")],
    });
  }
  if (resource === deployment.keys.auditSeals) {
    return sealKeyPolicy({ partition: "aws", account, signers: [roleOf("reminders")] });
  }
  return undefined;
}

async function decision(fn: LocalFunction, request: IamRequest, statements: Statement[]): Promise<string> {
  const simulation: Simulation = {
    identityPolicies: [{ name: fn, policy: policyDocument(statements) }],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: request.action.startsWith("kms:") ? keyPolicyOf(request.resource) : undefined,
    request: {
      action: request.action,
      principal: `arn:aws:sts::${account}:assumed-role/driftwarden-${fn}/session`,
      resource: { accountId: account, resource: request.resource },
      contextVariables: {
        "aws:PrincipalArn": roleOf(fn),
        ...(fn === "remediator" ? { "lambda:SourceFunctionArn": stepArns.apply } : {}),
        ...request.context,
      },
    },
  };
  const response = await runSimulation(simulation, {});
  if (response.resultType === "error")
    throw new Error(`simulation failed: ${JSON.stringify(response.errors)}`);
  return response.overallResult;
}

/**
 * Statements only a path this test does not drive needs, each with where that
 * path is. The test fails if one of them turns out to be used here after all,
 * so the list cannot outlive its reason.
 */
const notDrivenHere: Record<string, string> = {
  // requestApproval: its task was completed (decided) while a retry of the step started; it answers its own token.
  "requestApproval:AnswerOwnTask:states:SendTaskSuccess":
    "a decision landing between two attempts of the request step",
};

let flows = false;

beforeAll(async () => {
  const unregister = useClientPlugin({ plugin: ({ service }) => recorder(service) });
  try {
    // Fixes: automatic, safe part first then approved, CloudFront; exemptions by tag, suspended flapping.
    await runScenario("alb-decoy-rule-safe-part-first-approved");
    await runScenario("cloudfront-origin-back-to-https");
    // A VPC origin that allows TLSv1.1: read, and blocked (CloudFront refuses to change a VPC origin in use).
    await runScenario("cf-vpc-origin-only-distribution-sweep-blocked");
    // A new load balancer gets the baseline: its attributes set, and (approved) the region's web ACL.
    await runScenario("alb-new-load-balancer-gets-the-baseline");
    await runScenario("alb-exemption-tag-on-load-balancer");
    await runScenario("alb-flapping-suspended");
    await runScenario("alb-sweep-finds-unreported-drift");
    await runScenario("alb-sweep-from-config-finds-unreported-drift");
    // A sweep finds the drift whose request expired: it asks how that execution ended before starting anew.
    await runScenario("edge-approval-expired-then-sweep-asks-again");
    await runScenario("alb-no-https-listener-approval-expired");
    await runScenario("alb-no-https-listener-rejected");
    // Intake cannot start the workflow: its seen-marker is removed, so the redelivery is not a duplicate.
    inject = (call) =>
      call.fn === "intake" && call.service === "sfn" && call.action === "StartExecution"
        ? serverError("Step Functions")
        : undefined;
    await runScenario("alb-redirect-restored");
    inject = undefined;
    // The audit table fails for the audit step: the outcome waits in the outbox, then the scheduled drain writes it.
    let broken = true;
    const auditTableName = (call: Call) => String(call.input.TableName ?? "").endsWith(auditTable.name);
    inject = (call) =>
      broken && call.fn === "audit" && call.action === "PutItem" && auditTableName(call)
        ? serverError("the audit table")
        : undefined;
    await runScenario("alb-redirect-restored", async (runtime) => {
      broken = false;
      await runtime.remind();
    });
    // SNS fails for the notify step: the email waits in the outbox. The drain's first send fails too (its claim is
    // released), the second dies after sending (its claim stays), the third finds the claim and does not send again.
    broken = true;
    inject = (call) =>
      broken && call.fn === "notify" && call.service === "sns" ? serverError("SNS") : undefined;
    await runScenario("alb-redirect-restored", async (runtime) => {
      broken = false;
      failOnce.push({ what: "SNS", match: (call) => call.fn === "reminders" && call.service === "sns" });
      await runtime.remind();
      failOnce.push({
        what: "the events table",
        match: (call) => call.fn === "reminders" && isClaimDone(call),
      });
      await runtime.remind();
      await runtime.remind();
    });
    inject = undefined;
    // The notify step dies after it emailed: its retry finds the claim and does not email twice.
    failOnce.push({ what: "the events table", match: (call) => call.fn === "notify" && isClaimDone(call) });
    await runScenario("alb-redirect-restored");
    // The request step: SNS refuses once (the claim is released); then it dies after emailing (the retry finds it).
    failOnce.push({ what: "SNS", match: (call) => call.fn === "requestApproval" && call.service === "sns" });
    failOnce.push({
      what: "the approvals table",
      match: (call) =>
        call.fn === "requestApproval" && String(call.input.UpdateExpression ?? "").includes("notifiedAt"),
    });
    await runScenario("alb-no-https-listener-rejected");
    // The approval page: open, approve; a reminder (with fresh links), then open, reject.
    for (const [url, fields, wait] of [
      ["approveUrl", { by: "dana@example.com" }, undefined],
      ["rejectUrl", { by: "erin", reason: "not now" }, "PT19H"],
    ] as const) {
      const harness = await startHarness();
      recordDynamo(harness.runtime.resources.region);
      learn(harness.runtime.resources);
      try {
        if (wait) await harness.runtime.advance(wait);
        const page = await get(harness[url]);
        await post(harness[url], { ...formFields(page.html), ...fields });
        await harness.runtime.settle();
      } finally {
        await harness.close();
      }
    }
    expect(failOnce).toEqual([]);
    flows = true;
  } finally {
    unregister();
  }
}, 300_000);

afterAll(() => {
  inject = undefined;
});

const reading = (statement: Statement) => statement.sid.startsWith("ControlReads");

describe("least privilege, from the calls the functions make", () => {
  it.each([...functionNames, "remediator"] as LocalFunction[])(
    "%s: every call it made is allowed by its own statements",
    async (fn) => {
      // Prepare
      expect(flows).toBe(true);
      const made = calls.filter((call) => call.fn === fn);
      const statements = statementsOf(fn);

      // Act
      const refused: string[] = [];
      for (const call of made) {
        for (const request of iamRequests(call)) {
          const result = await decision(fn, request, statements);
          if (result !== "Allowed")
            refused.push(
              `${request.action} on ${request.resource} ${JSON.stringify(request.context)}: ${result}`,
            );
        }
      }

      // Assess
      expect(made.length).toBeGreaterThan(0);
      expect([...new Set(refused)]).toEqual([]);
    },
  );

  it.each([...functionNames, "remediator"] as LocalFunction[])(
    "%s: every action of every statement it is granted is needed by a call it made",
    async (fn) => {
      // Prepare: control reads are granted as one set to every reading function, by design
      expect(flows).toBe(true);
      const made = calls.filter((call) => call.fn === fn);
      const statements = statementsOf(fn).filter((s) => s.effect !== "Deny" && !reading(s));

      // Act: an action of a statement is needed when some call is refused without it
      const unused: string[] = [];
      for (const statement of statements) {
        for (const action of statement.actions) {
          const without = statementsOf(fn)
            .map((s) =>
              s.sid === statement.sid ? { ...s, actions: s.actions.filter((a) => a !== action) } : s,
            )
            .filter((s) => s.actions.length > 0);
          let needed = false;
          for (const request of made.flatMap(iamRequests)) {
            if (request.action !== action) continue;
            if ((await decision(fn, request, without)) !== "Allowed") {
              needed = true;
              break;
            }
          }
          const key = `${fn}:${statement.sid}:${action}`;
          if (needed === key in notDrivenHere) unused.push(needed ? `${key} is used after all` : key);
        }
      }

      // Assess
      expect(unused).toEqual([]);
    },
  );
});
