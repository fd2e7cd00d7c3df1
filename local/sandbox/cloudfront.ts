import {
  DistributionAlreadyExists,
  IllegalUpdate,
  InconsistentQuantities,
  InvalidArgument,
  InvalidIfMatchVersion,
  NoSuchDistribution,
  NoSuchOrigin,
  NoSuchResource,
  PreconditionFailed,
} from "@aws-sdk/client-cloudfront";
import { parseDistributionArn } from "./arn.js";
import type { SandboxClock } from "./clock.js";
import { modeled } from "./errors.js";
import type { IdSource } from "./ids.js";
import { copy, isRecord, type Json } from "./json.js";
import { formatPath, quantityProblem } from "./quantities.js";
import { type CallContext, type SandboxService, unsupported } from "./service.js";
import type { SandboxState, StateDistribution, StateTag } from "./state.js";

/**
 * CloudFront as its API behaves for a read-modify-write fixer: every write
 * needs the current ETag (IfMatch), stores the config exactly as given (full
 * replacement: a field left out is gone), answers with a new ETag, and the
 * distribution is InProgress until the change has "deployed" a few sandbox
 * minutes later.
 */
export const CLOUDFRONT_REGION = "us-east-1";
const DEFAULT_DEPLOY_MS = 5 * 60_000;
const ORIGIN_PROTOCOL_POLICIES = ["http-only", "match-viewer", "https-only"];
const ORIGIN_SSL_PROTOCOLS = ["SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2"];
const VIEWER_PROTOCOL_POLICIES = ["allow-all", "https-only", "redirect-to-https"];
const SUMMARY_FIELDS = [
  "Aliases",
  "Origins",
  "OriginGroups",
  "DefaultCacheBehavior",
  "CacheBehaviors",
  "CustomErrorResponses",
  "Comment",
  "PriceClass",
  "Enabled",
  "ViewerCertificate",
  "Restrictions",
  "WebACLId",
  "HttpVersion",
  "IsIPV6Enabled",
  "Staging",
];

interface DistributionRecord {
  /** The distribution as the scenario gave it (extra fields kept), with current Status/ETag/config/tags. */
  data: Json & {
    Id: string;
    ARN: string;
    DomainName: string;
    Status: string;
    ETag: string;
    DistributionConfig: Json;
    Tags: StateTag[];
  };
  lastModified: Date;
  /** Bumped on each change, so only the latest change's deployment flips Status back to Deployed. */
  version: number;
}

const MUTATING = [
  "UpdateDistribution",
  "CreateDistribution",
  "CreateDistributionWithTags",
  "CopyDistribution",
  "UpdateDistributionWithStagingConfig",
  "TagResource",
  "UntagResource",
] as const;

export class CloudFrontService implements SandboxService {
  readonly mutating: ReadonlySet<string> = new Set(MUTATING);
  private readonly distributions = new Map<string, DistributionRecord>();

  constructor(
    state: SandboxState["cloudfront"],
    private readonly account: string,
    private readonly clock: SandboxClock,
    private readonly ids: IdSource,
    private readonly deployMs = DEFAULT_DEPLOY_MS,
  ) {
    for (const d of state.distributions) {
      const lastModified = d.LastModifiedTime ? new Date(d.LastModifiedTime) : clock.now();
      const data = copy(d);
      data.DistributionConfig = withReadDefaults(data.DistributionConfig);
      this.distributions.set(d.Id, { data, lastModified, version: 0 });
    }
  }

