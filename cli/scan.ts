import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { SingleBar } from "cli-progress";
import type { Command } from "commander";
import { createTlsProbe } from "../functions/controls/cloudfront-tls-to-origin/probe.js";
import { activeControls, controlById } from "../functions/controls/registry.js";
import type { AnyControl, ControlContext, OriginProbe } from "../functions/controls/types.js";
import { listExemptions, type RuntimeExemption } from "../functions/exemptions/store.js";
import { clients } from "../functions/lib/aws.js";
import { controlMode, type DriftwardenConfig, regionSchema } from "../functions/lib/config.js";
import { ConfigurationError, errorMessage } from "../functions/lib/errors.js";
import { DEFAULT_CONFIG, readDeploymentConfig } from "./deployment-config.js";
import { keyedLimiter } from "./limiter.js";
import { checkResource, type ScanResult } from "./scan-check.js";
import { formatJson, formatTable, type ScanReport } from "./scan-format.js";

/**
 * `driftwarden scan`: what driftwarden would change across an account, before
 * any control enforces. It runs with the operator's own credentials (the SDK's
 * default provider chain, or --profile) and only reads: it lists and collects
 * like the sweep, judges like the evaluate step, plans and assesses risk, and
 * never applies, records or notifies.
 */
export interface ScanOptions {
  regions?: string[];
  controls?: string[];
  format?: string;
  failOnDrift?: boolean;
  profile?: string;
  sandbox?: string;
  config?: string;
  /** The deployment's exemptions table, so runtime exemptions count (default: $DRIFTWARDEN_EXEMPTIONS_TABLE). */
  exemptionsTable?: string;
}

/** What a scan needs from where it runs: AWS, or a scenario's sandbox account. */
interface Target {
  account: string;
  config: DriftwardenConfig;
  now: () => Date;
  probe: OriginProbe;
  /** Runtime exemptions from the deployment's table, read once; none before roll-out. */
  runtime: RuntimeExemption[];
  close: () => void;
}

/** Calls in flight per service and region: a few, so a scan never starves the account's other tools. */
const perService: Record<string, number> = { elbv2: 4, cloudfront: 2 };

async function awsTarget(options: ScanOptions, config: DriftwardenConfig, region: string): Promise<Target> {
  // The SDK's default provider chain reads AWS_PROFILE when the clients are created.
  if (options.profile) process.env.AWS_PROFILE = options.profile;
  const identity = await clients.sts(region).send(new GetCallerIdentityCommand({}));
  const table = options.exemptionsTable ?? (process.env.DRIFTWARDEN_EXEMPTIONS_TABLE || undefined);
  return {
    account: identity.Account ?? "",
    config,
    now: () => new Date(),
    probe: createTlsProbe({}),
    runtime: table ? await listExemptions({ table, region: config.homeRegion }) : [],
    close: () => undefined,
  };
}

async function sandboxTarget(file: string): Promise<Target> {
  const { loadScenario } = await import("../local/scenario.js");
  const { SandboxAccount, SandboxClock, iamUser } = await import("../local/sandbox/index.js");
  const scenario = await loadScenario(file);
  const sandbox = new SandboxAccount({
    account: scenario.account,
    region: scenario.region,
    clock: new SandboxClock(scenario.clock),
    state: scenario.state,
  });
  const operator = iamUser(scenario.account, "scan-operator", { userAgent: "driftwarden-cli scan" });
  const unregister = sandbox.register(operator);
  await clients.sts(scenario.region).send(new GetCallerIdentityCommand({}));
  return {
    account: scenario.account,
    config: scenario.config,
    now: () => sandbox.clock.now(),
    probe: sandbox.probe,
    runtime: [],
    close: unregister,
  };
}

function selectControls(config: DriftwardenConfig, ids: string[] | undefined): AnyControl[] {
  if (!ids || ids.length === 0) return activeControls(config);
  return [...new Set(ids)].map((id) => controlById(id));
}

function selectRegions(config: DriftwardenConfig, given: string[] | undefined): string[] {
  const regions = given && given.length > 0 ? given : config.watchedRegions;
  for (const region of regions) {
    const checked = regionSchema.safeParse(region);
    if (!checked.success) {
      throw new ConfigurationError(`--regions: "${region}" is not an AWS region (such as eu-west-1)`);
    }
  }
  return regions.length > 0 ? [...new Set(regions)] : [config.homeRegion];
}

/** Global services (CloudFront) are read through us-east-1 once; regional ones in every region. */
function regionsOf(control: AnyControl, regions: string[]): string[] {
  return control.metadata.triggers.cloudTrail.delivery === "us-east-1" ? ["us-east-1"] : regions;
}

function progressBar(): { grow(by: number): void; tick(): void; stop(): void } {
  if (!process.stderr.isTTY) return { grow: () => undefined, tick: () => undefined, stop: () => undefined };
  const bar = new SingleBar({
    stream: process.stderr,
    format: "scanning {bar} {value}/{total} resources",
    hideCursor: true,
    clearOnComplete: true,
  });
  let total = 0;
  bar.start(0, 0);
  return {
    grow: (by) => {
      total += by;
      bar.setTotal(total);
    },
    tick: () => bar.increment(),
    stop: () => bar.stop(),
  };
}

