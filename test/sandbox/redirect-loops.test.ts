import {
  CreateListenerCommand,
  CreateRuleCommand,
  DescribeListenersCommand,
  InvalidLoadBalancerActionException,
  ModifyListenerCommand,
  ModifyRuleCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { describe, expect, it } from "vitest";
import { clients } from "../../functions/lib/aws.js";
import { failure, forwardToShop, HTTP_LISTENER, HTTPS_LISTENER, LB, plugged } from "./helpers.js";

const elbv2 = () => clients.elbv2("us-west-2");
const CERTIFICATE = "arn:aws:acm:us-west-2:111122223333:certificate/0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9";

function redirect(config: Record<string, string>) {
  return [{ Type: "redirect", RedirectConfig: { StatusCode: "HTTP_301", ...config } }] as never;
}

/** The original URL kept: only protocol and port decide whether it comes back to the same listener. */
const sameUrl = { Host: "#{host}", Path: "/#{path}", Query: "#{query}" };

async function ruleOnHttps(): Promise<string> {
  const { Rules } = await elbv2().send(
    new CreateRuleCommand({
      ListenerArn: HTTPS_LISTENER,
      Priority: 10,
      Conditions: [{ Field: "path-pattern", Values: ["/old/*"] }],
      Actions: [forwardToShop] as never,
    }),
  );
  return Rules?.[0]?.RuleArn as string;
}

describe("redirect loops", () => {
  it.each([
    [
      "CreateListener: HTTPS:8443 redirecting to HTTPS:8443",
      async () =>
        new CreateListenerCommand({
          LoadBalancerArn: LB,
          Port: 8443,
          Protocol: "HTTPS",
          Certificates: [{ CertificateArn: CERTIFICATE }],
          DefaultActions: redirect({ Protocol: "HTTPS", Port: "8443", ...sameUrl }),
        }),
    ],
    [
      "CreateListener: HTTP:8080 redirecting to #{protocol}:#{port} (every default)",
      async () =>
        new CreateListenerCommand({
          LoadBalancerArn: LB,
          Port: 8080,
          Protocol: "HTTP",
          DefaultActions: redirect({}),
        }),
    ],
    [
      "ModifyListener: HTTPS:443 redirecting to HTTPS:443",
      async () =>
        new ModifyListenerCommand({
          ListenerArn: HTTPS_LISTENER,
          DefaultActions: redirect({ Protocol: "HTTPS", Port: "443", ...sameUrl }),
        }),
    ],
    [
      "ModifyListener: HTTP:80 redirecting to #{protocol}:80",
      async () =>
        new ModifyListenerCommand({
          ListenerArn: HTTP_LISTENER,
          DefaultActions: redirect({ Protocol: "#{protocol}", Port: "80" }),
        }),
    ],
    [
      "ModifyListener: HTTPS:443 redirecting to HTTPS:#{port}",
      async () =>
        new ModifyListenerCommand({
          ListenerArn: HTTPS_LISTENER,
          DefaultActions: redirect({ Protocol: "HTTPS", Port: "#{port}" }),
        }),
    ],
    [
      "ModifyListener: a port change that brings the kept redirect back to the listener",
      async () => {
        await elbv2().send(
          new ModifyListenerCommand({
            ListenerArn: HTTP_LISTENER,
            DefaultActions: redirect({ Protocol: "HTTP", Port: "8080" }),
          }),
        );
        return new ModifyListenerCommand({ ListenerArn: HTTP_LISTENER, Port: 8080 });
      },
    ],
    [
      "CreateRule: a rule of HTTPS:443 redirecting to HTTPS:443",
      async () =>
        new CreateRuleCommand({
          ListenerArn: HTTPS_LISTENER,
          Priority: 5,
          Conditions: [{ Field: "path-pattern", Values: ["/*"] }],
          Actions: redirect({ Protocol: "HTTPS", Port: "443", ...sameUrl }),
        }),
    ],
    [
      "ModifyRule: a rule of HTTPS:443 now redirecting to #{protocol}:443",
      async () =>
        new ModifyRuleCommand({
          RuleArn: await ruleOnHttps(),
          Actions: redirect({ Protocol: "#{protocol}", Port: "443" }),
        }),
    ],
  ])("refuses %s with InvalidLoadBalancerAction, changing nothing", async (_case, prepare) => {
    // Prepare
    const sandbox = plugged();
    const command = await prepare();
    const before = sandbox.state();

    // Act
    const error = await failure(elbv2().send(command as never));

    // Assess
    expect(error).toBeInstanceOf(InvalidLoadBalancerActionException);
    expect(error.message).toBe("The redirect configuration is not valid because it creates a loop.");
    expect(error.$metadata).toMatchObject({ httpStatusCode: 400 });
    expect(sandbox.state()).toEqual(before);
  });

  it.each([
    ["HTTP:80 to HTTPS:443 (the fix driftwarden applies)", HTTP_LISTENER, { Protocol: "HTTPS", Port: "443" }],
    ["HTTP:80 to HTTPS:#{port} (another protocol)", HTTP_LISTENER, { Protocol: "HTTPS", Port: "#{port}" }],
    ["HTTPS:443 to HTTPS:8443 (another port)", HTTPS_LISTENER, { Protocol: "HTTPS", Port: "8443" }],
    [
      "HTTPS:443 to another host",
      HTTPS_LISTENER,
      { Protocol: "HTTPS", Port: "443", Host: "www.example.com" },
    ],
  ])("accepts a redirect from %s", async (_case, listenerArn, config) => {
    // Prepare
    plugged();

    // Act
    await elbv2().send(
      new ModifyListenerCommand({ ListenerArn: listenerArn, DefaultActions: redirect(config) }),
    );

    // Assess
    const { Listeners } = await elbv2().send(new DescribeListenersCommand({ ListenerArns: [listenerArn] }));
    expect(Listeners?.[0]?.DefaultActions?.[0]?.RedirectConfig).toMatchObject(config);
  });
});
