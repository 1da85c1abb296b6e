/**
 * Prospects: search the rep's prospects by name or company (GET /v1/prospects?q=), open one by id,
 * and add one.
 */
import { useState } from 'preact/hooks';
import { api, get, query, type Prospect, type Rep } from '../api.js';
import { bothZones } from '../format.js';
import { Link, navigate, prospectPath } from '../router.js';
import { ErrorNotice, Field, Loading, PageTitle, useResource, valueOf } from '../ui.js';
import { ProspectForm, toBody, valuesOf } from './prospect-form.js';

export function ProspectsPage({ rep }: { rep: Rep }) {
  const [text, setText] = useState(() => new URLSearchParams(location.search).get('q') ?? '');
  const [q, setQ] = useState(text);
  const results = useResource(() => get<{ prospects: Prospect[] }>(`/v1/prospects${query({ q })}`), `q:${q}`);
  const [openId, setOpenId] = useState('');
  const [addError, setAddError] = useState<Error>();
  const [busy, setBusy] = useState(false);

  const search = (event: Event) => {
    event.preventDefault();
    setQ(text.trim());
    history.replaceState(null, '', `/app/prospects${query({ q: text.trim() })}`);
  };

  const add = async (values: ReturnType<typeof valuesOf>, phone: string | undefined) => {
    setBusy(true);
    setAddError(undefined);
    try {
      const created = await api<Prospect>('POST', '/v1/prospects', { ...toBody(values, phone, undefined), ...(values.id.trim() ? { id: values.id.trim() } : {}) });
      navigate(prospectPath(created.id));
    } catch (e) {
      setAddError(e as Error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section>
      <PageTitle title="Prospects">Prospects</PageTitle>
      <div class="columns">
        <div>
          <section class="card" aria-labelledby="search-title">
            <h2 id="search-title">Find a prospect</h2>
            <form role="search" onSubmit={search} class="inline-form">
              <Field id="search" label="Name or company">
                <input id="search" type="search" value={text} onInput={(e) => setText(valueOf(e))} />
              </Field>
              <button type="submit">Search</button>
            </form>
            <ErrorNotice error={results.error} onRetry={results.reload} />
            {results.loading && !results.data && <Loading what="prospects" />}
            {results.data && <Results prospects={results.data.prospects} rep={rep} q={q} />}
            <form
              class="inline-form"
              onSubmit={(e) => {
                e.preventDefault();
                if (openId.trim()) navigate(prospectPath(openId.trim()));
              }}
            >
              <Field id="open-id" label="Open by id">
                <input id="open-id" value={openId} onInput={(e) => setOpenId(valueOf(e))} autoComplete="off" />
              </Field>
              <button type="submit" class="button-secondary">Open</button>
            </form>
          </section>
        </div>
        <div>
          <section class="card" aria-labelledby="add-title">
            <h2 id="add-title">Add a prospect</h2>
            <ProspectForm idPrefix="add" initial={valuesOf({}, rep.timezone)} withId submitLabel="Add prospect" error={addError} busy={busy} onSubmit={add} />
          </section>
        </div>
      </div>
    </section>
  );
}

function Results({ prospects, rep, q }: { prospects: Prospect[]; rep: Rep; q: string }) {
  if (prospects.length === 0) return <p class="empty">{q ? `No prospect matches “${q}”.` : 'No prospects yet: add one.'}</p>;
  return (
    <ul class="results" aria-label="Prospects found">
      {prospects.map((p) => (
        <li key={p.id}>
          <Link href={prospectPath(p.id)}>{p.name}</Link>
          {p.company && <span class="company"> · {p.company}</span>}
          {p.attemptDueAt && <span class="row-meta"> · next call {bothZones(p.attemptDueAt, p.timezone, rep.timezone, 'rep').rep} your time</span>}
        </li>
      ))}
    </ul>
  );
}
