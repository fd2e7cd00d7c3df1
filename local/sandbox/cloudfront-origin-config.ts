import { parseElbArn } from "./arn.js";
import {
  type ConfigProblem,
  enumProblem,
  invalidAt,
  type Path,
  quantitiesProblem,
} from "./cloudfront-problems.js";
import { isRecord } from "./json.js";

/**
 * How CloudFront reaches an origin over HTTP(S): the members a custom origin
 * (`CustomOriginConfig`) and a VPC origin (`VpcOriginEndpointConfig`) share,
 * checked the same way for both.
 */
export const ORIGIN_PROTOCOL_POLICIES = ["http-only", "match-viewer", "https-only"] as const;
export const ORIGIN_SSL_PROTOCOLS = ["SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2"] as const;
const IP_ADDRESS_TYPES = ["ipv4", "ipv6", "dualstack"] as const;

/** CloudFront connects to origins on 80, 443 or an unprivileged port (the console's and the API's rule). */
function portProblem(value: unknown, path: Path): ConfigProblem | undefined {
  const valid =
    typeof value === "number" &&
    Number.isInteger(value) &&
    (value === 80 || value === 443 || (value >= 1024 && value <= 65_535));
  return valid ? undefined : invalidAt(path, "must be a port number: 80, 443 or 1024 to 65535");
}

/**
 * OriginSslProtocols is optional (CustomOriginConfig and VpcOriginEndpointConfig
 * mark it "Required: No" in the API reference, and CloudFront does not fill in
 * a value when it is left out); when given it lists known protocols.
 */
function sslProtocolsProblem(ssl: unknown, path: Path): ConfigProblem | undefined {
  if (ssl === undefined) return undefined;
  const protocols = isRecord(ssl) && Array.isArray(ssl.Items) ? ssl.Items : [];
  if (protocols.length === 0) return invalidAt(path, "must list at least one protocol");
  for (const [i, protocol] of protocols.entries()) {
    const found = enumProblem(protocol, ORIGIN_SSL_PROTOCOLS, [...path, "Items", i]);
    if (found) return found;
  }
  return undefined;
}

/** The members of CustomOriginConfig / VpcOriginEndpointConfig that say how to connect. */
export function connectionProblem(config: Record<string, unknown>, at: Path): ConfigProblem | undefined {
  return (
    enumProblem(config.OriginProtocolPolicy, ORIGIN_PROTOCOL_POLICIES, [...at, "OriginProtocolPolicy"]) ??
    portProblem(config.HTTPPort, [...at, "HTTPPort"]) ??
    portProblem(config.HTTPSPort, [...at, "HTTPSPort"]) ??
    sslProtocolsProblem(config.OriginSslProtocols, [...at, "OriginSslProtocols"])
  );
}

const EC2_INSTANCE_ARN = /^arn:aws[a-z-]*:ec2:[a-z]{2}(?:-[a-z]+)+-\d:\d{12}:instance\/i-[0-9a-f]{8,17}$/;

/** A VPC origin fronts an Application or Network Load Balancer or an EC2 instance. */
function endpointArnProblem(arn: unknown, path: Path): ConfigProblem | undefined {
  const elb = parseElbArn(arn);
  if (elb?.kind === "loadbalancer" && (elb.flavor === "app" || elb.flavor === "net")) return undefined;
  if (typeof arn === "string" && EC2_INSTANCE_ARN.test(arn)) return undefined;
  return invalidAt(
    path,
    `'${String(arn)}' is not the ARN of an Application Load Balancer, a Network Load Balancer or an EC2 instance`,
  );
}

/** The checks CloudFront makes on a VpcOriginEndpointConfig (UpdateVpcOrigin, and a scenario's VPC origins). */
export function vpcOriginEndpointConfigProblem(config: unknown): ConfigProblem | undefined {
  if (!isRecord(config)) return invalidAt([], "is required");
  const inconsistent = quantitiesProblem(config);
  if (inconsistent) return inconsistent;
  if (typeof config.Name !== "string" || config.Name === "") return invalidAt(["Name"], "is required");
  return (
    endpointArnProblem(config.Arn, ["Arn"]) ??
    connectionProblem(config, []) ??
    (config.IpAddressType === undefined
      ? undefined
      : enumProblem(config.IpAddressType, IP_ADDRESS_TYPES, ["IpAddressType"]))
  );
}
