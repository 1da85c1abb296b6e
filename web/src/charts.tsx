/**
 * Charts drawn as inline SVG, read at a glance and by a screen reader alike: every bar sits beside its
 * label and value as text, the drawing itself is decoration (aria-hidden), and each chart is a figure
 * with a caption.
 */
import type { ComponentChildren } from 'preact';
import { percent } from './format.js';

export interface Bar {
  label: string;
  /** 0..1, or null when there is nothing to measure. */
  rate: number | null;
  /** What the rate is of, in words ("3 of 5 calls"). */
  detail: string;
}

export function BarChart({ id, caption, bars, empty }: { id: string; caption: ComponentChildren; bars: Bar[]; empty: string }) {
  return (
    <figure class="chart" aria-labelledby={`${id}-caption`}>
      <figcaption id={`${id}-caption`}>{caption}</figcaption>
      {bars.length === 0 ? (
        <p class="empty">{empty}</p>
      ) : (
        <ul class="bars">
          {bars.map((b) => (
            <li key={b.label} class="bar-row">
              <span class="bar-label">{b.label}</span>
              <svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" focusable="false">
                <rect class="bar-track" x="0" y="0" width="100" height="10" />
                <rect class="bar-fill" x="0" y="0" width={Math.round((b.rate ?? 0) * 1000) / 10} height="10" />
              </svg>
              <span class="bar-value">
                <strong>{percent(b.rate)}</strong> <span class="bar-detail">{b.detail}</span>
              </span>
            </li>
          ))}
        </ul>
      )}
    </figure>
  );
}

export interface Part {
  key: string;
  label: string;
  count: number;
}

/** One bar split into parts (kept, late, missed), with a legend that carries the numbers. */
export function StackedBar({ id, caption, parts }: { id: string; caption: ComponentChildren; parts: Part[] }) {
  const total = parts.reduce((sum, p) => sum + p.count, 0);
  let x = 0;
  return (
    <figure class="chart" aria-labelledby={`${id}-caption`}>
      <figcaption id={`${id}-caption`}>{caption}</figcaption>
      <svg class="stacked" viewBox="0 0 100 12" preserveAspectRatio="none" aria-hidden="true" focusable="false">
        <rect class="bar-track" x="0" y="0" width="100" height="12" />
        {total > 0 &&
          parts.map((p) => {
            const width = (p.count / total) * 100;
            const rect = <rect key={p.key} class={`part-${p.key}`} x={x} y="0" width={width} height="12" />;
            x += width;
            return rect;
          })}
      </svg>
      <ul class="legend">
        {parts.map((p) => (
          <li key={p.key}>
            <svg class="swatch" viewBox="0 0 10 10" aria-hidden="true" focusable="false">
              <rect class={`part-${p.key}`} width="10" height="10" />
            </svg>
            {p.label}: <strong>{p.count}</strong>
            {total > 0 && ` (${percent(p.count / total)})`}
          </li>
        ))}
      </ul>
    </figure>
  );
}
