import type { AnyControl, ControlContext } from "../controls/types.js";
import { errorMessage } from "../lib/errors.js";
import { logger } from "../lib/observability.js";
import { checkTarget, type IntakeResult, type StartDeps } from "./start.js";

export interface SweepDeps extends StartDeps {
  controls: readonly AnyControl[];
}

/**
 * The backstop for drift no event reported (a lost event, a rule created after
 * the change): every resource of every control goes through the same
 * collect/detect/start path as an event, as trigger "sweep".
 */
export async function sweep(deps: SweepDeps): Promise<IntakeResult[]> {
  const { account } = deps.resources;
  const eventTime = deps.now().toISOString();
  const origin = { source: "sweep" as const, actor: null, eventId: null, eventTime };
  const results: IntakeResult[] = [];
  for (const control of deps.controls) {
    const controlId = control.metadata.id;
    for (const region of sweepRegions(control, deps)) {
      const ctx: ControlContext = { account, region, clients: deps.clients, now: deps.now };
      let resources: string[];
      try {
        resources = [...new Set(await control.listResources(ctx))];
      } catch (error) {
        logger.error("listing resources failed", { control: controlId, region, error });
        results.push({
          eventId: null,
          status: "error",
          control: controlId,
          message: `${region}: ${errorMessage(error)}`,
        });
        continue;
      }
      for (const resource of resources) {
        try {
          results.push(
            await checkTarget(control, resource, origin, { account, region }, deps, {
              joinOpenWhenCompliant: false,
            }),
          );
        } catch (error) {
          // The next sweep tries again; one resource must not stop the rest.
          logger.error("checking a resource failed", { control: controlId, resource, error });
          results.push({
            eventId: null,
            status: "error",
            control: controlId,
            resource,
            message: errorMessage(error),
          });
        }
      }
    }
  }
  return results;
}

/** Global services live in us-east-1; regional ones in every watched region, or the home region. */
export function sweepRegions(control: AnyControl, deps: Pick<StartDeps, "resources">): string[] {
  if (control.metadata.triggers.cloudTrail.delivery === "us-east-1") return ["us-east-1"];
  const watched = deps.resources.config.watchedRegions;
  return watched.length > 0 ? [...new Set(watched)] : [deps.resources.region];
}
