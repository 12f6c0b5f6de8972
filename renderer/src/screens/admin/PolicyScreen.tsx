import { useEffect, useState } from 'react';
import {
  sinchSettingsSchema,
  twoFactorPolicySchema,
  type Fallback,
  type Method,
  type Policy,
  type PolicySources,
} from '@contract/domain';
import { CheckboxField, LiveMessage, messagesByField, SelectField, TextField } from '../../components/ui';
import { admin, useAdmin } from '../../store/admin-store';
import { useForm } from '../../components/form';
import { ReadinessPanel } from './ReadinessPanel';
import { AdminPage, ReadOnlyNotice } from './AdminPage';
import { useT } from '../../i18n/react';

/** The form as typed: numbers stay text until checked, so "abc" gets the contract's own message. */
interface Draft {
  enabled: boolean;
  primaryMethod: Method;
  fallbackMethod: Fallback;
  validMinutes: string;
  maxAttempts: string;
  lockMinutes: string;
  endpoint: string;
  authMethod: Policy['sinch']['authMethod'];
  emailSenderAddress: string;
  emailSenderName: string;
}
/** The two blocks this screen edits (SSO has its own screen). */
type Blocks = Pick<Policy, 'twoFactor' | 'sinch'>;
type Field = keyof Draft;
/** main's name for a field: its block and key ("sinch.endpoint"), as the policy's sources name them. */
type FieldKey = `twoFactor.${keyof Policy['twoFactor']}` | `sinch.${keyof Policy['sinch']}`;
const BLOCK_OF: Record<Field, keyof Blocks> = {
  enabled: 'twoFactor',
  primaryMethod: 'twoFactor',
  fallbackMethod: 'twoFactor',
  validMinutes: 'twoFactor',
  maxAttempts: 'twoFactor',
  lockMinutes: 'twoFactor',
  endpoint: 'sinch',
  authMethod: 'sinch',
  emailSenderAddress: 'sinch',
  emailSenderName: 'sinch',
};
const fieldId = (key: Field) => `policy-${BLOCK_OF[key]}-${key}`;
/** Each field's control, in page order: the first invalid one gets focus. */
const CONTROLS = Object.fromEntries(
  (Object.keys(BLOCK_OF) as Field[]).map((key) => [key, fieldId(key)]),
) as Record<Field, string>;
/** main names a field by its block ("sinch.endpoint"). */
const fieldOf = (mainField: string): Field | undefined => {
  const key = mainField.split('.')[1] as Field | undefined;
  return key !== undefined && key in BLOCK_OF ? key : undefined;
};

const METHOD_LABEL: Record<Method, string> = { sms: 'SMS', email: 'Email (beta)' };

function toDraft(policy: Blocks): Draft {
  const { twoFactor: t, sinch: s } = policy;
  return {
    ...t,
    validMinutes: String(t.validMinutes),
    maxAttempts: String(t.maxAttempts),
    lockMinutes: String(t.lockMinutes),
    ...s,
  };
}

const asNumber = (typed: string): number => (typed.trim() === '' ? Number.NaN : Number(typed.trim()));

function candidate(draft: Draft) {
  return {
    twoFactor: {
      enabled: draft.enabled,
      primaryMethod: draft.primaryMethod,
      fallbackMethod: draft.fallbackMethod,
      validMinutes: asNumber(draft.validMinutes),
      maxAttempts: asNumber(draft.maxAttempts),
      lockMinutes: asNumber(draft.lockMinutes),
    },
    sinch: {
      endpoint: draft.endpoint,
      authMethod: draft.authMethod,
      emailSenderAddress: draft.emailSenderAddress.trim(),
      emailSenderName: draft.emailSenderName,
    },
  };
}

/** The contract's rules, field by field (the first message per field), and the policy when all pass. */
function validate(draft: Draft): { errors: Partial<Record<Field, string>>; policy: Blocks | null } {
  const input = candidate(draft);
  const twoFactor = twoFactorPolicySchema.safeParse(input.twoFactor);
  const sinch = sinchSettingsSchema.safeParse(input.sinch);
  return {
    errors: { ...messagesByField(twoFactor.error?.issues), ...messagesByField(sinch.error?.issues) },
    policy: twoFactor.success && sinch.success ? { twoFactor: twoFactor.data, sinch: sinch.data } : null,
  };
}

