/**
 * The machine's request rules (`decide` with plain data): the first administrator, SSO start and its
 * identity links, the password change, leaving, and a window that closes. End to end they are tested in
 * first-run, sso, sso-linking, password-change and auth-flow; these pin the edges those leave open (found by
 * mutation testing, docs/threat-model.md › Mutation testing).
 */
import { describe, expect, it } from 'vitest';
import { decide, isResult, signedOut, type LoginInput, type LoginState } from '../../main/core/auth/machine';
import { SSO_MESSAGES } from '../../main/core/sso/sso-refusals';
import {
  NOW,
  actions,
  alice,
  aliceLogin,
  auditEntries,
  awaitingCode,
  machineFacts,
  signedInState,
  twoFactorOn,
  aliceAudit,
} from '../support/login-machine-facts';

const twoFactorOff = { ...twoFactorOn, enabled: false };
const changing: LoginState = { step: 'passwordChangeRequired', login: aliceLogin, enteredAt: NOW };
const identity = { issuer: 'https://idp.example', subject: 'sub-a' };
const ssoWaiting: LoginState = { step: 'ssoWaiting', enteredAt: NOW };
const ssoAnswer = { type: 'ssoAnswered' as const, username: 'alice', identity };
/** Facts where the user is linked to `subject` at the identity's issuer (null: not linked). */
const linkedTo = (subject: string | null, twoFactor = twoFactorOff) =>
  machineFacts({
    twoFactor,
    ssoLinkedSubject: (userId, issuer) => (userId === 1 && issuer === identity.issuer ? subject : null),
  });

describe('the first administrator', () => {
  it('is created only while there is none', () => {
    const taken = decide(signedOut(), { type: 'firstRun', hasAdministrator: true }, machineFacts());
    expect(taken.effects).toEqual([]);
    expect(taken.error).toEqual({
      code: 'conflict',
      message: 'System Configurator already has an administrator. Log on.',
    });
    const first = decide(signedOut(), { type: 'firstRun', hasAdministrator: false }, machineFacts());
    expect(first.effects).toEqual([{ kind: 'createFirstAdministrator' }]);
    expect(first.error).toBeUndefined();
  });

  it('is audited once created, and the window goes to Log on', () => {
    const d = decide(signedOut(), { type: 'firstAdministratorCreated', username: 'root' }, machineFacts());
    expect(auditEntries(d)).toEqual([
      { actor: 'root', action: 'admin.initialized', target: 'root', outcome: 'success' },
    ]);
    expect(d.state).toMatchObject({ step: 'signedOut', notice: null });
  });

  it('a refusal (of the first run, or of a new password) is shown and moves nothing', () => {
    const error = { code: 'validation', message: 'Too short.' };
    for (const input of [
      { type: 'firstRunRefused', error },
      { type: 'passwordRefused', error },
    ] as LoginInput[]) {
      const d = decide(changing, input, machineFacts());
      expect(d.effects).toEqual([]);
      expect(d.state).toBe(changing);
      expect(d.error).toEqual(error);
    }
  });
});

