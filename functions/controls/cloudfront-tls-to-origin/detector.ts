import type { DistributionConfig, Origin } from "@aws-sdk/client-cloudfront";
import type { Finding } from "../types.js";
import type { Snapshot } from "./snapshot.js";

/** The only two fields this control ever changes, with the only values it ever sets. */
export interface OriginFieldEdits {
  OriginProtocolPolicy?: "https-only";
  OriginSslProtocols?: ["TLSv1.2"];
}

export interface OriginVerdict {
  originId: string;
  domainName: string;
  httpsPort: number;
  /** One human sentence per offending field, naming its current value. */
  problems: string[];
  /** What the fix sets; empty when the origin is compliant. */
  set: OriginFieldEdits;
}

interface BehaviorRef {
  /** "default" for DefaultCacheBehavior, else the PathPattern. */
  label: string;
  targetOriginId: string | undefined;
  viewerProtocolPolicy: string | undefined;
}

const secureViewerPolicies = new Set(["https-only", "redirect-to-https"]);
const defaultHttpsPort = 443;

function behaviors(config: DistributionConfig): BehaviorRef[] {
  const all: BehaviorRef[] = [];
  const fallback = config.DefaultCacheBehavior;
  if (fallback) {
    all.push({
      label: "default",
      targetOriginId: fallback.TargetOriginId,
      viewerProtocolPolicy: fallback.ViewerProtocolPolicy,
    });
  }
  for (const behavior of config.CacheBehaviors?.Items ?? []) {
    all.push({
      label: `"${behavior.PathPattern ?? "?"}"`,
      targetOriginId: behavior.TargetOriginId,
      viewerProtocolPolicy: behavior.ViewerProtocolPolicy,
    });
  }
  return all;
}

/** Behaviors whose requests can reach the origin, directly or as a member of an origin group (failover). */
export function behaviorsReaching(config: DistributionConfig, originId: string): BehaviorRef[] {
  const groupsWithOrigin = new Set(
    (config.OriginGroups?.Items ?? [])
      .filter((group) => (group.Members?.Items ?? []).some((member) => member.OriginId === originId))
      .map((group) => group.Id),
  );
  return behaviors(config).filter(
    (behavior) =>
      behavior.targetOriginId === originId ||
      (behavior.targetOriginId !== undefined && groupsWithOrigin.has(behavior.targetOriginId)),
  );
}

function customOrigins(config: DistributionConfig): Origin[] {
  return (config.Origins?.Items ?? []).filter((origin) => origin.CustomOriginConfig !== undefined);
}

function judgeOrigin(config: DistributionConfig, origin: Origin): OriginVerdict {
  const custom = origin.CustomOriginConfig;
  const problems: string[] = [];
  const set: OriginFieldEdits = {};
  const policy = custom?.OriginProtocolPolicy;

  if (policy === "match-viewer") {
    // match-viewer is only as safe as the viewer side: an HTTP viewer makes CloudFront fetch over HTTP.
    const insecure = behaviorsReaching(config, origin.Id ?? "").filter(
      (behavior) => !secureViewerPolicies.has(behavior.viewerProtocolPolicy ?? ""),
    );
    if (insecure.length > 0) {
      const list = insecure
        .map((behavior) => `${behavior.label} (${behavior.viewerProtocolPolicy ?? "unset"})`)
        .join(", ");
      problems.push(
        `OriginProtocolPolicy is match-viewer and cache behaviors let HTTP viewers through: ${list}`,
      );
      set.OriginProtocolPolicy = "https-only";
    }
  } else if (policy !== "https-only") {
    problems.push(`OriginProtocolPolicy is ${policy ?? "unset"}`);
    set.OriginProtocolPolicy = "https-only";
  }

  const protocols = custom?.OriginSslProtocols?.Items ?? [];
  const older = protocols.filter((protocol) => protocol !== "TLSv1.2");
  if (protocols.length === 0) {
    problems.push("OriginSslProtocols is empty");
    set.OriginSslProtocols = ["TLSv1.2"];
  } else if (older.length > 0) {
    problems.push(`OriginSslProtocols allows ${older.join(", ")}`);
    set.OriginSslProtocols = ["TLSv1.2"];
  }

  return {
    originId: origin.Id ?? "",
    domainName: origin.DomainName ?? "",
    httpsPort: custom?.HTTPSPort ?? defaultHttpsPort,
    problems,
    set,
  };
}

/** Every custom origin with its verdict, in the distribution's order. */
export function judgeOrigins(config: DistributionConfig): OriginVerdict[] {
  return customOrigins(config).map((origin) => judgeOrigin(config, origin));
}

export function offendingOrigins(config: DistributionConfig): OriginVerdict[] {
  return judgeOrigins(config).filter((verdict) => verdict.problems.length > 0);
}

export function describeOrigin(verdict: Pick<OriginVerdict, "originId" | "domainName">): string {
  return `origin "${verdict.originId}" (${verdict.domainName})`;
}

export function detect(snapshot: Snapshot): Finding {
  const verdicts = judgeOrigins(snapshot.config);
  if (verdicts.length === 0) {
    return {
      status: "compliant",
      message: `distribution ${snapshot.id} has no custom origin (S3 REST origins always use HTTPS)`,
    };
  }
  const offending = verdicts.filter((verdict) => verdict.problems.length > 0);
  if (offending.length === 0) {
    return {
      status: "compliant",
      message: `distribution ${snapshot.id}: all ${verdicts.length} custom origin(s) use HTTPS with TLSv1.2 only`,
    };
  }
  return {
    status: "non-compliant",
    message: offending
      .map((verdict) => `${describeOrigin(verdict)}: ${verdict.problems.join("; ")}`)
      .join(" | "),
  };
}

/**
 * The fields this control judges, per custom origin, sorted so that the same drift
 * always digests the same. Viewer policies only matter (and are only included) for
 * match-viewer origins.
 */
export function ownedState(snapshot: Snapshot): unknown {
  return judgeOrigins(snapshot.config)
    .map((verdict) => {
      const origin = snapshot.config.Origins?.Items?.find((candidate) => candidate.Id === verdict.originId);
      const custom = origin?.CustomOriginConfig;
      const policy = custom?.OriginProtocolPolicy ?? null;
      return {
        Id: verdict.originId,
        OriginProtocolPolicy: policy,
        OriginSslProtocols: [...(custom?.OriginSslProtocols?.Items ?? [])].sort(),
        ViewerProtocolPolicies:
          policy === "match-viewer"
            ? behaviorsReaching(snapshot.config, verdict.originId)
                .map((behavior) => `${behavior.label}=${behavior.viewerProtocolPolicy ?? "unset"}`)
                .sort()
            : [],
      };
    })
    .sort((a, b) => (a.Id < b.Id ? -1 : a.Id > b.Id ? 1 : 0));
}
