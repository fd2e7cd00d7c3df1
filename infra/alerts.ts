import { createHash } from "node:crypto";

/**
 * Alerts topic data. Every notification carries message attributes (outcome,
 * control, severity, account, region), so a subscription can take only what
 * needs a human.
 */

/** Outcomes on-call must act on or know about now: approvals and failures. */
export const urgentOutcomes = [
  "awaiting-approval",
  "failed",
  "blocked",
  "approval-expired",
  "suspended",
] as const;

/** SNS filter policy (MessageAttributes scope) for a pager or chat subscription that wants only urgent outcomes. */
export const urgentFilterPolicy = { outcome: [...urgentOutcomes] };

/** A stable component name per address, so reordering the list does not replace subscriptions. */
export function emailSubscriptionName(email: string): string {
  return `AlertsEmail${createHash("sha256").update(email.trim().toLowerCase()).digest("hex").slice(0, 10)}`;
}

/**
 * The topic's resource policy. Only services that publish on our behalf get a
 * grant here (CloudWatch for the home region's alarms, EventBridge for the
 * relayed alarms of other regions); driftwarden's functions publish through
 * their own roles. Whatever any identity policy in the account grants, nobody
 * else may publish (a forged "APPROVAL NEEDED" email would come from the
 * topic on-call trusts), and nobody may publish without TLS.
 */
export function topicPolicy(options: {
  topicArn: string;
  account: string;
  relayRuleArn?: string;
  /** The roles of the functions that publish: requests, reminders, outcomes. */
  publishers: string[];
}) {
  const statements: Array<Record<string, unknown>> = [
    {
      Sid: "DeadLetterAlarms",
      Effect: "Allow",
      Principal: { Service: "cloudwatch.amazonaws.com" },
      Action: "sns:Publish",
      Resource: options.topicArn,
      Condition: { StringEquals: { "aws:SourceAccount": options.account } },
    },
  ];
  if (options.relayRuleArn) {
    statements.push({
      Sid: "RelayedDeadLetterAlarms",
      Effect: "Allow",
      Principal: { Service: "events.amazonaws.com" },
      Action: "sns:Publish",
      Resource: options.topicArn,
      Condition: { ArnEquals: { "aws:SourceArn": options.relayRuleArn } },
    });
  }
  statements.push(
    {
      Sid: "OnlyDriftwardenPublishes",
      Effect: "Deny",
      Principal: "*",
      Action: "sns:Publish",
      Resource: options.topicArn,
      // The service principals granted above are not IAM principals: they have no aws:PrincipalArn.
      Condition: {
        ArnNotEquals: { "aws:PrincipalArn": options.publishers },
        BoolIfExists: { "aws:PrincipalIsAWSService": "false" },
      },
    },
    {
      Sid: "RequireTls",
      Effect: "Deny",
      Principal: "*",
      Action: ["sns:Publish", "sns:Subscribe"],
      Resource: options.topicArn,
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    },
  );
  return { Version: "2012-10-17", Statement: statements };
}

/** The DLQ's resource policy: EventBridge may deliver undeliverable events of this deployment's rules only. */
export function deadLetterQueuePolicy(options: { queueArn: string; ruleArns: string[] }) {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "EventBridgeDeadLetters",
        Effect: "Allow",
        Principal: { Service: "events.amazonaws.com" },
        Action: "sqs:SendMessage",
        Resource: options.queueArn,
        Condition: { ArnEquals: { "aws:SourceArn": options.ruleArns } },
      },
    ],
  };
}
