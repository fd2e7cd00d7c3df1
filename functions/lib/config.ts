import { catalog, catalogEntry } from "../controls/catalog.js";
import type { ControlSettings } from "../controls/types.js";
import { durationSeconds } from "./duration.js";
import { ConfigurationError } from "./errors.js";
import { awsRegions } from "./regions.js";
import * as z from "./schema.js";

/**
 * The one typed configuration of a driftwarden deployment. Infra reads it at
 * deploy time, functions receive it through their environment, and the local
 * runtime deep-merges a scenario's `config` over the defaults. It is strict: an
 * unknown field, control id or region is an error naming it, because a typo
 * such as `alb-http-to-http-redirect: { mode: "report" }` would otherwise leave
 * the real control enforcing.
 */
export const controlModes = ["enforce", "approve-all", "report", "off"] as const;
export type ControlMode = (typeof controlModes)[number];

const isoDuration = z.string().check(
  z.refine(
    (value) => {
      try {
        return durationSeconds(value) > 0;
      } catch {
        return false;
      }
    },
    { message: "must be a positive ISO-8601 duration such as PT24H" },
  ),
);

const knownRegions = new Set<string>(awsRegions);
export const regionSchema = z.string().check(
  z.refine((value) => knownRegions.has(value), {
    error: (issue) => `"${String(issue.input)}" is not an AWS region (such as eu-west-1)`,
  }),
);

const knownControl = z.string().check(
  z.refine((value) => catalogEntry(value) !== undefined, {
    error: (issue) => `"${String(issue.input)}" is not a driftwarden control`,
  }),
);

const positiveInt = z.number().check(z.int(), z.positive());

export const exemptionSchema = z.strictObject({
  /** A resource ARN, or an ARN prefix ending in `*`. */
  resource: z.string().check(z.minLength(1)),
  /** Limit the exemption to one control; all controls when absent. */
  control: z.optional(knownControl),
  reason: z.string().check(z.minLength(1)),
  /** The exemption no longer applies after this instant (a bare date: through that day, UTC). */
  expires: z.union([z.iso.datetime({ offset: true }), z.iso.date()]),
});
export type Exemption = z.infer<typeof exemptionSchema>;

/**
 * Which resources a control applies to: every tag key listed must be on the
 * resource with one of its values (an empty list accepts any value). An empty
 * scope is every resource of the control's type.
 */
export const scopeSchema = z.strictObject({
  tags: z._default(z.record(z.string().check(z.minLength(1)), z.array(z.string())), {}),
});
export type Scope = z.infer<typeof scopeSchema>;

/** `config.controls.<id>`: mode and scope for every control, plus that control's own settings. */
function controlEntrySchema(settings: z.ZodMiniObject) {
  return z.strictObject({
    mode: z.optional(z.enum(controlModes)),
    scope: z.optional(scopeSchema),
    ...z.partial(settings).shape,
  });
}

const controlsSchema = z.strictObject(
  Object.fromEntries(
    catalog.map((entry) => [entry.metadata.id, z.optional(controlEntrySchema(entry.settings))]),
  ),
);

export const configSchema = z.strictObject({
  homeRegion: z._default(regionSchema, "eu-west-1"),
  watchedRegions: z._default(z.array(regionSchema), []),
  oncallEmails: z._default(z.array(z.email()), []),
  controls: z._default(controlsSchema, {}),
  approvalTimeout: z._default(isoDuration, "PT24H"),
  exemptions: z._default(z.array(exemptionSchema), []),
  /**
   * Tag key of resource exemptions: `<key>` exempts from every control,
   * `<key>:<control-id>` from one; the value is `<YYYY-MM-DD> <reason>`.
   */
  exemptionTag: z._default(z.string().check(z.minLength(1), z.maxLength(100)), "driftwarden:exempt"),
  /** Whoever can tag a resource can exempt it, so a tag exemption lasts at most this long from first sight. */
  maxTagExemption: z._default(isoDuration, "P30D"),
  /** EventBridge Scheduler expression for the backstop sweep. */
  sweepSchedule: z._default(z.string().check(z.minLength(1)), "rate(6 hours)"),
  remediatorRoleName: z._default(z.string().check(z.minLength(1)), "driftwarden-remediator"),
  /** Set by the local runtime and by infra once the role exists; derived from the name otherwise. */
  remediatorRoleArn: z.optional(z.string().check(z.startsWith("arn:"))),
  /**
   * Which KMS key signs approval links. HMAC keys do not rotate automatically:
   * raising this number and deploying replaces the key (README: rotating the link key).
   */
  approvalKeyGeneration: z._default(positiveInt, 1),
  /** Flapping protection: suspend automatic fixing after this many fixes within the window. */
  flapping: z._default(
    z.strictObject({ maxFixes: z._default(positiveInt, 3), window: z._default(isoDuration, "PT1H") }),
    { maxFixes: 3, window: "PT1H" },
  ),
});

export type DriftwardenConfig = z.infer<typeof configSchema>;

/** `path: problem` for each issue, naming an unknown key as the field itself. */
export function describeConfigIssues(error: z.core.$ZodError, prefix = ""): string[] {
  return error.issues.flatMap((issue) => {
    const at = [prefix, ...issue.path.map(String)].filter(Boolean).join(".");
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => `${[at, key].filter(Boolean).join(".")}: unknown field`);
    }
    return [`${at || "(root)"}: ${issue.message}`];
  });
}

/** Validates raw configuration; the error names every offending field. */
export function parseConfig(raw: unknown): DriftwardenConfig {
  const result = configSchema.safeParse(raw ?? {});
  if (!result.success) {
    throw new ConfigurationError(
      `invalid driftwarden configuration: ${describeConfigIssues(result.error).join("; ")}`,
    );
  }
  return result.data;
}

export interface ResolvedControlConfig {
  mode: ControlMode;
  scope: Scope;
  settings: ControlSettings;
}

/** A control's mode, scope and settings with every default filled in. */
export function controlConfig(config: DriftwardenConfig, controlId: string): ResolvedControlConfig {
  const entry = (config.controls as Record<string, Record<string, unknown> | undefined>)[controlId] ?? {};
  const { mode, scope, ...rest } = entry as { mode?: ControlMode; scope?: Scope };
  const settingsSchema = catalogEntry(controlId)?.settings;
  return {
    mode: mode ?? "enforce",
    scope: scope ?? { tags: {} },
    settings: settingsSchema ? (settingsSchema.parse(rest) as ControlSettings) : {},
  };
}

export function controlMode(config: DriftwardenConfig, controlId: string): ControlMode {
  return controlConfig(config, controlId).mode;
}

export function approvalTimeoutSeconds(config: DriftwardenConfig): number {
  return durationSeconds(config.approvalTimeout, "approvalTimeout");
}

export function remediatorRoleArn(config: DriftwardenConfig, account: string): string {
  return config.remediatorRoleArn ?? `arn:aws:iam::${account}:role/${config.remediatorRoleName}`;
}
