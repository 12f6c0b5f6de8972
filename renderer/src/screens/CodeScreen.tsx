import { useRef, useState, type ChangeEvent, type FormEvent } from 'react';
import type { Method } from '@contract/domain';
import { AuthCard, LiveMessage, plural } from '../components/ui';
import { auth, useAuth } from '../store/auth-store';
import { formatCountdown, useServerNow } from '../time';
import { useEscapeCancels, type ViewOf } from './view';

export const CODE_LENGTH = 6;

/** What a person typed or pasted ("123 456", "123456\n", "123-456"), as the digits alone. */
export function codeDigits(typed: string): string {
  return typed.replace(/\D/g, '').slice(0, CODE_LENGTH);
}

/** How a code travels, as in "We sent a code by SMS". */
export const sentBy = (method: Method): string => (method === 'sms' ? 'by SMS' : 'by e-mail (beta)');

export function CodeScreen({ view }: { view: ViewOf<'awaitingCode'> }) {
  useEscapeCancels();
  const [code, setCode] = useState('');
  const [localError, setLocalError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const busy = useAuth((s) => s.pending > 0);
  const actionError = useAuth((s) => s.actionError);
  const now = useServerNow();

  const expired = now >= view.expiresAt;
  const cooling = view.resendAt !== null && now < view.resendAt;
  const error = localError ?? actionError?.message ?? view.error?.message;

  async function submit(digits: string) {
    if (digits.length !== CODE_LENGTH) {
      setLocalError(`Enter the ${CODE_LENGTH}-digit code.`);
      input.current?.focus();
      return;
    }
    setLocalError(null);
    const accepted = await auth.submitCode(digits);
    if (!accepted) input.current?.focus();
  }

  function onChange(event: ChangeEvent<HTMLInputElement>) {
    const digits = codeDigits(event.target.value);
    setCode(digits);
    if (localError) setLocalError(null);
    // A full code (typed, pasted or filled in by the OS) goes at once.
    if (digits.length === CODE_LENGTH && digits !== code && !busy) void submit(digits);
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    void submit(code);
  }

  function resend() {
    if (cooling || busy) return;
    void auth.resendCode();
  }

  return (
    <AuthCard
      title={view.purpose === 'logon' ? 'Enter your verification code' : 'Confirm with a new code'}
      testId="screen-code"
    >
      {view.purpose === 'afterPasswordChange' ? (
        <p className="lead" data-testid="code-after-password-change">
          Your password has been changed. To finish, enter the new one-time code.
        </p>
      ) : null}
      <p className="lead" data-testid="code-destination">
        We sent a code {sentBy(view.method)} to{' '}
        <strong className="destination">{view.maskedDestination}</strong>.
      </p>
      <form className="form" onSubmit={onSubmit} noValidate>
        <LiveMessage testId="code-error" message={error} />
        <div className={`field${error ? ' field-invalid' : ''}`}>
          <label htmlFor="code-input">Verification code</label>
          <input
            ref={input}
            id="code-input"
            className="code-input"
            data-testid="code-input"
            type="text"
            autoComplete="one-time-code"
            inputMode="numeric"
            spellCheck={false}
            autoFocus
            value={code}
            onChange={onChange}
            aria-invalid={error ? true : undefined}
            aria-describedby="code-status"
          />
        </div>
        <p className="status-line" id="code-status">
          <span data-testid="code-expiry" className={expired ? 'text-warning' : undefined}>
            {expired ? 'This code has expired.' : `Expires in ${formatCountdown(view.expiresAt - now)}`}
          </span>
          <span aria-hidden="true"> · </span>
          <span data-testid="code-attempts-left">{plural(view.attemptsLeft, 'attempt')} left</span>
        </p>
        <LiveMessage
          testId="code-expired"
          tone="info"
          message={
            expired
              ? view.resendAt !== null
                ? 'The code has expired. Use “Resend code” to get a new one.'
                : 'The code has expired. Cancel and log on again to get a new one.'
              : null
          }
        />
        <button type="submit" className="button button-primary button-block" data-testid="code-submit">
          {busy ? 'Checking…' : 'Verify'}
        </button>
        <div className="actions actions-split">
          {view.resendAt !== null ? (
            <button
              type="button"
              className="button button-secondary"
              data-testid="code-resend"
              aria-disabled={cooling || undefined}
              aria-describedby="code-resend-hint"
              onClick={resend}
            >
              {cooling ? `Resend code in ${formatCountdown(view.resendAt - now)}` : 'Resend code'}
            </button>
          ) : (
            <span />
          )}
          <button
            type="button"
            className="button button-quiet"
            data-testid="code-cancel"
            onClick={() => void auth.cancel()}
          >
            Cancel
          </button>
        </div>
        <p className="hint" id="code-resend-hint" data-testid="code-resend-info">
          {view.resendAt === null
            ? 'No more codes can be sent for this log-on. Cancel and log on again if you need a new one.'
            : `You can ask for ${plural(view.resendsLeft, 'more code')}. Press Esc to cancel.`}
        </p>
      </form>
    </AuthCard>
  );
}
