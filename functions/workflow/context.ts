import { createTlsProbe } from "../controls/cloudfront-tls-to-origin/probe.js";
import type { ControlContext, OriginProbe } from "../controls/types.js";
import { controlClients } from "../lib/clients/controls.js";
import { now } from "../lib/clock.js";

let probe: OriginProbe | undefined;

/** The local runtime answers probes from its scenario; deployed functions probe for real. */
export function useProbe(override: OriginProbe | undefined): void {
  probe = override;
}

export function controlContext(target: { account: string; region: string }): ControlContext {
  probe ??= createTlsProbe({});
  return { account: target.account, region: target.region, clients: controlClients, now, probe };
}
