import {
  CNAMEAlreadyExists,
  EntityNotFound,
  InvalidArgument,
  InvalidWebACLId,
  NoSuchResponseHeadersPolicy,
} from "@aws-sdk/client-cloudfront";
import { isGlobalWebAclArn } from "./arn.js";
import { aliasesOf, behaviorsOf, originsOf, validateConfig } from "./cloudfront-distribution-config.js";
import { type AcmCertificate, checkViewerCertificate } from "./cloudfront-viewer-certificate.js";
import { modeled } from "./errors.js";
import { isRecord, type Json } from "./json.js";
import { formatPath } from "./quantities.js";

/** What a distribution configuration refers to outside itself, as the account has it now. */
export interface DistributionLinks {
  account: string;
  policyExists: (id: string) => boolean;
  vpcOriginExists: (id: string) => boolean;
  /** Whether a web ACL with this ARN exists (CloudFront checks the ARN's shape and scope itself). */
  webAclExists: (arn: string) => boolean;
  /** Whether another distribution holds this (lowercase) alias. */
  aliasTaken: (alias: string) => boolean;
  certificates?: readonly AcmCertificate[];
}

/**
 * A submitted configuration as CloudFront accepts and stores it: structurally
 * valid, naming only policies, VPC origins and a web ACL that exist, with a
 * viewer certificate that covers any alias it adds to `current` (the
 * configuration it replaces; none for a new distribution) and aliases no other
 * distribution holds.
 */
export function acceptedConfig(raw: unknown, current: Json | undefined, links: DistributionLinks): Json {
  const config = validateConfig(raw);
  checkPolicies(config, links);
  checkVpcOrigins(config, links);
  checkWebAcl(config.WebACLId, links);
  const before = new Set(current ? aliasesOf(current).map((a) => a.toLowerCase()) : []);
  const added = aliasesOf(config).filter((alias) => !before.has(alias.toLowerCase()));
  checkAliasNames(added);
  checkAliasesFree(added, links);
  const viewer = checkViewerCertificate(config.ViewerCertificate, {
    account: links.account,
    addedAliases: added,
    certificates: links.certificates,
  });
  return viewer ? { ...config, ViewerCertificate: viewer } : config;
}

function checkPolicies(config: Json, links: DistributionLinks): void {
  for (const [path, behavior] of behaviorsOf(config)) {
    const id = isRecord(behavior) ? behavior.ResponseHeadersPolicyId : undefined;
    if (id === undefined || id === "") continue;
    if (typeof id !== "string" || !links.policyExists(id)) {
      throw modeled(
        NoSuchResponseHeadersPolicy,
        `The response headers policy does not exist: ${formatPath(["DistributionConfig", ...path, "ResponseHeadersPolicyId"])} '${String(id)}'`,
        404,
      );
    }
  }
}

function checkVpcOrigins(config: Json, links: DistributionLinks): void {
  originsOf(config).forEach((origin, i) => {
    const vpc = isRecord(origin) ? origin.VpcOriginConfig : undefined;
    const id = isRecord(vpc) ? vpc.VpcOriginId : undefined;
    if (typeof id === "string" && !links.vpcOriginExists(id)) {
      throw modeled(
        EntityNotFound,
        `The entity was not found: ${formatPath(["DistributionConfig", "Origins", "Items", i, "VpcOriginConfig", "VpcOriginId"])} names no VPC origin '${id}'.`,
        404,
      );
    }
  });
}

/** Empty, or the ARN of a CLOUDFRONT-scope WAFv2 web ACL that exists (WAF Classic ids name nothing here). */
function checkWebAcl(id: unknown, links: DistributionLinks): void {
  if (id === undefined || id === "") return;
  if (typeof id !== "string" || !id.startsWith("arn:")) {
    throw modeled(InvalidWebACLId, `Invalid webACL identifier provided ${String(id)}`);
  }
  if (!isGlobalWebAclArn(id) || !links.webAclExists(id))
    throw modeled(InvalidWebACLId, `Web ACL is not accessible by the requester. (${id})`);
}

/** Lowercase, with a wildcard only as the whole leftmost label (Developer Guide, "Using wildcards in alternate domain names"). */
function checkAliasNames(added: string[]): void {
  for (const alias of added) {
    const labels = alias.split(".");
    const wildcardMisplaced = labels.some((label, i) => label.includes("*") && (i > 0 || label !== "*"));
    if (alias !== alias.toLowerCase() || wildcardMisplaced || labels.length < 2 || labels.includes("")) {
      throw modeled(
        InvalidArgument,
        `DistributionConfig.Aliases: '${alias}' is not a valid alternate domain name (lowercase, a wildcard only as the leftmost label: *.example.com)`,
      );
    }
  }
}

/** An alias belongs to one distribution at a time. */
function checkAliasesFree(added: string[], links: DistributionLinks): void {
  const taken = added.find((alias) => links.aliasTaken(alias.toLowerCase()));
  if (taken !== undefined) {
    throw modeled(
      CNAMEAlreadyExists,
      `One or more of the CNAMEs you provided are already associated with a different resource. (${taken})`,
      409,
    );
  }
}
