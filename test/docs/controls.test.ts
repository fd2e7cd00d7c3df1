import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cloudTrailTriggers } from "../../functions/controls/cloud-trail.js";
import { controls } from "../../functions/controls/registry.js";
import { root } from "../cli/run.js";

/**
 * Every control in the registry has its page, docs/controls/<id>.md, linked
 * from the README's controls table. The page is written by hand, so this
 * checks what must never be missing or stale: the Security Hub ids and every
 * IAM action of the control's metadata, and each section a reader looks for.
 * A new control fails here until its page exists.
 */
const readme = readFileSync(join(root, "README.md"), "utf8");
const sections = [
  "## What it checks",
  "## The fix",
  "## Risk: when it asks on-call",
  "## Settings",
  "## IAM it needs",
  "## Fix at the source",
  "### CloudFormation",
  "### Terraform",
  "### AWS CDK",
  "### Elastic Beanstalk",
];

describe.each(controls.map((control) => [control.metadata.id, control.metadata] as const))(
  "the page of %s",
  (id, metadata) => {
    const path = join(root, "docs", "controls", `${id}.md`);
    const page = existsSync(path) ? readFileSync(path, "utf8") : "";

    it("exists and is linked from the README's controls table", () => {
      // Assess
      expect(existsSync(path), `docs/controls/${id}.md`).toBe(true);
      expect(readme).toContain(`[\`${id}\`](docs/controls/${id}.md)`);
    });

    it("names its Security Hub ids and every IAM action it needs", () => {
      // Prepare
      const required = [...metadata.securityHubIds, ...metadata.readActions, ...metadata.fixActions];

      // Act
      const missing = required.filter((text) => !page.includes(text));

      // Assess
      expect(missing).toEqual([]);
    });

    it("has every section, the fix at the source for each tool among them", () => {
      // Act
      const missing = sections.filter((heading) => !new RegExp(`^${heading}\\b`, "m").test(page));

      // Assess
      expect(missing).toEqual([]);
      expect(page.startsWith(`# ${id}: ${metadata.title}\n`)).toBe(true);
    });

    it("names every event that triggers it, of every service, and the Config rules and types it listens to", () => {
      // Prepare
      const triggers = [
        ...cloudTrailTriggers(metadata).flatMap((trail) => trail.eventNames),
        ...metadata.triggers.config.resourceTypes,
        ...metadata.triggers.config.managedRules,
      ];

      // Act
      const missing = triggers.filter((name) => !page.includes(name));

      // Assess
      expect(missing).toEqual([]);
    });
  },
);
