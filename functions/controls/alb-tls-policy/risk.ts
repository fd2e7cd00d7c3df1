import { elbv2For } from "../elbv2/read.js";
import type { Change, ControlContext, RiskAssessment } from "../types.js";
import { plannedPolicy } from "./planner.js";
import { policyProtocols, type Snapshot } from "./snapshot.js";

const automatic: RiskAssessment = { level: "automatic", reasons: [] };

/** Who cannot connect any more when these protocols go, in words on-call can weigh. */
function whoLosesAccess(lost: string[]): string {
  const old = lost.filter((p) => p === "TLSv1" || p === "TLSv1.1");
  const parts: string[] = [];
  if (old.length > 0) {
    parts.push(
      `clients that cannot speak TLS 1.2 (Internet Explorer 10 and older, Android 4.3 and older, Java 7 and older, old embedded and IoT devices, scripts on old OpenSSL) can no longer connect: ${old.join(" and ")} go`,
    );
  }
  if (lost.includes("TLSv1.2")) {
    parts.push(
      "clients that cannot speak TLS 1.3 (older operating systems, JVMs and HTTP libraries, many monitoring and partner integrations) can no longer connect: TLSv1.2 goes",
    );
  }
  const other = lost.filter((p) => !["TLSv1", "TLSv1.1", "TLSv1.2"].includes(p));
  if (other.length > 0) parts.push(`clients that need ${other.join(", ")} can no longer connect`);
  return parts.join("; ");
}

/**
 * A new policy is safe when it keeps every protocol the current one allows:
 * clients then negotiate as before. Dropping a protocol locks out the clients
 * that only speak it, which on-call must weigh. The target's protocols are
 * read from DescribeSSLPolicies, like the current one's.
 */
export async function assessRisk(
  snapshot: Snapshot,
  changes: Change[],
  ctx: ControlContext,
): Promise<RiskAssessment[]> {
  const { listener, loadBalancer } = snapshot;
  const where = `HTTPS listener ${listener.ListenerArn} (port ${listener.Port ?? "unknown"}) of load balancer ${loadBalancer.LoadBalancerName}`;
  const client = elbv2For(ctx, listener.ListenerArn);
  const assessments: RiskAssessment[] = [];
  for (const change of changes) {
    const target = plannedPolicy(listener.ListenerArn, change);
    if (!target) {
      assessments.push({
        level: "blocked",
        reasons: [`${change.action} is not a TLS policy change of ${where}`],
      });
      continue;
    }
    const targetProtocols = await policyProtocols(client, target);
    if (!targetProtocols) {
      assessments.push({
        level: "blocked",
        reasons: [
          `the configured targetPolicy ${target} is not a security policy ELB knows (DescribeSSLPolicies): fix the setting`,
        ],
      });
      continue;
    }
    const current = snapshot.policyProtocols;
    if (!current) {
      assessments.push({
        level: "approval",
        reasons: [
          `the protocols of the current policy ${listener.SslPolicy ?? "(none)"} of ${where} are unknown, so it cannot be told which clients lose access when it becomes ${target} (${targetProtocols.join(", ")})`,
        ],
      });
      continue;
    }
    const lost = current.filter((protocol) => !targetProtocols.includes(protocol));
    if (lost.length === 0) {
      assessments.push(automatic);
      continue;
    }
    assessments.push({
      level: "approval",
      reasons: [
        `${where} allows ${current.join(", ")} with ${listener.SslPolicy}; ${target} allows ${targetProtocols.join(", ")} only, so ${whoLosesAccess(lost)}`,
      ],
    });
  }
  return assessments;
}
