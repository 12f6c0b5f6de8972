/**
 * How the Audit log screen says an entry in words: the action's label (from the contract's one list), and
 * each detail as "Attempts left: 2" with its value made readable (reasons, methods, yes/no, times).
 */
import { AUDIT_ACTION_LABELS } from '../../../../main/contract/domain';
import { formatDateTime } from '../../time';

export function actionLabel(action: string): string {
  return (AUDIT_ACTION_LABELS as Record<string, string>)[action] ?? action;
}

const DETAIL_LABELS: Record<string, string> = {
  attemptsLeft: 'Attempts left',
  failedCodeAttempts: 'Failed codes before',
  wasLocked: 'Was locked',
  lockedUntil: 'Locked until',
  reason: 'Reason',
  method: 'Method',
  purpose: 'For',
  resend: 'Resent',
  step: 'Step',
  stage: 'Stage',
  failure: 'Failure',
  via: 'Signed in with',
  fields: 'Changed',
  roles: 'Roles',
  email: 'E-mail address',
  mobile: 'Mobile number',
  kind: 'Secret',
  authId: 'Authentication ID',
  replaced: 'Replaced',
  mustChange: 'Must change at next log on',
  rows: 'Rows',
  cancelled: 'Cancelled',
  result: 'Result',
  error: 'Error',
  providerErrorCode: 'Sinch error code',
  httpStatus: 'HTTP status',
  endpoint: 'Endpoint',
  authMethod: 'Authentication method',
};

const VALUE_LABELS: Record<string, string> = {
  'wrong-password': 'wrong password',
  'unknown-user': 'unknown user',
  inactive: 'account deactivated',
  throttled: 'too many password attempts',
  'sc-locked': 'account locked',
  'no-verification-contact': 'no contact for the code',
  sms: 'SMS',
  email: 'e-mail',
  logon: 'log-on',
  afterPasswordChange: 'after a password change',
  password: 'password',
  sso: 'SSO',
  set: 'set',
  none: 'none',
  basic: 'Basic',
  signed: 'application signed request',
};

/** "camelCase" → "Camel case", for a detail this list does not know yet. */
function humanize(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[-_.]/g, ' ')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function valueText(key: string, value: string | number | boolean | null): string {
  if (value === null) return '—';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number') return key === 'rows' ? value.toLocaleString() : String(value);
  if (/Until$|At$/.test(key) && !Number.isNaN(Date.parse(value))) return formatDateTime(Date.parse(value));
  if (key === 'fields' || key === 'roles')
    return value
      .split(',')
      .filter(Boolean)
      .map((part) => humanize(part.replace(/^[a-z]+\./, '')).toLowerCase())
      .join(', ');
  return VALUE_LABELS[value] ?? value.replaceAll('-', ' ');
}

/** Each detail as a label and a readable value, in the order they were recorded. */
export function detailItems(details: Readonly<Record<string, string | number | boolean | null>>) {
  return Object.entries(details).map(([key, value]) => ({
    key,
    label: DETAIL_LABELS[key] ?? humanize(key),
    value: valueText(key, value),
  }));
}
