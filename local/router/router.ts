import { cloudTrailExclusion, describeIssues } from "../../functions/intake/classify.js";
import { cloudTrailDetailSchema, detailTypes, envelopeSchema } from "../../functions/intake/schemas.js";
import type { RoutingPlan } from "../../infra/routing-plan.js";
import { compilePattern } from "./match.js";

/**
 * The local stand-in for EventBridge as driftwarden is deployed: the routing
 * plan infra deploys (infra/routing-plan.ts, built from the same rules and
 * regions) decides which events reach intake. An event lands on the bus of its
 * region; only the rules deployed there see it, and a rule that forwards puts
 * it on the home region's bus, whose rules invoke intake.
 */
export interface RouteOptions {
  /** Region whose event bus receives the event; defaults to the envelope's `region`. */
  region?: string;
}

export interface RouteResult {
  /** The rules (by origin, as eventRules names them) whose home target invokes intake, in rule order. */
  matched: string[];
  /** The region whose bus received the event. */
  region: string;
  /** False when the deployment has no rule at all in that region. */
  deployed: boolean;
}

const compiled = new WeakMap<object, (event: unknown) => boolean>();

export function routeEvent(envelope: unknown, plan: RoutingPlan, options: RouteOptions = {}): RouteResult {
  const region = options.region ?? envelopeRegion(envelope) ?? "";
  const arrival = plan.regions.find((candidate) => candidate.region === region);
  if (!arrival) return { matched: [], region, deployed: false };
  const home = arrival.isHome ? arrival : plan.regions.find((candidate) => candidate.isHome);
  const reachesHome =
    arrival.isHome ||
    arrival.rules.some((rule) => rule.target.kind === "forward-to-home" && matcherOf(rule.pattern)(envelope));
  const matched = reachesHome
    ? (home?.rules ?? [])
        .filter((rule) => rule.target.kind === "intake" && matcherOf(rule.pattern)(envelope))
        .map((rule) => rule.origin)
    : [];
  return { matched, region, deployed: true };
}

export type UnmatchedReason = "own-change" | "failed-call" | "not-relevant" | "malformed";

/**
 * Why no rule took an event. The CloudTrail patterns exclude failed calls and
 * the remediator's own changes on purpose; those get their precise reason, as
 * does input that is not a well-formed event (see malformedReason), so every
 * delivered event is accounted for; everything else is not-relevant.
 */
export function unmatchedReason(envelope: unknown, remediatorRoleArn: string): UnmatchedReason {
  if (malformedReason(envelope) !== undefined) return "malformed";
  if (!isRecord(envelope) || envelope["detail-type"] !== detailTypes.cloudTrail) return "not-relevant";
  const detail = cloudTrailDetailSchema.safeParse(envelope.detail);
  if (!detail.success) return "not-relevant";
  const exclusion = cloudTrailExclusion(detail.data, remediatorRoleArn);
  return exclusion?.reason === "failed-call" || exclusion?.reason === "own-change"
    ? exclusion.reason
    : "not-relevant";
}

/**
 * What is wrong with input that is not a well-formed event, naming the field
 * (as intake names it), or undefined for a well-formed one. Malformed: an
 * envelope intake's schema rejects (no detail-type, source, id...), a detail
 * that is not a JSON object (EventBridge only carries objects), and a
 * CloudTrail record that does not parse (no eventName, eventSource...).
 */
export function malformedReason(envelope: unknown): string | undefined {
  const parsed = envelopeSchema.safeParse(envelope);
  if (!parsed.success) return describeIssues(parsed.error);
  const { detail } = parsed.data;
  if (!isRecord(detail))
    return `detail: must be a JSON object, got ${detail === null ? "null" : typeof detail}`;
  if (parsed.data["detail-type"] === detailTypes.cloudTrail) {
    const trail = cloudTrailDetailSchema.safeParse(detail);
    if (!trail.success) return describeIssues(trail.error, ["detail"]);
  }
  return undefined;
}

function matcherOf(pattern: Record<string, unknown>): (event: unknown) => boolean {
  let matcher = compiled.get(pattern);
  if (!matcher) {
    matcher = compilePattern(pattern);
    compiled.set(pattern, matcher);
  }
  return matcher;
}

function envelopeRegion(envelope: unknown): string | undefined {
  return isRecord(envelope) && typeof envelope.region === "string" ? envelope.region : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
