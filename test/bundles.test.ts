import type { Metafile } from "esbuild";
import { describe, expect, it } from "vitest";
import { deployedFunctions, type FunctionSpec } from "../infra/handlers.js";
import { budgetOf, bundledClients, calledClients } from "../scripts/budgets.js";
import { bundle, lambdaEntry } from "../scripts/build.js";

/**
 * Issue 13, point 1: each function bundles only what it uses. The SDK clients
 * it may hold are those of the services its own IAM statements name; its
 * minified bundle stays within its budget (600 KB when it calls one service,
 * 800 KB otherwise). Sizes are deterministic, so the budget is a plain check.
 */
const built = new Map<string, Promise<Metafile["outputs"][string]>>();

function output(spec: FunctionSpec): Promise<Metafile["outputs"][string]> {
  let result = built.get(spec.component);
  if (!result) {
    result = bundle(lambdaEntry(spec), { write: false }).then(({ metafile }) => {
      const code = Object.entries(metafile.outputs).find(([file]) => file.endsWith(".mjs"));
      if (!code) throw new Error(`${spec.component}: esbuild wrote no .mjs`);
      return code[1];
    });
    built.set(spec.component, result);
  }
  return result;
}

const table = deployedFunctions.map((spec) => [spec.component, spec] as const);

describe("per-function bundles", () => {
  it.each(table)("%s bundles no SDK client of a service its role never calls", async (_name, spec) => {
    // Prepare
    const called = calledClients(spec);

    // Act
    const bundled = bundledClients(Object.keys((await output(spec)).inputs));

    // Assess
    expect(bundled.filter((client) => !called.includes(client))).toEqual([]);
  });

  it.each(table)("%s stays within its bundle budget", async (_name, spec) => {
    // Prepare
    const budget = budgetOf(spec);

    // Act
    const { bytes } = await output(spec);

    // Assess
    expect(bytes).toBeLessThanOrEqual(budget);
  });

  const metadataOnly = [
    "ApprovalEndpointFunction",
    "ApprovalReminders",
    "WorkflowRequestApproval",
    "WorkflowAudit",
    "WorkflowNotify",
  ];
  it.each(table.filter(([name]) => metadataOnly.includes(name)))(
    "%s names controls from the catalog only: no control implementation is bundled",
    async (_name, spec) => {
      // Act
      const inputs = Object.keys((await output(spec)).inputs);

      // Assess
      expect(
        inputs.filter((file) =>
          /functions\/controls\/(registry|[^/]+\/(index|fixer|snapshot))\.ts$/.test(file),
        ),
      ).toEqual([]);
    },
  );

  it("WorkflowVerify judges only: no control's planner, fixer or risk assessment is bundled", async () => {
    // Prepare
    const spec = deployedFunctions.find((fn) => fn.component === "WorkflowVerify");
    if (!spec) throw new Error("no deployed function WorkflowVerify");

    // Act
    const inputs = Object.keys((await output(spec)).inputs);

    // Assess
    expect(
      inputs.filter((file) =>
        /functions\/controls\/(registry|[^/]+\/(planner|fixer|risk|vpc-fixer))\.ts$/.test(file),
      ),
    ).toEqual([]);
  });

  const emitsMetrics = ["Intake", "Sweep", "WorkflowAudit"];
  it.each(table)("%s bundles Powertools metrics only if it emits metrics", async (name, spec) => {
    // Act
    const inputs = Object.keys((await output(spec)).inputs);

    // Assess
    const bundled = inputs.some((file) => file.includes("node_modules/@aws-lambda-powertools/metrics/"));
    expect(bundled).toBe(emitsMetrics.includes(name));
  });

  it.each(table)("%s validates with zod's mini build and its English messages only", async (_name, spec) => {
    // Act
    const inputs = Object.keys((await output(spec)).inputs);

    // Assess
    expect(
      inputs.filter((file) => /node_modules\/zod\/v4\/(classic|locales\/(?!en\.js))/.test(file)),
    ).toEqual([]);
  });
});

describe("the client budget itself", () => {
  it.each([
    ["WorkflowAudit", ["@aws-sdk/client-dynamodb"]],
    [
      "WorkflowVerify",
      ["@aws-sdk/client-cloudfront", "@aws-sdk/client-elastic-load-balancing-v2", "@aws-sdk/client-wafv2"],
    ],
    ["ApprovalEndpointFunction", ["@aws-sdk/client-dynamodb", "@aws-sdk/client-kms", "@aws-sdk/client-sfn"]],
  ])("%s may bundle the clients of its role's services: %j", (component, expected) => {
    // Prepare
    const spec = deployedFunctions.find((fn) => fn.component === component);
    if (!spec) throw new Error(`no deployed function ${component}`);

    // Act
    const called = calledClients(spec);

    // Assess
    expect(called).toEqual(expected);
  });

  it("a bundle holding a client its role never calls is caught", () => {
    // Prepare
    const spec = deployedFunctions.find((fn) => fn.component === "WorkflowAudit");
    if (!spec) throw new Error("no deployed function WorkflowAudit");
    const inputs = [
      "node_modules/@aws-sdk/client-dynamodb/dist-es/DynamoDBClient.js",
      "node_modules/@aws-sdk/client-elastic-load-balancing-v2/dist-es/ElasticLoadBalancingV2Client.js",
    ];

    // Act
    const extra = bundledClients(inputs).filter((client) => !calledClients(spec).includes(client));

    // Assess
    expect(extra).toEqual(["@aws-sdk/client-elastic-load-balancing-v2"]);
  });
});
