import { InvalidArgument, NoSuchOrigin } from "@aws-sdk/client-cloudfront";
import { connectionProblem } from "./cloudfront-origin-config.js";
import { enumProblem, type Path, problemError, quantitiesProblem } from "./cloudfront-problems.js";
import { modeled } from "./errors.js";
import { copy, isRecord, type Json } from "./json.js";
import { formatPath } from "./quantities.js";

/**
 * The structural checks CloudFront makes on a submitted DistributionConfig
 * that a fixer can get wrong (list quantities, required members, known enum
 * values, behaviors that target an existing origin), and the members
 * GetDistributionConfig always reports. Checks against other resources
 * (policies, VPC origins, web ACLs, certificates) live with the service.
 */
const VIEWER_PROTOCOL_POLICIES = ["allow-all", "https-only", "redirect-to-https"] as const;
const ORIGIN_KINDS = ["S3OriginConfig", "CustomOriginConfig", "VpcOriginConfig"] as const;

/** The origins of a configuration (none when it has no list). */
export function originsOf(config: Json): unknown[] {
  return isRecord(config.Origins) && Array.isArray(config.Origins.Items) ? config.Origins.Items : [];
}

/** The default cache behavior and every ordered one, each with its path in the configuration. */
export function behaviorsOf(config: Json): [Path, unknown][] {
  const ordered =
    isRecord(config.CacheBehaviors) && Array.isArray(config.CacheBehaviors.Items)
      ? config.CacheBehaviors.Items
      : [];
  return [
    [["DefaultCacheBehavior"], config.DefaultCacheBehavior],
    ...ordered.map((b, i): [Path, unknown] => [["CacheBehaviors", "Items", i], b]),
  ];
}

/** The alternate domain names of a configuration. */
export function aliasesOf(config: Json): string[] {
  const items = isRecord(config.Aliases) && Array.isArray(config.Aliases.Items) ? config.Aliases.Items : [];
  return items.filter((alias): alias is string => typeof alias === "string");
}

/**
 * A scenario's state may be written by hand and leave out members that
 * GetDistributionConfig always returns (Comment, a custom origin's ports, a
 * behavior's ViewerProtocolPolicy). AWS never hands out such a configuration,
 * so reading it and writing it back (what every read-modify-write fixer does)
 * is always a valid UpdateDistribution there; the sandbox fills them in as AWS
 * reports them, so it is here too. Only members left out are filled in: a
 * wrong value stays wrong. Calls are validated as given.
 */
export function withReadDefaults<T extends Json>(config: T): T {
  const filled: Json = copy(config);
  if (filled.Comment === undefined) filled.Comment = "";
  for (const origin of originsOf(filled)) {
    const custom = isRecord(origin) ? origin.CustomOriginConfig : undefined;
    if (!isRecord(custom)) continue;
    if (custom.HTTPPort === undefined) custom.HTTPPort = 80;
    if (custom.HTTPSPort === undefined) custom.HTTPSPort = 443;
  }
  for (const [, behavior] of behaviorsOf(filled)) {
    // The console's default, and the least secure reading of a behavior that names no policy.
    if (isRecord(behavior) && behavior.ViewerProtocolPolicy === undefined)
      behavior.ViewerProtocolPolicy = "allow-all";
  }
  return filled as T;
}

function invalid(path: Path, message: string): Error {
  return modeled(InvalidArgument, `${formatPath(["DistributionConfig", ...path])}: ${message}`);
}

function checkEnum(value: unknown, allowed: readonly string[], at: Path): void {
  const found = enumProblem(value, allowed, at);
  if (found) throw problemError(found, "DistributionConfig");
}

function checkOrigin(origin: unknown, at: Path, ids: Set<string>): void {
  if (!isRecord(origin)) throw invalid(at, "must be an origin");
  if (typeof origin.Id !== "string" || origin.Id === "") throw invalid([...at, "Id"], "is required");
  if (ids.has(origin.Id)) throw invalid([...at, "Id"], `'${origin.Id}' is used by another origin`);
  ids.add(origin.Id);
  if (typeof origin.DomainName !== "string" || origin.DomainName === "")
    throw invalid([...at, "DomainName"], "is required");
  const kinds = ORIGIN_KINDS.filter((kind) => origin[kind] !== undefined);
  if (kinds.length > 1) {
    throw invalid(
      at,
      `an origin is one of S3OriginConfig, CustomOriginConfig or VpcOriginConfig, not ${kinds.join(" and ")}`,
    );
  }
  const custom = origin.CustomOriginConfig;
  if (custom !== undefined) {
    if (!isRecord(custom)) throw invalid([...at, "CustomOriginConfig"], "must be a structure");
    const found = connectionProblem(custom, [...at, "CustomOriginConfig"]);
    if (found) throw problemError(found, "DistributionConfig");
  }
  const vpc = origin.VpcOriginConfig;
  if (
    vpc !== undefined &&
    (!isRecord(vpc) || typeof vpc.VpcOriginId !== "string" || vpc.VpcOriginId === "")
  ) {
    throw invalid([...at, "VpcOriginConfig", "VpcOriginId"], "is required");
  }
}

export function validateConfig(raw: unknown): Json {
  if (!isRecord(raw)) throw modeled(InvalidArgument, "DistributionConfig is required");
  const quantity = quantitiesProblem(raw);
  if (quantity) throw problemError(quantity, "DistributionConfig");
  if (typeof raw.CallerReference !== "string" || raw.CallerReference === "")
    throw invalid(["CallerReference"], "is required");
  if (typeof raw.Comment !== "string") throw invalid(["Comment"], "is required (it may be empty)");
  if (raw.Comment.length > 128) throw invalid(["Comment"], "must be at most 128 characters");
  if (typeof raw.Enabled !== "boolean") throw invalid(["Enabled"], "is required and must be true or false");

  const origins = originsOf(raw);
  if (origins.length === 0) throw invalid(["Origins"], "a distribution needs at least one origin");
  const targets = new Set<string>();
  origins.forEach((origin, i) => {
    checkOrigin(origin, ["Origins", "Items", i], targets);
  });
  const groups =
    isRecord(raw.OriginGroups) && Array.isArray(raw.OriginGroups.Items) ? raw.OriginGroups.Items : [];
  for (const group of groups) if (isRecord(group) && typeof group.Id === "string") targets.add(group.Id);

  for (const [at, behavior] of behaviorsOf(raw)) {
    if (!isRecord(behavior)) throw invalid(at, "is required");
    const target = behavior.TargetOriginId;
    if (typeof target !== "string" || !targets.has(target)) {
      throw modeled(
        NoSuchOrigin,
        `${formatPath(["DistributionConfig", ...at, "TargetOriginId"])}: no origin or origin group has the id '${String(target)}'`,
        404,
      );
    }
    checkEnum(behavior.ViewerProtocolPolicy, VIEWER_PROTOCOL_POLICIES, [...at, "ViewerProtocolPolicy"]);
  }
  return raw;
}
