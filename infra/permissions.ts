import type { ControlMetadata } from "../functions/controls/types.js";
import { ConfigurationError, MalformedInputError } from "../functions/lib/errors.js";
import { approvalsTable } from "../functions/lib/tables.js";
import type { StepFunctionArns } from "../workflows/remediation.js";
import { controlMetadata } from "./controls.js";

/**
 * Every IAM statement driftwarden deploys, as data: each function's role, the
 * remediator, the state machine and the event forwarder. Control actions come
 * from the controls' metadata, so a control's declared actions are exactly
 * what gets granted, and the tests simulate these very statements.
 */
export interface Statement {
  sid: string;
  actions: string[];
  resources: string[];
}

export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: Array<{ Sid: string; Effect: "Allow"; Action: string[]; Resource: string[] }>;
}

/** The ARNs a deployment's statements are scoped to. */
export interface DeploymentArns {
  partition: string;
  account: string;
  homeRegion: string;
  /** Regions whose regional resources (load balancers) the controls read and fix. */
  regions: string[];
  tables: { audit: string; approvals: string; history: string; events: string };
  topicArn: string;
  stateMachineArn: string;
}

/** Functions with a role of their own; `apply` runs as the remediator instead. */
export const functionNames = [
  "intake",
  "sweep",
  "check",
  "mode",
  "assess",
  "requestApproval",
  "verify",
  "audit",
  "notify",
  "approvalEndpoint",
  "reminders",
] as const;
export type FunctionName = (typeof functionNames)[number];

type Scope = (arns: DeploymentArns) => string[];

/** Only for actions whose service offers no resource-level permission (a test checks each one). */
const unscoped: Scope = () => ["*"];
const loadBalancing =
  (resourceType: string): Scope =>
  ({ partition, account, regions }) =>
    regions.map((region) => `arn:${partition}:elasticloadbalancing:${region}:${account}:${resourceType}`);
const distributions: Scope = ({ partition, account }) => [
  `arn:${partition}:cloudfront::${account}:distribution/*`,
];

/**
 * The resources each control action may touch. A control declaring an action
 * missing here fails the deployment instead of silently getting `*`.
 */
export const actionScopes: Readonly<Record<string, Scope>> = {
  "elasticloadbalancing:DescribeListeners": unscoped,
  "elasticloadbalancing:DescribeLoadBalancers": unscoped,
  "elasticloadbalancing:DescribeRules": unscoped,
  "elasticloadbalancing:DescribeTags": unscoped,
  // Application load balancers only: the control never touches network or gateway load balancers.
  "elasticloadbalancing:ModifyListener": loadBalancing("listener/app/*"),
  "elasticloadbalancing:ModifyRule": loadBalancing("listener-rule/app/*"),
  "cloudfront:GetDistribution": distributions,
  "cloudfront:GetDistributionConfig": distributions,
  "cloudfront:UpdateDistribution": distributions,
  "cloudfront:ListTagsForResource": distributions,
  "cloudfront:ListDistributions": unscoped,
};

/** What Step Functions needs to deliver execution logs to CloudWatch Logs; none of these has a resource type. */
export const logDeliveryActions = [
  "logs:CreateLogDelivery",
  "logs:GetLogDelivery",
  "logs:UpdateLogDelivery",
  "logs:DeleteLogDelivery",
  "logs:ListLogDeliveries",
  "logs:PutResourcePolicy",
  "logs:DescribeResourcePolicies",
  "logs:DescribeLogGroups",
];

function controlStatements(
  sidPrefix: string,
  pick: (metadata: ControlMetadata) => string[],
  arns: DeploymentArns,
  metadata: readonly ControlMetadata[],
): Statement[] {
  // One statement per distinct resource list keeps the policy short and readable.
  const grouped = new Map<string, { actions: Set<string>; resources: string[] }>();
  for (const control of metadata) {
    for (const action of pick(control)) {
      const scope = actionScopes[action];
      if (!scope) {
        throw new ConfigurationError(
          `control ${control.id} declares ${action}, which has no resource scope in infra/permissions.ts (actionScopes): add the narrowest ARN pattern the action supports`,
          action,
        );
      }
      const resources = [...new Set(scope(arns))].sort();
      const key = resources.join("\n");
      const group = grouped.get(key) ?? { actions: new Set<string>(), resources };
      group.actions.add(action);
      grouped.set(key, group);
    }
  }
  return [...grouped.values()].map((group, index) => ({
    sid: `${sidPrefix}${index + 1}`,
    actions: [...group.actions].sort(),
    resources: group.resources,
  }));
}

/** What detectors need: the controls' read actions. */
export function readStatements(arns: DeploymentArns, metadata = controlMetadata): Statement[] {
  return controlStatements("ControlReads", (control) => control.readActions, arns, metadata);
}

/** The remediator: exactly the fixers' declared actions, nothing else. */
export function remediatorStatements(arns: DeploymentArns, metadata = controlMetadata): Statement[] {
  return controlStatements("ControlFixes", (control) => control.fixActions, arns, metadata);
}

/** `arn:...:stateMachine:<name>` -> `arn:...:execution:<name>:*` */
export function executionsOf(stateMachineArn: string): string {
  const marker = ":stateMachine:";
  const at = stateMachineArn.indexOf(marker);
  if (at < 0) {
    throw new MalformedInputError(`${stateMachineArn} is not a state machine ARN`, stateMachineArn);
  }
  return `${stateMachineArn.slice(0, at)}:execution:${stateMachineArn.slice(at + marker.length)}:*`;
}

