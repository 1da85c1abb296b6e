/**
 * The store port: everything the use cases need from the table, in domain terms. The DynamoDB
 * adapter implements it; unit tests use an in-memory fake of the same interface.
 */
import type { Call, Prospect, Rep, Touch } from '../core/schemas.js';
import type { VariantCounts, VariantEvent } from '../core/variants.js';

export interface ProspectBundle {
  prospect: Prospect;
  /** Oldest first. */
  calls: Call[];
  /** By due time. */
  touches: Touch[];
}

export interface IdempotencyRecord {
  key: string;
  requestHash: string;
  statusCode: number;
  response: unknown;
}

export interface OutcomeCommit {
  /** The prospect as it will be; its version is one more than `expectedVersion`. */
  prospect: Prospect;
  expectedVersion: number;
  /** The call recorded, when the change comes from one. */
  call?: Call;
  newTouches: Touch[];
  /** Pending touches this outcome supersedes. */
  cancelTouches: { touch: Touch; reason: string }[];
  idempotency?: IdempotencyRecord;
  /** What the call adds to its team's voicemail script counts: in the same transaction, so exactly once. */
  variantCounts?: VariantCountUpdate;
  /**
   * The address the outcome plans email to: the commit holds only while it is not suppressed, and
   * fails with AddressSuppressedError otherwise (checked in the write, not read before it).
   */
  unsuppressed?: string;
}

/**
 * Uses and callbacks to add to a team's counts. Each event is dated by the voicemail it is about
 * (a callback on the day the voicemail that earned it was left), so a period's callbacks never
 * outnumber its uses.
 */
export interface VariantCountUpdate {
  team: string;
  events: (VariantEvent & { day: string })[];
}

export interface TouchUpdate {
  status?: Touch['status'];
  reason?: string | null;
  messageId?: string;
  sentAt?: string;
  template?: string;
  subject?: string;
  dueAt?: string;
  promiseAt?: string | null;
  claimedAt?: string | null;
  deliveries?: Touch['deliveries'];
  /** A reminder's script variant as it was sent (null: its script had none to choose). */
  scriptVariant?: string | null;
  repairs?: number | null;
  redrivenAt?: string | null;
  /** Denormalized from the prospect: kept in step when the prospect changes. */
  timezone?: string;
  prospectName?: string;
}

/** An address no prospect-facing email may go to any more. */
export interface Suppression {
  email: string;
  reason: 'unsubscribed' | 'bounced' | 'complained';
  at: string;
  repId?: string;
  prospectId?: string;
}

/** A touch as the byDue index carries it: enough to find it and rebuild its fire payload. */
export type OverdueTouch = Pick<Touch, 'id' | 'repId' | 'prospectId' | 'dueAt' | 'kind'>;

/** Names one touch as scheduled for one due time: writes through it hold only while both still stand. */
export type DueTouchRef = Pick<Touch, 'repId' | 'prospectId' | 'id' | 'dueAt'>;

export interface Store {
  getRep(repId: string): Promise<Rep | undefined>;
  putRep(rep: Rep): Promise<void>;

  /** Fails with ConflictError when the id is taken. */
  createProspect(prospect: Prospect): Promise<void>;
  getProspect(repId: string, prospectId: string): Promise<Prospect | undefined>;
  getProspectBundle(repId: string, prospectId: string): Promise<ProspectBundle | undefined>;
  /** Writes the prospect if its stored version is `expectedVersion`; VersionConflictError otherwise. */
  saveProspect(prospect: Prospect, expectedVersion: number): Promise<void>;

  /**
   * Records a change to a prospect atomically (a call and its plan, or a suppression and the
   * touches it cancels); VersionConflictError when the prospect moved on meanwhile.
   */
  commitOutcome(commit: OutcomeCommit): Promise<void>;
  getIdempotency(repId: string, key: string): Promise<IdempotencyRecord | undefined>;
  /** Replaces the answer an existing idempotency record gives (what scheduling changed after the commit). */
  updateIdempotencyResponse(repId: string, key: string, response: unknown): Promise<void>;

