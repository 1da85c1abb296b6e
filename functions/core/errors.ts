/**
 * Errors the domain raises on purpose. Each carries a stable code and a message a person can act
 * on; the HTTP edge (http/errors.ts) is the one place that maps them to statuses. Anything else is
 * internal and its text never reaches a client.
 */
export interface IssueDetail {
  path: string;
  message: string;
}

export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly issues?: IssueDetail[],
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The input is malformed: fix the request. */
export class ValidationError extends DomainError {
  constructor(message: string, issues: IssueDetail[] = []) {
    super('invalid_request', message, issues);
  }
}

/** No such record, or not the caller's. */
export class NotFoundError extends DomainError {
  constructor(what: string) {
    super('not_found', `${what} was not found`);
  }
}

/** A duplicate id, a reused idempotency key, or a write race lost too many times. */
export class ConflictError extends DomainError {
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(code, message, undefined, options);
  }
}

/** A well-formed request the rules refuse (a callback in the past, a touch no longer pending). */
export class RuleError extends DomainError {
  constructor(code: string, message: string, issues?: IssueDetail[]) {
    super(code, message, issues);
  }
}

/** A write lost an optimistic-lock race; the caller reloads and tries again. */
export class VersionConflictError extends Error {
  constructor(options?: { cause?: unknown }) {
    super('The record changed while it was being written', options);
    this.name = 'VersionConflictError';
  }
}

/** The address an outcome's planned email goes to was suppressed before its commit: plan again without it. */
export class AddressSuppressedError extends Error {
  constructor(options?: { cause?: unknown }) {
    super('The prospect\'s address was suppressed while the outcome was being written', options);
    this.name = 'AddressSuppressedError';
  }
}

/** Another request with the same Idempotency-Key committed first. */
export class IdempotencyRaceError extends Error {
  constructor(options?: { cause?: unknown }) {
    super('Another request with the same Idempotency-Key was recorded first', options);
    this.name = 'IdempotencyRaceError';
  }
}
