/**
 * Small pieces every page uses: loading data, a labelled field, messages announced to screen readers,
 * and a page heading that takes focus after navigation so keyboard and reader users land on it.
 */
import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, type Issue } from './api.js';

export interface Resource<T> {
  data?: T;
  error?: Error;
  loading: boolean;
  reload: () => void;
}

/** Runs `load` when `key` changes, keeps the last answer while reloading, drops answers that came too late. */
export function useResource<T>(load: () => Promise<T>, key: string): Resource<T> {
  const [state, setState] = useState<{ data?: T; error?: Error; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  const latest = useRef(0);
  useEffect(() => {
    const run = ++latest.current;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => run === latest.current && setState({ data, loading: false }),
      (error: Error) => run === latest.current && setState((s) => ({ data: s.data, error, loading: false })),
    );
    // `load` is a fresh closure each render; `key` says when what it loads changed.
  }, [key, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload };
}

/**
 * For a list whose rows an action moves or removes: `announce` says what was done (show `done` in a
 * status line), reloads, and puts focus on `heading`, where the list starts, since the row that had it
 * may be gone.
 */
export function useListAnnouncer(onChanged: () => void) {
  const [done, setDone] = useState('');
  const heading = useRef<HTMLHeadingElement>(null);
  const announce = (message: string) => {
    setDone(message);
    onChanged();
    heading.current?.focus();
  };
  return { done, heading, announce };
}

/** The page's h1, focused when the page opens (not on the first load, where focus stays at the top). */
export function PageTitle({ children, title }: { children: ComponentChildren; title: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · followthrough`;
    if (document.body.dataset.navigated) ref.current?.focus();
  }, [title]);
  return (
    <h1 ref={ref} tabIndex={-1}>
      {children}
    </h1>
  );
}

export function Field(props: {
  id: string;
  label: string;
  hint?: string;
  error?: string;
  children: ComponentChildren;
  class?: string;
}) {
  return (
    <div class={`field${props.error ? ' field-error' : ''}${props.class ? ` ${props.class}` : ''}`}>
      <label for={props.id}>{props.label}</label>
      {props.hint && (
        <p class="hint" id={`${props.id}-hint`}>
          {props.hint}
        </p>
      )}
      {props.error && (
        <p class="error-text" id={`${props.id}-error`}>
          {props.error}
        </p>
      )}
      {props.children}
    </div>
  );
}

/** aria-describedby for a field with a hint and/or an error. */
export function describedBy(id: string, hint?: unknown, error?: unknown): string | undefined {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

export function Notice({ kind, children }: { kind: 'error' | 'success' | 'warning' | 'info'; children: ComponentChildren }) {
  return (
    <div class={`notice notice-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}

/** An API error as a sentence, with the fields it names; `onRetry` offers to load again. */
export function ErrorNotice({ error, onRetry }: { error?: Error; onRetry?: () => void }) {
  if (!error) return null;
  const issues: Issue[] = error instanceof ApiError ? error.issues : [];
  return (
    <Notice kind="error">
      <p>{error.message}</p>
      {issues.length > 0 && (
        <ul>
          {issues.map((i) => (
            <li key={i.path}>
              {i.path}: {i.message}
            </li>
          ))}
        </ul>
      )}
      {onRetry && (
        <button type="button" class="button-secondary" onClick={onRetry}>
          Try again
        </button>
      )}
    </Notice>
  );
}

/**
 * A submit button that stays focusable while its form is busy (aria-disabled, not disabled: a
 * disabled button drops keyboard focus to the page's start). The form's handler ignores a second
 * submit while `busy`.
 */
export function SubmitButton({ busy, children, class: className }: { busy: boolean; children: ComponentChildren; class?: string }) {
  return (
    <button type="submit" class={className} aria-disabled={busy ? 'true' : undefined}>
      {children}
    </button>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p class="loading" role="status">
      Loading {what}…
    </p>
  );
}

/** The message of an issue at `path`, for the field that shows it. */
export function issueAt(error: Error | undefined, path: string): string | undefined {
  return error instanceof ApiError ? error.issues.find((i) => i.path === path)?.message : undefined;
}

/** The value of the input or select an event came from. */
export const valueOf = (event: Event) => (event.currentTarget as HTMLInputElement).value;
export const checkedOf = (event: Event) => (event.currentTarget as HTMLInputElement).checked;

/** A clock that ticks every `ms`, to keep "their time now" and groupings current. */
export function useNow(ms = 30_000): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}
