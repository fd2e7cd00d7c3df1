import { describe, expect, it } from "vitest";
import { detect, ownedState } from "../../../functions/controls/alb-http-to-https-redirect/detector.js";
import {
  acmeRule,
  apiForwardRule,
  authenticateOidc,
  fixedResponse,
  forward,
  HTTP_LISTENER,
  httpsRedirect,
  LEGACY_TG_ARN,
  pathPattern,
  RULE_ACME,
  RULE_API,
  redirect,
  rule,
  snapshot,
  TG_ARN,
} from "./builders.js";

describe("detect", () => {
  it.each([
    {
      name: "default redirect to HTTPS",
      input: snapshot(),
      status: "compliant",
      mentions: [HTTP_LISTENER, "port 80", "redirects to HTTPS"],
    },
    {
      name: "default forward",
      input: snapshot({ defaultActions: [forward(TG_ARN)] }),
      status: "non-compliant",
      mentions: [
        HTTP_LISTENER,
        "port 80",
        `default action "forward" sends plain HTTP to target group ${TG_ARN}`,
      ],
    },
    {
      name: "default redirect to HTTP",
      input: snapshot({ defaultActions: [redirect("HTTP", "80")] }),
      status: "non-compliant",
      mentions: [`default action "redirect" sends visitors to HTTP, not HTTPS`],
    },
    {
      name: "default redirect keeping #{protocol}",
      input: snapshot({ defaultActions: [redirect("#{protocol}")] }),
      status: "non-compliant",
      mentions: [`"redirect" keeps plain HTTP (Protocol "#{protocol}" is HTTP on an HTTP listener)`],
    },
    {
      name: "default redirect without Protocol (defaults to #{protocol})",
      input: snapshot({ defaultActions: [redirect(undefined)] }),
      status: "non-compliant",
      mentions: [`Protocol "#{protocol}"`],
    },
    {
      name: "default fixed-response",
      input: snapshot({ defaultActions: [fixedResponse("503")] }),
      status: "non-compliant",
      mentions: [
        `default action "fixed-response" (503) answers over plain HTTP instead of redirecting to HTTPS`,
      ],
    },
    {
      name: "fixed-response rule is fine",
      input: snapshot({ rules: [rule(RULE_API, "10", [pathPattern("/health")], [fixedResponse("200")])] }),
      status: "compliant",
      mentions: ["no rule serves plain HTTP"],
    },
    {
      name: "forward rule offends",
      input: snapshot({ rules: [apiForwardRule()] }),
      status: "non-compliant",
      mentions: [`rule ${RULE_API} (priority 10) "forward" sends plain HTTP to target group ${TG_ARN}`],
    },
    {
      name: "#{protocol} redirect rule offends",
      input: snapshot({ rules: [rule(RULE_API, "10", [pathPattern("/old/*")], [redirect("#{protocol}")])] }),
      status: "non-compliant",
      mentions: [`rule ${RULE_API} (priority 10) "redirect" keeps plain HTTP`],
    },
    {
      name: "HTTPS redirect rule is fine",
      input: snapshot({ rules: [rule(RULE_API, "10", [pathPattern("/old/*")], [httpsRedirect()])] }),
      status: "compliant",
      mentions: ["no rule serves plain HTTP"],
    },
    {
      name: "ACME-only forward rule is an accepted exception",
      input: snapshot({ rules: [acmeRule()] }),
      status: "compliant",
      mentions: [`ACME HTTP-01 challenge rule ${RULE_ACME} accepted`],
    },
    {
      name: "ACME rule through the legacy Values only",
      input: snapshot({
        rules: [
          rule(
            RULE_ACME,
            "5",
            [{ Field: "path-pattern", Values: ["/.well-known/acme-challenge/*"] }],
            [forward(LEGACY_TG_ARN)],
          ),
        ],
      }),
      status: "compliant",
      mentions: [`ACME HTTP-01 challenge rule ${RULE_ACME} accepted`],
    },
    {
      name: "ACME host-scoped rule (conditions are ANDed)",
      input: snapshot({
        rules: [
          rule(
            RULE_ACME,
            "5",
            [
              { Field: "host-header", HostHeaderConfig: { Values: ["shop.example.com"] } },
              pathPattern("/.well-known/acme-challenge/*"),
            ],
            [forward(LEGACY_TG_ARN)],
          ),
        ],
      }),
      status: "compliant",
      mentions: ["accepted"],
    },
    {
      name: "ACME plus another path offends",
      input: snapshot({ rules: [acmeRule("/.well-known/acme-challenge/*", "/admin/*")] }),
      status: "non-compliant",
      mentions: [
        `rule ${RULE_ACME} (priority 5) "forward" sends plain HTTP to target group ${LEGACY_TG_ARN}`,
      ],
    },
    {
      name: "look-alike ACME prefix offends",
      input: snapshot({ rules: [acmeRule("/.well-known/acme-challenge*")] }),
      status: "non-compliant",
      mentions: [`rule ${RULE_ACME} (priority 5)`],
    },
    {
      name: "network load balancer is not-applicable",
      input: snapshot({ type: "network", protocol: "TCP", defaultActions: [forward(TG_ARN)] }),
      status: "not-applicable",
      mentions: ["network load balancer shop-prod", "application load balancers only"],
    },
    {
      name: "gateway load balancer is not-applicable",
      input: snapshot({ type: "gateway", protocol: "GENEVE", defaultActions: [forward(TG_ARN)] }),
      status: "not-applicable",
      mentions: ["gateway load balancer"],
    },
    {
      name: "HTTPS listener is not-applicable",
      input: snapshot({ protocol: "HTTPS", defaultActions: [forward(TG_ARN)] }),
      status: "not-applicable",
      mentions: ["uses HTTPS, not HTTP", "only HTTP listeners need a redirect"],
    },
    {
      name: "authenticate-oidc then redirect to HTTPS",
      input: snapshot({ defaultActions: [authenticateOidc(1), { ...httpsRedirect(), Order: 2 }] }),
      status: "compliant",
      mentions: ["redirects to HTTPS"],
    },
    {
      name: "authenticate-oidc then forward (terminal action judged)",
      input: snapshot({ defaultActions: [{ ...forward(TG_ARN), Order: 2 }, authenticateOidc(1)] }),
      status: "non-compliant",
      mentions: [`default action "forward"`],
    },
  ])("$name -> $status", ({ input, status, mentions }) => {
    // Prepare: the snapshot in the table row.

    // Act
    const finding = detect(input);

    // Assess
    expect(finding.status).toBe(status);
    for (const text of mentions) expect(finding.message).toContain(text);
  });

  it("names every offence: default action and each offending rule", () => {
    // Prepare
    const input = snapshot({
      defaultActions: [forward(TG_ARN)],
      rules: [
        apiForwardRule(),
        rule(RULE_ACME, "20", [pathPattern("/legacy/*")], [redirect("HTTP", "8080")]),
      ],
    });

    // Act
    const { message } = detect(input);

    // Assess
    expect(message).toBe(
      `HTTP listener ${HTTP_LISTENER} (port 80) of load balancer shop-prod serves plain HTTP: ` +
        `default action "forward" sends plain HTTP to target group ${TG_ARN}; ` +
        `rule ${RULE_API} (priority 10) "forward" sends plain HTTP to target group ${TG_ARN}; ` +
        `rule ${RULE_ACME} (priority 20) "redirect" sends visitors to HTTP, not HTTPS`,
    );
  });
});

