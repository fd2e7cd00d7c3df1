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
  /** Allow unless said otherwise; a Deny states what no fix ever does, whatever else allows it. */
  effect?: "Allow" | "Deny";
  actions: string[];
  resources: string[];
  /** IAM condition block, e.g. `{ "ForAllValues:StringLike": { "dynamodb:LeadingKeys": ["journal#*"] } }`. */
  conditions?: Record<string, Record<string, string | string[] | boolean>>;
}

export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: Array<{
    Sid: string;
    Effect: "Allow" | "Deny";
    Action: string[];
    Resource: string[];
    Condition?: Record<string, Record<string, string | string[] | boolean>>;
  }>;
}

/** The ARNs a deployment's statements are scoped to. */
export interface DeploymentArns {
  partition: string;
  account: string;
  homeRegion: string;
  /** Regions whose regional resources (load balancers) the controls read and fix. */
  regions: string[];
  tables: {
    audit: string;
    approvals: string;
    history: string;
    events: string;
    exemptions: string;
    outbox: string;
  };
  topicArn: string;
  stateMachineArn: string;
}

/** Functions with a role of their own; `apply` runs as the remediator instead. */
export const functionNames = [
  "intake",
  "sweep",
  "evaluate",
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
const applicationLoadBalancers = loadBalancing("loadbalancer/app/*");
/** Regional web ACLs of the watched regions: a load balancer can only take one of its own region. */
const regionalWebAcls: Scope = ({ partition, account, regions }) =>
  regions.map((region) => `arn:${partition}:wafv2:${region}:${account}:regional/webacl/*/*`);
/** WAF authorizes an association on both ends: the web ACL and the load balancer. */
const webAclsAndLoadBalancers: Scope = (arns) => [
  ...regionalWebAcls(arns),
  ...applicationLoadBalancers(arns),
];
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
  "elasticloadbalancing:DescribeLoadBalancerAttributes": unscoped,
  "elasticloadbalancing:DescribeSSLPolicies": unscoped,
  // One attribute key at a time, application load balancers only.
  "elasticloadbalancing:ModifyLoadBalancerAttributes": applicationLoadBalancers,
  // ELBv2's own half of WAF's calls on a load balancer (permission-only actions).
  "elasticloadbalancing:GetLoadBalancerWebACL": applicationLoadBalancers,
  "elasticloadbalancing:CreateWebACLAssociation": applicationLoadBalancers,
  "wafv2:GetWebACLForResource": webAclsAndLoadBalancers,
  "wafv2:AssociateWebACL": webAclsAndLoadBalancers,
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

/** Only the EventsTable items under the given key prefixes (`journal#`, `notified#`, ...). */
function eventItems(sid: string, arns: DeploymentArns, actions: string[], prefixes: string[]): Statement {
  return {
    sid,
    actions,
    resources: [arns.tables.events],
    conditions: {
      "ForAllValues:StringLike": { "dynamodb:LeadingKeys": prefixes.map((prefix) => `${prefix}*`) },
    },
  };
}

/**
 * Appending to the audit ledger: records and markers are put, the head hint is
 * updated; nothing is ever deleted. IAM cannot require the put's condition, so
 * an overwrite by a stolen role is caught by the hash chain and the seals.
 */
function appendsAudit(sid: string, arns: DeploymentArns): Statement[] {
  return [
    {
      sid: `${sid}Records`,
      actions: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"],
      resources: [arns.tables.audit],
      conditions: {
        "ForAllValues:StringLike": { "dynamodb:LeadingKeys": ["seq#*", "idem#*", "head"] },
      },
    },
  ];
}

/** Notifications are claimed before they are published, so a retried step does not email twice. */
const claimsNotifications = (arns: DeploymentArns): Statement =>
  eventItems(
    "NotificationClaims",
    arns,
    ["dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"],
    ["notified#"],
  );

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
        // Seen-markers make a redelivered event a duplicate; the marker is removed when starting fails.
        eventItems("SeenEvents", arns, ["dynamodb:DeleteItem", "dynamodb:PutItem"], ["event#"]),
      ];
    case "sweep":
      return [...readStatements(arns, metadata), ...startsWorkflows(arns)];
    case "evaluate":
      return [
        ...readStatements(arns, metadata),
        { sid: "ReadDecision", actions: ["dynamodb:GetItem"], resources: [tables.approvals] },
        { sid: "RecentFixes", actions: ["dynamodb:Query"], resources: [tables.history] },
        { sid: "RuntimeExemptions", actions: ["dynamodb:Query"], resources: [tables.exemptions] },
        // First sight of a tag exemption: when its cap starts, and who announces it.
        eventItems("TagSightings", arns, ["dynamodb:UpdateItem"], ["tagseen#"]),
      ];
    case "verify":
      return readStatements(arns, metadata);
    case "requestApproval":
      return [
        {
          sid: "AskOnCall",
          actions: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"],
          resources: [tables.approvals],
        },
        ...appendsAudit("AuditAwaiting", arns),
        claimsNotifications(arns),
        publish(arns),
        // A request decided while its task started answers its own token at once.
        { sid: "AnswerOwnTask", actions: ["states:SendTaskSuccess"], resources: ["*"] },
      ];
    case "audit":
      return [
        ...appendsAudit("AuditOutcome", arns),
        {
          sid: "CloseApproval",
          actions: ["dynamodb:GetItem", "dynamodb:UpdateItem"],
          resources: [tables.approvals],
        },
        { sid: "RecordFix", actions: ["dynamodb:PutItem"], resources: [tables.history] },
        { sid: "KeepUnrecorded", actions: ["dynamodb:PutItem"], resources: [tables.outbox] },
      ];
    case "notify":
      return [
        publish(arns),
        claimsNotifications(arns),
        { sid: "KeepUndelivered", actions: ["dynamodb:PutItem"], resources: [tables.outbox] },
      ];
    case "approvalEndpoint":
      return [
        {
          sid: "DecideApproval",
          actions: ["dynamodb:GetItem", "dynamodb:UpdateItem"],
          resources: [tables.approvals],
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
        // The outbox drain: outcomes that could not be recorded or sent when they happened.
        {
          sid: "DrainOutbox",
          actions: ["dynamodb:DeleteItem", "dynamodb:Scan"],
          resources: [tables.outbox],
        },
        ...appendsAudit("DrainAudit", arns),
        claimsNotifications(arns),
      ];
  }
}

/** The remediator: the fixers' declared actions, the reads a retried apply needs, and its journal. */
export function remediatorRole(arns: DeploymentArns, metadata = controlMetadata): Statement[] {
  return [
    ...remediatorStatements(arns, metadata),
    ...readStatements(arns, metadata),
    eventItems("ApplyJournal", arns, ["dynamodb:GetItem", "dynamodb:UpdateItem"], ["journal#"]),
  ];
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
      Effect: statement.effect ?? "Allow",
      Action: statement.actions,
      Resource: statement.resources,
      ...(statement.conditions ? { Condition: statement.conditions } : {}),
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
  return statements.map((statement) => ({
    effect: (statement.effect ?? "allow").toLowerCase() as "allow" | "deny",
    actions: statement.actions,
    resources: statement.resources,
    ...(statement.conditions
      ? {
          conditions: Object.entries(statement.conditions).flatMap(([test, entries]) =>
            Object.entries(entries).map(([variable, values]) => ({
              test,
              variable,
              values: (Array.isArray(values) ? values : [values]).map(String),
            })),
          ),
        }
      : {}),
  }));
}
