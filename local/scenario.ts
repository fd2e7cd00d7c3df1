import { readFile } from "node:fs/promises";
import jsonc, { type ParseError } from "jsonc-parser";
import { z } from "zod";
import { configSchema, type DriftwardenConfig } from "../functions/lib/config.js";
import { durationSeconds } from "../functions/lib/duration.js";
import { ScenarioError } from "../functions/lib/errors.js";
import { type Faults, faultsSchema } from "./sandbox/faults.js";
import { scenarioStateSchema } from "./sandbox/state.js";

/**
 * The `driftwarden simulate` scenario format (the contract in README):
 * an account in a file, then the steps that happen to it.
 */
const account = z.string().regex(/^\d{12}$/, "must be a 12-digit AWS account id");

const isoDuration = z.string().refine(
  (value) => {
    try {
      durationSeconds(value);
      return true;
    } catch {
      return false;
    }
  },
  { message: "must be an ISO-8601 duration such as PT25H" },
);

/** One schema per step kind, keyed by the step's only key, so an error can name the field inside it. */
const stepSchemas = {
  call: z.object({
    call: z.object({
      service: z.enum(["elbv2", "cloudfront", "wafv2"]),
      action: z.string().regex(/^[A-Z][A-Za-z]+$/, "must be an API action name such as ModifyListener"),
      input: z.record(z.string(), z.unknown()).default({}),
    }),
  }),
  // Any JSON at all: a malformed event is the pipeline's to reject (and report), not the scenario's.
  event: z.custom<{ event: unknown }>((value) => isPlainObject(value) && "event" in value, {
    message: 'must be {"event": <EventBridge envelope>}',
  }),
  approve: z.object({ approve: z.object({ by: z.string().min(1) }) }),
  reject: z.object({ reject: z.object({ by: z.string().min(1), reason: z.string().default("") }) }),
  advance: z.object({ advance: isoDuration }),
  sweep: z.object({ sweep: z.object({}).loose() }),
} as const;
type StepKind = keyof typeof stepSchemas;
const stepKinds = Object.keys(stepSchemas) as StepKind[];

export const stepSchema = z.union([
  stepSchemas.call,
  stepSchemas.event,
  stepSchemas.approve,
  stepSchemas.reject,
  stepSchemas.advance,
  stepSchemas.sweep,
]);
export type Step = z.infer<typeof stepSchema>;

export const scenarioSchema = z.object({
  name: z.string().default("unnamed scenario"),
  account: account.default("111122223333"),
  region: z
    .string()
    .regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, "must be an AWS region")
    .default("eu-west-1"),
  clock: z.iso.datetime({ offset: true }).default("2026-01-01T00:00:00Z"),
  config: z.record(z.string(), z.unknown()).default({}),
  state: scenarioStateSchema.prefault({}),
  steps: z.array(z.unknown(), {
    error: (issue) =>
      issue.input === undefined ? "is required (a list of steps, possibly empty)" : undefined,
  }),
  faults: faultsSchema.optional(),
});

/** The top-level keys of the contract; anything else is ignored (with a warning from the CLI). */
const knownKeys = new Set(Object.keys(scenarioSchema.shape));

export interface Scenario {
  name: string;
  account: string;
  region: string;
  clock: string;
  config: DriftwardenConfig;
  state: z.infer<typeof scenarioStateSchema>;
  steps: Step[];
  faults?: Faults;
  /** Top-level keys the contract does not know (comments, expectations for other tools), ignored. */
  ignoredKeys: string[];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Scenario config is deep-merged over the defaults (objects merge, everything else replaces). */
export function deepMerge(
  base: Record<string, unknown>,
  over: Record<string, unknown>,
): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = merged[key];
    merged[key] = isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : value;
  }
  return merged;
}

/** `<field path>: <problem>` on one line; an unrecognized key is named as the field itself. */
function describe(error: z.core.$ZodError, prefix: string): string {
  const issue = error.issues[0];
  const keys = issue?.code === "unrecognized_keys" ? issue.keys : [];
  const segments = [prefix, ...(issue?.path ?? []).map(String)];
  if (keys.length > 0) segments.push(keys[0] as string);
  const path = segments.filter(Boolean).join(".");
  const unknown = prefix === "config" ? "unknown configuration key" : "unknown key";
  const message = keys.length > 0 ? unknown : (issue?.message ?? "invalid");
  return `${path || "scenario"}: ${message.replace(/\s*\n\s*/g, " ")}`;
}

