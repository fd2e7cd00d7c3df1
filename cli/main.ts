import { Command, CommanderError } from "commander";
import { reserveStdout } from "./output.js";

const print = reserveStdout();

const program = new Command()
  .name("driftwarden")
  .description(
    "Keeps production hardening in place on AWS: detect drift, fix it (or ask on-call), notify, audit.",
  )
  .version("0.1.0")
  .exitOverride();

program
  .command("simulate")
  .description(
    "Run a scenario file through the real pipeline against the local sandbox account; prints the JSON report",
  )
  .argument("<file>", "scenario JSON file")
  .action(async (file: string) => {
    const { loadScenario } = await import("../local/scenario.js");
    const { simulate } = await import("../local/simulate.js");
    const { ScenarioError } = await import("../functions/lib/errors.js");
    let scenario: Awaited<ReturnType<typeof loadScenario>>;
    try {
      scenario = await loadScenario(file);
    } catch (error) {
      if (error instanceof ScenarioError) {
        // One line, whatever the message quotes (a JSON parse error quotes the file's text).
        process.stderr.write(`driftwarden simulate: ${error.message.replace(/\s*[\r\n]+\s*/g, " ")}\n`);
        process.exit(2);
      }
      throw error;
    }
    const report = await simulate(scenario);
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
    await runDemo({ interactive, print });
  });

// Loaded after reserveStdout, like every other part of the pipeline the commands use.
const { registerApprovalCommands } = await import("./approvals.js");
registerApprovalCommands(program, print);
const { registerExemptionCommands } = await import("./exemptions.js");
registerExemptionCommands(program, print);
const { registerAuditCommands } = await import("./audit.js");
registerAuditCommands(program, print);
const { registerConfigCommands } = await import("./config.js");
registerConfigCommands(program, print);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) process.exit(error.exitCode);
  process.stderr.write(`driftwarden: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
}
