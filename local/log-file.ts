import { Console } from "node:console";
import { createWriteStream } from "node:fs";

/**
 * While a person reads the demo and types at its prompt, the pipeline's JSON
 * log lines (Powertools writes them through the global console in dev mode)
 * would land in the middle of both. They go to a file instead, where they can
 * still be read; `restore` puts the console back.
 */
const methods = ["log", "info", "warn", "error", "debug", "trace"] as const;

export interface LogFile {
  path: string;
  /** Writes one line of the demo's own (an approval page failure, say) to the file. */
  write(text: string): void;
  restore(): Promise<void>;
}

export function routeLogsToFile(path: string): LogFile {
  const stream = createWriteStream(path, { flags: "a" });
  const file = new Console({ stdout: stream, stderr: stream });
  const saved = methods.map((method) => [method, console[method]] as const);
  for (const method of methods) console[method] = file[method].bind(file);
  return {
    path,
    write: (text) => {
      stream.write(text.endsWith("\n") ? text : `${text}\n`);
    },
    restore: () => {
      for (const [method, original] of saved) console[method] = original;
      return new Promise((resolve) => stream.end(resolve));
    },
  };
}
