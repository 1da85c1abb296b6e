/**
 * Building blocks the compositions share. Each Lambda handler takes only the blocks it needs
 * (makeService lives with the service), so its bundle carries no code it never runs.
 */
import { CadencePlanner, type CadencePolicy } from '../core/cadence.js';
import type { HolidayCalendar } from '../core/calendar.js';
import { PublicHolidays } from '../core/holidays.js';
import type { LinkBuilder } from './fire.js';
import { SignedLinks, type LinkSigner } from './links.js';

export function makePlanner(policy: CadencePolicy, holidays: HolidayCalendar = new PublicHolidays()): CadencePlanner {
  return new CadencePlanner(policy, holidays);
}

/** Links in messages, signed, from the API's public base URL; none without a signer. */
export function makeLinks(signer: LinkSigner | undefined, publicApiUrl: string | undefined, given?: LinkBuilder): LinkBuilder | undefined {
  return given ?? (signer && publicApiUrl ? new SignedLinks(signer, publicApiUrl) : undefined);
}
