/**
 * A time typed the way a rep says it, read in the prospect's zone, shown back in both zones with
 * warnings (outside business hours, a holiday) before anything is saved. Used for the callback time
 * and for moving a touch.
 */
import { useMemo } from 'preact/hooks';
import { resolveCallbackTime, pickedToText, type Resolved } from './callback-time.js';
import { dayAndClock } from './format.js';
import { isProspectHoliday } from './holidays.js';
import { describedBy, useNow, valueOf } from './ui.js';

export interface TimeFieldProps {
  id: string;
  label: string;
  value: string;
  onChange: (text: string) => void;
  zone: string;
  country?: string;
  repZone: string;
  required?: boolean;
  /** An error to show that is not about reading the time (from the API). */
  error?: string;
}

/**
 * Reads `text` now, and again as the minutes go by: a time typed while it was still ahead is shown as
 * passed once it has. The component below shows the same reading.
 */
export function useResolved(text: string, zone: string, repZone: string, country?: string): Resolved | undefined {
  const minute = Math.floor(useNow(30_000).getTime() / 60_000);
  return useMemo(
    () => (text.trim() ? resolveCallbackTime(text, { zone, repZone, country, now: new Date(), isHoliday: isProspectHoliday }) : undefined),
    [text, zone, repZone, country, minute],
  );
}

/**
 * Whether a reading is in the past at this moment, checked when the rep saves: the reading may be
 * minutes old, and the API would refuse a past time in its own terms (an ISO time, a field name).
 */
export function hasPassed(resolved: Resolved): boolean {
  return resolved.ok && Date.parse(resolved.iso) <= Date.now();
}

export function TimeField(props: TimeFieldProps) {
  const resolved = useResolved(props.value, props.zone, props.repZone, props.country);
  const error = props.error ?? (resolved && !resolved.ok ? resolved.message : undefined);
  const hintId = `${props.id}-hint`;
  return (
    <div class={`field time-field${error ? ' field-error' : ''}`}>
      <label for={props.id}>{props.label}</label>
      <p class="hint" id={hintId}>
        As you would say it, in their time ({props.zone.replace(/_/g, ' ')}): “tomorrow 10am”, “thu 2:30pm”, “in 3 days at 9”.
      </p>
      {error && (
        <p class="error-text" id={`${props.id}-error`}>
          {error}
        </p>
      )}
      <div class="time-inputs">
        <input
          id={props.id}
          value={props.value}
          required={props.required}
          autoComplete="off"
          onInput={(e) => props.onChange(valueOf(e))}
          aria-describedby={[describedBy(props.id, true, error), `${props.id}-resolved`].filter(Boolean).join(' ')}
        />
        <label class="picker-label" for={`${props.id}-pick`}>
          Or pick a date and time (theirs)
        </label>
        <input id={`${props.id}-pick`} type="datetime-local" onChange={(e) => props.onChange(pickedToText(valueOf(e)))} />
      </div>
      <div id={`${props.id}-resolved`} class="resolved" role="status" aria-live="polite">
        {resolved?.ok && (
          <>
            <p>
              <strong>{dayAndClock(resolved.prospectLocal)}</strong> for them · {dayAndClock(resolved.repLocal)} for you
            </p>
            {[...resolved.assumed, ...resolved.warnings].length > 0 && (
              <ul class="warnings">
                {resolved.assumed.map((a) => (
                  <li key={a}>Note: {a}</li>
                ))}
                {resolved.warnings.map((w) => (
                  <li key={w} class="warning">
                    Warning: {w}
                  </li>
                ))}
              </ul>
            )}
          </>
        )}
      </div>
    </div>
  );
}
