import { readFileSync } from "node:fs";
import { ExecutionAlreadyExists, ExecutionDoesNotExist } from "@aws-sdk/client-sfn";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { metadata as realAlbMetadata } from "../../functions/controls/alb-http-to-https-redirect/metadata.js";
import type { AnyControl, ControlMetadata, Finding, Trigger } from "../../functions/controls/types.js";
import { clients, useClientPlugin, useDynamoEndpoint } from "../../functions/lib/aws.js";
import { parseConfig } from "../../functions/lib/config.js";
import type { DriftwardenResources } from "../../functions/lib/resources.js";
import { eventsTable } from "../../functions/lib/tables.js";
import { startLocalDynamo } from "../../local/dynamo.js";

/** Shared by the intake and event-pattern tests: fixture events, metadata-only controls, a fake AWS. */

export const account = "111122223333";
export const remediatorRoleArn = `arn:aws:iam::${account}:role/driftwarden-remediator`;
export const listenerArn =
  "arn:aws:elasticloadbalancing:us-west-2:111122223333:listener/app/shop-prod/0f9e8d7c6b5a4930/8c7b6a5948372615";
export const distributionArn = "arn:aws:cloudfront::111122223333:distribution/E1QSDF4EXAMPLE";

export type Json = Record<string, unknown>;

export function fixtureEvent(name: string): Json {
  return JSON.parse(
    readFileSync(new URL(`../fixtures/events/${name}.json`, import.meta.url), "utf8"),
  ) as Json;
}

/** A deep copy of a fixture with `edit` applied to it. */
export function variant(name: string, edit: (event: Json & { detail: Json }) => void): Json {
  const event = fixtureEvent(name) as Json & { detail: Json };
  edit(event);
  return event;
}

/** The real ALB control's triggers under a test id, so intake is tested against what is deployed. */
export const albMetadata: ControlMetadata = {
  ...realAlbMetadata,
  id: "test-alb-redirect",
  title: "test ALB control",
  readActions: [],
  fixActions: [],
};

export const cloudfrontMetadata: ControlMetadata = {
  id: "test-cloudfront-origin-tls",
  title: "test CloudFront control",
  severity: "HIGH",
  securityHubIds: ["CloudFront.9"],
  resourceType: "AWS::CloudFront::Distribution",
  service: "cloudfront",
  triggers: {
    cloudTrail: {
      source: "aws.cloudfront",
      eventSource: "cloudfront.amazonaws.com",
      eventNames: [
        "CreateDistribution",
        "CreateDistributionWithTags",
        "UpdateDistribution",
        "CopyDistribution",
      ],
      datedEventNames: true,
      delivery: "us-east-1",
    },
    config: {
      resourceTypes: ["AWS::CloudFront::Distribution"],
      managedRules: ["CLOUDFRONT_CUSTOM_ORIGIN_TLS_CHECK"],
    },
  },
  readActions: [],
  fixActions: [],
};

/** What a test control's collect sees for one resource; an Error makes collect throw it. */
export type WorldEntry = { status: Finding["status"]; owned: unknown } | Error;

export interface TestControl extends AnyControl {
  /** Every collect and resolveTargets call, with the context region, for assertions. */
  seen: Array<{ call: "collect" | "resolveTargets" | "listResources"; region: string; resource?: string }>;
}

/**
 * A control with real metadata and in-memory behaviour: targets are the ARNs
 * the trigger names, state comes from `world`.
 */
export function testControl(metadata: ControlMetadata, world: Map<string, WorldEntry>): TestControl {
  const seen: TestControl["seen"] = [];
  const notUsed = (name: string) => () => {
    throw new Error(`${name} is not used by intake`);
  };
  return {
    metadata,
    seen,
    async resolveTargets(trigger: Trigger, ctx) {
      seen.push({ call: "resolveTargets", region: ctx.region });
      return targetsOf(trigger);
    },
    async listResources(ctx) {
      seen.push({ call: "listResources", region: ctx.region });
      return [...world.keys()].filter(
        (arn) => (arn.includes(":cloudfront::") ? "us-east-1" : arn.split(":")[3]) === ctx.region,
      );
    },
    async collect(ctx, resource: string) {
      seen.push({ call: "collect", region: ctx.region, resource });
      const entry = world.get(resource);
      if (entry instanceof Error) throw entry;
      return entry ? { resource, ...entry } : null;
    },
    detect(snapshot: { resource: string; status: Finding["status"] }): Finding {
      return { status: snapshot.status, message: `${snapshot.resource} is ${snapshot.status}` };
    },
    ownedState: (snapshot: { owned: unknown }) => snapshot.owned,
    plan: notUsed("plan"),
    assessRisk: notUsed("assessRisk"),
    inEffect: notUsed("inEffect"),
    execute: notUsed("execute"),
    tags: () => ({}),
  };
}

