import {
  CloudFrontServiceException,
  CreateResponseHeadersPolicyCommand,
  type DistributionConfig,
  GetDistributionConfigCommand,
  GetResponseHeadersPolicyCommand,
  GetResponseHeadersPolicyConfigCommand,
  ListResponseHeadersPoliciesCommand,
  type ResponseHeadersPolicyConfig,
  type ResponseHeadersPolicyType,
  UpdateDistributionCommand,
  UpdateResponseHeadersPolicyCommand,
} from "@aws-sdk/client-cloudfront";
import { describe, expect, it } from "vitest";
import { clients } from "../../functions/lib/aws.js";
import type { Mutation } from "../../local/sandbox/cloudtrail.js";
import {
  CUSTOM_POLICY_ID,
  cloudFrontState,
  customPolicy,
  DISTRIBUTION,
  failure,
  plugged,
} from "./helpers.js";

const cloudfront = () => clients.cloudfront();

const MANAGED = [
  ["Managed-SimpleCORS", "60669652-455b-4ae9-85a4-c4c02393f86c"],
  ["Managed-CORS-With-Preflight", "5cc3b908-e619-4b99-88e5-2cf7f45965bd"],
  ["Managed-SecurityHeadersPolicy", "67f7725c-6f97-4210-82d7-5512b31e9d03"],
  ["Managed-CORS-and-SecurityHeadersPolicy", "e61eb60c-9c35-4d20-a928-2b84e02af89c"],
  ["Managed-CORS-with-preflight-and-SecurityHeadersPolicy", "eaab4381-ed33-4a86-88ca-d9558dc6cd63"],
];

/** The security headers AWS's SecurityHeadersPolicy sets (its "Use managed response headers policies" table). */
const SECURITY_HEADERS = {
  XSSProtection: { Override: false, Protection: true, ModeBlock: true },
  FrameOptions: { Override: false, FrameOption: "SAMEORIGIN" },
  ReferrerPolicy: { Override: false, ReferrerPolicy: "strict-origin-when-cross-origin" },
  ContentTypeOptions: { Override: true },
  StrictTransportSecurity: {
    Override: false,
    IncludeSubdomains: false,
    Preload: false,
    AccessControlMaxAgeSec: 31_536_000,
  },
};

function withPolicy() {
  return plugged({ state: cloudFrontState({ responseHeadersPolicies: [customPolicy()] }) });
}

function securityPolicy(name: string): ResponseHeadersPolicyConfig {
  return {
    Name: name,
    Comment: "HSTS and no framing",
    SecurityHeadersConfig: {
      StrictTransportSecurity: {
        Override: true,
        IncludeSubdomains: true,
        AccessControlMaxAgeSec: 31_536_000,
      },
      ContentTypeOptions: { Override: true },
      FrameOptions: { Override: true, FrameOption: "DENY" },
    },
  };
}

async function allPolicies(type?: ResponseHeadersPolicyType, maxItems = 2) {
  const ids: string[] = [];
  let marker: string | undefined;
  do {
    const { ResponseHeadersPolicyList: list } = await cloudfront().send(
      new ListResponseHeadersPoliciesCommand({ Type: type, MaxItems: maxItems, Marker: marker }),
    );
    for (const item of list?.Items ?? []) ids.push(item.ResponseHeadersPolicy?.Id as string);
    marker = list?.NextMarker;
  } while (marker);
  return ids;
}

