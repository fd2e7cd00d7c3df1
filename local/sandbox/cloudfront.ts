import {
  DistributionAlreadyExists,
  DistributionNotDisabled,
  EntityNotFound,
  IllegalUpdate,
  InvalidArgument,
  InvalidIfMatchVersion,
  InvalidTagging,
  NoSuchDistribution,
  NoSuchResource,
  PreconditionFailed,
} from "@aws-sdk/client-cloudfront";
import { isGlobalWebAclArn, parseDistributionArn } from "./arn.js";
import type { SandboxClock } from "./clock.js";
import { aliasesOf, withReadDefaults } from "./cloudfront-distribution-config.js";
import { acceptedConfig } from "./cloudfront-distribution-links.js";
import { page } from "./cloudfront-paging.js";
import { ResponseHeadersPolicies } from "./cloudfront-response-headers.js";
import type { AcmCertificate } from "./cloudfront-viewer-certificate.js";
import { VpcOrigins } from "./cloudfront-vpc-origins.js";
import { modeled, unmodeled } from "./errors.js";
import type { IdSource } from "./ids.js";
import { copy, isRecord, type Json } from "./json.js";
import { type CallContext, type SandboxService, unsupported, wirePath } from "./service.js";
import type { SandboxState, StateDistribution, StateTag } from "./state.js";

/**
 * CloudFront as its API behaves for a read-modify-write fixer: every write
 * needs the current ETag (IfMatch), stores the config as given (full
 * replacement: a field left out is gone; only the viewer certificate is
 * reported CloudFront's way), answers with a new ETag, and the distribution is
 * InProgress until the change has "deployed" a few sandbox minutes later. A
 * configuration is checked against the account's response headers policies,
 * VPC origins, web ACLs, certificates and other distributions' aliases.
 */
export const CLOUDFRONT_REGION = "us-east-1";
const DEFAULT_DEPLOY_MS = 5 * 60_000;
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
  "AssociateDistributionWebACL",
  "DisassociateDistributionWebACL",
  "DeleteDistribution",
  "TagResource",
  "UntagResource",
  "CreateResponseHeadersPolicy",
  "UpdateResponseHeadersPolicy",
  "UpdateVpcOrigin",
] as const;

/** What CloudFront checks a distribution against that other services hold. */
export interface CloudFrontLinks {
  /** Whether a CLOUDFRONT-scope WAFv2 web ACL with this ARN exists (the WAFv2 stand-in answers). */
  webAclExists?: (arn: string) => boolean;
  /** The account's ACM certificates, when the scenario describes them (see checkViewerCertificate). */
  certificates?: readonly AcmCertificate[];
}

export class CloudFrontService implements SandboxService {
  readonly mutating: ReadonlySet<string> = new Set(MUTATING);
  private readonly distributions = new Map<string, DistributionRecord>();
  private readonly policies: ResponseHeadersPolicies;
  private readonly vpcOrigins: VpcOrigins;
  /**
   * Web ACLs the initial state's distributions use: WAF refuses to delete a web
   * ACL a resource uses, so they exist whether or not the scenario lists them.
   */
  private readonly webAclsInUse: ReadonlySet<string>;

