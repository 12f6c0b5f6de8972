import { useEffect, useState } from 'react';
import type { Method } from '@contract/domain';
import { LiveMessage, SelectField, TextField } from '../../components/ui';
import { sc, toWindowError, unwrap } from '../../api';
import { useForm, useSingleFlight } from '../../components/form';
import { CODE_LENGTH, codeDigits, sentBy } from '../CodeScreen';

type Outcome = { tone: 'success' | 'error'; text: string };

/** Sends a real verification to the administrator's own number or address and checks the code. */
export function TestConnection({ readOnly }: { readOnly: boolean }) {
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
      code.length === CODE_LENGTH ? {} : { code: `Enter the ${CODE_LENGTH}-digit code you received.` },
    async send({ code }) {
      setError(null);
      const result = await unwrap(sc().verify.testConfirm({ code }));
      setOutcome({ tone: result.outcome === 'successful' ? 'success' : 'error', text: result.message });
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
      <h2 id="verify-title">Test connection</h2>
      <p className="muted">
        Sends a verification code to your own mobile number or e-mail address with the current policy and
        secret, then checks the code you received.
      </p>
      {readOnly ? (
        <p className="hint">Only administrators can run a test.</p>
      ) : (
        <>
          <div className="inline-form">
            <SelectField
              id="verify-method"
              label="Send by"
              testId="verify-method"
              value={method}
              onValue={(v) => setMethod(v as Method)}
              options={[
                { value: 'sms', label: 'SMS' },
                { value: 'email', label: 'Email (beta)' },
              ]}
            />
            <button
              type="button"
              className="button button-secondary"
              data-testid="verify-start"
              onClick={() => void start.run()}
            >
              {working && !sentTo ? 'Sending…' : sentTo ? 'Send a new code' : 'Send test code'}
            </button>
          </div>
          {sentTo ? (
            <form className="form subform" onSubmit={form.onSubmit} noValidate>
              <p data-testid="verify-destination">
                Code sent {sentBy(sentTo.method)} to{' '}
                <strong className="destination">{sentTo.maskedDestination}</strong>.
              </p>
              <TextField
                id="verify-code"
                label="Code you received"
                testId="verify-code"
                autoComplete="one-time-code"
                inputMode="numeric"
                className="code-input code-input-small"
                value={form.values.code}
                onValue={(v) => form.set('code', codeDigits(v))}
              />
              <div className="actions">
                <button type="submit" className="button button-primary" data-testid="verify-confirm">
                  {working ? 'Checking…' : 'Check code'}
                </button>
              </div>
            </form>
          ) : null}
          <LiveMessage testId="verify-outcome" tone={outcome?.tone ?? 'success'} message={outcome?.text} />
          <LiveMessage testId="verify-error" message={error ?? form.error('code') ?? form.formError} />
        </>
      )}
    </section>
  );
}
