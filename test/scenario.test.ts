import { describe, expect, it } from "vitest";
import { ScenarioError } from "../functions/lib/errors.js";
import { parseScenario } from "../local/scenario.js";

describe("scenario file validation", () => {
  it.each([
    [{ call: { service: "waf", action: "AssociateWebACL" } }, /^steps\.0\.call\.service: /],
    [
      { call: { service: "elbv2", action: "modifyListener" } },
      /^steps\.0\.call\.action: must be an API action name/,
    ],
    [{ approve: {} }, /^steps\.0\.approve\.by: /],
    [{ reject: { by: "" } }, /^steps\.0\.reject\.by: /],
    [{ advance: "tomorrow" }, /^steps\.0\.advance: must be an ISO-8601 duration/],
    [{ sweep: 1 }, /^steps\.0\.sweep: /],
    [{ wait: "PT1H" }, /^steps\.0: must be one of/],
  ])("names the offending field inside an invalid step %j", (step, message) => {
    // Prepare
    const raw = { steps: [step] };

    // Act
    const parse = () => parseScenario(raw);

    // Assess
    expect(parse).toThrow(ScenarioError);
    expect(parse).toThrow(message);
  });

  it.each([
    [{ name: "no steps" }, /^steps: is required/],
    [
      { steps: [], faults: { rules: [{ service: "elbv2", action: "*", throttle: 2 }] } },
      /^faults\.rules\.0\.throttle: /,
    ],
    [
      { steps: [], faults: { rules: [{ service: "s3", action: "*", throttle: 0.1 }] } },
      /^faults\.rules\.0\.service: /,
    ],
    [
      { steps: [], faults: { rules: [{ service: "sns", action: "publish", failNext: 1 }] } },
      /^faults\.rules\.0\.action: /,
    ],
    [
      { steps: [], faults: { rules: [{ service: "sns", action: "Publish" }] } },
      /^faults\.rules\.0: must set throttle, serverError or failNext/,
    ],
    [
      { steps: [], faults: { crashAfter: [{ service: "elbv2", action: "ModifyListener", times: 0 }] } },
      /^faults\.crashAfter\.0\.times: /,
    ],
    [{ steps: [], faults: { seed: 1, throttle: 0.3 } }, /^faults\.throttle: unknown key/],
    [{ steps: [], faults: { seed: "seven" } }, /^faults\.seed: /],
  ])("names the offending field of an invalid scenario %j", (raw, message) => {
    // Act
    const parse = () => parseScenario(raw);

    // Assess
    expect(parse).toThrow(ScenarioError);
    expect(parse).toThrow(message);
  });

  it("reads faults as the contract writes them, with defaults", () => {
    // Prepare
    const raw = {
      steps: [],
      faults: {
        seed: 7,
        rules: [
          { service: "*", action: "*", throttle: 0.3, serverError: 0.05 },
          { service: "sfn", action: "SendTaskSuccess", failNext: 1 },
        ],
        crashAfter: [{ service: "elbv2", action: "ModifyListener" }],
      },
    };

    // Act
    const scenario = parseScenario(raw);

    // Assess
    expect(scenario.faults).toEqual({
      ...raw.faults,
      crashAfter: [{ service: "elbv2", action: "ModifyListener", times: 1 }],
    });
    expect(parseScenario({ steps: [], faults: {} }).faults).toEqual({ seed: 0, rules: [], crashAfter: [] });
    expect(parseScenario({ steps: [] }).faults).toBeUndefined();
  });

  it("accepts every step kind, ignoring keys it does not know", () => {
    // Prepare
    const raw = {
      steps: [
        { call: { service: "elbv2", action: "ModifyListener", input: {} }, note: "why" },
        { event: { anything: true } },
        { approve: { by: "oncall@example.com" } },
        { reject: { by: "oncall@example.com" } },
        { advance: "PT25H" },
        { sweep: {} },
      ],
    };

    // Act
    const scenario = parseScenario(raw);

    // Assess
    expect(scenario.steps).toEqual([
      { call: { service: "elbv2", action: "ModifyListener", input: {} } },
      { event: { anything: true } },
      { approve: { by: "oncall@example.com" } },
      { reject: { by: "oncall@example.com", reason: "" } },
      { advance: "PT25H" },
      { sweep: {} },
    ]);
  });
});
