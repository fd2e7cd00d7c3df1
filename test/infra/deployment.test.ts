import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  approvalsTable,
  auditTable,
  eventsTable,
  exemptionsTable,
  fixHistoryTable,
  outboxTable,
  tables,
} from "../../functions/lib/tables.js";
import { outcomes } from "../../functions/workflow/types.js";
import { deadLetterQueuePolicy, emailSubscriptionName, urgentFilterPolicy } from "../../infra/alerts.js";
import {
  approvalEndpointFunction,
  type FunctionSpec,
  functionLinks,
  intakeFunction,
  linkNames,
  reminderFunction,
  stepFunctions,
  sweepFunction,
} from "../../infra/handlers.js";
import { dynamoArgs } from "../../infra/tables.js";

const root = join(import.meta.dirname, "..", "..");
const specs: FunctionSpec[] = [
  intakeFunction,
  sweepFunction,
  approvalEndpointFunction,
  reminderFunction,
  ...Object.values(stepFunctions),
];

describe("deployed functions", () => {
  it.each(specs.map((spec) => [spec.component, spec.handler]))(
    "%s: handler %s exists and is exported",
    (_c, handler) => {
      // Prepare
      const dot = handler.lastIndexOf(".");
      const [file, name] = [handler.slice(0, dot), handler.slice(dot + 1)];

      // Act
      const source = readFileSync(join(root, `${file}.ts`), "utf8");

      // Assess
      expect(source).toMatch(new RegExp(`export (const|async function|function) ${name}\\b`));
    },
  );

  it("have unique component names", () => {
    // Prepare / Act
    const names = specs.map((spec) => spec.component);

    // Assess
    expect(new Set(names).size).toBe(names.length);
  });

  it.each(Object.entries(functionLinks))(
    "%s: links only known resources, and the KMS keys (their ARNs, never key material) only where needed",
    (fn, links) => {
      // Prepare / Act / Assess
      for (const link of links) expect(linkNames).toContain(link);
      expect(links.includes("ApprovalLinkKey")).toBe(
        ["requestApproval", "approvalEndpoint", "reminders"].includes(fn),
      );
      expect(links.includes("AuditSealKey")).toBe(fn === "reminders");
    },
  );

  it("link no secret: approval links are MACed inside KMS", () => {
    // Prepare / Act / Assess
    expect(linkNames.filter((name) => /secret|signing/i.test(name))).toEqual([]);
  });

  it("reserve (and cap) the concurrency of the internet-facing approval page only", () => {
    // Prepare / Act
    const reserved = specs.filter((spec) => spec.reservedConcurrency !== undefined);

    // Assess
    expect(reserved.map((spec) => [spec.component, spec.reservedConcurrency])).toEqual([
      ["ApprovalEndpointFunction", 5],
    ]);
  });
});

describe("tables", () => {
  it.each([
    [
      auditTable,
      {
        fields: { pk: "string", resource: "string", at: "string" },
        primaryIndex: { hashKey: "pk" },
        globalIndexes: { byResource: { hashKey: "resource", rangeKey: "at" } },
      },
    ],
    [
      approvalsTable,
      {
        fields: { id: "string", status: "string", createdAt: "string" },
        primaryIndex: { hashKey: "id" },
        globalIndexes: { byStatus: { hashKey: "status", rangeKey: "createdAt" } },
        ttl: "expiresAtEpoch",
      },
    ],
    [
      fixHistoryTable,
      {
        fields: { resource: "string", at: "string" },
        primaryIndex: { hashKey: "resource", rangeKey: "at" },
        ttl: "expiresAtEpoch",
      },
    ],
    [eventsTable, { fields: { pk: "string" }, primaryIndex: { hashKey: "pk" }, ttl: "expiresAt" }],
    [
      exemptionsTable,
      {
        fields: { resource: "string", control: "string" },
        primaryIndex: { hashKey: "resource", rangeKey: "control" },
      },
    ],
    [outboxTable, { fields: { id: "string" }, primaryIndex: { hashKey: "id" } }],
  ])("%o becomes the Dynamo arguments", (shape, expected) => {
    // Prepare / Act
    const args = dynamoArgs(shape);

    // Assess
    expect(args).toEqual(expected);
  });

  it("covers every table shape", () => {
    // Prepare / Act / Assess
    expect(tables.map((t) => t.name).sort()).toEqual([
      "ApprovalsTable",
      "AuditTable",
      "EventsTable",
      "ExemptionsTable",
      "FixHistoryTable",
      "OutboxTable",
    ]);
  });
});

describe("alerts", () => {
  it("filters urgent subscriptions to approvals and failures, all of them real outcomes", () => {
    // Prepare
    const known: readonly string[] = outcomes;

    // Act
    const filtered = urgentFilterPolicy.outcome;

    // Assess
    expect([...filtered].sort()).toEqual([
      "approval-expired",
      "awaiting-approval",
      "blocked",
      "failed",
      "suspended",
    ]);
    for (const outcome of filtered) expect(known).toContain(outcome);
    expect(filtered).not.toContain("fixed");
  });

  it.each([
    ["oncall@example.com", "OnCall@Example.com "],
    ["pager@example.org", "pager@example.org"],
  ])("names the subscription of %s stably (case and spacing aside)", (email, spelled) => {
    // Prepare / Act / Assess
    expect(emailSubscriptionName(spelled)).toBe(emailSubscriptionName(email));
    expect(emailSubscriptionName(email)).toMatch(/^AlertsEmail[0-9a-f]{10}$/);
  });

  it("lets EventBridge dead-letter only this deployment's rules", () => {
    // Prepare
    const ruleArns = [
      "arn:aws:events:us-west-2:111122223333:rule/driftwarden-cloudtrail-regional-production",
    ];

    // Act
    const policy = deadLetterQueuePolicy({ queueArn: "arn:aws:sqs:us-west-2:111122223333:dlq", ruleArns });

    // Assess
    expect(policy.Statement).toEqual([
      expect.objectContaining({
        Principal: { Service: "events.amazonaws.com" },
        Action: "sqs:SendMessage",
        Condition: { ArnEquals: { "aws:SourceArn": ruleArns } },
      }),
    ]);
  });
});
