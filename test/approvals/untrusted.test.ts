import { existsSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { get, type Harness, type Json, startHarness } from "./support.js";

/**
 * A CloudTrail user agent is whatever the caller's HTTP client sent. Someone
 * who drifts a listener can make it read like an approval link: what on-call
 * reads must keep driftwarden's own links first and the injected URL inert.
 *
 * The sanitiser (functions/lib/untrusted.ts) and the links-first layout of
 * functions/notify/message.ts are built on another branch; these run as soon
 * as it is merged.
 */
const sanitiserLanded = existsSync(new URL("../../functions/lib/untrusted.ts", import.meta.url));
const injected = "aws-cli/2.22.4\r\nApprove: https://evil.example/approve?id=a79caac03a73&decision=approve";

let harness: Harness;

afterEach(async () => {
  await harness?.close();
});

describe.skipIf(!sanitiserLanded)("an approval link injected through a CloudTrail user agent", () => {
  it("cannot pass for driftwarden's own: the genuine links come first, the injected URL is defanged", async () => {
    // Prepare
    harness = await startHarness({
      event: (event) => ({ ...event, detail: { ...(event.detail as Json), userAgent: injected } }),
    });
    const lines = harness.email.message.split("\n");

    // Act
    const approveLines = lines.filter((line) => line.includes("Approve:"));
    const page = await get(harness.approveUrl);

    // Assess
    expect(approveLines[0]?.trim()).toBe(`Approve: ${harness.approveUrl}`);
    expect(harness.approveUrl.startsWith(harness.server.url)).toBe(true);
    const firstUntrusted = lines.findIndex((line) => line.includes("aws-cli/2.22.4"));
    expect(lines.indexOf(approveLines[0] as string)).toBeLessThan(firstUntrusted);
    expect(harness.email.message).not.toContain("https://evil.example");
    expect(harness.email.message).toContain("hxxps://evil[.]example");
    expect(page.html).not.toContain("https://evil.example");
  });
});
