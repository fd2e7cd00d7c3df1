import { outOfScope } from "../functions/controls/scope.js";
import type { AnyControl, Change, ControlContext, RiskAssessment } from "../functions/controls/types.js";
import { ALL, type RuntimeExemption } from "../functions/exemptions/store.js";
import { type ControlMode, controlConfig, type DriftwardenConfig } from "../functions/lib/config.js";
import { durationSeconds } from "../functions/lib/duration.js";
import {
  centralExemption,
  exemptionTags,
  expiryInstant,
  parseTagExemption,
} from "../functions/workflow/exemptions.js";

/**
 * What a scan says about one resource under one control: the evaluate step's
 * judgement (scope, detect, exemptions, plan, risk) without its side effects.
 * Nothing here writes: no tag sighting is recorded and no fix history read, so a
 * scan with read-only credentials sees what the first sweep would act on.
 */
export type ScanStatus = "compliant" | "drift" | "not-applicable" | "exempt" | "error";

export interface ScanResult {
  control: string;
  /** The region the resource lives in; CloudFront's is us-east-1 (its API's home). */
  region: string;
  resource: string;
  status: ScanStatus;
  /** The detector's finding, the scope that leaves it out, the exemption, or the error. */
  detail: string;
  mode: ControlMode;
  /** The planned fix: the exact calls in order (empty unless drifted). */
  fix: Change[];
  /** Each planned call's risk, in the same order. */
  risk: RiskAssessment[];
  /** What driftwarden would do about this drift in the control's current mode. */
  would: string;
  /** Whether that is a question for on-call. */
  asksOnCall: boolean;
}

export async function checkResource(
  control: AnyControl,
  resource: string,
  ctx: ControlContext,
  config: DriftwardenConfig,
  runtime: readonly RuntimeExemption[] = [],
): Promise<ScanResult> {
  const id = control.metadata.id;
  const { mode, scope, settings } = controlConfig(config, id);
  const base = {
    control: id,
    region: ctx.region,
    resource,
    mode,
    fix: [],
    risk: [],
    would: "",
    asksOnCall: false,
  };
  const snapshot = await control.collect(ctx, resource);
  if (snapshot === null) {
    return { ...base, status: "not-applicable", detail: `${resource} disappeared while the scan read it` };
  }
  const tags = control.tags(snapshot) as Record<string, string>;
  const outside = outOfScope(tags, scope);
  if (outside) return { ...base, status: "not-applicable", detail: `outside the scope of ${id}: ${outside}` };
  const finding = control.detect(snapshot, settings);
  if (finding.status === "compliant") return { ...base, status: "compliant", detail: finding.message };
  if (finding.status === "not-applicable")
    return { ...base, status: "not-applicable", detail: finding.message };

  const exempt = exemptionOf(config, runtime, { control: id, resource }, tags, ctx.now());
  if (exempt) return { ...base, status: "exempt", detail: `${exempt}; drift: ${finding.message}` };

  const fix = control.plan(snapshot, settings);
  const risk = fix.length > 0 ? await control.assessRisk(snapshot, fix, ctx, settings) : [];
  return { ...base, status: "drift", detail: finding.message, fix, risk, ...outlook(mode, fix, risk) };
}

/**
 * The central list, the runtime exemptions when the scan was given the
 * deployment's table (a pre-roll-out scan has none), and the resource's own
 * tag (capped at maxTagExemption from now: a scan cannot know when the
 * deployment first saw the tag), in the evaluate step's order.
 */
function exemptionOf(
  config: DriftwardenConfig,
  runtime: readonly RuntimeExemption[],
  target: { control: string; resource: string },
  tags: Record<string, string>,
  now: Date,
): string | undefined {
  const central = centralExemption(config, target, now).active;
  if (central) return `exempted by the central list until ${central.expires}: ${central.reason}`;
  const added = runtime.find(
    (e) =>
      (e.resource === target.resource || e.resource === ALL) &&
      (e.control === target.control || e.control === ALL) &&
      expiryInstant(e.expires) > now.getTime(),
  );
  if (added) return `exempted by ${added.by} until ${added.expires}: ${JSON.stringify(added.reason)}`;
  for (const { key, value } of exemptionTags(tags, config.exemptionTag, target.control)) {
    const parsed = parseTagExemption(key, value);
    if ("invalid" in parsed) continue;
    const cap = now.getTime() + durationSeconds(config.maxTagExemption) * 1000;
    const until = Math.min(expiryInstant(parsed.until), cap);
    if (until > now.getTime()) {
      return `exempted by tag ${key} until ${new Date(until).toISOString().slice(0, 10)}: ${JSON.stringify(parsed.reason)}`;
    }
  }
  return undefined;
}

/** The same routing as the evaluate step, in words: fix, ask, notify or block. */
export function outlook(
  mode: ControlMode,
  fix: Change[],
  risk: RiskAssessment[],
): { would: string; asksOnCall: boolean } {
  if (fix.length === 0)
    return { would: "notify on-call: this control has no fix for this drift", asksOnCall: false };
  if (risk.some((r) => r.level === "blocked")) {
    return { would: "notify on-call: it cannot be fixed safely (blocked)", asksOnCall: false };
  }
  if (mode === "off") return { would: "nothing: the control is off", asksOnCall: false };
  if (mode === "report") return { would: "notify on-call only (report mode)", asksOnCall: false };
  if (mode === "approve-all")
    return { would: "ask on-call before fixing (approve-all mode)", asksOnCall: true };
  const risky = risk.filter((r) => r.level !== "automatic").length;
  if (risky === 0) return { would: "fix automatically", asksOnCall: false };
  if (risky === fix.length) return { would: "ask on-call before fixing", asksOnCall: true };
  return { would: "fix the safe part now, ask on-call for the rest", asksOnCall: true };
}
