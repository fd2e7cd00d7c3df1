import type { Action } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { Change } from "../types.js";
import { analyse } from "./detector.js";
import type { Snapshot } from "./snapshot.js";

/** The exact calls of the fix, as plain JSON (the plan travels between Step Functions states). */
export interface Plan {
  listenerArn: string;
  /** HTTPS port the redirect points to, as RedirectConfig wants it (a string). */
  httpsPort: string;
  /** Null when the default action already redirects to HTTPS: it is left untouched. */
  modifyListener: { ListenerArn: string; DefaultActions: Action[] } | null;
  modifyRules: { RuleArn: string; Actions: Action[] }[];
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

export function plan(snapshot: Snapshot): Plan {
  const analysis = analyse(snapshot);
  const httpsPort = httpsPortOf(snapshot);
  const listenerArn = snapshot.listener.ListenerArn;
  return {
    listenerArn,
    httpsPort,
    modifyListener: analysis.defaultOffence
      ? { ListenerArn: listenerArn, DefaultActions: [redirectToHttps(httpsPort)] }
      : null,
    modifyRules: analysis.ruleOffences.map((r) => ({
      RuleArn: r.ruleArn,
      Actions: [redirectToHttps(httpsPort)],
    })),
  };
}

/** Listener first, so the catch-all is safe before individual rules move. */
export function describePlan(plan: Plan, _snapshot?: Snapshot): Change[] {
  return [
    ...(plan.modifyListener
      ? [{ service: "elbv2" as const, action: "ModifyListener", input: structuredClone(plan.modifyListener) }]
      : []),
    ...plan.modifyRules.map((rule) => ({
      service: "elbv2" as const,
      action: "ModifyRule",
      input: structuredClone(rule),
    })),
  ];
}
