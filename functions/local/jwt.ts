/**
 * Local tokens: an RS256 key pair kept under .data/, tokens signed with it, and verification
 * the way the HTTP API's JWT authorizer does it (signature by kid, issuer, audience, expiry).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT, type JWK, type JWTPayload } from 'jose';

export const LOCAL_ISSUER = 'https://followthrough.local/issuer';
export const LOCAL_AUDIENCE = 'followthrough-local';

/** A rep id the local runtime signs tokens for (npm run token, POST /local/token): letters, digits, . _ @ -. */
export function isLocalRepId(repId: unknown): repId is string {
  return typeof repId === 'string' && /^[A-Za-z0-9_.@-]{1,128}$/.test(repId);
}

type JoseKey = Awaited<ReturnType<typeof importJWK>>;

interface StoredKey {
  kid: string;
  privateJwk: JWK;
  publicJwk: JWK;
}

export class LocalTokens {
  private constructor(
    private readonly key: StoredKey,
    private readonly privateKey: JoseKey,
    private readonly publicKey: JoseKey,
  ) {}

  /** Loads the key from `file`, making one on first use. */
  static async open(file: string): Promise<LocalTokens> {
    let key: StoredKey;
    if (existsSync(file)) {
      key = JSON.parse(readFileSync(file, 'utf8')) as StoredKey;
    } else {
      const pair = await generateKeyPair('RS256', { extractable: true });
      const kid = `local-${Date.now().toString(36)}`;
      key = { kid, privateJwk: await exportJWK(pair.privateKey), publicJwk: { ...(await exportJWK(pair.publicKey)), kid, alg: 'RS256', use: 'sig' } };
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, JSON.stringify(key), { mode: 0o600 });
    }
    const privateKey = (await importJWK(key.privateJwk, 'RS256')) as JoseKey;
    const publicKey = (await importJWK(key.publicJwk, 'RS256')) as JoseKey;
    return new LocalTokens(key, privateKey, publicKey);
  }

  /** The JWKS the issuer would publish. */
  jwks(): { keys: JWK[] } {
    return { keys: [this.key.publicJwk] };
  }

  async sign(repId: string, options: { expiresInSeconds?: number; now?: Date } = {}): Promise<string> {
    const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
    return new SignJWT({ scope: 'followthrough/rep' })
      .setProtectedHeader({ alg: 'RS256', kid: this.key.kid, typ: 'JWT' })
      .setSubject(repId)
      .setIssuer(LOCAL_ISSUER)
      .setAudience(LOCAL_AUDIENCE)
      .setIssuedAt(now)
      .setNotBefore(now - 5)
      // Counted from `now`, so tokens made for a test clock expire relative to it.
      .setExpirationTime(now + (options.expiresInSeconds ?? 30 * 24 * 3600))
      .sign(this.privateKey);
  }

  /** The claims of a valid token, or undefined. */
  async verify(token: string): Promise<JWTPayload | undefined> {
    try {
      const { payload, protectedHeader } = await jwtVerify(token, this.publicKey, {
        issuer: LOCAL_ISSUER,
        audience: LOCAL_AUDIENCE,
        algorithms: ['RS256'],
      });
      if (protectedHeader.kid !== this.key.kid || typeof payload.sub !== 'string' || !payload.sub) return undefined;
      return payload;
    } catch {
      return undefined;
    }
  }
}
