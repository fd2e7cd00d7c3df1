import { type AttributeSnapshot, attributeControl } from "../elbv2/attribute-control.js";
import type { Control } from "../types.js";
import { metadata } from "./metadata.js";

export type Snapshot = AttributeSnapshot;

export const albDeletionProtection: Control<Snapshot, Record<string, never>> = attributeControl({
  metadata,
  key: "deletion_protection.enabled",
  on: "DeleteLoadBalancer is refused until someone turns it off",
  off: "one DeleteLoadBalancer call (a console click, a mistaken script, a stack teardown) takes the site down, and the load balancer's DNS name is gone for good. Turning it on changes nothing for clients; it refuses every DeleteLoadBalancer, those of CloudFormation, Terraform, CDK and Elastic Beanstalk included, until someone sets the attribute back to false",
});
