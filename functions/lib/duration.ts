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

/** What is left until `until`, as on-call reads it in an email or on the approval page: "3 h 5 min", "0 min". */
export function timeLeft(until: string, at: Date): string {
  const minutes = Math.max(0, Math.floor((Date.parse(until) - at.getTime()) / 60_000));
  const hours = Math.floor(minutes / 60);
  return hours > 0 ? `${hours} h ${minutes % 60} min` : `${minutes} min`;
}
