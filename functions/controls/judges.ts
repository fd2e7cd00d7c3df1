import { UnknownControlError } from "../lib/errors.js";
import { albDeletionProtection } from "./alb-deletion-protection/index.js";
import { albDropInvalidHeaders } from "./alb-drop-invalid-headers/index.js";
import { judge as albHttpToHttpsRedirect } from "./alb-http-to-https-redirect/judge.js";
import { judge as albTlsPolicy } from "./alb-tls-policy/judge.js";
import { judge as albWafAttached } from "./alb-waf-attached/judge.js";
import { judge as cloudfrontMinViewerTls } from "./cloudfront-min-viewer-tls/judge.js";
import { judge as cloudfrontSecurityHeaders } from "./cloudfront-security-headers/judge.js";
import { judge as cloudfrontTlsToOrigin } from "./cloudfront-tls-to-origin/judge.js";
import { judge as cloudfrontViewerHttps } from "./cloudfront-viewer-https/judge.js";
import { judge as cloudfrontWafAttached } from "./cloudfront-waf-attached/judge.js";
import type { AnyJudge } from "./types.js";

/**
 * Each control's judging part (metadata, collect, detect) without its planner,
 * fixer or risk assessment, for the verify step, which only judges: its cold
 * start evaluates less code. The load balancer attribute controls are small
 * enough to come whole. Adding a control: its folder's judge.ts, one line here
 * and one in registry.ts (test/controls/judges.test.ts fails when they differ).
 */
export const judges: readonly AnyJudge[] = [
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

export function judgeById(id: string): AnyJudge {
  const judge = judges.find((j) => j.metadata.id === id);
  if (!judge) throw new UnknownControlError(`unknown control "${id}"`, id);
  return judge;
}
