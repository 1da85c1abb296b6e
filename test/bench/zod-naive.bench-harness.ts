/**
 * The naive bundles' zod: classic `zod` where the functions use `zod/mini` (a naive build knows no
 * better), with the few functions only the mini API has (the code uses `minimum`, `extend`, ...)
 * taken from it, so the naive bundle runs the same code. Imported as `zod/v4/mini`, since the
 * naive build's alias takes `zod/mini` to this file.
 */
export * from 'zod';
export { catchall, exactPartial, extend, maximum, merge, minimum, omit, partial, pick, required, safeExtend } from 'zod/v4/mini';
