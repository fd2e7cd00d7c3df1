import { z } from "zod";
import { ScenarioError } from "../../functions/lib/errors.js";
import {
  elbTypeOfFlavor,
  isElbArn,
  listenerArnOfRule,
  loadBalancerArnOfListener,
  parseAcmCertificateArn,
  parseDistributionArn,
  parseElbArn,
  parseVpcOriginArn,
  parseWebAclArn,
} from "./arn.js";
import { behaviorsOf, originsOf } from "./cloudfront-distribution-config.js";
import { MANAGED_POLICY_IDS, MANAGED_POLICY_NAMES } from "./cloudfront-managed-policies.js";
import { vpcOriginEndpointConfigProblem } from "./cloudfront-origin-config.js";
import type { ConfigProblem } from "./cloudfront-problems.js";
import { responseHeadersPolicyConfigProblem } from "./cloudfront-response-headers-config.js";
import { isRecord } from "./json.js";
import { quantityProblem } from "./quantities.js";

/**
 * The `state` of a scenario: what the sandbox account holds. Shapes are the
 * SDK v3 output shapes, so a scenario can be pasted from real describe/get
 * output; every object is loose (AWS adds fields over time and the sandbox
 * keeps whatever it is given), and only what the sandbox relies on is checked.
 */
export const originProbeStatuses = ["ok", "no-https", "invalid-certificate", "tls-too-old"] as const;
export type OriginProbeStatus = (typeof originProbeStatuses)[number];

export const elbProtocols = [
  "HTTP",
  "HTTPS",
  "TCP",
  "TLS",
  "UDP",
  "TCP_UDP",
  "GENEVE",
  "QUIC",
  "TCP_QUIC",
] as const;
export const elbActionTypes = [
  "forward",
  "redirect",
  "fixed-response",
  "authenticate-oidc",
  "authenticate-cognito",
  "jwt-validation",
] as const;

const arnOf = (kind: Parameters<typeof isElbArn>[1], shape: string) =>
  z
    .string()
    .refine(
      (value) => isElbArn(value, kind),
      `must be an ELBv2 ${kind} ARN (arn:aws:elasticloadbalancing:<region>:<account>:${shape})`,
    );

const loadBalancerArn = arnOf("loadbalancer", "loadbalancer/app|net|gwy/<name>/<id>");
const listenerArn = arnOf("listener", "listener/app|net|gwy/<lb-name>/<lb-id>/<id>");
const ruleArn = arnOf("listener-rule", "listener-rule/app/<lb-name>/<lb-id>/<listener-id>/<id>");

const tag = z.looseObject({ Key: z.string().min(1).max(128), Value: z.string().max(256).optional() });
/** CloudFront refuses any other character in a tag (see tagConstraint in cloudfront.ts), so no distribution holds one. */
const cloudFrontTagText = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const cloudFrontTag = z.looseObject({
  Key: z.string().min(1).max(128).regex(cloudFrontTagText, "holds a character CloudFront refuses in a tag"),
  Value: z
    .string()
    .max(256)
    .regex(cloudFrontTagText, "holds a character CloudFront refuses in a tag")
    .optional(),
});
const action = z.looseObject({
  Type: z.enum(elbActionTypes),
  Order: z.number().int().min(1).max(50_000).optional(),
});

const loadBalancer = z.looseObject({
  LoadBalancerArn: loadBalancerArn,
  LoadBalancerName: z.string().min(1).optional(),
  Type: z.enum(["application", "network", "gateway"]).optional(),
  CreatedTime: z.iso.datetime({ offset: true }).optional(),
});

const listener = z.looseObject({
  ListenerArn: listenerArn,
  LoadBalancerArn: loadBalancerArn,
  Port: z.number().int().min(1).max(65_535).optional(),
  Protocol: z.enum(elbProtocols).optional(),
  Certificates: z.array(z.looseObject({ CertificateArn: z.string().min(1) })).optional(),
  DefaultActions: z.array(action).min(1),
});

