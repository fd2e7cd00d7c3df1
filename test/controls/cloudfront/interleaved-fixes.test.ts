import { describe, expect, it } from "vitest";
import { cloudfrontViewerHttps } from "../../../functions/controls/cloudfront-viewer-https/index.js";
import { cloudfrontWafAttached } from "../../../functions/controls/cloudfront-waf-attached/index.js";
import type { AnyControl } from "../../../functions/controls/types.js";
import { cloudFrontState, plugged } from "../../sandbox/helpers.js";
import {
  afterEachRead,
  applyAll,
  changeByHand,
  context,
  distributionArn,
  globalWebAcl,
  liveConfig,
} from "./helpers.js";

/**
 * Two controls fix the same distribution at the same time, on the sandbox
 * (ETag / IfMatch as CloudFront enforces it): the second fix runs completely
 * between the first one's read and its write. The first write is refused
 * (PreconditionFailed), re-reads, and both fixes are live: neither control
 * undoes the other.
 */
const settings: Record<string, Record<string, unknown>> = {
  "cloudfront-viewer-https": {},
  "cloudfront-waf-attached": { webAclArn: globalWebAcl },
};

async function driftedStorefront() {
  const sandbox = plugged({
    state: cloudFrontState(
      {},
      {
        wafv2: {
          webAcls: [{ Name: "shop-prod", Id: "0d1e2f3a-4b5c-6d7e-8f90-a1b2c3d4e5f6", ARN: globalWebAcl }],
        },
      },
    ),
  });
  await changeByHand(sandbox, (config) => {
    if (config.DefaultCacheBehavior) config.DefaultCacheBehavior.ViewerProtocolPolicy = "allow-all";
    config.WebACLId = "";
  });
  return sandbox;
}

async function planOf(control: AnyControl) {
  const snapshot = await control.collect(context(), distributionArn);
  if (!snapshot) throw new Error("the storefront should exist");
  return control.plan(snapshot, settings[control.metadata.id] ?? {});
}

describe("two CloudFront controls fixing one distribution at once", () => {
  it.each([
    { first: cloudfrontViewerHttps, second: cloudfrontWafAttached },
    { first: cloudfrontWafAttached, second: cloudfrontViewerHttps },
  ])(
    "$second.metadata.id lands between $first.metadata.id's read and write, and both fixes stay",
    async ({ first, second }) => {
      // Prepare
      const sandbox = await driftedStorefront();
      const firstPlan = await planOf(first);
      const secondPlan = await planOf(second);
      let secondMade: unknown[] = [];
      let reads = 0;
      const unplug = afterEachRead(async () => {
        secondMade = await applyAll(second, context(), distributionArn, secondPlan);
      }, 1);
      const countReads = afterEachRead(async () => {
        reads += 1;
      });

      // Act
      const firstMade = await applyAll(first, context(), distributionArn, firstPlan).finally(() => {
        unplug();
        countReads();
      });

      // Assess
      expect(firstMade).toHaveLength(1);
      expect(secondMade).toHaveLength(1);
      // The first fixer read twice: its first write was refused for the stale ETag.
      expect(reads).toBe(3);
      const writes = sandbox.mutations.filter((mutation) => mutation.action === "UpdateDistribution");
      expect(writes).toHaveLength(3); // the drift by hand, the second fix, the first fix on the fresh ETag
      const live = await liveConfig();
      expect(live.DefaultCacheBehavior?.ViewerProtocolPolicy).toBe("redirect-to-https");
      expect(live.WebACLId).toBe(globalWebAcl);
    },
  );
});
