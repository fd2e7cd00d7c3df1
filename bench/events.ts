import { logger } from "../functions/lib/observability.js";
import { burst, intakeCostPerEvent } from "../local/event-measure.js";
import { atMost, type Figure } from "./figures.js";

/**
 * Intake on the local runtime: the calls and wall time one event costs, and
 * 1,000 events about 50 drifted listeners, delivered all at once and one by
 * one: one workflow per drift (the execution name is the drift), one fix each.
 */
export async function measureEvents(): Promise<Figure[]> {
  logger.setLogLevel("SILENT");
  const cost = await intakeCostPerEvent(20);
  const loads = [
    ["all at once", await burst(1000, 50, "at-once")],
    ["one by one", await burst(1000, 50, "one-by-one")],
  ] as const;
  return [
    {
      name: "intake calls per event",
      value: Math.round(cost.calls * 100) / 100,
      unit: "calls",
      target: "report",
      pass: true,
      note: "a ModifyListener event about a compliant HTTP listener: re-read and judged, nothing started",
    },
    atMost(
      "intake ms per event",
      Math.round(cost.ms * 10) / 10,
      "ms",
      100,
      "wall time on the local runtime, 20 events",
    ),
    ...loads.flatMap(([delivery, load]) => {
      const errors = load.errors.length ? `; errors: ${load.errors.slice(0, 3).join("; ")}` : "";
      return [
        atMost(
          `1,000 events on 50 resources, ${delivery}: executions`,
          load.executions,
          "executions",
          50,
          `1 drift per resource${errors}`,
        ),
        atMost(
          `1,000 events on 50 resources, ${delivery}: mutations`,
          load.mutations,
          "mutations",
          50,
          "the fixes made (and their CloudTrail echoes ignored)",
        ),
      ];
    }),
  ];
}
