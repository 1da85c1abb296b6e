/**
 * The call log form: what happened on the call, in one screen, posted to POST /v1/prospects/{id}/calls
 * with an Idempotency-Key (a retry after a lost answer records nothing twice). The answer shows the plan
 * in both zones and what was not planned and why.
 */
import type { RefObject } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, type CallAnswer, type Prospect, type Rep } from '../api.js';
import { bothZones, capitalised, hotButtonKeys, KIND_LABELS, OUTCOME_LABELS, STALL_LABELS, STATUS_LABELS, words } from '../format.js';
import { hasPassed, TimeField, useResolved } from '../time-field.js';
import { checkedOf, ErrorNotice, Field, issueAt, Notice, SubmitButton, valueOf } from '../ui.js';

const OUTCOMES = ['callback_agreed', 'stalled', 'voicemail', 'no_answer', 'won', 'not_interested'] as const;
const REACHED = new Set(['callback_agreed', 'stalled']);

interface Material {
  title: string;
  url: string;
}

const empty = () => ({
  outcome: '',
  callbackText: '',
  stallReason: '',
  hotButtons: [] as string[],
  otherHotButtons: '',
  discussed: '',
  whatHappensNext: '',
  decisionMakers: '',
  materials: [] as Material[],
  notes: '',
  sendRecap: true,
});

type Draft = ReturnType<typeof empty>;

/**
 * Unsaved call notes live in the tab (sessionStorage) until saved, with the idempotency key they will
 * be sent with: a sign-in that expired mid-call, a reload or a look at another page loses nothing, and
 * a retry after a lost answer still records the call once.
 */
const draftKey = (prospectId: string) => `followthrough.draft.${prospectId}`;

function readDraft(prospectId: string): { form: Draft; key: string } | undefined {
  try {
    const stored = JSON.parse(sessionStorage.getItem(draftKey(prospectId)) ?? 'null') as { form?: Partial<Draft>; key?: string } | null;
    return stored?.form && stored.key ? { form: { ...empty(), ...stored.form }, key: stored.key } : undefined;
  } catch {
    return undefined;
  }
}

