import type { EventRule } from "../../functions/events/patterns.js";
import { cloudTrailExclusion } from "../../functions/intake/classify.js";
import { cloudTrailDetailSchema, detailTypes } from "../../functions/intake/schemas.js";
import { compilePattern } from "./match.js";

/**
 * The local stand-in for EventBridge rules: the same pattern objects infra
 * deploys decide which events reach intake.
 */
export interface RouteOptions {
  /** Region whose event bus receives the event; defaults to the envelope's `region`. */
  region?: string;
}

export interface RouteResult {
  /** Names of the rules whose pattern matched, in rule order. */
  matched: string[];
}

const compiled = new WeakMap<object, (event: unknown) => boolean>();

export function routeEvent(
  envelope: unknown,
  rules: readonly EventRule[],
  options: RouteOptions = {},
): RouteResult {
  const region = options.region ?? envelopeRegion(envelope);
  const matched = rules
    .filter((rule) => rule.placement === "watched-regions" || region === "us-east-1")
    .filter((rule) => matcherOf(rule)(envelope))
    .map((rule) => rule.name);
  return { matched };
}

export type UnmatchedReason = "own-change" | "failed-call" | "not-relevant";

/**
 * Why no rule took an event. The CloudTrail patterns exclude failed calls and
 * the remediator's own changes on purpose; those get their precise reason so
 * every delivered event is accounted for, everything else is not-relevant.
 */
export function unmatchedReason(envelope: unknown, remediatorRoleArn: string): UnmatchedReason {
  if (!isRecord(envelope) || envelope["detail-type"] !== detailTypes.cloudTrail) return "not-relevant";
  const detail = cloudTrailDetailSchema.safeParse(envelope.detail);
  if (!detail.success) return "not-relevant";
  const exclusion = cloudTrailExclusion(detail.data, remediatorRoleArn);
  return exclusion?.reason === "failed-call" || exclusion?.reason === "own-change"
    ? exclusion.reason
    : "not-relevant";
}

function matcherOf(rule: EventRule): (event: unknown) => boolean {
  let matcher = compiled.get(rule.pattern);
  if (!matcher) {
    matcher = compilePattern(rule.pattern);
    compiled.set(rule.pattern, matcher);
  }
  return matcher;
}

function envelopeRegion(envelope: unknown): string | undefined {
  return isRecord(envelope) && typeof envelope.region === "string" ? envelope.region : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
