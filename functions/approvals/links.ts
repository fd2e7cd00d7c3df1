import { GenerateMacCommand } from "@aws-sdk/client-kms";
import { kms } from "../lib/clients/kms.js";
import type { DriftwardenResources } from "../lib/resources.js";
import { LINK_MAC_ALGORITHM, type LinkKey, linkKeyOf, linkMessage, linkUrl } from "./link-format.js";

export type { LinkDecision, LinkKey } from "./link-format.js";

/**
 * Makes approval links with KMS GenerateMac (see link-format.ts): the request
 * step and the reminders may only make them, the endpoint only check them.
 */
export async function signLink(key: LinkKey, id: string, expires: number): Promise<string> {
  const { Mac } = await kms(key.region).send(
    new GenerateMacCommand({
      KeyId: key.keyArn,
      Message: linkMessage(id, expires),
      MacAlgorithm: LINK_MAC_ALGORITHM,
    }),
  );
  if (!Mac) throw new TypeError(`KMS GenerateMac with ${key.keyArn} returned no MAC`);
  return Buffer.from(Mac).toString("base64url");
}

/**
 * The Approve and Reject links of a request (one GenerateMac, both links carry
 * it), and the table and region the CLI needs (`driftwarden approve` reads them
 * from its environment), so an email can name them.
 */
export async function approvalLinks(
  res: Pick<DriftwardenResources, "approvalUrl" | "approvalKeyArn" | "region"> &
    Partial<Pick<DriftwardenResources, "approvalsTable">>,
  id: string,
  expiresAt: Date,
): Promise<{ approveUrl?: string; rejectUrl?: string; cli?: { table: string; region: string } }> {
  const cli = res.approvalsTable ? { cli: { table: res.approvalsTable, region: res.region } } : {};
  const key = linkKeyOf(res);
  if (!res.approvalUrl || !key) return cli;
  const expires = Math.floor(expiresAt.getTime() / 1000);
  const sig = await signLink(key, id, expires);
  return {
    approveUrl: linkUrl(res.approvalUrl, { id, decision: "approve", expires, sig }),
    rejectUrl: linkUrl(res.approvalUrl, { id, decision: "reject", expires, sig }),
    ...cli,
  };
}
