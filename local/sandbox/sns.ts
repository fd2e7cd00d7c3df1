import {
  InvalidParameterException,
  InvalidParameterValueException,
  NotFoundException,
} from "@aws-sdk/client-sns";
import { modeled } from "./errors.js";
import type { IdSource } from "./ids.js";
import { isRecord, type Json } from "./json.js";
import { type CallContext, type SandboxService, unsupported } from "./service.js";

/**
 * SNS Publish with the limits AWS enforces, because a notifier that builds a
 * subject from a resource name (too long, a line break, a non-ASCII character)
 * fails in production exactly there.
 */
export interface Publication {
  topicArn: string;
  subject?: string;
  message: string;
  /** Message attributes flattened to their string form (String.Array as its JSON text, Binary as base64). */
  attributes: Record<string, string>;
  messageId: string;
  region: string;
  time: string;
}

const TOPIC_ARN = /^arn:(aws[a-z-]*):sns:([a-z]{2}(?:-[a-z]+)+-\d):(\d{12}):([\w-]{1,256}(?:\.fifo)?)$/;
/** Printable ASCII, first character a letter, digit or punctuation, fewer than 100 characters. */
const SUBJECT = /^[A-Za-z0-9!-/:-@[-`{-~][\x20-\x7E]{0,98}$/;
const MAX_MESSAGE_BYTES = 256 * 1024;
const MAX_ATTRIBUTES = 10;
const ATTRIBUTE_NAME = /^[A-Za-z0-9_.-]{1,256}$/;

function invalidParameter(what: string): Error {
  return modeled(InvalidParameterException, `Invalid parameter: ${what}`);
}

function invalidAttribute(message: string): Error {
  return modeled(InvalidParameterValueException, message);
}

export class SnsService implements SandboxService {
  /** Publications are data events, not account changes: they are reported in `published`, not as mutations. */
  readonly mutating: ReadonlySet<string> = new Set();
  readonly published: Publication[] = [];
  private readonly topics = new Set<string>();

  constructor(
    private readonly account: string,
    private readonly ids: IdSource,
  ) {}

  createTopic(name: string, region: string): string {
    const arn = `arn:aws:sns:${region}:${this.account}:${name}`;
    if (!TOPIC_ARN.test(arn)) throw invalidParameter(`Topic Name`);
    this.topics.add(arn);
    return arn;
  }

  handle(action: string, input: Json, ctx: CallContext): Json {
    switch (action) {
      case "Publish":
        return this.publish(input, ctx);
      case "CreateTopic": {
        if (typeof input.Name !== "string") throw invalidParameter("Name");
        return { TopicArn: this.createTopic(input.Name, ctx.region) };
      }
      case "ListTopics":
        return {
          Topics: [...this.topics]
            .filter((arn) => TOPIC_ARN.exec(arn)?.[2] === ctx.region)
            .map((TopicArn) => ({ TopicArn })),
        };
      default:
        throw unsupported("sns", action);
    }
  }

  private publish(input: Json, ctx: CallContext): Json {
    if (input.PhoneNumber !== undefined)
      throw invalidParameter("PhoneNumber: the sandbox delivers to topics only");
    const topicArn = input.TopicArn ?? input.TargetArn;
    if (typeof topicArn !== "string")
      throw invalidParameter("TopicArn or TargetArn Reason: no value for required parameter");
    const parsed = TOPIC_ARN.exec(topicArn);
    if (!parsed || parsed[2] !== ctx.region || parsed[3] !== this.account) throw invalidParameter("TopicArn");
    if (!this.topics.has(topicArn)) throw modeled(NotFoundException, "Topic does not exist", 404);
    if (topicArn.endsWith(".fifo") && typeof input.MessageGroupId !== "string") {
      throw invalidParameter("The MessageGroupId parameter is required for FIFO topics");
    }

    const subject = input.Subject;
    if (subject !== undefined && (typeof subject !== "string" || !SUBJECT.test(subject))) {
      throw invalidParameter("Subject");
    }
    const message = input.Message;
    if (typeof message !== "string" || message === "") throw invalidParameter("Empty message");
    if (input.MessageStructure !== undefined) checkStructure(input.MessageStructure, message);

    const attributes = flattenAttributes(input.MessageAttributes);
    const size =
      Buffer.byteLength(message) +
      Object.entries(attributes).reduce(
        (sum, [name, value]) => sum + Buffer.byteLength(name) + Buffer.byteLength(value),
        0,
      );
    if (size > MAX_MESSAGE_BYTES) throw invalidParameter("Message too long");

    const messageId = this.ids.uuid("sns-message");
    this.published.push({
      topicArn,
      ...(subject !== undefined ? { subject: subject as string } : {}),
      message,
      attributes,
      messageId,
      region: ctx.region,
      time: ctx.now.toISOString(),
    });
    return { MessageId: messageId };
  }
}

function checkStructure(structure: unknown, message: string): void {
  if (structure !== "json") throw invalidParameter("MessageStructure");
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    throw invalidParameter("Message Structure - JSON message body failed to parse");
  }
  if (!isRecord(parsed) || typeof parsed.default !== "string") {
    throw invalidParameter("Message Structure - No default entry in JSON message body");
  }
}

function flattenAttributes(raw: unknown): Record<string, string> {
  if (raw === undefined) return {};
  if (!isRecord(raw)) throw invalidParameter("MessageAttributes");
  const entries = Object.entries(raw);
  if (entries.length > MAX_ATTRIBUTES) {
    throw invalidAttribute(
      `Number of message attributes [${entries.length}] exceeds the allowed maximum [${MAX_ATTRIBUTES}].`,
    );
  }
  const flat: Record<string, string> = {};
  for (const [name, value] of entries) {
    if (
      !ATTRIBUTE_NAME.test(name) ||
      /^(aws|amazon)\./i.test(name) ||
      name.startsWith(".") ||
      name.endsWith(".") ||
      name.includes("..")
    ) {
      throw invalidAttribute(`The message attribute name '${name}' is invalid.`);
    }
    if (!isRecord(value) || typeof value.DataType !== "string") {
      throw invalidAttribute(`The message attribute '${name}' must contain a DataType.`);
    }
    flat[name] = attributeValue(name, value.DataType, value);
  }
  return flat;
}

function attributeValue(name: string, type: string, value: Json): string {
  const base = /^(String|Number|Binary)(\.[\w.-]+)?$/.exec(type)?.[1];
  if (!base) {
    throw invalidAttribute(
      `The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`,
    );
  }
  const empty = () =>
    invalidAttribute(
      `The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${type}'.`,
    );
  if (base === "Binary") {
    if (!(value.BinaryValue instanceof Uint8Array) || value.BinaryValue.length === 0) throw empty();
    return Buffer.from(value.BinaryValue).toString("base64");
  }
  const text = value.StringValue;
  if (typeof text !== "string" || text === "") throw empty();
  if (base === "Number" && !Number.isFinite(Number(text))) {
    throw invalidAttribute(`Could not cast message attribute '${name}' value to number.`);
  }
  if (type === "String.Array") {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (!Array.isArray(parsed) || parsed.some((item) => isRecord(item) || Array.isArray(item))) {
      throw invalidAttribute(
        `The message attribute '${name}' with type 'String.Array' must use a JSON array of strings, numbers, booleans or null.`,
      );
    }
  }
  return text;
}