  handle(action: string, input: Json, _ctx: CallContext): Json {
    switch (action) {
      case "GetDistribution": {
        const record = this.find(input.Id);
        return { Distribution: this.distribution(record), ETag: record.data.ETag };
      }
      case "GetDistributionConfig": {
        const record = this.find(input.Id);
        return { DistributionConfig: copy(record.data.DistributionConfig), ETag: record.data.ETag };
      }
      case "UpdateDistribution":
        return this.update(input);
      case "ListDistributions":
        return this.list(input);
      case "ListTagsForResource":
        return { Tags: { Items: copy(this.byArn(input.Resource).data.Tags) } };
      case "CreateDistribution":
        return this.create(input.DistributionConfig, []);
      case "CreateDistributionWithTags": {
        const withTags = isRecord(input.DistributionConfigWithTags) ? input.DistributionConfigWithTags : {};
        return this.create(
          withTags.DistributionConfig,
          tagItems(withTags.Tags, "DistributionConfigWithTags.Tags"),
        );
      }
      case "CopyDistribution":
        return this.copyDistribution(input);
      case "UpdateDistributionWithStagingConfig":
        return this.promote(input);
      case "TagResource":
        return this.tag(input);
      case "UntagResource":
        return this.untag(input);
      default:
        throw unsupported("cloudfront", action);
    }
  }

  /** Distributions in the scenario `state` shape, with their current Status and ETag. */
  snapshot(): SandboxState["cloudfront"] {
    // The stored data started as a validated state distribution and every write re-validated its config.
    return { distributions: [...this.distributions.values()].map((r) => copy(r.data) as StateDistribution) };
  }

  private find(id: unknown): DistributionRecord {
    const record = typeof id === "string" ? this.distributions.get(id) : undefined;
    if (!record) throw modeled(NoSuchDistribution, "The specified distribution does not exist.", 404);
    return record;
  }

  private byArn(arn: unknown): DistributionRecord {
    const parsed = parseDistributionArn(arn);
    if (!parsed) throw modeled(InvalidArgument, `Resource: '${String(arn)}' is not a distribution ARN`);
    const record = this.distributions.get(parsed.id);
    if (!record || parsed.account !== this.account) {
      throw modeled(NoSuchResource, "The specified resource does not exist.", 404);
    }
    return record;
  }

  private distribution(record: DistributionRecord): Json {
    const d = record.data;
    return {
      Id: d.Id,
      ARN: d.ARN,
      Status: d.Status,
      LastModifiedTime: new Date(record.lastModified),
      InProgressInvalidationBatches: 0,
      DomainName: d.DomainName,
      ActiveTrustedSigners: { Enabled: false, Quantity: 0 },
      ActiveTrustedKeyGroups: { Enabled: false, Quantity: 0 },
      DistributionConfig: copy(d.DistributionConfig),
    };
  }

  private update(input: Json): Json {
    const record = this.find(input.Id);
    const ifMatch = input.IfMatch;
    if (typeof ifMatch !== "string" || ifMatch === "") {
      throw modeled(InvalidIfMatchVersion, "The If-Match version is missing or not valid for the resource.");
    }
    if (ifMatch !== record.data.ETag) {
      throw modeled(
        PreconditionFailed,
        "The request failed because it didn't meet the preconditions in one or more request-header fields.",
        412,
      );
    }
    const config = validateConfig(input.DistributionConfig);
    if (config.CallerReference !== record.data.DistributionConfig.CallerReference) {
      throw modeled(IllegalUpdate, "DistributionConfig.CallerReference cannot be changed.");
    }
    record.data.DistributionConfig = copy(config);
    this.changed(record);
    return { Distribution: this.distribution(record), ETag: record.data.ETag };
  }

  /**
   * Continuous deployment: a new distribution with the primary's configuration
   * under a new CallerReference. A staging copy gets no alternate domain names
   * (CloudFront routes to it only through the primary's deployment policy).
   */
  private copyDistribution(input: Json): Json {
    const primary = this.find(input.PrimaryDistributionId);
    if (input.IfMatch !== undefined && input.IfMatch !== primary.data.ETag) {
      throw modeled(
        PreconditionFailed,
        "The request failed because it didn't meet the preconditions in one or more request-header fields.",
        412,
      );
    }
    if (typeof input.CallerReference !== "string" || input.CallerReference === "") {
      throw modeled(InvalidArgument, "CallerReference is required");
    }
    const config = copy(primary.data.DistributionConfig);
    config.CallerReference = input.CallerReference;
    const staging = input.Staging === true;
    config.Staging = staging;
    if (staging) {
      config.Aliases = { Quantity: 0 };
      config.ContinuousDeploymentPolicyId = "";
    }
    if (typeof input.Enabled === "boolean") config.Enabled = input.Enabled;
    return this.create(config, []);
  }