const rule = z.looseObject({
  RuleArn: ruleArn,
  ListenerArn: listenerArn,
  Priority: z
    .string()
    .regex(/^\d+$/, 'must be a number in a string, such as "10"')
    .refine((p) => Number(p) >= 1 && Number(p) <= 50_000, "must be between 1 and 50000"),
  Conditions: z.array(z.looseObject({ Field: z.string().min(1).optional() })).default([]),
  Actions: z.array(action).min(1),
  IsDefault: z.literal(false, "must be false: the default rule is the listener's DefaultActions").optional(),
});

const elbv2 = z
  .looseObject({
    loadBalancers: z.array(loadBalancer).default([]),
    listeners: z.array(listener).default([]),
    rules: z.array(rule).default([]),
    attributes: z
      .array(
        z.looseObject({
          LoadBalancerArn: loadBalancerArn,
          Attributes: z.array(z.looseObject({ Key: z.string().min(1), Value: z.string() })),
        }),
      )
      .default([]),
    tags: z
      .array(
        z.looseObject({ ResourceArn: z.string().startsWith("arn:", "must be an ARN"), Tags: z.array(tag) }),
      )
      .default([]),
  })
  .superRefine((section, ctx) => {
    const problem = (path: (string | number)[], message: string) =>
      ctx.addIssue({ code: "custom", path, message });

    const balancers = new Set<string>();
    section.loadBalancers.forEach((lb, i) => {
      const arn = parseElbArn(lb.LoadBalancerArn);
      if (balancers.has(lb.LoadBalancerArn))
        problem(["loadBalancers", i, "LoadBalancerArn"], "appears twice");
      balancers.add(lb.LoadBalancerArn);
      if (lb.Type && arn && lb.Type !== elbTypeOfFlavor(arn.flavor)) {
        problem(["loadBalancers", i, "Type"], `"${lb.Type}" contradicts the ARN (${arn.flavor})`);
      }
      if (lb.LoadBalancerName && arn && lb.LoadBalancerName !== arn.segments[0]) {
        problem(["loadBalancers", i, "LoadBalancerName"], `"${lb.LoadBalancerName}" contradicts the ARN`);
      }
    });

    const listeners = new Set<string>();
    const ports = new Set<string>();
    section.listeners.forEach((l, i) => {
      if (listeners.has(l.ListenerArn)) problem(["listeners", i, "ListenerArn"], "appears twice");
      listeners.add(l.ListenerArn);
      if (!balancers.has(l.LoadBalancerArn)) {
        problem(["listeners", i, "LoadBalancerArn"], "names no load balancer in elbv2.loadBalancers");
      } else if (loadBalancerArnOfListener(l.ListenerArn) !== l.LoadBalancerArn) {
        problem(["listeners", i, "ListenerArn"], "does not belong to its LoadBalancerArn");
      }
      const port = `${l.LoadBalancerArn} ${l.Port}`;
      if (l.Port !== undefined && ports.has(port))
        problem(["listeners", i, "Port"], `${l.Port} is already used on that load balancer`);
      ports.add(port);
      if ((l.Protocol === "HTTPS" || l.Protocol === "TLS") && !l.Certificates?.length) {
        problem(["listeners", i, "Certificates"], `a ${l.Protocol} listener needs a certificate`);
      }
    });

    const rules = new Set<string>();
    const priorities = new Set<string>();
    section.rules.forEach((r, i) => {
      if (rules.has(r.RuleArn)) problem(["rules", i, "RuleArn"], "appears twice");
      rules.add(r.RuleArn);
      if (!listeners.has(r.ListenerArn)) {
        problem(["rules", i, "ListenerArn"], "names no listener in elbv2.listeners");
      } else if (listenerArnOfRule(r.RuleArn) !== r.ListenerArn) {
        problem(["rules", i, "RuleArn"], "does not belong to its ListenerArn");
      }
      const priority = `${r.ListenerArn} ${Number(r.Priority)}`;
      if (priorities.has(priority))
        problem(["rules", i, "Priority"], `${r.Priority} is already used on that listener`);
      priorities.add(priority);
    });

    section.attributes.forEach((a, i) => {
      if (!balancers.has(a.LoadBalancerArn)) {
        problem(["attributes", i, "LoadBalancerArn"], "names no load balancer in elbv2.loadBalancers");
      }
    });

    const known: Record<string, Set<string>> = {
      loadbalancer: balancers,
      listener: listeners,
      "listener-rule": rules,
    };
    section.tags.forEach((t, i) => {
      const arn = parseElbArn(t.ResourceArn);
      const kind = arn?.kind;
      if (!kind) problem(["tags", i, "ResourceArn"], "must be an ELBv2 ARN");
      else if (kind !== "targetgroup" && !known[kind]?.has(t.ResourceArn)) {
        problem(["tags", i, "ResourceArn"], `names no ${kind} of this state`);
      }
    });
  });

