import * as z from "../lib/schema.js";

/**
 * The shapes EventBridge delivers to intake. They are deliberately loose
 * (unknown fields pass through, most fields optional): an event only tells us
 * where to look, so the schema checks exactly what intake reads and nothing
 * more. Live state is always re-read by the controls.
 */

export const detailTypes = {
  cloudTrail: "AWS API Call via CloudTrail",
  configItem: "Config Configuration Item Change",
  compliance: "Config Rules Compliance Change",
} as const;

/**
 * The EventBridge envelope: Powertools' EventBridgeSchema, field for field,
 * except that ours keeps unknown keys (replay-name, future fields) where
 * Powertools' strips them, and takes the fields below as noted. Written here
 * rather than extended from @aws-lambda-powertools/parser because that module
 * imports zod as `{ z }`, which esbuild cannot shake: it put every zod locale
 * (about 260 KB) into intake's bundle.
 */
export const envelopeSchema = z.looseObject({
  version: z.string(),
  id: z.string(),
  source: z.string(),
  account: z.string(),
  // Powertools wants an ISO instant; replayed and hand-written events may carry other formats.
  time: z.string(),
  region: z.string(),
  resources: z._default(z.array(z.string()), []),
  "detail-type": z.string(),
  detail: z.unknown(),
  "replay-name": z.optional(z.string()),
});
export type Envelope = z.infer<typeof envelopeSchema>;

const optionalString = z.nullish(z.string());

const sessionIssuerSchema = z.looseObject({
  type: optionalString,
  principalId: optionalString,
  arn: optionalString,
  accountId: optionalString,
  userName: optionalString,
});

/**
 * IAMUser, AssumedRole, Root, AWSService, AWSAccount, FederatedUser,
 * WebIdentityUser, SAMLUser, IdentityCenterUser, Unknown: every field beyond
 * `type` is absent for one type or another, so all of them are optional.
 */
export const userIdentitySchema = z.looseObject({
  type: z.string(),
  principalId: optionalString,
  arn: optionalString,
  accountId: optionalString,
  accessKeyId: optionalString,
  userName: optionalString,
  invokedBy: optionalString,
  identityProvider: optionalString,
  sessionContext: z.nullish(
    z.looseObject({
      sessionIssuer: z.nullish(sessionIssuerSchema),
      webIdFederationData: z.nullish(z.looseObject({ federatedProvider: optionalString })),
      attributes: z.nullish(z.looseObject({})),
      sourceIdentity: optionalString,
    }),
  ),
  onBehalfOf: z.nullish(z.looseObject({ userId: optionalString, identityStoreArn: optionalString })),
  credentialId: optionalString,
});
export type UserIdentity = z.infer<typeof userIdentitySchema>;

/** Truncated payloads arrive as objects too ({ omitted: true, ... }); absent means null. */
const payloadSchema = z.pipe(
  z.nullish(z.record(z.string(), z.unknown())),
  z.transform((value) => value ?? null),
);

export const cloudTrailDetailSchema = z.looseObject({
  eventVersion: optionalString,
  userIdentity: userIdentitySchema,
  eventTime: z.string(),
  eventSource: z.string(),
  eventName: z.string(),
  awsRegion: z.string(),
  sourceIPAddress: optionalString,
  userAgent: optionalString,
  requestParameters: payloadSchema,
  responseElements: payloadSchema,
  errorCode: optionalString,
  errorMessage: optionalString,
  readOnly: z.nullish(z.boolean()),
  eventID: optionalString,
  eventType: optionalString,
  recipientAccountId: optionalString,
});
export type CloudTrailDetail = z.infer<typeof cloudTrailDetailSchema>;

export const configItemStatuses = [
  "OK",
  "ResourceDiscovered",
  "ResourceDeleted",
  "ResourceNotRecorded",
  "ResourceDeletedNotRecorded",
] as const;

/** The fields that name the resource; shared by the inline item and the oversized summary. */
const configItemIdentity = {
  configurationItemStatus: z.enum(configItemStatuses),
  resourceType: z.string(),
  resourceId: z.string(),
  ARN: optionalString,
  awsRegion: z.string(),
  awsAccountId: z.string(),
  configurationItemCaptureTime: optionalString,
};

const configItemNotificationSchema = z.looseObject({
  messageType: z.literal("ConfigurationItemChangeNotification"),
  configurationItem: z.looseObject({
    ...configItemIdentity,
    configuration: z.pipe(
      z.nullish(z.record(z.string(), z.unknown())),
      z.transform((value) => value ?? null),
    ),
  }),
  notificationCreationTime: optionalString,
});

/** Sent when the item exceeds EventBridge's size: only a summary and where the full item went in S3. */
const oversizedConfigItemNotificationSchema = z.looseObject({
  messageType: z.literal("OversizedConfigurationItemChangeNotification"),
  configurationItemSummary: z.looseObject(configItemIdentity),
  s3DeliverySummary: z.nullish(z.looseObject({ s3BucketLocation: optionalString })),
  notificationCreationTime: optionalString,
});

export const configItemDetailSchema = z.discriminatedUnion("messageType", [
  configItemNotificationSchema,
  oversizedConfigItemNotificationSchema,
]);
export type ConfigItemDetail = z.infer<typeof configItemDetailSchema>;

export const complianceTypes = ["NON_COMPLIANT", "COMPLIANT", "NOT_APPLICABLE", "INSUFFICIENT_DATA"] as const;

const evaluationResultSchema = z.looseObject({
  complianceType: z.enum(complianceTypes),
  resultRecordedTime: optionalString,
  configRuleInvokedTime: optionalString,
  annotation: optionalString,
});

export const complianceDetailSchema = z.looseObject({
  messageType: z.literal("ComplianceChangeNotification"),
  configRuleName: z.string(),
  configRuleARN: optionalString,
  resourceType: z.string(),
  resourceId: z.string(),
  awsRegion: z.string(),
  awsAccountId: z.string(),
  newEvaluationResult: evaluationResultSchema,
  // The first evaluation of a resource has no previous result.
  oldEvaluationResult: z.nullish(evaluationResultSchema),
  notificationCreationTime: optionalString,
});
export type ComplianceDetail = z.infer<typeof complianceDetailSchema>;
