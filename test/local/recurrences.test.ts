import { afterEach, describe, expect, it } from "vitest";
import { parseConfig } from "../../functions/lib/config.js";
import { demoAccount, demoState, forwardTo, shop } from "../../local/demo-account.js";
import { LocalRuntime } from "../../local/runtime.js";
import { assumedRole } from "../../local/sandbox/identity.js";

/**
 * A drift that keeps coming back (a deploy script that restores the forward
 * every few hours) is handled every time, through the deployed pipeline on the
 * local runtime: each recurrence gets its own execution, far past the 50 the
 * old name walk gave up at.
 */
let runtime: LocalRuntime | undefined;

afterEach(async () => {
  await runtime?.close();
  runtime = undefined;
});

const deployScript = assumedRole(`arn:aws:iam::${demoAccount.account}:role/deploy`, "nightly", {
  sourceIp: "203.0.113.24",
  userAgent: "aws-cli/2.22.4",
});

describe("a drift that recurs", () => {
  it("is fixed every time, more than 60 times, each in an execution of its own", async () => {
    // Prepare
    runtime = await LocalRuntime.start({
      ...demoAccount,
      config: parseConfig({ homeRegion: demoAccount.region }),
      state: structuredClone(demoState) as never,
    });
    const recurrences = 62;

    // Act: each time outside the flapping window, so nothing is suspended
    for (let i = 0; i < recurrences; i++) {
      await runtime.change(
        "elbv2",
        "ModifyListener",
        { ListenerArn: shop.httpListener, DefaultActions: forwardTo(shop.targetGroup) },
        deployScript,
      );
      await runtime.advance("PT2H");
    }

    // Assess
    const report = await runtime.report("recurrences");
    expect(report.executions.map((e) => e.outcome)).toEqual(Array(recurrences).fill("fixed"));
    expect(new Set(report.executions.map((e) => e.id)).size).toBe(recurrences);
    expect(report.calls.filter((c) => c.action === "ModifyListener")).toHaveLength(recurrences);
    expect(report.errors).toEqual([]);
  }, 120_000);
});