  constructor(
    state: SandboxState["cloudfront"],
    private readonly account: string,
    private readonly clock: SandboxClock,
    private readonly ids: IdSource,
    private readonly deployMs = DEFAULT_DEPLOY_MS,
    private readonly links: CloudFrontLinks = {},
  ) {
    for (const d of state.distributions) {
      const lastModified = d.LastModifiedTime ? new Date(d.LastModifiedTime) : clock.now();
      const data = copy(d);
      data.DistributionConfig = withReadDefaults(data.DistributionConfig);
      this.distributions.set(d.Id, { data, lastModified, version: 0 });
    }
    this.webAclsInUse = new Set(
      state.distributions
        .map((d) => d.DistributionConfig.WebACLId)
        .filter((id): id is string => typeof id === "string" && id !== ""),
    );
    this.policies = new ResponseHeadersPolicies(state.responseHeadersPolicies, clock, ids);
    this.vpcOrigins = new VpcOrigins(state.vpcOrigins, clock, ids, deployMs, (id) =>
      [...this.distributions.values()].some((r) => originsOf(r.data.DistributionConfig).includes(id)),
    );
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
      case "AssociateDistributionWebACL":
        return this.setWebAcl(input, input.WebACLArn);
      case "DisassociateDistributionWebACL":
        return this.setWebAcl(input, "");
      case "DeleteDistribution":
        return this.delete(input);
      case "TagResource":
        return this.tag(input);
      case "UntagResource":
        return this.untag(input);
      case "GetResponseHeadersPolicy":
        return this.policies.get(input);
      case "GetResponseHeadersPolicyConfig":
        return this.policies.getConfig(input);
      case "ListResponseHeadersPolicies":
        return this.policies.list(input);
      case "CreateResponseHeadersPolicy":
        return this.policies.create(input);
      case "UpdateResponseHeadersPolicy":
        return this.policies.update(input);
      case "GetVpcOrigin":
        return this.vpcOrigins.get(input);
      case "UpdateVpcOrigin":
        return this.vpcOrigins.update(input);
      case "ListVpcOrigins":
        return this.vpcOrigins.list(input);
      default:
        throw unsupported("cloudfront", action);
    }
  }

  /** Distributions, custom response headers policies and VPC origins in the scenario `state` shape, as they are now. */
  snapshot(): SandboxState["cloudfront"] {
    return {
      // The stored data started as a validated state distribution and every write re-validated its config.
      distributions: [...this.distributions.values()].map((r) => copy(r.data) as StateDistribution),
      responseHeadersPolicies: this.policies.snapshot(),
      vpcOrigins: this.vpcOrigins.snapshot(),
    };
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
    checkIfMatch(record, input.IfMatch);
    const config = this.accepted(input.DistributionConfig, record);
    if (config.CallerReference !== record.data.DistributionConfig.CallerReference) {
      throw modeled(IllegalUpdate, "DistributionConfig.CallerReference cannot be changed.");
    }
    record.data.DistributionConfig = copy(config);
    this.changed(record);
    return { Distribution: this.distribution(record), ETag: record.data.ETag };
  }

  /**
   * CloudFront's own web ACL calls: they set or clear the distribution's
   * WebACLId as an UpdateDistribution would (new ETag, InProgress), under the
   * same IfMatch. Their model names no NoSuchDistribution: an unknown
   * distribution or web ACL is EntityNotFound.
   */
  private setWebAcl(input: Json, webAclArn: unknown): Json {
    const record = this.distributions.get(typeof input.Id === "string" ? input.Id : "");
    if (!record) throw modeled(EntityNotFound, "The entity was not found.", 404);
    checkIfMatch(record, input.IfMatch);
    if (typeof webAclArn !== "string" || (webAclArn !== "" && !isGlobalWebAclArn(webAclArn))) {
      throw modeled(
        InvalidArgument,
        `WebACLArn: '${String(webAclArn)}' is not the ARN of a web ACL in the CLOUDFRONT scope`,
      );
    }
    const exists = this.webAclsInUse.has(webAclArn) || this.links.webAclExists?.(webAclArn) === true;
    if (webAclArn !== "" && !exists) throw modeled(EntityNotFound, "The entity was not found.", 404);
    record.data.DistributionConfig = { ...copy(record.data.DistributionConfig), WebACLId: webAclArn };
    this.changed(record);
    const output: Json = { Id: record.data.Id, ETag: record.data.ETag };
    if (webAclArn !== "") output.WebACLArn = webAclArn;
    return output;
  }

  /**
   * Only a distribution that is disabled and whose disabling has deployed can
   * be deleted, under its current ETag; it is gone for good.
   */
  private delete(input: Json): Json {
    const record = this.find(input.Id);
    checkIfMatch(record, input.IfMatch);
    if (record.data.DistributionConfig.Enabled !== false || record.data.Status !== "Deployed") {
      throw modeled(
        DistributionNotDisabled,
        "The distribution you are trying to delete has not been disabled.",
        409,
      );
    }
    this.distributions.delete(record.data.Id);
    return {};
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
    primary.data.DistributionConfig = this.accepted(config, primary);
    this.changed(primary);
    return { Distribution: this.distribution(primary), ETag: primary.data.ETag };
  }

  private create(rawConfig: unknown, tags: StateTag[]): Json {
    const config = this.accepted(rawConfig);
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
    const found = page([...this.distributions.values()], (r) => r.data.Id, input, "a distribution id");
    const list: Json = {
      Marker: found.marker,
      MaxItems: found.maxItems,
      IsTruncated: found.truncated,
      Quantity: found.items.length,
    };
    if (found.nextMarker) list.NextMarker = found.nextMarker;
    if (found.items.length) list.Items = found.items.map((r) => this.summary(r));
    return { DistributionList: list };
  }

  /** A submitted configuration as CloudFront accepts and stores it, for `current` (the distribution being changed). */
  private accepted(raw: unknown, current?: DistributionRecord): Json {
    return acceptedConfig(raw, current?.data.DistributionConfig, {
      account: this.account,
      policyExists: (id) => this.policies.exists(id),
      vpcOriginExists: (id) => this.vpcOrigins.exists(id),
      webAclExists: (arn) => this.webAclsInUse.has(arn) || this.links.webAclExists?.(arn) === true,
      aliasTaken: (alias) =>
        [...this.distributions.values()].some(
          (r) => r !== current && aliasesOf(r.data.DistributionConfig).some((a) => a.toLowerCase() === alias),
        ),
      certificates: this.links.certificates,
    });
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
    // The aws: prefix (any case) belongs to AWS (aws:cloudformation:stack-name names a resource's owner):
    // nobody can add or change such a tag afterwards. (CloudFormation's own create carries them, so
    // CreateDistributionWithTags, which a scenario may make on CloudFormation's behalf, is not checked.)
    if (tags.some((t) => t.Key.toLowerCase().startsWith("aws:"))) {
      throw modeled(InvalidTagging, "The tagging specified is not valid.");
    }
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
    if (keys.some((k) => String(k).toLowerCase().startsWith("aws:"))) {
      throw modeled(InvalidTagging, "The tagging specified is not valid.");
    }
    record.data.Tags = record.data.Tags.filter((t) => !keys.includes(t.Key));
    return {};
  }
}

