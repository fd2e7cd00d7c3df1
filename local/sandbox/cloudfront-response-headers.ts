import {
  AccessDenied,
  InvalidArgument,
  InvalidIfMatchVersion,
  NoSuchResponseHeadersPolicy,
  PreconditionFailed,
  ResponseHeadersPolicyAlreadyExists,
  TooManyResponseHeadersPolicies,
} from "@aws-sdk/client-cloudfront";
import type { SandboxClock } from "./clock.js";
import { type ManagedPolicy, managedPolicies } from "./cloudfront-managed-policies.js";
import { page } from "./cloudfront-paging.js";
import { problemError } from "./cloudfront-problems.js";
import { responseHeadersPolicyConfigProblem } from "./cloudfront-response-headers-config.js";
import { modeled } from "./errors.js";
import type { IdSource } from "./ids.js";
import { copy, isRecord, type Json } from "./json.js";
import type { StateResponseHeadersPolicy } from "./state.js";

/** Custom response headers policies per account (CloudFront quotas). */
const MAX_CUSTOM_POLICIES = 20;
const TYPES = ["managed", "custom"] as const;

interface Policy {
  type: (typeof TYPES)[number];
  id: string;
  etag: string;
  lastModified: Date;
  config: Json;
  /** For a custom policy: the state entry it came from (extra members kept), or undefined if created by a call. */
  data?: StateResponseHeadersPolicy;
}

/**
 * CloudFront's response headers policies: AWS's managed ones, which every
 * account has and nobody can change, and the account's custom ones.
 */
export class ResponseHeadersPolicies {
  private readonly all: Policy[];

  constructor(
    state: readonly StateResponseHeadersPolicy[],
    private readonly clock: SandboxClock,
    private readonly ids: IdSource,
  ) {
    this.all = [
      ...managedPolicies().map(
        (p: ManagedPolicy): Policy => ({
          type: "managed",
          id: p.Id,
          etag: p.ETag,
          lastModified: p.LastModifiedTime,
          config: p.ResponseHeadersPolicyConfig,
        }),
      ),
      ...state.map(
        (p): Policy => ({
          type: "custom",
          id: p.Id,
          etag: p.ETag,
          lastModified: p.ResponseHeadersPolicy.LastModifiedTime
            ? new Date(p.ResponseHeadersPolicy.LastModifiedTime)
            : clock.now(),
          config: copy(p.ResponseHeadersPolicy.ResponseHeadersPolicyConfig),
          data: copy(p),
        }),
      ),
    ];
  }

  exists(id: string): boolean {
    return this.all.some((p) => p.id === id);
  }

  get(input: Json): Json {
    const policy = this.find(input.Id);
    return { ResponseHeadersPolicy: this.output(policy), ETag: policy.etag };
  }

  getConfig(input: Json): Json {
    const policy = this.find(input.Id);
    return { ResponseHeadersPolicyConfig: copy(policy.config), ETag: policy.etag };
  }

  list(input: Json): Json {
    const type = input.Type;
    if (type !== undefined && !TYPES.includes(type as Policy["type"])) {
      throw modeled(InvalidArgument, `Type: '${String(type)}' is not one of ${TYPES.join(", ")}`);
    }
    const matching = this.all.filter((p) => type === undefined || p.type === type);
    const found = page(matching, (p) => p.id, input, "a response headers policy id");
    const list: Json = { MaxItems: found.maxItems, Quantity: found.items.length };
    if (found.nextMarker) list.NextMarker = found.nextMarker;
    if (found.items.length) {
      list.Items = found.items.map((p) => ({ Type: p.type, ResponseHeadersPolicy: this.output(p) }));
    }
    return { ResponseHeadersPolicyList: list };
  }

