import { useState, type FormEvent } from 'react';
import { AuthCard, focusFirstProblem, LiveMessage, TextField } from '../components/ui';
import { auth, useAuth } from '../store/auth-store';
import { LanguagePicker } from '../components/LanguagePicker';
import { useT } from '../i18n/react';
import { optionalErrorText } from '../i18n/errors';
import type { MessageKey } from '../i18n/i18n';
import type { ViewOf } from './view';

const NOTICES = {
  sessionExpired: 'logon.notice.sessionExpired',
  signedOut: 'logon.notice.signedOut',
  cancelled: 'logon.notice.cancelled',
} as const satisfies Record<string, MessageKey>;

export function LogOnScreen({ view }: { view: ViewOf<'signedOut'> }) {
  const { t } = useT();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [missing, setMissing] = useState<{ username?: string; password?: string }>({});
  const busy = useAuth((s) => s.pending > 0);
  const actionError = useAuth((s) => s.actionError);
  const error = optionalErrorText(view.error ?? actionError);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const next = {
      ...(username.trim() ? {} : { username: t('logon.username.missing') }),
      ...(password ? {} : { password: t('logon.password.missing') }),
    };
    setMissing(next);
    if (focusFirstProblem(next, { username: 'logon-username', password: 'logon-password' })) return;
    if (await auth.logOn(username.trim(), password)) setPassword('');
  }

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
      <form className="form" onSubmit={submit} noValidate>
        <LiveMessage testId="login-error" message={error} />
        <TextField
          id="logon-username"
          label={t('logon.username')}
          testId="login-username"
          value={username}
          onValue={setUsername}
          autoComplete="username"
          autoCapitalize="off"
          spellCheck={false}
          autoFocus
          required
          error={missing.username}
        />
        <TextField
          id="logon-password"
          label={t('logon.password')}
          testId="login-password"
          type="password"
          value={password}
          onValue={setPassword}
          autoComplete="current-password"
          required
          error={missing.password}
        />
        <div className="actions">
          <button type="submit" className="button button-primary" data-testid="login-submit">
            {busy ? t('logon.submit.busy') : t('logon.submit')}
          </button>
          {view.ssoEnabled ? (
            <button
              type="button"
              className="button button-secondary"
              data-testid="login-sso"
              onClick={() => void auth.ssoStart()}
            >
              {t('logon.sso')}
            </button>
          ) : null}
        </div>
      </form>
    </AuthCard>
  );
}
