/**
 * A prospect's page: who they are and their time now, the call log form, pending touches (reschedule,
 * cancel), previews of the voicemail script and the call-prep sheet, and the history of calls and touches
 * (a failed one with "Send again").
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, get, type Preview, type Prospect, type ProspectBundle, type Rep, type Touch } from '../api.js';
import { bothZones, clock, hotButtonLabel, inZone, KIND_LABELS, OUTCOME_LABELS, reasonWords, STALL_LABELS, STATUS_LABELS, words } from '../format.js';
import { Link } from '../router.js';
import { hasPassed, TimeField, useResolved } from '../time-field.js';
import { SendAgain } from '../send-again.js';
import { ErrorNotice, Loading, Notice, PageTitle, SubmitButton, useListAnnouncer, useNow, useResource } from '../ui.js';
import { CallForm } from './call-form.js';
import { ProspectDetails } from './prospect-edit.js';

export function ProspectPage({ id, rep }: { id: string; rep: Rep }) {
  const bundle = useResource(() => get<ProspectBundle>(`/v1/prospects/${encodeURIComponent(id)}`), id);
  const now = useNow();

  useEffect(() => {
    if (bundle.data && location.hash === '#log-call') {
      document.getElementById('log-call')?.scrollIntoView();
      document.getElementById('outcome-callback_agreed')?.focus();
    }
  }, [bundle.data?.prospect.id]);

  if (bundle.error instanceof ApiError && bundle.error.status === 404) {
    return (
      <section>
        <PageTitle title="Prospect not found">Prospect not found</PageTitle>
        <p>
          There is no prospect “{id}” among yours. <Link href="/app/prospects">Search your prospects</Link>.
        </p>
      </section>
    );
  }
  if (!bundle.data) {
    if (!bundle.error) return <Loading what="the prospect" />;
    return (
      <section>
        <PageTitle title="Prospect">The prospect did not load</PageTitle>
        <ErrorNotice error={bundle.error} onRetry={bundle.reload} />
      </section>
    );
  }
  const { prospect, calls, touches } = bundle.data;
  const pending = touches.filter((t) => t.status === 'scheduled');

  return (
    <section>
      <PageTitle title={prospect.name}>{prospect.name}</PageTitle>
      <p class="lede">
        {prospect.company && <>{prospect.company} · </>}
        Their time now: {clock(inZone(now, prospect.timezone))} ({prospect.timezone.replace(/_/g, ' ')}) · {words(prospect.status)}
        {prospect.attempts > 0 && <> · {prospect.attempts} unanswered since you last spoke</>}
      </p>
      <p class="contact">
        {prospect.phone && (
          <a class="button button-secondary" href={`tel:${prospect.phone}`}>
            Call {prospect.phone}
          </a>
        )}
        {prospect.email && <span> {prospect.email}</span>}
      </p>
      {prospect.emailSuppressed && (
        <Notice kind="warning">
          No emails go to this prospect: the address {suppressionWords(prospect.emailSuppressed.reason)} on{' '}
          {inZone(prospect.emailSuppressed.at, rep.timezone).toFormat('d LLL yyyy')}.
          {prospect.emailSuppressed.reason === 'bounced' && ' If they gave you a new address, put it in “Edit details” below and emails go again.'}
        </Notice>
      )}
      {prospect.hotButtons.length > 0 && (
        <ul class="chips" aria-label="Hot buttons">
          {prospect.hotButtons.map((h) => (
            <li key={h} class="chip">
              {hotButtonLabel(h)}
            </li>
          ))}
        </ul>
      )}

      <div class="columns">
        <div>
          <CallForm prospect={prospect} rep={rep} onSaved={bundle.reload} />
        </div>
        <div>
          <PendingTouches touches={pending} prospect={prospect} rep={rep} onChanged={bundle.reload} />
          <Previews prospect={prospect} />
        </div>
      </div>
      <History bundle={bundle.data} rep={rep} onChanged={bundle.reload} />
      <ProspectDetails prospect={prospect} onSaved={bundle.reload} />
    </section>
  );
}

function suppressionWords(reason: string): string {
  return reason === 'unsubscribed' ? 'unsubscribed' : reason === 'bounced' ? 'bounced' : 'marked our email as spam';
}

function PendingTouches({ touches, prospect, rep, onChanged }: { touches: Touch[]; prospect: Prospect; rep: Rep; onChanged: () => void }) {
  // A touch moved or cancelled: said, and focus goes where the list starts.
  const { done, heading, announce: changed } = useListAnnouncer(onChanged);
  return (
    <section class="card" aria-labelledby="pending-title">
      <h2 id="pending-title" ref={heading} tabIndex={-1}>Pending</h2>
      <p role="status" class="hint">{done}</p>
      {touches.length === 0 ? <p class="empty">Nothing scheduled.</p> : (
        <ul class="touch-list">
          {touches.map((t) => <PendingTouch key={t.id} touch={t} prospect={prospect} rep={rep} onChanged={changed} />)}
        </ul>
      )}
    </section>
  );
}

type Mode = 'idle' | 'move' | 'cancel';

function PendingTouch({ touch, prospect, rep, onChanged }: { touch: Touch; prospect: Prospect; rep: Rep; onChanged: (message: string) => void }) {
  const [mode, setMode] = useState<Mode>('idle');
  const [text, setText] = useState('');
  const [error, setError] = useState<Error>();
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);
  const row = useRef<HTMLLIElement>(null);
  const lastMode = useRef<Mode>('idle');
  const resolved = useResolved(text, prospect.timezone, rep.timezone, prospect.country);
  const when = bothZones(touch.dueAt, prospect.timezone, rep.timezone);
  const label = `${KIND_LABELS[touch.kind] ?? words(touch.kind)}${touch.attempt ? `, attempt ${touch.attempt}` : ''}`;

  // Keyboard focus follows the controls that replace each other: into the form or the question,
  // and back to the button that opened it.
  useEffect(() => {
    const from = lastMode.current;
    lastMode.current = mode;
    if (mode === from) return;
    const target = mode === 'move' ? `#move-${CSS.escape(touch.id)}` : mode === 'cancel' ? '.cancel-question' : from === 'move' ? '.do-move' : '.do-cancel';
    row.current?.querySelector<HTMLElement>(target)?.focus();
  }, [mode]);

  const run = async (work: () => Promise<unknown>, message: string) => {
    if (busy) return;
    setBusy(true);
    setError(undefined);
    try {
      await work();
      lastMode.current = 'idle';
      setMode('idle');
      setText('');
      onChanged(message);
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };
  const move = (event: Event) => {
    event.preventDefault();
    if (!resolved?.ok || hasPassed(resolved)) {
      // The field says what is wrong with the time; nothing went to the server, which would refuse a
      // past time in its own terms (an ISO time and a field name) rather than the rep's.
      setProblem(!resolved ? 'Type the new time, or pick one' : resolved.ok ? 'That time has passed: pick one from now on' : undefined);
      return document.getElementById(`move-${touch.id}`)?.focus();
    }
    const to = bothZones(resolved.iso, prospect.timezone, rep.timezone);
    void run(() => api('PATCH', `/v1/touches/${encodeURIComponent(touch.id)}`, { dueAt: resolved.iso }), `${label} moved to ${to.prospect} for them, ${to.rep} for you.`);
  };

  return (
    <li class="touch" data-touch={touch.id} ref={row}>
      <p>
        <strong>{label}</strong> by {touch.channel}: {when.prospect} for them · {when.rep} for you
      </p>
      <ErrorNotice error={error} />
      {mode === 'idle' && (
        <div class="row-actions">
          <button type="button" class="button-secondary do-move" onClick={() => setMode('move')}>
            Reschedule<span class="visually-hidden"> {label}</span>
          </button>
          <button type="button" class="button-quiet do-cancel" onClick={() => setMode('cancel')}>
            Cancel<span class="visually-hidden"> {label}</span>
          </button>
        </div>
      )}
      {mode === 'move' && (
        <form onSubmit={move} class="inline-form">
          <TimeField
            id={`move-${touch.id}`}
            label="New time"
            value={text}
            onChange={(next) => {
              // A new time: what was wrong with the last one no longer applies.
              setText(next);
              setProblem(undefined);
              setError(undefined);
            }}
            zone={prospect.timezone}
            country={prospect.country}
            repZone={rep.timezone}
            required
            error={problem}
          />
          <div class="row-actions">
            <SubmitButton busy={busy}>Move it</SubmitButton>
            <button type="button" class="button-quiet" onClick={() => setMode('idle')}>Keep the time</button>
          </div>
        </form>
      )}
      {mode === 'cancel' && (
        <div class="row-actions">
          <p class="cancel-question" tabIndex={-1}>Cancel this {label.toLowerCase()}?</p>
          <button
            type="button"
            class="button-danger"
            aria-disabled={busy ? 'true' : undefined}
            onClick={() => void run(() => api('DELETE', `/v1/touches/${encodeURIComponent(touch.id)}`), `${label} cancelled.`)}
          >
            Yes, cancel it
          </button>
          <button type="button" class="button-quiet" onClick={() => setMode('idle')}>No, keep it</button>
        </div>
      )}
    </li>
  );
}

const PREVIEWS = [
  { kind: 'voicemail', label: 'Voicemail script' },
  { kind: 'rep_reminder', label: 'Call-prep sheet' },
] as const;

function Previews({ prospect }: { prospect: Prospect }) {
  const [shown, setShown] = useState<{ label: string; preview: Preview }>();
  const [error, setError] = useState<Error>();
  const open = async (kind: string, label: string) => {
    setError(undefined);
    try {
      const preview = await get<Preview>(`/v1/prospects/${encodeURIComponent(prospect.id)}/preview?kind=${kind}`);
      setShown({ label, preview });
    } catch (e) {
      setError(e as Error);
    }
  };
  return (
    <section class="card" aria-labelledby="preview-title">
      <h2 id="preview-title">Previews</h2>
      <div class="row-actions">
        {PREVIEWS.map((p) => (
          <button key={p.kind} type="button" class="button-secondary" onClick={() => void open(p.kind, p.label)}>
            Preview {p.label.toLowerCase()}
          </button>
        ))}
      </div>
      <ErrorNotice error={error} />
      <div role="region" aria-live="polite" aria-label="Preview">
        {shown && (
          <article class="preview">
            <h3>{shown.label}</h3>
            {shown.preview.subject && <p><strong>Subject:</strong> {shown.preview.subject}</p>}
            <pre class="preview-text">{shown.preview.text}</pre>
            <p class="hint">Template: {shown.preview.template}</p>
          </article>
        )}
      </div>
    </section>
  );
}

function History({ bundle, rep, onChanged }: { bundle: ProspectBundle; rep: Rep; onChanged: () => void }) {
  const zone = bundle.prospect.timezone;
  // A failed touch sent again: said, and focus goes to the list's heading (its button is gone).
  const { done, heading: touchesTitle, announce: sent } = useListAnnouncer(onChanged);
  return (
    <section class="card" aria-labelledby="history-title">
      <h2 id="history-title">History</h2>
      <h3>Calls</h3>
      {bundle.calls.length === 0 ? <p class="empty">No calls logged yet.</p> : (
        <ol class="history" reversed>
          {[...bundle.calls].reverse().map((c) => (
            <li key={c.id}>
              <p>
                <strong>{OUTCOME_LABELS[c.outcome] ?? words(c.outcome)}</strong> · {bothZones(c.at, zone, rep.timezone, 'rep').rep} your time
                {c.stallReason && <> · {STALL_LABELS[c.stallReason] ?? words(c.stallReason)}</>}
                {c.callbackAt && <> · callback {bothZones(c.callbackAt, zone, rep.timezone).prospect} their time</>}
              </p>
              {c.discussed && <p>Discussed: {c.discussed}</p>}
              {c.whatHappensNext && <p>Next: {c.whatHappensNext}</p>}
              {c.decisionMakers.length > 0 && <p>Decision makers: {c.decisionMakers.join(', ')}</p>}
              {c.materials.map((m) => (
                <p key={m.url}>
                  Material: <a href={m.url} rel="noopener noreferrer" target="_blank">{m.title}</a>
                </p>
              ))}
            </li>
          ))}
        </ol>
      )}
      <h3 ref={touchesTitle} tabIndex={-1}>Touches</h3>
      <p role="status" class="hint">{done}</p>
      {bundle.touches.length === 0 ? <p class="empty">No touches yet.</p> : (
        // Focusable: on a narrow screen the table may scroll sideways, and a keyboard must reach it.
        <div class="table-wrap" tabIndex={0} role="region" aria-labelledby="touches-caption">
          <table>
            <caption id="touches-caption" class="visually-hidden">Every touch with its status and reason</caption>
            <thead>
              <tr><th scope="col">What</th><th scope="col">When (theirs)</th><th scope="col">Status</th><th scope="col">Why</th></tr>
            </thead>
            <tbody>
              {[...bundle.touches].reverse().map((t) => (
                <tr key={t.id}>
                  <td>{KIND_LABELS[t.kind] ?? words(t.kind)}{t.attempt ? ` (attempt ${t.attempt})` : ''}, {t.channel}</td>
                  <td>{bothZones(t.dueAt, zone, rep.timezone).prospect}</td>
                  <td>
                    <span class={`status status-${t.status}`}>{STATUS_LABELS[t.status] ?? t.status}</span>
                    {t.status === 'failed' && <SendAgain touch={t} prospectName={bundle.prospect.name} onSent={sent} />}
                  </td>
                  <td>{t.reason ? reasonWords(t.reason) : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
