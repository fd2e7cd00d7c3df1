import {
  type ParameterExceptionField,
  WAFInvalidParameterException,
  WAFNonexistentItemException,
  WAFUnavailableEntityException,
} from "@aws-sdk/client-wafv2";
import type { ResponseMetadata } from "@smithy/types";
import { parseElbArn, parseWebAclArn } from "./arn.js";
import { CLOUDFRONT_REGION } from "./cloudfront.js";
import { unmodeled } from "./errors.js";
import { uuidOf } from "./ids.js";
import { copy, type Json } from "./json.js";
import type { LoadBalancerType } from "./lb-attributes.js";
import { type CallContext, type SandboxService, unsupported } from "./service.js";
import type { SandboxState } from "./state.js";

/**
 * AWS WAF (wafv2) as it treats web ACLs and the application load balancers
 * they protect: a regional web ACL protects resources of its own region, a
 * global (CLOUDFRONT) one only CloudFront distributions (which name it in their
 * own config, not through AssociateWebACL), and a resource has at most one web
 * ACL: AssociateWebACL replaces the one it had, without error (as users of
 * pulumi-aws#4782 and aws-solutions-library-samples' game backend found).
 */
export interface LoadBalancerDirectory {
  loadBalancerFacts(arn: string): { type: LoadBalancerType; region: string } | undefined;
}

type WafState = SandboxState["wafv2"];

const MUTATING = ["AssociateWebACL", "DisassociateWebACL"] as const;
const RESOURCE_TYPES = [
  "APPLICATION_LOAD_BALANCER",
  "API_GATEWAY",
  "APPSYNC",
  "COGNITO_USER_POOL",
  "APP_RUNNER_SERVICE",
  "VERIFIED_ACCESS_INSTANCE",
  "AMPLIFY",
  "AGENTCORE_GATEWAY",
];
const INVALID_ARN =
  "The ARN isn't valid. A valid ARN begins with arn: and includes other information separated by colons or slashes.";

function metadata(): ResponseMetadata {
  return { httpStatusCode: 400, attempts: 1, totalRetryDelay: 0 };
}

/** WAF words its parameter errors "Error reason: <reason>, field: <FIELD>, parameter: <value>". */
function invalidParameter(field: ParameterExceptionField, parameter: string, reason: string): Error {
  const message = `Error reason: ${reason}, field: ${field}, parameter: ${parameter}`;
  return new WAFInvalidParameterException({
    message,
    Field: field,
    Parameter: parameter,
    Reason: reason,
    $metadata: metadata(),
  });
}

function nonexistent(): Error {
  const message = "AWS WAF couldn’t perform the operation because your resource doesn’t exist.";
  return new WAFNonexistentItemException({ message, Message: message, $metadata: metadata() });
}

function unavailable(): Error {
  const message = "AWS WAF couldn’t retrieve the resource that you requested. Retry your request.";
  return new WAFUnavailableEntityException({ message, Message: message, $metadata: metadata() });
}

/** Request members the service's front door checks before WAF sees them (JSON protocol: ValidationException). */
function validation(message: string): Error {
  return unmodeled("wafv2", "ValidationException", `1 validation error detected: ${message}`);
}

function requiredArn(input: Json, key: string): string {
  const value = input[key];
  const wire = key.charAt(0).toLowerCase() + key.slice(1);
  if (value === undefined || value === null) {
    throw validation(`Value null at '${wire}' failed to satisfy constraint: Member must not be null`);
  }
  if (typeof value !== "string" || value.length < 20 || value.length > 2048) {
    throw validation(
      `Value '${String(value)}' at '${wire}' failed to satisfy constraint: Member must have length between 20 and 2048`,
    );
  }
  return value;
}

export class WafV2Service implements SandboxService {
  readonly mutating: ReadonlySet<string> = new Set(MUTATING);
  private readonly webAcls = new Map<string, Json>();
  /** Protected resource ARN -> web ACL ARN. */
  private readonly associations = new Map<string, string>();

  constructor(
    state: WafState,
    private readonly account: string,
    private readonly loadBalancers: LoadBalancerDirectory,
  ) {
    for (const acl of state.webAcls) this.webAcls.set(acl.ARN, copy(acl));
    for (const a of state.associations) this.associations.set(a.ResourceArn, a.WebACLArn);
  }

