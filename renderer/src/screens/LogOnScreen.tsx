import { AuthCard, LiveMessage, TextField } from '../components/ui';
import { useForm, useSingleFlight } from '../components/form';
import { auth, useAuth } from '../store/auth-store';
import type { ViewOf } from './view';

const NOTICES = {
  sessionExpired: 'Your session ended because you were inactive. Log on again to continue.',
  signedOut: 'You have signed out.',
  cancelled: 'Log-on cancelled.',
} as const;

export function LogOnScreen({ view }: { view: ViewOf<'signedOut'> }) {
  const actionError = useAuth((s) => s.actionError);
  const error = view.error?.message ?? actionError?.message;
  const form = useForm({
    initial: { username: '', password: '' },
    controls: { username: 'logon-username', password: 'logon-password' },
    check: ({ username, password }) => ({
      ...(username.trim() ? {} : { username: 'Enter your username.' }),
      ...(password ? {} : { password: 'Enter your password.' }),
    }),
    async send({ username, password }) {
      if (await auth.logOn(username.trim(), password)) form.set('password', '');
    },
  });
  const sso = useSingleFlight(auth.ssoStart);

  return (
    <AuthCard title="Log on" testId="screen-logon">
      {view.notice ? (
        <p
          className={`notice${view.notice === 'sessionExpired' ? ' notice-warning' : ''}`}
          role="status"
          data-testid="login-notice"
        >
          {NOTICES[view.notice]}
        </p>
      ) : null}
      <form className="form" onSubmit={form.onSubmit} noValidate>
        <LiveMessage testId="login-error" message={error} />
        <TextField
          id="logon-username"
          label="Username"
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
          id="logon-password"
          label="Password"
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
            {form.submitting ? 'Logging on…' : 'Log on'}
          </button>
          {view.ssoEnabled ? (
            <button
              type="button"
              className="button button-secondary"
              data-testid="login-sso"
              onClick={() => void sso.run()}
            >
              Log on with SSO
            </button>
          ) : null}
        </div>
      </form>
    </AuthCard>
  );
}
