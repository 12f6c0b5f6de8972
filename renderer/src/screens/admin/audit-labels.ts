/**
 * How the Audit log screen says an entry in words, in the window's language: the action's label (one per
 * action of the contract's list), the outcome, and each detail as "Attempts left: 2" with its value made
 * readable (reasons, methods, yes/no, times, numbers).
 */
import type { AuditAction } from '@contract/domain';
import type { MessageKey } from '../../i18n/i18n';
import type { Formatters } from '../../i18n/format';
import type { Translate } from '../../i18n/react';

/** Every action's label: a `Record` over the contract's actions, so a new action without one does not compile. */
export const ACTION_LABELS: Readonly<Record<AuditAction, MessageKey>> = {
  'logon.password': 'audit.action.logonPassword',
  'logon.sso': 'audit.action.logonSso',
  'sso.linked': 'audit.action.ssoLinked',
  'sso.unlinked': 'audit.action.ssoUnlinked',
  'sso.pending': 'audit.action.ssoPending',
  'logon.success': 'audit.action.logonSuccess',
  'logon.signout': 'audit.action.logonSignout',
  'logon.timeout': 'audit.action.logonTimeout',
  'logon.cancel': 'audit.action.logonCancel',
  'logon.revoked': 'audit.action.logonRevoked',
  'code.sent': 'audit.action.codeSent',
  'code.failure': 'audit.action.codeFailure',
  'code.success': 'audit.action.codeSuccess',
  'code.refused': 'audit.action.codeRefused',
  'account.locked': 'audit.action.accountLocked',
  'account.unlocked': 'audit.action.accountUnlocked',
  'password.changed': 'audit.action.passwordChanged',
  'password.upgraded': 'audit.action.passwordUpgraded',
  'password.set': 'audit.action.passwordSet',
  'policy.changed': 'audit.action.policyChanged',
  'policy.managedRefused': 'audit.action.policyManagedRefused',
  'secret.set': 'audit.action.secretSet',
  'secret.deleted': 'audit.action.secretDeleted',
  'user.created': 'audit.action.userCreated',
  'user.changed': 'audit.action.userChanged',
  'user.deactivated': 'audit.action.userDeactivated',
  'users.imported': 'audit.action.usersImported',
  'verify.test': 'audit.action.verifyTest',
  'admin.initialized': 'audit.action.adminInitialized',
  'audit.exported': 'audit.action.auditExported',
};

const OUTCOME_LABELS: Readonly<Record<string, MessageKey>> = {
  success: 'audit.outcome.success',
  failure: 'audit.outcome.failure',
  denied: 'audit.outcome.denied',
  error: 'audit.outcome.error',
};

const DETAIL_LABELS: Readonly<Record<string, MessageKey>> = {
  attemptsLeft: 'audit.detail.attemptsLeft',
  failedCodeAttempts: 'audit.detail.failedCodeAttempts',
  wasLocked: 'audit.detail.wasLocked',
  lockedUntil: 'audit.detail.lockedUntil',
  reason: 'audit.detail.reason',
  method: 'audit.detail.method',
  purpose: 'audit.detail.purpose',
  resend: 'audit.detail.resend',
  step: 'audit.detail.step',
  stage: 'audit.detail.stage',
  failure: 'audit.detail.failure',
  via: 'audit.detail.via',
  fields: 'audit.detail.fields',
  roles: 'audit.detail.roles',
  email: 'audit.detail.email',
  mobile: 'audit.detail.mobile',
  kind: 'audit.detail.kind',
  authId: 'audit.detail.authId',
  replaced: 'audit.detail.replaced',
  mustChange: 'audit.detail.mustChange',
  rows: 'audit.detail.rows',
  cancelled: 'audit.detail.cancelled',
  result: 'audit.detail.result',
  error: 'audit.detail.error',
  providerErrorCode: 'audit.detail.providerErrorCode',
  httpStatus: 'audit.detail.httpStatus',
  endpoint: 'audit.detail.endpoint',
  authMethod: 'audit.detail.authMethod',
  issuer: 'audit.detail.issuer',
  subject: 'audit.detail.subject',
  claim: 'audit.detail.claim',
};

const VALUE_LABELS: Readonly<Record<string, MessageKey>> = {
  'wrong-password': 'audit.value.wrongPassword',
  'unknown-user': 'audit.value.unknownUser',
  'claim-taken': 'audit.value.claimTaken',
  'administrator-claim': 'audit.value.administratorClaim',
  'unlinked-by-administrator': 'audit.value.unlinkedByAdministrator',
  'first-logon': 'audit.value.firstLogon',
  unmatched: 'audit.value.unmatched',
  inactive: 'audit.value.inactive',
  'password-reset': 'audit.value.passwordReset',
  'must-change-password': 'audit.value.mustChangePassword',
  throttled: 'audit.value.throttled',
  'sc-locked': 'audit.value.scLocked',
  'no-verification-contact': 'audit.value.noVerificationContact',
  expired: 'audit.value.expired',
  timeout: 'audit.value.timeout',
  sms: 'method.sms',
  email: 'audit.value.email',
  logon: 'audit.value.logon',
  afterPasswordChange: 'audit.value.afterPasswordChange',
  password: 'audit.value.password',
  sso: 'audit.value.sso',
  set: 'audit.value.set',
  none: 'audit.value.none',
  basic: 'policy.authMethod.basic',
  signed: 'audit.value.signed',
  own: 'audit.value.own',
  'provisioned default': 'audit.value.provisionedDefault',
  successful: 'audit.value.successful',
  'wrong-code': 'audit.value.wrongCode',
  'not-valid': 'audit.value.notValid',
  administrator: 'role.administrator',
  'read-only': 'role.readOnly',
};

/** "camelCase" → "Camel case", for a detail this list does not know yet (shown as recorded, untranslated). */
function humanize(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[-_.]/g, ' ')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function actionLabel(t: Translate, action: string): string {
  const key = (ACTION_LABELS as Readonly<Record<string, MessageKey>>)[action];
  return key ? t(key) : action;
}

export function outcomeLabel(t: Translate, outcome: string): string {
  const key = OUTCOME_LABELS[outcome];
  return key ? t(key) : outcome;
}

function valueText(
  t: Translate,
  format: Formatters,
  key: string,
  value: string | number | boolean | null,
): string {
  if (value === null) return '—';
  if (typeof value === 'boolean') return value ? t('audit.value.yes') : t('audit.value.no');
  if (typeof value === 'number') return key === 'rows' ? format.number(value) : String(value);
  if (/Until$|At$/.test(key) && !Number.isNaN(Date.parse(value))) return format.dateTime(Date.parse(value));
  if (key === 'roles')
    return format.list(
      value
        .split(',')
        .filter(Boolean)
        .map((role) => valueText(t, format, 'role', role)),
    );
  if (key === 'fields')
    return value
      .split(',')
      .filter(Boolean)
      .map((part) => humanize(part.replace(/^[a-z]+\./, '')).toLowerCase())
      .join(', ');
  const label = VALUE_LABELS[value];
  return label ? t(label) : value.replaceAll('-', ' ');
}

/** Each detail as a label and a readable value, in the order they were recorded. */
export function detailItems(
  t: Translate,
  format: Formatters,
  details: Readonly<Record<string, string | number | boolean | null>>,
) {
  return Object.entries(details).map(([key, value]) => {
    const label = DETAIL_LABELS[key];
    return { key, label: label ? t(label) : humanize(key), value: valueText(t, format, key, value) };
  });
}
