import type { Json } from "./json.js";
import { type CallContext, type SandboxService, unsupported } from "./service.js";

/** STS answers who is calling: the pipeline uses it to learn its own account and role. */
export class StsService implements SandboxService {
  readonly mutating: ReadonlySet<string> = new Set();

  handle(action: string, _input: Json, ctx: CallContext): Json {
    if (action !== "GetCallerIdentity") throw unsupported("sts", action);
    return { UserId: ctx.identity.principalId, Account: ctx.identity.accountId, Arn: ctx.identity.arn };
  }
}
