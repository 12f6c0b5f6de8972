import type { ChangeEvent, KeyboardEvent } from 'react';
import type { Method } from '@contract/domain';
import { AuthCard, LiveMessage } from '../components/ui';
import { useForm, useSingleFlight } from '../components/form';
import { optionalErrorText } from '../i18n/errors';
import type { MessageKey } from '../i18n/i18n';
import { useT } from '../i18n/react';
import { auth, useAuth } from '../store/auth-store';
import { formatCountdown, useServerNow } from '../time';
import { useEscapeCancels, type ViewOf } from './view';

export const CODE_LENGTH = 6;

/** What a person typed or pasted ("123 456", "123456\n", "123-456"), as the digits alone. */
export function codeDigits(typed: string): string {
  return typed.replace(/\D/g, '').slice(0, CODE_LENGTH);
}

/** "We sent a code by SMS to …" / "… by e-mail (beta) to …" */
const SENT_TO: Record<Method, MessageKey> = { sms: 'code.sentBySms', email: 'code.sentByEmail' };

export function CodeScreen({ view }: { view: ViewOf<'awaitingCode'> }) {
  useEscapeCancels();
  const { t } = useT();
  const actionError = useAuth((s) => s.actionError);
  const now = useServerNow();
  const form = useForm({
    initial: { code: '' },
    controls: { code: 'code-input' },
    check: ({ code }) =>
      code.length === CODE_LENGTH ? {} : { code: t('code.incomplete', { digits: CODE_LENGTH }) },
    async send({ code }) {
      if (!(await auth.submitCode(code))) document.getElementById('code-input')?.focus();
    },
  });
  const resend = useSingleFlight(auth.resendCode);

  const expired = now >= view.expiresAt;
  const cooling = view.resendAt !== null && now < view.resendAt;
  // main's answer to the last code sent ("That code is not right… We sent you a new code.") stays until
  // the next code is sent: the window's own note about an incomplete code never takes its place.
  const answer = optionalErrorText(actionError ?? view.error);
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
      title={view.purpose === 'logon' ? t('code.title') : t('code.titleAfterPasswordChange')}
      testId="screen-code"
    >
      {view.purpose === 'afterPasswordChange' ? (
        <p className="lead" data-testid="code-after-password-change">
          {t('code.afterPasswordChange')}
        </p>
      ) : null}
      <p className="lead" data-testid="code-destination">
        {t(SENT_TO[view.method])} <strong className="destination">{view.maskedDestination}</strong>.
      </p>
      <form className="form" onSubmit={form.onSubmit} noValidate>
        <LiveMessage testId="code-error" message={error} />
        <div className={`field${error ? ' field-invalid' : ''}`}>
          <label htmlFor="code-input">{t('code.label')}</label>
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
            {expired
              ? t('code.expired')
              : t('code.expiresIn', { time: formatCountdown(view.expiresAt - now) })}
          </span>
          <span aria-hidden="true"> · </span>
          <span data-testid="code-attempts-left">{t('code.attemptsLeft', { count: view.attemptsLeft })}</span>
        </p>
        <LiveMessage
          testId="code-expired"
          tone="info"
          message={
            expired ? (view.resendAt !== null ? t('code.expiredResend') : t('code.expiredLogOnAgain')) : null
          }
        />
        <button type="submit" className="button button-primary button-block" data-testid="code-submit">
          {form.submitting ? t('code.submit.busy') : t('code.submit')}
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
              {cooling
                ? t('code.resendIn', { time: formatCountdown(view.resendAt - now) })
                : t('code.resend')}
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
            {t('common.cancel')}
          </button>
        </div>
        <p className="hint" id="code-resend-hint" data-testid="code-resend-info">
          {view.resendAt === null ? t('code.noMoreCodes') : t('code.codesLeft', { count: view.resendsLeft })}
        </p>
      </form>
    </AuthCard>
  );
}
