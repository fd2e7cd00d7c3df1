import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clients, useDynamoEndpoint } from "../../functions/lib/aws.js";
import { parseConfig } from "../../functions/lib/config.js";
import { fixHistoryTable, tables } from "../../functions/lib/tables.js";
import {
  recentFixes,
  recordFix,
  recordResume,
  removeResume,
  suspendedResources,
} from "../../functions/workflow/history.js";
import { type LocalDynamo, startLocalDynamo } from "../../local/dynamo.js";

/** Flapping protection counts fixes: each fixed execution once, however its audit step was retried. */
let dynamo: LocalDynamo;
let deps: Parameters<typeof recordFix>[0];
const config = parseConfig({ flapping: { maxFixes: 3, window: "PT1H" } });
const at = new Date("2026-03-01T09:00:00.000Z");
let resourceCount = 0;

beforeAll(async () => {
  dynamo = await startLocalDynamo(tables, "eu-west-1");
  useDynamoEndpoint(dynamo.clientConfig);
  deps = { clients, table: dynamo.tableName(fixHistoryTable), region: "eu-west-1" };
});

afterAll(async () => {
  useDynamoEndpoint(undefined);
  await dynamo.close();
});

function target() {
  resourceCount += 1;
  return {
    control: "alb-http-to-https-redirect",
    resource: `arn:aws:elasticloadbalancing:eu-west-1:111122223333:listener/app/web/1/${resourceCount}`,
  };
}

describe("fix history", () => {
  it.each([
    ["a retried audit step of one execution", ["run-1", "run-1", "run-1"], 1],
    ["two fixes in the same instant", ["run-1", "run-2"], 2],
    ["three fixes in the same instant", ["run-1", "run-2", "run-3"], 3],
  ])("counts %s as %i", async (_label, executions, count) => {
    // Prepare
    const resource = target();

    // Act
    for (const execution of executions) {
      await recordFix(
        deps,
        { ...resource, execution, actor: "arn:aws:iam::111122223333:user/eb" },
        config,
        at,
      );
    }
    const fixes = await recentFixes(deps, resource, config, at);

    // Assess
    expect(fixes).toHaveLength(count);
    expect(fixes.every((fix) => fix.at === at.toISOString())).toBe(true);
  });

  it("forgets fixes older than the window", async () => {
    // Prepare
    const resource = target();
    await recordFix(
      deps,
      { ...resource, execution: "old", actor: null },
      config,
      new Date("2026-03-01T07:59:00Z"),
    );
    await recordFix(
      deps,
      { ...resource, execution: "recent", actor: null },
      config,
      new Date("2026-03-01T08:30:00Z"),
    );

    // Act
    const fixes = await recentFixes(deps, resource, config, at);

    // Assess
    expect(fixes.map((fix) => fix.execution)).toEqual(["recent"]);
  });
});

describe("suspension and resume", () => {
  const minutes = (n: number) => new Date(at.getTime() + n * 60_000);
  const fix = (resource: ReturnType<typeof target>, execution: string, when: Date) =>
    recordFix(deps, { ...resource, execution, actor: "arn:aws:iam::111122223333:user/eb" }, config, when);

  it.each([
    { name: "no resume", resumeAt: null, counted: ["a", "b", "c"], suspended: true },
    { name: "a resume after the third fix", resumeAt: 25, counted: [], suspended: false },
    { name: "a resume between the second and third fix", resumeAt: 15, counted: ["c"], suspended: false },
  ])("with $name, the fixes that count are $counted", async ({ resumeAt, counted, suspended }) => {
    // Prepare
    const resource = target();
    await fix(resource, "a", minutes(0));
    await fix(resource, "b", minutes(10));
    await fix(resource, "c", minutes(20));
    if (resumeAt !== null)
      await recordResume(
        deps,
        { ...resource, by: "arn:aws:iam::111122223333:user/dana" },
        config,
        minutes(resumeAt),
      );

    // Act
    const fixes = await recentFixes(deps, resource, config, minutes(30));
    const all = await suspendedResources(deps, config, minutes(30));

    // Assess
    expect(fixes.map((f) => f.execution)).toEqual(counted);
    expect(all.some((s) => s.resource === resource.resource)).toBe(suspended);
  });

  it("suspends again after maxFixes more fixes following a resume, naming who reverted", async () => {
    // Prepare
    const resource = target();
    for (const [i, execution] of ["a", "b", "c"].entries()) await fix(resource, execution, minutes(i));
    await recordResume(deps, { ...resource, by: "arn:aws:iam::111122223333:user/dana" }, config, minutes(5));
    for (const [i, execution] of ["d", "e", "f"].entries()) await fix(resource, execution, minutes(10 + i));

    // Act
    const suspension = (await suspendedResources(deps, config, minutes(20))).find(
      (s) => s.resource === resource.resource,
    );

    // Assess
    expect(suspension?.fixes.map((f) => f.execution)).toEqual(["d", "e", "f"]);
    expect(suspension?.changedBy).toEqual(["arn:aws:iam::111122223333:user/eb"]);
  });

  it("a removed resume marker (its audit failed) leaves the suspension in force", async () => {
    // Prepare
    const resource = target();
    for (const [i, execution] of ["a", "b", "c"].entries()) await fix(resource, execution, minutes(i));
    const marker = await recordResume(
      deps,
      { ...resource, by: "arn:aws:iam::111122223333:user/dana" },
      config,
      minutes(5),
    );

    // Act
    await removeResume(deps, marker);

    // Assess
    expect(await recentFixes(deps, resource, config, minutes(10))).toHaveLength(3);
  });
});
