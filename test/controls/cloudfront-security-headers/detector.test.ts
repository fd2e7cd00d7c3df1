import { describe, expect, it } from "vitest";
import { detect, ownedState } from "../../../functions/controls/cloudfront-security-headers/detector.js";
import { settings } from "../../../functions/controls/cloudfront-security-headers/metadata.js";
import { plan } from "../../../functions/controls/cloudfront-security-headers/planner.js";
import type {
  PolicyState,
  Snapshot,
} from "../../../functions/controls/cloudfront-security-headers/snapshot.js";
import {
  behavior,
  configWith,
  managedSecurityHeaders,
  type Shape,
  snapshotOf,
} from "../cloudfront/helpers.js";
import { corsPolicy, customPolicyId, securityHeadersPolicy, shortCustomPolicy } from "./policies.js";

function snapshot(shape: Shape, policies: PolicyState[] = [], missing: string[] = []): Snapshot {
  return {
    ...snapshotOf(configWith(shape)),
    policies: Object.fromEntries([
      ...policies.map((policy) => [policy.id, policy] as const),
      ...missing.map((id) => [id, null] as const),
    ]),
  };
}

const defaults = settings.parse({});
const managed = { ResponseHeadersPolicyId: managedSecurityHeaders };

describe("cloudfront-security-headers detector", () => {
  it.each([
    {
      name: "every behavior on Managed-SecurityHeadersPolicy",
      snapshot: snapshot({ defaults: managed, behaviors: [behavior("/api/*", managed)] }, [
        securityHeadersPolicy(),
      ]),
      status: "compliant",
      message:
        /all 2 cache behavior\(s\) send Strict-Transport-Security \(max-age >= 31536000\), X-Content-Type-Options and X-Frame-Options$/,
    },
    {
      name: "a custom policy with all three headers for two years",
      snapshot: snapshot({ defaults: { ResponseHeadersPolicyId: customPolicyId } }, [
        shortCustomPolicy({
          StrictTransportSecurity: {
            Override: true,
            IncludeSubdomains: true,
            Preload: true,
            AccessControlMaxAgeSec: 63_072_000,
          },
          ContentTypeOptions: { Override: true },
          FrameOptions: { Override: true, FrameOption: "DENY" },
        }),
      ]),
      status: "compliant",
      message: /all 1 cache behavior/,
    },
    {
      name: "the storefront as deployed: no response headers policy",
      snapshot: snapshot({}),
      status: "non-compliant",
      message: /^cache behavior default: no response headers policy$/,
    },
    {
      name: "a CORS-only managed policy",
      snapshot: snapshot({ defaults: { ResponseHeadersPolicyId: corsPolicy().id } }, [corsPolicy()]),
      status: "non-compliant",
      message:
        /^cache behavior default: policy "Managed-CORS-With-Preflight" \(5cc3b908-e619-4b99-88e5-2cf7f45965bd\) has no Strict-Transport-Security, no X-Content-Type-Options, no X-Frame-Options$/,
    },
    {
      name: "a custom policy with five minutes of HSTS and no frame options, on one ordered behavior",
      snapshot: snapshot(
        {
          defaults: managed,
          behaviors: [behavior("/account/*", { ResponseHeadersPolicyId: customPolicyId })],
        },
        [securityHeadersPolicy(), shortCustomPolicy()],
      ),
      status: "non-compliant",
      message:
        /^cache behavior "\/account\/\*": policy "shop-headers" \(0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d\) has Strict-Transport-Security max-age 300 s, under 31536000 \(one year\), no X-Frame-Options$/,
    },
    {
      name: "a policy that could not be read",
      snapshot: snapshot({ defaults: { ResponseHeadersPolicyId: customPolicyId } }, [], [customPolicyId]),
      status: "non-compliant",
      message: /^cache behavior default: policy 0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d could not be read$/,
    },
  ])("$name -> $status", ({ snapshot: live, status, message }) => {
    // Act
    const finding = detect(live, defaults);

    // Assess
    expect(finding.status).toBe(status);
    expect(finding.message).toMatch(message);
  });

  it("requires includeSubDomains only when the setting says so", () => {
    // Prepare
    const live = snapshot({ defaults: managed }, [securityHeadersPolicy()]);

    // Act
    const findings = [
      detect(live, defaults),
      detect(live, settings.parse({ requireIncludeSubdomains: true })),
    ];

    // Assess
    expect(findings.map((finding) => finding.status)).toEqual(["compliant", "non-compliant"]);
    expect(findings[1]?.message).toMatch(/Strict-Transport-Security without includeSubDomains/);
  });

  it("says when the failing policy is the configured one, which attaching cannot fix (nothing is planned)", () => {
    // Prepare
    const live = snapshot({ defaults: managed }, [securityHeadersPolicy()]);
    const strict = settings.parse({ requireIncludeSubdomains: true });

    // Act
    const finding = detect(live, strict);

    // Assess
    expect(finding.message).toBe(
      'cache behavior default: policy "Managed-SecurityHeadersPolicy" (67f7725c-6f97-4210-82d7-5512b31e9d03) has Strict-Transport-Security without includeSubDomains; it is the policy driftwarden attaches (controls.cloudfront-security-headers.responseHeadersPolicyId), so only a policy that sends them can fix it',
    );
    expect(plan(live, strict)).toEqual([]);
  });

  it("changes its owned state when a policy's headers change, not when unrelated fields do", () => {
    // Prepare
    const shape = { defaults: { ResponseHeadersPolicyId: customPolicyId } };
    const renamed = shortCustomPolicy();
    renamed.config.Comment = "renamed";
    const stronger = shortCustomPolicy({ ContentTypeOptions: { Override: true } });

    // Act
    const states = [shortCustomPolicy(), renamed, stronger].map((policy) =>
      ownedState(snapshot(shape, [policy])),
    );

    // Assess
    expect(states[0]).toEqual(states[1]);
    expect(states[0]).not.toEqual(states[2]);
  });
});