/**
 * AWS always reports Quantity beside Items; a hand-written state may leave it out.
 * Derived here so such a state loads as AWS would describe it (a wrong Quantity
 * is still refused below).
 */
function withQuantities(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withQuantities);
  if (!value || typeof value !== "object") return value;
  const filled = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withQuantities(v)]));
  if (Array.isArray(filled.Items) && filled.Quantity === undefined) filled.Quantity = filled.Items.length;
  return filled;
}

const distributionConfigShape = z.looseObject({
  CallerReference: z.string().min(1).default("sandbox-distribution"),
  Origins: z.looseObject({
    Quantity: z.number().int().min(1),
    Items: z.array(z.looseObject({ Id: z.string().min(1), DomainName: z.string().min(1) })),
  }),
  DefaultCacheBehavior: z.looseObject({ TargetOriginId: z.string().min(1) }),
  Comment: z.string().max(128).optional(),
  Enabled: z.boolean().default(true),
});

const distributionConfig = z.preprocess(withQuantities, distributionConfigShape);

const distribution = z
  .looseObject({
    Id: z.string().regex(/^[A-Z0-9]+$/, "must be a distribution id such as E2EXAMPLE"),
    ARN: z.string().refine((v) => parseDistributionArn(v) !== undefined, {
      message: "must be a distribution ARN (arn:aws:cloudfront::<account>:distribution/<id>)",
    }),
    DomainName: z.string().min(1),
    Status: z.enum(["Deployed", "InProgress"]).default("Deployed"),
    ETag: z.string().min(1),
    LastModifiedTime: z.iso.datetime({ offset: true }).optional(),
    DistributionConfig: distributionConfig,
    Tags: z.array(cloudFrontTag).default([]),
  })
  .superRefine((d, ctx) => {
    if (parseDistributionArn(d.ARN)?.id !== d.Id)
      ctx.addIssue({ code: "custom", path: ["ARN"], message: "does not end with the Id" });
    const inconsistent = quantityProblem(d.DistributionConfig);
    if (inconsistent) {
      ctx.addIssue({
        code: "custom",
        path: ["DistributionConfig", ...inconsistent.path],
        message: inconsistent.message,
      });
    }
  });

function addProblem(ctx: z.RefinementCtx, at: (string | number)[], problem: ConfigProblem | undefined): void {
  if (problem) ctx.addIssue({ code: "custom", path: [...at, ...problem.path], message: problem.message });
}

/**
 * A custom policy as GetResponseHeadersPolicy reports it. Its id may be given
 * at the top (`Id`, as scenarios list it) or inside, or both when they agree;
 * the parsed state carries it in both places.
 */
