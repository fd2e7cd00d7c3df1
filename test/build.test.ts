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

/** Approval links are MACed inside KMS: no bundle of the functions that make or check links holds a key. */
describe("approval signing material", () => {
  it.each(["ApprovalEndpointFunction", "WorkflowRequestApproval", "ApprovalReminders"])(
    "%s: its bundle reads no signing key, only the KMS key's ARN",
    async (component) => {
      // Prepare
      const fn = deployedFunctions.find((spec) => spec.component === component);
      if (!fn) throw new Error(`no deployed function ${component}`);

      // Act
      const result = await bundle(lambdaEntry(fn), { write: false });
      const code = result.outputFiles?.find((file) => file.path.endsWith(".mjs"))?.text ?? "";

      // Assess
      expect(code).toContain("ApprovalLinkKey");
      expect(code).not.toMatch(/ApprovalSigningKey|signingKey|createHmac\([^)]*Resource/);
    },
  );
});
