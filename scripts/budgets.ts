import { ConfigurationError } from "../functions/lib/errors.js";
import type { FunctionSpec } from "../infra/handlers.js";
import {
  type DeploymentArns,
  functionStatements,
  remediatorRole,
  type Statement,
} from "../infra/permissions.js";

/**
 * What each deployed function's bundle may hold, derived from the IAM
 * statements it runs with (infra/permissions.ts, which the least-privilege
 * test holds to the calls each function really makes): the SDK client of every
 * service those statements name, and nothing else.
 */

/** The SDK v3 client package of each IAM service prefix driftwarden's roles name. */
export const sdkClientOf: Readonly<Record<string, string>> = {
  elasticloadbalancing: "@aws-sdk/client-elastic-load-balancing-v2",
  cloudfront: "@aws-sdk/client-cloudfront",
  wafv2: "@aws-sdk/client-wafv2",
  dynamodb: "@aws-sdk/client-dynamodb",
  states: "@aws-sdk/client-sfn",
  sns: "@aws-sdk/client-sns",
  kms: "@aws-sdk/client-kms",
  config: "@aws-sdk/client-config-service",
  sts: "@aws-sdk/client-sts",
};

// Statements are read only for their actions, which do not depend on the deployment's ARNs.
const anyDeployment: DeploymentArns = {
  partition: "aws",
  account: "111122223333",
  homeRegion: "us-east-1",
  regions: ["us-east-1"],
  tables: {
    audit: "audit",
    approvals: "approvals",
    history: "history",
    events: "events",
    exemptions: "exemptions",
    outbox: "outbox",
  },
  topicArn: "arn:aws:sns:us-east-1:111122223333:alerts",
  stateMachineArn: "arn:aws:states:us-east-1:111122223333:stateMachine:remediation",
  keys: { approvalLinks: "approval-links", auditSeals: "audit-seals" },
};

export function roleStatements(spec: Pick<FunctionSpec, "role">): Statement[] {
  return spec.role === "remediator"
    ? remediatorRole(anyDeployment)
    : functionStatements(spec.role, anyDeployment);
}

/** The SDK client packages of the services the function's role allows calling, sorted. */
export function calledClients(spec: Pick<FunctionSpec, "component" | "role">): string[] {
  const packages = new Set<string>();
  for (const statement of roleStatements(spec)) {
    if (statement.effect === "Deny") continue;
    for (const action of statement.actions) {
      const service = action.slice(0, action.indexOf(":"));
      const client = sdkClientOf[service];
      if (!client) {
        throw new ConfigurationError(
          `${spec.component} is allowed ${action}, whose service has no SDK client in scripts/budgets.ts (sdkClientOf)`,
          action,
        );
      }
      packages.add(client);
    }
  }
  return [...packages].sort();
}

/** Bundle budgets in bytes (1 KB = 1,000 bytes, minified as scripts/build.ts builds). */
export const bundleBudget = { oneService: 600_000, any: 800_000 } as const;

/** A function calling one service must stay within the smaller budget. */
export function budgetOf(spec: Pick<FunctionSpec, "component" | "role">): number {
  return calledClients(spec).length === 1 ? bundleBudget.oneService : bundleBudget.any;
}

/** The SDK client packages a bundle's metafile inputs come from, sorted. */
export function bundledClients(inputs: Iterable<string>): string[] {
  const packages = new Set<string>();
  for (const input of inputs) {
    const match = /node_modules\/(@aws-sdk\/client-[^/]+)\//.exec(input);
    if (match?.[1]) packages.add(match[1]);
  }
  return [...packages].sort();
}
