import { cloudTrailTriggers } from "../controls/cloud-trail.js";
import type { Actor, AnyControl, CloudTrailTrigger, Trigger } from "../controls/types.js";
import { ruleNameMatches } from "../lib/config-rules.js";
import type * as z from "../lib/schema.js";
import {
  type CloudTrailDetail,
  type ComplianceDetail,
  type ConfigItemDetail,
  cloudTrailDetailSchema,
  complianceDetailSchema,
  configItemDetailSchema,
  detailTypes,
  type Envelope,
  envelopeSchema,
  type UserIdentity,
} from "./schemas.js";

export type IgnoreReason = "own-change" | "failed-call" | "not-relevant" | "resource-gone";
/** Which AWS feed delivered a trigger (the sweep is the third source, see start.ts). */
export type ClassifiedSource = "cloudtrail" | "config";

export type Classification =
  | { kind: "malformed"; reason: string; eventId: string | null }
  | { kind: "ignored"; reason: IgnoreReason; detail: string; eventId: string }
  | {
      kind: "trigger";
      trigger: Trigger;
      actor: Actor | null;
      source: ClassifiedSource;
      controls: AnyControl[];
      eventId: string;
      eventTime: string;
    };

export interface ClassifyOptions {
  controls: readonly AnyControl[];
  remediatorRoleArn: string;
}

/**
 * Decides what an EventBridge event means for driftwarden without touching AWS.
 * Never throws: anything that does not parse is `malformed`, with the offending
 * field named, so the handler can log it instead of failing (EventBridge would
 * retry a failing invocation).
 */
export function classify(envelope: unknown, options: ClassifyOptions): Classification {
  const parsed = envelopeSchema.safeParse(envelope);
  if (!parsed.success) {
    return { kind: "malformed", reason: describeIssues(parsed.error), eventId: envelopeId(envelope) };
  }
  const event = parsed.data;
  switch (event["detail-type"]) {
    case detailTypes.cloudTrail:
      return classifyCloudTrail(event, options);
    case detailTypes.configItem:
      return classifyConfigItem(event, options);
    case detailTypes.compliance:
      return classifyCompliance(event, options);
    default:
      return ignored(
        event,
        "not-relevant",
        `detail-type "${event["detail-type"]}" is not one intake handles`,
      );
  }
}

function classifyCloudTrail(
  event: Envelope,
  { controls, remediatorRoleArn }: ClassifyOptions,
): Classification {
  const parsed = cloudTrailDetailSchema.safeParse(event.detail);
  if (!parsed.success) return malformedDetail(event, parsed.error);
  const detail = parsed.data;
  const exclusion = cloudTrailExclusion(detail, remediatorRoleArn);
  if (exclusion) return ignored(event, exclusion.reason, exclusion.detail);

  // A control may listen to several services; the trigger that matched says how to read the name.
  const matched = controls.flatMap((control) => {
    const trail = cloudTrailTriggers(control.metadata).find(
      (candidate) =>
        candidate.source === event.source &&
        candidate.eventSource === detail.eventSource &&
        candidate.eventNames.includes(triggerEventName(detail.eventName, candidate)),
    );
    return trail ? [{ control, trail }] : [];
  });
  const matching = matched.map((m) => m.control);
  const first = matched[0];
  if (!first) {
    return ignored(event, "not-relevant", `${detail.eventSource} ${detail.eventName} concerns no control`);
  }
  return {
    kind: "trigger",
    trigger: {
      kind: "cloudtrail",
      // Controls resolve targets by the plain operation name, whatever API version was called.
      eventName: triggerEventName(detail.eventName, first.trail),
      eventSource: detail.eventSource,
      region: detail.awsRegion,
      account: detail.recipientAccountId ?? event.account,
      requestParameters: detail.requestParameters,
      responseElements: detail.responseElements,
    },
    actor: actorOf(detail),
    source: "cloudtrail",
    controls: matching,
    eventId: event.id,
    eventTime: detail.eventTime,
  };
}

