import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  configFileName,
  deployedConfig,
  readSettings,
  remediatorRoleNameFor,
  settingsFrom,
} from "../../infra/settings.js";

const valid = {
  homeRegion: "eu-west-1",
  watchedRegions: ["eu-west-1"],
  oncallEmails: ["oncall@example.com"],
};

function tempFile(content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), "driftwarden-settings-")), configFileName);
  writeFileSync(path, content);
  return path;
}

describe("deployment settings", () => {
  it("reads the repository's driftwarden.config.json", () => {
    // Prepare
    const path = join(import.meta.dirname, "..", "..", configFileName);

    // Act
    const settings = readSettings(path);

    // Assess
    expect(settings.homeRegion).toBe("eu-west-1");
    expect(settings.regions).toEqual(["eu-west-1"]);
    expect(settings.sweepSchedule).toBe("rate(6 hours)");
    expect(settings.approvalTimeoutSeconds).toBe(86_400);
    expect(JSON.parse(readFileSync(path, "utf8")).oncallEmails.length).toBeGreaterThan(0);
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    [
      "an unknown region",
      { watchedRegions: ["nowhere"] },
      /watchedRegions\.0: "nowhere" is not an AWS region/,
    ],
    [
      "a region that does not exist",
      { watchedRegions: ["eu-west-9"] },
      /watchedRegions\.0: "eu-west-9" is not an AWS region/,
    ],
    ["a bad home region", { homeRegion: "EU" }, /homeRegion: "EU" is not an AWS region/],
    [
      "a misspelt control id",
      { controls: { "alb-http-to-http-redirect": { mode: "report" } } },
      /controls\.alb-http-to-http-redirect: unknown field/,
    ],
    ["an unknown field", { sweepSchedul: "rate(1 hour)" }, /sweepSchedul: unknown field/],
    [
      "an unknown control setting",
      { controls: { "alb-http-to-https-redirect": { mode: "report", moed: "off" } } },
      /controls\.alb-http-to-https-redirect\.moed: unknown field/,
    ],
    ["a bad email", { oncallEmails: ["not-an-email"] }, /oncallEmails\.0/],
    ["no on-call address", { oncallEmails: [] }, /oncallEmails: a deployment needs at least one address/],
    [
      "a bad approval timeout",
      { approvalTimeout: "a day" },
      /approvalTimeout: must be a positive ISO-8601 duration/,
    ],
    [
      "an unknown control mode",
      { controls: { "alb-http-to-https-redirect": { mode: "fix" } } },
      /controls\.alb-http-to-https-redirect\.mode/,
    ],
    [
      "a one-time sweep",
      { sweepSchedule: "at(2026-01-01T00:00:00)" },
      /sweepSchedule: .* must be a recurring/,
    ],
    ["a made-up sweep", { sweepSchedule: "every 6 hours" }, /sweepSchedule/],
    ["a rate with a wrong unit", { sweepSchedule: "rate(1 hours)" }, /sweepSchedule: .*singular unit/],
    ["an invalid role name", { remediatorRoleName: "driftwarden remediator" }, /remediatorRoleName/],
    [
      "a role ARN naming another role",
      { remediatorRoleArn: "arn:aws:iam::111122223333:role/other" },
      /remediatorRoleArn: .* does not name the role/,
    ],
    ["an unknown field", { homeRegon: "eu-west-1" }, /homeRegon|Unrecognized key/],
  ])("names the field for %s", (_label, change, message) => {
    // Prepare
    const raw = { ...valid, ...change };

    // Act
    const load = () => settingsFrom(raw);

    // Assess
    expect(load).toThrow(message);
  });

  it.each([["rate(6 hours)"], ["rate(1 day)"], ["rate(30 minutes)"], ["cron(0 */6 * * ? *)"]])(
    "accepts the recurring schedule %s",
    (sweepSchedule) => {
      // Prepare / Act
      const settings = settingsFrom({ ...valid, sweepSchedule });

      // Assess
      expect(settings.sweepSchedule).toBe(sweepSchedule);
    },
  );

  it("watches the home region when no regions are configured", () => {
    // Prepare / Act
    const settings = settingsFrom({ ...valid, watchedRegions: [] });

    // Assess
    expect(settings.regions).toEqual(["eu-west-1"]);
  });

  it.each([
    ["invalid JSON", "{ homeRegion: eu-west-1 }", /is not valid JSON/],
    [
      "a bad field",
      JSON.stringify({ ...valid, watchedRegions: ["nowhere"] }),
      /driftwarden\.config\.json: .*watchedRegions\.0/,
    ],
  ])("names the file for %s", (_label, content, message) => {
    // Prepare
    const path = tempFile(content);

    // Act
    const load = () => readSettings(path);

    // Assess
    expect(load).toThrow(message);
  });

  it.each([
    ["production", "driftwarden-remediator"],
    ["staging", "driftwarden-remediator-staging"],
  ])("names the remediator role for stage %s %s", (stage, name) => {
    // Prepare
    const settings = settingsFrom(valid);

    // Act
    const roleName = remediatorRoleNameFor(settings.config, stage);
    const config = deployedConfig(settings.config, {
      name: roleName,
      arn: `arn:aws:iam::111122223333:role/${roleName}`,
    });

    // Assess
    expect(roleName).toBe(name);
    expect(config.remediatorRoleArn).toBe(`arn:aws:iam::111122223333:role/${name}`);
    expect(() => settingsFrom(config)).not.toThrow();
  });
});
