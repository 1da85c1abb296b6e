/**
 * A stand-in for the Cognito hosted UI as its documentation describes it, enough to drive the console's
 * authorization-code flow with PKCE in a real browser: /oauth2/authorize redirects back with a code and
 * the state; /oauth2/token trades the code for tokens only with the verifier whose S256 hash was the
 * challenge, the same client id and redirect URI (and answers the page's cross-origin fetch with CORS, as
 * Cognito's token endpoint does); /logout redirects to the logout_uri. It runs on its own origin, as the
 * hosted UI does: the local runtime's console is pointed at it through COGNITO_DOMAIN_URL.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ConsoleConfig } from '../../functions/http/console-config.js';

interface Grant {
  challenge: string;
  clientId: string;
  redirectUri: string;
}

export interface FakeAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export const FAKE_CLIENT_ID = 'fake-client';

/** Starts the hosted UI on a free loopback port; `bind` tells it the console's origin and how to sign. */
export async function startFakeCognito(repId: string): Promise<{ url: string; cognito: FakeCognito; stop(): Promise<void> }> {
  const cognito = new FakeCognito(repId);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      void cognito.handle(req.method ?? 'GET', url, req.headers['content-type'] ?? '', Buffer.concat(chunks).toString('utf8')).then((answer) => {
        res.writeHead(answer.status, answer.headers);
        res.end(answer.body);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://localhost:${(server.address() as AddressInfo).port}`,
    cognito,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export class FakeCognito {
  /** What happened, for the test to read: "authorize", "token", "token refused: ...", "logout". */
  readonly log: string[] = [];
  private readonly grants = new Map<string, Grant>();
  private console?: { redirectUri: string; origin: string; sign: (sub: string) => Promise<string> };

  constructor(private readonly repId: string) {}

  /** The console it signs in for (its origin, whose /app/callback is the one allowed callback) and the signer of its tokens. */
  bind(consoleOrigin: string, sign: (sub: string) => Promise<string>): void {
    this.console = { redirectUri: `${consoleOrigin}/app/callback`, origin: consoleOrigin, sign };
  }

  private get config(): Pick<Extract<ConsoleConfig, { signIn: 'cognito' }>, 'clientId' | 'redirectUri'> {
    if (!this.console) throw new Error('FakeCognito: bind() it to the console first');
    return { clientId: FAKE_CLIENT_ID, redirectUri: this.console.redirectUri };
  }

  async handle(method: string, url: URL, contentType: string, body: string): Promise<FakeAnswer> {
    const path = url.pathname;
    if (method === 'GET' && path === '/oauth2/authorize') return this.authorize(url.searchParams);
    if (method === 'POST' && path === '/oauth2/token') return this.token(contentType, new URLSearchParams(body));
    if (method === 'GET' && path === '/logout') {
      this.log.push('logout');
      const target = url.searchParams.get('logout_uri');
      if (url.searchParams.get('client_id') !== this.config.clientId || !target) return this.error(400, 'invalid_request');
      return { status: 302, headers: { location: target }, body: '' };
    }
    return this.error(404, 'not_found');
  }

  private authorize(q: URLSearchParams): FakeAnswer {
    const redirectUri = q.get('redirect_uri') ?? '';
    if (
      q.get('response_type') !== 'code' ||
      q.get('client_id') !== this.config.clientId ||
      redirectUri !== this.config.redirectUri ||
      q.get('code_challenge_method') !== 'S256' ||
      !/^[A-Za-z0-9_-]{43}$/.test(q.get('code_challenge') ?? '') ||
      !q.get('state')
    ) {
      this.log.push(`authorize refused: ${q.toString()}`);
      return this.error(400, 'invalid_request');
    }
    this.log.push('authorize');
    const code = randomUUID();
    this.grants.set(code, { challenge: q.get('code_challenge')!, clientId: q.get('client_id')!, redirectUri });
    const back = new URL(redirectUri);
    back.search = new URLSearchParams({ code, state: q.get('state')! }).toString();
    return { status: 302, headers: { location: back.toString() }, body: '' };
  }

  private async token(contentType: string, form: URLSearchParams): Promise<FakeAnswer> {
    const grant = this.grants.get(form.get('code') ?? '');
    const verifier = form.get('code_verifier') ?? '';
    const hashed = createHash('sha256').update(verifier).digest('base64url');
    const problem = !contentType.startsWith('application/x-www-form-urlencoded')
      ? 'content type'
      : form.get('grant_type') !== 'authorization_code'
        ? 'grant type'
        : !grant
          ? 'unknown code'
          : grant.clientId !== form.get('client_id') || grant.redirectUri !== form.get('redirect_uri')
            ? 'client or redirect'
            : hashed !== grant.challenge
              ? 'verifier'
              : undefined;
    if (problem) {
      this.log.push(`token refused: ${problem}`);
      return this.error(400, 'invalid_grant');
    }
    this.grants.delete(form.get('code')!);
    this.log.push('token');
    const token = await this.console!.sign(this.repId);
    return {
      status: 200,
      headers: { 'content-type': 'application/json', 'cache-control': 'no-store', 'access-control-allow-origin': this.console!.origin },
      body: JSON.stringify({ access_token: token, id_token: token, token_type: 'Bearer', expires_in: 3600 }),
    };
  }

  private error(status: number, error: string): FakeAnswer {
    const cors: Record<string, string> = this.console ? { 'access-control-allow-origin': this.console.origin } : {};
    return { status, headers: { 'content-type': 'application/json', ...cors }, body: JSON.stringify({ error }) };
  }
}
