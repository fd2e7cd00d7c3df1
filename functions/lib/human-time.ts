/**
 * Times as on-call reads them on a phone: `Mon 2 Mar 09:00 UTC`. The zone is
 * always named, seconds and milliseconds never shown (CloudTrail and the
 * audit keep the exact instants).
 */
const ISO_INSTANT = /\b\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)\b/g;

export interface HumanTimeOptions {
  /** IANA zone; UTC unless the deployment says otherwise. */
  timeZone?: string;
  /** The year is shown only when it differs from this instant's (a reminder in January about December). */
  reference?: Date;
}

export function humanTime(at: string | Date, options: HumanTimeOptions = {}): string {
  const date = at instanceof Date ? at : new Date(at);
  if (Number.isNaN(date.getTime())) return String(at);
  const timeZone = options.timeZone ?? "UTC";
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-GB", {
      weekday: "short",
      day: "numeric",
      month: "short",
      year: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
      timeZone,
      timeZoneName: "short",
    })
      .formatToParts(date)
      .map((part) => [part.type, part.value]),
  ) as Record<Intl.DateTimeFormatPartTypes, string | undefined>;
  const referenceYear = options.reference
    ? new Intl.DateTimeFormat("en-GB", { year: "numeric", timeZone }).format(options.reference)
    : parts.year;
  const year = parts.year !== referenceYear ? ` ${parts.year}` : "";
  return `${parts.weekday} ${parts.day} ${parts.month}${year} ${parts.hour}:${parts.minute} ${parts.timeZoneName}`;
}

/** Every ISO-8601 instant in a sentence (a suspension reason, a probe detail) made human. */
export function humanizeTimes(text: string, options: HumanTimeOptions = {}): string {
  return text.replace(ISO_INSTANT, (instant) => humanTime(instant, options));
}
