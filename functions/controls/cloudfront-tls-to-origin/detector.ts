import type { DistributionConfig, Origin } from "@aws-sdk/client-cloudfront";
import type { Finding } from "../types.js";
import type { Snapshot, VpcOriginState } from "./snapshot.js";

/** The only two fields this control ever changes, with the only values it ever sets. */
export interface OriginFieldEdits {
  OriginProtocolPolicy?: "https-only";
  OriginSslProtocols?: ["TLSv1.2"];
}

export interface OriginVerdict {
  originId: string;
  domainName: string;
  httpsPort: number;
  /**
   * Where the protocol is set: a custom origin's CustomOriginConfig in the
   * distribution, or a VPC origin's own VpcOriginEndpointConfig.
   */
  kind: "custom" | "vpc";
  /** For a VPC origin: its id, and the private load balancer or instance it fronts. */
  vpcOriginId?: string;
  endpointArn?: string;
  /** One human sentence per offending field, naming its current value. */
  problems: string[];
  /** What the fix sets; empty when the origin is compliant (or when nothing can be set). */
  set: OriginFieldEdits;
}

interface BehaviorRef {
  /** "default" for DefaultCacheBehavior, else the PathPattern. */
  label: string;
  targetOriginId: string | undefined;
  viewerProtocolPolicy: string | undefined;
}

