/**
 * What someone typed into the prerendered Log on form before the window's script took it over (the page is
 * in the first paint before the script has run, main.tsx): read from the fields just before hydration and
 * handed to the form as its first values, once, so nothing typed is lost.
 */

/** The Log on form's control ids (the prerendered markup has the same). */
export const LOGON_CONTROLS = { username: 'logon-username', password: 'logon-password' } as const;

export interface LogOnValues {
  username: string;
  password: string;
}

const EMPTY: LogOnValues = { username: '', password: '' };
let typed: LogOnValues | null = null;

const valueOf = (id: string): string => {
  const element = document.getElementById(id);
  return element instanceof HTMLInputElement ? element.value : '';
};

/** Reads the prerendered fields (main.tsx, just before it hydrates). */
export function capturePrefill(): void {
  const values = { username: valueOf(LOGON_CONTROLS.username), password: valueOf(LOGON_CONTROLS.password) };
  typed = values.username || values.password ? values : null;
}

/** The form's first values: what was typed before hydration, else empty. */
export function prefill(): LogOnValues {
  return typed ?? EMPTY;
}

/**
 * Forgets the typed values once the form has them (its first effect), so a later Log on (after signing out)
 * starts empty and the password is not kept here.
 */
export function clearPrefill(): void {
  typed = null;
}
