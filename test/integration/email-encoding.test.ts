/**
 * Email that survives: names and notes outside ASCII reach the prospect intact, in the subject, the
 * body and the calendar invite, which is read back from the local SES store and parsed with ical.js.
 */
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testRuntime, uniqueEmail, type TestRuntime } from '../support/runtime.js';

const START = '2026-11-23T15:00:00Z';

describe('email outside ASCII on the local runtime', () => {
  let rt: TestRuntime;

  beforeAll(async () => {
    rt = await testRuntime({ start: START });
  });

  afterAll(async () => {
    await rt?.stop();
  });

  it('keeps names and notes in any script, in the recap and in its invite', async () => {
    // Prepare
    const repEmail = uniqueEmail('rep');
    const email = uniqueEmail('zoe');
    await rt.call('PUT', '/v1/reps/me', { name: 'José Ñúñez', email: repEmail, phone: '+34911234567', timezone: 'Europe/Madrid', reminderChannel: 'email', company: 'Bombas Ibéricas' });
    await rt.call('POST', '/v1/prospects', { id: 'zoe', name: 'Zoë Ångström-Øberg', company: 'Größe & Söhne', email, phone: '+46812345678', timezone: 'Europe/Stockholm', country: 'SE' });
    const discussed = 'Linje 3 stannar två gånger i veckan — 停机 twice a week; naïve “quick fix” ruled out 👋';
    const next = 'Zoë prüft das Angebot mit dem Werksleiter';
    // Act
    const posted = await rt.call('POST', '/v1/prospects/zoe/calls', { outcome: 'callback_agreed', callbackAt: '2026-11-25T14:00', discussed, whatHappensNext: next });
    expect(posted.status).toBe(201);
    await rt.fireNow();

    // Assess
    const [recap] = await rt.inbox(email);
    expect(recap!.from).toContain('=?UTF-8?B?');
    expect(recap!.body.text).toContain(discussed);
    expect(recap!.body.html).toContain('Zoë');
    const ics = recap!.attachments.find((a) => a.filename === 'invite.ics')!;
    const text = Buffer.from(ics.content, 'base64').toString('utf8');
    expect(text).not.toContain('\uFFFD');
    const calendar = new ICAL.Component(ICAL.parse(text));
    const event = new ICAL.Event(calendar.getFirstSubcomponent('vevent')!);
    expect(event.summary).toBe('Call with José Ñúñez (Bombas Ibéricas)');
    expect(event.description).toContain(`What we discussed: ${discussed}`);
    expect(event.description).toContain(`What happens next: ${next}`);
    expect(event.organizer.toLowerCase()).toBe(`mailto:${repEmail}`);
    const attendee = event.attendees[0]!;
    expect(attendee.getParameter('cn')).toBe('Zoë Ångström-Øberg');
    expect(event.startDate.toJSDate().toISOString()).toBe('2026-11-25T13:00:00.000Z');
  });
});
