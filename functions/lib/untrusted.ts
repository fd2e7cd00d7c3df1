/**
 * Text that someone outside driftwarden wrote (a CloudTrail user agent, a
 * session name, a tag, a resource name, a name typed on the approval page)
 * reaches on-call in emails, on the approval page and in the CLI. Whoever
 * wrote it may try to steer on-call: a fake "Approve: https://..." link, a
 * line break that starts a section of its own, a right-to-left override that
 * reverses what is shown. Everything here is pure and total: any input gives
 * a bounded, single-line, inert string.
 */

/** Enough for any real name, ARN or user agent; a 10 kB user agent is not one. */
export const DEFAULT_MAX_LENGTH = 200;

/**
 * Control characters (C0, C1, DEL), format characters (bidi embeddings,
 * overrides and isolates, zero-width spaces and joiners, the BOM, soft
 * hyphens, Unicode tag characters), line and paragraph separators, lone
 * surrogates and private-use characters: none of them is ever needed to
 * read a name, and each can hide or reorder what on-call sees.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\p{Co}]/gu;
const INVISIBLE_IN_JSON = /[\u007f-\u009f\p{Cf}\p{Zl}\p{Zp}\p{Co}]/gu;
/** Every other space (no-break, ideographic, ...) reads as a plain space. */
const SPACES = /[\s\p{Zs}]+/gu;

/** A scheme followed by `://` (https, ftp, ...). */
const SCHEME = /\b([a-z][a-z0-9+.-]{0,20}):\/\//gi;
/**
 * A host name: labels separated by dots, ending in a letters-only top-level
 * domain, as mail clients auto-link them (`evil.example/approve` becomes a
 * link even without a scheme). Numbers such as versions (`aws-cli/2.22.4`)
 * do not match.
 */
const HOST = /\b((?:[a-z0-9](?:[a-z0-9_-]{0,62})\.)+)([a-z][a-z-]{1,62})\b/gi;

/**
 * `https://evil.example/a` -> `hxxps://evil[.]example/a`: readable, never a
 * link. Defanging defanged text changes nothing more.
 */
export function defang(text: string): string {
  return text
    .replace(SCHEME, (_match, scheme: string) => {
      const web = /^h(?:tt|xx)p(s?)$/i.exec(scheme);
      return web ? `hxxp${web[1]?.toLowerCase() ?? ""}://` : `${scheme}[:]//`;
    })
    .replace(HOST, (_match, labels: string, tld: string) => `${labels.replace(/\./g, "[.]")}${tld}`);
}

export interface CleanOptions {
  /** Characters kept (before defanging); longer text is cut and says by how much. */
  max?: number;
}

/**
 * One inert line: compatibility forms folded (fullwidth `ｈｔｔｐｓ` is `https`),
 * invisible characters dropped, line breaks and tabs turned into spaces, cut
 * to `max` characters, URLs and host names defanged.
 */
export function cleanText(value: unknown, options: CleanOptions = {}): string {
  const max = options.max ?? DEFAULT_MAX_LENGTH;
  const text = String(value ?? "")
    .normalize("NFKC")
    .replace(/[\r\n\t\v\f\u0085\u2028\u2029]+/g, " ")
    .replace(INVISIBLE, "")
    .replace(SPACES, " ")
    .trim();
  const chars = Array.from(text);
  const cut =
    chars.length > max ? `${chars.slice(0, max).join("")}... (cut, ${chars.length} characters)` : text;
  return defang(cut);
}

/**
 * A field an outsider controls, shown as data: cleaned, then in double
 * quotes with inner quotes and backslashes escaped, so where it ends is never
 * in doubt and it cannot pass for driftwarden's own wording.
 */
export function quoteUntrusted(value: unknown, options: CleanOptions = {}): string {
  return JSON.stringify(cleanText(value, options));
}

/**
 * JSON for machines that a person may still read in a terminal: exactly the
 * same value, with invisible characters written as \uXXXX escapes so none
 * can reorder or hide what is shown.
 */
export function visibleJson(value: unknown, space?: number): string {
  const json = JSON.stringify(value, null, space) ?? "null";
  // JSON.stringify escapes C0 controls inside strings itself; the line breaks of `space` are its own.
  return json.replace(
    INVISIBLE_IN_JSON,
    (char) => `\\u${(char.codePointAt(0) ?? 0).toString(16).padStart(4, "0")}`,
  );
}

/**
 * JSON of a value that holds outsiders' strings (a planned API call), for
 * people: one line and readable, invisible characters escaped, host names and
 * URLs defanged so no string in it is a link.
 */
export function inertJson(value: unknown, space?: number): string {
  return defang(visibleJson(value, space));
}
