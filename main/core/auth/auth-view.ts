import type { AuthView } from '../../contract/ipc';
import type { IpcError } from '../../contract/errors';
import type { AppLocale } from '../../contract/locale';
import { MAX_RESENDS_PER_ATTEMPT, resendAvailableAt, type LoginState } from './machine';
import { FIRST_PASSWORD_RULES, PASSWORD_RULES } from './password-policy';

/** What the projection reads besides the state; each is read only when the state shows it. */
export interface ViewFacts {
  now: number;
  locale: AppLocale;
  idleTimeoutMs: number;
  hasAdministrator(): boolean;
  ssoEnabled(): boolean;
  maxAttempts(): number;
  failedCodes(userId: number): number;
}

/**
 * The view model of a window's log-on state: what the window may know. Codes, hashes, tokens, secrets and
 * destinations in clear never enter it.
 */
export function projectView(state: LoginState, error: IpcError | null, facts: ViewFacts): AuthView {
  const base = { serverNow: facts.now, error, locale: facts.locale };
  switch (state.step) {
    case 'signedOut':
      if (!facts.hasAdministrator())
        return { step: 'firstRun', ...base, passwordRules: FIRST_PASSWORD_RULES };
      return { step: 'signedOut', ...base, ssoEnabled: facts.ssoEnabled(), notice: state.notice };
    case 'checkingPassword':
    case 'sendingCode':
      // Seen only by a concurrent caller while a check or a send is in flight.
      return { step: 'signedOut', ...base, ssoEnabled: false, notice: null };
    case 'ssoWaiting':
      return { step: 'ssoWaiting', ...base };
    case 'awaitingCode':
      return {
        step: 'awaitingCode',
        ...base,
        purpose: state.purpose,
        method: state.challenge.method,
        maskedDestination: state.challenge.maskedDestination,
        expiresAt: state.challenge.expiresAt,
        attemptsLeft: Math.max(facts.maxAttempts() - facts.failedCodes(state.login.userId), 0),
        resendAt: resendAvailableAt(state),
        resendsLeft: Math.max(MAX_RESENDS_PER_ATTEMPT - state.resendsUsed, 0),
      };
    case 'passwordChangeRequired':
      return { step: 'passwordChangeRequired', ...base, passwordRules: PASSWORD_RULES };
    case 'locked':
      return { step: 'locked', ...base, lockedUntil: state.lockedUntil };
    case 'refused':
      return {
        step: 'refused',
        ...base,
        reason: state.reason,
        canRetry: state.reason === 'verification-unavailable',
        passed: state.purpose === 'afterPasswordChange' ? 'passwordChange' : state.login.via,
        isAdministrator: state.login.roles.includes('administrator'),
      };
    case 'signedIn': {
      const { username, displayName, roles } = state.login;
      return {
        step: 'signedIn',
        ...base,
        user: { username, displayName, roles },
        idleTimeoutMs: facts.idleTimeoutMs,
      };
    }
  }
}
