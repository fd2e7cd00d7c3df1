/**
 * The predefined ELB security policies, as DescribeSSLPolicies returns them.
 *
 * Sources: the "Security policies for your Application Load Balancer" and
 * "... Network Load Balancer" pages (protocols and ciphers by policy, the FIPS
 * and post-quantum families); the cipher priorities are the order of s2n-tls's
 * cipher preference lists for the same ELB policies (tls/s2n_cipher_preferences.c,
 * cipher_suites_elb_security_policy_*), which agree with the aws-cli example of
 * ELBSecurityPolicy-2016-08 (priorities 1..18, ending with AES256-SHA).
 *
 * The post-quantum (PQ-2025-09) policies add hybrid ML-KEM key exchange
 * groups, which DescribeSSLPolicies does not list: their protocols and ciphers
 * are those of the classical policy of the same name without "-PQ-2025-09"
 * (FIPS-PQ: of the FIPS-2023-04 one). Not modelled: the RFC9151 and CNSA2
 * FIPS variants.
 */
export interface SslPolicy {
  Name: string;
  SslProtocols: string[];
  Ciphers: { Name: string; Priority: number }[];
  SupportedLoadBalancerTypes: string[];
}

const TLS13 = ["TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"];
// FIPS 140 admits no ChaCha20.
const TLS13_FIPS = ["TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384"];

/** Every TLS 1.2-and-older cipher of the ELB policies, in the priority order they all share. */
const CLASSIC = [
  "ECDHE-ECDSA-AES128-GCM-SHA256",
  "ECDHE-RSA-AES128-GCM-SHA256",
  "ECDHE-ECDSA-AES128-SHA256",
  "ECDHE-RSA-AES128-SHA256",
  "ECDHE-ECDSA-AES128-SHA",
  "ECDHE-RSA-AES128-SHA",
  "ECDHE-ECDSA-AES256-GCM-SHA384",
  "ECDHE-RSA-AES256-GCM-SHA384",
  "ECDHE-ECDSA-AES256-SHA384",
  "ECDHE-RSA-AES256-SHA384",
  "ECDHE-RSA-AES256-SHA",
  "ECDHE-ECDSA-AES256-SHA",
  "AES128-GCM-SHA256",
  "AES128-SHA256",
  "AES128-SHA",
  "AES256-GCM-SHA384",
  "AES256-SHA256",
  "AES256-SHA",
] as const;

type Cipher = (typeof CLASSIC)[number];
const forwardSecret = (c: Cipher) => c.startsWith("ECDHE-");
const noSha1 = (c: Cipher) => !c.endsWith("-SHA");
const aead = (c: Cipher) => c.includes("-GCM-");

/** The shared list narrowed, keeping its order. */
const only = (...keep: ((c: Cipher) => boolean)[]): string[] =>
  CLASSIC.filter((c) => keep.every((k) => k(c)));

const ALL_CLASSIC = only();
/** ECDHE ciphers with SHA-2 MACs (the "-1-2" TLS 1.3 policies, FS-1-2-Res-2019-08). */
const RESTRICTED = only(forwardSecret, noSha1);
/** ECDHE with AES-GCM only (the "Res" policies). */
const STRICT = only(forwardSecret, aead);
/** No SHA-1 MACs (TLS-1-2-2017-01, the "Ext1" policies). */
const SHA2 = only(noSha1);
/** All forward-secret ones (FS policies, the "Ext0" FIPS policy). */
const ECDHE = only(forwardSecret);

const TLS10_12 = ["TLSv1", "TLSv1.1", "TLSv1.2"];
const TLS11_12 = ["TLSv1.1", "TLSv1.2"];
const TLS12 = ["TLSv1.2"];
const TLS10_13 = ["TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"];
const TLS11_13 = ["TLSv1.1", "TLSv1.2", "TLSv1.3"];
const TLS12_13 = ["TLSv1.2", "TLSv1.3"];
const TLS13_ONLY = ["TLSv1.3"];

function policy(name: string, protocols: string[], ciphers: string[]): SslPolicy {
  return {
    Name: `ELBSecurityPolicy-${name}`,
    SslProtocols: [...protocols],
    Ciphers: ciphers.map((Name, i) => ({ Name, Priority: i + 1 })),
    // Every predefined policy serves both HTTPS (ALB) and TLS (NLB) listeners.
    SupportedLoadBalancerTypes: ["application", "network"],
  };
}

