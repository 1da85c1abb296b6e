/**
 * The rep's agenda, by due time, in a window (by default from a day ago, for two weeks): the touches
 * still pending, and apart from them those that could not be delivered (with their reason), so a
 * promise that failed shows where the rep looks every day and a client that lists `touches` as
 * "to do" never mistakes a failed one for pending.
 */
import type { Touch } from '../core/schemas.js';
import { ValidationError } from '../core/errors.js';
import { toUtcIso } from '../core/time.js';
import type { UseCaseDeps } from './deps.js';

export interface FollowupWindow {
  from?: Date;
  to?: Date;
}

export interface Followups {
  from: string;
  to: string;
  /** Still scheduled. */
  touches: Touch[];
  /** Failed, with their reason; a rep may retry one (POST /v1/touches/{id}/retry). */
  failed: Touch[];
}

const DAY = 24 * 3600_000;

export async function listFollowups(deps: Pick<UseCaseDeps, 'store' | 'clock'>, repId: string, window: FollowupWindow): Promise<Followups> {
  const from = window.from ?? new Date(deps.clock.now().getTime() - DAY);
  const to = window.to ?? new Date(from.getTime() + 14 * DAY);
  if (to <= from) throw new ValidationError('to must be after from', [{ path: 'to', message: 'Give a time after from' }]);
  const listed = await deps.store.listFollowups(repId, toUtcIso(from), toUtcIso(to));
  return {
    from: toUtcIso(from),
    to: toUtcIso(to),
    touches: listed.filter((t) => t.status === 'scheduled'),
    failed: listed.filter((t) => t.status === 'failed'),
  };
}