describe("CloudFront response headers policies", () => {
  it.each(MANAGED)("has AWS's managed %s under its real id, in every account", async (name, id) => {
    // Prepare: an account whose state names no policy at all
    plugged();

    // Act
    const { ResponseHeadersPolicy: policy, ETag } = await cloudfront().send(
      new GetResponseHeadersPolicyCommand({ Id: id }),
    );

    // Assess
    expect(policy?.Id).toBe(id);
    expect(policy?.ResponseHeadersPolicyConfig?.Name).toBe(name);
    expect(policy?.LastModifiedTime).toBeInstanceOf(Date);
    expect(ETag).toMatch(/^E[0-9A-Z]{13}$/);
  });

  it.each([
    ["Managed-SecurityHeadersPolicy", "67f7725c-6f97-4210-82d7-5512b31e9d03"],
    ["Managed-CORS-and-SecurityHeadersPolicy", "e61eb60c-9c35-4d20-a928-2b84e02af89c"],
    ["Managed-CORS-with-preflight-and-SecurityHeadersPolicy", "eaab4381-ed33-4a86-88ca-d9558dc6cd63"],
  ])("gives %s the security headers AWS documents", async (_name, id) => {
    // Prepare
    plugged();

    // Act
    const { ResponseHeadersPolicyConfig: config, ETag } = await cloudfront().send(
      new GetResponseHeadersPolicyConfigCommand({ Id: id }),
    );
    const { ETag: policyETag } = await cloudfront().send(new GetResponseHeadersPolicyCommand({ Id: id }));

    // Assess
    expect(config?.SecurityHeadersConfig).toEqual(SECURITY_HEADERS);
    expect(ETag).toBe(policyETag);
  });

  it.each([
    ["managed" as const, MANAGED.map(([, id]) => id)],
    ["custom" as const, [CUSTOM_POLICY_ID]],
    [undefined, [...MANAGED.map(([, id]) => id), CUSTOM_POLICY_ID]],
  ])("lists %s policies page by page", async (type, expected) => {
    // Prepare
    withPolicy();

    // Act
    const paged = await allPolicies(type, 2);
    const { ResponseHeadersPolicyList: first } = await cloudfront().send(
      new ListResponseHeadersPoliciesCommand({ Type: type, MaxItems: 2 }),
    );

    // Assess
    expect(paged).toEqual(expected);
    expect(first).toMatchObject({ MaxItems: 2, Quantity: Math.min(2, expected.length) });
    expect(first?.Items?.[0]?.Type).toBe(type ?? "managed");
  });

  it("answers the scenario's custom policy as GetResponseHeadersPolicy reports it", async () => {
    // Prepare
    withPolicy();

    // Act
    const got = await cloudfront().send(new GetResponseHeadersPolicyCommand({ Id: CUSTOM_POLICY_ID }));

    // Assess
    const state = customPolicy() as {
      ETag: string;
      ResponseHeadersPolicy: { ResponseHeadersPolicyConfig: unknown };
    };
    expect(got.ETag).toBe(state.ETag);
    expect(got.ResponseHeadersPolicy).toEqual({
      Id: CUSTOM_POLICY_ID,
      LastModifiedTime: new Date("2026-02-01T10:00:00Z"),
      ResponseHeadersPolicyConfig: state.ResponseHeadersPolicy.ResponseHeadersPolicyConfig,
    });
  });

  it("answers an unknown id with NoSuchResponseHeadersPolicy (404)", async () => {
    // Prepare
    plugged();

    // Act
    const error = await failure(
      cloudfront().send(new GetResponseHeadersPolicyCommand({ Id: "00000000-0000-4000-8000-000000000000" })),
    );

    // Assess
    expect(error).toMatchObject({ name: "NoSuchResponseHeadersPolicy", $metadata: { httpStatusCode: 404 } });
  });

  it("creates a custom policy with an id, a Location and an ETag, which reads back and is listed", async () => {
    // Prepare
    const sandbox = plugged();

    // Act
    const created = await cloudfront().send(
      new CreateResponseHeadersPolicyCommand({ ResponseHeadersPolicyConfig: securityPolicy("shop-headers") }),
    );
    const id = created.ResponseHeadersPolicy?.Id as string;
    const read = await cloudfront().send(new GetResponseHeadersPolicyCommand({ Id: id }));

    // Assess
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(created.Location).toBe(
      `https://cloudfront.amazonaws.com/2020-05-31/response-headers-policy/${id}`,
    );
    expect(created.ETag).toMatch(/^E[0-9A-Z]{13}$/);
    expect(read.ETag).toBe(created.ETag);
    expect(read.ResponseHeadersPolicy).toEqual({
      Id: id,
      LastModifiedTime: new Date("2026-03-01T09:00:00Z"),
      ResponseHeadersPolicyConfig: securityPolicy("shop-headers"),
    });
    expect(await allPolicies("custom")).toEqual([id]);
    expect(sandbox.state().cloudfront.responseHeadersPolicies).toEqual([
      {
        Id: id,
        ETag: created.ETag,
        ResponseHeadersPolicy: {
          Id: id,
          LastModifiedTime: "2026-03-01T09:00:00.000Z",
          ResponseHeadersPolicyConfig: securityPolicy("shop-headers"),
        },
      },
    ]);
  });

  it("echoes its creation to CloudTrail as CloudFront records it", async () => {
    // Prepare
    const sandbox = plugged();

    // Act
    const created = await cloudfront().send(
      new CreateResponseHeadersPolicyCommand({ ResponseHeadersPolicyConfig: securityPolicy("shop-headers") }),
    );

    // Assess
    const event = sandbox.cloudTrailEvent(sandbox.mutations.at(-1) as Mutation);
    expect(event).toMatchObject({
      source: "aws.cloudfront",
      region: "us-east-1",
      "detail-type": "AWS API Call via CloudTrail",
      detail: {
        eventName: "CreateResponseHeadersPolicy",
        eventSource: "cloudfront.amazonaws.com",
        awsRegion: "us-east-1",
        userIdentity: { sessionContext: { sessionIssuer: { arn: sandbox.remediatorRoleArn } } },
        requestParameters: {
          responseHeadersPolicyConfig: {
            name: "shop-headers",
            comment: "HIDDEN_DUE_TO_SECURITY_REASONS",
            securityHeadersConfig: {
              strictTransportSecurity: {
                override: true,
                includeSubdomains: true,
                accessControlMaxAgeSec: 31_536_000,
              },
              frameOptions: { override: true, frameOption: "DENY" },
            },
          },
        },
        responseElements: {
          responseHeadersPolicy: {
            id: created.ResponseHeadersPolicy?.Id,
            lastModifiedTime: "Mar 1, 2026 9:00:00 AM",
          },
          location: created.Location,
          eTag: created.ETag,
        },
      },
    });
  });

  const withSecurity = (edit: (security: Record<string, Record<string, unknown>>) => void) => {
    const config = securityPolicy("another") as unknown as {
      SecurityHeadersConfig: Record<string, Record<string, unknown>>;
    };
    edit(config.SecurityHeadersConfig);
    return config as unknown as ResponseHeadersPolicyConfig;
  };
  const cors = (origins: string[], methods: string[]) =>
    ({
      Name: "cors",
      CorsConfig: {
        AccessControlAllowOrigins: { Quantity: origins.length, Items: origins },
        AccessControlAllowHeaders: { Quantity: 1, Items: ["*"] },
        AccessControlAllowMethods: { Quantity: methods.length, Items: methods },
        AccessControlAllowCredentials: false,
        OriginOverride: true,
      },
    }) as unknown as ResponseHeadersPolicyConfig;

  it.each([
    [
      "a name a custom policy has",
      securityPolicy("shop-security-headers"),
      "ResponseHeadersPolicyAlreadyExists",
      409,
      "Name: shop-security-headers",
    ],
    [
      "a managed policy's name",
      securityPolicy("Managed-SecurityHeadersPolicy"),
      "ResponseHeadersPolicyAlreadyExists",
      409,
      "already exists",
    ],
    [
      "no name",
      { ...securityPolicy("x"), Name: undefined },
      "InvalidArgument",
      400,
      "ResponseHeadersPolicyConfig.Name: is required",
    ],
    [
      "an X-Frame-Options value browsers do not know",
      withSecurity((s) => {
        s.FrameOptions = { Override: true, FrameOption: "ALLOWALL" };
      }),
      "MalformedXML",
      400,
      "Value 'ALLOWALL' at 'responseHeadersPolicyConfig.securityHeadersConfig.frameOptions.frameOption' failed to satisfy constraint: Member must satisfy enum value set: [DENY, SAMEORIGIN]",
    ],
    [
      "a negative HSTS max-age",
      withSecurity((s) => {
        s.StrictTransportSecurity = { Override: true, AccessControlMaxAgeSec: -1 };
      }),
      "InvalidArgument",
      400,
      "ResponseHeadersPolicyConfig.SecurityHeadersConfig.StrictTransportSecurity.AccessControlMaxAgeSec",
    ],
    [
      "HSTS without a max-age",
      withSecurity((s) => {
        s.StrictTransportSecurity = { Override: true, IncludeSubdomains: true };
      }),
      "InvalidArgument",
      400,
      "StrictTransportSecurity.AccessControlMaxAgeSec",
    ],
    [
      "a security header without Override",
      withSecurity((s) => {
        s.ContentTypeOptions = {};
      }),
      "InvalidArgument",
      400,
      "ContentTypeOptions.Override: is required",
    ],
    [
      "X-XSS-Protection with both mode=block and a report URI",
      withSecurity((s) => {
        s.XSSProtection = {
          Override: true,
          Protection: true,
          ModeBlock: true,
          ReportUri: "https://example.com/r",
        };
      }),
      "InvalidArgument",
      400,
      "XSSProtection.ReportUri: cannot be set together with ModeBlock true",
    ],
    [
      "a Content-Security-Policy longer than 1783 characters",
      withSecurity((s) => {
        s.ContentSecurityPolicy = {
          Override: true,
          ContentSecurityPolicy: `default-src 'self'; ${"a".repeat(1770)}`,
        };
      }),
      "TooLongCSPInResponseHeadersPolicy",
      400,
      "is 1790 characters, at most 1783",
    ],
    [
      "eleven custom headers",
      {
        Name: "custom",
        CustomHeadersConfig: {
          Quantity: 11,
          Items: Array.from({ length: 11 }, (_, i) => ({
            Header: `X-Custom-${i}`,
            Value: "1",
            Override: false,
          })),
        },
      },
      "TooManyCustomHeadersInResponseHeadersPolicy",
      400,
      "has 11, at most 10",
    ],
    [
      "removing a header CloudFront needs",
      { Name: "remove", RemoveHeadersConfig: { Quantity: 1, Items: [{ Header: "Content-Length" }] } },
      "InvalidArgument",
      400,
      "'Content-Length' cannot be removed",
    ],
    [
      "a wildcard inside a CORS origin",
      cors(["https://test.*.example.org"], ["GET"]),
      "InvalidArgument",
      400,
      "leftmost part",
    ],
    [
      "a CORS method CloudFront does not know",
      cors(["*"], ["TRACE"]),
      "MalformedXML",
      400,
      "enum value set: [ALL, DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT]",
    ],
    [
      "a Quantity that disagrees with Items",
      {
        Name: "q",
        CustomHeadersConfig: { Quantity: 2, Items: [{ Header: "X-A", Value: "1", Override: false }] },
      },
      "InconsistentQuantities",
      400,
      "ResponseHeadersPolicyConfig.CustomHeadersConfig.Quantity is 2 but Items has 1 entry",
    ],
  ])("refuses %s with %s, creating nothing", async (_case, config, name, status, message) => {
    // Prepare
    const sandbox = withPolicy();
    const before = sandbox.state();

    // Act
    const error = await failure(
      cloudfront().send(
        new CreateResponseHeadersPolicyCommand({
          ResponseHeadersPolicyConfig: config as ResponseHeadersPolicyConfig,
        }),
      ),
    );

    // Assess
    expect(error).toBeInstanceOf(CloudFrontServiceException);
    expect(error).toMatchObject({ name, $metadata: { httpStatusCode: status } });
    expect(error.message).toContain(message);
    expect(sandbox.state()).toEqual(before);
    expect(sandbox.mutations).toEqual([]);
    expect(sandbox.failures.map((f) => [f.action, f.errorCode])).toEqual([
      ["CreateResponseHeadersPolicy", name],
    ]);
  });

  it("accepts CORS origins whose wildcard is the whole leftmost label, or all origins", async () => {
    // Prepare
    plugged();

    // Act
    const created = await cloudfront().send(
      new CreateResponseHeadersPolicyCommand({
        ResponseHeadersPolicyConfig: cors(["*.example.org", "https://*.shop.example.org", "*"], ["ALL"]),
      }),
    );

    // Assess
    expect(
      created.ResponseHeadersPolicy?.ResponseHeadersPolicyConfig?.CorsConfig?.AccessControlAllowOrigins,
    ).toEqual({
      Quantity: 3,
      Items: ["*.example.org", "https://*.shop.example.org", "*"],
    });
  });

  it("refuses a 21st custom policy with TooManyResponseHeadersPolicies", async () => {
    // Prepare: the account quota is 20
    plugged();
    for (let i = 0; i < 20; i++) {
      await cloudfront().send(
        new CreateResponseHeadersPolicyCommand({
          ResponseHeadersPolicyConfig: securityPolicy(`policy-${i}`),
        }),
      );
    }

    // Act
    const error = await failure(
      cloudfront().send(
        new CreateResponseHeadersPolicyCommand({
          ResponseHeadersPolicyConfig: securityPolicy("one-too-many"),
        }),
      ),
    );

    // Assess
    expect(error.name).toBe("TooManyResponseHeadersPolicies");
    expect(await allPolicies("custom", 100)).toHaveLength(20);
  });
});

