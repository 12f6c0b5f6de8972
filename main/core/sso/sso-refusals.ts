/**
 * Every way an SSO log-on is refused: a stable reason (kept in the audit log and in the error's details)
 * and the sentence the person at the window reads. One list, used by the OpenID round trip, the identity
 * links and the log-on machine.
 */
import { ScError } from '../errors';

export type SsoFailureReason =
  | 'not-configured'
  | 'provider-unreachable'
  | 'discovery-failed'
  | 'browser-failed'
  | 'cancelled'
  | 'provider-error'
  | 'timeout'
  | 'aborted'
  | 'state-mismatch'
  | 'nonce-mismatch'
  | 'issuer-mismatch'
  | 'token-invalid'
  | 'subject-invalid'
  | 'missing-claim'
  | 'email-unverified'
  | 'unlinked'
  | 'not-allowed';

export const SSO_MESSAGES: Record<
  Exclude<SsoFailureReason, 'missing-claim' | 'timeout' | 'aborted'>,
  string
> = {
  'not-configured': 'SSO is not configured for System Configurator.',
  'provider-unreachable':
    'The SSO identity provider cannot be reached. Try again later, or log on with your username and password.',
  'discovery-failed':
    'The SSO identity provider did not answer as an OpenID provider. Ask your administrator to check the SSO issuer URL.',
  'browser-failed': 'The system browser could not be opened for the SSO log-on.',
  cancelled: 'The SSO log-on was cancelled in the browser.',
  'provider-error': 'The SSO identity provider refused the log-on.',
  'state-mismatch':
    'The answer from the browser did not belong to this SSO log-on (state mismatch). It was refused.',
  'nonce-mismatch': 'The SSO identity token did not belong to this log-on (nonce mismatch). It was refused.',
  'issuer-mismatch': 'The SSO identity token came from another identity provider. It was refused.',
  'token-invalid':
    'The SSO identity token could not be verified (issuer, audience, signature or expiry). It was refused.',
  'subject-invalid':
    'The SSO identity provider sent a subject System Configurator cannot use. Ask your administrator.',
  'email-unverified':
    'Your SSO e-mail address is not verified, so it cannot identify you. Ask your administrator.',
  unlinked:
    'Your SSO account is not linked to a System Configurator account yet. An administrator must link it before you can log on with SSO.',
  'not-allowed': 'Your SSO account is not allowed to use System Configurator. Ask your administrator.',
};

export function ssoFailure(
  reason: SsoFailureReason,
  message: string,
  extra: Record<string, string> = {},
): ScError {
  return new ScError('sso-error', message, { reason, ...extra });
}

export function ssoRefusal(reason: keyof typeof SSO_MESSAGES): ScError {
  return ssoFailure(reason, SSO_MESSAGES[reason]);
}

/**
 * The refusal of an identity that is not (or no longer) allowed to sign in as the user its claim names:
 * worded exactly as the refusal of an unknown identity under the same setting, so the answer does not
 * tell whether the claim belongs to a linked account.
 */
export function unknownIdentityRefusal(unknownUsers: 'refuse' | 'admin-link'): keyof typeof SSO_MESSAGES {
  return unknownUsers === 'admin-link' ? 'unlinked' : 'not-allowed';
}
