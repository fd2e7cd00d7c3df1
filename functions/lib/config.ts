import { z } from "zod";
import { durationSeconds } from "./duration.js";
import { ConfigurationError } from "./errors.js";

/**
 * The one typed configuration of a driftwarden deployment. Infra reads it at
 * deploy time, functions receive it through their linked resources, and the
 * local runtime deep-merges a scenario's `config` over the defaults.
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

const region = z
  .string()
  .regex(/^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/, "must be an AWS region such as eu-west-1");

export const exemptionSchema = z.object({
  /** A resource ARN, or an ARN prefix ending in `*`. */
  resource: z.string().min(1),
  /** Limit the exemption to one control; all controls when absent. */
  control: z.string().optional(),
  reason: z.string().min(1),
  /** The exemption no longer applies after this instant. */
  expires: z.iso.datetime({ offset: true }).or(z.iso.date()),
});
export type Exemption = z.infer<typeof exemptionSchema>;

export const configSchema = z
  .object({
    homeRegion: region.default("eu-west-1"),
    watchedRegions: z.array(region).default([]),
    oncallEmails: z.array(z.email()).default([]),
    controls: z.record(z.string(), z.object({ mode: z.enum(controlModes) })).default({}),
    approvalTimeout: isoDuration.default("PT24H"),
    exemptions: z.array(exemptionSchema).default([]),
    /** Resources tagged with this key are exempt: value `until=<date>;reason=<text>`. */
    exemptionTag: z.string().min(1).default("driftwarden:exempt"),
    /** EventBridge Scheduler expression for the backstop sweep. */
    sweepSchedule: z.string().min(1).default("rate(6 hours)"),
    remediatorRoleName: z.string().min(1).default("driftwarden-remediator"),
    /** Set by the local runtime and by infra once the role exists; derived from the name otherwise. */
    remediatorRoleArn: z.string().startsWith("arn:").optional(),
    /** Flapping protection: suspend automatic fixing after this many fixes within the window. */
    flapping: z
      .object({ maxFixes: z.number().int().positive().default(3), window: isoDuration.default("PT1H") })
      .default({ maxFixes: 3, window: "PT1H" }),
  })
  .strict();

export type DriftwardenConfig = z.infer<typeof configSchema>;

/** Validates raw configuration; the error names every offending field. */
export function parseConfig(raw: unknown): DriftwardenConfig {
  const result = configSchema.safeParse(raw ?? {});
  if (!result.success) {
    const problems = result.error.issues.map(
      (issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`,
    );
    throw new ConfigurationError(`invalid driftwarden configuration: ${problems.join("; ")}`);
  }
  return result.data;
}

export function controlMode(config: DriftwardenConfig, controlId: string): ControlMode {
  return config.controls[controlId]?.mode ?? "enforce";
}

export function approvalTimeoutSeconds(config: DriftwardenConfig): number {
  return durationSeconds(config.approvalTimeout, "approvalTimeout");
}

export function remediatorRoleArn(config: DriftwardenConfig, account: string): string {
  return config.remediatorRoleArn ?? `arn:aws:iam::${account}:role/${config.remediatorRoleName}`;
}