  /**
   * Promotes a staging configuration: the primary takes the staging
   * distribution's configuration but keeps its own CallerReference, aliases,
   * continuous deployment policy and non-staging flag. IfMatch carries both
   * ETags, "<primary>, <staging>".
   */
  private promote(input: Json): Json {
    const primary = this.find(input.Id);
    const staging = this.find(input.StagingDistributionId);
    const ifMatch = typeof input.IfMatch === "string" ? input.IfMatch.split(",").map((t) => t.trim()) : [];
    if (ifMatch.length !== 2 || ifMatch.some((t) => t === "")) {
      throw modeled(
        InvalidIfMatchVersion,
        "The If-Match version is missing or not valid for the resource: give both ETags as '<primary>, <staging>'.",
      );
    }
    if (ifMatch[0] !== primary.data.ETag || ifMatch[1] !== staging.data.ETag) {
      throw modeled(
        PreconditionFailed,
        "The request failed because it didn't meet the preconditions in one or more request-header fields.",
        412,
      );
    }
    const kept = primary.data.DistributionConfig;
    const config = copy(staging.data.DistributionConfig);
    config.CallerReference = kept.CallerReference;
    config.Staging = false;
    for (const field of ["Aliases", "ContinuousDeploymentPolicyId"]) {
      if (kept[field] === undefined) delete config[field];
      else config[field] = copy(kept[field]);
    }
    primary.data.DistributionConfig = validateConfig(config);
    this.changed(primary);
    return { Distribution: this.distribution(primary), ETag: primary.data.ETag };
  }

  private create(rawConfig: unknown, tags: StateTag[]): Json {
    const config = validateConfig(rawConfig);
    const existing = [...this.distributions.values()].find(
      (r) => r.data.DistributionConfig.CallerReference === config.CallerReference,
    );
    if (existing) {
      throw modeled(
        DistributionAlreadyExists,
        `The caller reference that you are using to create a distribution is associated with another distribution (${existing.data.Id}).`,
        409,
      );
    }
    const id = `E${this.ids.alnum("distribution", 13)}`;
    const record: DistributionRecord = {
      data: {
        Id: id,
        ARN: `arn:aws:cloudfront::${this.account}:distribution/${id}`,
        DomainName: `d${this.ids.alnum("distribution-domain", 13).toLowerCase()}.cloudfront.net`,
        Status: "InProgress",
        ETag: "",
        DistributionConfig: copy(config),
        Tags: tags,
      },
      lastModified: this.clock.now(),
      version: 0,
    };
    this.distributions.set(id, record);
    this.changed(record);
    return {
      Distribution: this.distribution(record),
      Location: `https://cloudfront.amazonaws.com/2020-05-31/distribution/${id}`,
      ETag: record.data.ETag,
    };
  }

  /** A configuration change: new ETag, InProgress now, Deployed once the sandbox clock has moved on. */
  private changed(record: DistributionRecord): void {
    const version = ++record.version;
    record.data.ETag = `E${this.ids.alnum("etag", 13)}`;
    record.data.Status = "InProgress";
    record.lastModified = this.clock.now();
    if (typeof record.data.LastModifiedTime === "string")
      record.data.LastModifiedTime = record.lastModified.toISOString();
    this.clock.after(this.deployMs, () => {
      if (record.version === version) record.data.Status = "Deployed";
    });
  }

