/**
 * A prospect's fields, for adding one and for editing: time zones and countries from the browser's own
 * lists (Intl), the phone checked and turned into E.164 before it is sent.
 */
import { useMemo, useState } from 'preact/hooks';
import type { Prospect } from '../api.js';
import { countries, hotButtonKeys, hotButtonLabel, timeZones } from '../format.js';
import { loadPhoneChecker, usePhoneChecker } from '../phone.js';
import { describedBy, ErrorNotice, Field, issueAt, SubmitButton, valueOf } from '../ui.js';

export interface ProspectValues {
  id: string;
  name: string;
  company: string;
  email: string;
  phone: string;
  timezone: string;
  country: string;
  hotButtons: string;
}

export function valuesOf(p: Partial<Prospect>, zone: string): ProspectValues {
  return {
    id: p.id ?? '',
    name: p.name ?? '',
    company: p.company ?? '',
    email: p.email ?? '',
    phone: p.phone ?? '',
    timezone: p.timezone ?? zone,
    country: p.country ?? '',
    hotButtons: (p.hotButtons ?? []).map(hotButtonLabel).join(', '),
  };
}

/** The values as the API takes them; empty optional fields become `empty` (absent to add, null to clear). */
export function toBody(v: ProspectValues, phoneE164: string | undefined, empty: undefined | null) {
  const opt = (s: string) => (s.trim() ? s.trim() : empty);
  const body: Record<string, unknown> = {
    name: v.name.trim(),
    company: opt(v.company),
    email: opt(v.email),
    phone: phoneE164 ?? empty,
    timezone: v.timezone,
    country: opt(v.country),
    hotButtons: hotButtonKeys(v.hotButtons),
  };
  return Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined));
}

export function ProspectForm(props: {
  idPrefix: string;
  initial: ProspectValues;
  withId: boolean;
  submitLabel: string;
  error?: Error;
  busy: boolean;
  onSubmit: (values: ProspectValues, phoneE164: string | undefined) => void;
}) {
  const [v, setV] = useState(props.initial);
  const zones = useMemo(timeZones, []);
  const regions = useMemo(countries, []);
  const set = (key: keyof ProspectValues) => (e: Event) => setV({ ...v, [key]: valueOf(e) });
  const checkPhone = usePhoneChecker();
  const phone = v.phone.trim() && checkPhone ? checkPhone(v.phone, v.country || undefined) : undefined;
  const id = (name: string) => `${props.idPrefix}-${name}`;
  const phoneError = phone && !phone.ok ? phone.message : issueAt(props.error, 'phone');

  const submit = async (event: Event) => {
    event.preventDefault();
    if (props.busy) return;
    const checked = v.phone.trim() ? (await loadPhoneChecker())(v.phone, v.country || undefined) : undefined;
    if (checked && !checked.ok) {
      document.getElementById(id('phone'))?.focus();
      return;
    }
    props.onSubmit(v, checked?.ok ? checked.e164 : undefined);
  };

  return (
    <form onSubmit={submit} class="prospect-form">
      <ErrorNotice error={props.error} />
      <Field id={id('name')} label="Name" error={issueAt(props.error, 'name')}>
        <input id={id('name')} required value={v.name} onInput={set('name')} autoComplete="off" />
      </Field>
      <Field id={id('company')} label="Company" error={issueAt(props.error, 'company')}>
        <input id={id('company')} value={v.company} onInput={set('company')} autoComplete="off" />
      </Field>
      <Field id={id('email')} label="Email" error={issueAt(props.error, 'email')}>
        <input id={id('email')} type="email" value={v.email} onInput={set('email')} autoComplete="off" />
      </Field>
      <Field id={id('country')} label="Country" hint="Decides their public holidays" error={issueAt(props.error, 'country')}>
        <select id={id('country')} value={v.country} onChange={set('country')} aria-describedby={`${id('country')}-hint`}>
          <option value="">Not set</option>
          {regions.map(([code, name]) => (
            <option key={code} value={code}>
              {name}
            </option>
          ))}
        </select>
      </Field>
      <Field id={id('phone')} label="Phone" hint="With the country code, or choose the country first" error={phoneError}>
        <input
          id={id('phone')}
          type="tel"
          value={v.phone}
          onInput={set('phone')}
          autoComplete="off"
          aria-describedby={describedBy(id('phone'), true, phoneError)}
          aria-invalid={phoneError ? 'true' : undefined}
        />
      </Field>
      {phone?.ok && <p class="hint" role="status">Saved as {phone.e164}</p>}
      <Field id={id('zone')} label="Time zone" error={issueAt(props.error, 'timezone')}>
        <select id={id('zone')} value={v.timezone} onChange={set('timezone')} required>
          {zones.map((z) => (
            <option key={z} value={z}>
              {z.replace(/_/g, ' ')}
            </option>
          ))}
        </select>
      </Field>
      <Field id={id('hot')} label="Hot buttons" hint="What they care about, separated by commas: cost savings, uptime" error={issueAt(props.error, 'hotButtons')}>
        <input id={id('hot')} value={v.hotButtons} onInput={set('hotButtons')} aria-describedby={`${id('hot')}-hint`} list={id('hot-list')} />
      </Field>
      <datalist id={id('hot-list')}>
        {__HOT_BUTTONS__.map((h) => (
          <option key={h.key} value={h.label} />
        ))}
      </datalist>
      {props.withId && (
        <Field id={id('id')} label="Id (optional)" hint="Letters, digits, - _ . — used in the page address; made for you if left empty" error={issueAt(props.error, 'id')}>
          <input id={id('id')} value={v.id} onInput={set('id')} pattern="[A-Za-z0-9_.\-]{1,64}" aria-describedby={`${id('id')}-hint`} autoComplete="off" />
        </Field>
      )}
      <SubmitButton busy={props.busy}>{props.submitLabel}</SubmitButton>
    </form>
  );
}