export function stateMachineArnOf(parts: {
  partition: string;
  region: string;
  account: string;
  name: string;
}): string {
  return `arn:${parts.partition}:states:${parts.region}:${parts.account}:stateMachine:${parts.name}`;
}

function startsWorkflows(arns: DeploymentArns): Statement[] {
  return [
    { sid: "StartWorkflow", actions: ["states:StartExecution"], resources: [arns.stateMachineArn] },
    // Joining a running workflow for the same drift needs its status.
    {
      sid: "ReadWorkflow",
      actions: ["states:DescribeExecution"],
      resources: [executionsOf(arns.stateMachineArn)],
    },
  ];
}

const publish = (arns: DeploymentArns): Statement => ({
  sid: "Notify",
  actions: ["sns:Publish"],
  resources: [arns.topicArn],
});

/** The statements of each function's own role, from the calls its code makes. */
export function functionStatements(
  fn: FunctionName,
  arns: DeploymentArns,
  metadata: readonly ControlMetadata[] = controlMetadata,
): Statement[] {
  const { tables } = arns;
  switch (fn) {
    case "intake":
      return [
        ...readStatements(arns, metadata),
        ...startsWorkflows(arns),
        // Seen-markers make a redelivered event a duplicate; per-resource records name its executions.
        {
          sid: "SeenEventsAndExecutions",
          actions: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"],
          resources: [tables.events],
        },
      ];
    case "sweep":
      return [
        ...readStatements(arns, metadata),
        ...startsWorkflows(arns),
        // The per-resource records that name executions, shared with intake.
        {
          sid: "Executions",
          actions: ["dynamodb:GetItem", "dynamodb:UpdateItem"],
          resources: [tables.events],
        },
      ];
    case "check":
    case "assess":
    case "verify":
      return readStatements(arns, metadata);
    case "mode":
      return [{ sid: "RecentFixes", actions: ["dynamodb:Query"], resources: [tables.history] }];
    case "requestApproval":
      return [
        { sid: "PutApproval", actions: ["dynamodb:PutItem"], resources: [tables.approvals] },
        {
          sid: "AuditAwaiting",
          actions: ["dynamodb:GetItem", "dynamodb:PutItem"],
          resources: [tables.audit],
        },
        publish(arns),
      ];
    case "audit":
      return [
        { sid: "WriteAudit", actions: ["dynamodb:GetItem", "dynamodb:PutItem"], resources: [tables.audit] },
        { sid: "ExpireApproval", actions: ["dynamodb:UpdateItem"], resources: [tables.approvals] },
        { sid: "RecordFix", actions: ["dynamodb:PutItem"], resources: [tables.history] },
      ];
    case "notify":
      return [publish(arns)];
    case "approvalEndpoint":
      return [
        {
          sid: "DecideApproval",
          actions: ["dynamodb:GetItem", "dynamodb:UpdateItem"],
          resources: [tables.approvals],
        },
        {
          sid: "ListPending",
          actions: ["dynamodb:Query"],
          resources: approvalsTable.indexes.map((index) => `${tables.approvals}/index/${index.name}`),
        },
        // Task-token calls have no resource type in IAM: the token itself is the capability.
        {
          sid: "AnswerWorkflow",
          actions: ["states:SendTaskFailure", "states:SendTaskSuccess"],
          resources: ["*"],
        },
      ];
    case "reminders":
      return [
        {
          sid: "ListPending",
          actions: ["dynamodb:Query"],
          resources: approvalsTable.indexes.map((index) => `${tables.approvals}/index/${index.name}`),
        },
        // Claiming a reminder is a conditional update, so overlapping runs send it once.
        { sid: "ClaimReminder", actions: ["dynamodb:UpdateItem"], resources: [tables.approvals] },
        publish(arns),
      ];
  }
}

/** The state machine's role: invoke exactly the step functions, and deliver its logs. */
export function stateMachineStatements(steps: StepFunctionArns): Statement[] {
  return [
    {
      sid: "InvokeSteps",
      actions: ["lambda:InvokeFunction"],
      resources: [...new Set(Object.values(steps))].sort(),
    },
    { sid: "DeliverLogs", actions: logDeliveryActions, resources: ["*"] },
  ];
}

/** The role rules in other regions use to forward matched events to the home region's default bus. */
export function forwarderStatements(
  arns: Pick<DeploymentArns, "partition" | "account" | "homeRegion">,
): Statement[] {
  return [
    {
      sid: "ForwardToHomeBus",
      actions: ["events:PutEvents"],
      resources: [homeBusArn(arns)],
    },
  ];
}

export function homeBusArn({
  partition,
  account,
  homeRegion,
}: Pick<DeploymentArns, "partition" | "account" | "homeRegion">) {
  return `arn:${partition}:events:${homeRegion}:${account}:event-bus/default`;
}

export function policyDocument(statements: readonly Statement[]): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: statements.map((statement) => ({
      Sid: statement.sid,
      Effect: "Allow",
      Action: statement.actions,
      Resource: statement.resources,
    })),
  };
}

export function trustPolicy(service: string) {
  return {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }],
  };
}

/** The shape `sst.aws.Function`'s `permissions` takes. */
export function functionPermissions(statements: readonly Statement[]) {
  return statements.map((statement) => ({ actions: statement.actions, resources: statement.resources }));
}
