import { InvalidArgument } from "@aws-sdk/client-cloudfront";
import { modeled } from "./errors.js";
import type { Json } from "./json.js";

export interface Page<T> {
  items: T[];
  /** The Marker the caller sent ("" for the first page). */
  marker: string;
  maxItems: number;
  truncated: boolean;
  /** The key of the last item returned, when more follow: the caller's next Marker. */
  nextMarker?: string;
}

/**
 * CloudFront's list paging: MaxItems (1 to 1000, default 100) items after the
 * one whose key is Marker; NextMarker names the last item of a truncated page.
 */
export function page<T>(all: readonly T[], keyOf: (item: T) => string, input: Json, what: string): Page<T> {
  const raw = input.MaxItems;
  const maxItems = raw === undefined ? 100 : Number(raw);
  if (!Number.isInteger(maxItems) || maxItems < 1 || maxItems > 1000) {
    throw modeled(InvalidArgument, "MaxItems must be a whole number between 1 and 1000");
  }
  const marker = typeof input.Marker === "string" ? input.Marker : "";
  let start = 0;
  if (marker) {
    const index = all.findIndex((item) => keyOf(item) === marker);
    if (index < 0) throw modeled(InvalidArgument, `Marker: '${marker}' is not ${what}`);
    start = index + 1;
  }
  const items = all.slice(start, start + maxItems);
  const truncated = start + maxItems < all.length;
  const last = items.at(-1);
  return {
    items,
    marker,
    maxItems,
    truncated,
    ...(truncated && last !== undefined ? { nextMarker: keyOf(last) } : {}),
  };
}
