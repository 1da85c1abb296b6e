/**
 * What the three local AWS endpoints share: the service error they answer with, the shape of a
 * wire response, and the append-only JSON-lines files that keep their state across a restart.
 */
import { appendFileSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** The runtime's clock; structurally the same as the app's `Clock` port. */
export interface Clock {
  now(): Date;
}

/**
 * An error the service itself would answer: its code (`ConflictException`), its message, the HTTP
 * status, and any extra members of the error shape (`Reason`, `Fields`, `ResourceType`, ...).
 */
export class AwsServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    readonly members: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = code;
  }
}

export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export function jsonResponse(status: number, body: unknown, contentType = 'application/json'): WireResponse {
  return { status, headers: { 'content-type': contentType }, body: JSON.stringify(body) };
}

/** Epoch seconds with milliseconds, the default timestamp format of both JSON protocols. */
export function epochSeconds(ms: number): number {
  return ms / 1000;
}

/**
 * Collects constraint violations and words them as AWS's request validation does, for example
 * "1 validation error detected: Value 'a b' at 'name' failed to satisfy constraint: Member must
 * satisfy regular expression pattern: [0-9a-zA-Z-_.]+".
 */
export class Violations {
  private readonly items: { path: string; text: string }[] = [];

  add(path: string, value: unknown, constraint: string): void {
    const shown = value === undefined || value === null ? 'null' : `'${typeof value === 'string' ? value : JSON.stringify(value)}'`;
    this.items.push({ path, text: `Value ${shown} at '${path}' failed to satisfy constraint: ${constraint}` });
  }

  required(path: string, value: unknown): value is NonNullable<unknown> {
    if (value !== undefined && value !== null) return true;
    this.add(path, value, 'Member must not be null');
    return false;
  }

  string(path: string, value: unknown, rule: { min?: number; max?: number; pattern?: RegExp; patternText?: string }): void {
    if (value === undefined || value === null) return;
    if (typeof value !== 'string') return this.add(path, value, 'Member must be a string');
    if (rule.min !== undefined && value.length < rule.min) this.add(path, value, `Member must have length greater than or equal to ${rule.min}`);
    if (rule.max !== undefined && value.length > rule.max) this.add(path, value, `Member must have length less than or equal to ${rule.max}`);
    if (rule.pattern && !rule.pattern.test(value)) {
      this.add(path, value, `Member must satisfy regular expression pattern: ${rule.patternText ?? rule.pattern.source}`);
    }
  }

  integer(path: string, value: unknown, min: number, max: number): void {
    if (value === undefined || value === null) return;
    if (typeof value !== 'number' || !Number.isInteger(value)) return this.add(path, value, 'Member must be an integer');
    if (value < min) this.add(path, value, `Member must have value greater than or equal to ${min}`);
    if (value > max) this.add(path, value, `Member must have value less than or equal to ${max}`);
  }

  oneOf(path: string, value: unknown, allowed: readonly string[]): void {
    if (value === undefined || value === null) return;
    if (typeof value !== 'string' || !allowed.includes(value)) this.add(path, value, `Member must satisfy enum value set: [${allowed.join(', ')}]`);
  }

  get empty(): boolean {
    return this.items.length === 0;
  }

  /** The message, or undefined when nothing was violated. */
  message(): string | undefined {
    if (this.items.length === 0) return undefined;
    const count = `${this.items.length} validation error${this.items.length === 1 ? '' : 's'} detected: `;
    return count + this.items.map((i) => i.text).join('; ');
  }

  /** Each violation with the member it is about, for error shapes that list fields. */
  fields(): { Name: string; Message: string }[] {
    return this.items.map((i) => ({ Name: i.path, Message: i.text }));
  }
}

/**
 * An awsJson1_0 / awsJson1_1 error: HTTP 400 for the client's fault, 500 for the service's, and a
 * body whose `__type` names the error beside its members.
 */
export function awsJsonError(error: unknown, contentType: string, internalCode = 'InternalServerException'): WireResponse {
  // An unexpected error's own text stays here: the client learns only that the service failed.
  const e = error instanceof AwsServiceError ? error : new AwsServiceError(internalCode, 'Internal error.', 500);
  return { status: e.status, headers: { 'content-type': contentType }, body: JSON.stringify({ __type: e.code, Message: e.message, ...e.members }) };
}

/** What an awsJson service answers for an X-Amz-Target it does not know. */
export function unknownOperation(contentType: string): WireResponse {
  return { status: 400, headers: { 'content-type': contentType }, body: JSON.stringify({ __type: 'com.amazon.coral.service#UnknownOperationException' }) };
}

/**
 * A JSON-lines file: each change is one line, appended synchronously so it is on disk, and in
 * call order, before the request that made it is answered. A line cut short by a crash
 * mid-write is skipped on load; the rest is intact.
 */
export class JsonLinesFile<T> {
  private checkedTail = false;

  constructor(readonly path: string) {}

  read(): T[] {
    if (!existsSync(this.path)) return [];
    const entries: T[] = [];
    for (const line of readFileSync(this.path, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      try {
        entries.push(JSON.parse(line) as T);
      } catch {
        // A torn last line: skip it.
      }
    }
    return entries;
  }

  append(entry: T): void {
    mkdirSync(dirname(this.path), { recursive: true });
    // After a torn last line, start on a fresh line, or the first entry would be glued to it and lost.
    const lead = this.checkedTail ? '' : this.tornTail() ? '\n' : '';
    this.checkedTail = true;
    appendFileSync(this.path, lead + JSON.stringify(entry) + '\n');
  }

  private tornTail(): boolean {
    if (!existsSync(this.path)) return false;
    const size = statSync(this.path).size;
    if (size === 0) return false;
    const fd = openSync(this.path, 'r');
    try {
      const last = Buffer.alloc(1);
      readSync(fd, last, 0, 1, size - 1);
      return last[0] !== 0x0a;
    } finally {
      closeSync(fd);
    }
  }

  /** Replaces the whole file atomically (compaction): a crash leaves the old file or the new one. */
  rewrite(entries: readonly T[]): void {
    mkdirSync(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.tmp`;
    writeFileSync(tmp, entries.map((e) => JSON.stringify(e) + '\n').join(''));
    renameSync(tmp, this.path);
    this.checkedTail = true;
  }
}
