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
import {
  deadLetterQueuePolicy,
  emailSubscriptionName,
  topicPolicy,
  urgentFilterPolicy,
} from "../../infra/alerts.js";
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
    "%s: links only known resources, and the signing secret only where needed",
    (fn, links) => {
      // Prepare / Act / Assess
      for (const link of links) expect(linkNames).toContain(link);
      expect(links.includes("ApprovalSigningKey")).toBe(
        ["requestApproval", "approvalEndpoint", "reminders"].includes(fn),
      );
    },
  );
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

  it.each([
    ["without relayed alarms", undefined, ["cloudwatch.amazonaws.com"]],
    [
      "with relayed alarms",
      "arn:aws:events:eu-west-1:111122223333:rule/driftwarden-dlq-alarms-production",
      ["cloudwatch.amazonaws.com", "events.amazonaws.com"],
    ],
  ])("lets only the alarm services publish to the topic %s", (_label, relayRuleArn, services) => {
    // Prepare
    const topicArn = "arn:aws:sns:eu-west-1:111122223333:alerts";

    // Act
    const policy = topicPolicy({
      topicArn,
      account: "111122223333",
      ...(relayRuleArn ? { relayRuleArn } : {}),
    });

    // Assess
    expect(policy.Statement.map((s) => (s.Principal as { Service: string }).Service)).toEqual(services);
    for (const statement of policy.Statement) {
      expect(statement.Action).toBe("sns:Publish");
      expect(statement.Condition).toBeDefined();
    }
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