function classifyConfigItem(event: Envelope, { controls }: ClassifyOptions): Classification {
  if (event.source !== "aws.config") {
    return ignored(event, "not-relevant", `Config item change from source "${event.source}"`);
  }
  const parsed = configItemDetailSchema.safeParse(event.detail);
  if (!parsed.success) return malformedDetail(event, parsed.error);
  const detail: ConfigItemDetail = parsed.data;
  const item =
    detail.messageType === "ConfigurationItemChangeNotification"
      ? detail.configurationItem
      : detail.configurationItemSummary;
  const matching = controls.filter((control) =>
    control.metadata.triggers.config.resourceTypes.includes(item.resourceType),
  );
  if (matching.length === 0) {
    return ignored(event, "not-relevant", `Config resource type ${item.resourceType} concerns no control`);
  }
  if (
    item.configurationItemStatus === "ResourceDeleted" ||
    item.configurationItemStatus === "ResourceDeletedNotRecorded"
  ) {
    return ignored(
      event,
      "resource-gone",
      `${item.resourceType} ${item.resourceId} is ${item.configurationItemStatus}`,
    );
  }
  return {
    kind: "trigger",
    trigger: {
      kind: "config-item",
      resourceType: item.resourceType,
      resourceId: item.resourceId,
      ...(item.ARN ? { arn: item.ARN } : {}),
      region: item.awsRegion,
      account: item.awsAccountId,
      status: item.configurationItemStatus,
      configuration:
        detail.messageType === "ConfigurationItemChangeNotification"
          ? detail.configurationItem.configuration
          : null,
    },
    actor: null,
    source: "config",
    controls: matching,
    eventId: event.id,
    eventTime: item.configurationItemCaptureTime ?? detail.notificationCreationTime ?? event.time,
  };
}

function classifyCompliance(event: Envelope, { controls }: ClassifyOptions): Classification {
  if (event.source !== "aws.config") {
    return ignored(event, "not-relevant", `Config compliance change from source "${event.source}"`);
  }
  const parsed = complianceDetailSchema.safeParse(event.detail);
  if (!parsed.success) return malformedDetail(event, parsed.error);
  const detail: ComplianceDetail = parsed.data;
  const compliance = detail.newEvaluationResult.complianceType;
  if (compliance !== "NON_COMPLIANT") {
    return ignored(
      event,
      "not-relevant",
      `${detail.configRuleName} reports ${compliance} for ${detail.resourceId}`,
    );
  }
  const matching = controls.filter((control) => ruleMatchesControl(detail.configRuleName, control));
  if (matching.length === 0) {
    return ignored(event, "not-relevant", `Config rule ${detail.configRuleName} concerns no control`);
  }
  return {
    kind: "trigger",
    trigger: {
      kind: "compliance",
      configRuleName: detail.configRuleName,
      resourceType: detail.resourceType,
      resourceId: detail.resourceId,
      region: detail.awsRegion,
      account: detail.awsAccountId,
      newCompliance: compliance,
    },
    actor: null,
    source: "config",
    controls: matching,
    eventId: event.id,
    eventTime: detail.newEvaluationResult.resultRecordedTime ?? detail.notificationCreationTime ?? event.time,
  };
}

const datedSuffix = /\d{4}_\d{2}_\d{2}$/;

/**
 * The operation a CloudTrail eventName stands for: services with dated API
 * versions (CloudFront) record a call through an older version as e.g.
 * `UpdateDistribution2019_03_26`, which is still UpdateDistribution.
 */
export function triggerEventName(
  eventName: string,
  trail: Pick<CloudTrailTrigger, "datedEventNames">,
): string {
  return trail.datedEventNames ? eventName.replace(datedSuffix, "") : eventName;
}

/** Whether a Config rule's compliance result concerns this control (see ruleNameMatches). */
export function ruleMatchesControl(configRuleName: string, control: AnyControl): boolean {
  return ruleNameMatches(configRuleName, control.metadata.triggers.config.managedRules);
}

const readOnlyEventName = /^(Describe|Get|List)/;

/**
 * Why a CloudTrail call must not trigger anything, whatever control it
 * concerns. Shared with the local router, which reports the same reason for an
 * event the deployed patterns drop on purpose.
 */
