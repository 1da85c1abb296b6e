/** zod at the edge: a failed parse becomes a 400 with one issue per field. */
import type * as z from 'zod/mini';
import { ValidationError } from '../core/errors.js';

export function parse<S extends z.ZodMiniType>(schema: S, value: unknown, what = 'The request body'): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data as z.infer<S>;
  const issues = result.error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.code === 'unrecognized_keys' ? `Unknown field${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.join(', ')}` : issue.message,
  }));
  const first = issues[0];
  const summary = first ? `${first.path ? `${first.path}: ` : ''}${first.message}` : 'invalid';
  throw new ValidationError(`${what} is not valid (${summary})`, issues);
}
