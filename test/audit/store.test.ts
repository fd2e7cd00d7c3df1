import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AuditRecord, listAudit, readAudit, writeAudit } from "../../functions/audit/store.js";
import { useDynamoEndpoint } from "../../functions/lib/aws.js";
import { auditTable, tables } from "../../functions/lib/tables.js";
import { type LocalDynamo, startLocalDynamo } from "../../local/dynamo.js";

/** The audit trail against a real DynamoDB-compatible server (dynalite), with the deployed client code. */
let dynamo: LocalDynamo;
let options: { table: string; region: string };

beforeAll(async () => {
  dynamo = await startLocalDynamo(tables, "eu-west-1");
  useDynamoEndpoint(dynamo.clientConfig);
  options = { table: dynamo.tableName(auditTable), region: "eu-west-1" };
});

afterAll(async () => {
  useDynamoEndpoint(undefined);
  await dynamo.close();
});

let sequence = 0;
function record(overrides: Partial<AuditRecord> = {}): AuditRecord {
  sequence += 1;
  return {
    executionId: `arn:aws:states:eu-west-1:111122223333:execution:driftwarden-remediation:run-${sequence}`,
    auditId: `run-${sequence}`,
    control: "alb-http-to-https-redirect",
    securityHubIds: ["ELB.1"],
    resource: "arn:aws:elasticloadbalancing:eu-west-1:111122223333:listener/app/shop/1/2",
    account: "111122223333",
    region: "eu-west-1",
    trigger: "cloudtrail",
    actor: { arn: "arn:aws:iam::111122223333:user/deploy-bot", type: "IAMUser" },
    eventId: "e-1",
    stateBefore: { defaultActions: [{ Type: "forward" }] },
    finding: "default action is forward",
    change: { made: true, calls: [{ service: "elbv2", action: "ModifyListener", input: {} }] },
    decision: { kind: "automatic" },
    outcome: "fixed",
    at: "2026-03-01T09:00:10.000Z",
    ...overrides,
  };
}

describe("audit trail", () => {
  it("keeps every field of an outcome", async () => {
    // Prepare
    const written = record();

    // Act
    await writeAudit(options, written);

    // Assess
    expect(await readAudit(options, written.executionId)).toEqual(written);
  });

  it("never writes a second record when a step is retried", async () => {
    // Prepare
    const first = record();

    // Act
    const results = [
      await writeAudit(options, first),
      await writeAudit(options, { ...first, at: "2026-03-01T09:05:00Z" }),
    ];

    // Assess
    expect(results).toEqual(["written", "exists"]);
    const all = (await listAudit(options)).filter((r) => r.executionId === first.executionId);
    expect(all).toHaveLength(1);
    expect(all[0]?.at).toBe(first.at);
  });

  it("moves a waiting record to its final outcome, once", async () => {
    // Prepare
    const waiting = record({ outcome: "awaiting-approval", decision: { kind: "pending" } });
    await writeAudit(options, waiting);

    // Act
    const final = await writeAudit(options, {
      ...waiting,
      outcome: "fixed",
      decision: { kind: "approved", by: "oncall" },
    });

    // Assess
    expect(final).toBe("written");
    expect(await readAudit(options, waiting.executionId)).toMatchObject({
      outcome: "fixed",
      decision: { kind: "approved", by: "oncall" },
    });
  });

  it("refuses to rewrite a final outcome into another one", async () => {
    // Prepare
    const fixed = record();
    await writeAudit(options, fixed);

    // Act / Assess
    await expect(writeAudit(options, { ...fixed, outcome: "failed" })).rejects.toThrow(/conditional/i);
    expect((await readAudit(options, fixed.executionId))?.outcome).toBe("fixed");
  });
});
