import { MetricUnit } from "@aws-lambda-powertools/metrics";
import { abandonUndelivered, expireApproval, getApproval, settle } from "../../approvals/store.js";
import { appendAudit } from "../../audit/store.js";
import { dynamo } from "../../lib/clients/dynamo.js";
import { now } from "../../lib/clock.js";
import { metrics } from "../../lib/metrics.js";
import { lambda } from "../../lib/middleware.js";
import { describeOwner } from "../../lib/owner.js";
import { resources } from "../../lib/resources.js";
import { recordFix } from "../history.js";
import { keep } from "../outbox.js";
import { outcomeFacts, type StepPayload, type WorkflowState } from "../outcome.js";
import type { Outcome } from "../types.js";

/**
 * WorkflowAudit: appends the outcome to the audit ledger (or keeps it in the
 * outbox), closes the approval and records a fix for flapping detection.
 */
export async function audit(
  payload: StepPayload & { mode: "audit" | "outbox"; outcome: Outcome; state: WorkflowState },
): Promise<{ auditId: string; written: boolean; seq?: number }> {
  const res = resources();
  const record = outcomeFacts(payload);
  if (payload.mode === "outbox") {
    await keep(
      { clients: { dynamo }, table: res.outboxTable, region: res.region },
      { id: `audit#${payload.executionName}`, kind: "audit", facts: record, keptAt: now().toISOString() },
    );
    return { auditId: record.auditId, written: false };
  }
  const result = await appendAudit({ table: res.auditTable, region: res.region }, record);
  if (result.written) {
    // One data point per outcome, so dashboards and alarms can count fixes, failures and waits.
    const metric = metrics.singleMetric();
    metric.addDimensions({ control: record.control, outcome: record.outcome });
    metric.addMetric("RemediationOutcomes", MetricUnit.Count, 1);
  }
  await closeApproval(payload);
  if (payload.outcome === "fixed") {
    await recordFix(
      { clients: { dynamo }, table: res.historyTable, region: res.region },
      {
        control: payload.input.control,
        resource: payload.input.resource,
        execution: payload.executionName,
        actor: payload.input.actor?.arn ?? null,
        // A suspension names who keeps reverting the fix: the stack or environment, when one owns it.
        owner: payload.state.evaluation?.owner ? describeOwner(payload.state.evaluation.owner) : null,
      },
      res.config,
      now(),
    );
  }
  return { auditId: record.auditId, written: result.written, seq: result.record.seq };
}

/** The approval this execution last asked for ends with it: decided, expired, or never sent. */
async function closeApproval(
  payload: StepPayload & { outcome: Outcome; state: WorkflowState },
): Promise<void> {
  const res = resources();
  const store = { table: res.approvalsTable, region: res.region };
  const approval = payload.state.evaluation?.approval;
  if (!approval) return;
  const record = await getApproval(store, approval.id);
  if (record?.status === "pending" && !record.notifiedAt) {
    await abandonUndelivered(store, approval.id);
    return;
  }
  // A wait that timed out received no decision, whatever the outcome of the re-check after it: a
  // decision caught mid-delivery then is not recorded as made (its delivery failed on the timed-out task).
  if (payload.outcome === "approval-expired" || payload.state.error?.Error === "States.Timeout") {
    await expireApproval(store, approval.id);
    return;
  }
  if (record?.status === "deciding" && record.decision) await settle(store, record, record.decision);
  else if (record?.status === "pending") await expireApproval(store, approval.id);
}

/** The Lambda: Powertools context logging, then the step (its one metric per outcome flushes itself). */
export const handler = lambda(audit);
