import { useEffect, useState } from 'react';
import type { Policy, PolicySources } from '@contract/domain';
import { checkSinch, checkTwoFactor, type Fallback, type Method } from '@contract/field-rules';
import { CheckboxField, LiveMessage, SelectField, TextField } from '../../components/ui';
import { messagesByField } from '../../i18n/validation';
import { admin, useAdmin } from '../../store/admin-store';
import { useForm } from '../../components/form';
import { ReadinessPanel } from './ReadinessPanel';
import { AdminPage, ReadOnlyNotice } from './AdminPage';
import { useT } from '../../i18n/react';
import type { MessageKey } from '../../i18n/i18n';
import { toWindowError } from '../../api';

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

const METHOD_LABEL: Record<Method, MessageKey> = { sms: 'method.sms', email: 'method.email' };

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
  const twoFactor = checkTwoFactor(input.twoFactor);
  const sinch = checkSinch(input.sinch);
  return {
    errors: { ...messagesByField(twoFactor.refusals), ...messagesByField(sinch.refusals) },
    policy: twoFactor.value && sinch.value ? { twoFactor: twoFactor.value, sinch: sinch.value } : null,
  };
}

export function PolicyScreen({ readOnly }: { readOnly: boolean }) {
  const policy = useAdmin((s) => s.policy);
  const sources = useAdmin((s) => s.policySources);
  const loads = useAdmin((s) => s.policyLoads);
  const state = useAdmin((s) => s.policyState);
  const { t } = useT();
  useEffect(() => {
    void admin.loadPolicy();
  }, []);

  return (
    <AdminPage title={t('nav.policy')} testId="screen-policy" intro={t('policy.intro')}>
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
        setMessage({ tone: 'success', text: t('policy.saved') });
      } catch (error) {
        setMessage({ tone: 'error', text: t('policy.notSaved', { reason: toWindowError(error).message }) });
        throw error;
      }
    },
  });
  const { values: draft } = form;
  const shown = form.error;
  const dirty = JSON.stringify(draft) !== JSON.stringify(toDraft(policy));
  const refused = form.stoppedByChecks
    ? { tone: 'error' as const, text: t('policy.notSaved.checkFields') }
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
    label: MessageKey,
    testId: string,
    hint: MessageKey,
  ) => (
    <TextField
      id={fieldId(key)}
      label={t(label)}
      testId={testId}
      inputMode="numeric"
      className="input-narrow"
      value={draft[key]}
      onValue={(v) => change(key, v)}
      {...lock(`twoFactor.${key}`, t(hint))}
      error={shown(key)}
    />
  );

  return (
    <div className="policy-layout">
      <form className="form policy-form" onSubmit={form.onSubmit} noValidate aria-label={t('nav.policy')}>
        <fieldset className="panel" disabled={readOnly}>
          <legend>{t('policy.twoFactor')}</legend>
          <CheckboxField
            label={t('policy.enabled')}
            testId="policy-2fa-enabled"
            checked={draft.enabled}
            onChecked={(v) => change('enabled', v)}
            hint={managed('twoFactor.enabled') ? MANAGED_HINT : t('policy.enabled.hint')}
            disabled={readOnly || managed('twoFactor.enabled')}
          />
          <div className="form-grid">
            <SelectField
              id={fieldId('primaryMethod')}
              label={t('policy.primary')}
              testId="policy-primary"
              value={draft.primaryMethod}
              onValue={(v) => change('primaryMethod', v as Method)}
              {...lock('twoFactor.primaryMethod')}
              options={[
                { value: 'sms', label: t(METHOD_LABEL.sms) },
                { value: 'email', label: t(METHOD_LABEL.email) },
              ]}
              error={shown('primaryMethod')}
            />
            <SelectField
              id={fieldId('fallbackMethod')}
              label={t('policy.fallback')}
              testId="policy-fallback"
              value={draft.fallbackMethod}
              onValue={(v) => change('fallbackMethod', v as Fallback)}
              options={[
                { value: 'none', label: t('policy.fallback.none') },
                { value: other, label: t(METHOD_LABEL[other]) },
              ]}
              {...lock('twoFactor.fallbackMethod', t('policy.fallback.hint'))}
              error={shown('fallbackMethod')}
            />
          </div>
          <p className={`note${usesEmail ? ' note-warning' : ''}`} data-testid="policy-email-risk">
            <strong>{t('method.email')}:</strong> {t('policy.emailRisk')}
          </p>
          <div className="form-grid form-grid-3">
            {numberField(
              'validMinutes',
              'policy.validMinutes',
              'policy-valid-minutes',
              'policy.validMinutes.hint',
            )}
            {numberField(
              'maxAttempts',
              'policy.maxAttempts',
              'policy-max-attempts',
              'policy.maxAttempts.hint',
            )}
            {numberField(
              'lockMinutes',
              'policy.lockMinutes',
              'policy-lock-minutes',
              'policy.lockMinutes.hint',
            )}
          </div>
        </fieldset>

        <fieldset className="panel" disabled={readOnly}>
          <legend>{t('policy.sinch')}</legend>
          <div className="form-grid">
            <TextField
              id={fieldId('endpoint')}
              label={t('policy.endpoint')}
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
              label={t('policy.authMethod')}
              testId="sinch-auth"
              value={draft.authMethod}
              onValue={(v) => change('authMethod', v as Draft['authMethod'])}
              {...lock('sinch.authMethod')}
              options={[
                { value: 'basic', label: t('policy.authMethod.basic') },
                { value: 'signed', label: t('policy.authMethod.signed') },
              ]}
              error={shown('authMethod')}
            />
            <TextField
              id={fieldId('emailSenderAddress')}
              label={t('policy.emailSenderAddress')}
              testId="sinch-email-address"
              type="email"
              spellCheck={false}
              value={draft.emailSenderAddress}
              onValue={(v) => change('emailSenderAddress', v)}
              {...lock(
                'sinch.emailSenderAddress',
                usesEmail ? t('policy.emailSenderAddress.hint') : undefined,
              )}
              error={shown('emailSenderAddress')}
            />
            <TextField
              id={fieldId('emailSenderName')}
              label={t('policy.emailSenderName')}
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
              {form.submitting ? t('common.saving') : t('common.save')}
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
              {t('policy.discard')}
            </button>
            {dirty && !said ? (
              <span className="dirty" data-testid="policy-dirty">
                {t('policy.unsaved')}
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
