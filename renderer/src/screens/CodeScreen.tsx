import type { ChangeEvent, KeyboardEvent } from 'react';
import type { Method } from '@contract/domain';
import { AuthCard, LiveMessage, plural } from '../components/ui';
import { useForm, useSingleFlight } from '../components/form';
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
  const actionError = useAuth((s) => s.actionError);
  const now = useServerNow();
  const form = useForm({
    initial: { code: '' },
    controls: { code: 'code-input' },
    check: ({ code }) =>
      code.length === CODE_LENGTH ? {} : { code: `Enter the ${CODE_LENGTH}-digit code.` },
    async send({ code }) {
      if (!(await auth.submitCode(code))) document.getElementById('code-input')?.focus();
    },
  });
  const resend = useSingleFlight(auth.resendCode);

  const expired = now >= view.expiresAt;
  const cooling = view.resendAt !== null && now < view.resendAt;
  // main's answer to the last code sent ("That code is not right… We sent you a new code.") stays until
  // the next code is sent: the window's own note about an incomplete code never takes its place.
  const answer = actionError?.message ?? view.error?.message;
  const incomplete = form.error('code');
  const error = answer ?? incomplete;

  function onChange(event: ChangeEvent<HTMLInputElement>) {
    const digits = codeDigits(event.target.value);
    const changed = digits !== form.values.code;
    form.set('code', digits);
    // A full code (typed, pasted or filled in by the OS) goes at once.
    if (digits.length === CODE_LENGTH && changed) void form.submit();
  }

  // Enter out of habit on an empty field (after the answer emptied it, or carried over from Log on) sends
  // nothing and says nothing: the answer on screen stays the last word.
  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === 'Enter' && form.values.code === '') event.preventDefault();
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
      <form className="form" onSubmit={form.onSubmit} noValidate>
        <LiveMessage testId="code-error" message={error} />
        <div className={`field${error ? ' field-invalid' : ''}`}>
          <label htmlFor="code-input">Verification code</label>
          <input
            id="code-input"
            className="code-input"
            data-testid="code-input"
            type="text"
            autoComplete="one-time-code"
            inputMode="numeric"
            spellCheck={false}
            autoFocus
            value={form.values.code}
            onChange={onChange}
            onKeyDown={onKeyDown}
            aria-invalid={error ? true : undefined}
            aria-describedby={answer && incomplete ? 'code-status code-input-error' : 'code-status'}
          />
          {answer && incomplete ? (
            <p className="field-error" id="code-input-error" data-testid="code-input-error">
              {incomplete}
            </p>
          ) : null}
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
          {form.submitting ? 'Checking…' : 'Verify'}
        </button>
        <div className="actions actions-split">
          {view.resendAt !== null ? (
            <button
              type="button"
              className="button button-secondary"
              data-testid="code-resend"
              aria-disabled={cooling || undefined}
              aria-describedby="code-resend-hint"
              onClick={() => {
                if (!cooling) void resend.run();
              }}
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
