import { ConfigurationError } from "./errors.js";

const ISO_DURATION = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

/** Seconds in an ISO-8601 duration of weeks, days, hours, minutes and seconds (PT24H, P1D, P1W, PT90M). */
export function durationSeconds(value: string, field = "duration"): number {
  const match = ISO_DURATION.exec(value);
  if (!match || value === "P" || value.endsWith("T")) {
    throw new ConfigurationError(
      `${field}: "${value}" is not an ISO-8601 duration such as PT24H, P1D or P1W`,
    );
  }
  const [, w, d, h, m, s] = match;
  return (
    Number(w ?? 0) * 604_800 +
    Number(d ?? 0) * 86_400 +
    Number(h ?? 0) * 3_600 +
    Number(m ?? 0) * 60 +
    Number(s ?? 0)
  );
}
