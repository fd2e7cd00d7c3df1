import { describe, expect, it } from "vitest";
import { albWafAttached as control } from "../../../functions/controls/alb-waf-attached/index.js";
import type { Settings } from "../../../functions/controls/alb-waf-attached/metadata.js";
import type { Snapshot } from "../../../functions/controls/alb-waf-attached/snapshot.js";
import type { Change } from "../../../functions/controls/types.js";
import { controlConfig, parseConfig } from "../../../functions/lib/config.js";
import { MalformedInputError } from "../../../functions/lib/errors.js";
import {
  account,
  context,
  loadBalancer,
  loadBalancerArn,
  NLB,
  REGION,
  SHOP,
  SHOP_ACL,
  webAclArn,
} from "../elbv2/sandbox.js";

const shopAcl = { Name: "shop-rules", Id: "a1b2c3d4-5678-90ab-cdef-111111111111", ARN: SHOP_ACL };
const BASELINE = webAclArn("baseline", "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b");
const baselineAcl = { Name: "baseline", Id: "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b", ARN: BASELINE };
const US_ACL = webAclArn("baseline-us", "9f8e7d6c-5b4a-3928-1706-f5e4d3c2b1a0", "us-west-2");

const configured: Settings = { webAclArns: { [REGION]: BASELINE } };
const none: Settings = { webAclArns: {} };

async function snapshotOf(arn = SHOP): Promise<Snapshot> {
  const snapshot = await control.collect(context(), arn);
  if (!snapshot) throw new Error(`${arn} not collected`);
  return snapshot;
}

describe("detect, from what GetWebACLForResource answers", () => {
  it.each([
    {
      name: "no web ACL, one configured for the region",
      associations: [],
      settings: configured,
      status: "non-compliant",
      mentions: ["load balancer shop-prod in eu-west-1 has no WAF web ACL", "uninspected"],
      absent: ["no web ACL to attach"],
    },
    {
      name: "no web ACL, none configured for the region",
      associations: [],
      settings: none,
      status: "non-compliant",
      mentions: ["no web ACL to attach in eu-west-1", "controls.alb-waf-attached.webAclArns.eu-west-1"],
      absent: [],
    },
    {
      name: "no web ACL, one configured for another region only",
      associations: [],
      settings: { webAclArns: { "us-west-2": US_ACL } },
      status: "non-compliant",
      mentions: ["no web ACL to attach in eu-west-1"],
      absent: [],
    },
    {
      name: "protected by its own web ACL (not the configured one)",
      associations: [{ ResourceArn: SHOP, WebACLArn: SHOP_ACL }],
      settings: configured,
      status: "compliant",
      mentions: [`protected by WAF web ACL shop-rules (${SHOP_ACL})`],
      absent: [],
    },
  ])("$name -> $status", async ({ associations, settings, status, mentions, absent }) => {
    // Prepare
    account({ loadBalancers: [loadBalancer(SHOP)], webAcls: [shopAcl, baselineAcl], associations });

    // Act
    const finding = control.detect(await snapshotOf(), settings);

    // Assess
    expect(finding.status).toBe(status);
    for (const text of mentions) expect(finding.message).toContain(text);
    for (const text of absent) expect(finding.message).not.toContain(text);
  });

  it("a network load balancer is not applicable (WAF cannot protect one)", async () => {
    // Prepare
    account({ loadBalancers: [loadBalancer(NLB, "network")] });

    // Act
    const finding = control.detect(await snapshotOf(NLB), configured);

    // Assess
    expect(finding.status).toBe("not-applicable");
  });

  it("collects null for a load balancer that no longer exists", async () => {
    // Prepare
    account();

    // Act
    const snapshot = await control.collect(context(), SHOP);

    // Assess
    expect(snapshot).toBeNull();
  });
});

