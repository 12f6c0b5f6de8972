/**
 * The login view model, as main pushes it (`window.sc.onAuthState`) or returns it from an auth call. The
 * window never decides a step itself: it shows the latest view and sends intents.
 */
import { useSyncExternalStore } from 'react';
import { createStore } from 'zustand/vanilla';
import type { IpcResult } from '@contract/errors';
import type { AuthView } from '@contract/ipc';
import { windowError, type WindowError } from '../error-messages';
import type { AppLocale } from '@contract/locale';
import { sc, toWindowError, unwrap } from '../api';
import { activateLocale, isLocaleLoaded, loadLocale } from '../i18n/i18n';

interface AuthStore {
  view: AuthView | null;
  /** main's clock minus ours when the view arrived: countdowns run against main's time. */
  clockOffsetMs: number;
  /** A refused intent (e.g. a validation error from the gateway); cleared by the next view. */
  actionError: WindowError | null;
  receive(view: AuthView): void;
  /**
   * Sends one intent that answers with the next view; false when it was refused. (A double submit is
   * stopped where it starts: the form hook, components/form.ts.)
   */
  send(intent: () => Promise<IpcResult<AuthView>>): Promise<boolean>;
}

const store = createStore<AuthStore>()((set, get) => ({
  view: null,
  clockOffsetMs: 0,
  actionError: null,
  receive: (view) =>
    whenLanguageReady(view, () =>
      set({
        // The view's error in the window's words, like every error that reaches a screen.
        view: view.error ? { ...view, error: windowError(view.error) } : view,
        clockOffsetMs: view.serverNow - Date.now(),
        actionError: null,
      }),
    ),
  async send(intent) {
    set({ actionError: null });
    try {
      get().receive(await unwrap(intent()));
      return true;
    } catch (error) {
      set({ actionError: toWindowError(error) });
      return false;
    }
  },
}));

/**
 * The store in components: `useAuth((s) => s.view)`, and `useAuth.getState()` etc. outside them. Unlike
 * zustand's own hook, the snapshot React takes over a prerendered page with (its "server snapshot") is the
 * current state, not the store's initial one: the page's Log on was rendered at build time from the very
 * state the window has when it hydrates (main.tsx checks that), and the initial state (no view) would not
 * match that markup.
 */
function useAuthSlice<T>(selector: (state: AuthStore) => T): T {
  const slice = () => selector(store.getState());
  return useSyncExternalStore(store.subscribe, slice, slice);
}
export const useAuth = Object.assign(useAuthSlice, store);

let latestView = 0;
/**
 * Shows a view once its language's catalog is here (at once for English or a language already loaded), so
 * a screen never flashes in the wrong language; views still apply in the order they came.
 */
function whenLanguageReady(view: AuthView, apply: () => void): void {
  const ticket = ++latestView;
  const show = () => {
    if (ticket !== latestView) return;
    activateLocale(view.locale);
    apply();
  };
  if (isLocaleLoaded(view.locale)) return show();
  // A catalog that cannot load leaves the window in English rather than blank.
  void loadLocale(view.locale)
    .catch(() => undefined)
    .then(show);
}

/**
 * Subscribes to main's pushes and takes the current view; returns the unsubscribe function. The view comes
 * with the page (the preload asked main synchronously), so the first frame is the real screen, with no round
 * trip; only when main gave none does the window ask `auth.state()`, whose refusal it then shows.
 */
export function connectAuth(): () => void {
  const api = sc();
  const { receive } = useAuth.getState();
  // Read and subscribed in one task: no push can fall between the two.
  const start = api.initialAuthState();
  const unsubscribe = api.onAuthState(receive);
  if (start?.ok) receive(start.value);
  else
    void unwrap(api.auth.state())
      .then(receive)
      .catch((error: unknown) => useAuth.setState({ actionError: toWindowError(error) }));
  return unsubscribe;
}

/** The intents, one per use case. */
export const auth = {
  firstRun: (input: { username: string; displayName?: string; password: string; confirmPassword: string }) =>
    useAuth.getState().send(() => sc().auth.firstRun(input)),
  logOn: (username: string, password: string) =>
    useAuth.getState().send(() => sc().auth.logOn({ username, password })),
  ssoStart: () => useAuth.getState().send(() => sc().auth.ssoStart()),
  submitCode: (code: string) => useAuth.getState().send(() => sc().auth.submitCode({ code })),
  resendCode: () => useAuth.getState().send(() => sc().auth.resendCode()),
  changePassword: (newPassword: string, confirmPassword: string) =>
    useAuth.getState().send(() => sc().auth.changePassword({ newPassword, confirmPassword })),
  retry: () => useAuth.getState().send(() => sc().auth.retry()),
  cancel: () => useAuth.getState().send(() => sc().auth.cancel()),
  signOut: () => useAuth.getState().send(() => sc().auth.signOut()),
  /** The window's language; main remembers it and answers with the view in that language. */
  setLanguage: (locale: AppLocale) => useAuth.getState().send(() => sc().auth.setLanguage({ locale })),
};

/** Tells main the user is active (idle time-out), at most once per interval. */
export function activityReporter(intervalMs = 60_000): () => void {
  let last = 0;
  return () => {
    const now = Date.now();
    if (now - last < intervalMs) return;
    last = now;
    void sc()
      .auth.activity()
      .catch(() => undefined);
  };
}
