import { useEffect, useState } from 'react';
import type { Method } from '@contract/domain';
import { LiveMessage, SelectField, TextField } from '../../components/ui';
import { sc, toWindowError, unwrap } from '../../api';
import { useForm, useSingleFlight } from '../../components/form';
import { CODE_LENGTH, codeDigits } from '../CodeScreen';
import type { MessageKey } from '../../i18n/i18n';
import { useT } from '../../i18n/react';

type Outcome = { tone: 'success' | 'error'; text: MessageKey };

const OUTCOMES = {
  successful: 'verify.outcome.successful',
  'wrong-code': 'verify.outcome.wrongCode',
  'not-valid': 'verify.outcome.notValid',
} as const satisfies Record<string, MessageKey>;
const SENT_TO = { sms: 'verify.sentBySms', email: 'verify.sentByEmail' } as const satisfies Record<
  Method,
  MessageKey
>;

/** Sends a real verification to the administrator's own number or address and checks the code. */
export function TestConnection({ readOnly }: { readOnly: boolean }) {
  const { t } = useT();
  const [method, setMethod] = useState<Method>('sms');
  const [sentTo, setSentTo] = useState<{ method: Method; maskedDestination: string } | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [error, setError] = useState<string | null>(null);

  // A new code was sent: the code field is where the administrator goes next.
  useEffect(() => {
    if (sentTo) document.getElementById('verify-code')?.focus();
  }, [sentTo]);

  const form = useForm({
    initial: { code: '' },
    controls: { code: 'verify-code' },
    check: ({ code }) =>
      code.length === CODE_LENGTH ? {} : { code: t('code.incomplete', { digits: CODE_LENGTH }) },
    async send({ code }) {
      setError(null);
      const result = await unwrap(sc().verify.testConfirm({ code }));
      setOutcome({
        tone: result.outcome === 'successful' ? 'success' : 'error',
        text: OUTCOMES[result.outcome],
      });
      if (result.outcome !== 'wrong-code') setSentTo(null);
      form.reset({ code: '' });
    },
  });
  const start = useSingleFlight(async () => {
    setError(null);
    setOutcome(null);
    form.reset({ code: '' });
    try {
      setSentTo(await unwrap(sc().verify.testStart({ method })));
    } catch (e) {
      setSentTo(null);
      setError(toWindowError(e).message);
    }
  });

  const working = start.running || form.submitting;

  return (
    <section className="panel" aria-labelledby="verify-title" data-testid="verify-panel">
      <h2 id="verify-title">{t('verify.title')}</h2>
      <p className="muted">{t('verify.intro')}</p>
      {readOnly ? (
        <p className="hint">{t('verify.adminOnly')}</p>
      ) : (
        <>
          <div className="inline-form">
            <SelectField
              id="verify-method"
              label={t('verify.sendBy')}
              testId="verify-method"
              value={method}
              onValue={(v) => setMethod(v as Method)}
              options={[
                { value: 'sms', label: t('method.sms') },
                { value: 'email', label: t('method.email') },
              ]}
            />
            <button
              type="button"
              className="button button-secondary"
              data-testid="verify-start"
              onClick={() => void start.run()}
            >
              {working && !sentTo ? t('verify.sending') : sentTo ? t('verify.sendNew') : t('verify.send')}
            </button>
          </div>
          {sentTo ? (
            <form className="form subform" onSubmit={form.onSubmit} noValidate>
              <p data-testid="verify-destination">
                {t(SENT_TO[sentTo.method])}{' '}
                <strong className="destination">{sentTo.maskedDestination}</strong>.
              </p>
              <TextField
                id="verify-code"
                label={t('verify.code')}
                testId="verify-code"
                autoComplete="one-time-code"
                inputMode="numeric"
                className="code-input code-input-small"
                value={form.values.code}
                onValue={(v) => form.set('code', codeDigits(v))}
              />
              <div className="actions">
                <button type="submit" className="button button-primary" data-testid="verify-confirm">
                  {working ? t('code.submit.busy') : t('verify.check')}
                </button>
              </div>
            </form>
          ) : null}
          <LiveMessage
            testId="verify-outcome"
            tone={outcome?.tone ?? 'success'}
            message={outcome ? t(outcome.text) : null}
          />
          <LiveMessage testId="verify-error" message={error ?? form.error('code') ?? form.formError} />
        </>
      )}
    </section>
  );
}
