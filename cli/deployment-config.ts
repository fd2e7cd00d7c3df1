import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { type DriftwardenConfig, parseConfig } from "../functions/lib/config.js";
import { ConfigurationError, errorMessage } from "../functions/lib/errors.js";

/**
 * The deployment's configuration as the CLI reads it: `--config <file>`, or
 * `driftwarden.config.json` in the working directory (the repository a
 * deployment is made from), or the defaults the functions use.
 */
export const DEFAULT_CONFIG = "driftwarden.config.json";

export async function readDeploymentConfig(file: string | undefined): Promise<DriftwardenConfig> {
  const path = file ?? (existsSync(DEFAULT_CONFIG) ? DEFAULT_CONFIG : undefined);
  if (!path) return parseConfig({});
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new ConfigurationError(
      `--config ${path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? errorMessage(error)})`,
    );
  }
  try {
    return parseConfig(JSON.parse(text));
  } catch (error) {
    throw new ConfigurationError(
      `${path}: ${errorMessage(error)} (check it with driftwarden config validate)`,
    );
  }
}
