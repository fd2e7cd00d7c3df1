import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { root } from "./cli/run.js";

/**
 * `npm install` warns EBADENGINE when the running Node is outside the
 * `engines` range of the project or of any package it installs. The README
 * names the Node versions to install with; on each of them no package of the
 * lock file may warn. The check is npm's own (npm-install-checks, which npm's
 * installer calls for every package that is not optional), so no network and
 * no install are needed.
 */
interface LockPackage {
  version?: string;
  optional?: boolean;
  engines?: Record<string, string> | string[];
}

interface InstallChecks {
  checkEngine(target: { _id: string; engines?: unknown }, npmVersion: string, nodeVersion: string): void;
}

interface Semver {
  minVersion(range: string): { major: number; version: string } | null;
  satisfies(version: string, range: string): boolean;
}

/** npm's own modules, from the npm that runs this (npm test) or the one on the PATH. */
function npmRequire(): NodeJS.Require {
  const candidates: string[] = [];
  if (process.env.npm_execpath) candidates.push(resolve(dirname(process.env.npm_execpath), ".."));
  const globalRoot = execFileSync("npm", ["root", "-g"], { encoding: "utf8" }).trim();
  candidates.push(join(globalRoot, "npm"));
  const npm = candidates.find((dir) => existsSync(join(dir, "node_modules", "npm-install-checks")));
  if (!npm) throw new Error(`npm's npm-install-checks not found in ${candidates.join(", ")}`);
  return createRequire(join(npm, "package.json"));
}

const requireFromNpm = npmRequire();
const { checkEngine } = requireFromNpm("npm-install-checks") as InstallChecks;
const semver = requireFromNpm("semver") as Semver;

const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
  name: string;
  version: string;
  engines: { node: string };
};
const lock = JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8")) as {
  packages: Record<string, LockPackage>;
};
const readme = readFileSync(join(root, "README.md"), "utf8");
const range = pkg.engines.node;

/**
 * The versions the range names, at its edges: the lowest of each part, the
 * last of that major line, and for an open-ended part the next LTS line too.
 */
function namedVersions(engines: string): string[] {
  return engines.split("||").flatMap((part) => {
    const lowest = semver.minVersion(part.trim());
    if (!lowest) return [];
    const versions = [lowest.version, `${lowest.major}.999.0`];
    if (/^\s*>=/.test(part)) versions.push(`${lowest.major + 2}.0.0`);
    return versions.filter((version) => semver.satisfies(version, engines));
  });
}

const npmVersion = /npm (\d+\.\d+) or later/.exec(readme)?.[1] ?? "";
const versions = namedVersions(range);

describe("engines", () => {
  it("the README names the range the project declares, and the npm version", () => {
    // Assess
    expect(readme).toContain(`\`${range}\``);
    expect(npmVersion).toMatch(/^\d+\.\d+$/);
    expect(versions.length).toBeGreaterThanOrEqual(2);
    expect(lock.packages[""]?.engines, "package-lock.json agrees with package.json").toEqual(pkg.engines);
  });

  it.each(versions)("npm install on Node %s warns about no package", (node) => {
    // Prepare
    const installed = Object.entries(lock.packages).filter(([, entry]) => !entry.optional);

    // Act
    const warnings = installed.flatMap(([path, entry]) => {
      const name =
        path === "" ? pkg.name : path.slice(path.lastIndexOf("node_modules/") + "node_modules/".length);
      try {
        checkEngine({ _id: `${name}@${entry.version}`, engines: entry.engines }, `${npmVersion}.0`, node);
        return [];
      } catch (error) {
        return [
          `${name}@${entry.version} wants ${JSON.stringify((error as { required?: unknown }).required)}`,
        ];
      }
    });

    // Assess
    expect(warnings).toEqual([]);
  });
});
