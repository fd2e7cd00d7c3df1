import { describe, expect, it } from "vitest";
import { eventRules } from "../../functions/events/patterns.js";
import { metadataControls } from "../../infra/controls.js";
import { type RoutingPlan, routingPlan, targetRetry } from "../../infra/routing-plan.js";
import { remediatorArn } from "./support.js";

const rules = eventRules({ controls: metadataControls(), remediatorRoleArn: remediatorArn });
const regional = rules.filter((rule) => rule.placement === "watched-regions").map((rule) => rule.name);
const global = rules.filter((rule) => rule.placement === "us-east-1").map((rule) => rule.name);

function planFor(homeRegion: string, regions: string[]): RoutingPlan {
  return routingPlan({ rules, homeRegion, regions, stage: "production" });
}

function region(plan: RoutingPlan, name: string) {
  const found = plan.regions.find((r) => r.region === name);
  if (!found) throw new Error(`no plan for ${name}`);
  return found;
}

const eventOrigins = (plan: RoutingPlan, name: string, kind: string) =>
  region(plan, name)
    .rules.filter((rule) => rule.target.kind === kind && rule.origin !== "driftwarden-dlq-alarms")
    .map((rule) => rule.origin)
    .sort();

describe("routing plan", () => {
  it("has regional rules, and CloudFront's CloudTrail, Config item and compliance rules in us-east-1", () => {
    // Prepare / Act: the registry's controls

    // Assess
    expect(regional).toEqual([
      "driftwarden-cloudtrail-regional",
      "driftwarden-config-items-regional",
      "driftwarden-config-compliance-regional",
    ]);
    expect(global).toEqual([
      "driftwarden-cloudtrail-us-east-1",
      "driftwarden-config-items-us-east-1",
      "driftwarden-config-compliance-us-east-1",
    ]);
  });

  it.each([
    ["home eu-west-1, watching eu-west-1 and us-west-2", "eu-west-1", ["eu-west-1", "us-west-2"]],
    ["home eu-west-1, watching us-west-2 only", "eu-west-1", ["us-west-2"]],
    ["home eu-west-1, watching us-east-1 too", "eu-west-1", ["eu-west-1", "us-east-1"]],
  ])("%s: every watched region gets the regional rules", (_label, home, regions) => {
    // Prepare / Act
    const plan = planFor(home, regions);

    // Assess
    for (const name of regions) {
      const kind = name === home ? "intake" : "forward-to-home";
      expect(eventOrigins(plan, name, kind)).toEqual(expect.arrayContaining(regional));
    }
  });

  it("puts the CloudFront rule in us-east-1 only, forwarding to a home elsewhere", () => {
    // Prepare / Act
    const plan = planFor("eu-west-1", ["eu-west-1", "us-west-2"]);

    // Assess
    expect(eventOrigins(plan, "us-east-1", "forward-to-home")).toEqual([...global].sort());
    expect(eventOrigins(plan, "us-west-2", "forward-to-home")).toEqual([...regional].sort());
  });

  it("lets each home rule take events only from the regions where AWS delivers them to that rule", () => {
    // Prepare / Act
    const plan = planFor("eu-west-1", ["eu-west-1", "us-west-2"]);

    // Assess: a forwarded event keeps its region; CloudFront's come from us-east-1 only
    const home = region(plan, "eu-west-1").rules.filter((rule) => rule.target.kind === "intake");
    const regionsOf = Object.fromEntries(home.map((rule) => [rule.origin, rule.pattern.region]));
    for (const name of regional) expect(regionsOf[name], name).toEqual(["eu-west-1", "us-west-2"]);
    for (const name of global) expect(regionsOf[name], name).toEqual(["us-east-1"]);
  });

  it("has the home region invoke intake for every rule, whether matched there or forwarded", () => {
    // Prepare / Act
    const plan = planFor("eu-west-1", ["us-west-2"]);

    // Assess
    expect(eventOrigins(plan, "eu-west-1", "intake")).toEqual([...regional, ...global].sort());
    expect(eventOrigins(plan, "eu-west-1", "forward-to-home")).toEqual([]);
  });

  it("invokes intake directly from us-east-1 when it is home", () => {
    // Prepare / Act
    const plan = planFor("us-east-1", ["us-east-1"]);

    // Assess
    expect(plan.regions.map((r) => r.region)).toEqual(["us-east-1"]);
    expect(eventOrigins(plan, "us-east-1", "intake")).toEqual([...regional, ...global].sort());
    expect(region(plan, "us-east-1").rules.some((rule) => rule.target.kind === "forward-to-home")).toBe(
      false,
    );
  });

  it.each([
    ["single region", "eu-west-1", ["eu-west-1"]],
    ["three regions", "eu-west-1", ["eu-west-1", "us-west-2", "ap-southeast-2"]],
    ["home us-east-1", "us-east-1", ["us-east-1", "eu-central-1"]],
  ])(
    "%s: every target has a retry policy, the region's dead-letter queue and an alarm",
    (_label, home, regions) => {
      // Prepare / Act
      const plan = planFor(home, regions);

      // Assess
      for (const r of plan.regions) {
        expect(r.alarm.queue).toBe(r.deadLetterQueue);
        expect(r.alarm.notify).toBe(r.isHome ? "topic" : "relay");
        for (const rule of r.rules) {
          expect(rule.region).toBe(r.region);
          expect(rule.target.retry).toEqual(targetRetry);
          expect(rule.target.retry.maximumRetryAttempts).toBeGreaterThan(0);
          expect(rule.target.retry.maximumEventAgeInSeconds).toBeGreaterThanOrEqual(60);
          expect(rule.target.deadLetterQueue).toBe(r.deadLetterQueue);
        }
        // A relayed alarm reaches the topic through the home region's relay rule.
        if (!r.isHome) {
          const homeRelay = plan.regions[0]?.rules.find((rule) => rule.target.kind === "alerts");
          expect(JSON.stringify(homeRelay?.pattern)).toContain(r.alarm.name);
          expect(r.rules.some((rule) => rule.origin === "driftwarden-dlq-alarms")).toBe(true);
        }
      }
    },
  );

  it("has no alarm relay when everything is in the home region", () => {
    // Prepare / Act
    const plan = planFor("eu-west-1", ["eu-west-1"]);

    // Assess
    expect(plan.regions).toHaveLength(2); // eu-west-1 and us-east-1 (CloudFront)
    const single = routingPlan({
      rules: rules.filter((rule) => rule.placement === "watched-regions"),
      homeRegion: "eu-west-1",
      regions: ["eu-west-1"],
      stage: "production",
    });
    expect(single.regions).toHaveLength(1);
    expect(single.regions[0]?.rules.some((rule) => rule.target.kind === "alerts")).toBe(false);
  });

  it("gives rules unique names per region and refuses names EventBridge would reject", () => {
    // Prepare
    const plan = planFor("eu-west-1", ["eu-west-1", "us-west-2"]);

    // Act
    const tooLong = () =>
      routingPlan({ rules, homeRegion: "eu-west-1", regions: ["eu-west-1"], stage: "x".repeat(40) });

    // Assess
    for (const r of plan.regions) {
      const names = r.rules.map((rule) => rule.name);
      expect(new Set(names).size).toBe(names.length);
    }
    expect(tooLong).toThrow(/shorter stage name/);
  });

  it("keeps every pattern and description within EventBridge's limits", () => {
    // Prepare
    const plan = planFor("eu-west-1", ["eu-west-1", "us-west-2", "us-east-1"]);

    // Act
    const planned = plan.regions.flatMap((r) => r.rules);

    // Assess
    for (const rule of planned) {
      expect(JSON.stringify(rule.pattern).length).toBeLessThanOrEqual(4096);
      expect(rule.description.length).toBeLessThanOrEqual(512);
    }
  });
});
