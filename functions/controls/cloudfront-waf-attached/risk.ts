import { GetWebACLCommand } from "@aws-sdk/client-wafv2";
import { errorName } from "../../lib/errors.js";
import { type DistributionSnapshot, viewerHosts } from "../cloudfront/distribution.js";
import type { Change, ControlContext, RiskAssessment } from "../types.js";
import { plannedWebAcl } from "./planner.js";

/** CLOUDFRONT-scope web ACLs live in us-east-1, whatever the home region. */
const CLOUDFRONT_WAF_REGION = "us-east-1";
const globalWebAclParts = /^arn:aws[a-z-]*:wafv2:us-east-1:\d{12}:global\/webacl\/([^/]+)\/([^/]+)$/;

/**
 * Whether the web ACL the fix would attach exists in this account. A deleted
 * web ACL, or an ARN with a typo or another account's id, can never be
 * attached (CloudFront refuses the update), so asking on-call to approve it
 * would only end in a failure after their decision.
 */
async function webAclExists(ctx: ControlContext, arn: string): Promise<boolean> {
  const [, name, id] = globalWebAclParts.exec(arn) ?? [];
  if (!name || !id) return false;
  try {
    const read = await ctx.clients
      .wafv2(CLOUDFRONT_WAF_REGION)
      .send(new GetWebACLCommand({ Name: name, Id: id, Scope: "CLOUDFRONT" }));
    // Name and Id are looked up in the caller's account: the ARN says whether it is the one configured.
    return read.WebACL?.ARN === arn;
  } catch (error) {
    if (errorName(error) === "WAFNonexistentItemException") return false;
    throw error;
  }
}

/**
 * Every viewer request then passes the web ACL's rules, so a rule that misfires
 * blocks real viewers: on-call decides. A configured web ACL that does not
 * exist cannot be the fix (blocked, naming the setting).
 */
export async function assessRisk(
  snapshot: DistributionSnapshot,
  changes: Change[],
  ctx: ControlContext,
): Promise<RiskAssessment[]> {
  const where = viewerHosts(snapshot).join(", ");
  return Promise.all(
    changes.map(async (change): Promise<RiskAssessment> => {
      const webAcl = plannedWebAcl(change) ?? "?";
      if (!(await webAclExists(ctx, webAcl))) {
        return {
          level: "blocked",
          reasons: [
            `the configured web ACL ${webAcl} (controls.cloudfront-waf-attached.webAclArn) does not exist in account ${ctx.account} (CLOUDFRONT scope): CloudFront cannot attach it`,
          ],
        };
      }
      return {
        level: "approval",
        reasons: [
          `attaching web ACL ${webAcl} puts every viewer request to ${where} through its rules: ` +
            "a request a rule blocks gets 403 Forbidden (or the rule's custom response) instead of the page",
          "legitimate traffic a rule can misjudge: rate limits hit by busy offices behind one NAT or by API clients, " +
            "managed rule groups flagging large request bodies, SQL- or script-like query strings and uploads, " +
            "bot rules blocking monitoring, crawlers and partners' servers, IP reputation lists catching VPN users",
        ],
      };
    }),
  );
}
