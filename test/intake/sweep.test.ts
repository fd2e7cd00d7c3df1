import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { executionName } from "../../functions/intake/start.js";
import { type SweepDeps, sweep, sweepRegions } from "../../functions/intake/sweep.js";
import { clients } from "../../functions/lib/aws.js";
import { digest } from "../../functions/lib/digest.js";
import { logger } from "../../functions/lib/observability.js";
import {
  albMetadata,
  cloudfrontMetadata,
  distributionArn,
  fakeAws,
  type Json,
  listenerArn,
  testControl,
  testResources,
  type WorldEntry,
} from "./support.js";

const clock = new Date("2026-03-02T00:00:00Z");
const irelandListener =
  "arn:aws:elasticloadbalancing:eu-west-1:111122223333:listener/app/web/1111111111111111/2222222222222222";

let aws: Awaited<ReturnType<typeof fakeAws>>;
let world: Map<string, WorldEntry>;

function deps(config: Json = {}): SweepDeps & { controls: ReturnType<typeof testControl>[] } {
  return {
    controls: [testControl(albMetadata, world), testControl(cloudfrontMetadata, world)],
    resources: testResources(config),
    clients,
    now: () => clock,
  };
}

beforeAll(() => logger.setLogLevel("SILENT"));

beforeEach(async () => {
  aws = await fakeAws();
  world = new Map<string, WorldEntry>([
    [listenerArn, { status: "non-compliant", owned: { defaultAction: "forward" } }],
    [irelandListener, { status: "compliant", owned: { defaultAction: "redirect" } }],
    [distributionArn, { status: "non-compliant", owned: { origin: "http-only" } }],
  ]);
});

afterEach(() => aws.dispose());

describe("sweepRegions", () => {
  it.each([
    { control: albMetadata, config: {}, regions: ["us-west-2"] },
    {
      control: albMetadata,
      config: { watchedRegions: ["us-west-2", "eu-west-1"] },
      regions: ["us-west-2", "eu-west-1"],
    },
    {
      control: cloudfrontMetadata,
      config: { watchedRegions: ["us-west-2", "eu-west-1"] },
      regions: ["us-east-1"],
    },
    { control: cloudfrontMetadata, config: {}, regions: ["us-east-1"] },
  ])("$control.id with $config -> $regions", ({ control, config, regions }) => {
    // Act
    const result = sweepRegions(testControl(control, world), { resources: testResources(config) });

    // Assess
    expect(result).toEqual(regions);
  });
});

describe("sweep", () => {
  it("starts a workflow for each drifted resource in every region, as trigger sweep", async () => {
    // Prepare
    const d = deps({ watchedRegions: ["us-west-2", "eu-west-1"] });

    // Act
    const results = await sweep(d);

    // Assess
    expect(results).toEqual([
      {
        eventId: null,
        status: "started",
        control: albMetadata.id,
        resource: listenerArn,
        execution: executionName(albMetadata.id, listenerArn, digest({ defaultAction: "forward" })),
      },
      {
        eventId: null,
        status: "ignored",
        reason: "compliant",
        control: albMetadata.id,
        resource: irelandListener,
        detail: `${irelandListener} is compliant`,
      },
      expect.objectContaining({
        status: "started",
        control: cloudfrontMetadata.id,
        resource: distributionArn,
      }),
    ]);
    const inputs = [...aws.executions.values()].map((e) => e.input);
    expect(inputs).toEqual([
      expect.objectContaining({
        trigger: "sweep",
        actor: null,
        eventId: null,
        eventTime: clock.toISOString(),
        region: "us-west-2",
      }),
      expect.objectContaining({ trigger: "sweep", region: "us-east-1", resource: distributionArn }),
    ]);
    expect(d.controls[0]?.seen.filter((s) => s.call === "listResources").map((s) => s.region)).toEqual([
      "us-west-2",
      "eu-west-1",
    ]);
    // The sweep has no event to mark seen.
    expect(aws.calls.some((c) => c.command === "PutItemCommand")).toBe(false);
  });

  it("joins an execution already running for the same drift", async () => {
    // Prepare
    await sweep(deps());

    // Act
    const results = await sweep(deps());

    // Assess
    expect(results.map((r) => r.status === "ignored" && r.reason)).toEqual(["duplicate", "duplicate"]);
  });

  it("goes on with the other controls and regions when listing fails", async () => {
    // Prepare
    const d = deps({ watchedRegions: ["us-west-2", "eu-west-1"] });
    const alb = d.controls[0] as ReturnType<typeof testControl>;
    const list = alb.listResources.bind(alb);
    alb.listResources = async (ctx) => {
      if (ctx.region === "us-west-2")
        throw new Error("AccessDenied: elasticloadbalancing:DescribeLoadBalancers");
      return list(ctx);
    };

    // Act
    const results = await sweep(d);

    // Assess
    expect(results).toEqual([
      {
        eventId: null,
        status: "error",
        control: albMetadata.id,
        message: "us-west-2: Error: AccessDenied: elasticloadbalancing:DescribeLoadBalancers",
      },
      expect.objectContaining({ status: "ignored", resource: irelandListener }),
      expect.objectContaining({ status: "started", resource: distributionArn }),
    ]);
  });
});