  handle(action: string, input: Json, ctx: CallContext): Json {
    this.forgetDeletedResources();
    switch (action) {
      case "GetWebACLForResource":
        return this.getWebAclForResource(input, ctx.region);
      case "AssociateWebACL":
        return this.associate(input, ctx.region);
      case "DisassociateWebACL":
        return this.disassociate(input, ctx.region);
      case "ListWebACLs":
        return this.listWebAcls(input, ctx.region);
      case "ListResourcesForWebACL":
        return this.listResources(input, ctx.region);
      case "GetWebACL":
        return this.getWebAcl(input, ctx.region);
      default:
        throw unsupported("wafv2", action);
    }
  }

  /** Whether `arn` names an existing global (CLOUDFRONT-scope) web ACL: what a distribution's WebACLId may name. */
  isGlobalWebAcl(arn: string): boolean {
    return this.webAcls.has(arn) && parseWebAclArn(arn)?.scope === "CLOUDFRONT";
  }

  /** The web ACLs and live associations in the scenario `state` shape. */
  snapshot(): WafState {
    this.forgetDeletedResources();
    return copy({
      webAcls: [...this.webAcls.values()],
      associations: [...this.associations].map(([ResourceArn, WebACLArn]) => ({ ResourceArn, WebACLArn })),
    }) as WafState;
  }

  /** Deleting a load balancer ends its association, as in AWS. */
  private forgetDeletedResources(): void {
    for (const resource of this.associations.keys()) {
      if (!this.loadBalancers.loadBalancerFacts(resource)) this.associations.delete(resource);
    }
  }

  // ---- lookups -------------------------------------------------------------

  /**
   * A regional web ACL of this region. A global ACL, or one whose ARN names
   * another region, is an invalid ARN to a regional endpoint (WAF's answer to
   * AssociateWebACL and ListResourcesForWebACL with a global ACL,
   * terraform-provider-aws#28753, prowler#5805).
   */
  private regionalAcl(arn: string, region: string): Json {
    const parsed = parseWebAclArn(arn);
    if (parsed?.scope !== "REGIONAL" || parsed.region !== region) {
      throw invalidParameter("RESOURCE_ARN", arn, INVALID_ARN);
    }
    const acl = this.webAcls.get(arn);
    if (!acl) throw nonexistent();
    return acl;
  }

  /**
   * An application load balancer of this region, the only resource type the
   * sandbox holds. Another region's load balancer is an invalid ARN here
   * (terraform-provider-aws#37778); so is a load balancer WAF cannot protect.
   */
  private protectable(arn: string, region: string, missing: () => Error): string {
    const parsed = parseElbArn(arn);
    if (parsed?.kind !== "loadbalancer" || parsed.flavor !== "app" || parsed.region !== region) {
      throw invalidParameter("RESOURCE_ARN", arn, INVALID_ARN);
    }
    if (!this.loadBalancers.loadBalancerFacts(arn)) throw missing();
    return arn;
  }

  private described(acl: Json): Json {
    const name = String(acl.Name);
    return {
      DefaultAction: { Allow: {} },
      Rules: [],
      VisibilityConfig: { SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: name },
      Capacity: 0,
      ManagedByFirewallManager: false,
      RetrofittedByFirewallManager: false,
      LabelNamespace: `awswaf:${this.account}:webacl:${name}:`,
      ...copy(acl),
    };
  }

  private lockToken(arn: string): string {
    return uuidOf(`wafv2-lock/${arn}`);
  }

  // ---- operations ----------------------------------------------------------

  private getWebAclForResource(input: Json, region: string): Json {
    const resource = this.protectable(requiredArn(input, "ResourceArn"), region, unavailable);
    const aclArn = this.associations.get(resource);
    const acl = aclArn ? this.webAcls.get(aclArn) : undefined;
    // No web ACL: the answer simply has none.
    return acl ? { WebACL: this.described(acl) } : {};
  }

  private associate(input: Json, region: string): Json {
    const aclArn = requiredArn(input, "WebACLArn");
    const resourceArn = requiredArn(input, "ResourceArn");
    this.regionalAcl(aclArn, region);
    this.protectable(resourceArn, region, unavailable);
    this.associations.set(resourceArn, aclArn);
    return {};
  }

