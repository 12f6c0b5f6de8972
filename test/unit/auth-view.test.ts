/**
 * The view a window gets of its log-on state (main/core/auth/auth-view.ts): the refusal screen's facts,
 * and what a second request sees while the window's password check or code send is still in flight.
 */
import { describe, expect, it } from 'vitest';
import { projectView, type ViewFacts } from '../../main/core/auth/auth-view';
import type { Login, LoginState } from '../../main/core/auth/machine';

const login: Login = {
  attemptId: 'a1',
  userId: 7,
  username: 'alice',
  displayName: 'Alice',
  roles: ['read-only'],
  via: 'password',
  mustChangePassword: false,
};

const facts: ViewFacts = {
  now: 1_000,
  locale: 'en',
  idleTimeoutMs: 900_000,
  hasAdministrator: () => true,
  ssoEnabled: () => true,
  maxAttempts: () => 3,
  failedCodes: () => 1,
};

function refused(
  reason: Extract<LoginState, { step: 'refused' }>['reason'],
  overrides: Partial<Extract<LoginState, { step: 'refused' }>> = {},
) {
  const state: LoginState = {
    step: 'refused',
    login,
    purpose: 'logon',
    reason,
    resendsUsed: 0,
    ...overrides,
  };
  return projectView(state, null, facts);
}

describe('the log-on view', () => {
  it('offers Retry only when the provider was unavailable, not when it is misconfigured or the user has no contact', () => {
    expect(refused('verification-unavailable')).toMatchObject({ step: 'refused', canRetry: true });
    expect(refused('verification-misconfigured')).toMatchObject({ canRetry: false });
    expect(refused('no-verification-contact')).toMatchObject({ canRetry: false });
  });

  it('says which step the refused person passed, and whether they are an administrator', () => {
    expect(refused('verification-misconfigured')).toMatchObject({
      passed: 'password',
      isAdministrator: false,
    });
    expect(
      refused('verification-misconfigured', { login: { ...login, via: 'sso', roles: ['administrator'] } }),
    ).toMatchObject({ passed: 'sso', isAdministrator: true });
    expect(refused('verification-unavailable', { purpose: 'afterPasswordChange' })).toMatchObject({
      passed: 'passwordChange',
    });
  });

  it('shows a second request during a password check or a code send the plain Log on screen, without SSO', () => {
    const checking: LoginState = {
      step: 'checkingPassword',
      username: 'alice',
      userId: 7,
      notice: 'cancelled',
    };
    const sending: LoginState = {
      step: 'sendingCode',
      login,
      purpose: 'logon',
      resendsUsed: 0,
      isResend: false,
    };
    for (const state of [checking, sending]) {
      expect(projectView(state, null, facts)).toEqual({
        step: 'signedOut',
        serverNow: 1_000,
        error: null,
        locale: 'en',
        ssoEnabled: false,
        notice: null,
      });
    }
  });
});
