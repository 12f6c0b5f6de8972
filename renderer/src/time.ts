/** Time as the window shows it: main's clock (via the offset the view model gives), ticking once a second. */
import { useEffect, useState } from 'react';
import { useAuth } from './store/auth-store';

/** main's "now", re-rendered every `tickMs`. */
export function useServerNow(tickMs = 1000): number {
  const offset = useAuth((s) => s.clockOffsetMs);
  const [local, setLocal] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setLocal(Date.now()), tickMs);
    return () => window.clearInterval(timer);
  }, [tickMs]);
  return local + offset;
}

const timeOfDay = new Intl.DateTimeFormat(undefined, {
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
const dateTime = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** "14:32" */
export const formatTimeOfDay = (at: number): string => timeOfDay.format(at);
/** "15 Jan 2026, 09:00:00" */
export const formatDateTime = (at: number): string => dateTime.format(at);

/** "4:59" for a remaining time in ms (never negative; to the nearest second). */
export function formatCountdown(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/** "28 min" (rounded up: "1 min" until the very end). */
export function formatMinutes(ms: number): string {
  return `${Math.max(1, Math.ceil(ms / 60_000))} min`;
}

/** A `datetime-local` input's value for an instant, and back (local time). */
export function toLocalInput(at: number): string {
  const d = new Date(at);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
export function fromLocalInput(value: string): number | undefined {
  if (!value) return undefined;
  const at = new Date(value).getTime();
  return Number.isNaN(at) ? undefined : at;
}
