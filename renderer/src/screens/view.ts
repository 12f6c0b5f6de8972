import { useEffect } from 'react';
import type { AuthView } from '../../../main/contract/ipc';
import { auth } from '../store/auth-store';

/** The view model of one login step. */
export type ViewOf<S extends AuthView['step']> = Extract<AuthView, { step: S }>;

/** Esc, wherever the focus is, cancels the log-on on a step that can be left (the keyboard's Cancel). */
export function useEscapeCancels(): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || event.defaultPrevented) return;
      event.preventDefault();
      void auth.cancel();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
}
