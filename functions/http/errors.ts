/**
 * The one place errors become HTTP answers: domain errors by class, the edge's own (401, 413) here.
 * An error nobody raised on purpose is a 500 whose text never reaches the client.
 */
import { ConflictError, DomainError, NotFoundError, RuleError, ValidationError, type IssueDetail } from '../core/errors.js';
import { RepProfileNotFoundError } from '../use-cases/read-rep.js';

/** No token, or one the authorizer would refuse. */
export class UnauthorizedError extends DomainError {
  constructor(message = 'Sign in: send Authorization: Bearer <token> (locally, npm run token -- <repId> prints one)') {
    super('unauthorized', message);
  }
}

export class PayloadTooLargeError extends DomainError {
  constructor() {
    super('payload_too_large', 'The body is over 64 KiB: send less text (notes are capped at 10,000 characters)');
  }
}

/** Where the HTTP API is how a rep fixes it, the message says which route. */
const ROUTE_HINTS: Record<string, string> = {
  rep_profile_missing: 'Create your rep profile first with PUT /v1/reps/me, so reminders know where to go',
};

export interface ErrorAnswer {
  status: number;
  code: string;
  message: string;
  issues?: IssueDetail[];
}

/** The status and body for an error, or undefined for one that is internal (a 500). */
export function errorAnswer(error: unknown): ErrorAnswer | undefined {
  if (!(error instanceof DomainError)) return undefined;
  const status =
    error instanceof ValidationError ? 400
    : error instanceof UnauthorizedError ? 401
    : error instanceof NotFoundError ? 404
    : error instanceof ConflictError ? 409
    : error instanceof PayloadTooLargeError ? 413
    : error instanceof RuleError ? 422
    : 400;
  let message = ROUTE_HINTS[error.code] ?? error.message;
  if (error instanceof RepProfileNotFoundError) message = 'Your rep profile was not found: create it with PUT /v1/reps/me';
  return { status, code: error.code, message, ...(error.issues?.length ? { issues: error.issues } : {}) };
}