const responseHeadersPolicy = z
  .looseObject({
    Id: z.string().min(1).optional(),
    ETag: z.string().min(1),
    ResponseHeadersPolicy: z.looseObject({
      Id: z.string().min(1).optional(),
      LastModifiedTime: z.iso.datetime({ offset: true }).optional(),
      ResponseHeadersPolicyConfig: z.preprocess(withQuantities, z.looseObject({ Name: z.string().min(1) })),
    }),
  })
  .superRefine((policy, ctx) => {
    const inner = policy.ResponseHeadersPolicy.Id;
    const id = policy.Id ?? inner;
    if (id === undefined) ctx.addIssue({ code: "custom", path: ["Id"], message: "is required" });
    else if (policy.Id !== undefined && inner !== undefined && inner !== policy.Id)
      ctx.addIssue({
        code: "custom",
        path: ["ResponseHeadersPolicy", "Id"],
        message: `contradicts Id "${policy.Id}"`,
      });
    if (id !== undefined && MANAGED_POLICY_IDS.has(id)) {
      ctx.addIssue({
        code: "custom",
        path: ["Id"],
        message: "is an AWS managed policy, which every account has: list only custom policies",
      });
    }
    addProblem(
      ctx,
      ["ResponseHeadersPolicy", "ResponseHeadersPolicyConfig"],
      responseHeadersPolicyConfigProblem(policy.ResponseHeadersPolicy.ResponseHeadersPolicyConfig),
    );
  })
  .transform((policy) => {
    const id = policy.Id ?? policy.ResponseHeadersPolicy.Id ?? "";
    return { ...policy, Id: id, ResponseHeadersPolicy: { ...policy.ResponseHeadersPolicy, Id: id } };
  });

/** A VPC origin as GetVpcOrigin reports it. */
const vpcOrigin = z
  .looseObject({
    ETag: z.string().min(1),
    VpcOrigin: z.looseObject({
      Id: z.string().regex(/^vo_[0-9A-Za-z]+$/, "must be a VPC origin id such as vo_BQwjxxQxjCaBcQLzJUFkDM"),
      Arn: z.string().refine((v) => parseVpcOriginArn(v) !== undefined, {
        message: "must be a VPC origin ARN (arn:aws:cloudfront::<account>:vpcorigin/<id>)",
      }),
      Status: z.string().min(1).default("Deployed"),
      CreatedTime: z.iso.datetime({ offset: true }).optional(),
      LastModifiedTime: z.iso.datetime({ offset: true }).optional(),
      VpcOriginEndpointConfig: z.preprocess(withQuantities, z.looseObject({ Name: z.string().min(1) })),
    }),
  })
  .superRefine(({ VpcOrigin: origin }, ctx) => {
    if (parseVpcOriginArn(origin.Arn)?.id !== origin.Id)
      ctx.addIssue({ code: "custom", path: ["VpcOrigin", "Arn"], message: "does not end with the Id" });
    addProblem(
      ctx,
      ["VpcOrigin", "VpcOriginEndpointConfig"],
      vpcOriginEndpointConfigProblem(origin.VpcOriginEndpointConfig),
    );
  });

const cloudfront = z
  .looseObject({
    distributions: z.array(distribution).default([]),
    /** Custom response headers policies; AWS's managed ones always exist besides these. */
    responseHeadersPolicies: z.array(responseHeadersPolicy).default([]),
    vpcOrigins: z.array(vpcOrigin).default([]),
  })
  .superRefine((section, ctx) => {
    const problem = (path: (string | number)[], message: string) =>
      ctx.addIssue({ code: "custom", path, message });
    const ids = new Set<string>();
    section.distributions.forEach((d, i) => {
      if (ids.has(d.Id)) problem(["distributions", i, "Id"], "appears twice");
      ids.add(d.Id);
    });

    const policies = new Set<string>(MANAGED_POLICY_IDS);
    const names = new Set<string>(MANAGED_POLICY_NAMES);
    section.responseHeadersPolicies.forEach((p, i) => {
      if (policies.has(p.Id)) problem(["responseHeadersPolicies", i, "Id"], "appears twice");
      policies.add(p.Id);
      const name = p.ResponseHeadersPolicy.ResponseHeadersPolicyConfig.Name;
      if (names.has(name))
        problem(
          ["responseHeadersPolicies", i, "ResponseHeadersPolicy", "ResponseHeadersPolicyConfig", "Name"],
          "is taken",
        );
      names.add(name);
    });

    const vpcOrigins = new Set<string>();
    section.vpcOrigins.forEach((o, i) => {
      if (vpcOrigins.has(o.VpcOrigin.Id)) problem(["vpcOrigins", i, "VpcOrigin", "Id"], "appears twice");
      vpcOrigins.add(o.VpcOrigin.Id);
    });

    // CloudFront refuses to delete a policy or VPC origin a distribution uses, so AWS never shows a dangling reference.
    section.distributions.forEach((d, i) => {
      const at = ["distributions", i, "DistributionConfig"];
      for (const [path, behavior] of behaviorsOf(d.DistributionConfig)) {
        const id = isRecord(behavior) ? behavior.ResponseHeadersPolicyId : undefined;
        if (typeof id === "string" && id !== "" && !policies.has(id)) {
          problem(
            [...at, ...path, "ResponseHeadersPolicyId"],
            `names no managed policy and none in cloudfront.responseHeadersPolicies`,
          );
        }
      }
      originsOf(d.DistributionConfig).forEach((origin, j) => {
        const vpc = isRecord(origin) ? origin.VpcOriginConfig : undefined;
        const id = isRecord(vpc) ? vpc.VpcOriginId : undefined;
        if (typeof id === "string" && !vpcOrigins.has(id)) {
          problem(
            [...at, "Origins", "Items", j, "VpcOriginConfig", "VpcOriginId"],
            "names no VPC origin in cloudfront.vpcOrigins",
          );
        }
      });
    });
  });

