import { catalogEntry, controlIds } from "../controls/catalog.js";
import { durationSeconds } from "../lib/duration.js";
import { ConfigurationError } from "../lib/errors.js";
import { expiryInstant } from "../workflow/exemptions.js";
import { ALL, type RuntimeExemption } from "./store.js";

/**
 * What `driftwarden exempt add|remove` accepts, checked before anything is
 * written: one line per refusal, naming the option. A runtime exemption
 * switches driftwarden off for a resource, so it must say why, end, and end
 * within `MAX_RUNTIME_EXEMPTION`: a longer one belongs in the central list,
 * where it is reviewed like any deploy.
 */
export const MAX_RUNTIME_EXEMPTION = "P90D";
const MAX_REASON_LENGTH = 500;

const ARN = /^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:\d{12}:\S+$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
// An instant must say its offset: "2026-03-02T09:00" would mean a different moment on every laptop.
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
const ARN_SERVICE: Record<string, string> = { elbv2: "elasticloadbalancing", cloudfront: "cloudfront" };

export interface ExemptionTarget {
  resource: string;
  control: string;
}

/** `<resource-arn-or-*>` and `--control <id|all>` as stored: `*` for all. */
export function exemptionTarget(resource: string, control: string | undefined): ExemptionTarget {
  const arn = resource.trim();
  if (arn !== ALL && !ARN.test(arn)) {
    throw new ConfigurationError(
      `resource: "${arn}" is not a resource ARN (arn:aws:elasticloadbalancing:...:listener/..., arn:aws:cloudfront::...:distribution/...) or * for every resource`,
    );
  }
  if (!control)
    throw new ConfigurationError(`--control: say which control, or "all": ${controlIds.join(", ")}, all`);
  if (control === "all" || control === ALL) return { resource: arn, control: ALL };
  const entry = catalogEntry(control);
  if (!entry) {
    throw new ConfigurationError(
      `--control: "${control}" is not a driftwarden control; one of ${controlIds.join(", ")}, or all`,
    );
  }
  const service = ARN_SERVICE[entry.metadata.service];
  if (arn !== ALL && service && arn.split(":")[2] !== service) {
    throw new ConfigurationError(
      `resource: ${control} judges ${service} resources (${entry.metadata.resourceType}); ${arn} is not one`,
    );
  }
  return { resource: arn, control };
}

export function newExemption(
  input: { resource: string; control?: string; until?: string; reason?: string },
  context: { by: string; now: Date },
): RuntimeExemption {
  const target = exemptionTarget(input.resource, input.control);
  const until = (input.until ?? "").trim();
  if (!DATE.test(until) && !DATETIME.test(until)) {
    throw new ConfigurationError(
      `--until: "${until}" is not a date (2026-03-31, through that day UTC) or a date and time with its offset (2026-03-31T18:00:00Z)`,
    );
  }
  const ends = expiryInstant(until);
  if (Number.isNaN(ends)) throw new ConfigurationError(`--until: "${until}" is not a real date`);
  if (ends <= context.now.getTime()) {
    throw new ConfigurationError(`--until: ${until} is in the past (now is ${context.now.toISOString()})`);
  }
  const latest = context.now.getTime() + durationSeconds(MAX_RUNTIME_EXEMPTION) * 1000;
  if (ends > latest) {
    throw new ConfigurationError(
      `--until: ${until} is more than ${MAX_RUNTIME_EXEMPTION} away (latest ${new Date(latest).toISOString().slice(0, 10)}); a longer exemption belongs in the central list of the configuration`,
    );
  }
  const reason = (input.reason ?? "").trim();
  if (!reason)
    throw new ConfigurationError(
      "--reason: say why the resource is exempt; it is shown to on-call and audited",
    );
  if (reason.length > MAX_REASON_LENGTH || /[\p{Cc}\p{Cf}]/u.test(reason)) {
    throw new ConfigurationError(
      `--reason: keep it to one line of at most ${MAX_REASON_LENGTH} printable characters`,
    );
  }
  return {
    ...target,
    reason,
    expires: until,
    by: context.by,
    createdAt: context.now.toISOString(),
  };
}