describe("a cache behavior's ResponseHeadersPolicyId", () => {
  async function attach(policyId: string, where: "default" | "ordered" = "default") {
    const { DistributionConfig, ETag } = await cloudfront().send(
      new GetDistributionConfigCommand({ Id: DISTRIBUTION }),
    );
    const config = DistributionConfig as DistributionConfig;
    if (where === "default" && config.DefaultCacheBehavior)
      config.DefaultCacheBehavior.ResponseHeadersPolicyId = policyId;
    if (where === "ordered") {
      const origin = config.Origins?.Items?.[0]?.Id as string;
      config.CacheBehaviors = {
        Quantity: 1,
        Items: [
          {
            PathPattern: "/api/*",
            TargetOriginId: origin,
            ViewerProtocolPolicy: "https-only",
            ResponseHeadersPolicyId: policyId,
          } as never,
        ],
      };
    }
    return cloudfront().send(
      new UpdateDistributionCommand({ Id: DISTRIBUTION, IfMatch: ETag, DistributionConfig: config }),
    );
  }

  it.each([
    ["AWS's managed SecurityHeadersPolicy", "67f7725c-6f97-4210-82d7-5512b31e9d03"],
    ["the scenario's custom policy", CUSTOM_POLICY_ID],
  ])("may name %s", async (_case, id) => {
    // Prepare
    withPolicy();

    // Act
    const updated = await attach(id);

    // Assess
    expect(updated.Distribution?.DistributionConfig?.DefaultCacheBehavior?.ResponseHeadersPolicyId).toBe(id);
  });

  it("may name a policy created moments before, and the change echoes it to CloudTrail", async () => {
    // Prepare
    const sandbox = plugged();
    const created = await cloudfront().send(
      new CreateResponseHeadersPolicyCommand({ ResponseHeadersPolicyConfig: securityPolicy("fresh") }),
    );
    const id = created.ResponseHeadersPolicy?.Id as string;

    // Act
    await attach(id, "ordered");

    // Assess
    const event = sandbox.cloudTrailEvent(sandbox.mutations.at(-1) as Mutation);
    expect(event.detail).toMatchObject({
      eventName: "UpdateDistribution",
      requestParameters: {
        distributionConfig: {
          cacheBehaviors: { quantity: 1, items: [{ pathPattern: "/api/*", responseHeadersPolicyId: id }] },
        },
      },
    });
  });

  it.each([
    ["default" as const, "DefaultCacheBehavior"],
    ["ordered" as const, "CacheBehaviors.Items[0]"],
  ])(
    "refuses an unknown policy on the %s behavior with NoSuchResponseHeadersPolicy (404), naming it",
    async (where, path) => {
      // Prepare
      const sandbox = withPolicy();
      const before = sandbox.state();

      // Act
      const error = await failure(attach("11111111-2222-4333-8444-555555555555", where));

      // Assess
      expect(error).toMatchObject({
        name: "NoSuchResponseHeadersPolicy",
        $metadata: { httpStatusCode: 404 },
      });
      expect(error.message).toContain(`DistributionConfig.${path}.ResponseHeadersPolicyId`);
      expect(sandbox.state()).toEqual(before);
    },
  );
});

