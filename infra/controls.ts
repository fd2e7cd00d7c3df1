import { metadata as albDeletionProtection } from "../functions/controls/alb-deletion-protection/metadata.js";
import { metadata as albDropInvalidHeaders } from "../functions/controls/alb-drop-invalid-headers/metadata.js";
import { metadata as albHttpToHttpsRedirect } from "../functions/controls/alb-http-to-https-redirect/metadata.js";
import { metadata as albTlsPolicy } from "../functions/controls/alb-tls-policy/metadata.js";
import { metadata as albWafAttached } from "../functions/controls/alb-waf-attached/metadata.js";
import { metadata as cloudfrontMinViewerTls } from "../functions/controls/cloudfront-min-viewer-tls/metadata.js";
import { metadata as cloudfrontSecurityHeaders } from "../functions/controls/cloudfront-security-headers/metadata.js";
import { metadata as cloudfrontTlsToOrigin } from "../functions/controls/cloudfront-tls-to-origin/metadata.js";
import { metadata as cloudfrontViewerHttps } from "../functions/controls/cloudfront-viewer-https/metadata.js";
import { metadata as cloudfrontWafAttached } from "../functions/controls/cloudfront-waf-attached/metadata.js";
import type { AnyControl, ControlMetadata } from "../functions/controls/types.js";

/**
 * The controls infra deploys, as their metadata only. The registry imports each
 * control's fixer and snapshot code (and with it the AWS SDK); infra needs none
 * of that at deploy time. A test keeps this list equal to the registry's.
 */
export const controlMetadata: readonly ControlMetadata[] = [
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

/**
 * `eventRules` reads nothing but `metadata`, so metadata-only controls are
 * enough to derive the exact patterns the registry would.
 */
export function metadataControls(metadata: readonly ControlMetadata[] = controlMetadata): AnyControl[] {
  return metadata.map((entry) => ({ metadata: entry }) as unknown as AnyControl);
}
