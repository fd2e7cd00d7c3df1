import type { ControlClients } from "../lib/clients/controls.js";

/**
 * The contract every control folder implements. A control is data (metadata),
 * pure functions (detect, plan, risk where it needs no I/O) and exactly one
 * piece of code with side effects (apply). Everything a control produces is
 * plain JSON, because it travels between Step Functions states.
 */
export type Severity = "CRITICAL" | "HIGH" | "MEDIUM" | "LOW";
export type FindingStatus = "compliant" | "non-compliant" | "not-applicable";

export interface Finding {
  status: FindingStatus;
  /** Precise and human: names the offending listener/rule/origin and field. */
  message: string;
}

/** The CloudTrail calls of one service that trigger a control. */
export interface CloudTrailTrigger {
  /** EventBridge `source`, e.g. "aws.elasticloadbalancing". */
  source: string;
  /** CloudTrail `eventSource`, e.g. "elasticloadbalancing.amazonaws.com". */
  eventSource: string;
  eventNames: string[];
  /**
   * The service records calls made through a dated API version with that version appended
   * to eventName (CloudFront: UpdateDistribution2019_03_26, as in the CloudFront guide's
   * sample record UpdateDistribution2014_01_31): such names trigger like the plain ones.
   */
  datedEventNames?: boolean;
  /** Where the service's CloudTrail events reach EventBridge: every watched region, or only us-east-1. */
  delivery: "regional" | "us-east-1";
}

export interface ControlMetadata {
  id: string;
  title: string;
  severity: Severity;
  /** Security Hub control ids, e.g. ["ELB.1"]. */
  securityHubIds: string[];
  /** CloudFormation/Config type of the resource the control judges. */
  resourceType: string;
  service: "elbv2" | "cloudfront";
  triggers: {
    cloudTrail: CloudTrailTrigger;
    /**
     * CloudTrail events of other services that change this control's resource
     * (WAF's AssociateWebACL names the load balancer it protects): each gets its
     * own branch in the event rules.
     */
    otherCloudTrail?: CloudTrailTrigger[];
    config: {
      /** Config resource types whose item changes trigger the control. */
      resourceTypes: string[];
      /** AWS Config managed rules whose compliance changes trigger the control. */
      managedRules: string[];
    };
  };
  /** IAM actions needed to read state (collect, verify, sweep, target resolution). */
  readActions: string[];
  /** IAM actions the fixer needs: exactly what the remediator role is granted. */
  fixActions: string[];
  /**
   * How the resource's own source keeps this control's setting, so the next
   * deploy does not put the drift back: shown to on-call when an owner is known.
   */
  sourceFix?: SourceFix;
}

/** The same setting in each tool that may own the resource; plain text, a snippet per tool. */
export interface SourceFix {
  /** The template property (AWS::... resource and property path, with a YAML snippet). */
  cloudFormation: string;
  /** The Terraform resource argument (Pulumi's AWS provider takes the same arguments in camelCase). */
  terraform: string;
  /** The CDK construct call. */
  cdk: string;
  /** The `.ebextensions` option setting or resource override; says so when Elastic Beanstalk cannot own the resource. */
  elasticBeanstalk: string;
}

/** Who made the change that triggered the check (from CloudTrail). */
export interface Actor {
  arn: string;
  type: string;
  principalId?: string;
  accountId?: string;
  userName?: string;
  sessionIssuerArn?: string;
  sourceIp?: string;
  userAgent?: string;
  eventName?: string;
  eventTime?: string;
}

/** What an event says, after parsing, in the form controls resolve targets from. */
export type Trigger =
  | {
      kind: "cloudtrail";
      eventName: string;
      eventSource: string;
      region: string;
      account: string;
      requestParameters: Record<string, unknown> | null;
      responseElements: Record<string, unknown> | null;
    }
  | {
      kind: "config-item";
      resourceType: string;
      resourceId: string;
      arn?: string;
      region: string;
      account: string;
      /** ResourceDeleted, ResourceNotRecorded, OK, ... */
      status: string;
      /** Null for the oversized variant, whose configuration is not inline: always re-read live. */
      configuration: Record<string, unknown> | null;
    }
  | {
      kind: "compliance";
      configRuleName: string;
      resourceType: string;
      resourceId: string;
      region: string;
      account: string;
      newCompliance: string;
    };

