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
  /** The KMS keys: the HMAC key of approval links, the signing key of audit seals. */
  keys: { approvalLinks: string; auditSeals: string };
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
/** CLOUDFRONT-scope web ACLs: global, and kept in us-east-1. */
const globalWebAcls: Scope = ({ partition, account }) => [
  `arn:${partition}:wafv2:us-east-1:${account}:global/webacl/*/*`,
];
const distributions: Scope = ({ partition, account }) => [
  `arn:${partition}:cloudfront::${account}:distribution/*`,
];
const vpcOrigins: Scope = ({ partition, account }) => [`arn:${partition}:cloudfront::${account}:vpcorigin/*`];
// AWS's managed policies are read under the caller's account too, like its own.
const responseHeadersPolicies: Scope = ({ partition, account }) => [
  `arn:${partition}:cloudfront::${account}:response-headers-policy/*`,
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
  "wafv2:GetWebACL": globalWebAcls,
  "cloudfront:GetDistribution": distributions,
  "cloudfront:GetDistributionConfig": distributions,
  "cloudfront:UpdateDistribution": distributions,
  "cloudfront:ListTagsForResource": distributions,
  "cloudfront:ListDistributions": unscoped,
  "cloudfront:GetVpcOrigin": vpcOrigins,
  "cloudfront:GetResponseHeadersPolicy": responseHeadersPolicies,
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

/**
 * SSL policies a fix may set on a listener: AWS's TLS 1.3 policies whose oldest
 * protocol is TLS 1.2 (ELBSecurityPolicy-TLS13-1-2-*, -1-3-*, their Res, Ext,
 * FIPS and PQ variants). IAM is evaluated per request and cannot read a
 * control's settings, so a `targetPolicy` outside this list is refused by AWS.
 */
export const allowedSslPolicies = ["ELBSecurityPolicy-TLS13-1-2-*", "ELBSecurityPolicy-TLS13-1-3-*"];

const anyListener: Scope = ({ partition, account }) => [
  `arn:${partition}:elasticloadbalancing:*:${account}:listener/*`,
];

/**
 * What no fix ever does, denied whatever else the role is granted: its changes
 * are ignored as driftwarden's own, so the role must not be able to weaken a
 * listener. ELBv2's condition keys for ModifyListener are ListenerProtocol and
 * SecurityPolicy (Service Authorization Reference): a request that sets
 * `Protocol` at all, or an SslPolicy outside the allowed list, is denied. The
 * reference has no condition key for `Port` or `Certificates` (nor any for
 * ModifyRule or cloudfront:UpdateDistribution beyond tags): those rest on the
 * fixers changing only the fields their control owns, and a test fails when
 * AWS adds such a key, so the Deny can follow.
 */
function fixGuards(arns: DeploymentArns, granted: ReadonlySet<string>): Statement[] {
  if (!granted.has("elasticloadbalancing:ModifyListener")) return [];
  const listeners = anyListener(arns);
  return [
    {
      sid: "NoFixChangesAListenerProtocol",
      effect: "Deny",
      actions: ["elasticloadbalancing:ModifyListener"],
      resources: listeners,
      conditions: { Null: { "elasticloadbalancing:ListenerProtocol": "false" } },
    },
    {
      sid: "NoFixWeakensTls",
      effect: "Deny",
      actions: ["elasticloadbalancing:ModifyListener"],
      resources: listeners,
      conditions: {
        "ForAnyValue:StringNotLike": { "elasticloadbalancing:SecurityPolicy": allowedSslPolicies },
      },
    },
  ];
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
 * Appending to the audit ledger: records and markers are put, the markers and
 * the head hint updated; a record is never updated or deleted. IAM cannot
 * require the put's `attribute_not_exists` condition, so a stolen role could
 * still overwrite a record with PutItem: the hash chain and the signed seals
 * make that detectable (`driftwarden audit verify`), and the explicit Deny
 * keeps erasing and rewriting out of reach whatever else grants them.
 */
function appendsAudit(sid: string, arns: DeploymentArns): Statement[] {
  const table = [arns.tables.audit];
  const keys = (prefixes: string[]) => ({
    "ForAllValues:StringLike": { "dynamodb:LeadingKeys": prefixes },
  });
  return [
    {
      sid: `${sid}Read`,
      actions: ["dynamodb:GetItem"],
      resources: table,
      conditions: keys(["seq#*", "idem#*", "head"]),
    },
    {
      sid: `${sid}Append`,
      actions: ["dynamodb:PutItem"],
      resources: table,
      conditions: keys(["seq#*", "idem#*"]),
    },
    {
      sid: `${sid}Bookkeeping`,
      actions: ["dynamodb:UpdateItem"],
      resources: table,
      conditions: keys(["idem#*", "head"]),
    },
    ...neverErasesAudit(sid, arns),
  ];
}

/** No role of driftwarden deletes audit items, or rewrites a record or seal in place. */
function neverErasesAudit(sid: string, arns: DeploymentArns): Statement[] {
  return [
    {
      sid: `${sid}NeverErase`,
      effect: "Deny",
      actions: [
        "dynamodb:BatchWriteItem",
        "dynamodb:DeleteItem",
        "dynamodb:PartiQLDelete",
        "dynamodb:PartiQLUpdate",
      ],
      resources: [arns.tables.audit],
    },
    {
      sid: `${sid}NeverRewrite`,
      effect: "Deny",
      actions: ["dynamodb:UpdateItem"],
      resources: [arns.tables.audit],
      conditions: { "ForAnyValue:StringLike": { "dynamodb:LeadingKeys": ["seq#*", "seal#*"] } },
    },
  ];
}

/** Makes approval links: KMS GenerateMac with the link key, and nothing else with it. */
const makesApprovalLinks = (arns: DeploymentArns): Statement => ({
  sid: "MakeApprovalLinks",
  actions: ["kms:GenerateMac"],
  resources: [arns.keys.approvalLinks],
  conditions: { StringEquals: { "kms:MacAlgorithm": "HMAC_SHA_256" } },
});

/**
 * Seals the audit ledger: reads its end, signs a seal with the seal key, and
 * adds it (a seal is never rewritten: see neverErasesAudit).
 */
function sealsAudit(arns: DeploymentArns): Statement[] {
  const table = [arns.tables.audit];
  const keys = (prefixes: string[]) => ({
    "ForAllValues:StringLike": { "dynamodb:LeadingKeys": prefixes },
  });
  return [
    {
      sid: "SealAuditRead",
      actions: ["dynamodb:GetItem"],
      resources: table,
      conditions: keys(["seq#*", "head", "seal#*", "sealhead"]),
    },
    { sid: "SealAuditAppend", actions: ["dynamodb:PutItem"], resources: table, conditions: keys(["seal#*"]) },
    {
      sid: "SealAuditHead",
      actions: ["dynamodb:UpdateItem"],
      resources: table,
      conditions: keys(["sealhead"]),
    },
    {
      sid: "SignSeals",
      actions: ["kms:Sign"],
      resources: [arns.keys.auditSeals],
      conditions: { StringEquals: { "kms:SigningAlgorithm": "ECDSA_SHA_256", "kms:MessageType": "RAW" } },
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
        // Seen-markers make a redelivered event a duplicate; per-resource records name its executions.
        eventItems(
          "SeenEventsAndExecutions",
          arns,
          ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"],
          ["event#", "target#"],
        ),
      ];
    case "sweep":
      return [
        ...readStatements(arns, metadata),
        ...startsWorkflows(arns),
        // The per-resource records that name executions, shared with intake.
        eventItems("Executions", arns, ["dynamodb:GetItem", "dynamodb:UpdateItem"], ["target#"]),
        // Which types AWS Config records in each swept region (CloudFront's in us-east-1, hence any region).
        {
          sid: "ConfigRecorders",
          actions: ["config:DescribeConfigurationRecorders", "config:DescribeConfigurationRecorderStatus"],
          resources: [`arn:${arns.partition}:config:*:${arns.account}:configuration-recorder/*`],
        },
        // Advanced query lists recorded resources with their configuration; it has no resource type.
        { sid: "ConfigAdvancedQuery", actions: ["config:SelectResourceConfig"], resources: ["*"] },
      ];
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
        // Puts the request, refreshes its token on a retry, closes the one it replaces: never a plain read.
        {
          sid: "AskOnCall",
          actions: ["dynamodb:PutItem", "dynamodb:UpdateItem"],
          resources: [tables.approvals],
        },
        ...appendsAudit("AuditAwaiting", arns),
        claimsNotifications(arns),
        publish(arns),
        makesApprovalLinks(arns),
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
        // It checks links and can never make one.
        {
          sid: "VerifyApprovalLinks",
          actions: ["kms:VerifyMac"],
          resources: [arns.keys.approvalLinks],
          conditions: { StringEquals: { "kms:MacAlgorithm": "HMAC_SHA_256" } },
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
        // Reminders carry freshly made links.
        makesApprovalLinks(arns),
        // The same schedule seals the audit ledger.
        ...sealsAudit(arns),
      ];
  }
}

/**
 * The remediator: the fixers' declared actions, the reads a retried apply
 * needs, its journal, and the Denies of what no fix does.
 */
export function remediatorRole(arns: DeploymentArns, metadata = controlMetadata): Statement[] {
  const fixes = remediatorStatements(arns, metadata);
  const granted = new Set(fixes.flatMap((statement) => statement.actions));
  return [
    ...fixes,
    ...readStatements(arns, metadata),
    eventItems("ApplyJournal", arns, ["dynamodb:GetItem", "dynamodb:UpdateItem"], ["journal#"]),
    ...fixGuards(arns, granted),
  ];
}

/**
 * Only the apply function acts as the remediator. Lambda puts the calling
 * function's ARN into its credentials (`lambda:SourceFunctionArn`); any other
 * function created with this role, or its credentials used anywhere else, is
 * denied every action the role has. The trust policy alone cannot say which
 * function may assume the role. Attached once the function (and so its ARN)
 * exists.
 */
export function remediatorOnlyFromApply(
  arns: DeploymentArns,
  applyFunctionArn: string,
  metadata = controlMetadata,
): Statement[] {
  const allowed = remediatorRole(arns, metadata).filter((statement) => statement.effect !== "Deny");
  const actions = [...new Set(allowed.flatMap((statement) => statement.actions))].sort();
  return [
    {
      sid: "OnlyTheApplyFunction",
      effect: "Deny",
      actions,
      // A Deny on every resource only narrows what the allows above grant.
      resources: ["*"],
      conditions: { ArnNotEquals: { "lambda:SourceFunctionArn": applyFunctionArn } },
    },
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

export function trustPolicy(service: string, account?: string) {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: service },
        Action: "sts:AssumeRole",
        // Only on behalf of this account's own resources (the confused-deputy guard AWS documents).
        ...(account ? { Condition: { StringEquals: { "aws:SourceAccount": account } } } : {}),
      },
    ],
  };
}

