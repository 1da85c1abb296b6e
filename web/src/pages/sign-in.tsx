/** Sign-in: a rep id on the local runtime, the Cognito hosted UI on AWS. */
import { useState } from 'preact/hooks';
import type { ConsoleConfig } from '../../../functions/http/console-config.js';
import { signInLocal, startCognitoSignIn } from '../auth.js';
import { ErrorNotice, Field, Notice, PageTitle, SubmitButton, valueOf } from '../ui.js';

export function SignInPage({ config, error, expired, onSignedIn }: { config: ConsoleConfig; error?: Error; expired?: boolean; onSignedIn: () => void }) {
  const [repId, setRepId] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Error | undefined>(error);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
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
      {expired && !failure && (
        <Notice kind="warning">
          <p>Your sign-in has expired. Sign in again to carry on: you come back to this page, and a call you were logging is kept.</p>
        </Notice>
      )}
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
          <SubmitButton busy={busy}>Sign in</SubmitButton>
        </form>
      ) : (
        <form onSubmit={submit} class="card">
          <p>You sign in on the company's sign-in page, then come back here.</p>
          <SubmitButton busy={busy}>Sign in</SubmitButton>
        </form>
      )}
    </section>
  );
}
