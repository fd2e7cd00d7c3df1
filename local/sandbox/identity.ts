import { ConfigurationError } from "../../functions/lib/errors.js";
import { alnumOf } from "./ids.js";

/**
 * Who makes a call against the sandbox. It is what STS GetCallerIdentity
 * answers and what the CloudTrail echo of a change names as `userIdentity`,
 * which is how the pipeline tells its own changes (the remediator role's
 * sessions) from everybody else's.
 */
export interface SandboxIdentity {
  arn: string;
  type: "AssumedRole" | "IAMUser" | "Root" | "AWSService";
  principalId: string;
  accountId: string;
  userName?: string;
  /** For an assumed role: the role's ARN (CloudTrail `sessionContext.sessionIssuer.arn`). */
  sessionIssuerArn?: string;
  sourceIp?: string;
  userAgent?: string;
}

export interface IdentityExtras {
  sourceIp?: string;
  userAgent?: string;
}

const ROLE_ARN = /^arn:(aws[a-z-]*):iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

/** IAM unique ids look like AROA/AIDA followed by 17 characters; ours are stable per principal. */
function uniqueId(prefix: string, of: string): string {
  return `${prefix}${alnumOf(of, 17)}`;
}

export function roleId(roleArn: string): string {
  return uniqueId("AROA", roleArn);
}

/** A session of `roleArn`, as STS AssumeRole (or a Lambda execution role) would create it. */
export function assumedRole(
  roleArn: string,
  sessionName: string,
  extras: IdentityExtras = {},
): SandboxIdentity {
  const match = ROLE_ARN.exec(roleArn);
  if (!match)
    throw new ConfigurationError(`"${roleArn}" is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)`);
  if (!SESSION_NAME.test(sessionName)) {
    throw new ConfigurationError(`"${sessionName}" is not a valid role session name (2-64 of [\\w+=,.@-])`);
  }
  const [, partition, account, roleName] = match as unknown as [string, string, string, string];
  return {
    arn: `arn:${partition}:sts::${account}:assumed-role/${roleName}/${sessionName}`,
    type: "AssumedRole",
    principalId: `${roleId(roleArn)}:${sessionName}`,
    accountId: account,
    sessionIssuerArn: roleArn,
    ...extras,
  };
}

export function iamUser(account: string, name: string, extras: IdentityExtras = {}): SandboxIdentity {
  if (!/^\d{12}$/.test(account))
    throw new ConfigurationError(`"${account}" is not a 12-digit AWS account id`);
  const arn = `arn:aws:iam::${account}:user/${name}`;
  return {
    arn,
    type: "IAMUser",
    principalId: uniqueId("AIDA", arn),
    accountId: account,
    userName: name,
    ...extras,
  };
}

export function rootUser(account: string, extras: IdentityExtras = {}): SandboxIdentity {
  if (!/^\d{12}$/.test(account))
    throw new ConfigurationError(`"${account}" is not a 12-digit AWS account id`);
  return {
    arn: `arn:aws:iam::${account}:root`,
    type: "Root",
    principalId: account,
    accountId: account,
    ...extras,
  };
}

/** The name at the end of a role ARN (CloudTrail's `sessionIssuer.userName`). */
export function roleName(roleArn: string): string {
  return roleArn.slice(roleArn.lastIndexOf("/") + 1);
}