/** Every ARN-looking string the trigger carries that names a listener or a distribution. */
function targetsOf(trigger: Trigger): string[] {
  if (trigger.kind === "config-item") return [trigger.arn ?? trigger.resourceId];
  if (trigger.kind === "compliance") return [trigger.resourceId];
  const found = new Set<string>();
  const visit = (value: unknown): void => {
    if (
      typeof value === "string" &&
      /^arn:aws:(elasticloadbalancing:.*:listener\/|cloudfront::.*:distribution\/)/.test(value)
    ) {
      found.add(value);
    } else if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === "object") Object.values(value).forEach(visit);
  };
  visit(trigger.requestParameters);
  visit(trigger.responseElements);
  return [...found];
}

/** The events table as the local DynamoDB-compatible server names it. */
const localEventsTable = `driftwarden-local-${eventsTable.name}`;

export const stateMachineArn = `arn:aws:states:us-west-2:${account}:stateMachine:driftwarden-remediation`;

export function testResources(config: Json = {}): DriftwardenResources {
  return {
    region: "us-west-2",
    account,
    stateMachineArn,
    auditTable: "audit",
    approvalsTable: "approvals",
    historyTable: "history",
    eventsTable: localEventsTable,
    exemptionsTable: "exemptions",
    outboxTable: "outbox",
    topicArn: `arn:aws:sns:us-west-2:${account}:alerts`,
    config: parseConfig(config),
  };
}

export interface FakeExecution {
  name: string;
  status: "RUNNING" | "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "ABORTED";
  input: Json;
}

/**
 * Step Functions answered in memory, and the events table in a real local
 * DynamoDB-compatible server (conditional writes behave as DynamoDB's), both
 * below the SDK's retry layer; every command is recorded, and any can be made
 * to fail.
 */
export async function fakeAws() {
  const dynamo = await startLocalDynamo([eventsTable], "us-west-2");
  useDynamoEndpoint(dynamo.clientConfig);
  const executions = new Map<string, FakeExecution>();
  const calls: Array<{ command: string; input: Json }> = [];
  const failures = new Map<string, Error>();
  const executionPrefix = `${stateMachineArn.replace(":stateMachine:", ":execution:")}:`;
  const metadata = { $metadata: { httpStatusCode: 200 } };

  const stepFunctions = (command: string, input: Json): Json => {
    switch (command) {
      case "DescribeExecutionCommand": {
        const execution = executions.get(String(input.executionArn).slice(executionPrefix.length));
        if (!execution)
          throw new ExecutionDoesNotExist({ message: "Execution does not exist", $metadata: {} });
        return {
          ...metadata,
          executionArn: input.executionArn,
          status: execution.status,
          name: execution.name,
          input: JSON.stringify(execution.input),
        };
      }
      case "StartExecutionCommand": {
        const name = String(input.name);
        if (executions.has(name))
          throw new ExecutionAlreadyExists({ message: "already exists", $metadata: {} });
        executions.set(name, { name, status: "RUNNING", input: JSON.parse(String(input.input)) as Json });
        return { ...metadata, executionArn: `${executionPrefix}${name}`, startDate: new Date() };
      }
      default:
        throw new Error(`fake AWS does not answer ${command}`);
    }
  };

  const dispose = useClientPlugin({
    plugin: ({ service }) => ({
      applyToStack: (stack) =>
        stack.addRelativeTo(
          // biome-ignore lint/suspicious/noExplicitAny: the SDK's middleware types are generic over every command
          ((next: (args: unknown) => Promise<unknown>, context: any) => async (args: { input: Json }) => {
            const command = String(context.commandName);
            calls.push({ command, input: args.input });
            const failure = failures.get(command);
            if (failure) throw failure;
            if (service === "dynamodb") return next(args);
            return { output: stepFunctions(command, args.input), response: {} };
          }) as never,
          { relation: "after", toMiddleware: "retryMiddleware", name: "fakeAws" },
        ),
    }),
    config: { credentials: { accessKeyId: "local", secretAccessKey: "local" } },
  });

  return {
    executions,
    calls,
    /** The item the events table holds under this key. */
    async item(pk: string): Promise<Json | undefined> {
      const { Item } = await clients
        .dynamo("us-west-2")
        .send(new GetCommand({ TableName: localEventsTable, Key: { pk }, ConsistentRead: true }));
      return Item;
    },
    /** Makes every call of this command fail with the error (every attempt: the SDK's retries included). */
    fail(command: string, error: Error) {
      failures.set(command, error);
    },
    heal(command: string) {
      failures.delete(command);
    },
    async dispose() {
      dispose();
      useDynamoEndpoint(undefined);
      await dynamo.close();
    },
  };
}