/** How CloudFront connects to an origin: the members CustomOriginConfig and VpcOriginEndpointConfig share. */
interface Connection {
  OriginProtocolPolicy?: string;
  HTTPSPort?: number;
  OriginSslProtocols?: { Items?: string[] };
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

/** The two owned fields of one connection, judged; `originId` is the distribution's origin the behaviors target. */
function judgeConnection(
  config: DistributionConfig,
  originId: string,
  connection: Connection,
): Pick<OriginVerdict, "problems" | "set"> {
  const problems: string[] = [];
  const set: OriginFieldEdits = {};
  const policy = connection.OriginProtocolPolicy;

  if (policy === "match-viewer") {
    // match-viewer is only as safe as the viewer side: an HTTP viewer makes CloudFront fetch over HTTP.
    const insecure = behaviorsReaching(config, originId).filter(
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

  const listed = connection.OriginSslProtocols;
  const protocols = listed?.Items ?? [];
  const older = protocols.filter((protocol) => protocol !== "TLSv1.2");
  if (listed === undefined) {
    // The API lets it be left out ("Required: No"); nothing then pins CloudFront to TLS 1.2.
    problems.push(
      "OriginSslProtocols is not set: CloudFront's default protocols then apply, which the API does not limit to TLSv1.2",
    );
    set.OriginSslProtocols = ["TLSv1.2"];
  } else if (protocols.length === 0) {
    problems.push("OriginSslProtocols is empty");
    set.OriginSslProtocols = ["TLSv1.2"];
  } else if (older.length > 0) {
    problems.push(`OriginSslProtocols allows ${older.join(", ")}`);
    set.OriginSslProtocols = ["TLSv1.2"];
  }
  return { problems, set };
}

function judgeCustom(config: DistributionConfig, origin: Origin): OriginVerdict {
  const custom: Connection = origin.CustomOriginConfig ?? {};
  return {
    originId: origin.Id ?? "",
    domainName: origin.DomainName ?? "",
    httpsPort: custom.HTTPSPort ?? defaultHttpsPort,
    kind: "custom",
    ...judgeConnection(config, origin.Id ?? "", custom),
  };
}

function judgeVpc(
  config: DistributionConfig,
  origin: Origin,
  vpcOrigin: VpcOriginState | null,
): OriginVerdict {
  const vpcOriginId = origin.VpcOriginConfig?.VpcOriginId ?? "";
  const base = {
    originId: origin.Id ?? "",
    domainName: origin.DomainName ?? "",
    kind: "vpc" as const,
    vpcOriginId,
  };
  if (!vpcOrigin) {
    // CloudFront refuses to delete a VPC origin in use, so this is a read that failed, not a drift to fix.
    return {
      ...base,
      httpsPort: defaultHttpsPort,
      problems: [`VPC origin ${vpcOriginId} could not be read (GetVpcOrigin found no such VPC origin)`],
      set: {},
    };
  }
  return {
    ...base,
    httpsPort: vpcOrigin.endpoint.HTTPSPort ?? defaultHttpsPort,
    endpointArn: vpcOrigin.endpoint.Arn ?? "",
    ...judgeConnection(config, origin.Id ?? "", vpcOrigin.endpoint),
  };
}

/** Every custom and VPC origin with its verdict, in the distribution's order (S3 REST origins always use HTTPS). */
export function judgeOrigins(snapshot: Pick<Snapshot, "config" | "vpcOrigins">): OriginVerdict[] {
  const verdicts: OriginVerdict[] = [];
  for (const origin of snapshot.config.Origins?.Items ?? []) {
    if (origin.CustomOriginConfig !== undefined) verdicts.push(judgeCustom(snapshot.config, origin));
    const vpcOriginId = origin.VpcOriginConfig?.VpcOriginId;
    if (vpcOriginId !== undefined) {
      verdicts.push(judgeVpc(snapshot.config, origin, snapshot.vpcOrigins[vpcOriginId] ?? null));
    }
  }
  return verdicts;
}

export function offendingOrigins(snapshot: Pick<Snapshot, "config" | "vpcOrigins">): OriginVerdict[] {
  return judgeOrigins(snapshot).filter((verdict) => verdict.problems.length > 0);
}

export function describeOrigin(
  verdict: Pick<OriginVerdict, "originId" | "domainName"> & { vpcOriginId?: string },
): string {
  const where = verdict.vpcOriginId
    ? `VPC origin ${verdict.vpcOriginId}, ${verdict.domainName}`
    : verdict.domainName;
  return `origin "${verdict.originId}" (${where})`;
}

function counted(verdicts: OriginVerdict[]): string {
  const custom = verdicts.filter((verdict) => verdict.kind === "custom").length;
  const vpc = verdicts.length - custom;
  if (vpc === 0) return `${custom} custom origin(s)`;
  if (custom === 0) return `${vpc} VPC origin(s)`;
  return `${custom} custom and ${vpc} VPC origin(s)`;
}

export function detect(snapshot: Snapshot): Finding {
  const verdicts = judgeOrigins(snapshot);
  if (verdicts.length === 0) {
    return {
      status: "compliant",
      message: `distribution ${snapshot.id} has no custom or VPC origin (S3 REST origins always use HTTPS)`,
    };
  }
  const offending = verdicts.filter((verdict) => verdict.problems.length > 0);
  if (offending.length === 0) {
    return {
      status: "compliant",
      message: `distribution ${snapshot.id}: all ${counted(verdicts)} use HTTPS with TLSv1.2 only`,
    };
  }
  return {
    status: "non-compliant",
    message: offending
      .map((verdict) => `${describeOrigin(verdict)}: ${verdict.problems.join("; ")}`)
      .join(" | "),
  };
}

function connectionOf(snapshot: Snapshot, verdict: OriginVerdict): Connection | undefined {
  if (verdict.kind === "vpc") return snapshot.vpcOrigins[verdict.vpcOriginId ?? ""]?.endpoint;
  return snapshot.config.Origins?.Items?.find((candidate) => candidate.Id === verdict.originId)
    ?.CustomOriginConfig;
}

/**
 * The fields this control judges, per custom and VPC origin, sorted so that the
 * same drift always digests the same. Viewer policies only matter (and are only
 * included) for match-viewer origins.
 */
export function ownedState(snapshot: Snapshot): unknown {
  return judgeOrigins(snapshot)
    .map((verdict) => {
      const connection = connectionOf(snapshot, verdict);
      const policy = connection?.OriginProtocolPolicy ?? null;
      return {
        Id: verdict.originId,
        ...(verdict.kind === "vpc" ? { VpcOriginId: verdict.vpcOriginId } : {}),
        OriginProtocolPolicy: policy,
        OriginSslProtocols: [...(connection?.OriginSslProtocols?.Items ?? [])].sort(),
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
