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

/** "4:59" for a remaining time in ms (never negative; to the nearest second). */
export function formatCountdown(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
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
