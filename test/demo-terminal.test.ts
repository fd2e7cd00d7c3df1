import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { bin, root } from "./cli/run.js";

/**
 * `npm start` in a terminal: the demo runs in a pseudo-terminal (util-linux
 * `script` gives it one) and a person types at its prompt. It asks again on
 * anything but y or n, asks why on a rejection, records who decided without
 * making anyone up, keeps log lines off the screen, keeps serving until q or
 * Ctrl-C, and then stops cleanly.
 */
const dir = mkdtempSync(join(tmpdir(), "driftwarden-demo-terminal-"));
const gitConfig = join(dir, "gitconfig");
writeFileSync(gitConfig, "[user]\n\tname = Test Oncall\n");

class Terminal {
  output = "";
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcess;

  constructor(env: Record<string, string>) {
    const command = `'${process.execPath}' '${bin}' demo`;
    this.child = spawn("script", ["-qfec", command, "/dev/null"], {
      cwd: root,
      env: {
        ...process.env,
        TERM: "xterm-256color",
        // Info-level log lines would be printed if the demo did not keep them off the terminal.
        POWERTOOLS_LOG_LEVEL: "INFO",
        GIT_CONFIG_NOSYSTEM: "1",
        ...env,
      },
    });
    this.child.stdout?.on("data", (chunk) => {
      this.output += chunk;
    });
    this.child.stderr?.on("data", (chunk) => {
      this.output += chunk;
    });
    this.exited = new Promise((resolve) => this.child.on("close", resolve));
  }

  /** Resolves with the output so far once `text` appears `times` times. */
  async waitFor(text: string, times = 1, timeoutMs = 90_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (this.output.split(text).length - 1 < times) {
      if (Date.now() > deadline)
        throw new Error(`"${text}" did not appear; the terminal shows:\n${this.output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return this.output;
  }

  /** Keys as a person types them: Enter is a carriage return. */
  type(keys: string): void {
    this.child.stdin?.write(keys);
  }

  kill(): void {
    this.child.kill("SIGKILL");
  }
}

let terminal: Terminal | undefined;

afterEach(() => {
  terminal?.kill();
  terminal = undefined;
});

const prompt = "Approve this fix here? [y]es / [n]o (q quits): ";

describe("the demo prompt in a terminal", () => {
  it("asks again on Enter and on maybe, asks why on a rejection, then serves until q", async () => {
    // Prepare
    terminal = new Terminal({ GIT_CONFIG_GLOBAL: gitConfig });
    await terminal.waitFor(prompt);

    // Act
    terminal.type("\r");
    await terminal.waitFor("you pressed Enter.");
    terminal.type("maybe\r");
    await terminal.waitFor('you typed "maybe".');
    terminal.type("n\r");
    await terminal.waitFor("Why reject?");
    terminal.type("\r");
    await terminal.waitFor("A rejection needs a reason");
    terminal.type("mid-release freeze\r");
    await terminal.waitFor("Type q and Enter (or press Ctrl-C) to quit.");
    const page = /approval page: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(terminal.output)?.[1] ?? "";
    const endpoint =
      /DRIFTWARDEN_LOCAL_ENDPOINT=(http:\/\/127\.0\.0\.1:\d+)/.exec(terminal.output)?.[1] ?? "";
    const pageAnswer = await fetch(page);
    const endpointAnswer = await fetch(endpoint, { method: "POST" });
    terminal.type("q\r");
    const code = await terminal.exited;

    // Assess
    const output = terminal.output;
    expect(output.split(prompt).length - 1, "asked three times").toBe(3);
    expect(output.split("Why reject?").length - 1, "asked for a reason twice").toBe(2);
    expect(output).toContain(
      'Deciding here records you as "Test Oncall" (from git config user.name; unverified)',
    );
    expect(output).toMatch(
      /approval \w+: rejected by "Test Oncall" \(demo terminal, unverified\), reason "mid-release freeze"/,
    );
    expect(output).toContain("outcome: rejected, caused by arn:aws:iam::111122223333:user/deploy-bot");
    expect(pageAnswer.status, "the approval page still answers").toBe(400);
    expect(endpointAnswer.headers.get("x-amzn-requestid"), "the CLI endpoint still answers").toBeTruthy();
    expect(output).toContain("demo stopped.");
    expect(code).toBe(0);
    expect(output).not.toMatch(/"level"\s*:/);
    expect(output).not.toMatch(/^\s+at /m);
    const logFile = /log lines go to (\S+);/.exec(output)?.[1] ?? "";
    expect(existsSync(logFile)).toBe(true);
    expect(readFileSync(logFile, "utf8")).toMatch(/"message":\s*"intake started"/);
  }, 180_000);

  it("stops cleanly on Ctrl-C at the prompt, and names the OS user when git has none", async () => {
    // Prepare
    terminal = new Terminal({ GIT_CONFIG_GLOBAL: join(dir, "no-such-gitconfig") });
    await terminal.waitFor(prompt);

    // Act
    terminal.type("\u0003");
    const code = await terminal.exited;

    // Assess
    const output = terminal.output;
    expect(output).toContain(`records you as "${userInfo().username}" (from your OS user name; unverified)`);
    expect(output).toContain("demo stopped (nothing of this run is kept).");
    expect(code).toBe(0);
    expect(output).not.toMatch(/^\s+at /m);
    expect(output).not.toMatch(/Error/);
  }, 180_000);
});
