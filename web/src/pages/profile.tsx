/** The rep's own profile (PUT /v1/reps/me): where reminders go and the zone the console shows times in. */
import { useState } from 'preact/hooks';
import { api, type Rep } from '../api.js';
import { browserZone, timeZones } from '../format.js';
import { loadPhoneChecker, usePhoneChecker } from '../phone.js';
import { describedBy, ErrorNotice, Field, issueAt, Notice, PageTitle, SubmitButton, valueOf } from '../ui.js';

export function ProfilePage({ rep, firstTime, onSaved }: { rep?: Rep; firstTime: boolean; onSaved: () => void }) {
  const [form, setForm] = useState({
    name: rep?.name ?? '',
    email: rep?.email ?? '',
    phone: rep?.phone ?? '',
    timezone: rep?.timezone ?? browserZone(),
    reminderChannel: rep?.reminderChannel ?? 'email',
    company: rep?.company ?? '',
    signature: rep?.signature ?? '',
  });
  const [error, setError] = useState<Error>();
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const set = (key: keyof typeof form) => (e: Event) => setForm({ ...form, [key]: valueOf(e) });
  const checkPhone = usePhoneChecker();
  // This form has no country to read a national number by: the number needs its country code.
  const phone = form.phone.trim() && checkPhone ? checkPhone(form.phone, undefined, { countryField: false }) : undefined;

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    const checked = form.phone.trim() ? (await loadPhoneChecker())(form.phone, undefined, { countryField: false }) : undefined;
    if (checked && !checked.ok) return document.getElementById('rep-phone')?.focus();
    setBusy(true);
    setError(undefined);
    setSaved(false);
    try {
      await api<Rep>('PUT', '/v1/reps/me', {
        name: form.name,
        email: form.email,
        timezone: form.timezone,
        reminderChannel: form.reminderChannel,
        ...(checked?.ok ? { phone: checked.e164 } : {}),
        ...(form.company.trim() ? { company: form.company } : {}),
        ...(form.signature.trim() ? { signature: form.signature } : {}),
      });
      setSaved(true);
      onSaved();
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="narrow">
      <PageTitle title="Your profile">{firstTime ? 'Set up your profile' : 'Your profile'}</PageTitle>
      {firstTime && <p>Before logging calls, say who you are and where your reminders should go.</p>}
      <ErrorNotice error={error} />
      {saved && <Notice kind="success">Profile saved.</Notice>}
      <form class="card" onSubmit={submit}>
        <Field id="rep-name" label="Your name" error={issueAt(error, 'name')}>
          <input id="rep-name" required autoComplete="name" value={form.name} onInput={set('name')} />
        </Field>
        <Field id="rep-email" label="Your email" error={issueAt(error, 'email')}>
          <input id="rep-email" type="email" required autoComplete="email" value={form.email} onInput={set('email')} />
        </Field>
        <Field
          id="rep-phone"
          label="Your mobile phone"
          hint="Needed for reminders by SMS. With the country code, for example +1 312 555 0100"
          error={phone && !phone.ok ? phone.message : issueAt(error, 'phone')}
        >
          <input
            id="rep-phone"
            type="tel"
            autoComplete="tel"
            value={form.phone}
            onInput={set('phone')}
            aria-describedby={describedBy('rep-phone', true, phone && !phone.ok)}
            aria-invalid={phone && !phone.ok ? 'true' : undefined}
          />
        </Field>
        <Field id="rep-zone" label="Your time zone">
          <select id="rep-zone" value={form.timezone} onChange={set('timezone')}>
            {timeZones().map((z) => (
              <option key={z} value={z}>
                {z.replace(/_/g, ' ')}
              </option>
            ))}
          </select>
        </Field>
        <fieldset class="choices">
          <legend>Send my reminders by</legend>
          {(['email', 'sms'] as const).map((channel) => (
            <label key={channel} class="choice">
              <input
                type="radio"
                name="reminderChannel"
                value={channel}
                checked={form.reminderChannel === channel}
                onChange={() => setForm({ ...form, reminderChannel: channel })}
              />
              {channel === 'sms' ? 'SMS' : 'Email'}
            </label>
          ))}
        </fieldset>
        <Field id="rep-company" label="Your company">
          <input id="rep-company" autoComplete="organization" value={form.company} onInput={set('company')} />
        </Field>
        <Field id="rep-signature" label="Email signature">
          <textarea id="rep-signature" rows={3} value={form.signature} onInput={set('signature')} />
        </Field>
        <SubmitButton busy={busy}>Save profile</SubmitButton>
      </form>
    </section>
  );
}
