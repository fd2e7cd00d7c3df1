import { cloudTrailTriggers } from "../controls/cloud-trail.js";
import type { AnyControl, CloudTrailTrigger } from "../controls/types.js";
import { detailTypes } from "../intake/schemas.js";
import { normalizeRuleName } from "../lib/config-rules.js";

/**
 * The EventBridge rules driftwarden deploys, as data derived from the controls'
 * metadata. Infra creates exactly these patterns and the local router
 * evaluates exactly these objects, so the tests of one are tests of the other.
 */
export interface EventRule {
  name: string;
  /** Where the rule is deployed: on the bus of every watched region, or only in us-east-1. */
  placement: "watched-regions" | "us-east-1";
  description: string;
  pattern: Record<string, unknown>;
}

export interface EventRuleOptions {
  /** Taken as a parameter (infra passes the registry) so tests can use metadata-only controls. */
  controls: readonly AnyControl[];
  remediatorRoleArn: string;
}

/**
 * Where AWS delivers a control's events: its CloudTrail events and, for a
 * global service, its Config items and compliance results too. AWS Config
 * records CloudFront (a global resource) only in us-east-1, where
 * CloudFront.9/.10 are evaluated; regional resources are recorded in their
 * own region. So each kind of rule is split by delivery: one in every watched
 * region, one in us-east-1 whatever the watched regions.
 */
const deliveries = [
  { delivery: "regional", placement: "watched-regions", suffix: "regional" },
  { delivery: "us-east-1", placement: "us-east-1", suffix: "us-east-1" },
] as const;

export function eventRules({ controls, remediatorRoleArn }: EventRuleOptions): EventRule[] {
  const rules: EventRule[] = [];
  // A control may be triggered by several services (WAF's calls name the load balancer they
  // protect), each delivered where that service's events reach EventBridge.
  const trails = controls.flatMap((c) => cloudTrailTriggers(c.metadata));
  for (const { delivery, placement, suffix } of deliveries) {
    const delivered = trails.filter((trail) => trail.delivery === delivery);
    const rule = cloudTrailRule(`driftwarden-cloudtrail-${suffix}`, placement, delivered, remediatorRoleArn);
    if (rule) rules.push(rule);
  }
  // Config records a resource where the resource's own service delivers its events.
  const placed = deliveries.map(({ delivery, placement, suffix }) => ({
    placement,
    suffix,
    controls: controls.filter((c) => c.metadata.triggers.cloudTrail.delivery === delivery),
  }));
  for (const { placement, suffix, controls: delivered } of placed) {
    const rule = configItemRule(`driftwarden-config-items-${suffix}`, placement, delivered);
    if (rule) rules.push(rule);
  }
  for (const { placement, suffix, controls: delivered } of placed) {
    const rule = complianceRule(`driftwarden-config-compliance-${suffix}`, placement, delivered);
    if (rule) rules.push(rule);
  }
  return rules;
}

function configItemRule(
  name: string,
  placement: EventRule["placement"],
  controls: readonly AnyControl[],
): EventRule | undefined {
  const resourceTypes = unique(controls.flatMap((c) => c.metadata.triggers.config.resourceTypes));
  if (resourceTypes.length === 0) return undefined;
  return {
    name,
    placement,
    description: `Config item changes of ${resourceTypes.join(", ")} (inline and oversized)`,
    pattern: {
      source: ["aws.config"],
      "detail-type": [detailTypes.configItem],
      // Deleted items pass on purpose: intake records them as resource-gone instead of losing them.
      detail: {
        $or: [
          {
            messageType: ["ConfigurationItemChangeNotification"],
            configurationItem: { resourceType: resourceTypes },
          },
          {
            messageType: ["OversizedConfigurationItemChangeNotification"],
            configurationItemSummary: { resourceType: resourceTypes },
          },
        ],
      },
    },
  };
}

