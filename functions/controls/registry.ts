import { controlMode, type DriftwardenConfig } from "../lib/config.js";
import { UnknownControlError } from "../lib/errors.js";
import { albDeletionProtection } from "./alb-deletion-protection/index.js";
import { albDropInvalidHeaders } from "./alb-drop-invalid-headers/index.js";
import { albHttpToHttpsRedirect } from "./alb-http-to-https-redirect/index.js";
import { albTlsPolicy } from "./alb-tls-policy/index.js";
import { albWafAttached } from "./alb-waf-attached/index.js";
import { cloudfrontMinViewerTls } from "./cloudfront-min-viewer-tls/index.js";
import { cloudfrontSecurityHeaders } from "./cloudfront-security-headers/index.js";
import { cloudfrontTlsToOrigin } from "./cloudfront-tls-to-origin/index.js";
import { cloudfrontViewerHttps } from "./cloudfront-viewer-https/index.js";
import { cloudfrontWafAttached } from "./cloudfront-waf-attached/index.js";
import type { AnyControl } from "./types.js";

/** Adding a control: its folder, plus one line here. */
export const controls: readonly AnyControl[] = [
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

/** Undefined for an id this deployment does not know (a record written by a newer one). */
export function findControl(id: string): AnyControl | undefined {
  return controls.find((c) => c.metadata.id === id);
}

export function controlById(id: string): AnyControl {
  const control = findControl(id);
  if (!control) throw new UnknownControlError(`unknown control "${id}"`, id);
  return control;
}

/**
 * The controls a deployment looks at: a control in mode `off` triggers nothing
 * and is not swept (an execution already running when it was turned off ends
 * `exempt`).
 */
export function activeControls(config: DriftwardenConfig): AnyControl[] {
  return controls.filter((control) => controlMode(config, control.metadata.id) !== "off");
}
