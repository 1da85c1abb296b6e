/** Editing a prospect's details (PATCH /v1/prospects/{id}); a cleared optional field is removed. */
import { useState } from 'preact/hooks';
import { api, type Prospect } from '../api.js';
import { Notice } from '../ui.js';
import { ProspectForm, toBody, valuesOf } from './prospect-form.js';

export function ProspectDetails({ prospect, onSaved }: { prospect: Prospect; onSaved: () => void }) {
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  return (
    <details class="card details">
      <summary>Edit details</summary>
      {saved && <Notice kind="success">Details saved.</Notice>}
      <ProspectForm
        key={prospect.version}
        idPrefix="edit"
        initial={valuesOf(prospect, prospect.timezone)}
        withId={false}
        submitLabel="Save details"
        error={error}
        busy={busy}
        onSubmit={async (values, phone) => {
          setBusy(true);
          setError(undefined);
          setSaved(false);
          try {
            await api('PATCH', `/v1/prospects/${encodeURIComponent(prospect.id)}`, toBody(values, phone, null));
            setSaved(true);
            onSaved();
          } catch (e) {
            setError(e as Error);
          } finally {
            setBusy(false);
          }
        }}
      />
    </details>
  );
}