describe("UpdateResponseHeadersPolicy", () => {
  const MANAGED_SECURITY_HEADERS = "67f7725c-6f97-4210-82d7-5512b31e9d03";

  it("replaces a custom policy's configuration under its ETag and answers a new ETag", async () => {
    // Prepare
    const sandbox = withPolicy();
    const replacement = securityPolicy("shop-security-headers");

    // Act
    const updated = await cloudfront().send(
      new UpdateResponseHeadersPolicyCommand({
        Id: CUSTOM_POLICY_ID,
        IfMatch: "E3CUSTOMPOLICY1",
        ResponseHeadersPolicyConfig: replacement,
      }),
    );
    const read = await cloudfront().send(new GetResponseHeadersPolicyCommand({ Id: CUSTOM_POLICY_ID }));

    // Assess
    expect(updated.ETag).toMatch(/^E[0-9A-Z]{13}$/);
    expect(updated.ETag).not.toBe("E3CUSTOMPOLICY1");
    expect(read).toMatchObject({
      ETag: updated.ETag,
      ResponseHeadersPolicy: { ResponseHeadersPolicyConfig: replacement },
    });
    expect(sandbox.mutations.at(-1)).toMatchObject({
      service: "cloudfront",
      action: "UpdateResponseHeadersPolicy",
    });
  });

  it.each([
    ["a stale ETag", CUSTOM_POLICY_ID, "E3SOMEONEELSES", "PreconditionFailed", 412],
    ["no ETag", CUSTOM_POLICY_ID, undefined, "InvalidIfMatchVersion", 400],
    ["AWS's managed policy", MANAGED_SECURITY_HEADERS, "E23ZP02F085DFQ", "AccessDenied", 403],
    [
      "an unknown policy",
      "00000000-0000-4000-8000-000000000000",
      "E3CUSTOMPOLICY1",
      "NoSuchResponseHeadersPolicy",
      404,
    ],
  ])("refuses an update with %s and changes nothing", async (_case, id, ifMatch, name, status) => {
    // Prepare
    const sandbox = withPolicy();

    // Act
    const error = await failure(
      cloudfront().send(
        new UpdateResponseHeadersPolicyCommand({
          Id: id,
          IfMatch: ifMatch,
          ResponseHeadersPolicyConfig: securityPolicy("shop-security-headers"),
        }),
      ),
    );

    // Assess
    expect(error).toMatchObject({ name, $metadata: { httpStatusCode: status } });
    expect(sandbox.state().cloudfront.responseHeadersPolicies).toEqual([customPolicy()]);
  });
});