describe('SSO', () => {
  it('starts only when configured, and only from the Log on screen', () => {
    const off = decide(signedOut(), { type: 'ssoStart', ssoEnabled: false }, machineFacts());
    expect(off.effects).toEqual([]);
    expect(off.error).toEqual({
      code: 'sso-error',
      message: 'SSO is not configured for System Configurator.',
    });
    const busy = decide(awaitingCode(), { type: 'ssoStart', ssoEnabled: true }, machineFacts());
    expect(busy.effects).toEqual([]);
    expect(busy.error).toEqual({ code: 'conflict', message: 'Finish or cancel the current log-on first.' });
    const started = decide(signedOut(), { type: 'ssoStart', ssoEnabled: true }, machineFacts());
    expect(started.effects).toEqual([{ kind: 'authenticateSso' }]);
    expect(started.state).toMatchObject({ step: 'ssoWaiting' });
  });

  it('a failed browser sign-in is audited without a name and shown on the Log on screen', () => {
    const error = { code: 'sso-error' as const, message: 'The sign-in was cancelled.' };
    const d = decide(ssoWaiting, { type: 'ssoFailed', error, failure: 'access_denied' }, machineFacts());
    expect(auditEntries(d)).toEqual([
      {
        actor: 'anonymous',
        action: 'logon.sso',
        outcome: 'failure',
        details: { stage: 'sign-in', failure: 'access_denied' },
      },
    ]);
    expect(d.state).toMatchObject({ step: 'signedOut', notice: null });
    expect(d.error).toEqual(error);
  });

  it('an identity whose user is linked to another subject is refused: not that user, audited with both', () => {
    const d = decide(ssoWaiting, ssoAnswer, linkedTo('sub-b', twoFactorOn));
    expect(d.state).toMatchObject({ step: 'signedOut', notice: null });
    expect(d.error).toEqual({ code: 'sso-error', message: SSO_MESSAGES['not-allowed'] });
    expect(actions(d)).toEqual([{ kind: 'endChallenges', attemptId: 'new-id' }]);
    expect(auditEntries(d).at(-1)).toEqual(
      aliceAudit('logon.sso', 'denied', {
        stage: 'sendingCode',
        reason: 'claim-taken',
        issuer: identity.issuer,
        subject: 'sub-a',
      }),
    );
  });

  it('an identity already linked to its user signs in without linking again', () => {
    const d = decide(ssoWaiting, ssoAnswer, linkedTo('sub-a'));
    expect(d.state).toMatchObject({ step: 'signedIn', login: { via: 'sso', sso: identity } });
    expect(actions(d)).toEqual([]);
    expect(auditEntries(d).at(-1)).toMatchObject({ action: 'logon.success', details: { via: 'sso' } });
  });

  it('an identity matched by its claim is linked to the user when the log-on completes, not before', () => {
    const signedIn = decide(ssoWaiting, ssoAnswer, linkedTo(null));
    expect(actions(signedIn)).toEqual([
      { kind: 'linkSsoIdentity', userId: 1, attemptId: 'new-id', identity },
    ]);
    const codeDue = decide(ssoWaiting, ssoAnswer, linkedTo(null, twoFactorOn));
    expect(actions(codeDue).map((e) => e.kind)).toEqual(['sendCode']);
  });

  it('a session goes on without linking or auditing its log-on again', () => {
    const session = signedInState({ login: { ...aliceLogin, via: 'sso', sso: identity } });
    const d = decide(session, { type: 'activity' }, linkedTo(null));
    expect(d.effects).toEqual([]);
    expect(d.state).toMatchObject({ step: 'signedIn', lastActivityAt: NOW });
  });

  it('a password log-on is never refused for an SSO link of its user', () => {
    const d = decide(changing, { type: 'passwordStored', stamp: 'stamp-2' }, linkedTo('sub-b'));
    expect(d.state).toMatchObject({ step: 'signedIn', login: { via: 'password' } });
  });

  it("a lost link ends that log-on only: another attempt's answer, or the Log on screen, is untouched", () => {
    const session = signedInState({ login: { ...aliceLogin, via: 'sso', sso: identity } });
    const lost = decide(session, { type: 'ssoLinkLost', attemptId: 'attempt-1' }, machineFacts());
    expect(lost.state).toMatchObject({ step: 'signedOut', notice: null });
    expect(lost.error).toEqual({ code: 'sso-error', message: SSO_MESSAGES['not-allowed'] });
    expect(auditEntries(lost)[0]).toMatchObject({ action: 'logon.sso', outcome: 'denied' });
    for (const [state, attemptId] of [
      [session, 'attempt-0'],
      [signedOut(), 'attempt-1'],
    ] as const) {
      const d = decide(state, { type: 'ssoLinkLost', attemptId }, machineFacts());
      expect(d.effects).toEqual([]);
      expect(d.state).toBe(state);
    }
  });
});

