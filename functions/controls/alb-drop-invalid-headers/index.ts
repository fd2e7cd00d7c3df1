import { type AttributeSnapshot, attributeControl } from "../elbv2/attribute-control.js";
import type { Control } from "../types.js";
import { metadata } from "./metadata.js";

export type Snapshot = AttributeSnapshot;

// ELBv2 accepts only [-A-Za-z0-9]+ as a header name once this is on ("Load balancer attributes",
// routing.http.drop_invalid_header_fields.enabled): an underscore is enough to lose a header.
export const albDropInvalidHeaders: Control<Snapshot, Record<string, never>> = attributeControl({
  metadata,
  key: "routing.http.drop_invalid_header_fields.enabled",
  on: "header fields whose names are not letters, digits and hyphens are removed before requests reach the targets",
  off: "header fields with invalid names reach the targets, where servers that read such names differently (X_Forwarded_For next to X-Forwarded-For) let a client smuggle or spoof headers. Turning it on removes every header field whose name is not letters, digits and hyphens: a client that sends names with underscores or other characters (app_token, custom SDKs, scripts, IoT devices) reaches the targets without those headers",
});
