/**
 * Errors the application raises on purpose. Each knows its HTTP status and a message a person
 * can act on; anything else is internal and never shown to a client.
 */
export interface IssueDetail {
  path: string;
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly issues?: IssueDetail[],
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class ValidationError extends AppError {
  constructor(message: string, issues: IssueDetail[] = []) {
    super(400, 'invalid_request', message, issues);
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = 'Sign in: send Authorization: Bearer <token> (locally, npm run token -- <repId> prints one)') {
    super(401, 'unauthorized', message);
  }
}

export class NotFoundError extends AppError {
  constructor(what: string) {
    super(404, 'not_found', `${what} was not found`);
  }
}

export class ConflictError extends AppError {
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(409, code, message, undefined, options);
  }
}

export class UnprocessableError extends AppError {
  constructor(code: string, message: string, issues?: IssueDetail[]) {
    super(422, code, message, issues);
  }
}

export class PayloadTooLargeError extends AppError {
  constructor() {
    super(413, 'payload_too_large', 'The body is over 64 KiB: send less text (notes are capped at 10,000 characters)');
  }
}

/** A write lost an optimistic-lock race; the caller reloads and tries again. */
export class VersionConflictError extends Error {
  constructor(options?: { cause?: unknown }) {
    super('The record changed while it was being written', options);
    this.name = 'VersionConflictError';
  }
}

/** Another request with the same Idempotency-Key committed first. */
export class IdempotencyRaceError extends Error {
  constructor(options?: { cause?: unknown }) {
    super('Another request with the same Idempotency-Key was recorded first', options);
    this.name = 'IdempotencyRaceError';
  }
}
