import type { TableShape } from "../functions/lib/tables.js";

/** `sst.aws.Dynamo` arguments for a table shape. Only key attributes are declared: DynamoDB is schemaless otherwise. */
export function dynamoArgs(shape: TableShape) {
  const keys = [
    shape.hashKey,
    shape.rangeKey,
    ...(shape.indexes ?? []).flatMap((i) => [i.hashKey, i.rangeKey]),
  ];
  const fields = Object.fromEntries(
    [...new Set(keys.filter((key): key is string => key !== undefined))].map((key) => [
      key,
      "string" as const,
    ]),
  );
  return {
    fields,
    primaryIndex: shape.rangeKey
      ? { hashKey: shape.hashKey, rangeKey: shape.rangeKey }
      : { hashKey: shape.hashKey },
    ...(shape.indexes && shape.indexes.length > 0
      ? {
          globalIndexes: Object.fromEntries(
            shape.indexes.map((index) => [index.name, { hashKey: index.hashKey, rangeKey: index.rangeKey }]),
          ),
        }
      : {}),
    ...(shape.ttl ? { ttl: shape.ttl } : {}),
  };
}
