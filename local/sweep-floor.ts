/**
 * The fewest describe calls a sweep can make, without AWS Config, for an
 * account of `loadBalancers` ALBs (with `httpListeners` HTTP listeners among
 * them) and `distributions` distributions, judged by the given controls with
 * no tag scope: each list page at the API's maximum size, and each piece of
 * state the controls judge read exactly once.
 *  - every load balancer control: DescribeLoadBalancers (400 a page), and
 *    the listener controls DescribeListeners per load balancer;
 *  - alb-http-to-https-redirect: DescribeRules per HTTP listener;
 *  - alb-tls-policy: DescribeSSLPolicies once per policy in use;
 *  - the attribute controls: DescribeLoadBalancerAttributes per ALB, shared;
 *  - alb-waf-attached: GetWebACLForResource per ALB (WAF's own API);
 *  - every CloudFront control: ListDistributions (100 a page), which carries
 *    each distribution's configuration.
 */
export interface FloorAccount {
  loadBalancers: number;
  httpListeners: number;
  sslPoliciesInUse: number;
  distributions: number;
}

export function describeFloor(
  account: FloorAccount,
  controls: string[],
): Record<"elbv2" | "wafv2" | "cloudfront", number> {
  const on = (id: string) => controls.includes(id);
  const albControls = controls.filter((id) => id.startsWith("alb-"));
  let elbv2 = 0;
  if (albControls.length > 0) elbv2 += Math.max(1, Math.ceil(account.loadBalancers / 400));
  if (on("alb-http-to-https-redirect") || on("alb-tls-policy")) elbv2 += account.loadBalancers;
  if (on("alb-http-to-https-redirect")) elbv2 += account.httpListeners;
  if (on("alb-tls-policy")) elbv2 += account.sslPoliciesInUse;
  if (on("alb-drop-invalid-headers") || on("alb-deletion-protection")) elbv2 += account.loadBalancers;
  const wafv2 = on("alb-waf-attached") ? account.loadBalancers : 0;
  const cloudfront = controls.some((id) => id.startsWith("cloudfront-"))
    ? Math.max(1, Math.ceil(account.distributions / 100))
    : 0;
  return { elbv2, wafv2, cloudfront };
}

/**
 * The fewest calls of a sweep that lists from AWS Config: a hundred items per
 * query (load balancers, then listeners, then distributions), the recorders
 * of each region read once (DescribeConfigurationRecorders and its status),
 * and what Config does not hold read as without it: listener rules (the
 * redirect control's DescribeRules per HTTP listener), TLS policies, load
 * balancer attributes and WAF associations.
 */
export function configFloor(
  account: FloorAccount & { listeners: number; regions: number },
  controls: string[],
): Record<"config" | "elbv2" | "wafv2", number> {
  const on = (id: string) => controls.includes(id);
  const pages = (items: number) => Math.ceil(items / 100);
  const alb = controls.some((id) => id.startsWith("alb-"));
  const listenerControls = on("alb-http-to-https-redirect") || on("alb-tls-policy");
  let config = 2 * account.regions;
  if (alb) config += pages(account.loadBalancers) + (listenerControls ? pages(account.listeners) : 0);
  if (controls.some((id) => id.startsWith("cloudfront-"))) config += pages(account.distributions);
  let elbv2 = 0;
  if (on("alb-http-to-https-redirect")) elbv2 += account.httpListeners;
  if (on("alb-tls-policy")) elbv2 += account.sslPoliciesInUse;
  if (on("alb-drop-invalid-headers") || on("alb-deletion-protection")) elbv2 += account.loadBalancers;
  const wafv2 = on("alb-waf-attached") ? account.loadBalancers : 0;
  return { config, elbv2, wafv2 };
}