function complianceRule(
  name: string,
  placement: EventRule["placement"],
  controls: readonly AnyControl[],
): EventRule | undefined {
  const managedRules = unique(controls.flatMap((c) => c.metadata.triggers.config.managedRules));
  if (managedRules.length === 0) return undefined;
  return {
    name,
    placement,
    description: `NON_COMPLIANT results of Config rules built on ${managedRules.join(", ")}`,
    pattern: {
      source: ["aws.config"],
      "detail-type": [detailTypes.compliance],
      detail: {
        messageType: ["ComplianceChangeNotification"],
        configRuleName: managedRules.flatMap(ruleNameWildcards),
        newEvaluationResult: { complianceType: ["NON_COMPLIANT"] },
      },
    },
  };
}

/**
 * Deployed rule names contain the managed rule identifier in some spelling
 * (Security Hub: `securityhub-alb-http-to-https-redirection-check-a1b2c3`).
 * EventBridge has no case-insensitive "contains", so every spelling intake's
 * normalisation accepts gets its own wildcard.
 */
export function ruleNameWildcards(managedRule: string): Array<{ wildcard: string }> {
  const kebab = normalizeRuleName(managedRule);
  const spellings = unique([
    kebab,
    kebab.replaceAll("-", "_"),
    kebab.toUpperCase(),
    kebab.replaceAll("-", "_").toUpperCase(),
  ]);
  return spellings.map((spelling) => ({
    wildcard: `*${spelling.replaceAll("\\", "\\\\").replaceAll("*", "\\*")}*`,
  }));
}

function cloudTrailRule(
  name: string,
  placement: EventRule["placement"],
  trails: readonly CloudTrailTrigger[],
  remediatorRoleArn: string,
): EventRule | undefined {
  // One branch per CloudTrail eventSource keeps each service's event names to that service.
  const bySource = new Map<string, { source: string; eventNames: Set<string>; dated: Set<string> }>();
  for (const trail of trails) {
    const entry = bySource.get(trail.eventSource) ?? {
      source: trail.source,
      eventNames: new Set<string>(),
      dated: new Set<string>(),
    };
    for (const eventName of trail.eventNames) {
      entry.eventNames.add(eventName);
      if (trail.datedEventNames) entry.dated.add(eventName);
    }
    bySource.set(trail.eventSource, entry);
  }
  if (bySource.size === 0) return undefined;
  const branches = [...bySource.entries()].map(([eventSource, { eventNames, dated }]) => ({
    eventSource: [eventSource],
    eventName: [...[...eventNames].sort(), ...[...dated].sort().map(datedEventNameWildcard)],
  }));
  const sources = unique([...bySource.values()].map((entry) => entry.source));

  const services: Record<string, unknown> = branches.length === 1 ? { ...branches[0] } : { $or: branches };
  return {
    name,
    placement,
    description: `Successful mutating calls to ${[...bySource.keys()].join(", ")} not made by the remediator`,
    pattern: {
      source: sources,
      "detail-type": [detailTypes.cloudTrail],
      detail: {
        ...services,
        // Failed calls changed nothing.
        errorCode: [{ exists: false }],
        // No `readOnly: [false]`: a missing readOnly would then drop the event, and the event
        // names are all mutating already. `anything-but` does not match a missing field, and
        // IAM-user and root calls have no sessionContext, hence the `exists: false` branch.
        userIdentity: {
          $or: [
            { sessionContext: { sessionIssuer: { arn: [{ "anything-but": remediatorRoleArn }] } } },
            { sessionContext: { sessionIssuer: { arn: [{ exists: false }] } } },
          ],
        },
      },
    },
  };
}

/**
 * Matches the name CloudTrail records for a call through a dated API version
 * (`UpdateDistribution2019_03_26`) and nothing else: the `2` keeps
 * `UpdateDistributionWithStagingConfig` out of `UpdateDistribution`'s wildcard.
 */
export function datedEventNameWildcard(eventName: string): { wildcard: string } {
  return { wildcard: `${eventName}2*_*_*` };
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}
