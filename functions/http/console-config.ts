/**
 * What `GET /app/config.json` answers: how the console signs a rep in. Apart from console.ts so the
 * browser code can share the type without the server's imports.
 */
export type ConsoleConfig =
  | { signIn: 'local' }
  | {
      signIn: 'cognito';
      /** The hosted UI's base URL, e.g. https://followthrough-123.auth.us-east-1.amazoncognito.com */
      domain: string;
      /** The user pool app client (public, no secret; authorization code grant with PKCE). */
      clientId: string;
      /** An allowed callback URL of the app client: the console's /app/callback. */
      redirectUri: string;
      /** An allowed sign-out URL; the console's /app/ when absent. */
      logoutUri?: string;
    };

