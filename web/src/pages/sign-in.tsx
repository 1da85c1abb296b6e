/** Sign-in: a rep id on the local runtime, the Cognito hosted UI on AWS. */
import { useState } from 'preact/hooks';
import type { ConsoleConfig } from '../../../functions/http/console-config.js';
import { signInLocal, startCognitoSignIn } from '../auth.js';
import { ErrorNotice, Field, PageTitle, valueOf } from '../ui.js';

export function SignInPage({ config, error, onSignedIn }: { config: ConsoleConfig; error?: Error; onSignedIn: () => void }) {
  const [repId, setRepId] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Error | undefined>(error);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setFailure(undefined);
    try {
      if (config.signIn === 'cognito') {
        await startCognitoSignIn(config, location.pathname + location.search);
        return;
      }
      await signInLocal(repId.trim());
      onSignedIn();
    } catch (e) {
      setFailure(e as Error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="narrow">
      <PageTitle title="Sign in">Sign in</PageTitle>
      <ErrorNotice error={failure ?? error} />
      {config.signIn === 'local' ? (
        <form onSubmit={submit} class="card">
          <p>
            This is the local runtime: sign in as any rep by their id (as <code>npm run token</code> does).
          </p>
          <Field id="rep-id" label="Rep id">
            <input
              id="rep-id"
              name="repId"
              required
              pattern="[A-Za-z0-9_.@\-]{1,128}"
              autoComplete="username"
              value={repId}
              onInput={(e) => setRepId(valueOf(e))}
            />
          </Field>
          <button type="submit" disabled={busy}>
            Sign in
          </button>
        </form>
      ) : (
        <form onSubmit={submit} class="card">
          <p>You sign in on the company's sign-in page, then come back here.</p>
          <button type="submit" disabled={busy}>
            Sign in
          </button>
        </form>
      )}
    </section>
  );
}
