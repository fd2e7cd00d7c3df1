/**
 * One measured figure of `npm run bench`: what was measured, its value, the
 * goal it is held to and whether it met it. Each bench module returns these;
 * bench/run.ts prints them as one table and writes bench/results.json.
 */
export interface Figure {
  /** Which measurement, e.g. "bundle WorkflowApply". */
  name: string;
  value: number;
  unit: "KB" | "ms" | "calls" | "x floor" | "s" | "executions" | "mutations" | "transitions";
  /** The goal in words, e.g. "<= 800 KB". */
  target: string;
  pass: boolean;
  /** Anything a reader needs to trust the figure (sample size, floor value). */
  note?: string;
}

export function atMost(
  name: string,
  value: number,
  unit: Figure["unit"],
  limit: number,
  note?: string,
): Figure {
  return {
    name,
    value,
    unit,
    target: `<= ${limit} ${unit}`,
    pass: value <= limit,
    ...(note ? { note } : {}),
  };
}
