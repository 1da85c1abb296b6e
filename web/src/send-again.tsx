/**
 * "Send again" for a touch that could not be delivered (POST /v1/touches/{id}/retry). One post however
 * often it is tapped; a refusal by the rules (422: it is no longer failed, or a later call replaced its
 * plan) in a rep's words; any other error in the console's error notice.
 */
import { useRef, useState } from 'preact/hooks';
import { api, ApiError, type Touch } from './api.js';
import { capitalised, touchAbout } from './format.js';
import { ErrorNotice, Notice } from './ui.js';

/**
 * Why the server would not send it again, by the documented codes (their messages speak of outcomes
 * and retries, the API's words); a code the console does not know keeps the server's own message.
 */
export function refusalWords(error: ApiError, what: string): string {
  if (error.code === 'superseded') return `A later call replaced the plan this ${what} was part of, so it is not sent again. Log a call to plan what comes next.`;
  if (error.code === 'not_failed') return `This ${what} is no longer failed: it was sent, cancelled or scheduled again meanwhile. Refresh to see where it stands.`;
  return error.message;
}

export function SendAgain({ touch, prospectName, onSent }: { touch: Touch; prospectName: string; onSent: (message: string) => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();
  // A ref, not only state: a double tap lands before the re-render that would mark the button busy.
  const inFlight = useRef(false);
  const what = touchAbout(touch, prospectName);

  const send = async () => {
    if (inFlight.current) return;
    inFlight.current = true;
    setBusy(true);
    setError(undefined);
    try {
      await api('POST', `/v1/touches/${encodeURIComponent(touch.id)}/retry`);
      onSent(`${capitalised(what)} is scheduled again: it goes out within the minute.`);
    } catch (e) {
      setError(e as Error);
    } finally {
      inFlight.current = false;
      setBusy(false);
    }
  };

  const refused = error instanceof ApiError && error.status === 422 ? error : undefined;
  return (
    <div class="send-again">
      {/* aria-disabled, not disabled, while it posts: a disabled button drops keyboard focus to the page's start. */}
      <button type="button" class="button-secondary" aria-label={`Send again: ${what}`} aria-disabled={busy ? 'true' : undefined} onClick={() => void send()}>
        Send again
      </button>
      {refused ? (
        <Notice kind="error">
          <p>{refusalWords(refused, what)}</p>
        </Notice>
      ) : (
        <ErrorNotice error={error} />
      )}
    </div>
  );
}
