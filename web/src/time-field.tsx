/**
 * A time typed the way a rep says it, read in the prospect's zone, shown back in both zones with
 * warnings (outside business hours, a holiday) before anything is saved. Used for the callback time
 * and for moving a touch.
 */
import { useMemo } from 'preact/hooks';
import { resolveCallbackTime, pickedToText, type Resolved } from './callback-time.js';
import { dayAndClock } from './format.js';
import { isProspectHoliday } from './holidays.js';
import { describedBy, valueOf } from './ui.js';

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

/** Reads `text` now; the component below shows the same reading. */
export function useResolved(text: string, zone: string, repZone: string, country?: string): Resolved | undefined {
  return useMemo(
    () => (text.trim() ? resolveCallbackTime(text, { zone, repZone, country, now: new Date(), isHoliday: isProspectHoliday }) : undefined),
    [text, zone, repZone, country],
  );
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
