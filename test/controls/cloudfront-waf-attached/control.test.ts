import { describe, expect, it } from "vitest";
import { cloudfrontWafAttached as control } from "../../../functions/controls/cloudfront-waf-attached/index.js";
import { settings } from "../../../functions/controls/cloudfront-waf-attached/metadata.js";
import { cloudFrontState, plugged } from "../../sandbox/helpers.js";
import {
  applyAll,
  changeByHand,
  configWith,
  context,
  distributionArn,
  globalWebAcl,
  liveConfig,
  snapshotOf,
} from "../cloudfront/helpers.js";

const configured = settings.parse({ webAclArn: globalWebAcl });
const unconfigured = settings.parse({});
/** The storefront, with the configured global web ACL in the account's WAF. */
function withConfiguredAcl() {
  return plugged({
    state: cloudFrontState(
      {},
      {
        wafv2: {
          webAcls: [{ Name: "shop-prod", Id: "0d1e2f3a-4b5c-6d7e-8f90-a1b2c3d4e5f6", ARN: globalWebAcl }],
        },
      },
    ),
  });
}
const otherAcl =
  "arn:aws:wafv2:us-east-1:111122223333:global/webacl/marketing/7e6d5c4b-3a29-4180-9f7e-6d5c4b3a2918";

describe("cloudfront-waf-attached", () => {
  it.each([
    {
      name: "a web ACL attached",
      webAclId: otherAcl,
      settings: unconfigured,
      status: "compliant",
      message: `distribution E1QSDF4EXAMPLE is protected by web ACL ${otherAcl}`,
    },
    {
      name: "no web ACL, one configured",
      webAclId: "",
      settings: configured,
      status: "non-compliant",
      message: `distribution E1QSDF4EXAMPLE has no web ACL (WebACLId is empty): driftwarden attaches ${globalWebAcl}`,
    },
    {
      name: "no web ACL, none configured",
      webAclId: "",
      settings: unconfigured,
      status: "non-compliant",
      message:
        "distribution E1QSDF4EXAMPLE has no web ACL (WebACLId is empty): no web ACL is configured to attach (controls.cloudfront-waf-attached.webAclArn), so driftwarden only reports it",
    },
  ])("$name -> $status", ({ webAclId, settings: given, status, message }) => {
    // Prepare
    const snapshot = snapshotOf(configWith({ webAclId }));

    // Act
    const finding = control.detect(snapshot, given);

    // Assess
    expect(finding).toEqual({ status, message });
  });

  it.each([
    { name: "a web ACL configured", settings: configured, planned: [{ WebACLId: globalWebAcl }] },
    { name: "none configured: nothing to plan, the drift is reported", settings: unconfigured, planned: [] },
  ])("plans with $name", ({ settings: given, planned }) => {
    // Act
    const changes = control.plan(snapshotOf(configWith({ webAclId: "" })), given);

    // Assess
    expect(changes.map((change) => change.input.set)).toEqual(planned);
  });

  it("always asks on-call, saying what a web ACL can block", async () => {
    // Prepare
    withConfiguredAcl();
    const snapshot = snapshotOf(configWith({ webAclId: "" }));

    // Act
    const [risk] = await control.assessRisk(
      snapshot,
      control.plan(snapshot, configured),
      context(),
      configured,
    );

    // Assess
    expect(risk?.level).toBe("approval");
    expect(risk?.reasons).toEqual([
      `attaching web ACL ${globalWebAcl} puts every viewer request to www.example.org through its rules: a request a rule blocks gets 403 Forbidden (or the rule's custom response) instead of the page`,
      expect.stringMatching(
        /^legitimate traffic a rule can misjudge: rate limits .* IP reputation lists catching VPN users$/,
      ),
    ]);
  });

  it("names the distribution's CloudFront domain when it has no aliases", async () => {
    // Prepare
    withConfiguredAcl();
    const snapshot = snapshotOf(configWith({ webAclId: "", aliases: [] }));

    // Act
    const [risk] = await control.assessRisk(
      snapshot,
      control.plan(snapshot, configured),
      context(),
      configured,
    );

    // Assess
    expect(risk?.reasons[0]).toMatch(
      /every viewer request to d3fna3nvr6h3a0\.cloudfront\.net through its rules/,
    );
  });

  it.each([
    ["deleted (not in the account's WAF)", otherAcl],
    ["of another account", globalWebAcl.replace("111122223333", "444455556666")],
  ])("blocks the fix when the configured web ACL is %s, naming the setting", async (_case, webAclArn) => {
    // Prepare
    withConfiguredAcl();
    const given = settings.parse({ webAclArn });
    const snapshot = snapshotOf(configWith({ webAclId: "" }));

    // Act
    const risks = await control.assessRisk(snapshot, control.plan(snapshot, given), context(), given);

    // Assess
    expect(risks).toEqual([
      {
        level: "blocked",
        reasons: [
          `the configured web ACL ${webAclArn} (controls.cloudfront-waf-attached.webAclArn) does not exist in account 111122223333 (CLOUDFRONT scope): CloudFront cannot attach it`,
        ],
      },
    ]);
  });

  it("refuses a setting that is not a CLOUDFRONT-scope web ACL ARN", () => {
    // Act
    const parsed = settings.safeParse({
      webAclArn:
        "arn:aws:wafv2:eu-west-1:111122223333:regional/webacl/alb/9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
    });

    // Assess
    expect(parsed.success).toBe(false);
  });

  it("attaches the configured web ACL on the sandbox, only WebACLId changed, and then it is in effect", async () => {
    // Prepare
    plugged({
      state: cloudFrontState(
        {},
        {
          wafv2: {
            webAcls: [{ Name: "shop-prod", Id: "0d1e2f3a-4b5c-6d7e-8f90-a1b2c3d4e5f6", ARN: globalWebAcl }],
          },
        },
      ),
    });
    const before = await liveConfig();
    const snapshot = await control.collect(context(), distributionArn);
    if (!snapshot) throw new Error("the storefront should exist");
    const changes = control.plan(snapshot, configured);

    // Act
    const made = await applyAll(control, context(), distributionArn, changes);

    // Assess
    expect(await liveConfig()).toEqual({ ...before, WebACLId: globalWebAcl });
    expect(made).toMatchObject([{ input: { set: { WebACLId: globalWebAcl }, IfMatch: expect.any(String) } }]);
    const after = await control.collect(context(), distributionArn);
    expect(after && changes.every((change) => control.inEffect(after, change))).toBe(true);
  });

  it("keeps a web ACL someone attached after the plan", async () => {
    // Prepare
    const sandbox = plugged({
      state: cloudFrontState(
        {},
        {
          wafv2: {
            webAcls: [
              { Name: "shop-prod", Id: "0d1e2f3a-4b5c-6d7e-8f90-a1b2c3d4e5f6", ARN: globalWebAcl },
              { Name: "marketing", Id: "7e6d5c4b-3a29-4180-9f7e-6d5c4b3a2918", ARN: otherAcl },
            ],
          },
        },
      ),
    });
    const snapshot = await control.collect(context(), distributionArn);
    if (!snapshot) throw new Error("the storefront should exist");
    const changes = control.plan(snapshot, configured);
    await changeByHand(sandbox, (config) => {
      config.WebACLId = otherAcl;
    });

    // Act
    const made = await applyAll(control, context(), distributionArn, changes);

    // Assess
    expect(made).toEqual([]);
    expect((await liveConfig()).WebACLId).toBe(otherAcl);
  });
});