export function cloudTrailExclusion(
  detail: Pick<CloudTrailDetail, "errorCode" | "userIdentity" | "readOnly" | "eventName">,
  remediatorRoleArn: string,
): { reason: IgnoreReason; detail: string } | undefined {
  if (detail.errorCode) {
    return { reason: "failed-call", detail: `${detail.eventName} failed with ${detail.errorCode}` };
  }
  if (isRemediator(detail.userIdentity, remediatorRoleArn)) {
    return { reason: "own-change", detail: `${detail.eventName} was made by the remediator role` };
  }
  if (detail.readOnly === true || readOnlyEventName.test(detail.eventName)) {
    return { reason: "not-relevant", detail: `${detail.eventName} is a read-only call` };
  }
  return undefined;
}

/** Matches the role itself and any session of it (the session name is free-form). */
export function isRemediator(identity: UserIdentity, remediatorRoleArn: string): boolean {
  if (identity.sessionContext?.sessionIssuer?.arn === remediatorRoleArn) return true;
  const role = parseRoleArn(remediatorRoleArn);
  if (!role || !identity.arn) return false;
  return identity.arn.startsWith(`arn:${role.partition}:sts::${role.account}:assumed-role/${role.name}/`);
}

function parseRoleArn(arn: string): { partition: string; account: string; name: string } | undefined {
  // arn:<partition>:iam::<account>:role/<optional path/>name; assumed-role ARNs drop the path.
  const match = /^arn:([^:]+):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(arn);
  if (!match) return undefined;
  const [, partition = "aws", account = "", name = ""] = match;
  return { partition, account, name };
}

/** Who made the call, in a form that names them even when CloudTrail gives no ARN. */
export function actorOf(detail: CloudTrailDetail): Actor {
  const identity = detail.userIdentity;
  const issuer = identity.sessionContext?.sessionIssuer ?? undefined;
  // Undefined fields vanish when the input is serialised for Step Functions.
  return {
    arn: actorArn(identity),
    type: identity.type,
    principalId: identity.principalId ?? undefined,
    accountId: identity.accountId ?? detail.recipientAccountId ?? undefined,
    userName: identity.userName ?? issuer?.userName ?? undefined,
    sessionIssuerArn: issuer?.arn ?? undefined,
    sourceIp: detail.sourceIPAddress ?? undefined,
    userAgent: detail.userAgent ?? undefined,
    eventName: detail.eventName,
    eventTime: detail.eventTime,
  };
}

function actorArn(identity: UserIdentity): string {
  if (identity.arn) return identity.arn;
  switch (identity.type) {
    case "Root":
      if (identity.accountId) return `arn:aws:iam::${identity.accountId}:root`;
      break;
    case "AWSService":
      // A service principal has no ARN; its name is how IAM policies refer to it.
      if (identity.invokedBy) return identity.invokedBy;
      break;
    case "IdentityCenterUser":
      if (identity.onBehalfOf?.identityStoreArn && identity.onBehalfOf.userId) {
        return `${identity.onBehalfOf.identityStoreArn}/user/${identity.onBehalfOf.userId}`;
      }
      break;
    case "WebIdentityUser":
    case "SAMLUser": {
      const provider =
        identity.identityProvider ??
        identity.sessionContext?.webIdFederationData?.federatedProvider ??
        undefined;
      const who = identity.userName ?? identity.principalId;
      if (who) return provider ? `${identity.type}:${provider}:${who}` : `${identity.type}:${who}`;
      break;
    }
  }
  if (identity.principalId) return `${identity.type}:${identity.principalId}`;
  if (identity.invokedBy) return identity.invokedBy;
  return `${identity.type}:unknown`;
}

function ignored(event: Envelope, reason: IgnoreReason, detail: string): Classification {
  return { kind: "ignored", reason, detail, eventId: event.id };
}

function malformedDetail(event: Envelope, error: z.core.$ZodError): Classification {
  return { kind: "malformed", reason: describeIssues(error, ["detail"]), eventId: event.id };
}

/** One line naming every offending field by its path in the envelope. */
export function describeIssues(error: z.core.$ZodError, prefix: PropertyKey[] = []): string {
  return error.issues
    .map((issue) => {
      const path = [...prefix, ...issue.path].map(String).join(".");
      return `${path || "(root)"}: ${issue.message}`;
    })
    .join("; ");
}

function envelopeId(envelope: unknown): string | null {
  if (typeof envelope !== "object" || envelope === null) return null;
  const id = (envelope as Record<string, unknown>).id;
  return typeof id === "string" ? id : null;
}