describe("plan and risk", () => {
  it("associates the region's configured web ACL, and always asks on-call why", async () => {
    // Prepare
    account({ loadBalancers: [loadBalancer(SHOP)], webAcls: [baselineAcl] });
    const snapshot = await snapshotOf();

    // Act
    const changes = control.plan(snapshot, configured);
    const risks = await control.assessRisk(snapshot, changes, context(), configured);

    // Assess
    expect(changes).toEqual([
      { service: "wafv2", action: "AssociateWebACL", input: { WebACLArn: BASELINE, ResourceArn: SHOP } },
    ]);
    expect(risks).toHaveLength(1);
    expect(risks[0]?.level).toBe("approval");
    expect(risks[0]?.reasons[0]).toMatch(/^a WAF can block legitimate traffic: .*shop-prod.*403 Forbidden/);
  });

  it.each([
    { name: "no web ACL configured for the region", settings: none },
    { name: "only another region's web ACL configured", settings: { webAclArns: { "us-west-2": US_ACL } } },
  ])("plans nothing with $name (the drift is reported)", async ({ settings }) => {
    // Prepare
    account({ loadBalancers: [loadBalancer(SHOP)] });

    // Act
    const changes = control.plan(await snapshotOf(), settings);

    // Assess
    expect(changes).toEqual([]);
  });
});

describe("execute", () => {
  it("associates the web ACL through WAF, verified by re-reading", async () => {
    // Prepare
    const sandbox = account({ loadBalancers: [loadBalancer(SHOP)], webAcls: [baselineAcl] });
    const before = await snapshotOf();
    const [change] = control.plan(before, configured) as [Change];

    // Act
    const made = await control.execute(context(), SHOP, change);

    // Assess
    const after = await snapshotOf();
    expect(made).toEqual(change);
    expect(sandbox.mutations).toMatchObject([
      { service: "wafv2", action: "AssociateWebACL", input: change.input },
    ]);
    expect(control.detect(after, configured).status).toBe("compliant");
    expect(control.inEffect(after, change)).toBe(true);
    expect(control.inEffect(before, change)).toBe(false);
  });

  it.each([
    {
      name: "another load balancer",
      input: { WebACLArn: BASELINE, ResourceArn: loadBalancerArn("other", "1111222233334444") },
    },
    { name: "an extra field", input: { WebACLArn: BASELINE, ResourceArn: SHOP, LockToken: "x" } },
  ])("refuses an association of $name, changing nothing", async ({ input }) => {
    // Prepare
    const sandbox = account({ loadBalancers: [loadBalancer(SHOP)], webAcls: [baselineAcl] });

    // Act
    const made = control.execute(context(), SHOP, { service: "wafv2", action: "AssociateWebACL", input });

    // Assess
    await expect(made).rejects.toBeInstanceOf(MalformedInputError);
    expect(sandbox.mutations).toEqual([]);
  });

  it("fails with WAF's own error when the configured web ACL does not exist, changing nothing", async () => {
    // Prepare
    const sandbox = account({ loadBalancers: [loadBalancer(SHOP)] });
    const [change] = control.plan(await snapshotOf(), configured) as [Change];

    // Act
    const made = control.execute(context(), SHOP, change);

    // Assess
    await expect(made).rejects.toMatchObject({ name: "WAFNonexistentItemException" });
    expect(sandbox.mutations).toEqual([]);
  });
});

describe("settings", () => {
  it("takes one REGIONAL web ACL per region", () => {
    // Act
    const { settings } = controlConfig(
      parseConfig({
        controls: { "alb-waf-attached": { webAclArns: { [REGION]: BASELINE, "us-west-2": US_ACL } } },
      }),
      "alb-waf-attached",
    );

    // Assess
    expect(settings).toEqual({ webAclArns: { [REGION]: BASELINE, "us-west-2": US_ACL } });
  });

  it.each([
    { name: "a web ACL of another region", arns: { [REGION]: US_ACL }, says: "names a web ACL of us-west-2" },
    {
      name: "a CLOUDFRONT (global) web ACL",
      arns: {
        "us-east-1":
          "arn:aws:wafv2:us-east-1:111122223333:global/webacl/edge/1a2b3c4d-5678-90ab-cdef-222222222222",
      },
      says: "must be the ARN of a REGIONAL WAFv2 web ACL",
    },
    {
      name: "a region that does not exist",
      arns: { "eu-middle-9": BASELINE },
      says: '"eu-middle-9" is not an AWS region',
    },
  ])("refuses $name, naming the field", ({ arns, says }) => {
    // Act
    const parse = () => parseConfig({ controls: { "alb-waf-attached": { webAclArns: arns } } });

    // Assess
    expect(parse).toThrow(/controls\.alb-waf-attached\.webAclArns/);
    expect(parse).toThrow(says);
  });
});
