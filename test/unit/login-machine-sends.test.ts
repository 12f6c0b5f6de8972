/**
 * Which code the machine sends, and what the audit log says of it: a resend is recorded as one; the first
 * code, a retry after an outage, the code after a wrong one and the code after a password change are not,
 * and each carries its purpose.
 */
import { describe, expect, it } from 'vitest';
import { RESEND_COOLDOWN_MS, decide, type Effect, type LoginState } from '../../main/core/auth/machine';
import {
  NOW,
  alice,
  aliceLogin,
  auditEntries,
  awaitingCode,
  challenge,
  machineFacts,
} from '../support/login-machine-facts';

type SendCode = Extract<Effect, { kind: 'sendCode' }>;

function sendOf(effects: Effect[]): Pick<SendCode, 'purpose' | 'isResend'> {
  const send = effects.find((e): e is SendCode => e.kind === 'sendCode');
  if (!send) throw new Error('no code sent');
  return { purpose: send.purpose, isResend: send.isResend };
}

describe('codes sent, and their audit entries', () => {
  it('a resend is sent and audited as a resend', () => {
    const afterCooldown = machineFacts({ now: challenge.sentAt + RESEND_COOLDOWN_MS });
    const d = decide(awaitingCode(), { type: 'resend' }, afterCooldown);
    expect(sendOf(d.effects)).toEqual({ purpose: 'logon', isResend: true });

    const send = d.effects.find((e): e is SendCode => e.kind === 'sendCode')!;
    const sent = decide(d.state, { type: 'codeSent', request: send, providerId: 'p2' }, afterCooldown);
    expect(auditEntries(sent)).toEqual([
      {
        actor: 'alice',
        action: 'code.sent',
        target: 'alice',
        outcome: 'success',
        details: { method: 'sms', purpose: 'logon', resend: true },
      },
    ]);
    expect(sent.state).toMatchObject({ step: 'awaitingCode', resendsUsed: 1 });
  });

  it('a retry after an outage is not a resend', () => {
    const refused: LoginState = {
      step: 'refused',
      login: aliceLogin,
      purpose: 'logon',
      reason: 'verification-unavailable',
      resendsUsed: 2,
    };
    const d = decide(refused, { type: 'retry' }, machineFacts());
    expect(sendOf(d.effects)).toEqual({ purpose: 'logon', isResend: false });
    expect(d.state).toMatchObject({ step: 'sendingCode', resendsUsed: 2 });
  });

  it('the code after a password change has its own purpose, and is not a resend', () => {
    const changing: LoginState = {
      step: 'passwordChangeRequired',
      login: { ...aliceLogin, mustChangePassword: true },
      enteredAt: NOW,
    };
    const d = decide(
      changing,
      { type: 'passwordStored', stamp: 'stamp-2' },
      machineFacts({ user: { ...alice, passwordStamp: 'stamp-2' } }),
    );
    expect(sendOf(d.effects)).toEqual({ purpose: 'afterPasswordChange', isResend: false });
    expect(d.state).toMatchObject({
      step: 'sendingCode',
      login: { passwordStamp: 'stamp-2', mustChangePassword: false },
    });
  });
});
