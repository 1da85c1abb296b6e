/**
 * The small interfaces between the application and the outside world. The core and the
 * use cases depend only on these; AWS adapters and the local runtime implement them.
 */
import type { FirePayload } from './core/schemas.js';

/** Where "now" comes from. Injected so tests and benchmarks never sleep. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** One one-time schedule: fire `payload` at `at` (an instant; adapters render it in UTC). */
export interface ScheduleRequest {
  /** Unique, 1-64 chars of [0-9A-Za-z-_.]; derived from the touch id. */
  name: string;
  at: Date;
  payload: FirePayload;
}

/** Stands for EventBridge Scheduler: one-time schedules that invoke the fire handler. */
export interface TouchScheduler {
  create(request: ScheduleRequest): Promise<void>;
  /** Deletes a schedule; a schedule that is already gone is not an error. */
  delete(name: string): Promise<void>;
}

export interface EmailHeader {
  name: string;
  value: string;
}

export interface EmailAttachment {
  filename: string;
  contentType: string;
  /** Raw bytes (or UTF-8 text) of the attachment. */
  content: Uint8Array | string;
  disposition?: 'attachment' | 'inline';
}

export interface OutgoingEmail {
  from: string;
  to: string[];
  replyTo?: string[];
  subject: string;
  html: string;
  text: string;
  headers?: EmailHeader[];
  attachments?: EmailAttachment[];
  /** Tags carried to SES events (touch id, prospect) so bounces can be traced back. */
  tags?: Record<string, string>;
}

/** Stands for SES v2 SendEmail. */
export interface Mailer {
  send(email: OutgoingEmail): Promise<{ messageId: string }>;
}

export interface OutgoingSms {
  /** E.164. */
  to: string;
  body: string;
  /** Carried to delivery events (touch id), at most five short pairs. */
  context?: Record<string, string>;
}

/** Stands for AWS End User Messaging SMS SendTextMessage. */
export interface SmsSender {
  send(sms: OutgoingSms): Promise<{ messageId: string }>;
}
