import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import { controlIds } from "../functions/controls/catalog.js";
import { controlConfig } from "../functions/lib/config.js";
import { validateSettings } from "../infra/settings.js";

/**
 * `driftwarden config validate <file>`: the deployment's configuration checked
 * with the schema the functions use and the checks a deploy makes, before a
 * deploy. A typo in a control id would otherwise leave the real control
 * enforcing; each problem is one line naming the field, and the exit code is 2.
 */
export interface ValidationResult {
  ok: boolean;
  lines: string[];
}

export async function validateFile(file: string): Promise<ValidationResult> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    return {
      ok: false,
      lines: [
        `${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
      ],
    };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return {
      ok: false,
      lines: [`${file}: not valid JSON: ${(error as Error).message.replace(/\s*[\r\n]+\s*/g, " ")}`],
    };
  }
  const checked = validateSettings(raw);
  if ("problems" in checked)
    return { ok: false, lines: checked.problems.map((problem) => `${file}: ${problem}`) };
  const { config, regions, homeRegion, sweepSchedule } = checked.settings;
  return {
    ok: true,
    lines: [
      `${file} is valid.`,
      `  home region ${homeRegion}; watched regions ${regions.join(", ")}; sweep ${sweepSchedule}; approval timeout ${config.approvalTimeout}`,
      ...controlIds.map((id) => `  ${id}: ${controlConfig(config, id).mode}`),
      `  ${config.exemptions.length} central exemption${config.exemptions.length === 1 ? "" : "s"}; on-call: ${config.oncallEmails.join(", ")}`,
    ],
  };
}

export function registerConfigCommands(program: Command, print: (text: string) => void): void {
  const config = program.command("config").description("The deployment's configuration file");
  config
    .command("validate")
    .description(
      "Check a configuration file as a deploy would: one line per problem naming the field, exit 2 if any",
    )
    .argument("<file>", "the configuration file (driftwarden.config.json)")
    .action(async (file: string) => {
      const result = await validateFile(file);
      if (result.ok) {
        print(`${result.lines.join("\n")}\n`);
        return;
      }
      process.stderr.write(`${result.lines.join("\n")}\n`);
      process.exit(2);
    });
}
