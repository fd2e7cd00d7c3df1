import { describe, expect, it } from "vitest";
import { cloudfrontViewerHttps as control } from "../../../functions/controls/cloudfront-viewer-https/index.js";
import { ConcurrentModificationError, FixFailedError } from "../../../functions/lib/errors.js";
import { plugged } from "../../sandbox/helpers.js";
import {
  afterEachRead,
  applyAll,
  behavior,
  changeByHand,
  context,
  distributionArn,
  liveConfig,
} from "../cloudfront/helpers.js";

/** The storefront with its default behavior and an /img/* behavior opened to plain HTTP by hand. */
async function drifted() {
  const sandbox = plugged();
  await changeByHand(sandbox, (config) => {
    if (config.DefaultCacheBehavior) config.DefaultCacheBehavior.ViewerProtocolPolicy = "allow-all";
    config.CacheBehaviors = {
      Quantity: 2,
      Items: [
        behavior("/api/*", { ViewerProtocolPolicy: "https-only" }),
        behavior("/img/*", { ViewerProtocolPolicy: "allow-all" }),
      ],
    };
  });
  const snapshot = await control.collect(context(), distributionArn);
  if (!snapshot) throw new Error("the storefront should exist");
  return { sandbox, snapshot, before: await liveConfig() };
}

describe("cloudfront-viewer-https fixer on the sandbox", () => {
  it("sets redirect-to-https on the offending behaviors only and leaves every other field as read", async () => {
    // Prepare
    const { snapshot, before } = await drifted();
    const changes = control.plan(snapshot, {});

    // Act
    const made = await applyAll(control, context(), distributionArn, changes);

    // Assess
    const after = await liveConfig();
    const expected = structuredClone(before);
    if (expected.DefaultCacheBehavior)
      expected.DefaultCacheBehavior.ViewerProtocolPolicy = "redirect-to-https";
    const img = expected.CacheBehaviors?.Items?.[1];
    if (img) img.ViewerProtocolPolicy = "redirect-to-https";
    expect(after).toEqual(expected);
    expect(made).toEqual([
      {
        ...changes[0],
        input: { ...changes[0]?.input, IfMatch: expect.stringMatching(/^E[A-Z0-9]+$/) },
      },
    ]);
    const fresh = await control.collect(context(), distributionArn);
    expect(fresh && control.detect(fresh, {}).status).toBe("compliant");
  });

  it("makes no call when the behaviors were fixed by someone meanwhile", async () => {
    // Prepare
    const { sandbox, snapshot } = await drifted();
    const changes = control.plan(snapshot, {});
    await changeByHand(sandbox, (config) => {
      if (config.DefaultCacheBehavior) config.DefaultCacheBehavior.ViewerProtocolPolicy = "https-only";
      for (const item of config.CacheBehaviors?.Items ?? []) item.ViewerProtocolPolicy = "https-only";
    });
    const writes = sandbox.mutations.length;

    // Act
    const made = await applyAll(control, context(), distributionArn, changes);

    // Assess
    expect(made).toEqual([]);
    expect(sandbox.mutations).toHaveLength(writes);
  });

  it("refuses a call that is not an UpdateDistribution of this distribution, changing nothing", async () => {
    // Prepare
    const { snapshot } = await drifted();
    const [change] = control.plan(snapshot, {});
    if (!change) throw new Error("a plan was expected");
    const other = { ...change, input: { ...change.input, Id: "E9OTHERDIST001" } };

    // Act / Assess
    await expect(control.execute(context(), distributionArn, other)).rejects.toThrow(FixFailedError);
  });

  it("gives up with ConcurrentModificationError when every write loses the ETag race", async () => {
    // Prepare
    const { sandbox, snapshot } = await drifted();
    const changes = control.plan(snapshot, {});
    const unplug = afterEachRead(async (read) => {
      await changeByHand(sandbox, (config) => {
        config.Comment = `storefront, edit ${read}`;
      });
    });

    // Act
    const attempt = applyAll(control, context(), distributionArn, changes).finally(unplug);

    // Assess
    await expect(attempt).rejects.toThrow(ConcurrentModificationError);
    expect((await liveConfig()).DefaultCacheBehavior?.ViewerProtocolPolicy).toBe("allow-all");
  });
});
