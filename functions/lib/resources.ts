import { Resource } from "sst/resource";
import { type DriftwardenConfig, parseConfig } from "./config.js";

/**
 * The only place deployed code reads linked infrastructure. Tests and the local
 * runtime feed it with `useResources`; in Lambda it reads SST's `Resource`.
 */
export interface DriftwardenResources {
  region: string;
  account: string;
  stateMachineArn: string;
  auditTable: string;
  approvalsTable: string;
  historyTable: string;
  /** Conditional "seen" markers of delivered events, so a redelivery is a duplicate. */
  eventsTable: string;
  /** Runtime exemptions added from the CLI. */
  exemptionsTable: string;
  /** Outcomes not yet recorded or notified, for the scheduled drain. */
  outboxTable: string;
  topicArn: string;
  /** Base URL of the approval page; absent until the approval endpoint exists. */
  approvalUrl?: string;
  /**
   * ARN of the KMS HMAC key that authenticates approval links (GenerateMac where
   * links are made, VerifyMac at the endpoint). The key never leaves KMS.
   */
  approvalKeyArn?: string;
  /** ARN of the KMS asymmetric key that signs the audit ledger's seals. */
  auditSealKeyArn?: string;
  config: DriftwardenConfig;
}

let fed: DriftwardenResources | undefined;

export function useResources(resources: DriftwardenResources | undefined): void {
  fed = resources;
}

let loaded: DriftwardenResources | undefined;

export function resources(): DriftwardenResources {
  if (fed) return fed;
  if (loaded) return loaded;
  // SST links: names match the components created in infra/. Each function is linked to
  // only what it needs, and Resource throws on an unlinked name, so ask before reading.
  const linkedResources = Resource as unknown as Record<string, Record<string, string>>;
  const linked = new Proxy({} as Record<string, Record<string, string> | undefined>, {
    get: (_target, name: string) => (name in linkedResources ? linkedResources[name] : undefined),
  });
  const config = parseConfig(JSON.parse(process.env.DRIFTWARDEN_CONFIG ?? "{}"));
  loaded = {
    region: process.env.AWS_REGION ?? config.homeRegion,
    account: process.env.DRIFTWARDEN_ACCOUNT ?? "",
    stateMachineArn: process.env.DRIFTWARDEN_STATE_MACHINE_ARN ?? "",
    auditTable: linked.AuditTable?.name ?? "",
    approvalsTable: linked.ApprovalsTable?.name ?? "",
    historyTable: linked.FixHistoryTable?.name ?? "",
    eventsTable: linked.EventsTable?.name ?? "",
    exemptionsTable: linked.ExemptionsTable?.name ?? "",
    outboxTable: linked.OutboxTable?.name ?? "",
    topicArn: linked.Alerts?.arn ?? "",
    approvalUrl: linked.ApprovalEndpoint?.url,
    approvalKeyArn: linked.ApprovalLinkKey?.arn,
    auditSealKeyArn: linked.AuditSealKey?.arn,
    config,
  };
  return loaded;
}