  getTouch(repId: string, prospectId: string, touchId: string): Promise<Touch | undefined>;
  /** Several touches of one prospect, in one consistent read: by id, those that exist. */
  getTouches(repId: string, prospectId: string, touchIds: readonly string[]): Promise<Map<string, Touch>>;
  /** Finds a touch by id alone (for routes that name only the touch). */
  findTouch(touchId: string): Promise<Touch | undefined>;
  /**
   * Takes a due touch for sending, in one write: succeeds only while it is scheduled (and at
   * `dueAt`, when given) and nobody holds a claim newer than `staleBefore`. Returns the claimed
   * touch, or else the touch as it stands (absent when there is none).
   */
  claimTouch(
    ref: { repId: string; prospectId: string; id: string; dueAt?: string },
    now: string,
    staleBefore: string,
  ): Promise<{ claimed?: Touch; current?: Touch }>;
  /**
   * Takes a touch for sending as it was read moments ago, in one write (a transaction): only while
   * the touch is unchanged since (scheduled, same due time and updatedAt, no Send event recorded on
   * it) and no claim newer than `staleBefore` holds it, the prospect is at `prospectVersion`, the
   * rep as `rep` was read, and for a prospect email `unsuppressed` is not on the suppression list. What was rendered from that read
   * is then current. Otherwise says what moved: the touch as it stands, and the suppression entry.
   */
  claimAsRead(claim: ReadClaim): Promise<ReadClaimResult>;
  /**
   * Moves a touch to a new time, only while it is still scheduled for the time the mover read
   * (`touch.dueAt`) and no delivery holds a claim newer than `staleBefore`. With `prospect`, the
   * prospect is written in the same transaction, only while it is at `expectedVersion` (a reminder's
   * attempt moves with it). False when the touch or the prospect moved on meanwhile.
   */
  moveTouch(touch: Touch, to: { dueAt: string; promiseAt?: string | null }, staleBefore: string, prospect?: { next: Prospect; expectedVersion: number }): Promise<boolean>;
  /** Updates a touch; with `ifStatus`, only while it still has that status (returns false otherwise). */
  updateTouch(touch: Touch, update: TouchUpdate, ifStatus?: Touch['status']): Promise<boolean>;
  getSuppression(email: string): Promise<Suppression | undefined>;
  /** Adds the address to the suppression list; false when it was there already. */
  addSuppression(suppression: Suppression): Promise<boolean>;
  /** The rep's scheduled and failed touches with dueAt in [from, to), by due time, all of them up to `limit` (5,000 by default). */
  listFollowups(repId: string, from: string, to: string, limit?: number): Promise<Touch[]>;
  /**
   * The rep's prospects by name (core/prospect-search.ts nameKey, then id), from an index that may lag
   * a write by a moment. `match` keeps some; reading stops once `limit` are kept.
   */
  listProspects(repId: string, options?: ProspectListOptions): Promise<Prospect[]>;

  /** A team's voicemail script counts since they began, by variant id ("hot.uptime.b"). */
  getVariantCounts(team: string): Promise<Record<string, VariantCounts>>;
  /** A team's counts for voicemails left on UTC days fromDay to toDay (YYYY-MM-DD, both included), by variant id. */
  getVariantCountsByDay(team: string, fromDay: string, toDay: string): Promise<Record<string, VariantCounts>>;

  /** Every rep's touches still scheduled with dueAt before `before`, by due time, at most `limit` (the sweep). */
  listOverdue(before: string, limit: number): Promise<OverdueTouch[]>;
  /** Counts one more repair of a lost schedule while the touch is still scheduled for `dueAt`; the new count, or undefined when it moved on. */
  countRepair(ref: DueTouchRef): Promise<number | undefined>;
  /** Ends a touch failed with `reason` while it is still scheduled for `dueAt`; false when it moved on. */
  failTouch(ref: DueTouchRef, reason: string): Promise<boolean>;
  /** Adds a touch unless one with its id exists (a notice told once); false when it did. */
  addTouch(touch: Touch): Promise<boolean>;
  /**
   * Records SES's Send event on a touch: that its email went out (`sesSent`) and, when the event
   * carries it, the Message-ID header SES stamped; false when there is no such touch.
   */
  recordSendEvent(ref: Pick<Touch, 'repId' | 'prospectId' | 'id'>, sent: { messageId: string; at: string; subject?: string; header?: string }): Promise<boolean>;
}

/** A claim on a touch as the fire path read it (Store.claimAsRead). */
export interface ReadClaim {
  touch: Touch;
  now: string;
  staleBefore: string;
  prospectVersion: number;
  rep: Rep;
  /** A prospect email: the address that must not be on the suppression list. */
  unsuppressed?: string;
}

export type ReadClaimResult =
  | { claimed: Touch }
  | {
      claimed?: undefined;
      /** What changed since the read (empty when only a concurrent transaction got in the way). */
      moved: ('touch' | 'prospect' | 'rep' | 'suppressed')[];
      /** The touch as it stands, when it changed (absent when it is gone). */
      current?: Touch;
      suppression?: Suppression;
    };

export interface ProspectListOptions {
  match?: (prospect: Prospect) => boolean;
  limit?: number;
}
