import type { AddressInfo } from "node:net";
import {
  type AttributeDefinition,
  CreateTableCommand,
  DynamoDBClient,
  UpdateTimeToLiveCommand,
} from "@aws-sdk/client-dynamodb";
import dynalite from "dynalite";
import type { TableShape } from "../functions/lib/tables.js";

/**
 * A DynamoDB-compatible server (dynalite) on loopback, holding the same tables
 * infra deploys. The deployed client code talks to it unchanged.
 */
export interface LocalDynamo {
  endpoint: string;
  clientConfig: Record<string, unknown>;
  tableName(shape: TableShape): string;
  close(): Promise<void>;
}

const localCredentials = { accessKeyId: "local", secretAccessKey: "local" };

export async function startLocalDynamo(tables: readonly TableShape[], region: string): Promise<LocalDynamo> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const clientConfig = { endpoint, credentials: localCredentials, region };
  const client = new DynamoDBClient(clientConfig);
  const tableName = (shape: TableShape) => `driftwarden-local-${shape.name}`;
  for (const shape of tables) {
    const attributes = new Map<string, AttributeDefinition>();
    for (const name of [
      shape.hashKey,
      shape.rangeKey,
      ...(shape.indexes ?? []).flatMap((i) => [i.hashKey, i.rangeKey]),
    ]) {
      if (name) attributes.set(name, { AttributeName: name, AttributeType: "S" });
    }
    await client.send(
      new CreateTableCommand({
        TableName: tableName(shape),
        BillingMode: "PAY_PER_REQUEST",
        AttributeDefinitions: [...attributes.values()],
        KeySchema: [
          { AttributeName: shape.hashKey, KeyType: "HASH" },
          ...(shape.rangeKey ? [{ AttributeName: shape.rangeKey, KeyType: "RANGE" as const }] : []),
        ],
        GlobalSecondaryIndexes: shape.indexes?.map((index) => ({
          IndexName: index.name,
          KeySchema: [
            { AttributeName: index.hashKey, KeyType: "HASH" },
            { AttributeName: index.rangeKey, KeyType: "RANGE" },
          ],
          Projection: { ProjectionType: "ALL" },
        })),
      }),
    );
    if (shape.ttl) {
      // dynalite does not expire items, but the call keeps the local tables shaped like the deployed ones.
      await client
        .send(
          new UpdateTimeToLiveCommand({
            TableName: tableName(shape),
            TimeToLiveSpecification: { AttributeName: shape.ttl, Enabled: true },
          }),
        )
        .catch((error: Error) => {
          if (error.name !== "UnknownOperationException") throw error;
        });
    }
  }
  client.destroy();
  return {
    endpoint,
    clientConfig,
    tableName,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
