/**
 * The local SES front passes SES's answers on as SES gives them: an error keeps its type
 * (x-amzn-errortype), so the SDK raises the modeled exception and a permanent refusal is told from
 * an outage. An outside run found every refusal arriving as "Unknown" and retried like an outage.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MessageRejected, SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SesMailer } from '../../functions/adapters/ses-mailer.js';
import { startLocalAws, type LocalAws } from '../../functions/local/aws/server.js';
import { MailRejectedError } from '../../functions/ports/mailer.js';
import { FakeClock } from '../support/clock.js';

const REFUSAL = 'Email address is not verified. The following identities failed the check in region US-EAST-1: dana@acme.example';

describe('the local SES front, on the wire', () => {
  let upstream: Server;
  let aws: LocalAws;
  let client: SESv2Client;

  beforeEach(async () => {
    // An SES that refuses every send, as it does an unverified recipient in the sandbox.
    upstream = createServer((_req, res) => {
      res.writeHead(400, { 'content-type': 'application/json', 'x-amzn-errortype': 'MessageRejected:http://internal.amazon.com/coral/com.amazonaws.sesv2/', 'x-amzn-requestid': 'req-1' });
      res.end(JSON.stringify({ message: REFUSAL }));
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const { port } = upstream.address() as AddressInfo;
    aws = await startLocalAws({
      port: 0,
      clock: new FakeClock('2026-03-10T14:00:00Z'),
      invoke: async () => {},
      secrets: {},
      scheduleGroups: [],
      accountId: '000000000000',
      region: 'us-east-1',
      ses: { upstream: `http://127.0.0.1:${port}`, messageIdDomain: 'email.example', publish: () => {} },
    });
    client = new SESv2Client({ endpoint: aws.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
  });

  afterEach(async () => {
    client.destroy();
    await aws.close();
    await new Promise((resolve) => upstream.close(resolve));
  });

  it('passes an error on with its type, so the SDK raises the modeled exception', async () => {
    // Act
    const sent = client.send(new SendEmailCommand({ FromEmailAddress: 'a@example.com', Destination: { ToAddresses: ['dana@acme.example'] }, Content: { Simple: { Subject: { Data: 's' }, Body: { Text: { Data: 't' } } } } }));

    // Assess
    await expect(sent).rejects.toBeInstanceOf(MessageRejected);
    await expect(sent).rejects.toMatchObject({ message: REFUSAL, $metadata: { httpStatusCode: 400, requestId: 'req-1' } });
  });

  it('is what SesMailer turns into a refusal for good, in SES’s words', async () => {
    // Act
    const sent = new SesMailer({ client }).send({ from: 'a@example.com', to: ['dana@acme.example'], subject: 's', html: '<p>t</p>', text: 't' });

    // Assess
    await expect(sent).rejects.toBeInstanceOf(MailRejectedError);
    await expect(sent).rejects.toThrow(`the mail service refused it (MessageRejected: ${REFUSAL})`);
  });
});