describe("ownedState", () => {
  it("is the same for the same drift, whatever the key and rule order", () => {
    // Prepare
    const a = snapshot({ defaultActions: [forward(TG_ARN)], rules: [acmeRule(), apiForwardRule()] });
    const b = snapshot({
      defaultActions: [forward(TG_ARN)],
      rules: [apiForwardRule(), acmeRule()],
      tags: { team: "shop" },
    });
    // Same content, keys in another order (as a JSON round trip through Step Functions may give).
    b.listener.DefaultActions = b.listener.DefaultActions.map(
      (action) => Object.fromEntries(Object.entries(action).reverse()) as typeof action,
    );

    // Act
    const digestA = JSON.stringify(ownedState(a));
    const digestB = JSON.stringify(ownedState(b));

    // Assess
    expect(digestA).toBe(digestB);
    expect(Object.keys(ownedState(a) as object)).toEqual(["defaultActions", "hasHttpsListener", "rules"]);
  });

  it.each([
    { name: "default action", change: { defaultActions: [redirect("HTTP", "80")] } },
    { name: "a rule", change: { rules: [apiForwardRule()] } },
    { name: "the HTTPS listener", change: { httpsPorts: [] } },
  ])("changes when $name changes", ({ change }) => {
    // Prepare
    const before = snapshot();
    const after = snapshot(change);

    // Act / Assess
    expect(JSON.stringify(ownedState(after))).not.toBe(JSON.stringify(ownedState(before)));
  });
});
