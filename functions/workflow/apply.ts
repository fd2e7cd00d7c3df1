import type { AnyControl, Change, ControlContext } from "../controls/types.js";
import { type JournalDeps, type JournalEntry, readJournal, writeEntry } from "./journal.js";

/**
 * Applies one round of a fix call by call, crash-safe and idempotent:
 *
 * - the first attempt writes an intent before each call and what was made
 *   after it, without reading anything (the plan was made from a fresh read);
 * - a retried or re-run attempt finds the journal, re-reads the resource once,
 *   and for each call: one recorded as made is not made again; one with only an
 *   intent (the step died around the call) counts as made when the resource
 *   shows its effect and is made otherwise; one never started is made unless
 *   someone else already did it (then it is not ours and not listed).
 *
 * So a multi-call fix resumes where it stopped, and the calls returned are
 * exactly the calls driftwarden made, including those of an attempt that died.
 */
export interface ApplyTarget {
  control: AnyControl;
  ctx: ControlContext;
  resource: string;
  changes: Change[];
  journal: JournalDeps & { key: string };
  now: () => Date;
}

export async function applyRound(target: ApplyTarget): Promise<Change[]> {
  const { control, ctx, resource, changes, journal } = target;
  const previous = await readJournal(journal, journal.key);
  let fresh: unknown | null | undefined;
  const live = async () => {
    if (fresh === undefined) fresh = await control.collect(ctx, resource);
    return fresh;
  };
  const made: Change[] = [];
  for (const [index, change] of changes.entries()) {
    const entry = previous?.calls[String(index)];
    if (entry?.state === "done") {
      if (entry.made) made.push(entry.made);
      continue;
    }
    if (previous) {
      const snapshot = await live();
      if (snapshot !== null && control.inEffect(snapshot, change)) {
        if (entry?.state === "intent") {
          // The step died between the call and its entry: the effect is there, so the call was made.
          await record(target, index, { state: "done", at: target.now().toISOString(), made: change });
          made.push(change);
        }
        continue;
      }
    }
    await record(target, index, { state: "intent", at: target.now().toISOString() });
    const result = await control.execute(ctx, resource, change);
    await record(target, index, { state: "done", at: target.now().toISOString(), made: result });
    if (result) made.push(result);
  }
  return made;
}

/**
 * After an apply gave up (retries exhausted, or it kept dying): the calls of
 * the round that were made, from the journal and one fresh read, so the audit
 * and the email tell the truth about what changed.
 */
export async function reconcileRound(target: ApplyTarget): Promise<Change[]> {
  const { control, ctx, resource, changes, journal } = target;
  const previous = await readJournal(journal, journal.key);
  if (!previous) return [];
  const intents = changes.filter((_, index) => previous.calls[String(index)]?.state === "intent");
  const snapshot = intents.length > 0 ? await control.collect(ctx, resource) : null;
  const made: Change[] = [];
  for (const [index, change] of changes.entries()) {
    const entry: JournalEntry | undefined = previous.calls[String(index)];
    if (entry?.state === "done" && entry.made) made.push(entry.made);
    if (entry?.state === "intent" && snapshot !== null && control.inEffect(snapshot, change))
      made.push(change);
  }
  return made;
}

function record(target: ApplyTarget, index: number, entry: JournalEntry): Promise<void> {
  return writeEntry(target.journal, target.journal.key, index, entry, target.now());
}
