import { Command } from "commander";
import { type FailureContext, fail, InterruptedError, oneLine } from "./errors.js";
import { reserveStdout } from "./output.js";

const print = reserveStdout();
// Read before parsing: a failure while parsing still honours it.
const debug = process.argv.includes("--debug");
const context: FailureContext = { command: "" };

const program = new Command()
  .name("driftwarden")
  .description(
    "Keeps production hardening in place on AWS: detect drift, fix it (or ask on-call), notify, audit.",
  )
  .version("0.1.0")
  .option("--debug", "print the stack of an error (for reporting a bug)")
  .exitOverride()
  // Commander's own complaints (a missing argument, an unknown option) follow the one-line rule too.
  .configureOutput({
    // Help and the version are what was asked for: stdout, which reserveStdout keeps for results.
    writeOut: (text) => print(text),
    outputError: (text, write) =>
      write(`driftwarden${context.command ? ` ${context.command}` : ""}: ${oneLine(text)} (see --help)\n`),
  })
  .hook("preAction", (_program, action) => {
    const names: string[] = [];
    for (let command: Command | null = action; command?.parent; command = command.parent) {
      names.unshift(command.name());
    }
    context.command = names.join(" ");
  });

/** Ctrl-C ends a command with one line and exit code 2; the demo handles it itself (it is how one quits it). */
const onInterrupt = () => fail(new InterruptedError("interrupted"), context, debug);
// Replaces the handler bin/driftwarden.js holds while the command loads.
process.removeAllListeners("SIGINT");
process.on("SIGINT", onInterrupt);

program
  .command("simulate")
  .description(
    "Run a scenario file through the real pipeline against the local sandbox account; prints the JSON report",
  )
  .argument("<file>", "scenario file (JSON or JSONC: comments and trailing commas allowed), or - for stdin")
  .option(
    "--approval-url <url>",
    "base URL of the approval page the emails link to (default: the local page `driftwarden demo` serves)",
  )
  .action(async (file: string, options: { approvalUrl?: string }) => {
    const { loadScenario } = await import("../local/scenario.js");
    const { simulate } = await import("../local/simulate.js");
    const { ScenarioError } = await import("../functions/lib/errors.js");
    if (options.approvalUrl !== undefined && !URL.canParse(options.approvalUrl)) {
      throw new ScenarioError(
        `--approval-url: "${options.approvalUrl}" is not a URL such as https://approvals.example.com/`,
      );
    }
    const scenario = await loadScenario(file);
    if (scenario.ignoredKeys.length > 0) {
      // Quoted, so that a key holding a line break still makes one line.
      const keys = scenario.ignoredKeys.map((key) => JSON.stringify(key)).join(", ");
      process.stderr.write(`driftwarden simulate: warning: ignoring unknown top-level keys ${keys}\n`);
    }
    const report = await simulate(scenario, { approvalUrl: options.approvalUrl });
    print(`${JSON.stringify(report, null, 2)}\n`);
  });

program
  .command("demo")
  .description(
    "A live local enforcement loop on the sandbox: drift is introduced and you watch (and decide) what happens",
  )
  .option("--scripted", "decide approvals automatically, as when no terminal is attached")
  .action(async (options: { scripted?: boolean }) => {
    const { runDemo } = await import("../local/demo.js");
    const interactive = !options.scripted && Boolean(process.stdin.isTTY && process.stderr.isTTY);
    if (interactive) process.off("SIGINT", onInterrupt);
    await runDemo({ interactive, print });
  });

// Loaded after reserveStdout, like every other part of the pipeline the commands use.
const { registerApprovalCommands } = await import("./approvals.js");
registerApprovalCommands(program, print, context);
const { registerExemptionCommands } = await import("./exemptions.js");
registerExemptionCommands(program, print);
const { registerAuditCommands } = await import("./audit.js");
registerAuditCommands(program, print);
const { registerConfigCommands } = await import("./config.js");
registerConfigCommands(program, print);
const { registerScanCommand } = await import("./scan.js");
registerScanCommand(program, print);
const { registerStatusCommand } = await import("./status.js");
registerStatusCommand(program, print, context);
const { registerHistoryCommand } = await import("./history.js");
registerHistoryCommand(program, print, context);
const { registerResumeCommand } = await import("./resume.js");
registerResumeCommand(program, print, context);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  fail(error, context, debug);
}