const TLS13_POLICIES: [string, string[], string[]][] = [
  ["TLS13-1-2-Res", TLS12_13, [...TLS13, ...STRICT]],
  ["TLS13-1-2", TLS12_13, [...TLS13, ...RESTRICTED]],
  ["TLS13-1-2-Ext1", TLS12_13, [...TLS13, ...SHA2]],
  ["TLS13-1-2-Ext2", TLS12_13, [...TLS13, ...ALL_CLASSIC]],
  ["TLS13-1-3", TLS13_ONLY, [...TLS13]],
  ["TLS13-1-0", TLS10_13, [...TLS13, ...ALL_CLASSIC]],
];

const FIPS_POLICIES: [string, string[], string[]][] = [
  ["TLS13-1-2-Res", TLS12_13, [...TLS13_FIPS, ...STRICT]],
  ["TLS13-1-2", TLS12_13, [...TLS13_FIPS, ...RESTRICTED]],
  ["TLS13-1-2-Ext0", TLS12_13, [...TLS13_FIPS, ...ECDHE]],
  ["TLS13-1-2-Ext1", TLS12_13, [...TLS13_FIPS, ...SHA2]],
  ["TLS13-1-2-Ext2", TLS12_13, [...TLS13_FIPS, ...ALL_CLASSIC]],
  ["TLS13-1-3", TLS13_ONLY, [...TLS13_FIPS]],
  ["TLS13-1-0", TLS10_13, [...TLS13_FIPS, ...ALL_CLASSIC]],
];

/** In the order DescribeSSLPolicies lists them without Names: newest families first. */
export const SSL_POLICIES: readonly SslPolicy[] = Object.freeze([
  ...TLS13_POLICIES.map(([name, p, c]) => policy(`${name}-PQ-2025-09`, p, c)),
  ...FIPS_POLICIES.map(([name, p, c]) => policy(`${name}-FIPS-PQ-2025-09`, p, c)),
  ...FIPS_POLICIES.map(([name, p, c]) => policy(`${name}-FIPS-2023-04`, p, c)),
  policy("TLS13-1-1-FIPS-2023-04", TLS11_13, [...TLS13_FIPS, ...ALL_CLASSIC]),
  ...TLS13_POLICIES.map(([name, p, c]) => policy(`${name}-2021-06`, p, c)),
  policy("TLS13-1-1-2021-06", TLS11_13, [...TLS13, ...ALL_CLASSIC]),
  policy("FS-1-2-Res-2020-10", TLS12, STRICT),
  policy("FS-1-2-Res-2019-08", TLS12, RESTRICTED),
  policy("FS-1-2-2019-08", TLS12, ECDHE),
  policy("FS-1-1-2019-08", TLS11_12, ECDHE),
  policy("FS-2018-06", TLS10_12, ECDHE),
  policy("TLS-1-2-Ext-2018-06", TLS12, ALL_CLASSIC),
  policy("TLS-1-2-2017-01", TLS12, SHA2),
  policy("TLS-1-1-2017-01", TLS11_12, ALL_CLASSIC),
  policy("2016-08", TLS10_12, ALL_CLASSIC),
  // Only for clients that need 3DES, a weak cipher.
  policy("TLS-1-0-2015-04", TLS10_12, [...ALL_CLASSIC, "DES-CBC3-SHA"]),
  // Identical to ELBSecurityPolicy-2016-08.
  policy("2015-05", TLS10_12, ALL_CLASSIC),
]);

const BY_NAME = new Map(SSL_POLICIES.map((p) => [p.Name, p]));

export function findSslPolicy(name: string): SslPolicy | undefined {
  return BY_NAME.get(name);
}

/**
 * What CreateListener applies to an HTTPS or TLS listener given no SslPolicy.
 * The console preselects a TLS 1.3 policy, but the API (CLI, CloudFormation,
 * CDK, SDKs) defaults to ELBSecurityPolicy-2016-08 ("Security policies for your
 * Application Load Balancer", Considerations).
 */
export const API_DEFAULT_SSL_POLICY = "ELBSecurityPolicy-2016-08";
