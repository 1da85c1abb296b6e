/**
 * The local SMS outbox: what the local runtime "sends" by SMS lands here, kept under .data/ so
 * a restart loses nothing, and GET /local/sms shows it (JSON, or a page for a browser).
 */
import { randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { HttpResult } from '../app/http.js';
import { smsSegments } from '../core/sms-text.js';
import type { Clock, OutgoingSms, SmsSender } from '../ports.js';

export interface OutboxMessage {
  messageId: string;
  to: string;
  body: string;
  sentAt: string;
  encoding: string;
  segments: number;
  context?: Record<string, string>;
}

export class LocalSmsOutbox implements SmsSender {
  private readonly messages: OutboxMessage[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly file?: string,
  ) {
    if (file && existsSync(file)) {
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        if (!line.trim()) continue;
        try {
          this.messages.push(JSON.parse(line) as OutboxMessage);
        } catch {
          // A line cut short by a crash: skip it.
        }
      }
    }
  }

  async send(sms: OutgoingSms): Promise<{ messageId: string }> {
    if (!/^\+[1-9]\d{6,14}$/.test(sms.to)) {
      throw Object.assign(new Error(`${sms.to} is not an E.164 phone number`), { name: 'ValidationException' });
    }
    const { encoding, segments } = smsSegments(sms.body);
    const message: OutboxMessage = {
      messageId: `local-sms-${randomUUID()}`,
      to: sms.to,
      body: sms.body,
      sentAt: this.clock.now().toISOString(),
      encoding,
      segments,
      ...(sms.context ? { context: sms.context } : {}),
    };
    this.messages.push(message);
    if (this.file) {
      mkdirSync(dirname(this.file), { recursive: true });
      appendFileSync(this.file, JSON.stringify(message) + '\n');
    }
    return { messageId: message.messageId };
  }

  /** Newest first. */
  list(): OutboxMessage[] {
    return [...this.messages].reverse();
  }

  /** GET /local/sms: JSON for programs, a page for a browser. */
  respond(accept: string | undefined): HttpResult {
    const messages = this.list();
    if (!/text\/html/.test(accept ?? '')) {
      return { statusCode: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify({ messages }) };
    }
    const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
    const linkify = (s: string) => esc(s).replace(/(https?:\/\/[^\s<]+)/g, '<a href="$1">$1</a>');
    const rows = messages
      .map(
        (m) => `<li style="margin:0 0 1rem;padding:.75rem 1rem;background:#f3f6fb;border-radius:12px;list-style:none">
<div style="color:#666;font-size:12px">${esc(m.sentAt)} &middot; to ${esc(m.to)} &middot; ${m.segments} ${esc(m.encoding)} segment${m.segments === 1 ? '' : 's'}</div>
<div style="white-space:pre-wrap;margin-top:.25rem">${linkify(m.body)}</div></li>`,
      )
      .join('\n');
    const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="10"><title>SMS outbox</title></head>
<body style="font-family:Arial,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#222"><h1 style="font-size:1.3rem">SMS outbox (${messages.length})</h1>
<ul style="padding:0">${rows || '<li style="list-style:none;color:#666">No SMS yet. Reps with reminderChannel "sms" get their reminders here.</li>'}</ul></body></html>`;
    return { statusCode: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body };
  }
}
