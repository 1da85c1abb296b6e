/**
 * Reminders at the minute, by SMS or email, on the local runtime: the SMS outbox, the signed
 * sheet link, the fallback to email, previews, and scripts that differ by hot button and stall.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PinpointSMSVoiceV2Client, PutOptedOutNumberCommand } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smsSegments } from '../../functions/core/sms-text.js';
import { LocalSmsService, type OutboxMessage } from '../../functions/local/aws/sms-service.js';
import { FakeClock } from '../support/clock.js';
import { testRuntime, uniqueEmail, type TestRuntime } from '../support/runtime.js';

// Monday 23 November 2026, 10:00 in New York.
const START = '2026-11-23T15:00:00Z';

describe('reminders by SMS and email', () => {
  let rt: TestRuntime;
  const dataDir = mkdtempSync(join(tmpdir(), 'followthrough-reminders-'));
  const smsRepEmail = uniqueEmail('sam');
  const emailRepEmail = uniqueEmail('eve');

  beforeAll(async () => {
    rt = await testRuntime({ start: START, dataDir });
    await rt.call('PUT', '/v1/reps/me', { name: 'Sam Rep', email: smsRepEmail, phone: '+15551230000', timezone: 'America/New_York', reminderChannel: 'sms', company: 'Brightline' }, { repId: 'sam' });
    await rt.call('PUT', '/v1/reps/me', { name: 'Eve Rep', email: emailRepEmail, phone: '+15551239999', timezone: 'America/New_York', reminderChannel: 'email' }, { repId: 'eve' });
  });

  afterAll(async () => {
    await rt?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('texts an SMS rep a short reminder with a signed link that opens the full sheet without a login', async () => {
    rt.clock.set(START);
    await rt.call('POST', '/v1/prospects', { id: 'dana', name: 'Dana Buyer', company: 'Acme Plant', email: uniqueEmail('dana'), phone: '+15557654321', timezone: 'America/Chicago', country: 'US', hotButtons: ['uptime'] }, { repId: 'sam' });
    const posted = await rt.call('POST', '/v1/prospects/dana/calls', {
      outcome: 'stalled',
      stallReason: 'needs_review',
      callbackAt: '2026-11-25T15:00:00-06:00',
      discussed: 'Line 3 stops twice a week',
      whatHappensNext: 'Dana reviews the quote',
      sendRecap: false,
    }, { repId: 'sam' });
    expect(posted.body.plan).toEqual([expect.objectContaining({ kind: 'rep_reminder', channel: 'sms' })]);

    await rt.fireUntil('2026-11-25T21:00:00Z');

    // Assess: the outbox, newest first, as JSON and as a page.
    const res = await fetch(`${rt.url}/local/sms`);
    const { messages } = (await res.json()) as { messages: OutboxMessage[] };
    const [sms] = messages;
    expect(sms!.to).toBe('+15551230000');
    expect(sms!.body).toContain('Dana Buyer');
    expect(sms!.body).toContain('+15557654321');
    const size = smsSegments(sms!.body);
    expect(size.encoding).toBe('GSM-7');
    expect(size.segments).toBeLessThanOrEqual(2);
    const page = await fetch(`${rt.url}/local/sms`, { headers: { accept: 'text/html' } });
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(await page.text()).toContain('SMS outbox (');
    expect(await rt.inbox(smsRepEmail)).toHaveLength(0);

    // The touch names the script in the sheet behind the link, and its variant.
    const touch = (await rt.call('GET', '/v1/prospects/dana', undefined, { repId: 'sam' })).body.touches[0];
    expect(touch.scriptVariant).toMatch(/^hot\.uptime\.[ab]$/);
    expect(touch).toMatchObject({
      status: 'sent',
      channel: 'sms',
      template: `sms/rep_reminder + voicemail/parts[opening.as_promised,stall.needs_review,${touch.scriptVariant},question.needs_review,number,promise]`,
      messageId: sms!.messageId,
    });

    // The link opens the sheet with no token; the script is the one for this stall and hot button.
    const link = /(http:\/\/localhost:\d+\/v1\/sheets\/\S+)/.exec(sms!.body)![1]!;
    const sheet = await fetch(link);
    expect(sheet.status).toBe(200);
    const sheetHtml = await sheet.text();
    // The reminder email's own document, as it is: one <html>, its viewport, no page around it.
    expect(sheetHtml.startsWith('<!doctype html>')).toBe(true);
    expect(sheetHtml.match(/<html/g)).toHaveLength(1);
    expect(sheetHtml).toContain('<meta name="viewport" content="width=device-width,initial-scale=1">');
    expect(sheetHtml).toContain('Line 3 stops twice a week');
    expect(sheetHtml).toContain('href="tel:+15557654321"');
    expect(sheetHtml).toContain('Dana reviews the quote');

    // An altered link is refused as not valid; one past its week as gone (410).
    expect((await fetch(`${link}x`)).status).toBe(400);
    rt.clock.set('2026-12-03T21:00:00Z');
    expect((await fetch(link)).status).toBe(410);

    // .data/ keeps the outbox across restarts.
    const reopened = new LocalSmsService({ clock: new FakeClock(START), region: 'us-east-1', accountId: '000000000000', dataDir });
    expect(reopened.messages()[0]!.messageId).toBe(sms!.messageId);
  });

  it('emails an email rep the call-prep sheet', async () => {
    rt.clock.set(START);
    await rt.call('POST', '/v1/prospects', { id: 'lee', name: 'Lee Owner', email: uniqueEmail('lee'), phone: '+15557650000', timezone: 'America/New_York', hotButtons: ['cost_savings'] }, { repId: 'eve' });
    await rt.call('POST', '/v1/prospects/lee/calls', { outcome: 'callback_agreed', callbackAt: '2026-11-24T11:00', discussed: 'Energy bills', sendRecap: false }, { repId: 'eve' });
    await rt.fireUntil('2026-11-24T16:00:00Z');
    const [sheet] = await rt.inbox(emailRepEmail);
    expect(sheet!.subject).toContain('Call Lee Owner');
    expect(sheet!.body.text).toContain('What was discussed: Energy bills');
    expect(sheet!.body.html).toContain('href="tel:+15557650000"');
  });

  it('follows the rep’s channel as it is when the reminder fires', async () => {
    rt.clock.set(START);
    const repEmail = uniqueEmail('max');
    await rt.call('PUT', '/v1/reps/me', { name: 'Max Rep', email: repEmail, phone: '+15551238888', timezone: 'America/New_York', reminderChannel: 'sms' }, { repId: 'max' });
    await rt.call('POST', '/v1/prospects', { id: 'sw', name: 'Switch Prospect', timezone: 'America/New_York' }, { repId: 'max' });
    await rt.call('POST', '/v1/prospects/sw/calls', { outcome: 'callback_agreed', callbackAt: '2026-11-24T11:00' }, { repId: 'max' });
    await rt.call('PUT', '/v1/reps/me', { name: 'Max Rep', email: repEmail, phone: '+15551238888', timezone: 'America/New_York', reminderChannel: 'email' }, { repId: 'max' });
    const smsBefore = rt.aws.sms.messages().length;

    await rt.fireUntil('2026-11-24T16:00:00Z');

    expect((await rt.inbox(repEmail)).map((e) => e.subject)).toEqual([expect.stringContaining('Call Switch Prospect')]);
    expect(rt.aws.sms.messages()).toHaveLength(smsBefore);
  });

  it('falls back to email when the SMS cannot be sent, and the touch records both attempts', async () => {
    rt.clock.set(START);
    const repEmail = uniqueEmail('fay');
    // A rep whose number is on the opt-out list: SMS refuses it the way the service does.
    const sms = new PinpointSMSVoiceV2Client({ endpoint: rt.aws.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    await sms.send(new PutOptedOutNumberCommand({ OptOutListName: 'Default', OptedOutNumber: '+15551230077' }));
    sms.destroy();
    await rt.call('PUT', '/v1/reps/me', { name: 'Fay Rep', email: repEmail, phone: '+15551230077', timezone: 'America/New_York', reminderChannel: 'sms' }, { repId: 'fay' });
    await rt.call('POST', '/v1/prospects', { id: 'p', name: 'Pat', timezone: 'America/New_York' }, { repId: 'fay' });
    await rt.call('POST', '/v1/prospects/p/calls', { outcome: 'callback_agreed', callbackAt: '2026-11-24T11:00' }, { repId: 'fay' });

    await rt.fireUntil('2026-11-24T16:00:00Z');

    const [email] = await rt.inbox(repEmail);
    expect(email!.subject).toContain('Call Pat');
    const touch = (await rt.call('GET', '/v1/prospects/p', undefined, { repId: 'fay' })).body.touches[0];
    expect(touch).toMatchObject({ status: 'sent', channel: 'sms', messageId: email!.messageId });
    expect(touch.deliveries).toEqual([
      { at: '2026-11-24T16:00:00Z', channel: 'sms', ok: false, error: 'ConflictException: The destination phone number +15551230077 is opted out.' },
      { at: '2026-11-24T16:00:00Z', channel: 'email', ok: true, messageId: email!.messageId },
    ]);
  });

  it('previews every kind with its template, and the voicemail differs by hot button and stall reason', async () => {
    rt.clock.set(START);
    const scripts: Record<string, string> = {};
    const variants: Record<string, string> = {};
    for (const [id, hotButtons, outcome] of [
      ['a', ['cost_savings'], { outcome: 'callback_agreed', callbackAt: '2026-11-30T10:00' }],
      ['b', ['uptime'], { outcome: 'callback_agreed', callbackAt: '2026-11-30T10:00' }],
      ['c', ['cost_savings'], { outcome: 'stalled', stallReason: 'price', callbackAt: '2026-11-30T10:00' }],
      ['d', ['unknown_thing'], { outcome: 'stalled', stallReason: 'decision_maker', callbackAt: '2026-11-30T10:00' }],
    ] as const) {
      await rt.call('POST', '/v1/prospects', { id, name: `Pro ${id}`, email: uniqueEmail(id), timezone: 'America/New_York', hotButtons }, { repId: 'eve' });
      await rt.call('POST', `/v1/prospects/${id}/calls`, { ...outcome, sendRecap: false }, { repId: 'eve' });
      const vm = await rt.call('GET', `/v1/prospects/${id}/preview?kind=voicemail`, undefined, { repId: 'eve' });
      expect(vm.status).toBe(200);
      scripts[vm.body.template] = vm.body.text;
      // The preview speaks the variant the pending reminder chose.
      const reminder = (await rt.call('GET', `/v1/prospects/${id}`, undefined, { repId: 'eve' })).body.touches.find((t: { kind: string }) => t.kind === 'rep_reminder');
      expect(vm.body.variant ?? undefined).toBe(reminder.scriptVariant);
      variants[id] = reminder.scriptVariant;
    }
    expect(variants).toEqual({ a: expect.stringMatching(/^hot\.cost_savings\.[ab]$/), b: expect.stringMatching(/^hot\.uptime\.[ab]$/), c: 'pair.price+cost_savings.a' });
    expect(Object.keys(scripts)).toEqual([
      `voicemail/parts[opening.as_promised,${variants.a},question.cost_savings,number,promise]`,
      `voicemail/parts[opening.as_promised,${variants.b},question.uptime,number,promise]`,
      // The hand-written pair script wins for price + cost savings.
      'voicemail/price+cost_savings[opening.as_promised,number,promise]',
      // A hot button with no words of its own: the stall speaks, and the catch-all hot-button line names it.
      'voicemail/parts[opening.as_promised,stall.decision_maker,hot.unknown_thing,question.decision_maker,number,promise]',
    ]);
    expect(new Set(Object.values(scripts)).size).toBe(4);

    for (const kind of ['rep_reminder', 'resend_materials', 'recap', 'final_email', 'rep_notice', 'voicemail_email']) {
      const res = await rt.call('GET', `/v1/prospects/a/preview?kind=${kind}`, undefined, { repId: 'eve' });
      expect(res.status).toBe(200);
      expect(res.body.template).toMatch(new RegExp(`^email/${kind}`));
      expect(res.body.subject.length).toBeGreaterThan(0);
      expect(res.body.text.length).toBeGreaterThan(0);
    }
    const sms = await rt.call('GET', '/v1/prospects/a/preview?kind=sms', undefined, { repId: 'eve' });
    expect(sms.body).toMatchObject({ template: 'sms/rep_reminder', encoding: 'GSM-7' });
    expect((await rt.call('GET', '/v1/prospects/a/preview?kind=fax', undefined, { repId: 'eve' })).status).toBe(400);
    expect((await rt.call('GET', '/v1/prospects/a/preview?kind=sms', undefined, { repId: 'sam' })).status).toBe(404);
  });
});
