/**
 * The SES v2 SendEmail request, against the API reference's rules: the invite goes base64 (so text
 * in any script survives every hop), and message tags hold only the characters SES accepts.
 */
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { sendEmailRequest, SesMailer, tagValue } from '../../functions/adapters/ses-mailer.js';
import type { OutgoingEmail } from '../../functions/ports/mailer.js';

const TAG = /^[A-Za-z0-9_-]{1,256}$/;

const email = (overrides: Partial<OutgoingEmail> = {}): OutgoingEmail => ({
  from: '"Zoë Rep" <followthrough@example.com>',
  to: ['dana@example.com'],
  subject: 'Recap of our call',
  html: '<p>Hi</p>',
  text: 'Hi',
  attachments: [{ filename: 'invite.ics', contentType: 'text/calendar; charset=UTF-8; method=REQUEST', content: 'SUMMARY:Call with José Ñúñez — 停机\r\n' }],
  tags: { touch: '01KAX5Q3W8Z1F0N9D7J6H5G4B3', kind: 'rep_reminder', recipient: 'prospect' },
  ...overrides,
});

describe('sendEmailRequest', () => {
  const ses = mockClient(SESv2Client);
  afterEach(() => ses.reset());

  it('sends the invite base64-encoded, its UTF-8 bytes as they are', () => {
    const [attachment] = sendEmailRequest(email()).Content!.Simple!.Attachments!;
    expect(attachment).toMatchObject({ FileName: 'invite.ics', ContentDisposition: 'ATTACHMENT', ContentTransferEncoding: 'BASE64' });
    expect(new TextDecoder().decode(attachment!.RawContent)).toBe('SUMMARY:Call with José Ñúñez — 停机\r\n');
  });

  it('keeps tag names and values within [A-Za-z0-9_-], at most 256 characters', () => {
    const { EmailTags } = sendEmailRequest(email({ tags: { 'touch.id': 'a.b@c d/é', kind: 'rep_reminder', empty: '' } }));
    expect(EmailTags).toEqual([
      { Name: 'touch_id', Value: 'a_b_c_d__' },
      { Name: 'kind', Value: 'rep_reminder' },
      { Name: 'empty', Value: '_' },
    ]);
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 400 }), (value) => TAG.test(tagValue(value))));
  });

  it('keeps the ids it generates as they are, so a bounce finds its touch by tag', () => {
    for (const id of ['01KAX5Q3W8Z1F0N9D7J6H5G4B3', '01KAX5Q3W8Z1F0N9D7J6H5G4B3-Fte6a3k']) expect(tagValue(id)).toBe(id);
  });

  it('answers the message id SES returned', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: '0100018c-abc-000000' });
    const mailer = new SesMailer({ client: new SESv2Client({ region: 'us-east-1' }), configurationSetName: 'cs' });
    expect(await mailer.send(email())).toEqual({ messageId: '0100018c-abc-000000' });
    expect(ses.commandCalls(SendEmailCommand)[0]!.args[0].input.ConfigurationSetName).toBe('cs');
  });
});
