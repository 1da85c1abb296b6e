/**
 * Signing in and out. The token lives in this tab's sessionStorage (gone when the tab closes, never in a
 * URL after sign-in). Locally a rep id is enough (POST /local/token); on AWS the Cognito hosted UI with
 * the authorization-code flow and PKCE (S256), the code exchanged at /oauth2/token by this page.
 */
import type { ConsoleConfig } from '../../functions/http/console-config.js';

const TOKEN_KEY = 'followthrough.token';
const PKCE_KEY = 'followthrough.pkce';

export async function loadConfig(): Promise<ConsoleConfig> {
  const res = await fetch('/app/config.json', { headers: { accept: 'application/json' } });
  if (!res.ok) {
    // The server says why when it can (a deployment with no console sign-in).
    const body = (await res.json().catch(() => undefined)) as { error?: { message?: string } } | undefined;
    throw new Error(body?.error?.message ?? `The console's settings did not load (${res.status})`);
  }
  return (await res.json()) as ConsoleConfig;
}

export function currentToken(): string | undefined {
  const token = sessionStorage.getItem(TOKEN_KEY) ?? undefined;
  if (token && isExpired(token)) {
    sessionStorage.removeItem(TOKEN_KEY);
    return undefined;
  }
  return token;
}

/** The claims of a JWT, unverified: only to show who is signed in and when it expires (the API verifies). */
export function claimsOf(token: string): { sub?: string; exp?: number; email?: string; username?: string } {
  try {
    const payload = token.split('.')[1] ?? '';
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(payload.length / 4) * 4, '='));
    return JSON.parse(json) as ReturnType<typeof claimsOf>;
  } catch {
    return {};
  }
}

function isExpired(token: string): boolean {
  const { exp } = claimsOf(token);
  return typeof exp === 'number' && exp * 1000 <= Date.now();
}

export function forgetToken(): void {
  sessionStorage.removeItem(TOKEN_KEY);
}

/** Everything this console keeps in the tab (the token, unsaved call notes), for signing out. */
export function forgetAll(): void {
  for (const key of Object.keys(sessionStorage)) if (key.startsWith('followthrough.')) sessionStorage.removeItem(key);
}

export async function signInLocal(repId: string): Promise<void> {
  const res = await fetch('/local/token', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ repId }),
  });
  const body = (await res.json().catch(() => ({}))) as { token?: string; error?: { message?: string } };
  if (!res.ok || !body.token) throw new Error(body.error?.message ?? `Sign-in failed (${res.status})`);
  sessionStorage.setItem(TOKEN_KEY, body.token);
}

type CognitoConfig = Extract<ConsoleConfig, { signIn: 'cognito' }>;

/** An endpoint of the hosted UI: the domain may carry a path, so the endpoint is appended, not resolved. */
const endpoint = (config: CognitoConfig, path: string) => new URL(`${config.domain.replace(/\/+$/, '')}${path}`);

const base64url = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

/** Sends the browser to the hosted UI; it comes back to redirectUri with ?code=&state=. */
export async function startCognitoSignIn(config: CognitoConfig, returnTo: string): Promise<void> {
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const state = base64url(crypto.getRandomValues(new Uint8Array(16)));
  const challenge = base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
  sessionStorage.setItem(PKCE_KEY, JSON.stringify({ verifier, state, returnTo }));
  const url = endpoint(config, '/oauth2/authorize');
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: config.redirectUri,
    scope: 'openid email',
    state,
    code_challenge_method: 'S256',
    code_challenge: challenge,
  }).toString();
  location.assign(url.toString());
}

/**
 * On the way back from the hosted UI: checks the state, trades the code for tokens and takes the code
 * out of the address bar. Answers where to go next, or undefined when this is not a sign-in return.
 */
export async function completeCognitoSignIn(config: CognitoConfig, current: URL): Promise<string | undefined> {
  const code = current.searchParams.get('code');
  const error = current.searchParams.get('error');
  if (!code && !error) return undefined;
  const pending = JSON.parse(sessionStorage.getItem(PKCE_KEY) ?? 'null') as { verifier: string; state: string; returnTo: string } | null;
  sessionStorage.removeItem(PKCE_KEY);
  history.replaceState(null, '', current.pathname);
  if (error) throw new Error(`Sign-in was refused: ${current.searchParams.get('error_description') ?? error}`);
  if (!pending || pending.state !== current.searchParams.get('state')) {
    throw new Error('This sign-in did not start from this tab: sign in again');
  }
  const res = await fetch(endpoint(config, '/oauth2/token'), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: config.clientId,
      code: code!,
      redirect_uri: config.redirectUri,
      code_verifier: pending.verifier,
    }),
  });
  const body = (await res.json().catch(() => ({}))) as { access_token?: string; error?: string };
  if (!res.ok || !body.access_token) throw new Error(`Sign-in could not finish (${body.error ?? res.status}): sign in again`);
  // The access token: the HTTP API's JWT authorizer accepts its client_id as the audience, and sub is the rep.
  sessionStorage.setItem(TOKEN_KEY, body.access_token);
  return pending.returnTo.startsWith('/app') ? pending.returnTo : '/app/';
}

/** Forgets the token; with Cognito also ends the hosted UI session and comes back to the console. */
export function signOut(config: ConsoleConfig): void {
  forgetAll();
  if (config.signIn !== 'cognito') return;
  const url = endpoint(config, '/logout');
  url.search = new URLSearchParams({ client_id: config.clientId, logout_uri: config.logoutUri ?? new URL('/app/', config.redirectUri).toString() }).toString();
  location.assign(url.toString());
}
