/**
 * A stand-in for the Cognito hosted UI as its documentation describes it, enough to drive the console's
 * authorization-code flow with PKCE in a real browser: /oauth2/authorize redirects back with a code and
 * the state; /oauth2/token trades the code for tokens only with the verifier whose S256 hash was the
 * challenge, the same client id and redirect URI; /logout redirects to the logout_uri.
 */
import { createHash, randomUUID } from 'node:crypto';
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

export class FakeCognito {
  readonly config: Extract<ConsoleConfig, { signIn: 'cognito' }>;
  /** What happened, for the test to read: "authorize", "token", "token refused: ...", "logout". */
  readonly log: string[] = [];
  private readonly grants = new Map<string, Grant>();

  constructor(
    origin: string,
    private readonly repId: string,
    private readonly sign: (sub: string) => Promise<string>,
  ) {
    this.config = { signIn: 'cognito', domain: `${origin}/cognito`, clientId: 'fake-client', redirectUri: `${origin}/app/callback` };
  }

  async handle(method: string, url: URL, contentType: string, body: string): Promise<FakeAnswer> {
    const path = url.pathname.slice('/cognito'.length);
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
    const token = await this.sign(this.repId);
    return {
      status: 200,
      headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
      body: JSON.stringify({ access_token: token, id_token: token, token_type: 'Bearer', expires_in: 3600 }),
    };
  }

  private error(status: number, error: string): FakeAnswer {
    return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error }) };
  }
}
