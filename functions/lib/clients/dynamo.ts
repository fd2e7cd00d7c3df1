import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { buildClient, derivedClient } from "./plugins.js";

/** DynamoDB's document client; it shares its base client's middleware stack, so plugins reach it too. */
export const dynamo = (region: string) =>
  derivedClient(`dynamo-document:${region}`, () =>
    DynamoDBDocumentClient.from(
      buildClient("dynamodb", region, (c) => new DynamoDBClient(c)),
      { marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: true } },
    ),
  );
