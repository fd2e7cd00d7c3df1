import type { Action } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { Change } from "../types.js";
import { analyse } from "./detector.js";
import type { Snapshot } from "./snapshot.js";

export interface ModifyListenerInput {
  ListenerArn: string;
  DefaultActions: Action[];
}

export interface ModifyRuleInput {
  RuleArn: string;
  Actions: Action[];
}

/** 443 when the load balancer listens for HTTPS there, else its lowest HTTPS port; 443 when it has none. */
export function httpsPortOf(snapshot: Snapshot): string {
  const ports = snapshot.httpsListeners.map((l) => l.Port).sort((a, b) => a - b);
  if (ports.length === 0 || ports.includes(443)) return "443";
  return String(ports[0]);
}

/** Keeps host, path and query so every URL lands on its HTTPS twin. */
export function redirectToHttps(port: string): Action {
  return {
    Type: "redirect",
    RedirectConfig: {
      Protocol: "HTTPS",
      Port: port,
      Host: "#{host}",
      Path: "/#{path}",
      Query: "#{query}",
      StatusCode: "HTTP_301",
    },
  };
}

/**
 * The exact calls, listener first so the catch-all is safe before individual
 * rules move. Each call names only the actions it replaces: ModifyListener
 * never carries SslPolicy, certificates, port or protocol, so another
 * control's fix on the same listener is never undone.
 */
export function plan(snapshot: Snapshot): Change[] {
  const analysis = analyse(snapshot);
  const port = httpsPortOf(snapshot);
  const changes: Change[] = [];
  if (analysis.defaultOffence) {
    const input: ModifyListenerInput = {
      ListenerArn: snapshot.listener.ListenerArn,
      DefaultActions: [redirectToHttps(port)],
    };
    changes.push({ service: "elbv2", action: "ModifyListener", input: { ...input } });
  }
  for (const offence of analysis.ruleOffences) {
    const input: ModifyRuleInput = { RuleArn: offence.ruleArn, Actions: [redirectToHttps(port)] };
    changes.push({ service: "elbv2", action: "ModifyRule", input: { ...input } });
  }
  return changes;
}
