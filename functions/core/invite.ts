/**
 * The calendar invite for an agreed callback: an iCalendar REQUEST with the rep as organizer and
 * the prospect as attendee, so calendars offer to add it. The UID is stable per prospect, and the
 * sequence grows with the prospect's version, so a moved callback updates the same event.
 */
import ical, { ICalAttendeeRole, ICalAttendeeStatus, ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import type { Call, Prospect, Rep } from './schemas.js';

export interface InviteInput {
  rep: Rep;
  prospect: Prospect;
  call: Call;
  callbackAt: string;
  durationMinutes?: number;
  now: Date;
}

export function callbackInvite({ rep, prospect, call, callbackAt, durationMinutes = 30, now }: InviteInput): string {
  const start = new Date(callbackAt);
  const calendar = ical({ prodId: { company: 'followthrough', product: 'followthrough', language: 'EN' }, method: ICalCalendarMethod.REQUEST });
  const description = [
    call.discussed ? `What we discussed: ${call.discussed}` : '',
    call.whatHappensNext ? `What happens next: ${call.whatHappensNext}` : '',
    prospect.phone ? `${rep.name} will call you at ${prospect.phone}.` : `${rep.name} will call you.`,
    ...call.materials.map((m) => `${m.title}: ${m.url}`),
  ]
    .filter(Boolean)
    .join('\n');
  calendar.createEvent({
    id: `callback-${prospect.id}.${Buffer.from(rep.id).toString('hex').slice(0, 24)}@followthrough`,
    sequence: prospect.version,
    stamp: now,
    start,
    end: new Date(start.getTime() + durationMinutes * 60_000),
    summary: `Call with ${rep.name}${rep.company ? ` (${rep.company})` : ''}`,
    description,
    location: prospect.phone ? `Phone: ${prospect.phone}` : null,
    status: ICalEventStatus.CONFIRMED,
    organizer: { name: rep.name, email: rep.email },
    attendees: prospect.email
      ? [{ name: prospect.name, email: prospect.email, role: ICalAttendeeRole.REQ, status: ICalAttendeeStatus.ACCEPTED, rsvp: false }]
      : [],
  });
  return calendar.toString();
}