export function complianceEvent(configRuleName: string, complianceType = "NON_COMPLIANT"): Json {
  return {
    version: "0",
    id: "c0ffee00-0000-4000-8000-000000000001",
    "detail-type": "Config Rules Compliance Change",
    source: "aws.config",
    account,
    time: "2026-03-01T09:10:00Z",
    region: "us-west-2",
    resources: [],
    detail: {
      resourceId:
        "arn:aws:elasticloadbalancing:us-west-2:111122223333:loadbalancer/app/shop-prod/0f9e8d7c6b5a4930",
      awsRegion: "us-west-2",
      awsAccountId: account,
      configRuleName,
      recordVersion: "1.0",
      configRuleARN: `arn:aws:config:us-west-2:${account}:config-rule/config-rule-abc123`,
      messageType: "ComplianceChangeNotification",
      newEvaluationResult: {
        evaluationResultIdentifier: {
          evaluationResultQualifier: {
            configRuleName,
            resourceType: "AWS::ElasticLoadBalancingV2::LoadBalancer",
            resourceId:
              "arn:aws:elasticloadbalancing:us-west-2:111122223333:loadbalancer/app/shop-prod/0f9e8d7c6b5a4930",
          },
          orderingTimestamp: "2026-03-01T09:09:00.000Z",
        },
        complianceType,
        resultRecordedTime: "2026-03-01T09:09:30.000Z",
        configRuleInvokedTime: "2026-03-01T09:09:00.000Z",
      },
      notificationCreationTime: "2026-03-01T09:10:00.000Z",
      resourceType: "AWS::ElasticLoadBalancingV2::LoadBalancer",
    },
  };
}

/** The variant Config sends when the item is too large for EventBridge: a summary and an S3 location. */
export function oversizedConfigItemEvent(status = "OK"): Json {
  return {
    version: "0",
    id: "0b5e55ed-0000-4000-8000-000000000002",
    "detail-type": "Config Configuration Item Change",
    source: "aws.config",
    account,
    time: "2026-03-01T09:05:00Z",
    region: "us-west-2",
    resources: [listenerArn],
    detail: {
      recordVersion: "1.0",
      messageType: "OversizedConfigurationItemChangeNotification",
      notificationCreationTime: "2026-03-01T09:05:00.000Z",
      configurationItemSummary: {
        changeType: "UPDATE",
        configurationItemVersion: "1.3",
        configurationItemCaptureTime: "2026-03-01T09:04:58.000Z",
        configurationStateId: 1772355898000,
        awsAccountId: account,
        configurationItemStatus: status,
        resourceType: "AWS::ElasticLoadBalancingV2::Listener",
        resourceId: listenerArn,
        ARN: listenerArn,
        awsRegion: "us-west-2",
        availabilityZone: "Regional",
        configurationStateMd5Hash: "",
      },
      s3DeliverySummary: {
        s3BucketLocation:
          "config-bucket-111122223333/AWSLogs/111122223333/Config/us-west-2/2026/3/1/OversizedChangeNotification/x.json.gz",
      },
    },
  };
}
