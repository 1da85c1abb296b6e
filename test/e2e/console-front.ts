/**
 * A test-only front door for the browser tests, until /app is wired into the local runtime: it serves
 * the console through consoleResponse, issues local tokens at POST /local/token, and proxies /v1 to a
 * real local runtime on DynamoDB Local. Two routes the runtime does not have yet are stood in for:
 * GET /v1/prospects?q= (search) and GET /v1/reports/promises, which reads the prospects this front saw
 * created straight from the store and computes the figures with the real functions/core/reports.ts.
 * Only the store query "every prospect of a rep" is faked (the ids seen here instead).
 * With `useCognito()` it also plays the Cognito hosted UI under /cognito (see fake-cognito.ts).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { DynamoStore } from '../../functions/adapters/dynamo-store.js';
import { promisesReport } from '../../functions/core/reports.js';
import type { Call, Touch } from '../../functions/core/schemas.js';
import { consoleResponse } from '../../functions/http/console.js';
import { startLocalRuntime, type LocalRuntime } from '../../functions/local/runtime.js';
import { FakeClock } from '../support/clock.js';
import { FakeCognito } from './fake-cognito.js';

export interface ConsoleFront {
  url: string;
  runtime: LocalRuntime;
  clock: FakeClock;
  /** From now on /app/config.json says Cognito, and /cognito plays its hosted UI for `repId`. */
  useCognito(repId: string): FakeCognito;
  /** Calls the API as `repId`, as the console would. */
  call(method: string, path: string, body?: unknown, repId?: string): Promise<{ status: number; body: any }>;
  stop(): Promise<void>;
}

export async function startConsoleFront(options: { start: string }): Promise<ConsoleFront> {
  const clock = new FakeClock(options.start);
  const tableName = `t-${randomUUID()}`;
  const runtime = await startLocalRuntime({
    dynamoEndpoint: inject('dynamoEndpoint'),
    sesEndpoint: inject('sesEndpoint'),
    tableName,
    keyFile: join(tmpdir(), `followthrough-e2e-key-${process.pid}.json`),
    apiPort: 0,
    senderEmail: 'followthrough@example.com',
    clock,
  });
  const store = new DynamoStore({ client: runtime.dynamo, tableName });
  const prospectsOf = new Map<string, Set<string>>();
  let cognito: FakeCognito | undefined;

  async function repOf(req: IncomingMessage): Promise<string | undefined> {
    const token = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const claims = token ? await runtime.tokens.verify(token) : undefined;
    return claims?.sub;
  }

  async function bundles(repId: string) {
    const ids = [...(prospectsOf.get(repId) ?? [])];
    return (await Promise.all(ids.map((id) => store.getProspectBundle(repId, id)))).filter((b) => b !== undefined);
  }

  async function handle(req: IncomingMessage, res: ServerResponse, body: Buffer) {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method ?? 'GET';
    if (cognito && url.pathname.startsWith('/cognito/')) {
      const answer = await cognito.handle(method, url, req.headers['content-type'] ?? '', body.toString('utf8'));
      return send(res, answer.status, answer.headers, answer.body);
    }
    const config = cognito?.config ?? { signIn: 'local' as const };
    const page = method === 'GET' ? consoleResponse(url.pathname, config, { acceptEncoding: req.headers['accept-encoding'] }) : undefined;
    if (page) return send(res, page.statusCode, page.headers, page.isBase64Encoded ? Buffer.from(page.body, 'base64') : page.body);

    if (method === 'POST' && url.pathname === '/local/token') {
      const repId = (JSON.parse(body.toString('utf8') || '{}') as { repId?: string }).repId ?? '';
      if (!/^[A-Za-z0-9_.@-]{1,128}$/.test(repId)) return json(res, 400, { error: { code: 'invalid_request', message: 'Give a rep id: letters, digits, . _ @ -' } });
      return json(res, 200, { token: await runtime.tokens.sign(repId) });
    }

    const repId = url.pathname.startsWith('/v1/') ? await repOf(req) : undefined;
    if (method === 'GET' && url.pathname === '/v1/prospects' && repId) {
      const q = (url.searchParams.get('q') ?? '').toLowerCase();
      const prospects = (await bundles(repId))
        .map((b) => b.prospect)
        .filter((p) => !q || p.name.toLowerCase().includes(q) || (p.company ?? '').toLowerCase().includes(q))
        .sort((a, b) => a.name.localeCompare(b.name))
        .slice(0, 50);
      return json(res, 200, { prospects });
    }
    if (method === 'GET' && url.pathname === '/v1/reports/promises' && repId) {
      const all = await bundles(repId);
      const calls: Call[] = all.flatMap((b) => b.calls);
      const touches: Touch[] = all.flatMap((b) => b.touches);
      const zones = Object.fromEntries(all.map((b) => [b.prospect.id, b.prospect.timezone]));
      const windowMinutes = url.searchParams.has('windowMinutes') ? Number(url.searchParams.get('windowMinutes')) : undefined;
      return json(res, 200, promisesReport({ calls, touches, zones }, { from: url.searchParams.get('from')!, to: url.searchParams.get('to')!, windowMinutes }));
    }

    // Everything else is the runtime's.
    const upstream = await fetch(`${runtime.url}${url.pathname}${url.search}`, {
      method,
      headers: Object.fromEntries(
        Object.entries(req.headers).filter((e): e is [string, string] => typeof e[1] === 'string' && !['host', 'connection', 'content-length', 'accept-encoding'].includes(e[0])),
      ),
      body: body.length ? body : undefined,
    });
    const text = await upstream.text();
    if (method === 'POST' && url.pathname === '/v1/prospects' && upstream.status === 201 && repId) {
      const id = (JSON.parse(text) as { id: string }).id;
      prospectsOf.set(repId, (prospectsOf.get(repId) ?? new Set()).add(id));
    }
    const headers: Record<string, string> = {};
    upstream.headers.forEach((value, key) => {
      if (!['content-length', 'content-encoding', 'transfer-encoding', 'connection'].includes(key)) headers[key] = value;
    });
    send(res, upstream.status, headers, text);
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      handle(req, res, Buffer.concat(chunks)).catch((error: unknown) => {
        if (!res.headersSent) json(res, 500, { error: { code: 'front_error', message: String(error) } });
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://localhost:${(server.address() as AddressInfo).port}`;

  return {
    url,
    runtime,
    clock,
    useCognito(repId) {
      cognito = new FakeCognito(url, repId, (sub) => runtime.tokens.sign(sub));
      return cognito;
    },
    async call(method, path, body, repId = 'rep-1') {
      const token = await runtime.tokens.sign(repId);
      const res = await fetch(`${url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await runtime.stop();
    },
  };
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: string | Buffer) {
  res.writeHead(status, headers);
  res.end(body);
}

function json(res: ServerResponse, status: number, body: unknown) {
  send(res, status, { 'content-type': 'application/json; charset=utf-8' }, JSON.stringify(body));
}
