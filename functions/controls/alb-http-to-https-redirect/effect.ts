import type { Action } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { Change } from "../types.js";
import { terminalAction } from "./detector.js";
import type { Snapshot } from "./snapshot.js";

/** The redirect fields AWS keeps as given; comparing them tells whether a planned redirect is in place. */
function redirectOf(actions: Action[] | undefined): string | undefined {
  const terminal = terminalAction(actions ?? []);
  if (terminal?.Type !== "redirect") return undefined;
  const r = terminal.RedirectConfig;
  if (!r) return undefined;
  return JSON.stringify([r.Protocol, r.Port, r.Host, r.Path, r.Query, r.StatusCode]);
}

/**
 * Whether a planned call's redirect is already live: after a crash between the
 * call and its journal entry, this is what tells a made call from one to make.
 * A rule that no longer exists needs nothing (ModifyRule would only fail).
 */
export function inEffect(snapshot: Snapshot, change: Change): boolean {
  if (change.action === "ModifyListener") {
    return (
      redirectOf(snapshot.listener.DefaultActions) === redirectOf(change.input.DefaultActions as Action[])
    );
  }
  if (change.action === "ModifyRule") {
    const rule = snapshot.rules.find((r) => r.RuleArn === change.input.RuleArn);
    return !rule || redirectOf(rule.Actions) === redirectOf(change.input.Actions as Action[]);
  }
  return false;
}
