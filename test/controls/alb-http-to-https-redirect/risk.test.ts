import { describe, expect, it } from "vitest";
import { plan } from "../../../functions/controls/alb-http-to-https-redirect/planner.js";
import { assessRisk } from "../../../functions/controls/alb-http-to-https-redirect/risk.js";
import {
  acmeRule,
  apiForwardRule,
  forward,
  pathPattern,
  RULE_ACME,
  RULE_API,
  redirect,
  rule,
  snapshot,
  TG_ARN,
} from "./builders.js";

const NO_HTTPS = "the redirect would take the site down: load balancer shop-prod has no HTTPS listener";

describe("assessRisk", () => {
  it.each([
    {
      name: "HTTPS listener, default action only",
      input: snapshot({ defaultActions: [forward(TG_ARN)] }),
      level: "automatic",
      reasons: [],
    },
    {
      name: "HTTPS listener on 8443 only",
      input: snapshot({ defaultActions: [forward(TG_ARN)], httpsPorts: [8443] }),
      level: "automatic",
      reasons: [],
    },
    {
      name: "HTTPS listener, ACME rule left alone",
      input: snapshot({ defaultActions: [forward(TG_ARN)], rules: [acmeRule()] }),
      level: "automatic",
      reasons: [],
    },
    {
      name: "no HTTPS listener",
      input: snapshot({ defaultActions: [forward(TG_ARN)], httpsPorts: [] }),
      level: "approval",
      reasons: [NO_HTTPS],
    },
    {
      name: "forwarding rule",
      input: snapshot({ rules: [apiForwardRule()] }),
      level: "approval",
      reasons: [`rule ${RULE_API} (priority 10) forwards plain HTTP on purpose?`],
    },
    {
      name: "redirect-to-HTTP rule",
      input: snapshot({
        rules: [rule(RULE_ACME, "20", [pathPattern("/legacy/*")], [redirect("HTTP", "80")])],
      }),
      level: "approval",
      reasons: [`rule ${RULE_ACME} (priority 20) redirects plain HTTP to HTTP on purpose?`],
    },
    {
      name: "no HTTPS listener and a forwarding rule",
      input: snapshot({ defaultActions: [forward(TG_ARN)], httpsPorts: [], rules: [apiForwardRule()] }),
      level: "approval",
      reasons: [NO_HTTPS, `rule ${RULE_API} (priority 10) forwards plain HTTP on purpose?`],
    },
  ])("$name -> $level", ({ input, level, reasons }) => {
    // Prepare
    const planned = plan(input);

    // Act
    const risk = assessRisk(input, planned);

    // Assess
    expect(risk).toEqual({ level, reasons });
  });
});
