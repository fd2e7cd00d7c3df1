import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

/** The real CLI in a child process, as a user runs it (`npx driftwarden ...`). */
export const bin = fileURLToPath(new URL("../../bin/driftwarden.js", import.meta.url));
export const root = fileURLToPath(new URL("../..", import.meta.url));

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** The whole environment (nothing is inherited unless given). */
  env: NodeJS.ProcessEnv;
  stdin?: string;
  /** Called once the process has started, e.g. to interrupt it. */
  started?: (child: ReturnType<typeof spawn>) => void;
  timeoutMs?: number;
}

export function runCli(args: string[], options: CliOptions): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: root,
      env: options.env,
      // Its own process group, as a terminal gives a foreground job: Ctrl-C reaches every process in it.
      detached: true,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => {
      if (child.pid) process.kill(-child.pid, "SIGKILL");
    }, options.timeoutMs ?? 90_000);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    if (options.stdin !== undefined) child.stdin.end(options.stdin);
    options.started?.(child);
  });
}

/** The non-empty lines a run printed on stderr. */
export function lines(text: string): string[] {
  return text.split("\n").filter((line) => line.trim() !== "");
}

/**
 * The caller's environment without anything that could give the SDK
 * credentials or a region: what a machine without AWS set up looks like.
 */
export function bareEnvironment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^(AWS_|DRIFTWARDEN_)/.test(name)) env[name] = value;
  }
  return { ...env, POWERTOOLS_LOG_LEVEL: "WARN", ...extra };
}