  private list(input: Json): Json {
    const raw = input.MaxItems;
    const maxItems = raw === undefined ? 100 : Number(raw);
    if (!Number.isInteger(maxItems) || maxItems < 1 || maxItems > 1000) {
      throw modeled(InvalidArgument, "MaxItems must be a whole number between 1 and 1000");
    }
    const all = [...this.distributions.values()];
    const marker = typeof input.Marker === "string" ? input.Marker : "";
    let start = 0;
    if (marker) {
      const index = all.findIndex((r) => r.data.Id === marker);
      if (index < 0) throw modeled(InvalidArgument, `Marker: '${marker}' is not a distribution id`);
      start = index + 1;
    }
    const items = all.slice(start, start + maxItems);
    const truncated = start + maxItems < all.length;
    const list: Json = { Marker: marker, MaxItems: maxItems, IsTruncated: truncated, Quantity: items.length };
    if (truncated) list.NextMarker = items[items.length - 1]?.data.Id;
    if (items.length) list.Items = items.map((r) => this.summary(r));
    return { DistributionList: list };
  }

  private summary(record: DistributionRecord): Json {
    const config = record.data.DistributionConfig;
    const summary: Json = {
      Id: record.data.Id,
      ARN: record.data.ARN,
      ETag: record.data.ETag,
      Status: record.data.Status,
      LastModifiedTime: new Date(record.lastModified),
      DomainName: record.data.DomainName,
    };
    for (const field of SUMMARY_FIELDS) if (config[field] !== undefined) summary[field] = copy(config[field]);
    return summary;
  }

  private tag(input: Json): Json {
    const record = this.byArn(input.Resource);
    const tags = tagItems(input.Tags, "Tags");
    const byKey = new Map(record.data.Tags.map((t) => [t.Key, t]));
    for (const t of tags) byKey.set(t.Key, t);
    record.data.Tags = [...byKey.values()];
    return {};
  }

  private untag(input: Json): Json {
    const record = this.byArn(input.Resource);
    const keys =
      isRecord(input.TagKeys) && Array.isArray(input.TagKeys.Items) ? input.TagKeys.Items : undefined;
    if (!keys || keys.some((k) => typeof k !== "string"))
      throw modeled(InvalidArgument, "TagKeys.Items must list tag keys");
    record.data.Tags = record.data.Tags.filter((t) => !keys.includes(t.Key));
    return {};
  }
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
  const origins = isRecord(filled.Origins) && Array.isArray(filled.Origins.Items) ? filled.Origins.Items : [];
  for (const origin of origins) {
    const custom = isRecord(origin) ? origin.CustomOriginConfig : undefined;
    if (!isRecord(custom)) continue;
    if (custom.HTTPPort === undefined) custom.HTTPPort = 80;
    if (custom.HTTPSPort === undefined) custom.HTTPSPort = 443;
  }
  const behaviors = [
    filled.DefaultCacheBehavior,
    ...(isRecord(filled.CacheBehaviors) && Array.isArray(filled.CacheBehaviors.Items)
      ? filled.CacheBehaviors.Items
      : []),
  ];
  for (const behavior of behaviors) {
    // The console's default, and the least secure reading of a behavior that names no policy.
    if (isRecord(behavior) && behavior.ViewerProtocolPolicy === undefined)
      behavior.ViewerProtocolPolicy = "allow-all";
  }
  return filled as T;
}

function tagItems(tags: unknown, path: string): StateTag[] {
  if (tags === undefined) return [];
  const items = isRecord(tags) ? tags.Items : undefined;
  if (!Array.isArray(items)) throw modeled(InvalidArgument, `${path}.Items must be a list of tags`);
  return items.map((t, i) => {
    if (
      !isRecord(t) ||
      typeof t.Key !== "string" ||
      t.Key === "" ||
      (t.Value !== undefined && typeof t.Value !== "string")
    ) {
      throw modeled(InvalidArgument, `${path}.Items[${i}] must have a Key and a string Value`);
    }
    return copy(t) as StateTag;
  });
}

function invalid(path: (string | number)[], message: string): Error {
  return modeled(InvalidArgument, `${formatPath(["DistributionConfig", ...path])}: ${message}`);
}

