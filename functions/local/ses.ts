/**
 * The local SES v2 endpoint (aws-ses-v2-local): a real HTTP API the SDK talks to, with a web
 * inbox that shows every email sent, and its store readable at GET /store.
 */
import type { Server } from 'node:http';
import sesLocalModule from 'aws-ses-v2-local';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { LOCAL_CREDENTIALS, LOCAL_REGION, portInUse, PrerequisiteError } from './dynamo.js';

// The package is CommonJS with a default export.
const startSesServer = ((sesLocalModule as unknown as { default?: unknown }).default ?? sesLocalModule) as (config: {
  host?: string;
  port?: number;
}) => Promise<Server>;

export interface LocalSes {
  endpoint: string;
  stop(): Promise<void>;
}

export async function startSes(port: number): Promise<LocalSes> {
  if (await portInUse(port)) throw new PrerequisiteError(`Port ${port} for the local SES inbox is taken: stop what uses it or set SES_PORT`);
  const server = await startSesServer({ host: '127.0.0.1', port });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export function sesClient(endpoint: string): SESv2Client {
  return new SESv2Client({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
}

/** One email as the local SES store keeps it. */
export interface StoredEmail {
  messageId: string;
  from: string;
  replyTo: string[];
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { html?: string; text?: string };
  attachments: { content: string; contentType: string; filename?: string; size: number }[];
  headers?: { name: string; value: string }[];
  at: number;
}

export async function readInbox(endpoint: string): Promise<StoredEmail[]> {
  const res = await fetch(`${endpoint}/store`);
  if (!res.ok) throw new Error(`local SES store answered ${res.status}`);
  return ((await res.json()) as { emails: StoredEmail[] }).emails;
}
