import { controls } from "../controls/registry.js";
import { type EventRule, eventRules } from "./patterns.js";

/** The rules of the registry's controls: what infra deploys and the local runtime routes with. */
export function deployedEventRules(remediatorRoleArn: string): EventRule[] {
  return eventRules({ controls, remediatorRoleArn });
}
