import { monotonicFactory } from 'ulid';

const ulid = monotonicFactory();

/** Sortable unique ids (ULID): calls and touches sort by creation. */
export function newId(): string {
  return ulid();
}
