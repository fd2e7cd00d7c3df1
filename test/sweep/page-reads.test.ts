import { ListTagsForResourceCommand } from "@aws-sdk/client-cloudfront";
import { DescribeTagsCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { describe, expect, it } from "vitest";
import type { ControlClients } from "../../functions/lib/clients/controls.js";
import { pageClients } from "../../functions/sweep/page-reads.js";

/**
 * A sweep page listed from AWS Config carries each item's tags: a control
 * scoped by tags reads them from the page instead of a DescribeTags or
 * ListTagsForResource per resource; what the page lacks still goes to AWS.
 */
const lb = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/shop/50dc6c495c0c9188";
const listener =
  "arn:aws:elasticloadbalancing:eu-west-1:111122223333:listener/app/shop/50dc6c495c0c9188/f2f7dc8efc522ab2";
const other = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/blog/1a2b3c4d5e6f7081";
const distribution = "arn:aws:cloudfront::111122223333:distribution/E2QWRUHEXAMPLE";

/** Clients whose every call reaches "AWS": recorded, and answered with a marker. */
function base(sent: string[]): ControlClients {
  const client = (service: string) => ({
    send: async (command: { constructor: { name: string } }) => {
      sent.push(`${service}:${command.constructor.name}`);
      return { fromAws: true };
    },
  });
  return {
    elbv2: () => client("elbv2"),
    cloudfront: () => client("cloudfront"),
    wafv2: () => client("wafv2"),
  } as unknown as ControlClients;
}

describe("tags on a page listed from AWS Config", () => {
  it.each([
    {
      name: "the page's load balancer and listener",
      arns: [lb, listener],
      sent: [],
      answer: {
        TagDescriptions: [
          { ResourceArn: lb, Tags: [{ Key: "env", Value: "prod" }] },
          { ResourceArn: listener, Tags: [] },
        ],
      },
    },
    {
      name: "a load balancer the page does not hold",
      arns: [lb, other],
      sent: ["elbv2:DescribeTagsCommand"],
      answer: { fromAws: true },
    },
  ])("DescribeTags for $name", async ({ arns, sent, answer }) => {
    // Prepare
    const calls: string[] = [];
    const clients = pageClients(base(calls), {
      elbv2: {
        region: "eu-west-1",
        loadBalancers: [{ LoadBalancerArn: lb }],
        listeners: new Map([[lb, []]]),
        recordedTags: new Map<string, Record<string, string>>([
          [lb, { env: "prod" }],
          [listener, {}],
        ]),
        tagsNeeded: true,
      },
    });

    // Act
    const out = await clients.elbv2("eu-west-1").send(new DescribeTagsCommand({ ResourceArns: arns }));

    // Assess
    expect(out).toEqual(answer);
    expect(calls).toEqual(sent);
  });

  it("ListTagsForResource of a distribution the page holds, without a call", async () => {
    // Prepare
    const calls: string[] = [];
    const clients = pageClients(base(calls), {
      cloudfront: {
        distributions: [{ Id: "E2QWRUHEXAMPLE", ARN: distribution } as never],
        recordedTags: new Map([[distribution, { team: "web", "driftwarden:exempt": "2026-04-01;launch" }]]),
        tagsNeeded: true,
      },
    });

    // Act
    const out = await clients.cloudfront().send(new ListTagsForResourceCommand({ Resource: distribution }));

    // Assess
    expect(out).toEqual({
      Tags: {
        Items: [
          { Key: "team", Value: "web" },
          { Key: "driftwarden:exempt", Value: "2026-04-01;launch" },
        ],
      },
    });
    expect(calls).toEqual([]);
  });
});
