import { DescribeLoadBalancerAttributesCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { describe, expect, it } from "vitest";
import { albDeletionProtection } from "../../../functions/controls/alb-deletion-protection/index.js";
import { albDropInvalidHeaders } from "../../../functions/controls/alb-drop-invalid-headers/index.js";
import type { AttributeSnapshot } from "../../../functions/controls/elbv2/attribute-control.js";
import type { Change, Control } from "../../../functions/controls/types.js";
import { clients } from "../../../functions/lib/aws.js";
import { MalformedInputError } from "../../../functions/lib/errors.js";
import { account, context, loadBalancer, loadBalancerArn, NLB, REGION, SHOP } from "./sandbox.js";

type AttributeControl = Control<AttributeSnapshot, Record<string, never>>;

const HEADERS = "routing.http.drop_invalid_header_fields.enabled";
const PROTECTION = "deletion_protection.enabled";
const GWLB = loadBalancerArn("inspection", "7e6d5c4b3a291807", "gwy");

const controls: [string, AttributeControl, string][] = [
  ["alb-drop-invalid-headers", albDropInvalidHeaders, HEADERS],
  ["alb-deletion-protection", albDeletionProtection, PROTECTION],
];

async function liveAttributes(arn: string): Promise<Record<string, string>> {
  const out = await clients
    .elbv2(REGION)
    .send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: arn }));
  return Object.fromEntries((out.Attributes ?? []).map((a) => [a.Key, a.Value]));
}

describe("detect, from what DescribeLoadBalancerAttributes answers", () => {
  it.each([
    {
      control: albDropInvalidHeaders,
      name: "a new ALB (AWS's default: false)",
      stored: [],
      status: "non-compliant",
      mentions: [`has ${HEADERS} "false"`, "underscores", "reaches the targets without those headers"],
    },
    {
      control: albDropInvalidHeaders,
      name: "an ALB that drops them",
      stored: [{ Key: HEADERS, Value: "true" }],
      status: "compliant",
      mentions: [`has ${HEADERS} "true"`],
    },
    {
      control: albDropInvalidHeaders,
      name: "an ALB protected from deletion but not dropping headers",
      stored: [{ Key: PROTECTION, Value: "true" }],
      status: "non-compliant",
      mentions: [`${HEADERS} "false"`],
    },
    {
      control: albDeletionProtection,
      name: "a new ALB (AWS's default: false)",
      stored: [],
      status: "non-compliant",
      mentions: [
        `has ${PROTECTION} "false"`,
        "refuses every DeleteLoadBalancer",
        "CloudFormation, Terraform",
      ],
    },
    {
      control: albDeletionProtection,
      name: "a protected ALB",
      stored: [{ Key: PROTECTION, Value: "true" }],
      status: "compliant",
      mentions: ["DeleteLoadBalancer is refused until someone turns it off"],
    },
    {
      control: albDeletionProtection,
      name: "an ALB dropping headers but unprotected",
      stored: [{ Key: HEADERS, Value: "true" }],
      status: "non-compliant",
      mentions: [`${PROTECTION} "false"`],
    },
  ])("$control.metadata.id: $name -> $status", async ({ control, stored, status, mentions }) => {
    // Prepare
    account({
      loadBalancers: [loadBalancer(SHOP)],
      attributes: [{ LoadBalancerArn: SHOP, Attributes: stored }],
    });
    const snapshot = await control.collect(context(), SHOP);
    if (!snapshot) throw new Error("load balancer not collected");

    // Act
    const finding = control.detect(snapshot, {});

    // Assess
    expect(finding.status).toBe(status);
    for (const text of ["shop-prod", ...mentions]) expect(finding.message).toContain(text);
  });

  it.each([
    ...controls.map(([id, control]) => ({ id, control, arn: NLB, type: "network" })),
    ...controls.map(([id, control]) => ({ id, control, arn: GWLB, type: "gateway" })),
  ])("$id: a $type load balancer is not applicable", async ({ control, arn, type }) => {
    // Prepare
    account({ loadBalancers: [loadBalancer(arn, type)] });
    const snapshot = await control.collect(context(), arn);
    if (!snapshot) throw new Error("load balancer not collected");

    // Act
    const finding = control.detect(snapshot, {});

    // Assess
    expect(finding).toMatchObject({ status: "not-applicable" });
    expect(finding.message).toContain(`is a ${type}, not an application load balancer`);
  });
});

