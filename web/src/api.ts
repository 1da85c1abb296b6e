/**
 * The console's calls to the HTTP API: the token on every call, JSON in and out, and the API's error
 * shape turned into one error type whose message a rep can act on.
 */
import { currentToken } from './auth.js';

export interface Issue {
  path: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: Issue[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

let onUnauthorized: () => void = () => undefined;

/** What to do when the API answers 401 (the token expired): the app goes back to sign-in. */
export function whenUnauthorized(handler: () => void): void {
  onUnauthorized = handler;
}

export async function api<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  const token = currentToken();
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers: {
        accept: 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'offline', 'The server did not answer: check the connection and try again');
  }
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (res.ok) return parsed as T;
  const error = (parsed as { error?: { code?: string; message?: string; issues?: Issue[] } } | undefined)?.error;
  if (res.status === 401) onUnauthorized();
  throw new ApiError(res.status, error?.code ?? `http_${res.status}`, error?.message ?? fallbackMessage(res.status), error?.issues ?? []);
}

/**
 * What to tell a rep when the answer is not the API's own error (a gateway, a proxy, a throttle):
 * API Gateway answers {"message": ...} for these, which says nothing a rep can act on.
 */
function fallbackMessage(status: number): string {
  if (status === 401) return 'Your sign-in has expired: sign in again';
  if (status === 403) return 'This is not open to your sign-in: sign out and in again, or ask whoever runs followthrough';
  if (status === 429) return 'The server is busy: wait a few seconds and try again';
  if (status >= 500) return `The server could not answer just now (${status}): try again in a minute`;
  return `The server refused this (${status}): reload the page and try again`;
}

export const get = <T>(path: string) => api<T>('GET', path);

/** A query string from defined values. */
export function query(params: Record<string, string | number | undefined>): string {
  const entries = Object.entries(params).filter((e): e is [string, string | number] => e[1] !== undefined && e[1] !== '');
  return entries.length ? `?${new URLSearchParams(entries.map(([k, v]) => [k, String(v)])).toString()}` : '';
}

// ---- what the API answers (see shared/API.md) ----------------------------------------------

export interface Rep {
  id: string;
  name: string;
  email: string;
  phone?: string;
  timezone: string;
  reminderChannel: 'sms' | 'email';
  company?: string;
  signature?: string;
}

export interface Prospect {
  id: string;
  name: string;
  company?: string;
  email?: string;
  phone?: string;
  timezone: string;
  country?: string;
  hotButtons: string[];
  status: 'active' | 'closed' | 'exhausted';
  attempts: number;
  callbackAt?: string;
  attemptDueAt?: string;
  emailSuppressed?: { reason: 'unsubscribed' | 'bounced' | 'complained'; at: string };
  lastCallAt?: string;
  version: number;
}

export interface Call {
  id: string;
  outcome: string;
  at: string;
  callbackAt?: string;
  stallReason?: string;
  hotButtons: string[];
  discussed?: string;
  whatHappensNext?: string;
  decisionMakers: string[];
  materials: { title: string; url: string }[];
  notes?: string;
}

export interface Touch {
  id: string;
  prospectId: string;
  kind: string;
  channel: 'email' | 'sms';
  recipient?: 'prospect' | 'rep';
  status: 'scheduled' | 'sent' | 'skipped' | 'cancelled' | 'failed';
  dueAt: string;
  dueAtLocal: string;
  attempt?: number;
  template?: string;
  reason?: string;
  prospectName?: string;
}

export interface ProspectBundle {
  prospect: Prospect;
  calls: Call[];
  touches: Touch[];
}

export interface CallAnswer {
  call: Call;
  plan: Touch[];
  nextAttemptAt?: string;
  nextAttemptAtLocal?: string;
  skipped?: { kind: string; reason: string; message: string }[];
}

export interface Preview {
  subject?: string;
  text: string;
  template: string;
}

export type { PromisesReport } from '../../functions/core/reports.js';
