/** Dates, times, numbers and durations as the active language writes them (Intl, cached per language). */
import type { AppLocale } from '@contract/locale';

export interface Formatters {
  /** "14:32" */
  timeOfDay(at: number): string;
  /** "15 Jan 2026, 09:00:00" / "15.1.2026 klo 9.00.00" */
  dateTime(at: number): string;
  /** "1,234" / "1 234" */
  number(value: number): string;
  /** "28 min" (rounded up: "1 min" until the very end) */
  minutes(ms: number): string;
  /** "Finnish, Swedish and German" */
  list(items: readonly string[]): string;
}

const cache = new Map<AppLocale, Formatters>();

export function formatters(locale: AppLocale): Formatters {
  let found = cache.get(locale);
  if (!found) cache.set(locale, (found = build(locale)));
  return found;
}

/** Made on first use: building an Intl formatter loads locale data, which the first frame should not wait for. */
function once<T>(make: () => T): () => T {
  let made: T | undefined;
  return () => (made ??= make());
}

function build(locale: AppLocale): Formatters {
  const time = once(
    () => new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }),
  );
  const dateTime = once(
    () =>
      new Intl.DateTimeFormat(locale, {
        year: 'numeric',
        month: 'short',
        day: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
        hourCycle: 'h23',
      }),
  );
  const number = once(() => new Intl.NumberFormat(locale));
  const minutes = once(
    () => new Intl.NumberFormat(locale, { style: 'unit', unit: 'minute', unitDisplay: 'short' }),
  );
  const list = once(() => new Intl.ListFormat(locale, { style: 'long', type: 'conjunction' }));
  return {
    timeOfDay: (at) => time().format(at),
    dateTime: (at) => dateTime().format(at),
    number: (value) => number().format(value),
    minutes: (ms) => minutes().format(Math.max(1, Math.ceil(ms / 60_000))),
    list: (items) => list().format(items),
  };
}