/**
 * ACM certificates (DescribeCertificate Certificate) the account holds,
 * optional. When a scenario gives this section, CloudFront's certificate
 * checks use it: a distribution's ACMCertificateArn must name an ISSUED
 * certificate listed here, in us-east-1, whose DomainName or
 * SubjectAlternativeNames cover every alias being added. Without it,
 * certificates are not modelled and any us-east-1 certificate ARN of the
 * account is taken to cover its aliases.
 */
const acm = z
  .looseObject({
    certificates: z
      .array(
        z.looseObject({
          CertificateArn: z.string().refine((v) => parseAcmCertificateArn(v) !== undefined, {
            message: "must be an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>)",
          }),
          DomainName: z.string().min(1),
          SubjectAlternativeNames: z.array(z.string().min(1)).optional(),
          Status: z
            .enum([
              "PENDING_VALIDATION",
              "ISSUED",
              "INACTIVE",
              "EXPIRED",
              "VALIDATION_TIMED_OUT",
              "REVOKED",
              "FAILED",
            ])
            .optional(),
        }),
      )
      .default([]),
  })
  .superRefine((section, ctx) => {
    const arns = new Set<string>();
    section.certificates.forEach((c, i) => {
      if (arns.has(c.CertificateArn))
        ctx.addIssue({
          code: "custom",
          path: ["certificates", i, "CertificateArn"],
          message: "appears twice",
        });
      arns.add(c.CertificateArn);
    });
  });

/** A GetWebACL WebACL; its ARN says its scope (regional/... or global/...) and region. */
const webAcl = z
  .looseObject({
    Name: z.string().regex(/^[\w-]{1,128}$/, "must be 1 to 128 letters, digits, hyphens or underscores"),
    Id: z
      .string()
      .regex(/^[\w-]{1,36}$/, "must be a web ACL id such as a1b2c3d4-5678-90ab-cdef-EXAMPLE11111"),
    ARN: z
      .string()
      .refine(
        (value) => parseWebAclArn(value) !== undefined,
        "must be a web ACL ARN (arn:aws:wafv2:<region>:<account>:regional/webacl/<name>/<id>, or global/webacl/... in us-east-1)",
      ),
  })
  .superRefine((acl, ctx) => {
    const arn = parseWebAclArn(acl.ARN);
    if (arn && (arn.name !== acl.Name || arn.id !== acl.Id)) {
      ctx.addIssue({ code: "custom", path: ["ARN"], message: "does not end with the Name and Id" });
    }
  });

