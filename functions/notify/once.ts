import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { dynamo } from "../lib/clients/dynamo.js";
import type { DriftwardenResources } from "../lib/resources.js";
import type { Notification } from "./message.js";
import { publishNotification } from "./publish.js";

/** A claim outlives every retry of the step that made it. */
const keepSeconds = 7 * 86_400;

/**
 * Publishes a notification at most once per key. SNS has no deduplication for
 * email topics, so the claim is taken before publishing: a step retried after
 * it published (it died, or timed out) finds the claim and does not email
 * again. The price is that a step dying between its claim and the publish
 * stays silent; the failed execution's alarm covers that case.
 */
export async function publishOnce(
  res: Pick<DriftwardenResources, "topicArn" | "region" | "eventsTable">,
  key: string,
  notification: Notification,
  now: Date,
): Promise<{ messageId: string; published: boolean }> {
  const pk = `notified#${key}`;
  const db = dynamo(res.region);
  try {
    await db.send(
      new PutCommand({
        TableName: res.eventsTable,
        Item: { pk, claimedAt: now.toISOString(), expiresAt: Math.floor(now.getTime() / 1000) + keepSeconds },
        ConditionExpression: "attribute_not_exists(pk)",
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    const existing = await db.send(
      new GetCommand({ TableName: res.eventsTable, Key: { pk }, ConsistentRead: true }),
    );
    return { messageId: String(existing.Item?.messageId ?? ""), published: false };
  }
  let messageId: string;
  try {
    ({ messageId } = await publishNotification(res, notification));
  } catch (error) {
    // SNS refused (past the SDK's retries): nothing was sent, so the next attempt must be free to send.
    await db.send(new DeleteCommand({ TableName: res.eventsTable, Key: { pk } }));
    throw error;
  }
  await db.send(
    new UpdateCommand({
      TableName: res.eventsTable,
      Key: { pk },
      UpdateExpression: "SET messageId = :id",
      ExpressionAttributeValues: { ":id": messageId },
    }),
  );
  return { messageId, published: true };
}
