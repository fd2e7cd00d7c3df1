/** Every Lambda driftwarden deploys: its name, source file and exported handler. */
export const lambdaEntries = [
  { name: "intake", file: "functions/intake/handler.ts", export: "handler" },
  { name: "sweep", file: "functions/intake/handler.ts", export: "sweepHandler" },
  { name: "check", file: "functions/workflow/handlers.ts", export: "check" },
  { name: "mode", file: "functions/workflow/handlers.ts", export: "mode" },
  { name: "assess", file: "functions/workflow/handlers.ts", export: "assess" },
  { name: "requestApproval", file: "functions/workflow/handlers.ts", export: "requestApproval" },
  { name: "apply", file: "functions/workflow/handlers.ts", export: "apply" },
  { name: "verify", file: "functions/workflow/handlers.ts", export: "verify" },
  { name: "audit", file: "functions/workflow/handlers.ts", export: "audit" },
  { name: "notify", file: "functions/workflow/handlers.ts", export: "notify" },
] as const;
