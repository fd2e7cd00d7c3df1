import type { Judge } from "../types.js";
import { detect } from "./detector.js";
import { metadata } from "./metadata.js";
import { collect, type Snapshot } from "./snapshot.js";

/** What judging needs: read the resource and say whether it complies; the verify step carries only this. */
export const judge: Judge<Snapshot> = {
  metadata,
  collect: collect,
  detect: (snapshot) => detect(snapshot),
};
