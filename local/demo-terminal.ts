import { execFile } from "node:child_process";
import { userInfo } from "node:os";
import { createInterface } from "node:readline/promises";
import { promisify } from "node:util";
import { cleanText } from "../functions/lib/untrusted.js";

/**
 * The demo's conversation with the person at the terminal: a decision asked
 * until it is y or n, a reason asked on reject, who is deciding (never made
 * up), and quitting with q or Ctrl-C at any point.
 */
export type Answer = "approve" | "reject";

export interface Decider {
  name: string;
  /** Where the name came from, said when it is used. */
  source: string;
}

/** Raised by an ask when the person quit (q, Ctrl-C, the end of input). */
export class QuitError extends Error {
  override name = "QuitError";
}

export interface DemoTerminal {
  /** Aborted once the person quits. */
  readonly quit: AbortSignal;
  /** y or n, asked again on anything else; `signal` stops asking (decided elsewhere). */
  decision(question: string, signal: AbortSignal): Promise<Answer>;
  /** Asked again until it is not empty: a rejection says why. */
  reason(signal: AbortSignal): Promise<string>;
  /** git's user.name, else the OS user, else asked. */
  decider(): Promise<Decider>;
  /** Until q, Ctrl-C or the end of input. */
  untilQuit(): Promise<void>;
  close(): void;
}

const run = promisify(execFile);

async function localName(): Promise<Decider | undefined> {
  try {
    const { stdout } = await run("git", ["config", "user.name"], { timeout: 3000 });
    const name = stdout.trim();
    if (name) return { name, source: "git config user.name" };
  } catch {
    // No git, or no name configured: the OS user is next.
  }
  try {
    const { username } = userInfo();
    if (username) return { name: username, source: "your OS user name" };
  } catch {
    // A user without a passwd entry (some containers): ask.
  }
  return undefined;
}

export function openTerminal(write: (text: string) => void): DemoTerminal {
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  const quitting = new AbortController();
  const quit = () => quitting.abort();
  // Ctrl-C reaches readline as a key while it owns the terminal, and as a signal otherwise.
  rl.on("SIGINT", quit);
  rl.on("close", quit);
  process.on("SIGINT", quit);
  process.on("SIGTERM", quit);

  const ask = async (question: string, signal?: AbortSignal): Promise<string> => {
    const signals = signal ? [quitting.signal, signal] : [quitting.signal];
    try {
      const answer = (await rl.question(question, { signal: AbortSignal.any(signals) })).trim();
      if (/^(q|quit)$/i.test(answer)) {
        quit();
        throw new QuitError("quit");
      }
      return answer;
    } catch (error) {
      if (quitting.signal.aborted) throw new QuitError("quit");
      throw error;
    }
  };

  return {
    quit: quitting.signal,
    async decision(question, signal) {
      for (;;) {
        const answer = await ask(question, signal);
        if (/^(y|yes)$/i.test(answer)) return "approve";
        if (/^(n|no)$/i.test(answer)) return "reject";
        const typed = answer ? `you typed "${cleanText(answer, { max: 40 })}"` : "you pressed Enter";
        write(`   Please answer y (approve) or n (reject), or q to quit; ${typed}.\n`);
      }
    },
    async reason(signal) {
      for (;;) {
        const answer = await ask("   Why reject? (kept in the audit and told to on-call): ", signal);
        if (answer) return answer;
        write("   A rejection needs a reason: on-call and the audit read it later.\n");
      }
    },
    async decider() {
      const found = await localName();
      if (found) return found;
      for (;;) {
        const name = await ask("   Your name (recorded as who decided, unverified): ");
        if (name) return { name, source: "typed at this prompt" };
      }
    },
    async untilQuit() {
      if (quitting.signal.aborted) return;
      const onLine = (line: string) => {
        if (/^(q|quit)$/i.test(line.trim())) quit();
        else write("   Type q and Enter (or press Ctrl-C) to quit.\n");
      };
      rl.on("line", onLine);
      await new Promise<void>((resolve) => quitting.signal.addEventListener("abort", () => resolve()));
      rl.off("line", onLine);
    },
    close() {
      process.off("SIGINT", quit);
      process.off("SIGTERM", quit);
      rl.off("close", quit);
      rl.close();
    },
  };
}
