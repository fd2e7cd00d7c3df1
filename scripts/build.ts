import { rm } from "node:fs/promises";
import { build } from "esbuild";
import { lambdaEntries } from "./lambdas.js";

/**
 * One bundle per Lambda, as deployed: ESM for nodejs22.x on arm64. SST bundles
 * the same entry points on deploy; this build shows their size and catches
 * bundling problems without an AWS account.
 */
await rm("dist", { recursive: true, force: true });
for (const entry of lambdaEntries) {
  const result = await build({
    entryPoints: { [entry.name]: entry.file },
    outdir: `dist/${entry.name}`,
    bundle: true,
    platform: "node",
    target: "node22",
    format: "esm",
    minify: true,
    sourcemap: true,
    metafile: true,
    // The bundled CommonJS dependencies (the AWS SDK too: bundled rather than taken from the
    // runtime, so the tested version is what runs) call require(), which ESM output lacks.
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
    outExtension: { ".js": ".mjs" },
    logLevel: "warning",
  });
  const bytes = Object.values(result.metafile.outputs).reduce((sum, output) => sum + output.bytes, 0);
  process.stdout.write(
    `${entry.name.padEnd(18)} ${entry.file}#${entry.export}  ${(bytes / 1024).toFixed(0)} KiB\n`,
  );
}
