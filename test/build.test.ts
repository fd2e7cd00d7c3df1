import { describe, expect, it } from "vitest";
import { deployedFunctions } from "../infra/handlers.js";
import { bundle, lambdaEntry } from "../scripts/build.js";

/** `npm run build`: every function the stack deploys bundles on its own and exports its handler. */
describe("per-Lambda bundles", () => {
  it.each(deployedFunctions.map((fn) => [fn.component, lambdaEntry(fn)] as const))(
    "%s bundles and exports its handler",
    async (_name, entry) => {
      // Prepare / Act
      const result = await bundle(entry, { write: false });

      // Assess
      const outputs = Object.entries(result.metafile.outputs).filter(([file]) => file.endsWith(".mjs"));
      expect(outputs).toHaveLength(1);
      expect(outputs[0]?.[1].exports).toContain(entry.export);
    },
  );
});
