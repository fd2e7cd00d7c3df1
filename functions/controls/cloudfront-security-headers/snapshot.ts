import {
  GetResponseHeadersPolicyCommand,
  type ResponseHeadersPolicyConfig,
} from "@aws-sdk/client-cloudfront";
import { errorName } from "../../lib/errors.js";
import { cacheBehaviors } from "../cloudfront/behaviors.js";
import { collectDistribution, type DistributionSnapshot } from "../cloudfront/distribution.js";
import type { ControlContext } from "../types.js";

export interface PolicyState {
  id: string;
  config: ResponseHeadersPolicyConfig;
}

/** The distribution and every response headers policy its behaviors use (null: no such policy). */
export interface Snapshot extends DistributionSnapshot {
  policies: Record<string, PolicyState | null>;
}

/** The policy a behavior names; "" (what a cleared field reads back as) is no policy. */
export function policyIdOf(behavior: { ResponseHeadersPolicyId?: string | undefined }): string | null {
  const id = behavior.ResponseHeadersPolicyId;
  return id ? id : null;
}

export async function readPolicy(ctx: ControlContext, id: string): Promise<PolicyState | null> {
  try {
    const read = await ctx.clients.cloudfront().send(new GetResponseHeadersPolicyCommand({ Id: id }));
    const config = read.ResponseHeadersPolicy?.ResponseHeadersPolicyConfig;
    return config ? { id, config } : null;
  } catch (error) {
    if (errorName(error) === "NoSuchResponseHeadersPolicy") return null;
    throw error;
  }
}

export async function collect(ctx: ControlContext, resource: string): Promise<Snapshot | null> {
  const distribution = await collectDistribution(ctx, resource);
  if (!distribution) return null;
  const ids = new Set(
    cacheBehaviors(distribution.config)
      .map(({ behavior }) => policyIdOf(behavior))
      .filter((id): id is string => id !== null),
  );
  const policies: Snapshot["policies"] = {};
  for (const id of ids) policies[id] = await readPolicy(ctx, id);
  return { ...distribution, policies };
}
