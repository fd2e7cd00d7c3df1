import { measureBundles } from "./bundles.js";

/** Runs only the bundle figures: npx tsx bench/bundles-main.ts */
const figures = await measureBundles();
for (const figure of figures) {
  process.stdout.write(
    `${figure.pass ? "pass" : "FAIL"}  ${figure.name.padEnd(46)} ${String(figure.value).padStart(8)} ${figure.unit.padEnd(8)} ${figure.target.padEnd(16)} ${figure.note ?? ""}\n`,
  );
}
if (figures.some((figure) => !figure.pass)) process.exitCode = 1;
