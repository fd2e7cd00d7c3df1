import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { type LocalEndpoints, localCliEnvironment, startRuntimeEndpoints } from "../../local/endpoints.js";
import { LocalRuntime } from "../../local/runtime.js";
import { assumedRole } from "../../local/sandbox/identity.js";
import { parseScenario, type Scenario } from "../../local/scenario.js";

/**
 * The CLI as an operator runs it: a separate process with its own SDK clients,
 * pointed at a local runtime's endpoints (the variables `npm start` prints),
 * acting as the on-call engineer `oncall`.
 */
const bin = fileURLToPath(new URL("../../bin/driftwarden.js", import.meta.url));
const run = promisify(execFile);
export const oncall = assumedRole("arn:aws:iam::111122223333:role/OnCall", "oncall-dana");

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function cli(args: string[], env: Record<string, string>): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], {
      env: { ...process.env, AWS_PROFILE: "", ...env },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? "", stderr: failed.stderr ?? "" };
  }
}

export function scenarioFile(name: string): Scenario & { raw: Record<string, unknown> } {
  const raw = JSON.parse(
    readFileSync(fileURLToPath(new URL(`../scenarios/${name}.json`, import.meta.url)), "utf8"),
  ) as Record<string, unknown>;
  return { ...parseScenario(raw), raw };
}

export interface LocalDeployment {
  runtime: LocalRuntime;
  endpoints: LocalEndpoints;
  env: Record<string, string>;
  close(): Promise<void>;
}

/** A local runtime holding the scenario's account (its steps are not run), with CLI endpoints. */
export async function localDeployment(scenario: Scenario): Promise<LocalDeployment> {
  const runtime = await LocalRuntime.start({
    account: scenario.account,
    region: scenario.region,
    clock: scenario.clock,
    config: scenario.config,
    state: scenario.state,
  });
  const endpoints = await startRuntimeEndpoints(runtime, oncall);
  return {
    runtime,
    endpoints,
    env: localCliEnvironment(runtime, endpoints),
    close: async () => {
      await endpoints.close();
      await runtime.close();
    },
  };
}
