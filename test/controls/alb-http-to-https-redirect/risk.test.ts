import { describe, expect, it } from "vitest";
import { plan } from "../../../functions/controls/alb-http-to-https-redirect/planner.js";
import { assessRisk } from "../../../functions/controls/alb-http-to-https-redirect/risk.js";
import {
  acmeRule,
  apiForwardRule,
  forward,
  HTTP_LISTENER,
  pathPattern,
  RULE_ACME,
  RULE_API,
  redirect,
  rule,
  snapshot,
  TG_ARN,
} from "./builders.js";

const NO_HTTPS = "the redirect would take the site down: load balancer shop-prod has no HTTPS listener";

const CANNOT_WORK = `the proposed redirect cannot work: port 443 of shop-prod is taken by the HTTP listener ${HTTP_LISTENER.slice(0, -1)}1, which does not speak TLS`;

describe("assessRisk", () => {
  it.each([
    {
      name: "HTTPS listener, default action only",
      input: snapshot({ defaultActions: [forward(TG_ARN)] }),
      risks: [{ action: "ModifyListener", level: "automatic", reasons: [] }],
    },
    {
      name: "HTTPS listener on 8443 only",
      input: snapshot({ defaultActions: [forward(TG_ARN)], httpsPorts: [8443] }),
      risks: [{ action: "ModifyListener", level: "automatic", reasons: [] }],
    },
    {
      name: "HTTPS listener, ACME rule left alone",
      input: snapshot({ defaultActions: [forward(TG_ARN)], rules: [acmeRule()] }),
      risks: [{ action: "ModifyListener", level: "automatic", reasons: [] }],
    },
    {
      name: "no HTTPS listener",
      input: snapshot({ defaultActions: [forward(TG_ARN)], httpsPorts: [] }),
      risks: [{ action: "ModifyListener", level: "approval", reasons: [NO_HTTPS] }],
    },
    {
      name: "no HTTPS listener, and port 443 is a plain HTTP listener",
      input: snapshot({ defaultActions: [forward(TG_ARN)], httpsPorts: [], httpPorts: [443] }),
      risks: [{ action: "ModifyListener", level: "approval", reasons: [NO_HTTPS, CANNOT_WORK] }],
    },
    {
      name: "forwarding rule",
      input: snapshot({ rules: [apiForwardRule()] }),
      risks: [
        {
          action: "ModifyRule",
          level: "approval",
          reasons: [`rule ${RULE_API} (priority 10) forwards plain HTTP on purpose?`],
        },
      ],
    },
    {
      name: "decoy forwarding rule beside a forwarding default action, with HTTPS",
      input: snapshot({ defaultActions: [forward(TG_ARN)], rules: [apiForwardRule()] }),
      risks: [
        { action: "ModifyListener", level: "automatic", reasons: [] },
        {
          action: "ModifyRule",
          level: "approval",
          reasons: [`rule ${RULE_API} (priority 10) forwards plain HTTP on purpose?`],
        },
      ],
    },
    {
      name: "redirect-to-HTTP rule",
      input: snapshot({
        rules: [rule(RULE_ACME, "20", [pathPattern("/legacy/*")], [redirect("HTTP", "80")])],
      }),
      risks: [
        {
          action: "ModifyRule",
          level: "approval",
          reasons: [`rule ${RULE_ACME} (priority 20) redirects plain HTTP to HTTP on purpose?`],
        },
      ],
    },
    {
      name: "no HTTPS listener and a forwarding rule",
      input: snapshot({ defaultActions: [forward(TG_ARN)], httpsPorts: [], rules: [apiForwardRule()] }),
      risks: [
        { action: "ModifyListener", level: "approval", reasons: [NO_HTTPS] },
        {
          action: "ModifyRule",
          level: "approval",
          reasons: [`rule ${RULE_API} (priority 10) forwards plain HTTP on purpose?`, NO_HTTPS],
        },
      ],
    },
  ])("$name", ({ input, risks }) => {
    // Prepare
    const planned = plan(input);

    // Act
    const assessed = assessRisk(input, planned);

    // Assess: one assessment per call, so a safe call never waits for a risky one
    expect(planned.map((change, i) => ({ action: change.action, ...assessed[i] }))).toEqual(risks);
  });
});