describe.each(controls)("%s", (_id, control, key) => {
  it("collects null for a load balancer that no longer exists", async () => {
    // Prepare
    account();

    // Act
    const snapshot = await control.collect(context(), SHOP);

    // Assess
    expect(snapshot).toBeNull();
  });

  it("plans one ModifyLoadBalancerAttributes with its own key only, automatic", async () => {
    // Prepare
    account({ loadBalancers: [loadBalancer(SHOP)] });
    const snapshot = (await control.collect(context(), SHOP)) as AttributeSnapshot;

    // Act
    const changes = control.plan(snapshot, {});
    const risks = await control.assessRisk(snapshot, changes, context(), {});

    // Assess
    expect(changes).toEqual([
      {
        service: "elbv2",
        action: "ModifyLoadBalancerAttributes",
        input: { LoadBalancerArn: SHOP, Attributes: [{ Key: key, Value: "true" }] },
      },
    ]);
    expect(risks).toEqual([{ level: "automatic", reasons: [] }]);
  });

  it("turns its key on and leaves every other attribute as it was", async () => {
    // Prepare
    const sandbox = account({
      loadBalancers: [loadBalancer(SHOP)],
      attributes: [
        {
          LoadBalancerArn: SHOP,
          Attributes: [
            { Key: "idle_timeout.timeout_seconds", Value: "120" },
            { Key: "routing.http.desync_mitigation_mode", Value: "strictest" },
          ],
        },
      ],
    });
    const before = await liveAttributes(SHOP);
    const snapshot = (await control.collect(context(), SHOP)) as AttributeSnapshot;
    const [change] = control.plan(snapshot, {}) as [Change];

    // Act
    const made = await control.execute(context(), SHOP, change);

    // Assess
    const after = await liveAttributes(SHOP);
    expect(made).toEqual(change);
    expect(after).toEqual({ ...before, [key]: "true" });
    expect(sandbox.mutations.map((m) => m.input)).toEqual([change.input]);
    const fresh = (await control.collect(context(), SHOP)) as AttributeSnapshot;
    expect(control.detect(fresh, {}).status).toBe("compliant");
    expect(control.inEffect(fresh, change)).toBe(true);
    expect(control.inEffect(snapshot, change)).toBe(false);
  });

  it.each([
    {
      name: "a second key",
      input: {
        LoadBalancerArn: SHOP,
        Attributes: [
          { Key: key, Value: "true" },
          { Key: "idle_timeout.timeout_seconds", Value: "4000" },
        ],
      },
    },
    {
      name: "another control's key",
      input: { LoadBalancerArn: SHOP, Attributes: [{ Key: "waf.fail_open.enabled", Value: "true" }] },
    },
    {
      name: "another load balancer",
      input: {
        LoadBalancerArn: loadBalancerArn("other", "1111222233334444"),
        Attributes: [{ Key: key, Value: "true" }],
      },
    },
  ])("refuses to make a call with $name, changing nothing", async ({ input }) => {
    // Prepare
    const sandbox = account({ loadBalancers: [loadBalancer(SHOP)] });
    const change: Change = { service: "elbv2", action: "ModifyLoadBalancerAttributes", input };

    // Act
    const made = control.execute(context(), SHOP, change);

    // Assess
    await expect(made).rejects.toBeInstanceOf(MalformedInputError);
    expect(sandbox.mutations).toEqual([]);
  });

  it("sweeps application load balancers only", async () => {
    // Prepare
    const other = loadBalancerArn("blog", "9c8d7e6f5a4b3c2d");
    account({
      loadBalancers: [
        loadBalancer(SHOP),
        loadBalancer(NLB, "network"),
        loadBalancer(other),
        loadBalancer(GWLB, "gateway"),
      ],
    });

    // Act
    const resources = await control.listResources(context());

    // Assess
    expect(resources).toEqual([SHOP, other]);
  });

  it("reads the load balancer's tags for scope, exemptions and ownership", async () => {
    // Prepare
    account({
      loadBalancers: [loadBalancer(SHOP)],
      tags: [{ ResourceArn: SHOP, Tags: [{ Key: "Environment", Value: "production" }] }],
    });

    // Act
    const snapshot = (await control.collect(context(), SHOP)) as AttributeSnapshot;

    // Assess
    expect(control.tags(snapshot)).toEqual({ Environment: "production" });
  });
});

describe("two attribute controls on one load balancer", () => {
  it("each fix keeps the other's: neither undoes the other, in either order", async () => {
    // Prepare
    account({ loadBalancers: [loadBalancer(SHOP)] });
    const plans = await Promise.all(
      controls.map(async ([, control]) => {
        const snapshot = (await control.collect(context(), SHOP)) as AttributeSnapshot;
        return { control, change: control.plan(snapshot, {})[0] as Change };
      }),
    );

    // Act: both plans were made from the same old read, then applied one after the other
    for (const { control, change } of plans) await control.execute(context(), SHOP, change);

    // Assess
    const after = await liveAttributes(SHOP);
    expect(after[HEADERS]).toBe("true");
    expect(after[PROTECTION]).toBe("true");
    for (const [, control] of controls) {
      const fresh = (await control.collect(context(), SHOP)) as AttributeSnapshot;
      expect(control.detect(fresh, {}).status).toBe("compliant");
    }
  });
});
