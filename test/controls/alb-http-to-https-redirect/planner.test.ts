import { describe, expect, it } from "vitest";
import { plan } from "../../../functions/controls/alb-http-to-https-redirect/planner.js";
import {
  acmeRule,
  apiForwardRule,
  fixedResponse,
  forward,
  HTTP_LISTENER,
  httpsRedirect,
  pathPattern,
  RULE_ACME,
  RULE_API,
  redirect,
  rule,
  snapshot,
  TG_ARN,
} from "./builders.js";

const redirectTo = (port: string) => ({
  Type: "redirect",
  RedirectConfig: {
    Protocol: "HTTPS",
    Port: port,
    Host: "#{host}",
    Path: "/#{path}",
    Query: "#{query}",
    StatusCode: "HTTP_301",
  },
});

describe("plan", () => {
  it.each([
    { name: "HTTPS on 443", httpsPorts: [443], port: "443" },
    { name: "HTTPS on 443 among others", httpsPorts: [8443, 443], port: "443" },
    { name: "only HTTPS listener on 8443", httpsPorts: [8443], port: "8443" },
    { name: "lowest HTTPS port when 443 is absent", httpsPorts: [9443, 8443], port: "8443" },
    { name: "no HTTPS listener", httpsPorts: [], port: "443" },
  ])("redirects the default action to port $port: $name", ({ httpsPorts, port }) => {
    // Prepare
    const input = snapshot({ defaultActions: [forward(TG_ARN)], httpsPorts });

    // Act
    const planned = plan(input);

    // Assess: DefaultActions only, never SslPolicy, certificates, port or protocol
    expect(planned).toEqual([
      {
        service: "elbv2",
        action: "ModifyListener",
        input: { ListenerArn: HTTP_LISTENER, DefaultActions: [redirectTo(port)] },
      },
    ]);
  });

  it("includes every offending rule, and only those", () => {
    // Prepare
    const input = snapshot({
      defaultActions: [fixedResponse()],
      rules: [
        apiForwardRule(),
        rule(RULE_ACME, "20", [pathPattern("/legacy/*")], [redirect("#{protocol}")]),
        rule(`${RULE_API.slice(0, -1)}0`, "30", [pathPattern("/health")], [fixedResponse("200")]),
      ],
    });

    // Act
    const planned = plan(input);

    // Assess
    expect(planned.map((change) => change.input)).toEqual([
      { ListenerArn: HTTP_LISTENER, DefaultActions: [redirectTo("443")] },
      { RuleArn: RULE_API, Actions: [redirectTo("443")] },
      { RuleArn: RULE_ACME, Actions: [redirectTo("443")] },
    ]);
  });

  it("leaves a compliant default action untouched and leaves ACME rules alone", () => {
    // Prepare
    const input = snapshot({ defaultActions: [httpsRedirect()], rules: [acmeRule(), apiForwardRule()] });

    // Act
    const planned = plan(input);

    // Assess
    expect(planned.map((change) => [change.action, change.input.RuleArn])).toEqual([
      ["ModifyRule", RULE_API],
    ]);
  });

  it("is plain JSON (it travels through Step Functions)", () => {
    // Prepare
    const planned = plan(snapshot({ defaultActions: [forward(TG_ARN)], rules: [apiForwardRule()] }));

    // Act
    const roundTripped = JSON.parse(JSON.stringify(planned));

    // Assess
    expect(roundTripped).toEqual(planned);
  });
});

describe("plan order", () => {
  it("lists the exact calls: listener first, then rules", () => {
    // Prepare
    const input = snapshot({ defaultActions: [forward(TG_ARN)], rules: [apiForwardRule()] });

    // Act
    const changes = plan(input);

    // Assess
    expect(changes).toEqual([
      {
        service: "elbv2",
        action: "ModifyListener",
        input: { ListenerArn: HTTP_LISTENER, DefaultActions: [redirectTo("443")] },
      },
      { service: "elbv2", action: "ModifyRule", input: { RuleArn: RULE_API, Actions: [redirectTo("443")] } },
    ]);
  });

  it("plans only rule calls when the default action already redirects", () => {
    // Prepare
    const input = snapshot({ rules: [apiForwardRule()] });

    // Act
    const changes = plan(input);

    // Assess
    expect(changes.map((c) => c.action)).toEqual(["ModifyRule"]);
  });
});
