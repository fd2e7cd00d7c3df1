import { PublishCommand } from "@aws-sdk/client-sns";
import { sns } from "../lib/clients/sns.js";
import type { DriftwardenResources } from "../lib/resources.js";
import type { Notification } from "./message.js";

/** Message attributes let subscribers filter (e.g. approvals and failures only). */
export async function publishNotification(
  res: Pick<DriftwardenResources, "topicArn" | "region">,
  notification: Notification,
): Promise<{ messageId: string }> {
  const result = await sns(res.region).send(
    new PublishCommand({
      TopicArn: res.topicArn,
      Subject: notification.subject,
      Message: notification.message,
      MessageAttributes: Object.fromEntries(
        Object.entries(notification.attributes).map(([name, value]) => [
          name,
          { DataType: "String", StringValue: value },
        ]),
      ),
    }),
  );
  return { messageId: result.MessageId ?? "" };
}
