import { describe, expect, it } from "vitest";
import { runDemo } from "../local/demo.js";

/** `npm start` without a terminal (CI, a pipe): the same demo with scripted decisions, and it ends. */
describe("npm start without a terminal", () => {
  it.each([
    ["approve", "fixed", 2],
    ["reject", "rejected", 1],
  ] as const)(
    "runs the whole loop with the scripted decision %s",
    async (decision, intranetOutcome, changes) => {
      // Prepare
      let output = "";

      // Act
      await runDemo({ interactive: false, print: (text) => (output += text), scriptedDecision: decision });

      // Assess: what a new user reads in the terminal
      expect(output).toContain("re-checked live state: non-compliant");
      expect(output).toContain("risk: approval - the redirect would take the site down");
      expect(output).toMatch(/Open in a browser to review and approve: http:\/\/127\.0\.0\.1:\d+\/\?id=/);
      expect(output).toContain(`scripted decision "${decision}"`);
      // Nobody is made up as the decider.
      expect(output).toMatch(
        new RegExp(
          `approval \\w+: ${decision === "approve" ? "approved" : "rejected"} by "nobody: scripted, no terminal attached" \\(demo script, unverified\\)`,
        ),
      );
      expect(output).toContain(
        "outcome: fixed, caused by arn:aws:sts::111122223333:assumed-role/Admin/alice",
      );
      expect(output).toContain(
        `outcome: ${intranetOutcome}, caused by arn:aws:iam::111122223333:user/deploy-bot`,
      );
      expect(output).toContain(
        `changes driftwarden made: ${Array(changes).fill("ModifyListener").join(", ")}`,
      );
      expect(output).toContain("no rule matched (driftwarden's own change");
    },
  );
});
