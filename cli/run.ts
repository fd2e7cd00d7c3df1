import { AuditTamperedError, ConfigurationError, DriftwardenError } from "../functions/lib/errors.js";

/**
 * Runs a command body and prints its result. What the user can fix (a missing
 * table name, an invalid option) is one line and exit 2; what driftwarden
 * refused or found (nothing to remove, a tampered ledger) is one line and
 * exit 1. Anything else is a bug and propagates with its stack.
 */
export async function runCommand(
  command: string,
  body: () => Promise<string>,
  print: (text: string) => void,
): Promise<void> {
  try {
    print(await body());
  } catch (error) {
    if (error instanceof ConfigurationError) {
      process.stderr.write(`driftwarden ${command}: ${oneLine(error.message)}\n`);
      process.exit(2);
    }
    // A failed verification is an answer too: the findings go to stdout, then the one line.
    if (error instanceof AuditTamperedError) print(error.report);
    if (error instanceof DriftwardenError) {
      process.stderr.write(`driftwarden ${command}: ${oneLine(error.message)}\n`);
      process.exit(1);
    }
    throw error;
  }
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, " ");
}

/** The deployment's home region: --region, then AWS_REGION, then AWS_DEFAULT_REGION. */
export function regionOf(option: string | undefined, env: NodeJS.ProcessEnv): string {
  const region = option ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (!region) {
    throw new ConfigurationError(
      "which region? Pass --region <region> or set AWS_REGION to the deployment's home region",
    );
  }
  return region;
}

/** A table name from its option or variable, or a one-line refusal saying how to give it. */
export function tableOf(
  option: string | undefined,
  env: NodeJS.ProcessEnv,
  variable: string,
  what: string,
): string {
  const table = option ?? env[variable];
  if (!table) {
    throw new ConfigurationError(
      `which ${what} table? Pass its name (from the deploy output) as an option or set ${variable}`,
    );
  }
  return table;
}