export interface ControlContext {
  account: string;
  /** Region of the resource (us-east-1 for CloudFront). */
  region: string;
  /** The clients of the services controls call (ELBv2, CloudFront, WAF). */
  clients: ControlClients;
  /** Clock of the deployment (the sandbox clock locally). */
  now: () => Date;
  /** TLS probe for origins; absent for controls that do not probe. */
  probe?: OriginProbe;
}

export type ProbeResult =
  | { status: "ok"; protocol: string; detail: string }
  | {
      status: "no-https" | "invalid-certificate" | "tls-too-old" | "unreachable";
      detail: string;
    };

export type OriginProbe = (target: { host: string; port: number }) => Promise<ProbeResult>;

export type RiskLevel = "automatic" | "approval" | "blocked";

export interface RiskAssessment {
  level: RiskLevel;
  /** Why on-call must decide (or why it cannot be fixed at all); empty when automatic. */
  reasons: string[];
}

/** One exact AWS API call: planned (before) or made (after). */
export interface Change {
  service: "elbv2" | "cloudfront" | "wafv2";
  action: string;
  input: Record<string, unknown>;
}

/**
 * A control's settings beside `mode` and `scope` (`config.controls.<id>`), as
 * the control's zod schema outputs them. Controls without settings get `{}`.
 */
export type ControlSettings = Record<string, unknown>;

/**
 * The contract every control folder implements. A control is data (metadata
 * and a settings schema), pure functions (detect, plan, the owned state, and
 * whether a change is already in effect) and exactly one piece of code with
 * side effects (execute, one planned call at a time). Everything a control
 * produces is plain JSON, because it travels between Step Functions states.
 *
 * The workflow around it is generic: it plans with `plan`, judges each call's
 * risk with `assessRisk` (so a safe call is never held back by a risky one),
 * executes calls one by one through a journal (so a retried or re-run apply
 * never repeats a call already made and resumes a multi-call fix where it
 * stopped, using `inEffect` on a fresh snapshot), and verifies by `collect` +
 * `detect`.
 */
export interface Control<Snapshot = unknown, Settings extends ControlSettings = ControlSettings> {
  metadata: ControlMetadata;
  /** Resource ids (ARNs) an event is about; [] when the event does not concern this control. */
  resolveTargets(trigger: Trigger, ctx: ControlContext): Promise<string[]>;
  /** Every resource of this control in the context's region, for the sweep. */
  listResources(ctx: ControlContext): Promise<string[]>;
  /** Live state; null when the resource no longer exists. */
  collect(ctx: ControlContext, resource: string): Promise<Snapshot | null>;
  /** Pure. */
  detect(snapshot: Snapshot, settings: Settings): Finding;
  /** Pure: the part of the state the control owns; equal drift gives equal state. */
  ownedState(snapshot: Snapshot): unknown;
  /**
   * Pure: the smallest fix, as the exact calls in the order they are made
   * (shown to on-call before, audited after). Only called on a non-compliant snapshot.
   */
  plan(snapshot: Snapshot, settings: Settings): Change[];
  /** One assessment per planned call, in the same order. May probe (CloudFront); never changes anything. */
  assessRisk(
    snapshot: Snapshot,
    changes: Change[],
    ctx: ControlContext,
    settings: Settings,
  ): Promise<RiskAssessment[]>;
  /** Pure: whether the live state already shows this planned call's effect (made before a crash, or by someone). */
  inEffect(snapshot: Snapshot, change: Change): boolean;
  /**
   * The only code with side effects: makes one planned call and returns the call
   * really made (CloudFront: the read-modify-write under the ETag it read), or
   * null when the fresh read shows nothing left to change. SDK errors propagate
   * unchanged so the workflow can retry on their names.
   */
  execute(ctx: ControlContext, resource: string, change: Change): Promise<Change | null>;
  /** Tags on the resource (exemptions, scope, ownership). */
  tags(snapshot: Snapshot): Record<string, string>;
}

// biome-ignore lint/suspicious/noExplicitAny: the registry holds controls of different snapshot/settings types
export type AnyControl = Control<any, any>;

/** The part of a control that judges a resource: read it, say whether it complies (the verify step needs no more). */
export type Judge<Snapshot = unknown, Settings extends ControlSettings = ControlSettings> = Pick<
  Control<Snapshot, Settings>,
  "metadata" | "collect" | "detect"
>;
// biome-ignore lint/suspicious/noExplicitAny: heterogenous list, as AnyControl
export type AnyJudge = Judge<any, any>;