  create(input: Json): Json {
    const config = input.ResponseHeadersPolicyConfig;
    const problem = responseHeadersPolicyConfigProblem(config);
    if (problem) throw problemError(problem, "ResponseHeadersPolicyConfig");
    const valid = config as Json;
    if (this.all.some((p) => p.config.Name === valid.Name)) {
      throw modeled(
        ResponseHeadersPolicyAlreadyExists,
        `A response headers policy with this name already exists. You must provide a unique name. To modify an existing response headers policy, use UpdateResponseHeadersPolicy. (Name: ${String(valid.Name)})`,
        409,
      );
    }
    if (this.all.filter((p) => p.type === "custom").length >= MAX_CUSTOM_POLICIES) {
      throw modeled(
        TooManyResponseHeadersPolicies,
        `You have reached the maximum number of response headers policies for this AWS account (${MAX_CUSTOM_POLICIES}).`,
      );
    }
    const policy: Policy = {
      type: "custom",
      id: this.ids.uuid("response-headers-policy"),
      etag: `E${this.ids.alnum("etag", 13)}`,
      lastModified: this.clock.now(),
      config: copy(valid),
    };
    this.all.push(policy);
    return {
      ResponseHeadersPolicy: this.output(policy),
      Location: `https://cloudfront.amazonaws.com/2020-05-31/response-headers-policy/${policy.id}`,
      ETag: policy.etag,
    };
  }

  /**
   * A full replacement of a custom policy's configuration under its ETag, as
   * for distributions: every distribution that uses the policy sends the new
   * headers from then on. AWS's managed policies belong to AWS and cannot be changed.
   */
  update(input: Json): Json {
    const policy = this.find(input.Id);
    if (policy.type === "managed") {
      throw modeled(AccessDenied, "Access denied.", 403);
    }
    const ifMatch = input.IfMatch;
    if (typeof ifMatch !== "string" || ifMatch === "") {
      throw modeled(InvalidIfMatchVersion, "The If-Match version is missing or not valid for the resource.");
    }
    if (ifMatch !== policy.etag) {
      throw modeled(
        PreconditionFailed,
        "The request failed because it didn't meet the preconditions in one or more request-header fields.",
        412,
      );
    }
    const config = input.ResponseHeadersPolicyConfig;
    const problem = responseHeadersPolicyConfigProblem(config);
    if (problem) throw problemError(problem, "ResponseHeadersPolicyConfig");
    const valid = config as Json;
    if (this.all.some((p) => p !== policy && p.config.Name === valid.Name)) {
      throw modeled(
        ResponseHeadersPolicyAlreadyExists,
        `A response headers policy with this name already exists. You must provide a unique name. To modify an existing response headers policy, use UpdateResponseHeadersPolicy. (Name: ${String(valid.Name)})`,
        409,
      );
    }
    policy.config = copy(valid);
    policy.etag = `E${this.ids.alnum("etag", 13)}`;
    policy.lastModified = this.clock.now();
    return { ResponseHeadersPolicy: this.output(policy), ETag: policy.etag };
  }

  /** Custom policies in the scenario `state` shape (managed ones exist everywhere and are left out). */
  snapshot(): StateResponseHeadersPolicy[] {
    return this.all
      .filter((p) => p.type === "custom")
      .map((p) => {
        const inner = isRecord(p.data?.ResponseHeadersPolicy) ? p.data.ResponseHeadersPolicy : {};
        return {
          ...copy(p.data ?? {}),
          Id: p.id,
          ETag: p.etag,
          ResponseHeadersPolicy: {
            ...copy(inner),
            Id: p.id,
            LastModifiedTime: p.lastModified.toISOString(),
            ResponseHeadersPolicyConfig: copy(p.config),
          },
        } as StateResponseHeadersPolicy;
      });
  }

  private find(id: unknown): Policy {
    const policy = typeof id === "string" ? this.all.find((p) => p.id === id) : undefined;
    if (!policy)
      throw modeled(NoSuchResponseHeadersPolicy, "The response headers policy does not exist.", 404);
    return policy;
  }

  private output(policy: Policy): Json {
    return {
      Id: policy.id,
      LastModifiedTime: new Date(policy.lastModified),
      ResponseHeadersPolicyConfig: copy(policy.config),
    };
  }
}
