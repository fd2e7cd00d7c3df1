import { afterEach, describe, expect, it, vi } from "vitest";

/** A deployed function is linked only to what it needs; reading its resources must not trip on the rest. */
afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

describe("deployed resources", () => {
  it("reads the links a function has and leaves the others undefined", async () => {
    // Prepare: what SST puts in a Lambda's environment for a function linked to the audit table only
    vi.stubEnv("SST_RESOURCE_App", JSON.stringify({ name: "driftwarden", stage: "production" }));
    vi.stubEnv("SST_RESOURCE_AuditTable", JSON.stringify({ name: "driftwarden-production-AuditTable" }));
    vi.stubEnv("DRIFTWARDEN_CONFIG", JSON.stringify({ homeRegion: "eu-west-1" }));
    vi.stubEnv("AWS_REGION", "eu-west-1");

    // Act
    const { resources } = await import("../../functions/lib/resources.js");
    const deployed = resources();

    // Assess
    expect(deployed.auditTable).toBe("driftwarden-production-AuditTable");
    expect(deployed.approvalsTable).toBe("");
    expect(deployed.approvalKeyArn).toBeUndefined();
    expect(deployed.auditSealKeyArn).toBeUndefined();
    expect(deployed.config.approvalTimeout).toBe("PT24H");
  });

  it("refuses an invalid configuration, naming the field", async () => {
    // Prepare
    vi.stubEnv("SST_RESOURCE_App", JSON.stringify({ name: "driftwarden", stage: "production" }));
    vi.stubEnv("DRIFTWARDEN_CONFIG", JSON.stringify({ approvalTimeout: "tomorrow" }));

    // Act
    const { resources } = await import("../../functions/lib/resources.js");

    // Assess
    expect(() => resources()).toThrow(/approvalTimeout/);
  });
});