export function CallForm({ prospect, rep, onSaved }: { prospect: Prospect; rep: Rep; onSaved: () => void }) {
  const [restored] = useState(() => readDraft(prospect.id));
  const [form, setForm] = useState<Draft>(() => restored?.form ?? empty());
  const [showRestored, setShowRestored] = useState(Boolean(restored));
  const [error, setError] = useState<Error>();
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [answer, setAnswer] = useState<CallAnswer>();
  const [busy, setBusy] = useState(false);
  const idempotencyKey = useRef(restored?.key ?? crypto.randomUUID());
  useEffect(() => {
    const blank = JSON.stringify(form) === JSON.stringify(empty());
    if (blank) sessionStorage.removeItem(draftKey(prospect.id));
    else sessionStorage.setItem(draftKey(prospect.id), JSON.stringify({ form, key: idempotencyKey.current }));
  }, [form, prospect.id]);
  const resultRef = useRef<HTMLHeadingElement>(null);
  const resolved = useResolved(form.callbackText, prospect.timezone, rep.timezone, prospect.country);
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setForm((f) => ({ ...f, [key]: value }));
  const reached = REACHED.has(form.outcome);

  const check = (): Record<string, string> => {
    const out: Record<string, string> = {};
    if (!form.outcome) out.outcome = 'Choose what happened on the call';
    if (form.outcome === 'callback_agreed' && !form.callbackText.trim()) out.callbackAt = 'Give the callback time you agreed';
    if (reached && resolved && !resolved.ok) out.callbackAt = resolved.message;
    if (reached && resolved?.ok && hasPassed(resolved)) out.callbackAt = 'That time has passed: agree a time from now on';
    if (form.outcome === 'stalled' && !form.stallReason) out.stallReason = 'Say what the prospect is waiting on';
    form.materials.forEach((m, i) => {
      if ((m.title || m.url) && !(m.title && /^https?:\/\/\S+$/.test(m.url))) out[`materials.${i}`] = 'Give a title and an http(s) link';
    });
    return out;
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    const found = check();
    setProblems(found);
    if (Object.keys(found).length) {
      document.getElementById(Object.keys(found)[0] === 'outcome' ? 'outcome-callback_agreed' : fieldId(Object.keys(found)[0]!))?.focus();
      return;
    }
    setBusy(true);
    setError(undefined);
    const hotButtons = [...new Set([...form.hotButtons, ...hotButtonKeys(form.otherHotButtons)])];
    const lines = (s: string) => s.split('\n').map((l) => l.trim()).filter(Boolean);
    const materials = form.materials.filter((m) => m.title && m.url);
    try {
      const result = await api<CallAnswer>(
        'POST',
        `/v1/prospects/${encodeURIComponent(prospect.id)}/calls`,
        {
          outcome: form.outcome,
          ...(reached && resolved?.ok ? { callbackAt: resolved.iso } : {}),
          ...(form.outcome === 'stalled' ? { stallReason: form.stallReason } : {}),
          ...(hotButtons.length ? { hotButtons } : {}),
          ...(form.discussed.trim() ? { discussed: form.discussed } : {}),
          ...(form.whatHappensNext.trim() ? { whatHappensNext: form.whatHappensNext } : {}),
          ...(lines(form.decisionMakers).length ? { decisionMakers: lines(form.decisionMakers) } : {}),
          ...(materials.length ? { materials } : {}),
          ...(form.notes.trim() ? { notes: form.notes } : {}),
          sendRecap: form.sendRecap,
        },
        { 'idempotency-key': idempotencyKey.current },
      );
      idempotencyKey.current = crypto.randomUUID();
      setAnswer(result);
      setShowRestored(false);
      setForm(empty());
      onSaved();
      requestAnimationFrame(() => resultRef.current?.focus());
    } catch (e) {
      if (e instanceof ApiError && e.code === 'idempotency_key_reused') {
        // An earlier try of this call was recorded though its answer was lost, and the form changed since.
        idempotencyKey.current = crypto.randomUUID();
        onSaved();
        setError(new Error('An earlier try of this call was saved, though its answer did not reach you: check History below. Press “Save call” again only to log it as another call.'));
      } else setError(e as Error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card call-form" id="log-call" aria-labelledby="log-call-title">
      <h2 id="log-call-title">Log a call</h2>
      {answer && <PlanAnswer answer={answer} prospect={prospect} rep={rep} headingRef={resultRef} />}
      {showRestored && (
        <Notice kind="info">
          <p>The call you were logging is back as you left it: check it and press “Save call”.</p>
          <button
            type="button"
            class="button-quiet"
            onClick={() => {
              setForm(empty());
              setShowRestored(false);
              idempotencyKey.current = crypto.randomUUID();
            }}
          >
            Start again
          </button>
        </Notice>
      )}
      <ErrorNotice error={error} />
      <form onSubmit={submit} noValidate>
        <fieldset class={`choices outcomes${problems.outcome ? ' field-error' : ''}`} aria-describedby={problems.outcome ? 'outcome-error' : undefined}>
          <legend>Outcome</legend>
          {problems.outcome && <p class="error-text" id="outcome-error">{problems.outcome}</p>}
          {OUTCOMES.map((o) => (
            <label key={o} class="choice">
              <input type="radio" id={`outcome-${o}`} name="outcome" value={o} checked={form.outcome === o} onChange={() => set('outcome', o)} />
              {OUTCOME_LABELS[o]}
            </label>
          ))}
        </fieldset>

        {reached && (
          <TimeField
            id="callback-time"
            label="Callback time"
            value={form.callbackText}
            onChange={(text) => set('callbackText', text)}
            zone={prospect.timezone}
            country={prospect.country}
            repZone={rep.timezone}
            required={form.outcome === 'callback_agreed'}
            error={problems.callbackAt ?? issueAt(error, 'callbackAt')}
          />
        )}
        {form.outcome === 'stalled' && (
          <Field id="stall-reason" label="Stall reason" error={problems.stallReason ?? issueAt(error, 'stallReason')}>
            <select id="stall-reason" value={form.stallReason} onChange={(e) => set('stallReason', valueOf(e))}>
              <option value="">Choose…</option>
              {Object.entries(STALL_LABELS).map(([key, label]) => (
                <option key={key} value={key}>
                  {label}
                </option>
              ))}
            </select>
          </Field>
        )}

        <fieldset class="choices hot-buttons">
          <legend>Hot buttons</legend>
          {__HOT_BUTTONS__.map((h) => (
            <label key={h.key} class="choice">
              <input
                type="checkbox"
                checked={form.hotButtons.includes(h.key) || prospect.hotButtons.includes(h.key)}
                disabled={prospect.hotButtons.includes(h.key)}
                onChange={(e) => set('hotButtons', checkedOf(e) ? [...form.hotButtons, h.key] : form.hotButtons.filter((k) => k !== h.key))}
              />
              {capitalised(h.label)}
            </label>
          ))}
          <Field id="other-hot-buttons" label="Other hot buttons" hint="Separated by commas">
            <input id="other-hot-buttons" value={form.otherHotButtons} onInput={(e) => set('otherHotButtons', valueOf(e))} aria-describedby="other-hot-buttons-hint" />
          </Field>
        </fieldset>

        <Field id="discussed" label="What was discussed">
          <textarea id="discussed" rows={3} value={form.discussed} onInput={(e) => set('discussed', valueOf(e))} />
        </Field>
        <Field id="what-next" label="What happens next">
          <textarea id="what-next" rows={2} value={form.whatHappensNext} onInput={(e) => set('whatHappensNext', valueOf(e))} />
        </Field>
        <Field id="decision-makers" label="Decision makers" hint="One per line, for example “Dana (plant manager)”">
          <textarea id="decision-makers" rows={2} value={form.decisionMakers} onInput={(e) => set('decisionMakers', valueOf(e))} aria-describedby="decision-makers-hint" />
        </Field>
        <Materials materials={form.materials} problems={problems} onChange={(m) => set('materials', m)} />
        <Field id="notes" label="Notes">
          <textarea id="notes" rows={2} value={form.notes} onInput={(e) => set('notes', valueOf(e))} />
        </Field>
        {reached && (
          <label class="choice">
            <input type="checkbox" id="send-recap" checked={form.sendRecap} onChange={(e) => set('sendRecap', checkedOf(e))} />
            Send recap
            {prospect.emailSuppressed ? ' (emails to them are stopped: none will go)' : prospect.email ? ` to ${prospect.email}` : ' (no email address: none will go)'}
          </label>
        )}
        <div class="form-actions">
          <SubmitButton busy={busy}>Save call</SubmitButton>
        </div>
      </form>
    </section>
  );
}

const fieldId = (problem: string) => (problem === 'callbackAt' ? 'callback-time' : problem === 'stallReason' ? 'stall-reason' : problem.replace('materials.', 'material-title-'));

function Materials({ materials, problems, onChange }: { materials: Material[]; problems: Record<string, string>; onChange: (m: Material[]) => void }) {
  const update = (i: number, patch: Partial<Material>) => onChange(materials.map((m, j) => (j === i ? { ...m, ...patch } : m)));
  return (
    <fieldset class="materials">
      <legend>Materials</legend>
      {materials.map((m, i) => (
        <div key={i} class={`material-row${problems[`materials.${i}`] ? ' field-error' : ''}`}>
          {problems[`materials.${i}`] && <p class="error-text">{problems[`materials.${i}`]}</p>}
          <Field id={`material-title-${i}`} label={`Material ${i + 1} title`}>
            <input id={`material-title-${i}`} value={m.title} onInput={(e) => update(i, { title: valueOf(e) })} />
          </Field>
          <Field id={`material-url-${i}`} label={`Material ${i + 1} link`}>
            <input id={`material-url-${i}`} type="url" value={m.url} placeholder="https://" onInput={(e) => update(i, { url: valueOf(e) })} />
          </Field>
          <button type="button" class="button-quiet" onClick={() => onChange(materials.filter((_, j) => j !== i))}>
            Remove material {i + 1}
          </button>
        </div>
      ))}
      <button type="button" class="button-secondary" onClick={() => onChange([...materials, { title: '', url: '' }])}>
        Add material
      </button>
    </fieldset>
  );
}

function PlanAnswer({ answer, prospect, rep, headingRef }: { answer: CallAnswer; prospect: Prospect; rep: Rep; headingRef: RefObject<HTMLHeadingElement | null> }) {
  const skipped = [...(answer.skipped ?? []), ...answer.plan.filter((t) => t.status === 'skipped').map((t) => ({ kind: t.kind, reason: t.reason ?? '', message: t.reason ?? '' }))];
  const planned = answer.plan.filter((t) => t.status !== 'skipped');
  return (
    <div class="plan notice notice-success">
      <h3 ref={headingRef} tabIndex={-1}>
        Saved: {OUTCOME_LABELS[answer.call.outcome] ?? words(answer.call.outcome)}. The plan
      </h3>
      {planned.length === 0 ? (
        <p>Nothing more is scheduled for {prospect.name}.</p>
      ) : (
        <ul class="plan-list">
          {planned.map((t) => {
            const when = bothZones(t.dueAt, prospect.timezone, rep.timezone);
            return (
              <li key={t.id}>
                <strong>{KIND_LABELS[t.kind] ?? words(t.kind)}</strong> ({t.channel}, {STATUS_LABELS[t.status]?.toLowerCase()}): {when.prospect} for them · {when.rep}{' '}
                for you
              </li>
            );
          })}
        </ul>
      )}
      {answer.nextAttemptAt && (
        <p>
          Next attempt: {bothZones(answer.nextAttemptAt, prospect.timezone, rep.timezone).prospect} for them ·{' '}
          {bothZones(answer.nextAttemptAt, prospect.timezone, rep.timezone).rep} for you
        </p>
      )}
      {skipped.length > 0 && (
        <>
          <p>Not planned:</p>
          <ul>
            {skipped.map((s, i) => (
              <li key={i}>
                {KIND_LABELS[s.kind] ?? words(s.kind)}: {s.message || words(s.reason)}
              </li>
            ))}
          </ul>
        </>
      )}
      {answer.plan.length === 0 && !answer.skipped && <Notice kind="info">No touches were planned.</Notice>}
    </div>
  );
}
