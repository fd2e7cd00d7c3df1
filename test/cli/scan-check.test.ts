import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { checkResource } from "../../cli/scan-check.js";
import { controlById } from "../../functions/controls/registry.js";
import type { RuntimeExemption } from "../../functions/exemptions/store.js";
import { clients } from "../../functions/lib/aws.js";
import { SandboxAccount, SandboxClock } from "../../local/sandbox/index.js";
import { loadScenario } from "../../local/scenario.js";

/**
 * A scan given the deployment's exemptions table counts runtime exemptions as
 * the evaluate step does: the resource's own or every resource's, for this
 * control or every control, until it expires. The account: the drifted one of
 * scan.test.ts, whose shop listener forwards plain HTTP.
 */
const scenarioPath = fileURLToPath(new URL("../fixtures/scan/drifted-account.json", import.meta.url));
const shop =
  "arn:aws:elasticloadbalancing:eu-west-1:111122223333:listener/app/shop/0f9e8d7c6b5a4930/8c7b6a5948372615";
const control = "alb-http-to-https-redirect";

let unregister: (() => void) | undefined;
afterEach(() => unregister?.());

const exemption = (over: Partial<RuntimeExemption>): RuntimeExemption => ({
  resource: shop,
  control,
  reason: "cut-over to the new shop stack, CHG-2231",
  expires: "2026-03-31",
  by: "arn:aws:sts::111122223333:assumed-role/OnCall/oncall-dana",
  createdAt: "2026-02-27T10:00:00Z",
  ...over,
});

describe("a scan's runtime exemptions", () => {
  it.each([
    { name: "none", runtime: [], status: "drift" },
    { name: "this resource and control", runtime: [exemption({})], status: "exempt" },
    {
      name: "every resource, every control",
      runtime: [exemption({ resource: "*", control: "*" })],
      status: "exempt",
    },
    { name: "another control only", runtime: [exemption({ control: "alb-tls-policy" })], status: "drift" },
    { name: "another resource only", runtime: [exemption({ resource: `${shop}0` })], status: "drift" },
    { name: "one that expired yesterday", runtime: [exemption({ expires: "2026-02-28" })], status: "drift" },
  ])("$name: $status", async ({ runtime, status }) => {
    // Prepare
    const scenario = await loadScenario(scenarioPath);
    const sandbox = new SandboxAccount({
      account: scenario.account,
      region: "eu-west-1",
      clock: new SandboxClock(scenario.clock),
      state: scenario.state,
    });
    unregister = sandbox.register();
    const ctx = {
      account: scenario.account,
      region: "eu-west-1",
      clients,
      now: () => sandbox.clock.now(),
      probe: sandbox.probe,
    };

    // Act
    const result = await checkResource(controlById(control), shop, ctx, scenario.config, runtime);

    // Assess
    expect(result.status).toBe(status);
    if (status === "exempt") {
      expect(result.detail).toMatch(
        /^exempted by arn:aws:sts::111122223333:assumed-role\/OnCall\/oncall-dana until 2026-03-31: "cut-over to the new shop stack, CHG-2231"; drift: /,
      );
      expect(result.fix).toEqual([]);
    }
  });
});
