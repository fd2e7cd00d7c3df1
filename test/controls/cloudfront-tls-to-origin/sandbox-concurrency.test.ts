import { describe, expect, it } from "vitest";
import { plan } from "../../../functions/controls/cloudfront-tls-to-origin/planner.js";
import { collect } from "../../../functions/controls/cloudfront-tls-to-origin/snapshot.js";
import { clients, useClientPlugin } from "../../../functions/lib/aws.js";
import { iamUser } from "../../../local/sandbox/identity.js";
import { DISTRIBUTION, plugged } from "../../sandbox/helpers.js";
import { applyAll as apply } from "./helpers.js";

/**
 * The fixer against the sandbox CloudFront (ETag / IfMatch as AWS enforces it):
 * a colleague's edit lands between the fixer's read and its write. The stale
 * write is refused with PreconditionFailed; the fixer re-reads, re-plans and
 * both edits survive.
 */
const arn = `arn:aws:cloudfront::111122223333:distribution/${DISTRIBUTION}`;

describe("cloudfront-tls-to-origin fixer on the sandbox", () => {
  it("keeps a concurrent edit made between its read and its write", async () => {
    // Prepare: the origin was downgraded to http-only by hand
    const sandbox = plugged();
    const dave = iamUser("111122223333", "dave");
    const current = (await sandbox.call(
      "cloudfront",
      "GetDistributionConfig",
      { Id: DISTRIBUTION },
      dave,
    )) as {
      ETag: string;
      DistributionConfig: {
        Comment: string;
        Origins: { Items: { CustomOriginConfig: Record<string, unknown> }[] };
      };
    };
    const downgraded = structuredClone(current.DistributionConfig);
    const origin = downgraded.Origins.Items[0];
    if (origin) origin.CustomOriginConfig.OriginProtocolPolicy = "http-only";
    await sandbox.call(
      "cloudfront",
      "UpdateDistribution",
      { Id: DISTRIBUTION, IfMatch: current.ETag, DistributionConfig: downgraded },
      dave,
    );
    const ctx = { account: "111122223333", region: "us-east-1", clients, now: () => sandbox.clock.now() };
    const snapshot = await collect(ctx, arn);
    if (!snapshot) throw new Error("the distribution should exist");
    const fix = plan(snapshot);

    // A colleague renames the distribution right after the fixer's first read.
    let interleaved = false;
    let reads = 0;
    const unplug = useClientPlugin({
      plugin: () => ({
        applyToStack: (stack) => {
          stack.add(
            (next, context) => async (args) => {
              const result = await next(args);
              if (context.commandName === "GetDistributionConfigCommand") reads += 1;
              if (context.commandName === "GetDistributionConfigCommand" && !interleaved) {
                interleaved = true;
                const read = result.output as { ETag: string; DistributionConfig: Record<string, unknown> };
                await sandbox.call(
                  "cloudfront",
                  "UpdateDistribution",
                  {
                    Id: DISTRIBUTION,
                    IfMatch: read.ETag,
                    DistributionConfig: {
                      ...structuredClone(read.DistributionConfig),
                      Comment: "storefront (eu launch)",
                    },
                  },
                  dave,
                );
              }
              return result;
            },
            { step: "initialize", priority: "high", name: "interleaveColleaguesEdit" },
          );
        },
      }),
    });

    // Act
    const calls = await apply(ctx, arn, fix).finally(unplug);

    // Assess
    expect(interleaved).toBe(true);
    // The stale write was refused (PreconditionFailed), so the fixer read again before writing.
    expect(reads).toBe(2);
    const updates = sandbox.mutations.filter((m) => m.action === "UpdateDistribution");
    expect(updates).toHaveLength(3); // the downgrade, the colleague's edit, the fix on the fresh ETag
    expect(calls).toHaveLength(1);
    const after = (await sandbox.call(
      "cloudfront",
      "GetDistributionConfig",
      { Id: DISTRIBUTION },
      dave,
    )) as typeof current;
    expect(after.DistributionConfig.Comment).toBe("storefront (eu launch)");
    expect(after.DistributionConfig.Origins.Items[0]?.CustomOriginConfig.OriginProtocolPolicy).toBe(
      "https-only",
    );
  });
});
