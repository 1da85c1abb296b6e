/**
 * Respectful, deliverable email on the local runtime: the recap with its calendar invite, the
 * threaded resend, one-click unsubscribe, bounces and complaints, and the touch budget. Emails
 * are read back from the local SES store, as an inbox would receive them.
 */
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LinkTokens } from '../../functions/core/link-tokens.js';
import { LOCAL_SES_MESSAGE_ID_DOMAIN } from '../../functions/local/runtime.js';
import type { StoredEmail } from '../../functions/local/ses.js';
import { testRuntime, uniqueEmail, type TestRuntime } from '../support/runtime.js';

// Monday 23 November 2026, 10:00 in New York.
const START = '2026-11-23T15:00:00Z';

const header = (email: StoredEmail, name: string) => email.headers?.find((h) => h.name.toLowerCase() === name.toLowerCase())?.value;

describe('deliverable email on the local runtime', () => {
  let rt: TestRuntime;
  const repEmail = uniqueEmail('rep');
  let n = 0;

  async function newProspect() {
    const id = `d-${++n}`;
    const email = uniqueEmail(id);
    await rt.call('POST', '/v1/prospects', { id, name: `Dee Prospect ${n}`, company: 'Acme', email, phone: '+15557654321', timezone: 'America/Chicago', country: 'US', hotButtons: ['quality'] });
    return { id, email };
  }
  const touchesOf = async (id: string) => (await rt.call('GET', `/v1/prospects/${id}`)).body.touches as { id: string; kind: string; status: string; reason?: string; recipient: string; dueAt: string }[];

  beforeAll(async () => {
    rt = await testRuntime({ start: START });
    await rt.call('PUT', '/v1/reps/me', { name: 'Rae Rep', email: repEmail, phone: '+15551230000', timezone: 'America/New_York', reminderChannel: 'email', company: 'Brightline' });
  });

  afterAll(async () => {
    await rt?.stop();
  });

  it('sends a recap with an invite calendars accept, then threads the resend under it', async () => {
    rt.clock.set(START);
    const { id, email } = await newProspect();
    const posted = await rt.call('POST', `/v1/prospects/${id}/calls`, {
      outcome: 'callback_agreed',
      callbackAt: '2026-11-25T14:00',
      discussed: 'Scrap rate on line 2',
      whatHappensNext: 'Dee checks the spec with quality control',
      materials: [{ title: 'Spec sheet', url: 'https://example.com/spec' }],
    });
    expect(posted.body.plan.map((t: { kind: string }) => t.kind)).toEqual(['recap', 'resend_materials', 'rep_reminder']);

    await rt.fireNow();
    const [recap] = await rt.inbox(email);
    expect(recap!.subject).toMatch(/^Recap of our call: next call Wednesday, November 25 at 2:00 PM CST/);
    expect(recap!.body.text).toContain('What we discussed: Scrap rate on line 2');
    expect(header(recap!, 'List-Unsubscribe')).toMatch(/^<http:\/\/localhost:\d+\/v1\/unsubscribe\?token=[\w-]+\.[\w-]+>$/);
    expect(header(recap!, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    // Handlebars escapes "=" in the href as &#x3D;, which every mail client decodes.
    expect(recap!.body.html!.replaceAll('&#x3D;', '=')).toMatch(/<a href="http:\/\/localhost:\d+\/v1\/unsubscribe\?token=[^"]+">Unsubscribe<\/a>/);

    // The invite parses back and its start is the agreed callback, exactly.
    const ics = recap!.attachments.find((a) => a.filename === 'invite.ics')!;
    expect(ics.contentType).toMatch(/^text\/calendar/);
    const calendar = new ICAL.Component(ICAL.parse(Buffer.from(ics.content, 'base64').toString('utf8')));
    expect(calendar.getFirstPropertyValue('method')).toBe('REQUEST');
    const event = new ICAL.Event(calendar.getFirstSubcomponent('vevent')!);
    expect(event.startDate.toJSDate().toISOString()).toBe('2026-11-25T20:00:00.000Z');
    expect(event.endDate.toJSDate().toISOString()).toBe('2026-11-25T20:30:00.000Z');
    expect(event.organizer.toLowerCase()).toBe(`mailto:${repEmail}`);
    expect(String(event.attendees[0]!.getFirstValue()).toLowerCase()).toBe(`mailto:${email}`);
    expect(event.description).toContain('Dee checks the spec with quality control');

    // The resend, ten minutes before the call, replies in the recap's thread.
    await rt.fireUntil('2026-11-25T19:50:00Z');
    const [, resend] = await rt.inbox(email);
    expect(resend!.subject).toBe(`Re: ${recap!.subject}`);
    // Under the Message-ID the local SES stamped, as the recap's Send event told it.
    expect(header(resend!, 'In-Reply-To')).toBe(`<${recap!.messageId}@${LOCAL_SES_MESSAGE_ID_DOMAIN}>`);
    expect(header(resend!, 'References')).toBe(`<${recap!.messageId}@${LOCAL_SES_MESSAGE_ID_DOMAIN}>`);
    expect(header(resend!, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    // Rep mail carries no unsubscribe: it is the rep's own tool.
    await rt.fireUntil('2026-11-25T20:00:00Z');
    const reminder = (await rt.inbox(repEmail)).find((e) => e.subject.startsWith(`Call Dee Prospect ${n} `))!;
    expect(header(reminder, 'List-Unsubscribe')).toBeUndefined();
  });

  it('leaves the recap out when the rep says so, and the resend is then a fresh message', async () => {
    rt.clock.set(START);
    const { id, email } = await newProspect();
    await rt.call('POST', `/v1/prospects/${id}/calls`, { outcome: 'callback_agreed', callbackAt: '2026-11-25T14:00', sendRecap: false, materials: [{ title: 'Spec', url: 'https://example.com/s' }] });
    await rt.fireUntil('2026-11-25T19:50:00Z');
    const [resend] = await rt.inbox(email);
    expect(resend!.subject).toBe('For our call today at 2:00 PM CST: Spec (resent)');
    expect(header(resend!, 'In-Reply-To')).toBeUndefined();
  });

  it('unsubscribes with one click: pending prospect email cancelled, the rep told, the rep’s reminder kept; twice is a no-op', async () => {
    rt.clock.set(START);
    const { id, email } = await newProspect();
    await rt.call('POST', `/v1/prospects/${id}/calls`, { outcome: 'callback_agreed', callbackAt: '2026-11-27T10:00', materials: [{ title: 'Spec', url: 'https://example.com/s' }] });
    await rt.fireNow();
    const [recap] = await rt.inbox(email);
    const url = /<([^>]+)>/.exec(header(recap!, 'List-Unsubscribe')!)![1]!;
    const repMailBefore = (await rt.inbox(repEmail)).length;

    // The page offers a button; it changes nothing by itself.
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<form method="post">');
    expect((await touchesOf(id)).filter((t) => t.status === 'scheduled').map((t) => t.kind)).toEqual(['resend_materials', 'rep_reminder']);

    // Act: the mailbox provider posts the one-click request.
    const oneClick = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    expect(oneClick.status).toBe(200);

    // Assess
    const after = await touchesOf(id);
    expect(after.find((t) => t.kind === 'resend_materials')).toMatchObject({ status: 'cancelled', reason: 'the address unsubscribed' });
    expect(after.find((t) => t.kind === 'rep_reminder')!.status).toBe('scheduled');
    await rt.fireNow();
    const notices = (await rt.inbox(repEmail)).slice(repMailBefore);
    expect(notices.map((e) => e.subject)).toEqual([`Dee Prospect ${n}: unsubscribed from email`]);
    expect((await rt.call('GET', `/v1/prospects/${id}`)).body.prospect.emailSuppressed).toMatchObject({ reason: 'unsubscribed' });

    // Twice: same answer, nothing new.
    const again = await fetch(url, { method: 'POST', headers: { accept: 'application/json' } });
    expect(await again.json()).toMatchObject({ unsubscribed: true, changed: false });
    await rt.fireNow();
    expect((await rt.inbox(repEmail)).slice(repMailBefore)).toHaveLength(1);

    // A new callback plans no prospect email to a suppressed address; the reminder still comes.
    const later = await rt.call('POST', `/v1/prospects/${id}/calls`, { outcome: 'callback_agreed', callbackAt: '2026-11-30T10:00', materials: [{ title: 'Spec', url: 'https://example.com/s' }] });
    expect(later.body.plan.map((t: { kind: string }) => t.kind)).toEqual(['rep_reminder']);
    await rt.fireUntil('2026-11-30T16:00:00Z');
    expect((await rt.inbox(repEmail)).map((e) => e.subject)).toContainEqual(expect.stringContaining(`Call Dee Prospect ${n} `));
    expect(await rt.inbox(email)).toHaveLength(1);
  });

  it('refuses forged, altered and foreign tokens with 400 and changes nothing', async () => {
    rt.clock.set(START);
    const { id, email } = await newProspect();
    await rt.call('POST', `/v1/prospects/${id}/calls`, { outcome: 'callback_agreed', callbackAt: '2026-11-27T10:00' });
    await rt.fireNow();
    const url = new URL(/<([^>]+)>/.exec(header((await rt.inbox(email))[0]!, 'List-Unsubscribe')!)![1]!);
    const token = url.searchParams.get('token')!;
    const [body, mac] = token.split('.') as [string, string];
    // Altered: the claim edited to another prospect, the signature kept.
    const otherClaim = Buffer.from(JSON.stringify(['rep-1', 'd-1', email])).toString('base64url');
    const foreign = new LinkTokens('a-different-deployment-secret-0123456789').unsubscribeToken({ repId: 'rep-1', prospectId: id, email });
    const bad = ['forged.token', `${otherClaim}.${mac}`, `${body}.${mac.slice(0, -2)}AA`, foreign, '', `${token}.x`];

    for (const t of bad) {
      const res = await fetch(`${url.origin}/v1/unsubscribe?token=${encodeURIComponent(t)}`, { method: 'POST', headers: { accept: 'application/json' } });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalid_token');
      expect((await fetch(`${url.origin}/v1/unsubscribe?token=${encodeURIComponent(t)}`)).status).toBe(400);
    }
    const bundle = (await rt.call('GET', `/v1/prospects/${id}`)).body;
    expect(bundle.prospect.emailSuppressed).toBeUndefined();
    expect((await rt.call('GET', '/v1/prospects/d-1')).body.prospect.emailSuppressed).toBeUndefined();
    expect(bundle.touches.filter((t: { status: string }) => t.status === 'cancelled')).toEqual([]);
  });

  it.each([
    ['a permanent bounce', 'Bounce', { bounce: { bounceType: 'Permanent', bounceSubType: 'General', bouncedRecipients: [{ emailAddress: '%EMAIL%' }] } }, 'bounced', 'email address bounced'],
    ['a complaint', 'Complaint', { complaint: { complainedRecipients: [{ emailAddress: '%EMAIL%' }], complaintFeedbackType: 'abuse' } }, 'complained', 'marked our email as spam'],
  ])('handles %s end to end: suppressed, prospect email cancelled, the rep told', async (_name, eventType, part, reason, noticeTitle) => {
    rt.clock.set(START);
    const { id, email } = await newProspect();
    await rt.call('POST', `/v1/prospects/${id}/calls`, { outcome: 'callback_agreed', callbackAt: '2026-11-27T10:00', materials: [{ title: 'Spec', url: 'https://example.com/s' }] });
    await rt.fireNow();
    const [recap] = await rt.inbox(email);
    const recapTouch = (await touchesOf(id)).find((t) => t.kind === 'recap')!;

    // Act: SES reports the event through EventBridge (locally: posted to the events route).
    const event = {
      source: 'aws.ses',
      'detail-type': eventType === 'Bounce' ? 'Email Bounced' : 'Email Complaint Received',
      detail: JSON.parse(JSON.stringify({ eventType, ...part, mail: { messageId: recap!.messageId, destination: [email], tags: { touch: [recapTouch.id], kind: ['recap'] } } }).replaceAll('%EMAIL%', email)),
    };
    const res = await fetch(`${rt.url}/local/ses-events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(event) });

    // Assess
    expect(await res.json()).toMatchObject({ result: 'suppressed', reason, emails: [email] });
    const after = await touchesOf(id);
    expect(after.find((t) => t.kind === 'resend_materials')!.status).toBe('cancelled');
    expect(after.find((t) => t.kind === 'rep_reminder')!.status).toBe('scheduled');
    await rt.fireNow();
    expect((await rt.inbox(repEmail)).map((e) => e.subject)).toContain(`Dee Prospect ${n}: ${noticeTitle}`);
    // The address stays suppressed for any prospect that has it.
    const twin = await rt.call('POST', '/v1/prospects', { name: 'Same Address', email, timezone: 'America/Chicago' });
    const twinPlan = await rt.call('POST', `/v1/prospects/${twin.body.id}/calls`, { outcome: 'callback_agreed', callbackAt: '2026-11-27T11:00', materials: [{ title: 'Spec', url: 'https://example.com/s' }] });
    expect(twinPlan.body.plan.map((t: { kind: string }) => t.kind)).toEqual(['rep_reminder']);
  });

  it('records a transient bounce without suppressing anything', async () => {
    rt.clock.set(START);
    const { id, email } = await newProspect();
    await rt.call('POST', `/v1/prospects/${id}/calls`, { outcome: 'callback_agreed', callbackAt: '2026-11-27T10:00' });
    await rt.fireNow();
    const recapTouch = (await touchesOf(id)).find((t) => t.kind === 'recap')!;
    const event = {
      source: 'aws.ses',
      'detail-type': 'Email Bounced',
      detail: { eventType: 'Bounce', bounce: { bounceType: 'Transient', bounceSubType: 'MailboxFull', bouncedRecipients: [{ emailAddress: email }] }, mail: { messageId: 'x', tags: { touch: [recapTouch.id] } } },
    };
    const res = await fetch(`${rt.url}/local/ses-events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(event) });
    expect(await res.json()).toMatchObject({ result: 'recorded', detail: 'Transient bounce (MailboxFull)' });
    const bundle = (await rt.call('GET', `/v1/prospects/${id}`)).body;
    expect(bundle.prospect.emailSuppressed).toBeUndefined();
    expect(bundle.touches.find((t: { kind: string }) => t.kind === 'recap').deliveries).toEqual([expect.objectContaining({ ok: false, error: 'Transient bounce (MailboxFull)' })]);
  });

  it('keeps to the budget: with four prospect emails wanted in one week, the fourth is left out and the answer says why', async () => {
    rt.clock.set(START);
    const { id, email } = await newProspect();
    const materials = [{ title: 'Spec', url: 'https://example.com/s' }];
    // Monday: recap now, resend before Tuesday's call. Tuesday: another callback, recap and resend.
    await rt.call('POST', `/v1/prospects/${id}/calls`, { outcome: 'callback_agreed', callbackAt: '2026-11-24T10:00', materials });
    await rt.fireNow();
    await rt.fireUntil('2026-11-24T15:50:00Z');
    rt.clock.set('2026-11-24T16:05:00Z');
    const second = await rt.call('POST', `/v1/prospects/${id}/calls`, { outcome: 'callback_agreed', callbackAt: '2026-11-25T10:00', materials });
    await rt.fireNow();
    await rt.fireUntil('2026-11-25T15:50:00Z');

    expect(second.body.plan.map((t: { kind: string }) => t.kind)).toEqual(['recap', 'rep_reminder']);
    expect(second.body.skipped).toEqual([
      { kind: 'resend_materials', reason: 'over_budget', message: expect.stringMatching(/^Materials not resent: Dee would get more than 3 emails from you within 7 days/) },
    ]);
    const prospectMail = (await touchesOf(id)).filter((t) => t.recipient === 'prospect');
    expect(prospectMail.map((t) => [t.kind, t.status])).toEqual([
      ['recap', 'sent'],
      ['resend_materials', 'sent'],
      ['recap', 'sent'],
    ]);
    expect(await rt.inbox(email)).toHaveLength(3);
  });

  it('never sends prospect email in their quiet hours or on their public holidays', async () => {
    // Thanksgiving, Thursday 26 November 2026: a resend due that day for a callback the next day is skipped.
    rt.clock.set(START);
    const { id } = await newProspect();
    const posted = await rt.call('POST', `/v1/prospects/${id}/calls`, { outcome: 'callback_agreed', callbackAt: '2026-11-27T09:00', sendRecap: false, materials: [{ title: 'Spec', url: 'https://example.com/s' }] });
    const resend = posted.body.plan.find((t: { kind: string }) => t.kind === 'resend_materials');
    expect(resend.dueAtLocal).toBe('2026-11-27T08:50:00-06:00');
    const touch = (await touchesOf(id)).find((t) => t.kind === 'resend_materials')!;
    // Moved by the rep onto the holiday itself, it is refused when it falls due and the reason recorded.
    const moved = await rt.call('PATCH', `/v1/touches/${touch.id}`, { dueAt: '2026-11-26T16:00:00Z' });
    expect(moved.status).toBe(200);
    rt.clock.set('2026-11-26T16:00:00Z');
    expect(await rt.handlers.fire({ v: 1, touchId: touch.id, repId: 'rep-1', prospectId: id, dueAt: moved.body.dueAt })).toMatchObject({ result: 'skipped', reason: 'a public holiday in US' });
  });
});
