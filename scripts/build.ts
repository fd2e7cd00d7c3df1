import { rm } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import { type BuildOptions, build } from "esbuild";
import { deployedFunctions, lambdaMainFields } from "../infra/handlers.js";

/**
 * One bundle per Lambda, as deployed: ESM for nodejs22.x on arm64. SST bundles
 * the same entry points on deploy; this build shows their size and catches
 * bundling problems without an AWS account.
 */
export interface LambdaEntry {
  name: string;
  file: string;
  export: string;
}

/** SST's handler is "<file without extension>.<export>". */
export function lambdaEntry(fn: { component: string; handler: string }): LambdaEntry {
  const dot = fn.handler.lastIndexOf(".");
  return { name: fn.component, file: `${fn.handler.slice(0, dot)}.ts`, export: fn.handler.slice(dot + 1) };
}

/**
 * How every Lambda is bundled; the bench builds its floor (the same SDK
 * clients, middy and the logger alone) with these very options.
 */
export const lambdaBuildOptions = {
  bundle: true,
  platform: "node",
  target: "node22",
  format: "esm",
  mainFields: lambdaMainFields,
  minify: true,
  // The bundled CommonJS dependencies call require(), which ESM output lacks.
  banner: {
    js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
  },
  outExtension: { ".js": ".mjs" },
  logLevel: "warning",
} satisfies BuildOptions;

export function bundle(entry: LambdaEntry, options: { write: boolean }) {
  return build({
    ...lambdaBuildOptions,
    entryPoints: { [entry.name]: entry.file },
    outdir: `dist/${entry.name}`,
    // The AWS SDK too is bundled rather than taken from the runtime, so the tested version is what runs.
    sourcemap: true,
    metafile: true,
    write: options.write,
  });
}

async function main(): Promise<void> {
  await rm("dist", { recursive: true, force: true });
  for (const entry of deployedFunctions.map(lambdaEntry)) {
    const result = await bundle(entry, { write: true });
    const code =
      Object.entries(result.metafile.outputs).find(([file]) => file.endsWith(".mjs"))?.[1].bytes ?? 0;
    process.stdout.write(
      `${entry.name.padEnd(26)} ${entry.file}#${entry.export}  ${(code / 1024).toFixed(0)} KiB\n`,
    );
  }
}

// Run as `npm run build`; imported by tests, it only exports the bundler.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