export function PolicyScreen({ readOnly }: { readOnly: boolean }) {
  const policy = useAdmin((s) => s.policy);
  const sources = useAdmin((s) => s.policySources);
  const loads = useAdmin((s) => s.policyLoads);
  const state = useAdmin((s) => s.policyState);
  useEffect(() => {
    void admin.loadPolicy();
  }, []);

  return (
    <AdminPage
      title="Authentication Policy"
      testId="screen-policy"
      intro="How people prove who they are when they log on to System Configurator, and how System Configurator reaches the Sinch Verification API."
    >
      {readOnly ? <ReadOnlyNotice /> : null}
      <LiveMessage testId="policy-load-error" message={state.error?.message} />
      {sources?.managedSource ? <ManagedNotice source={sources.managedSource} /> : null}
      {policy ? <PolicyForm key={loads} policy={policy} sources={sources} readOnly={readOnly} /> : null}
    </AdminPage>
  );
}

function ManagedNotice({ source }: { source: string }) {
  const { t } = useT();
  return (
    <p className="note" role="note" data-testid="policy-managed-notice">
      {t('policy.managed.notice')} {t('policy.managed.source')}{' '}
      <code data-testid="policy-managed-source">{source}</code>
    </p>
  );
}

function PolicyForm({
  policy,
  sources,
  readOnly,
}: {
  policy: Policy;
  sources: PolicySources | null;
  readOnly: boolean;
}) {
  const { t } = useT();
  const MANAGED_HINT = t('policy.managed.hint');
  /** A field the managed policy sets: shown, not editable, and says why. */
  const managed = (key: FieldKey) => sources?.fields[key] === 'managed';
  const lock = (key: FieldKey, hint?: string) =>
    managed(key) ? { disabled: true, hint: MANAGED_HINT, 'data-managed': 'true' } : { hint };
  const [message, setMessage] = useState<{ tone: 'error' | 'success'; text: string } | null>(null);
  const form = useForm<Draft, Field>({
    initial: () => toDraft(policy),
    controls: CONTROLS,
    check: (d) => validate(d).errors,
    checkWhileTyping: true,
    fieldOf,
    async send(d) {
      const valid = validate(d).policy;
      if (readOnly || !valid) return;
      try {
        const saved = await admin.savePolicy(valid);
        form.reset(toDraft(saved));
        setMessage({ tone: 'success', text: 'Policy saved. It applies from the next log-on.' });
      } catch (error) {
        const text = error instanceof Error ? error.message : 'The policy was not saved.';
        setMessage({ tone: 'error', text: `The policy was not saved: ${text}` });
        throw error;
      }
    },
  });
  const { values: draft } = form;
  const shown = form.error;
  const dirty = JSON.stringify(draft) !== JSON.stringify(toDraft(policy));
  const refused = form.stoppedByChecks
    ? { tone: 'error' as const, text: 'The policy was not saved: check the highlighted fields.' }
    : null;
  const said = refused ?? message;

  useEffect(() => {
    void admin.checkReadiness(draft.primaryMethod, draft.fallbackMethod);
  }, [draft.primaryMethod, draft.fallbackMethod]);

  function change<K extends Field>(key: K, value: Draft[K]) {
    form.set(key, value);
    // The fallback is "none" or the other method: never the primary one.
    if (key === 'primaryMethod' && draft.fallbackMethod === value) form.set('fallbackMethod', 'none');
    setMessage(null);
  }

  const usesEmail = draft.primaryMethod === 'email' || draft.fallbackMethod === 'email';
  const other: Method = draft.primaryMethod === 'sms' ? 'email' : 'sms';
  const numberField = (
    key: 'validMinutes' | 'maxAttempts' | 'lockMinutes',
    label: string,
    testId: string,
    hint: string,
  ) => (
    <TextField
      id={fieldId(key)}
      label={label}
      testId={testId}
      inputMode="numeric"
      className="input-narrow"
      value={draft[key]}
      onValue={(v) => change(key, v)}
      {...lock(`twoFactor.${key}`, hint)}
      error={shown(key)}
    />
  );

  return (
    <div className="policy-layout">
      <form
        className="form policy-form"
        onSubmit={form.onSubmit}
        noValidate
        aria-label="Authentication Policy"
      >
        <fieldset className="panel" disabled={readOnly}>
          <legend>Two-factor authentication (2FA) for System Configurator</legend>
          <CheckboxField
            label="Use two-factor authentication"
            testId="policy-2fa-enabled"
            checked={draft.enabled}
            onChecked={(v) => change('enabled', v)}
            hint={managed('twoFactor.enabled') ? MANAGED_HINT : 'Changes apply from the next log-on.'}
            disabled={readOnly || managed('twoFactor.enabled')}
          />
          <div className="form-grid">
            <SelectField
              id={fieldId('primaryMethod')}
              label="Primary method"
              testId="policy-primary"
              value={draft.primaryMethod}
              onValue={(v) => change('primaryMethod', v as Method)}
              {...lock('twoFactor.primaryMethod')}
              options={[
                { value: 'sms', label: METHOD_LABEL.sms },
                { value: 'email', label: METHOD_LABEL.email },
              ]}
              error={shown('primaryMethod')}
            />
            <SelectField
              id={fieldId('fallbackMethod')}
              label="Fallback method"
              testId="policy-fallback"
              value={draft.fallbackMethod}
              onValue={(v) => change('fallbackMethod', v as Fallback)}
              options={[
                { value: 'none', label: 'None' },
                { value: other, label: METHOD_LABEL[other] },
              ]}
              {...lock(
                'twoFactor.fallbackMethod',
                'Used only when a user has no contact for the primary method.',
              )}
              error={shown('fallbackMethod')}
            />
          </div>
          <p className={`note${usesEmail ? ' note-warning' : ''}`} data-testid="policy-email-risk">
            <strong>Email (beta):</strong> e-mail delivery is in beta, and NIST SP 800-63B does not accept
            e-mail as an out-of-band authentication channel. Prefer SMS; use e-mail as a fallback only.
          </p>
          <div className="form-grid form-grid-3">
            {numberField(
              'validMinutes',
              'Verification code valid for (minutes)',
              'policy-valid-minutes',
              'Default 5.',
            )}
            {numberField('maxAttempts', 'Maximum attempts for 2FA', 'policy-max-attempts', 'Default 3.')}
            {numberField('lockMinutes', 'Locked for (minutes)', 'policy-lock-minutes', 'Default 30.')}
          </div>
        </fieldset>

        <fieldset className="panel" disabled={readOnly}>
          <legend>Sinch Verification API</legend>
          <div className="form-grid">
            <TextField
              id={fieldId('endpoint')}
              label="Endpoint URL"
              testId="sinch-endpoint"
              type="url"
              spellCheck={false}
              value={draft.endpoint}
              onValue={(v) => change('endpoint', v)}
              {...lock('sinch.endpoint')}
              error={shown('endpoint')}
            />
            <SelectField
              id={fieldId('authMethod')}
              label="Authentication method"
              testId="sinch-auth"
              value={draft.authMethod}
              onValue={(v) => change('authMethod', v as Draft['authMethod'])}
              {...lock('sinch.authMethod')}
              options={[
                { value: 'basic', label: 'Basic' },
                { value: 'signed', label: 'Application signed request' },
              ]}
              error={shown('authMethod')}
            />
            <TextField
              id={fieldId('emailSenderAddress')}
              label="Email sender address"
              testId="sinch-email-address"
              type="email"
              spellCheck={false}
              value={draft.emailSenderAddress}
              onValue={(v) => change('emailSenderAddress', v)}
              {...lock(
                'sinch.emailSenderAddress',
                usesEmail ? 'Required while Email (beta) is used for 2FA.' : undefined,
              )}
              error={shown('emailSenderAddress')}
            />
            <TextField
              id={fieldId('emailSenderName')}
              label="Email sender name"
              testId="sinch-email-name"
              value={draft.emailSenderName}
              onValue={(v) => change('emailSenderName', v)}
              {...lock('sinch.emailSenderName')}
              error={shown('emailSenderName')}
            />
          </div>
        </fieldset>

        {readOnly ? null : (
          <div className="actions actions-sticky">
            <button type="submit" className="button button-primary" data-testid="policy-save">
              {form.submitting ? 'Saving…' : 'Save'}
            </button>
            <button
              type="button"
              className="button button-quiet"
              data-testid="policy-discard"
              disabled={!dirty}
              onClick={() => {
                form.reset(toDraft(policy));
                setMessage(null);
              }}
            >
              Discard changes
            </button>
            {dirty && !said ? (
              <span className="dirty" data-testid="policy-dirty">
                Unsaved changes
              </span>
            ) : null}
            <LiveMessage testId="policy-error" message={said?.tone === 'error' ? said.text : null} />
            <LiveMessage
              testId="policy-saved"
              tone="success"
              message={said?.tone === 'success' ? said.text : null}
            />
          </div>
        )}
      </form>
      <ReadinessPanel enabled={draft.enabled} primary={draft.primaryMethod} fallback={draft.fallbackMethod} />
    </div>
  );
}
