import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { scanAccount } from "../../cli/scan.js";
import { useClientPlugin } from "../../functions/lib/aws.js";
import { bareEnvironment, bin, lines, root, runCli } from "./run.js";

/**
 * `driftwarden scan` over sandbox accounts: a drifted and a clean one, each
 * with load balancers in two regions and a CloudFront distribution.
 */
const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/scan/${name}.json`, import.meta.url));
const drifted = fixture("drifted-account");
const clean = fixture("clean-account");
const empty = join(tmpdir(), `driftwarden-scan-empty-aws-config-${process.pid}`);
writeFileSync(empty, "");
const noCredentials = bareEnvironment({
  AWS_CONFIG_FILE: empty,
  AWS_SHARED_CREDENTIALS_FILE: empty,
  AWS_EC2_METADATA_DISABLED: "true",
});

const listener = (region: string, lb: string, id: string) =>
  `arn:aws:elasticloadbalancing:${region}:111122223333:listener/app/${lb}/${id}`;
const shop = listener("eu-west-1", "shop/0f9e8d7c6b5a4930", "8c7b6a5948372615");
const status = listener("us-west-2", "status/1a2b3c4d5e6f7081", "9d8c7b6a59483726");
const legacy = listener("eu-west-1", "legacy/2b3c4d5e6f708192", "7a6b5c4d3e2f1a0b");
const distribution = "arn:aws:cloudfront::111122223333:distribution/E2SHOPWEB7Q3X1";

let unregister: (() => void) | undefined;
afterEach(() => unregister?.());

/** Every command any SDK client sends, by name, beneath the sandbox (which answers it). */
function recordCommands(): string[] {
  const sent: string[] = [];
  unregister = useClientPlugin({
    plugin: () => ({
      applyToStack: (stack) => {
        stack.add(
          (next, context) => async (args) => {
            sent.push(`${context.clientName}:${context.commandName}`);
            return next(args);
          },
          { step: "initialize", priority: "high", name: "recordScanCommands" },
        );
      },
    }),
  });
  return sent;
}

describe("driftwarden scan on a sandbox account", () => {
  it("reports each resource by control: drift with its fix and whether on-call is asked, exempt by tag, compliant", async () => {
    // Act
    const report = await scanAccount({ sandbox: drifted });

    // Assess
    expect(report.regions).toEqual(["eu-west-1", "us-west-2"]);
    expect(
      report.results.map((r) => ({
        control: r.control,
        region: r.region,
        resource: r.resource,
        status: r.status,
        fix: r.fix.map((c) => c.action),
        would: r.would,
        asksOnCall: r.asksOnCall,
      })),
    ).toEqual([
      {
        control: "alb-http-to-https-redirect",
        region: "eu-west-1",
        resource: legacy,
        status: "exempt",
        fix: [],
        would: "",
        asksOnCall: false,
      },
      {
        control: "alb-http-to-https-redirect",
        region: "eu-west-1",
        resource: shop,
        status: "drift",
        fix: ["ModifyListener"],
        would: "fix automatically",
        asksOnCall: false,
      },
      {
        control: "alb-http-to-https-redirect",
        region: "us-west-2",
        resource: status,
        status: "drift",
        fix: ["ModifyListener"],
        would: "ask on-call before fixing",
        asksOnCall: true,
      },
      {
        control: "cloudfront-tls-to-origin",
        region: "us-east-1",
        resource: distribution,
        status: "compliant",
        fix: [],
        would: "",
        asksOnCall: false,
      },
      {
        control: "cloudfront-viewer-https",
        region: "us-east-1",
        resource: distribution,
        status: "drift",
        fix: ["UpdateDistribution"],
        would: "fix automatically",
        asksOnCall: false,
      },
    ]);
    expect(report.results.find((r) => r.resource === status)?.risk[0]?.reasons.join(" ")).toContain(
      "no HTTPS listener",
    );
    expect(report.results.find((r) => r.resource === legacy)?.detail).toContain(
      "exempted by tag driftwarden:exempt:alb-http-to-https-redirect until 2026-03-20",
    );
  });

  it.each([
    { name: "drifted account", file: drifted },
    { name: "clean account", file: clean },
  ])("makes no mutating call on the $name: only Describe, Get and List", async ({ file }) => {
    // Prepare
    const sent = recordCommands();

    // Act
    await scanAccount({ sandbox: file });

    // Assess
    expect(sent.length).toBeGreaterThan(5);
    expect(sent.filter((name) => !/:(Describe|Get|List)\w*Command$/.test(name))).toEqual([]);
    expect(sent).toContain("ElasticLoadBalancingV2Client:DescribeListenersCommand");
    expect(sent.some((name) => name.startsWith("CloudFrontClient:"))).toBe(true);
  });

  it.each([
    { name: "drift, --fail-on-drift", file: drifted, args: ["--fail-on-drift"], code: 3 },
    { name: "drift, no flag", file: drifted, args: [], code: 0 },
    { name: "clean, --fail-on-drift", file: clean, args: ["--fail-on-drift"], code: 0 },
  ])(
    "exit code: $name -> $code",
    async ({ file, args, code }) => {
      // Act
      const run = await runCli(["scan", "--sandbox", file, ...args], { env: noCredentials });

      // Assess
      expect(run.code, run.stderr).toBe(code);
      expect(run.stdout).toContain("alb-http-to-https-redirect (ELB.1), mode enforce");
      // stderr is no terminal here: no progress bar.
      expect(run.stderr).toBe("");
    },
    60_000,
  );

  it("--format json prints one stable document with a summary, limited by --regions and --controls", async () => {
    // Act
    const run = await runCli(
      [
        "scan",
        "--sandbox",
        drifted,
        "--format",
        "json",
        "--regions",
        "us-west-2",
        "--controls",
        "alb-http-to-https-redirect",
      ],
      { env: noCredentials },
    );

    // Assess
    expect(run.code, run.stderr).toBe(0);
    const document = JSON.parse(run.stdout);
    expect(document.controls).toEqual([{ id: "alb-http-to-https-redirect", mode: "enforce" }]);
    expect(document.results.map((r: { resource: string; status: string }) => [r.resource, r.status])).toEqual(
      [[status, "drift"]],
    );
    expect(Object.keys(document.results[0])).toEqual([
      "control",
      "region",
      "resource",
      "status",
      "detail",
      "mode",
      "fix",
      "risk",
      "would",
      "asksOnCall",
    ]);
    expect(document.summary).toEqual({ drift: 1, error: 0, exempt: 0, compliant: 0, "not-applicable": 0 });
  }, 60_000);

  it.each([
    {
      name: "no AWS credentials",
      args: ["scan", "--regions", "eu-west-1"],
      says: "driftwarden scan: no AWS credentials found",
    },
    {
      name: "an unknown control",
      args: ["scan", "--controls", "alb-redirect", "--regions", "eu-west-1"],
      says: 'driftwarden scan: unknown control "alb-redirect"',
    },
    {
      name: "an unknown region",
      args: ["scan", "--regions", "eu-west-9"],
      says: 'driftwarden scan: --regions: "eu-west-9" is not an AWS region',
    },
    {
      name: "an unreadable scenario",
      args: ["scan", "--sandbox", "no-such-scenario.json"],
      says: "driftwarden scan: no-such-scenario.json: cannot be read (ENOENT)",
    },
    {
      name: "an unknown format",
      args: ["scan", "--sandbox", drifted, "--format", "yaml"],
      says: 'driftwarden scan: --format must be table or json, not "yaml"',
    },
  ])(
    "$name: one line, exit code 2",
    async ({ args, says }) => {
      // Act
      const run = await runCli(args, { env: noCredentials });

      // Assess
      expect({ code: run.code, stdout: run.stdout }).toEqual({ code: 2, stdout: "" });
      expect(lines(run.stderr), run.stderr).toHaveLength(1);
      expect(run.stderr).toContain(says);
    },
    60_000,
  );
});

describe("driftwarden scan: whose credentials, and what the terminal shows", () => {
  it("--profile signs with that profile of the shared config files", async () => {
    // Prepare: a stand-in AWS endpoint that refuses every key, as AWS refuses an unknown one.
    const seen: string[] = [];
    const server = createServer((req, res) => {
      seen.push(String(req.headers.authorization ?? ""));
      req.resume();
      req.on("end", () => {
        res.writeHead(403, { "content-type": "text/xml" });
        res.end(
          '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>InvalidClientTokenId</Code><Message>The security token included in the request is invalid.</Message></Error><RequestId>1</RequestId></ErrorResponse>',
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const credentials = join(tmpdir(), `driftwarden-scan-credentials-${process.pid}`);
    writeFileSync(
      credentials,
      "[default]\naws_access_key_id = AKIADEFAULT000000000\naws_secret_access_key = d\n[ops]\naws_access_key_id = AKIAOPSPROFILE000000\naws_secret_access_key = o\n",
    );

    // Act
    const run = await runCli(["scan", "--profile", "ops", "--regions", "eu-west-1"], {
      env: {
        ...noCredentials,
        AWS_SHARED_CREDENTIALS_FILE: credentials,
        AWS_ENDPOINT_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      },
    });
    server.close();

    // Assess
    expect(run.code).toBe(2);
    expect(lines(run.stderr)).toHaveLength(1);
    expect(run.stderr).toContain(
      "driftwarden scan: AWS did not accept your credentials (InvalidClientTokenId",
    );
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((header) => header.includes("Credential=AKIAOPSPROFILE000000/"))).toBe(true);
  }, 60_000);

  it("draws a progress bar on stderr when stderr is a terminal, and leaves stdout to the table", async () => {
    // Prepare: `script` gives the command a terminal; stdout goes to a file, stderr stays on the terminal.
    const out = join(tmpdir(), `driftwarden-scan-stdout-${process.pid}`);
    const command = `'${process.execPath}' '${bin}' scan --sandbox '${drifted}' > '${out}'`;

    // Act
    const terminal = await new Promise<string>((resolve, reject) => {
      const child = spawn("script", ["-qfec", command, "/dev/null"], {
        cwd: root,
        env: { ...noCredentials, TERM: "xterm-256color" },
      });
      let output = "";
      child.stdout.on("data", (chunk) => {
        output += chunk;
      });
      child.on("error", reject);
      child.on("close", () => resolve(output));
    });

    // Assess
    expect(terminal).toMatch(/scanning .* \d+\/5 resources/);
    expect(terminal).not.toContain("alb-http-to-https-redirect (ELB.1)");
  }, 60_000);
});
