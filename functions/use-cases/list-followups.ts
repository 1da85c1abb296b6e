/** The rep's pending touches by due time, in a window (by default from a day ago, for two weeks). */
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
  touches: Touch[];
}

const DAY = 24 * 3600_000;

export async function listFollowups(deps: Pick<UseCaseDeps, 'store' | 'clock'>, repId: string, window: FollowupWindow): Promise<Followups> {
  const from = window.from ?? new Date(deps.clock.now().getTime() - DAY);
  const to = window.to ?? new Date(from.getTime() + 14 * DAY);
  if (to <= from) throw new ValidationError('to must be after from', [{ path: 'to', message: 'Give a time after from' }]);
  const touches = await deps.store.listFollowups(repId, toUtcIso(from), toUtcIso(to));
  return { from: toUtcIso(from), to: toUtcIso(to), touches };
}
