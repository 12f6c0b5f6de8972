import { useEffect } from 'react';
import { AuthCard, LiveMessage, TextField } from '../components/ui';
import { useForm, useSingleFlight } from '../components/form';
import { auth, useAuth } from '../store/auth-store';
import { LanguagePicker } from '../components/LanguagePicker';
import { useT } from '../i18n/react';
import { optionalErrorText } from '../i18n/errors';
import type { MessageKey } from '../i18n/i18n';
import type { ViewOf } from './view';
import { clearPrefill, LOGON_CONTROLS, prefill } from './logon-prefill';

const NOTICES = {
  sessionExpired: 'logon.notice.sessionExpired',
  signedOut: 'logon.notice.signedOut',
  cancelled: 'logon.notice.cancelled',
} as const satisfies Record<string, MessageKey>;

export function LogOnScreen({ view }: { view: ViewOf<'signedOut'> }) {
  const { t } = useT();
  const actionError = useAuth((s) => s.actionError);
  const error = optionalErrorText(view.error ?? actionError);
  const form = useForm({
    initial: prefill,
    controls: LOGON_CONTROLS,
    check: ({ username, password }) => ({
      ...(username.trim() ? {} : { username: t('logon.username.missing') }),
      ...(password ? {} : { password: t('logon.password.missing') }),
    }),
    async send({ username, password }) {
      if (await auth.logOn(username.trim(), password)) form.set('password', '');
    },
  });
  const sso = useSingleFlight(auth.ssoStart);
  useEffect(clearPrefill, []);

  return (
    <AuthCard title={t('logon.title')} testId="screen-logon" corner={<LanguagePicker />}>
      {view.notice ? (
        <p
          className={`notice${view.notice === 'sessionExpired' ? ' notice-warning' : ''}`}
          role="status"
          data-testid="login-notice"
        >
          {t(NOTICES[view.notice])}
        </p>
      ) : null}
      {/* method="dialog": a submit before the script has taken the prerendered form over goes nowhere
          (outside a <dialog> it does nothing; no action, no field names, and the CSP's form-action 'none'). */}
      <form className="form" method="dialog" onSubmit={form.onSubmit} noValidate>
        <LiveMessage testId="login-error" message={error} />
        <TextField
          id={LOGON_CONTROLS.username}
          label={t('logon.username')}
          testId="login-username"
          value={form.values.username}
          onValue={(v) => form.set('username', v)}
          autoComplete="username"
          autoCapitalize="off"
          spellCheck={false}
          autoFocus
          required
          error={form.error('username')}
        />
        <TextField
          id={LOGON_CONTROLS.password}
          label={t('logon.password')}
          testId="login-password"
          type="password"
          value={form.values.password}
          onValue={(v) => form.set('password', v)}
          autoComplete="current-password"
          required
          error={form.error('password')}
        />
        <div className="actions">
          <button type="submit" className="button button-primary" data-testid="login-submit">
            {form.submitting ? t('logon.submit.busy') : t('logon.submit')}
          </button>
          {view.ssoEnabled ? (
            <button
              type="button"
              className="button button-secondary"
              data-testid="login-sso"
              onClick={() => void sso.run()}
            >
              {t('logon.sso')}
            </button>
          ) : null}
        </div>
      </form>
    </AuthCard>
  );
}