/**
 * The checks CloudFront makes on a submitted DistributionConfig that a fixer
 * can get wrong: list quantities, required members, known enum values and
 * behaviors that target an existing origin.
 */
function validateConfig(raw: unknown): Json {
  if (!isRecord(raw)) throw modeled(InvalidArgument, "DistributionConfig is required");
  const quantity = quantityProblem(raw);
  if (quantity?.inconsistent) {
    throw modeled(
      InconsistentQuantities,
      `The value of Quantity and the size of Items don't match: ${formatPath(["DistributionConfig", ...quantity.path])} ${quantity.message}`,
    );
  }
  if (quantity) throw invalid(quantity.path, quantity.message);
  if (typeof raw.CallerReference !== "string" || raw.CallerReference === "")
    throw invalid(["CallerReference"], "is required");
  if (typeof raw.Comment !== "string") throw invalid(["Comment"], "is required (it may be empty)");
  if (raw.Comment.length > 128) throw invalid(["Comment"], "must be at most 128 characters");
  if (typeof raw.Enabled !== "boolean") throw invalid(["Enabled"], "is required and must be true or false");

  const origins = isRecord(raw.Origins) && Array.isArray(raw.Origins.Items) ? raw.Origins.Items : [];
  if (origins.length === 0) throw invalid(["Origins"], "a distribution needs at least one origin");
  const targets = new Set<string>();
  origins.forEach((origin, i) => {
    const at = ["Origins", "Items", i];
    if (!isRecord(origin)) throw invalid(at, "must be an origin");
    if (typeof origin.Id !== "string" || origin.Id === "") throw invalid([...at, "Id"], "is required");
    if (targets.has(origin.Id)) throw invalid([...at, "Id"], `'${origin.Id}' is used by another origin`);
    targets.add(origin.Id);
    if (typeof origin.DomainName !== "string" || origin.DomainName === "")
      throw invalid([...at, "DomainName"], "is required");
    const custom = origin.CustomOriginConfig;
    if (custom === undefined) return;
    if (!isRecord(custom)) throw invalid([...at, "CustomOriginConfig"], "must be a structure");
    checkEnum(custom.OriginProtocolPolicy, ORIGIN_PROTOCOL_POLICIES, [
      ...at,
      "CustomOriginConfig",
      "OriginProtocolPolicy",
    ]);
    for (const port of ["HTTPPort", "HTTPSPort"]) {
      const value = custom[port];
      if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > 65_535) {
        throw invalid([...at, "CustomOriginConfig", port], "must be a port number");
      }
    }
    const ssl = custom.OriginSslProtocols;
    const protocols = isRecord(ssl) && Array.isArray(ssl.Items) ? ssl.Items : [];
    if (protocols.length === 0)
      throw invalid([...at, "CustomOriginConfig", "OriginSslProtocols"], "must list at least one protocol");
    for (const [j, p] of protocols.entries()) {
      checkEnum(p, ORIGIN_SSL_PROTOCOLS, [...at, "CustomOriginConfig", "OriginSslProtocols", "Items", j]);
    }
  });
  const groups =
    isRecord(raw.OriginGroups) && Array.isArray(raw.OriginGroups.Items) ? raw.OriginGroups.Items : [];
  for (const group of groups) if (isRecord(group) && typeof group.Id === "string") targets.add(group.Id);

  const behaviors: [(string | number)[], unknown][] = [[["DefaultCacheBehavior"], raw.DefaultCacheBehavior]];
  const more =
    isRecord(raw.CacheBehaviors) && Array.isArray(raw.CacheBehaviors.Items) ? raw.CacheBehaviors.Items : [];
  more.forEach((b, i) => {
    behaviors.push([["CacheBehaviors", "Items", i], b]);
  });
  for (const [at, behavior] of behaviors) {
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

function checkEnum(value: unknown, allowed: string[], at: (string | number)[]): void {
  if (typeof value !== "string" || !allowed.includes(value)) {
    throw invalid(at, `'${String(value)}' is not one of ${allowed.join(", ")}`);
  }
}
