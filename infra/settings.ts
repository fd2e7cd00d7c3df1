import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import {
  approvalTimeoutSeconds,
  configSchema,
  type DriftwardenConfig,
  describeConfigIssues,
} from "../functions/lib/config.js";
import { ConfigurationError } from "../functions/lib/errors.js";

/** The deployment's configuration file, at the repository root. */
export const configFileName = "driftwarden.config.json";

/** What EventBridge Scheduler accepts for a recurring schedule (a one-time `at()` would sweep once). */
export type RecurringSchedule = `rate(${string})` | `cron(${string})`;

export interface Settings {
  config: DriftwardenConfig;
  homeRegion: string;
  /** Regions whose regional resources are watched; the home region alone when none are configured. */
  regions: string[];
  sweepSchedule: RecurringSchedule;
  approvalTimeoutSeconds: number;
}

const rateExpression = /^rate\(([1-9]\d*) (minute|minutes|hour|hours|day|days)\)$/;
const cronExpression = /^cron\((\S+ ){5}\S+\)$/;
const roleName = /^[\w+=,.@-]{1,64}$/;

/**
 * Lambda allows 4 KB of environment variables in total and the whole validated
 * config travels in one of them; leave room for the others.
 */
export const maxConfigBytes = 3072;

/** Validates the configuration for a deployment: the schema, plus what only a deployment needs. */
export function settingsFrom(raw: unknown): Settings {
  const checked = validateSettings(raw);
  if ("problems" in checked) {
    throw new ConfigurationError(`invalid driftwarden configuration: ${checked.problems.join("; ")}`);
  }
  return checked.settings;
}

/** Every problem of a configuration, one `field: problem` each (`driftwarden config validate` prints them). */
export function validateSettings(raw: unknown): { settings: Settings } | { problems: string[] } {
  const parsed = configSchema.safeParse(raw ?? {});
  if (!parsed.success) return { problems: describeConfigIssues(parsed.error) };
  const config = parsed.data;
  const problems: string[] = [];

  const sweepSchedule = config.sweepSchedule.trim();
  const rate = rateExpression.exec(sweepSchedule);
  if (rate) {
    const singular = rate[1] === "1";
    if (singular !== !rate[2]?.endsWith("s")) {
      problems.push(
        `sweepSchedule: "${sweepSchedule}" must use a singular unit for 1 and a plural one otherwise`,
      );
    }
  } else if (!cronExpression.test(sweepSchedule)) {
    problems.push(
      `sweepSchedule: "${sweepSchedule}" must be a recurring EventBridge Scheduler expression such as rate(6 hours) or cron(0 */6 * * ? *)`,
    );
  }
  if (config.oncallEmails.length === 0) {
    problems.push(
      "oncallEmails: a deployment needs at least one address, or approvals and failures reach nobody",
    );
  }
  if (!roleName.test(config.remediatorRoleName)) {
    problems.push(`remediatorRoleName: "${config.remediatorRoleName}" is not a valid IAM role name`);
  }
  if (config.remediatorRoleArn && !config.remediatorRoleArn.endsWith(`:role/${config.remediatorRoleName}`)) {
    problems.push(
      `remediatorRoleArn: ${config.remediatorRoleArn} does not name the role remediatorRoleName (${config.remediatorRoleName}) that infra creates`,
    );
  }
  const size = Buffer.byteLength(JSON.stringify(config));
  if (size > maxConfigBytes) {
    problems.push(
      `(root): the validated configuration is ${size} bytes; functions receive it in a ${maxConfigBytes}-byte budget`,
    );
  }
  if (problems.length > 0) return { problems };

  return {
    settings: {
      config,
      homeRegion: config.homeRegion,
      regions: config.watchedRegions.length > 0 ? [...new Set(config.watchedRegions)] : [config.homeRegion],
      sweepSchedule: sweepSchedule as RecurringSchedule,
      approvalTimeoutSeconds: approvalTimeoutSeconds(config),
    },
  };
}

/** Reads and validates the configuration file; errors name the file and the offending field. */
export function readSettings(path: string = resolve(process.cwd(), configFileName)): Settings {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new ConfigurationError(`cannot read ${path}: ${(error as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigurationError(`${path} is not valid JSON: ${(error as Error).message}`);
  }
  try {
    return settingsFrom(raw);
  } catch (error) {
    if (error instanceof ConfigurationError) throw new ConfigurationError(`${path}: ${error.message}`);
    throw error;
  }
}

/**
 * The remediator's role name. Production uses the configured name as is; other
 * stages in the same account get a suffix, because IAM role names are
 * account-wide and a second stage would otherwise fail to create its role.
 */
export function remediatorRoleNameFor(
  config: Pick<DriftwardenConfig, "remediatorRoleName">,
  stage: string,
): string {
  const name = stage === "production" ? config.remediatorRoleName : `${config.remediatorRoleName}-${stage}`;
  if (!roleName.test(name)) {
    throw new ConfigurationError(
      `remediatorRoleName: "${name}" (for stage ${stage}) is not a valid IAM role name`,
    );
  }
  return name;
}

/** The config functions receive: validated, naming the remediator role this stage actually created. */
export function deployedConfig(
  config: DriftwardenConfig,
  remediator: { name: string; arn: string },
): DriftwardenConfig {
  return { ...config, remediatorRoleName: remediator.name, remediatorRoleArn: remediator.arn };
}
