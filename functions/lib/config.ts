import * as z from "zod";
import { catalog, catalogEntry } from "../controls/catalog.js";
import type { ControlSettings } from "../controls/types.js";
import { durationSeconds } from "./duration.js";
import { ConfigurationError } from "./errors.js";
import { awsRegions } from "./regions.js";

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

const isoDuration = z.string().refine(
  (value) => {
    try {
      return durationSeconds(value) > 0;
    } catch {
      return false;
    }
  },
  { message: "must be a positive ISO-8601 duration such as PT24H" },
);

const knownRegions = new Set<string>(awsRegions);
export const regionSchema = z.string().refine((value) => knownRegions.has(value), {
  error: (issue) => `"${String(issue.input)}" is not an AWS region (such as eu-west-1)`,
});

const knownControl = z.string().refine((value) => catalogEntry(value) !== undefined, {
  error: (issue) => `"${String(issue.input)}" is not a driftwarden control`,
});

export const exemptionSchema = z
  .object({
    /** A resource ARN, or an ARN prefix ending in `*`. */
    resource: z.string().min(1),
    /** Limit the exemption to one control; all controls when absent. */
    control: knownControl.optional(),
    reason: z.string().min(1),
    /** The exemption no longer applies after this instant (a bare date: through that day, UTC). */
    expires: z.iso.datetime({ offset: true }).or(z.iso.date()),
  })
  .strict();
export type Exemption = z.infer<typeof exemptionSchema>;

/**
 * Which resources a control applies to: every tag key listed must be on the
 * resource with one of its values (an empty list accepts any value). An empty
 * scope is every resource of the control's type.
 */
export const scopeSchema = z
  .object({ tags: z.record(z.string().min(1), z.array(z.string())).default({}) })
  .strict();
export type Scope = z.infer<typeof scopeSchema>;

/** `config.controls.<id>`: mode and scope for every control, plus that control's own settings. */
function controlEntrySchema(settings: z.ZodObject) {
  return z
    .object({
      mode: z.enum(controlModes).optional(),
      scope: scopeSchema.optional(),
      ...settings.partial().shape,
    })
    .strict();
}

const controlsSchema = z
  .object(
    Object.fromEntries(
      catalog.map((entry) => [entry.metadata.id, controlEntrySchema(entry.settings).optional()]),
    ),
  )
  .strict();

export const configSchema = z
  .object({
    homeRegion: regionSchema.default("eu-west-1"),
    watchedRegions: z.array(regionSchema).default([]),
    oncallEmails: z.array(z.email()).default([]),
    controls: controlsSchema.default({}),
    approvalTimeout: isoDuration.default("PT24H"),
    exemptions: z.array(exemptionSchema).default([]),
    /**
     * Tag key of resource exemptions: `<key>` exempts from every control,
     * `<key>:<control-id>` from one; the value is `<YYYY-MM-DD> <reason>`.
     */
    exemptionTag: z.string().min(1).max(100).default("driftwarden:exempt"),
    /** Whoever can tag a resource can exempt it, so a tag exemption lasts at most this long from first sight. */
    maxTagExemption: isoDuration.default("P30D"),
    /** EventBridge Scheduler expression for the backstop sweep. */
    sweepSchedule: z.string().min(1).default("rate(6 hours)"),
    remediatorRoleName: z.string().min(1).default("driftwarden-remediator"),
    /** Set by the local runtime and by infra once the role exists; derived from the name otherwise. */
    remediatorRoleArn: z.string().startsWith("arn:").optional(),
    /**
     * Which KMS key signs approval links. HMAC keys do not rotate automatically:
     * raising this number and deploying replaces the key (README: rotating the link key).
     */
    approvalKeyGeneration: z.number().int().positive().default(1),
    /** Flapping protection: suspend automatic fixing after this many fixes within the window. */
    flapping: z
      .object({ maxFixes: z.number().int().positive().default(3), window: isoDuration.default("PT1H") })
      .strict()
      .default({ maxFixes: 3, window: "PT1H" }),
  })
  .strict();

export type DriftwardenConfig = z.infer<typeof configSchema>;

/** `path: problem` for each issue, naming an unknown key as the field itself. */
export function describeConfigIssues(error: z.ZodError, prefix = ""): string[] {
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
