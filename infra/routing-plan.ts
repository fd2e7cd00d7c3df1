import type { EventRule } from "../functions/events/patterns.js";
import { ConfigurationError } from "../functions/lib/errors.js";

/**
 * Where every EventBridge rule goes and what it targets, as data. Matching
 * happens where AWS delivers the event (CloudTrail events of regional services
 * in their region, CloudFront's only in us-east-1); the workflows run in the
 * home region, so other regions forward to the home region's default bus,
 * where a rule with the same pattern invokes intake.
 */

export type TargetKind =
  /** Invoke the intake function (home region only). */
  | "intake"
  /** Put the event on the home region's default bus. */
  | "forward-to-home"
  /** Publish to the Alerts topic (home region only). */
  | "alerts";

export interface RetryPolicy {
  maximumEventAgeInSeconds: number;
  maximumRetryAttempts: number;
}

/**
 * Six hours: events are only triggers and the sweep re-checks every resource
 * anyway, but a throttled or briefly failing intake must not lose the fast path
 * to a short default. Past this, the event lands in the dead-letter queue and
 * its alarm tells on-call.
 */
export const targetRetry: RetryPolicy = { maximumEventAgeInSeconds: 6 * 3600, maximumRetryAttempts: 50 };

export interface PlannedTarget {
  kind: TargetKind;
  retry: RetryPolicy;
  /** Name of the region's dead-letter queue (EventBridge requires it in the rule's region). */
  deadLetterQueue: string;
}

export interface PlannedRule {
  /** Deployed rule name (unique per region and stage). */
  name: string;
  /** The rule of `eventRules` this deploys, or the alarm relay. */
  origin: string;
  region: string;
  description: string;
  pattern: Record<string, unknown>;
  target: PlannedTarget;
}

export interface PlannedAlarm {
  name: string;
  /** The queue whose visible messages raise it. */
  queue: string;
  /**
   * CloudWatch alarms can only notify an SNS topic in their own region: home
   * alarms notify the Alerts topic directly, others relay their state change
   * through EventBridge to the home region.
   */
  notify: "topic" | "relay";
}

export interface RegionPlan {
  region: string;
  isHome: boolean;
  rules: PlannedRule[];
  deadLetterQueue: string;
  alarm: PlannedAlarm;
}

export interface RoutingPlan {
  homeRegion: string;
  regions: RegionPlan[];
}

export interface RoutingOptions {
  rules: readonly EventRule[];
  homeRegion: string;
  /** Regions with watched regional resources (the home region alone when none are configured). */
  regions: readonly string[];
  stage: string;
}

export const globalEventRegion = "us-east-1";
const maxRuleName = 64;
const alarmRelayOrigin = "driftwarden-dlq-alarms";

export function deadLetterQueueName(stage: string): string {
  return `driftwarden-${stage}-events-dlq`;
}

export function dlqAlarmName(stage: string, region: string): string {
  return `driftwarden-${stage}-events-dlq-${region}`;
}

function ruleName(origin: string, stage: string): string {
  const name = `${origin}-${stage}`;
  if (name.length > maxRuleName || !/^[\w.-]+$/.test(name)) {
    throw new ConfigurationError(
      `EventBridge rule name "${name}" is invalid (at most ${maxRuleName} of [A-Za-z0-9._-]): use a shorter stage name`,
      name,
    );
  }
  return name;
}

/** The pattern of a DLQ alarm entering ALARM, as CloudWatch emits it to EventBridge. */
export function alarmPattern(alarmNames: readonly string[]): Record<string, unknown> {
  return {
    source: ["aws.cloudwatch"],
    "detail-type": ["CloudWatch Alarm State Change"],
    detail: { alarmName: [...alarmNames], state: { value: ["ALARM"] } },
  };
}

export function routingPlan({ rules, homeRegion, regions, stage }: RoutingOptions): RoutingPlan {
  const placements = new Map<string, EventRule[]>();
  const place = (region: string, rule: EventRule) =>
    placements.set(region, [...(placements.get(region) ?? []), rule]);
  placements.set(homeRegion, []);
  for (const rule of rules) {
    const ruleRegions = rule.placement === "us-east-1" ? [globalEventRegion] : [...new Set(regions)];
    for (const region of ruleRegions) place(region, rule);
  }

  const dlq = deadLetterQueueName(stage);
  const target = (kind: TargetKind): PlannedTarget => ({ kind, retry: targetRetry, deadLetterQueue: dlq });
  const forwardedRules = new Set<EventRule>();
  const remoteAlarms: string[] = [];

  const remote: RegionPlan[] = [...placements.keys()]
    .filter((region) => region !== homeRegion)
    .sort()
    .map((region) => {
      const alarm: PlannedAlarm = { name: dlqAlarmName(stage, region), queue: dlq, notify: "relay" };
      remoteAlarms.push(alarm.name);
      const forwarded = (placements.get(region) ?? []).map((rule): PlannedRule => {
        forwardedRules.add(rule);
        return {
          name: ruleName(rule.name, stage),
          origin: rule.name,
          region,
          description: `${rule.description}; forwarded to ${homeRegion}`,
          pattern: rule.pattern,
          target: target("forward-to-home"),
        };
      });
      const relay: PlannedRule = {
        name: ruleName(alarmRelayOrigin, stage),
        origin: alarmRelayOrigin,
        region,
        description: `Relays the ${region} dead-letter queue alarm to ${homeRegion}, where the Alerts topic lives`,
        pattern: alarmPattern([alarm.name]),
        target: target("forward-to-home"),
      };
      return { region, isHome: false, rules: [...forwarded, relay], deadLetterQueue: dlq, alarm };
    });

  // The home bus evaluates each rule's pattern once, whether the event originated here or was forwarded.
  // A forwarded event keeps its `region`, so each home rule takes events only from the regions where
  // AWS delivers them to that rule (CloudFront's from us-east-1): the home bus then matches exactly
  // what the rule would have matched where it is placed.
  const homeRules = rules.filter(
    (rule) => (placements.get(homeRegion) ?? []).includes(rule) || forwardedRules.has(rule),
  );
  const placedIn = (rule: EventRule) =>
    [...placements.entries()].filter(([, placed]) => placed.includes(rule)).map(([region]) => region);
  const home: RegionPlan = {
    region: homeRegion,
    isHome: true,
    rules: [
      ...homeRules.map(
        (rule): PlannedRule => ({
          name: ruleName(rule.name, stage),
          origin: rule.name,
          region: homeRegion,
          description: rule.description,
          pattern: { ...rule.pattern, region: placedIn(rule).sort() },
          target: target("intake"),
        }),
      ),
      ...(remoteAlarms.length > 0
        ? [
            {
              name: ruleName(alarmRelayOrigin, stage),
              origin: alarmRelayOrigin,
              region: homeRegion,
              description: "Dead-letter queue alarms of other regions, to the Alerts topic",
              pattern: alarmPattern(remoteAlarms),
              target: target("alerts"),
            },
          ]
        : []),
    ],
    deadLetterQueue: dlq,
    alarm: { name: dlqAlarmName(stage, homeRegion), queue: dlq, notify: "topic" },
  };
  return { homeRegion, regions: [home, ...remote] };
}
