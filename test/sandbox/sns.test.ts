import {
  InvalidParameterException,
  InvalidParameterValueException,
  NotFoundException,
  PublishCommand,
} from "@aws-sdk/client-sns";
import { describe, expect, it } from "vitest";
import { clients } from "../../functions/lib/aws.js";
import { failure, plugged } from "./helpers.js";

const sns = () => clients.sns("eu-west-1");

describe("SNS Publish", () => {
  it.each([
    ["100 characters", "x".repeat(100)],
    ["a non-ASCII character", "Drift fixed ✓ on shop-prod"],
    ["a line break", "Drift fixed\non shop-prod"],
    ["a leading space", " Drift fixed"],
    ["nothing at all", ""],
  ])("rejects a subject with %s", async (_case, subject) => {
    // Prepare
    const sandbox = plugged();
    const topic = sandbox.createTopic("driftwarden-alerts");

    // Act
    const error = await failure(
      sns().send(new PublishCommand({ TopicArn: topic, Subject: subject, Message: "body" })),
    );

    // Assess
    expect(error).toBeInstanceOf(InvalidParameterException);
    expect(error.message).toBe("Invalid parameter: Subject");
    expect(sandbox.published).toEqual([]);
  });

  it("delivers a 99-character subject and records the publication with flattened attributes", async () => {
    // Prepare
    const sandbox = plugged();
    const topic = sandbox.createTopic("driftwarden-alerts");
    const subject = `[HIGH] ${"x".repeat(92)}`;

    // Act
    const { MessageId } = await sns().send(
      new PublishCommand({
        TopicArn: topic,
        Subject: subject,
        Message: "ALB listener fixed",
        MessageAttributes: {
          severity: { DataType: "String", StringValue: "HIGH" },
          attempt: { DataType: "Number", StringValue: "2" },
          controls: { DataType: "String.Array", StringValue: '["alb-http-to-https-redirect"]' },
        },
      }),
    );

    // Assess
    expect(MessageId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(sandbox.published).toEqual([
      {
        topicArn: "arn:aws:sns:eu-west-1:111122223333:driftwarden-alerts",
        subject,
        message: "ALB listener fixed",
        attributes: { severity: "HIGH", attempt: "2", controls: '["alb-http-to-https-redirect"]' },
        messageId: MessageId,
        region: "eu-west-1",
        time: "2026-03-01T09:00:00.000Z",
      },
    ]);
  });

  it.each([
    [
      "an unknown topic",
      { TopicArn: "arn:aws:sns:eu-west-1:111122223333:nobody", Message: "m" },
      NotFoundException,
    ],
    [
      "a topic of another region",
      { TopicArn: "arn:aws:sns:us-east-1:111122223333:driftwarden-alerts", Message: "m" },
      InvalidParameterException,
    ],
    ["an empty message", { Message: "" }, InvalidParameterException],
    ["a message over 256 KiB", { Message: "x".repeat(256 * 1024 + 1) }, InvalidParameterException],
    [
      "an unknown attribute type",
      { Message: "m", MessageAttributes: { a: { DataType: "Text", StringValue: "v" } } },
      InvalidParameterValueException,
    ],
    [
      "an attribute without value",
      { Message: "m", MessageAttributes: { a: { DataType: "String" } } },
      InvalidParameterValueException,
    ],
    [
      "a non-numeric Number",
      { Message: "m", MessageAttributes: { a: { DataType: "Number", StringValue: "ten" } } },
      InvalidParameterValueException,
    ],
  ])("rejects %s", async (_case, input, errorClass) => {
    // Prepare
    const sandbox = plugged();
    const topic = sandbox.createTopic("driftwarden-alerts");

    // Act
    const error = await failure(sns().send(new PublishCommand({ TopicArn: topic, ...input } as never)));

    // Assess
    expect(error).toBeInstanceOf(errorClass);
    expect(sandbox.published).toEqual([]);
  });
});
