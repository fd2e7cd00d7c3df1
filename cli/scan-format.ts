import { findControl } from "../functions/controls/registry.js";
import type { ControlMode } from "../functions/lib/config.js";
import { cleanText, visibleJson } from "../functions/lib/untrusted.js";
import { describeChange, resourceLabel, summarizeChange } from "../functions/notify/message.js";
import type { ScanResult, ScanStatus } from "./scan-check.js";

/** A scan's findings: the stable document `--format json` prints, and what the table is made from. */
export interface ScanReport {
  account: string;
  scannedAt: string;
  regions: string[];
  controls: { id: string; mode: ControlMode }[];
  /** Sorted by control, region, resource. */
  results: ScanResult[];
}

const order: ScanStatus[] = ["drift", "error", "exempt", "compliant", "not-applicable"];
const label: Record<ScanStatus, string> = {
  drift: "DRIFT",
  error: "ERROR",
  exempt: "exempt",
  compliant: "compliant",
  "not-applicable": "not-applicable",
};

export function summary(report: ScanReport): Record<ScanStatus, number> {
  const counts = Object.fromEntries(order.map((status) => [status, 0])) as Record<ScanStatus, number>;
  for (const result of report.results) counts[result.status] += 1;
  return counts;
}

export function formatJson(report: ScanReport): string {
  // Keys in one fixed order, whatever path built a result: scripts and diffs rely on it.
  const results = report.results.map((r) => ({
    control: r.control,
    region: r.region,
    resource: r.resource,
    status: r.status,
    detail: r.detail,
    mode: r.mode,
    fix: r.fix,
    risk: r.risk,
    would: r.would,
    asksOnCall: r.asksOnCall,
  }));
  return `${visibleJson({ ...report, results, summary: summary(report) }, 2)}\n`;
}

/**
 * Resources by control, drift first. Names, findings and planned inputs come
 * from the account (tags, names): cleaned as the notifications clean them,
 * because a terminal obeys control characters.
 */
export function formatTable(report: ScanReport): string {
  const lines: string[] = [
    `Account ${report.account}, regions ${report.regions.join(", ")} (CloudFront: global), at ${report.scannedAt}`,
  ];
  for (const { id, mode } of report.controls) {
    const metadata = findControl(id)?.metadata;
    const rows = report.results
      .filter((result) => result.control === id)
      .sort((a, b) => order.indexOf(a.status) - order.indexOf(b.status));
    const hub = metadata?.securityHubIds.length ? ` (${metadata.securityHubIds.join(", ")})` : "";
    lines.push("", `${id}${hub}, mode ${mode}: ${rows.length} resource${rows.length === 1 ? "" : "s"}`);
    if (rows.length === 0) lines.push("  (none found)");
    for (const row of rows) lines.push(...formatRow(row));
  }
  const counts = summary(report);
  lines.push(
    "",
    `${counts.drift} drifted, ${counts.compliant} compliant, ${counts.exempt} exempt, ${counts["not-applicable"]} not applicable${counts.error ? `, ${counts.error} could not be read` : ""}.`,
    "",
  );
  return lines.join("\n");
}

function formatRow(row: ScanResult): string[] {
  const head = `  ${label[row.status].padEnd(15)}${row.region.padEnd(16)}${resourceLabel(row.resource)}`;
  const detail = cleanText(row.detail, { max: 400 });
  if (row.status !== "drift") {
    return row.status === "compliant" ? [head] : [head, `      ${detail}`];
  }
  const risky = row.risk.flatMap((risk) => (risk.level === "automatic" ? [] : risk.reasons));
  return [
    head,
    `      resource: ${cleanText(row.resource, { max: 300 })}`,
    `      drift:    ${detail}`,
    ...(row.fix.length > 0
      ? [`      fix:      ${cleanText(row.fix.map(summarizeChange).join("; "), { max: 300 })}`]
      : []),
    ...row.fix.map((change) => `                ${describeChange(change)}`),
    `      would:    ${row.would}`,
    ...risky.map((reason) => `      risk:     ${cleanText(reason, { max: 400 })}`),
  ];
}
