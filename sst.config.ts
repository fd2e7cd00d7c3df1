/// <reference path="./.sst/platform/config.d.ts" />

export default $config({
  async app(input) {
    // The home region comes from the deployment's config file, validated like everything else in it.
    const { readSettings } = await import("./infra/settings");
    const settings = readSettings();
    return {
      name: "driftwarden",
      home: "aws",
      removal: input?.stage === "production" ? "retain" : "remove",
      protect: ["production"].includes(input?.stage),
      providers: { aws: { region: settings.homeRegion as aws.Region } },
    };
  },
  async run() {
    const { readSettings } = await import("./infra/settings");
    const { driftwarden } = await import("./infra/stack");
    return driftwarden(readSettings());
  },
});