/** The VPC origins a distribution configuration's origins name. */
function originsOf(config: Json): string[] {
  const origins = isRecord(config.Origins) && Array.isArray(config.Origins.Items) ? config.Origins.Items : [];
  return origins.flatMap((origin) => {
    const vpc = isRecord(origin) && isRecord(origin.VpcOriginConfig) ? origin.VpcOriginConfig : undefined;
    return typeof vpc?.VpcOriginId === "string" ? [vpc.VpcOriginId] : [];
  });
}

function checkIfMatch(record: DistributionRecord, ifMatch: unknown): void {
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
    tagConstraint(t.Key, 128, `${path}.Items.${i + 1}.Key`);
    if (t.Value !== undefined) tagConstraint(t.Value, 256, `${path}.Items.${i + 1}.Value`);
    return copy(t) as StateTag;
  });
}

const TAG_PATTERN = "^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$";
const tagText = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/**
 * CloudFront checks tag keys and values against its model while reading the
 * request, as in the wild: "1 validation error detected: Value '...' at
 * 'distributionConfigWithTags.tags.items.1.member.value' failed to satisfy
 * constraint: Member must satisfy regular expression pattern: ...". So a tag
 * can never carry a newline, quotes, `;`, `,`, `<` or `>` into driftwarden.
 */
function tagConstraint(text: string, max: number, path: string): void {
  const at = wirePath(path);
  if (text.length > max) {
    throw unmodeled(
      "cloudfront",
      "MalformedXML",
      `1 validation error detected: Value '${text}' at '${at}' failed to satisfy constraint: Member must have length less than or equal to ${max}`,
    );
  }
  if (!tagText.test(text)) {
    throw unmodeled(
      "cloudfront",
      "MalformedXML",
      `1 validation error detected: Value '${text}' at '${at}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${TAG_PATTERN}`,
    );
  }
}
