import { type Seal, sealLedger } from "../audit/seal.js";
import { appendAudit } from "../audit/store.js";
import { catalogEntry } from "../controls/catalog.js";
import type { ControlMetadata } from "../controls/types.js";
import { dynamo } from "../lib/clients/dynamo.js";
import { now } from "../lib/clock.js";
import { timeLeft } from "../lib/duration.js";
import { ApprovalError } from "../lib/errors.js";
import { lambda } from "../lib/middleware.js";
import { logger } from "../lib/observability.js";
import { identifyOwner } from "../lib/owner.js";
import { resources } from "../lib/resources.js";
import { cleanText } from "../lib/untrusted.js";
import {
  type ApprovalFacts,
  approvalLines,
  changeLines,
  driftLines,
  type Notification,
  ownerLines,
  resourceLabel,
  riskLines,
  sanitizeSubject,
  shortenArns,
  summarizeChange,
} from "../notify/message.js";
import { publishOnce } from "../notify/once.js";
import { publishNotification } from "../notify/publish.js";
import { type DrainResult, drainOutbox } from "../workflow/outbox.js";
import { approvalLinks } from "./links.js";
import { type ApprovalRecord, claimReminder, listApprovals, releaseReminder } from "./store.js";

/**
 * One reminder per approval, when a quarter of its time is left. Nothing is
 * scheduled when the approval is requested: a scheduled function (and, on
 * this machine, the local runtime's clock) runs `sendReminders`, which finds
 * pending approvals past their reminder point and claims each reminder with a
 * conditional update before publishing, so overlapping runs send it once.
 */
export const REMINDER_REMAINING_FRACTION = 0.25;

export function reminderDueAt(record: Pick<ApprovalRecord, "createdAt" | "expiresAt">): Date {
  const created = Date.parse(record.createdAt);
  const expires = Date.parse(record.expiresAt);
  return new Date(expires - (expires - created) * REMINDER_REMAINING_FRACTION);
}

export function needsReminder(record: ApprovalRecord, at: Date): boolean {
  return (
    record.status === "pending" &&
    !record.reminded &&
    reminderDueAt(record).getTime() <= at.getTime() &&
    Date.parse(record.expiresAt) > at.getTime()
  );
}

function metadataOf(
  id: string,
): Pick<ControlMetadata, "id" | "title" | "securityHubIds" | "severity" | "sourceFix"> {
  // A record from a newer deployment still gets its reminder, named by id.
  return catalogEntry(id)?.metadata ?? { id, title: id, securityHubIds: [], severity: "HIGH" };
}

export function buildReminder(
  record: ApprovalRecord,
  links: Pick<ApprovalFacts, "approveUrl" | "rejectUrl" | "pageUrl" | "cli">,
  at: Date,
): Notification {
  const control = metadataOf(record.control);
  const left = timeLeft(record.expiresAt, at);
  const label = resourceLabel(record.resource);
  const subject = sanitizeSubject(
    `[driftwarden] APPROVAL REMINDER: ${label} expires in ${left} (${[control.securityHubIds[0], record.region].filter(Boolean).join(", ")})`,
  );
  const lines = [
    `APPROVAL REMINDER: approve or reject the fix for ${label}; the request expires in ${left}.`,
    ...approvalLines({ id: record.id, expiresAt: record.expiresAt, ...links }),
    "",
    `Why: ${cleanText(shortenArns(record.reasons.join("; ") || record.finding), { max: 200 })}`,
    ...(record.changes.length > 0
      ? [
          `Change: ${cleanText(record.changes.map(summarizeChange).join("; "), { max: 200 })} (proposed, not made)`,
        ]
      : []),
    ...ownerLines(identifyOwner({ actor: record.actor }), control),
    "",
    "Details",
    "A fix is still waiting for on-call. Nothing has been changed yet; if nobody decides, the drift stays and the request ends as approval-expired.",
    `Control: ${control.id}${control.securityHubIds.length ? ` (${control.securityHubIds.join(", ")}, severity ${control.severity})` : ""}: ${control.title}`,
    ...driftLines(record),
    ...changeLines(record.changes, false),
    ...riskLines(record.reasons),
    "",
    `Execution: ${record.executionId}`,
  ];
  return {
    subject,
    message: lines.join("\n"),
    attributes: {
      severity: control.severity,
      control: control.id,
      outcome: "awaiting-approval",
      account: record.account,
      region: record.region,
      kind: "reminder",
    },
  };
}

export interface ReminderRun {
  reminded: string[];
}

export async function sendReminders(): Promise<ReminderRun> {
  const res = resources();
  const at = now();
  const store = { table: res.approvalsTable, region: res.region };
  const pending = await listApprovals(store, "pending");
  const reminded: string[] = [];
  const failures: string[] = [];
  for (const record of pending.filter((r) => needsReminder(r, at))) {
    if (!(await claimReminder(store, record.id, at))) continue;
    try {
      const links = await approvalLinks(res, record.id, new Date(record.expiresAt));
      await publishNotification(res, buildReminder(record, links, at));
      reminded.push(record.id);
    } catch (error) {
      await releaseReminder(store, record.id);
      logger.error("approval reminder not sent", { approvalId: record.id, error });
      failures.push(`${record.id} (${record.resource}): ${(error as Error).message}`);
    }
  }
  if (reminded.length > 0) logger.info("approval reminders sent", { approvalIds: reminded });
  if (failures.length > 0) {
    // Fails the scheduled run so its retry and alarms see it; the claims were released for the next run.
    throw new ApprovalError(`approval reminders not sent: ${failures.join("; ")}`);
  }
  return { reminded };
}

/**
 * Outcomes the workflow could not record or email when they happened wait in
 * the outbox; this scheduled run writes and sends them once the service is back.
 */
export async function drainUnrecorded(): Promise<DrainResult> {
  const res = resources();
  const result = await drainOutbox(
    { clients: { dynamo }, table: res.outboxTable, region: res.region },
    {
      append: (facts) => appendAudit({ table: res.auditTable, region: res.region }, facts),
      publish: (key, notification) => publishOnce(res, key, notification, now()),
    },
  );
  if (result.written.length + result.sent.length > 0) logger.info("outbox drained", { ...result });
  if (result.failed.length > 0) logger.error("outbox items still waiting", { failed: result.failed });
  return result;
}

/**
 * Seals the audit ledger on every run, whether or not anything was appended:
 * `audit verify` counts on a recent seal, so one that is too old means sealing
 * stopped or the newest seals were removed with the records after them.
 */
export async function sealAudit(): Promise<Seal | undefined> {
  const res = resources();
  if (!res.auditSealKeyArn) {
    logger.warn("the deployment has no audit seal key; the audit ledger is not sealed");
    return undefined;
  }
  return sealLedger({ table: res.auditTable, region: res.region, keyArn: res.auditSealKeyArn, now: now() });
}

/** Run by a schedule (infra), and by the local runtime as its clock passes reminder points. */
export const handler = lambda(async () => {
  // The outbox is drained and the ledger sealed even when a reminder fails, and a reminder failure still
  // fails the run; the drain comes first so that the seal covers what it wrote.
  const outbox = await drainUnrecorded();
  const reminders = await sendReminders().catch((error: unknown) => error as Error);
  const seal = await sealAudit();
  if (reminders instanceof Error) throw reminders;
  return { ...reminders, outbox, ...(seal ? { sealed: { n: seal.n, upTo: seal.upTo } } : {}) };
});
