/**
 * The local SES front's journal of sends: a kill between the inbox taking a message and its Send
 * event being published leaves the send open, and the next start publishes that event.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { SendEmailBody, SesEventEnvelope } from '../../functions/local/aws/ses-front.js';
import type { StoredEmail } from '../../functions/local/ses.js';
import { SesSends } from '../../functions/local/ses-sends.js';

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** An inbox answering GET /store as aws-ses-v2-local does. */
async function inbox(emails: StoredEmail[]): Promise<string> {
  server = createServer((_req, res) => res.end(JSON.stringify({ emails })));
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const request = (to: string, subject: string): SendEmailBody => ({
  ConfigurationSetName: 'followthrough',
  Destination: { ToAddresses: [to] },
  Content: { Simple: { Subject: { Data: subject }, Body: { Text: { Data: `Hello ${to}` } } } },
  EmailTags: [{ Name: 'touch', Value: `t-${to}` }],
});

const stored = (to: string, subject: string, messageId: string, at: number): StoredEmail => ({
  messageId,
  from: 'followthrough@example.com',
  replyTo: [],
  destination: { to: [to], cc: [], bcc: [] },
  subject,
  body: { text: `Hello ${to}` },
  attachments: [],
  at,
});

describe('SesSends', () => {
  it('publishes the Send event of an open send the inbox took, and closes the rest without one', async () => {
    const sends = new SesSends();
    const now = Date.now();
    sends.hooks.begin(request('a@example.com', 'Recap'));
    sends.hooks.begin(request('b@example.com', 'Recap'));
    const settled = sends.hooks.begin(request('c@example.com', 'Recap'));
    sends.hooks.end(settled);
    // The inbox took a's message (and an older one to b, from before this send); b's never reached it.
    const endpoint = await inbox([stored('b@example.com', 'Recap', 'old-b', Math.floor(now / 1000) - 60), stored('a@example.com', 'Recap', 'mail-a', Math.floor(now / 1000))]);

    const published: SesEventEnvelope[] = [];
    const found = await sends.recover(endpoint, (req, messageId) => ({ 'detail-type': 'Email Sent', detail: { to: req.Destination?.ToAddresses, messageId } }) as unknown as SesEventEnvelope, async (e) => {
      published.push(e);
    });

    expect(found).toBe(1);
    expect(published.map((e) => e.detail)).toEqual([{ to: ['a@example.com'], messageId: 'mail-a' }]);
    expect(sends.journal.waiting()).toEqual([]);
  });

  it('reads no inbox when nothing is open', async () => {
    const sends = new SesSends();
    sends.hooks.end(sends.hooks.begin(request('a@example.com', 'Recap')));
    expect(await sends.recover('http://127.0.0.1:1', () => { throw new Error('no event expected'); }, async () => {})).toBe(0);
  });
});