const wafv2 = z
  .looseObject({
    webAcls: z.array(webAcl).default([]),
    associations: z
      .array(
        z.looseObject({
          ResourceArn: z.string().startsWith("arn:", "must be an ARN"),
          WebACLArn: z.string().startsWith("arn:", "must be an ARN"),
        }),
      )
      .default([]),
  })
  .superRefine((section, ctx) => {
    const problem = (path: (string | number)[], message: string) =>
      ctx.addIssue({ code: "custom", path, message });
    const acls = new Set<string>();
    section.webAcls.forEach((acl, i) => {
      if (acls.has(acl.ARN)) problem(["webAcls", i, "ARN"], "appears twice");
      acls.add(acl.ARN);
    });
    const protectedResources = new Set<string>();
    section.associations.forEach((a, i) => {
      if (protectedResources.has(a.ResourceArn)) {
        problem(["associations", i, "ResourceArn"], "already has a web ACL (a resource has at most one)");
      }
      protectedResources.add(a.ResourceArn);
      if (!acls.has(a.WebACLArn))
        problem(["associations", i, "WebACLArn"], "names no web ACL in wafv2.webAcls");
      else if (parseWebAclArn(a.WebACLArn)?.scope === "CLOUDFRONT") {
        problem(
          ["associations", i, "WebACLArn"],
          "is a global (CLOUDFRONT) web ACL: those protect CloudFront distributions, never a load balancer",
        );
      }
    });
  });

export const sandboxStateSchema = z
  .looseObject({
    elbv2: elbv2.prefault({}),
    cloudfront: cloudfront.prefault({}),
    wafv2: wafv2.prefault({}),
    acm: acm.optional(),
    /** AWS Config: which types its recorder records (in every region); no recorder when absent. */
    config: z
      .object({
        recorder: z
          .object({
            resourceTypes: z.array(z.string().regex(/^AWS::[A-Za-z0-9]+::[A-Za-z0-9]+$/)).default([]),
            allSupported: z.boolean().default(false),
            /** How often it records them: a daily recorder's items can be a day old. */
            recordingFrequency: z.enum(["CONTINUOUS", "DAILY"]).default("CONTINUOUS"),
          })
          .optional(),
      })
      .optional(),
    /** What a TLS probe to an origin host sees; an unlisted host is unreachable. */
    origins: z.record(z.string().min(1), z.enum(originProbeStatuses)).default({}),
  })
  .superRefine((state, ctx) => {
    // WAF protects application load balancers of the web ACL's own region.
    const balancers = new Map(state.elbv2.loadBalancers.map((lb) => [lb.LoadBalancerArn, lb]));
    state.wafv2.associations.forEach((a, i) => {
      const path = ["wafv2", "associations", i, "ResourceArn"];
      const lb = balancers.get(a.ResourceArn);
      const lbArn = parseElbArn(a.ResourceArn);
      const acl = parseWebAclArn(a.WebACLArn);
      if (!lb || !lbArn) {
        ctx.addIssue({ code: "custom", path, message: "names no load balancer in elbv2.loadBalancers" });
      } else if ((lb.Type ?? elbTypeOfFlavor(lbArn.flavor)) !== "application") {
        ctx.addIssue({
          code: "custom",
          path,
          message: "is not an application load balancer: WAF protects only those",
        });
      } else if (acl && acl.scope === "REGIONAL" && acl.region !== lbArn.region) {
        ctx.addIssue({
          code: "custom",
          path,
          message: `is in ${lbArn.region} but its web ACL is in ${acl.region}: a regional web ACL protects resources of its own region only`,
        });
      }
    });
  });

export type SandboxStateInput = z.input<typeof sandboxStateSchema>;
export type SandboxState = z.output<typeof sandboxStateSchema>;
/** The same schema under the name the scenario format uses. */
export const scenarioStateSchema = sandboxStateSchema;
export type ScenarioState = SandboxState;
export type StateDistribution = SandboxState["cloudfront"]["distributions"][number];
export type StateTag = z.output<typeof tag>;
export type StateResponseHeadersPolicy = SandboxState["cloudfront"]["responseHeadersPolicies"][number];
export type StateVpcOrigin = SandboxState["cloudfront"]["vpcOrigins"][number];

/** Validates a scenario's `state`; the error names the offending field, e.g. `state.elbv2.listeners.0.Port`. */
export function parseSandboxState(raw: unknown, field = "state"): SandboxState {
  const result = sandboxStateSchema.safeParse(raw ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map(
    (issue) => `${[field, ...issue.path].join(".")}: ${issue.message}`,
  );
  throw new ScenarioError(problems.join("; "));
}