describe('the password change', () => {
  it('is taken only on its screen', () => {
    const d = decide(signedInState(), { type: 'changePassword' }, machineFacts());
    expect(d.effects).toEqual([]);
    expect(d.error).toEqual({ code: 'conflict', message: 'No password change is expected now.' });
  });

  it('stores the new password only over the one this log-on checked', () => {
    const d = decide(changing, { type: 'changePassword' }, machineFacts());
    expect(d.effects).toEqual([{ kind: 'storeNewPassword', userId: 1, replacing: 'stamp-1' }]);
  });

  it('with no checked password to replace, or no user any more, the log-on ends instead', () => {
    const noStamp: LoginState = { ...changing, login: { ...aliceLogin, passwordStamp: undefined } };
    for (const [state, user] of [
      [noStamp, alice],
      [changing, null],
    ] as const) {
      const d = decide(state, { type: 'changePassword' }, machineFacts({ user }));
      expect(actions(d)).toEqual([{ kind: 'endChallenges', attemptId: 'attempt-1' }]);
      expect(d.state).toMatchObject({ step: 'signedOut', notice: 'cancelled' });
    }
  });

  it("an administrator's reset that landed meanwhile wins: the log-on ends, audited as a reset", () => {
    const d = decide(changing, { type: 'passwordReplaced' }, machineFacts());
    expect(d.state).toMatchObject({ step: 'signedOut', notice: 'signedOut' });
    expect(auditEntries(d)).toEqual([
      aliceAudit('logon.revoked', 'success', { step: 'passwordChangeRequired', reason: 'password-reset' }),
    ]);
  });

  it('an answer after the window left the change screen moves nothing', () => {
    for (const input of [
      { type: 'passwordReplaced' },
      { type: 'passwordStored', stamp: 's' },
    ] as LoginInput[]) {
      const d = decide(signedOut('cancelled'), input, machineFacts());
      expect(d.effects).toEqual([]);
      expect(d.state).toEqual(signedOut('cancelled'));
    }
  });
});

describe('leaving', () => {
  it('a sign-out ends the codes and is audited as one, without a step', () => {
    const d = decide(signedInState(), { type: 'signOut' }, machineFacts());
    expect(actions(d)).toEqual([{ kind: 'endChallenges', attemptId: 'attempt-1' }]);
    expect(auditEntries(d)).toEqual([
      { actor: 'alice', action: 'logon.signout', target: 'alice', outcome: 'success' },
    ]);
    expect(d.state).toMatchObject({ step: 'signedOut', notice: 'signedOut' });
  });

  it('a sign-out during a log-on is audited as a sign-out, not a cancel', () => {
    const d = decide(awaitingCode(), { type: 'signOut' }, machineFacts());
    expect(auditEntries(d)).toEqual([
      { actor: 'alice', action: 'logon.signout', target: 'alice', outcome: 'success' },
    ]);
  });

  it('Cancel or a closed window on the Log on screen: nothing to end or audit', () => {
    const cancel = decide(signedOut(), { type: 'cancel' }, machineFacts());
    expect(cancel.effects).toEqual([{ kind: 'abortSso' }]);
    expect(cancel.state).toMatchObject({ step: 'signedOut', notice: 'cancelled' });
    const closed = decide(signedOut(), { type: 'disconnect' }, machineFacts());
    expect(closed.effects).toEqual([{ kind: 'abortSso' }, { kind: 'forgetWindow' }]);
  });
});

describe('requests and results', () => {
  it("tells the window's requests from effects' results (only a result can arrive late)", () => {
    expect(isResult({ type: 'logOn', username: 'alice' })).toBe(false);
    expect(isResult({ type: 'cancel' })).toBe(false);
    expect(isResult({ type: 'passwordStored', stamp: 's' })).toBe(true);
    expect(isResult({ type: 'ssoLinkLost', attemptId: 'a' })).toBe(true);
  });
});