/** The home region plus every region an ELBv2 resource of the state lives in (from its ARN). */
function regionsOf(state: unknown, home: string): string[] {
  const regions = new Set([home]);
  const elbv2 = (state as { elbv2?: { loadBalancers?: { LoadBalancerArn?: string }[] } }).elbv2;
  for (const lb of elbv2?.loadBalancers ?? []) {
    const region = lb.LoadBalancerArn?.split(":")[3];
    if (region) regions.add(region);
  }
  return [...regions].sort();
}

/**
 * One step, validated by the schema of its kind so that an error names the
 * field inside it (`steps.2.call.service`), not just the step.
 */
function parseStep(step: unknown, index: number): Step {
  const keys = isPlainObject(step) ? Object.keys(step) : [];
  const kinds = stepKinds.filter((k) => keys.includes(k));
  if (kinds.length > 1) {
    throw new ScenarioError(`steps.${index}: must be exactly one step, not ${kinds.join(" and ")} at once`);
  }
  const parsed = stepSchema.safeParse(step);
  if (parsed.success) return parsed.data;
  const kind = kinds[0];
  if (!kind) {
    throw new ScenarioError(
      `steps.${index}: must be one of ${stepKinds.map((k) => `{"${k}": ...}`).join(", ")}`,
    );
  }
  const result = stepSchemas[kind].safeParse(step);
  throw new ScenarioError(
    result.success ? `steps.${index}: invalid` : describe(result.error, `steps.${index}`),
  );
}

/** Validates a parsed scenario document; the error names the offending field. */
export function parseScenario(raw: unknown): Scenario {
  if (!isPlainObject(raw)) throw new ScenarioError("scenario: must be a JSON object");
  const parsed = scenarioSchema.safeParse(raw);
  if (!parsed.success) throw new ScenarioError(describe(parsed.error, ""));
  const steps = parsed.data.steps.map((step, index) => parseStep(step, index));
  // The remediator role is in the scenario's account; a scenario may rename it or give its whole ARN.
  const roleName = parsed.data.config.remediatorRoleName;
  const defaults = {
    homeRegion: parsed.data.region,
    // The sandbox account is watched wherever it has resources, as a deployment covering it would be.
    watchedRegions: regionsOf(parsed.data.state, parsed.data.region),
    remediatorRoleArn: `arn:aws:iam::${parsed.data.account}:role/${typeof roleName === "string" && roleName ? roleName : "driftwarden-remediator"}`,
  };
  const config = configSchema.safeParse(deepMerge(defaults, parsed.data.config));
  if (!config.success) throw new ScenarioError(describe(config.error, "config"));
  const ignoredKeys = Object.keys(raw).filter((key) => !knownKeys.has(key));
  const { faults, ...rest } = parsed.data;
  return { ...rest, ...(faults ? { faults } : {}), config: config.data, steps, ignoredKeys };
}

/** Line and column (from 1) of a character offset, as an editor shows them. */
function position(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split(/\r\n|\r|\n/);
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}

/**
 * Scenario text as JSONC (JSON with comments and trailing commas, as the
 * README writes its example): the first syntax error is named with its
 * line and column.
 */
export function parseScenarioText(text: string, name: string): unknown {
  const errors: ParseError[] = [];
  // A byte-order mark (some editors write one) is not part of the document.
  const source = text.replace(/^\uFEFF/, "");
  const raw = jsonc.parse(source, errors, { allowTrailingComma: true, disallowComments: false });
  const first = errors[0];
  if (first) {
    const { line, column } = position(source, first.offset);
    throw new ScenarioError(
      `${name}: not valid JSON (${jsonc.printParseErrorCode(first.error)} at line ${line}, column ${column})`,
    );
  }
  return raw;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString("utf8");
}

/** Reads a scenario file, or standard input when `file` is `-`. */
export async function loadScenario(
  file: string,
  stdin: NodeJS.ReadableStream = process.stdin,
): Promise<Scenario> {
  const name = file === "-" ? "stdin" : file;
  let text: string;
  try {
    text = file === "-" ? await readAll(stdin) : await readFile(file, "utf8");
  } catch (error) {
    throw new ScenarioError(
      `${name}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
    );
  }
  return parseScenario(parseScenarioText(text, name));
}
