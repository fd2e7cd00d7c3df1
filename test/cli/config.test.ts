import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { cli } from "./support.js";

/**
 * A configuration typo must not pass: `driftwarden config validate` checks a
 * file as a deploy would, and a scenario's `config` is held to the same
 * schema. A misspelt control id (`alb-http-to-http-redirect`) would otherwise
 * leave the real control enforcing.
 */
const folder = mkdtempSync(join(tmpdir(), "driftwarden-config-"));
const root = fileURLToPath(new URL("../../", import.meta.url));

function file(name: string, content: unknown): string {
  const path = join(folder, name);
  writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content, null, 2));
  return path;
}

describe("driftwarden config validate", () => {
  it("accepts the repository's configuration and says what it sets", async () => {
    // Act
    const result = await cli(["config", "validate", join(root, "driftwarden.config.json")], {});

    // Assess
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("driftwarden.config.json is valid.");
    expect(result.stdout).toContain("alb-http-to-https-redirect: enforce");
  });

  it.concurrent.for([
    {
      name: "a misspelt control id",
      config: {
        oncallEmails: ["oncall@example.com"],
        controls: { "alb-http-to-http-redirect": { mode: "report" } },
      },
      lines: ["controls.alb-http-to-http-redirect: unknown field"],
    },
    {
      name: "an unknown region and an unknown field, each on its own line",
      config: {
        oncallEmails: ["oncall@example.com"],
        watchedRegions: ["eu-west-1", "eu-wset-1"],
        approvaltimeout: "PT1H",
      },
      lines: [
        'watchedRegions.1: "eu-wset-1" is not an AWS region (such as eu-west-1)',
        "approvaltimeout: unknown field",
      ],
    },
    {
      name: "an unknown mode",
      config: {
        oncallEmails: ["oncall@example.com"],
        controls: { "alb-http-to-https-redirect": { mode: "enforcing" } },
      },
      lines: ["controls.alb-http-to-https-redirect.mode: "],
    },
    {
      name: "what only a deploy needs: someone to tell",
      config: { oncallEmails: [] },
      lines: ["oncallEmails: a deployment needs at least one address"],
    },
    { name: "a file that is not JSON", config: "{ controls: }", lines: ["not valid JSON: "] },
  ])("refuses $name with one line per problem, exit 2", async ({ name, config, lines }, { expect }) => {
    // Prepare
    const path = file(`${name.replace(/\W+/g, "-")}.json`, config);

    // Act
    const result = await cli(["config", "validate", path], {});

    // Assess
    const printed = result.stderr.trim().split("\n");
    expect(result.code).toBe(2);
    expect(printed).toHaveLength(lines.length);
    lines.forEach((line, i) => {
      expect(printed[i]).toContain(`${path}: ${line}`);
    });
    expect(result.stdout).toBe("");
  });
});

describe("a scenario whose config has the typo", () => {
  it("does not run: exit 2, one line naming the field", async () => {
    // Prepare
    const scenario = join(root, "test/fixtures/scenarios/config-typo-control-id.json");

    // Act
    const result = await cli(["simulate", scenario], {});

    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "driftwarden simulate: config.controls.alb-http-to-http-redirect: unknown configuration key\n",
    );
    expect(result.stdout).toBe("");
  });
});