export async function scanAccount(options: ScanOptions): Promise<ScanReport> {
  const format = options.format ?? "table";
  if (format !== "table" && format !== "json") {
    throw new ConfigurationError(`--format must be table or json, not "${format}"`);
  }
  let target: Target;
  if (options.sandbox) {
    target = await sandboxTarget(options.sandbox);
  } else {
    const config = await readDeploymentConfig(options.config);
    // Region and control names are checked before any credential is looked for.
    selectControls(config, options.controls);
    selectRegions(config, options.regions);
    target = await awsTarget(options, config, options.regions?.[0] ?? config.homeRegion);
  }
  const bar = progressBar();
  try {
    const controls = selectControls(target.config, options.controls);
    const regions = selectRegions(target.config, options.regions);
    const limit = keyedLimiter((key) => perService[key.split(":")[0] ?? ""] ?? 4);
    const jobs = controls.flatMap((control) =>
      regionsOf(control, regions).map(async (region): Promise<ScanResult[]> => {
        const ctx: ControlContext = {
          account: target.account,
          region,
          clients,
          now: target.now,
          probe: target.probe,
        };
        const key = `${control.metadata.service}:${region}`;
        const id = control.metadata.id;
        const mode = controlMode(target.config, id);
        let resources: string[];
        try {
          resources = [...new Set(await limit(key, () => control.listResources(ctx)))];
        } catch (error) {
          return [failure(id, region, `(listing ${control.metadata.resourceType})`, mode, error)];
        }
        bar.grow(resources.length);
        return Promise.all(
          resources.map(async (resource) => {
            try {
              return await limit(key, () =>
                checkResource(control, resource, ctx, target.config, target.runtime),
              );
            } catch (error) {
              return failure(id, region, resource, mode, error);
            } finally {
              bar.tick();
            }
          }),
        );
      }),
    );
    const results = (await Promise.all(jobs)).flat();
    rethrowCredentialFailure(results);
    return {
      account: target.account,
      scannedAt: target.now().toISOString(),
      regions,
      controls: controls.map((control) => ({
        id: control.metadata.id,
        mode: controlMode(target.config, control.metadata.id),
      })),
      results: results.sort(
        (a, b) =>
          a.control.localeCompare(b.control) ||
          a.region.localeCompare(b.region) ||
          a.resource.localeCompare(b.resource),
      ),
    };
  } finally {
    bar.stop();
    target.close();
  }
}

const errors = new WeakMap<ScanResult, unknown>();

function failure(
  control: string,
  region: string,
  resource: string,
  mode: ScanResult["mode"],
  error: unknown,
) {
  const result: ScanResult = {
    control,
    region,
    resource,
    status: "error",
    detail: `${error instanceof Error ? error.name : "Error"}: ${errorMessage(error)}`,
    mode,
    fix: [],
    risk: [],
    would: "",
    asksOnCall: false,
  };
  errors.set(result, error);
  return result;
}

// Credentials that AWS refuses or that expired fail every call alike: one line for them, not a table of errors.
const credentialErrors = new Set([
  "CredentialsProviderError",
  "ExpiredToken",
  "ExpiredTokenException",
  "UnrecognizedClientException",
  "InvalidClientTokenId",
  "SignatureDoesNotMatch",
]);

function rethrowCredentialFailure(results: ScanResult[]): void {
  for (const result of results) {
    const error = errors.get(result);
    if (error instanceof Error && credentialErrors.has(error.name)) throw error;
  }
}

/** Exit codes: 0, or 3 with --fail-on-drift when anything drifted; 2 when part of the account could not be read. */
export function exitCodeOf(report: ScanReport, failOnDrift: boolean): number {
  if (report.results.some((result) => result.status === "error")) return 2;
  if (failOnDrift && report.results.some((result) => result.status === "drift")) return 3;
  return 0;
}

function list(value: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...value
      .split(",")
      .map((part) => part.trim())
      .filter(Boolean),
  ];
}

export function registerScanCommand(program: Command, print: (text: string) => void): void {
  program
    .command("scan")
    .description(
      "Read-only pass over the account with your AWS credentials: every resource of every active control, its status, the fix driftwarden would make and whether it would ask on-call",
    )
    .option(
      "--regions <list>",
      "regions to scan, comma-separated (default: the config's watchedRegions)",
      list,
    )
    .option("--controls <list>", "control ids, comma-separated (default: every control not off)", list)
    .option("--format <format>", "table or json", "table")
    .option("--fail-on-drift", "exit 3 when any resource drifted (for CI)")
    .option("--profile <name>", "AWS profile to read with (default: the SDK's default credential chain)")
    .option("--config <file>", `the deployment's configuration (default: ./${DEFAULT_CONFIG} when present)`)
    .option("--sandbox <scenario.json>", "scan a scenario's sandbox account instead of AWS")
    .option(
      "--exemptions-table <name>",
      "the deployment's exemptions table, so runtime exemptions count (default: $DRIFTWARDEN_EXEMPTIONS_TABLE)",
    )
    .addHelpText(
      "after",
      `
Only Describe/Get/List calls are made (see the README's "Operator permissions"). Exit 0; 3 with
--fail-on-drift when anything drifted; 2 when something could not be read or the input is wrong.`,
    )
    .action(async (options: ScanOptions) => {
      const report = await scanAccount(options);
      print(options.format === "json" ? formatJson(report) : formatTable(report));
      const code = exitCodeOf(report, options.failOnDrift === true);
      if (code === 2) {
        const failed = report.results.filter((result) => result.status === "error").length;
        process.stderr.write(
          `driftwarden scan: ${failed} ${failed === 1 ? "read" : "reads"} failed (status error above): the scan is incomplete. Check your permissions and run it again.\n`,
        );
      }
      process.exitCode = code;
    });
}
