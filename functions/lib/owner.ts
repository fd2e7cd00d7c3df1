import type { Actor, SourceFix } from "../controls/types.js";
import { cleanText } from "./untrusted.js";

/**
 * Where a drift comes from. A resource that a stack or a platform manages
 * goes back to what its source says on the next deploy, undoing a hand fix
 * and driftwarden's fix alike; the fix that lasts is made in that source.
 * Tags on the resource say who manages it; the user agent of the CloudTrail
 * call says which tool made the change. Both are written by whoever can tag
 * the resource or make the call, so the names are cleaned before they are
 * shown, and an owner is a hint for on-call, never a reason to act.
 */
export type OwnerKind = "elastic-beanstalk" | "cdk" | "cloudformation" | "terraform" | "pulumi";

export interface Owner {
  kind: OwnerKind;
  /** Stack or environment name when the tags give one (cleaned, at most 128 characters). */
  name?: string;
  /** What gave it away, for on-call to check: a tag or the user agent. */
  evidence: string;
}

export const ownerLabels: Record<OwnerKind, string> = {
  "elastic-beanstalk": "Elastic Beanstalk environment",
  cdk: "AWS CDK app (a CloudFormation stack)",
  cloudformation: "CloudFormation stack",
  terraform: "Terraform",
  pulumi: "Pulumi",
};

// Names of stacks and environments are at most 128 characters in AWS.
const NAME_LENGTH = 128;

const tagsFirst: { tag: string; kind: OwnerKind }[] = [
  // An Elastic Beanstalk environment is also a CloudFormation stack (awseb-e-...-stack): its option settings win.
  { tag: "elasticbeanstalk:environment-name", kind: "elastic-beanstalk" },
  { tag: "aws:cdk:path", kind: "cdk" },
  { tag: "aws:cloudformation:stack-name", kind: "cloudformation" },
];

/**
 * User agents, most specific first: Pulumi's AWS provider is built on
 * Terraform's and says `APN/1.0 Pulumi/1.0 Pulumi-Aws/...`, while its older
 * releases still sent `HashiCorp/1.0 Terraform/...`; the CDK CLI sends
 * `aws-cdk/<version>`; CloudFormation and Elastic Beanstalk call as their
 * service (`cloudformation.amazonaws.com`).
 */
const agents: { pattern: RegExp; kind: OwnerKind; evidence: string }[] = [
  { pattern: /\bpulumi(?:-aws|awsnative)?\/\S+/i, kind: "pulumi", evidence: "a Pulumi user agent" },
  {
    pattern: /\bAPN\/1\.0 HashiCorp\/1\.0 Terraform\/|\bterraform-provider-aws\//i,
    kind: "terraform",
    evidence: "a Terraform user agent",
  },
  { pattern: /\baws-cdk\/\d/i, kind: "cdk", evidence: "an AWS CDK user agent" },
  {
    pattern: /^elasticbeanstalk\.amazonaws\.com$/i,
    kind: "elastic-beanstalk",
    evidence: "a call made by Elastic Beanstalk",
  },
  {
    pattern: /^cloudformation\.amazonaws\.com$/i,
    kind: "cloudformation",
    evidence: "a call made by CloudFormation",
  },
];

// CDK's bootstrap creates the role CloudFormation deploys with: cdk-<qualifier>-cfn-exec-role-<account>-<region>.
const CDK_EXEC_ROLE = /:role\/(?:[^/]*\/)*cdk-[a-z0-9]+-cfn-exec-role-\d{12}-[a-z0-9-]+$/;

export interface OwnerClues {
  /** The resource's tags (load balancer or distribution). */
  tags?: Record<string, string>;
  /** Who made the change, as intake recorded it from CloudTrail. */
  actor?: Pick<Actor, "userAgent" | "sourceIp" | "sessionIssuerArn"> | null;
}

function fromTags(tags: Record<string, string>): Owner | undefined {
  for (const { tag, kind } of tagsFirst) {
    const value = tags[tag];
    if (value === undefined) continue;
    // aws:cdk:path names a construct (Stack/Construct/Resource): its first segment is the stack.
    const name = kind === "cdk" ? (value.split("/")[0] ?? value) : value;
    const stack = tags["aws:cloudformation:stack-name"];
    return {
      kind,
      name: cleanText(kind === "cdk" && stack ? stack : name, { max: NAME_LENGTH }),
      evidence: `tag ${tag}`,
    };
  }
  return undefined;
}

function fromActor(actor: NonNullable<OwnerClues["actor"]>): Owner | undefined {
  const agent = actor.userAgent ?? "";
  for (const { pattern, kind, evidence } of agents) {
    if (pattern.test(agent)) {
      if (kind === "cloudformation" && CDK_EXEC_ROLE.test(actor.sessionIssuerArn ?? "")) {
        return { kind: "cdk", evidence: "CloudFormation deploying with a CDK bootstrap role" };
      }
      return { kind, evidence };
    }
  }
  // Some service calls carry the service as the source address and something else as the agent.
  if (/^elasticbeanstalk\.amazonaws\.com$/i.test(actor.sourceIp ?? "")) {
    return { kind: "elastic-beanstalk", evidence: "a call made by Elastic Beanstalk" };
  }
  if (/^cloudformation\.amazonaws\.com$/i.test(actor.sourceIp ?? "")) {
    return { kind: "cloudformation", evidence: "a call made by CloudFormation" };
  }
  return undefined;
}

/**
 * The owner the tags name (they say who manages the resource, whoever made
 * this change), else the tool the actor's call came from; undefined for a
 * person at the console or an unknown script.
 */
export function identifyOwner(clues: OwnerClues): Owner | undefined {
  const tagged = clues.tags ? fromTags(clues.tags) : undefined;
  if (tagged) return tagged;
  return clues.actor ? fromActor(clues.actor) : undefined;
}

/** `Elastic Beanstalk environment "shop-prod" (tag elasticbeanstalk:environment-name)`. */
export function describeOwner(owner: Owner): string {
  const name = owner.name ? ` ${JSON.stringify(owner.name)}` : "";
  return `${ownerLabels[owner.kind]}${name} (from ${owner.evidence})`;
}

/** The source fix in the owner's own terms; Pulumi's AWS provider takes Terraform's arguments. */
export function sourceFixFor(owner: Owner, fix: SourceFix | undefined): string | undefined {
  if (!fix) return undefined;
  switch (owner.kind) {
    case "elastic-beanstalk":
      return fix.elasticBeanstalk;
    case "cdk":
      return fix.cdk;
    case "cloudformation":
      return fix.cloudFormation;
    case "terraform":
      return fix.terraform;
    case "pulumi":
      return `Pulumi's AWS provider takes Terraform's arguments, in camelCase:\n${fix.terraform}`;
  }
}
