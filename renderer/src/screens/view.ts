import { useEffect } from 'react';
import type { AuthView } from '@contract/ipc';
import type { WindowError } from '../error-messages';
import { auth, useAuth } from '../store/auth-store';
import { errorText } from '../i18n/errors';

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

/**
 * The error a login form shows: a refused intent, else the view's own. main names the field an error
 * concerns (shown under that field); one without a field is shown above the form.
 */
export function useFormError(viewError: WindowError | null) {
  const error = useAuth((s) => s.actionError) ?? viewError;
  return {
    fieldError: (field: string) => (error?.field === field ? errorText(error) : undefined),
    formError: error && !error.field ? errorText(error) : null,
    hasFieldError: Boolean(error?.field),
  };
}
