import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { build } from "esbuild";
import { deployedFunctions, type FunctionSpec } from "../infra/handlers.js";
import { budgetOf, calledClients } from "../scripts/budgets.js";
import { bundle, lambdaBuildOptions, lambdaEntry } from "../scripts/build.js";
import { atMost, type Figure } from "./figures.js";

/**
 * Issue 13, point 1, measured: each deployed function's bundle size (built as
 * `npm run build` builds it) and its cold import cost, against a floor built
 * the same way from just the SDK clients its role calls, @middy/core and the
 * Powertools logger. Each sample is a fresh `node` process timing its own
 * `import()` with performance.now(); function and floor processes alternate,
 * so both see the same machine load. The overhead is what the function's own
 * code adds on top of that floor (the clients' cost is the same for any code
 * calling them); the ratio is the same comparison relative to the floor.
 */
const samples = 15;
const overheadLimitMs = 100;
const floorRatioLimit = 1.3;

/** The client class each SDK package exports, for the floor's imports. */
const clientClass: Readonly<Record<string, string>> = {
  "@aws-sdk/client-elastic-load-balancing-v2": "ElasticLoadBalancingV2Client",
  "@aws-sdk/client-cloudfront": "CloudFrontClient",
  "@aws-sdk/client-wafv2": "WAFV2Client",
  "@aws-sdk/client-dynamodb": "DynamoDBClient",
  "@aws-sdk/client-sfn": "SFNClient",
  "@aws-sdk/client-sns": "SNSClient",
  "@aws-sdk/client-kms": "KMSClient",
  "@aws-sdk/client-config-service": "ConfigServiceClient",
  "@aws-sdk/client-sts": "STSClient",
};

const run = promisify(execFile);

async function builtFunction(spec: FunctionSpec, dir: string): Promise<{ file: string; bytes: number }> {
  const result = await bundle(lambdaEntry(spec), { write: false });
  const code = result.outputFiles?.find((file) => file.path.endsWith(".mjs"));
  if (!code) throw new Error(`${spec.component}: esbuild produced no .mjs`);
  const file = join(dir, `${spec.component}.mjs`);
  await writeFile(file, code.contents);
  return { file, bytes: code.contents.byteLength };
}

/** Just these clients, middy and the logger, bundled as the functions are. */
async function builtFloor(clients: string[], dir: string, name: string): Promise<string> {
  const source = [
    ...clients.map((client) => {
      const name = clientClass[client];
      if (!name) throw new Error(`no client class known for ${client} (bench/bundles.ts clientClass)`);
      return `export { ${name} } from "${client}";`;
    }),
    'export { default as middy } from "@middy/core";',
    'export { Logger } from "@aws-lambda-powertools/logger";',
  ].join("\n");
  const result = await build({
    ...lambdaBuildOptions,
    stdin: { contents: source, resolveDir: process.cwd(), sourcefile: `${name}.ts`, loader: "ts" },
    write: false,
  });
  const code = result.outputFiles[0];
  if (!code) throw new Error(`floor ${name}: esbuild produced no output`);
  const file = join(dir, `${name}.mjs`);
  await writeFile(file, code.contents);
  return file;
}

/** One fresh process: how long its import() of `file` takes, in ms. */
async function importMs(file: string): Promise<number> {
  const script = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); process.stdout.write(String(performance.now() - t));`;
  const { stdout } = await run(process.execPath, ["--input-type=module", "-e", script], {
    env: { ...process.env, POWERTOOLS_LOG_LEVEL: "ERROR", POWERTOOLS_METRICS_DISABLED: "true" },
  });
  return Number(stdout);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

const round = (value: number, digits: number) => Number(value.toFixed(digits));

export async function measureBundles(): Promise<Figure[]> {
  const dir = await mkdtemp(join(tmpdir(), "driftwarden-bundles-"));
  try {
    const measured = [];
    for (const spec of deployedFunctions) {
      const clients = calledClients(spec);
      const built = await builtFunction(spec, dir);
      const floor = await builtFloor(clients, dir, `${spec.component}-floor`);
      measured.push({ spec, clients, built, floor, fn: [] as number[], base: [] as number[] });
    }
    for (let sample = 0; sample < samples; sample++) {
      for (const m of measured) {
        // Alternating which goes first keeps a warming disk cache or CPU clock from favouring either.
        if (sample % 2 === 0) {
          m.fn.push(await importMs(m.built.file));
          m.base.push(await importMs(m.floor));
        } else {
          m.base.push(await importMs(m.floor));
          m.fn.push(await importMs(m.built.file));
        }
      }
    }
    return measured.flatMap(({ spec, clients, built, fn, base }) => {
      const budget = budgetOf(spec);
      const fnMs = median(fn);
      const floorMs = median(base);
      // Each sample's function and floor ran back to back: the median of their ratios cancels load that drifts between samples.
      const ratio = median(fn.map((ms, i) => ms / (base[i] ?? Number.NaN)));
      const overhead = median(fn.map((ms, i) => ms - (base[i] ?? Number.NaN)));
      const services = clients.map((client) => client.replace("@aws-sdk/client-", "")).join(", ");
      return [
        atMost(
          `bundle ${spec.component}`,
          round(built.bytes / 1000, 1),
          "KB",
          budget / 1000,
          `minified ESM; SDK clients: ${services}`,
        ),
        atMost(
          `cold import overhead ${spec.component}`,
          round(overhead, 1),
          "ms",
          overheadLimitMs,
          `import ${round(fnMs, 1)} ms vs floor ${round(floorMs, 1)} ms (medians of ${samples} fresh node processes each)`,
        ),
        atMost(
          `cold import ${spec.component} vs floor`,
          round(ratio, 2),
          "x floor",
          floorRatioLimit,
          `median of ${samples} back-to-back pairs; floor: ${services} + @middy/core + Powertools logger, ${round(floorMs, 1)} ms`,
        ),
      ];
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
