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
