import { ConfigurationError } from "./errors.js";

const ISO_DURATION = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

/** Seconds in an ISO-8601 duration of days, hours, minutes and seconds (PT24H, P1D, PT90M). */
export function durationSeconds(value: string, field = "duration"): number {
  const match = ISO_DURATION.exec(value);
  if (!match || value === "P" || value.endsWith("T")) {
    throw new ConfigurationError(`${field}: "${value}" is not an ISO-8601 duration such as PT24H or P1D`);
  }
  const [, d, h, m, s] = match;
  return Number(d ?? 0) * 86_400 + Number(h ?? 0) * 3_600 + Number(m ?? 0) * 60 + Number(s ?? 0);
}
