export {
  DEFAULT_ACCOUNT,
  DEFAULT_REGION,
  type MutationListener,
  type ProbeRecord,
  SANDBOX_CREDENTIALS,
  SandboxAccount,
  type SandboxAccountOptions,
  type ServiceHandler,
} from "./account.js";
export { DEFAULT_SANDBOX_START, SandboxClock, type TimerHandle } from "./clock.js";
export { CLOUDFRONT_REGION, type CloudFrontLinks } from "./cloudfront.js";
export {
  MANAGED_SECURITY_HEADERS_POLICY_ID,
  type ManagedPolicy,
  managedPolicies,
} from "./cloudfront-managed-policies.js";
export {
  type CloudTrailEnvelope,
  cloudTrailEvent,
  type FailedCall,
  failedCallEvent,
  type Mutation,
  trailElements,
} from "./cloudtrail.js";
export { defaultRuleArn } from "./elbv2.js";
export type { SandboxServiceName } from "./errors.js";
export { assumedRole, type IdentityExtras, iamUser, rootUser, type SandboxIdentity } from "./identity.js";
export type { Publication } from "./sns.js";
export { API_DEFAULT_SSL_POLICY, findSslPolicy, SSL_POLICIES, type SslPolicy } from "./ssl-policies.js";
export {
  type OriginProbeStatus,
  originProbeStatuses,
  parseSandboxState,
  type SandboxState,
  type SandboxStateInput,
  type ScenarioState,
  type StateResponseHeadersPolicy,
  type StateVpcOrigin,
  sandboxStateSchema,
  scenarioStateSchema,
} from "./state.js";
