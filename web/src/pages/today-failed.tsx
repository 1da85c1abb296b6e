/**
 * Today's "Could not be sent": the touches that failed (the agenda's `failed`), each with what it was,
 * when it was due in both zones, why it failed in the API's words, and "Send again".
 */
import type { ProspectBundle, Rep, Touch } from '../api.js';
import { bothZones, capitalised, reasonWords, TOUCH_WORDS, words } from '../format.js';
import { Link, prospectPath } from '../router.js';
import { SendAgain } from '../send-again.js';
import { useListAnnouncer } from '../ui.js';

export function CouldNotBeSent({ failed, prospects, rep, onChanged }: { failed: Touch[]; prospects: Map<string, ProspectBundle>; rep: Rep; onChanged: () => void }) {
  // Sent again: said, and focus goes where the list starts (the row leaves it).
  const { done, heading, announce: sent } = useListAnnouncer(onChanged);
  // Kept while it has something to say, so the confirmation of the last one is heard.
  if (failed.length === 0 && !done) return null;
  return (
    <section class="agenda-group agenda-failed" aria-labelledby="group-failed">
      <h2 id="group-failed" ref={heading} tabIndex={-1}>
        Could not be sent <span class="count">({failed.length})</span>
      </h2>
      <p role="status" class="hint">
        {done}
      </p>
      {failed.length === 0 ? (
        <p class="empty">Nothing else failed.</p>
      ) : (
        <ul class="agenda">
          {failed.map((t) => (
            <FailedRow key={t.id} touch={t} bundle={prospects.get(t.prospectId)} rep={rep} onSent={sent} />
          ))}
        </ul>
      )}
    </section>
  );
}

function FailedRow({ touch, bundle, rep, onSent }: { touch: Touch; bundle?: ProspectBundle; rep: Rep; onSent: (message: string) => void }) {
  const prospect = bundle?.prospect;
  const name = prospect?.name ?? touch.prospectName ?? touch.prospectId;
  const when = bothZones(touch.dueAt, prospect?.timezone ?? rep.timezone, rep.timezone, 'rep');
  return (
    <li class="agenda-row" data-touch={touch.id}>
      <div class="row-main">
        <p class="row-title">
          {capitalised(TOUCH_WORDS[touch.kind] ?? words(touch.kind))} {touch.recipient === 'rep' ? 'about' : 'to'}{' '}
          <Link href={prospectPath(touch.prospectId)}>{name}</Link>
          {prospect?.company && <span class="company"> · {prospect.company}</span>}
        </p>
        <p class="row-when">
          Due <strong>{when.rep}</strong> your time · {when.prospect} theirs
        </p>
        <p class="row-meta reason">Why it failed: {touch.reason ? reasonWords(touch.reason) : 'no reason was recorded'}</p>
      </div>
      <SendAgain touch={touch} prospectName={name} onSent={onSent} />
    </li>
  );
}
