import { UnknownControlError } from "../lib/errors.js";
import type * as z from "../lib/schema.js";
import * as albDeletionProtection from "./alb-deletion-protection/metadata.js";
import * as albDropInvalidHeaders from "./alb-drop-invalid-headers/metadata.js";
import * as albHttpToHttpsRedirect from "./alb-http-to-https-redirect/metadata.js";
import * as albTlsPolicy from "./alb-tls-policy/metadata.js";
import * as albWafAttached from "./alb-waf-attached/metadata.js";
import * as cloudfrontMinViewerTls from "./cloudfront-min-viewer-tls/metadata.js";
import * as cloudfrontSecurityHeaders from "./cloudfront-security-headers/metadata.js";
import * as cloudfrontTlsToOrigin from "./cloudfront-tls-to-origin/metadata.js";
import * as cloudfrontViewerHttps from "./cloudfront-viewer-https/metadata.js";
import * as cloudfrontWafAttached from "./cloudfront-waf-attached/metadata.js";
import type { ControlMetadata } from "./types.js";

/**
 * Every control as data only: its metadata and the schema of its settings.
 * Configuration, infra, event patterns and documentation read this; it pulls
 * in no AWS client, so a function that only names controls stays small. The
 * implementations are in registry.ts (a test keeps the two lists equal).
 */
export interface CatalogEntry {
  metadata: ControlMetadata;
  /** `config.controls.<id>` beside `mode` and `scope`; every field optional with a default. */
  settings: z.ZodMiniObject;
}

export const catalog: readonly CatalogEntry[] = [
  albHttpToHttpsRedirect,
  albTlsPolicy,
  albDropInvalidHeaders,
  albDeletionProtection,
  albWafAttached,
  cloudfrontTlsToOrigin,
  cloudfrontViewerHttps,
  cloudfrontMinViewerTls,
  cloudfrontSecurityHeaders,
  cloudfrontWafAttached,
];

export const controlIds: readonly string[] = catalog.map((entry) => entry.metadata.id);

export function catalogEntry(id: string): CatalogEntry | undefined {
  return catalog.find((entry) => entry.metadata.id === id);
}

/** The metadata of a control this deployment knows; for functions that name controls but run none. */
export function metadataById(id: string): ControlMetadata {
  const entry = catalogEntry(id);
  if (!entry) throw new UnknownControlError(`unknown control "${id}"`, id);
  return entry.metadata;
}