  private disassociate(input: Json, region: string): Json {
    const resource = this.protectable(requiredArn(input, "ResourceArn"), region, nonexistent);
    this.associations.delete(resource);
    return {};
  }

  private scope(input: Json, region: string): "REGIONAL" | "CLOUDFRONT" {
    const scope = input.Scope;
    if (scope !== "REGIONAL" && scope !== "CLOUDFRONT") {
      throw validation(
        `Value ${scope === undefined ? "null" : `'${String(scope)}'`} at 'scope' failed to satisfy constraint: Member must satisfy enum value set: [CLOUDFRONT, REGIONAL]`,
      );
    }
    // CloudFront-scope resources live behind us-east-1 only.
    if (scope === "CLOUDFRONT" && region !== CLOUDFRONT_REGION) {
      throw invalidParameter("SCOPE_VALUE", scope, "The scope is not valid.");
    }
    return scope;
  }

  private listWebAcls(input: Json, region: string): Json {
    const scope = this.scope(input, region);
    const limit = input.Limit ?? 100;
    if (typeof limit !== "number" || !Number.isInteger(limit) || limit < 1 || limit > 100) {
      throw validation(
        `Value '${String(limit)}' at 'limit' failed to satisfy constraint: Member must have value between 1 and 100`,
      );
    }
    const all = [...this.webAcls.values()].filter((acl) => {
      const arn = parseWebAclArn(acl.ARN);
      return arn?.scope === scope && (scope === "CLOUDFRONT" || arn.region === region);
    });
    let start = 0;
    if (input.NextMarker !== undefined) {
      const decoded = /^offset:(\d+)$/.exec(Buffer.from(String(input.NextMarker), "base64").toString("utf8"));
      if (!decoded) {
        throw validation(
          `Value '${String(input.NextMarker)}' at 'nextMarker' failed to satisfy constraint: Member must be a marker from a previous ListWebACLs call`,
        );
      }
      start = Number(decoded[1]);
    }
    const end = start + limit;
    const WebACLs = all.slice(start, end).map((acl) => ({
      Name: acl.Name,
      Id: acl.Id,
      ...(typeof acl.Description === "string" ? { Description: acl.Description } : {}),
      LockToken: this.lockToken(String(acl.ARN)),
      ARN: acl.ARN,
    }));
    return end < all.length
      ? { NextMarker: Buffer.from(`offset:${end}`).toString("base64"), WebACLs }
      : { WebACLs };
  }

  private listResources(input: Json, region: string): Json {
    const aclArn = requiredArn(input, "WebACLArn");
    const type = input.ResourceType ?? "APPLICATION_LOAD_BALANCER";
    if (typeof type !== "string" || !RESOURCE_TYPES.includes(type)) {
      throw validation(
        `Value '${String(type)}' at 'resourceType' failed to satisfy constraint: Member must satisfy enum value set: [${RESOURCE_TYPES.join(", ")}]`,
      );
    }
    this.regionalAcl(aclArn, region);
    // Only load balancers exist in the sandbox: every other resource type has none.
    const ResourceArns =
      type === "APPLICATION_LOAD_BALANCER"
        ? [...this.associations].filter(([, acl]) => acl === aclArn).map(([resource]) => resource)
        : [];
    return { ResourceArns };
  }

  private getWebAcl(input: Json, region: string): Json {
    let arn: string;
    if (typeof input.ARN === "string") {
      arn = input.ARN;
      const parsed = parseWebAclArn(arn);
      if (!parsed) throw invalidParameter("RESOURCE_ARN", arn, INVALID_ARN);
      if (parsed.region !== region) throw nonexistent();
    } else {
      const scope = this.scope(input, region);
      const found = [...this.webAcls.values()].find((acl) => {
        const parsed = parseWebAclArn(acl.ARN);
        return (
          acl.Name === input.Name &&
          acl.Id === input.Id &&
          parsed?.scope === scope &&
          (scope === "CLOUDFRONT" || parsed.region === region)
        );
      });
      if (!found) throw nonexistent();
      arn = String(found.ARN);
    }
    const acl = this.webAcls.get(arn);
    if (!acl) throw nonexistent();
    return { WebACL: this.described(acl), LockToken: this.lockToken(arn) };
  }
}
