import * as z from "zod/mini";
import en from "zod/v4/locales/en.js";

/**
 * The validator of deployed code: zod's mini build, which esbuild shakes down
 * to the checks a function uses (classic zod carries its JSON Schema
 * generator and methods on every schema; imported as `{ z }` it also brings
 * every locale). Mini has no locale until one is set: English gives the same
 * messages as classic zod, which tests and operators read.
 */
z.config(en());

export * from "zod/mini";
