/** zod at the edge: a failed parse becomes a 400 with one issue per field. */
import type * as z from 'zod/mini';
import { ValidationError, type IssueDetail } from '../core/errors.js';

/**
 * `field` names a single value (a path parameter, a header) in the issues' paths, where zod has no
 * path of its own to give.
 */
export function parse<S extends z.ZodMiniType>(schema: S, value: unknown, what = 'The request body', field?: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data as z.infer<S>;
  const issues: IssueDetail[] = [];
  const add = (path: (string | number | symbol)[], message: string) => {
    const at = [...(field ? [field] : []), ...path.map(String)].join('.');
    // Two checks that refuse a value for one reason (a URL's format and its protocol) say it once.
    if (!issues.some((i) => i.path === at && i.message === message)) issues.push({ path: at, message });
  };
  for (const issue of result.error.issues) {
    // An unknown field is named where it is, so a form can show the issue beside it.
    if (issue.code === 'unrecognized_keys') for (const key of issue.keys) add([...issue.path, key], 'Unknown field: remove it or check its spelling');
    else add(issue.path, issue.message);
  }
  const first = issues[0];
  const summary = first ? `${first.path ? `${first.path}: ` : ''}${first.message}` : 'invalid';
  throw new ValidationError(`${what} is not valid (${summary})`, issues);
}
