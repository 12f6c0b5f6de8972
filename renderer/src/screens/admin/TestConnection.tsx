import { useEffect, useState, type FormEvent } from 'react';
import type { Method } from '@contract/domain';
import { LiveMessage, SelectField, TextField } from '../../components/ui';
import { sc, toWindowError, unwrap } from '../../api';
import { CODE_LENGTH, codeDigits, sentBy } from '../CodeScreen';

type Outcome = { tone: 'success' | 'error'; text: string };

/** Sends a real verification to the administrator's own number or address and checks the code. */
export function TestConnection({ readOnly }: { readOnly: boolean }) {
  const [method, setMethod] = useState<Method>('sms');
  const [sentTo, setSentTo] = useState<{ method: Method; maskedDestination: string } | null>(null);
  const [code, setCode] = useState('');
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [working, setWorking] = useState(false);

  // A new code was sent: the code field is where the administrator goes next.
  useEffect(() => {
    if (sentTo) document.getElementById('verify-code')?.focus();
  }, [sentTo]);

  async function start() {
    setWorking(true);
    setError(null);
    setOutcome(null);
    setCode('');
    try {
      const started = await unwrap(sc().verify.testStart({ method }));
      setSentTo(started);
    } catch (e) {
      setSentTo(null);
      setError(toWindowError(e).message);
    } finally {
      setWorking(false);
    }
  }

  async function confirm(event: FormEvent) {
    event.preventDefault();
    if (code.length !== CODE_LENGTH) {
      setError(`Enter the ${CODE_LENGTH}-digit code you received.`);
      return;
    }
    setWorking(true);
    setError(null);
    try {
      const result = await unwrap(sc().verify.testConfirm({ code }));
      setOutcome({ tone: result.outcome === 'successful' ? 'success' : 'error', text: result.message });
      if (result.outcome !== 'wrong-code') setSentTo(null);
      setCode('');
    } catch (e) {
      setError(toWindowError(e).message);
    } finally {
      setWorking(false);
    }
  }

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
              onClick={() => void start()}
            >
              {working && !sentTo ? 'Sending…' : sentTo ? 'Send a new code' : 'Send test code'}
            </button>
          </div>
          {sentTo ? (
            <form className="form subform" onSubmit={confirm} noValidate>
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
                value={code}
                onValue={(v) => setCode(codeDigits(v))}
              />
              <div className="actions">
                <button type="submit" className="button button-primary" data-testid="verify-confirm">
                  {working ? 'Checking…' : 'Check code'}
                </button>
              </div>
            </form>
          ) : null}
          <LiveMessage testId="verify-outcome" tone={outcome?.tone ?? 'success'} message={outcome?.text} />
          <LiveMessage testId="verify-error" message={error} />
        </>
      )}
    </section>
  );
}