/**
 * The key policy of the approval-link key: IAM policies govern the key as
 * usual, and whatever they grant, only the roles that send requests and
 * reminders may make a MAC, and only the endpoint's role may verify one.
 */
export function approvalKeyPolicy(options: {
  partition: string;
  account: string;
  makers: string[];
  verifiers: string[];
}) {
  return keyPolicy(options, [
    { sid: "OnlyRequestsAndRemindersMakeLinks", action: "kms:GenerateMac", principals: options.makers },
    { sid: "OnlyTheEndpointVerifiesLinks", action: "kms:VerifyMac", principals: options.verifiers },
  ]);
}

/** The key policy of the audit seal key: only the sealing role signs; anyone IAM allows may verify. */
export function sealKeyPolicy(options: { partition: string; account: string; signers: string[] }) {
  return keyPolicy(options, [{ sid: "OnlyTheSealerSigns", action: "kms:Sign", principals: options.signers }]);
}

function keyPolicy(
  options: { partition: string; account: string },
  only: Array<{ sid: string; action: string; principals: string[] }>,
) {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        // AWS's default key policy statement: the account's IAM policies decide who may use and manage the key.
        Sid: "EnableIamPolicies",
        Effect: "Allow",
        Principal: { AWS: `arn:${options.partition}:iam::${options.account}:root` },
        Action: "kms:*",
        Resource: "*",
      },
      ...only.map((rule) => ({
        Sid: rule.sid,
        Effect: "Deny",
        Principal: { AWS: "*" },
        Action: rule.action,
        Resource: "*",
        Condition: { ArnNotEquals: { "aws:PrincipalArn": rule.principals } },
      })),
    ],
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
