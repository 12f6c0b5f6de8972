import { useState, type FormEvent } from 'react';
import { AuthCard, focusFirstProblem, LiveMessage, TextField } from '../components/ui';
import { auth, useAuth } from '../store/auth-store';
import type { ViewOf } from './view';

const NOTICES = {
  sessionExpired: 'Your session ended because you were inactive. Log on again to continue.',
  signedOut: 'You have signed out.',
  cancelled: 'Log-on cancelled.',
} as const;

export function LogOnScreen({ view }: { view: ViewOf<'signedOut'> }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [missing, setMissing] = useState<{ username?: string; password?: string }>({});
  const busy = useAuth((s) => s.pending > 0);
  const actionError = useAuth((s) => s.actionError);
  const error = view.error?.message ?? actionError?.message;

  async function submit(event: FormEvent) {
    event.preventDefault();
    const next = {
      ...(username.trim() ? {} : { username: 'Enter your username.' }),
      ...(password ? {} : { password: 'Enter your password.' }),
    };
    setMissing(next);
    if (focusFirstProblem(next, { username: 'logon-username', password: 'logon-password' })) return;
    if (await auth.logOn(username.trim(), password)) setPassword('');
  }

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
      <form className="form" onSubmit={submit} noValidate>
        <LiveMessage testId="login-error" message={error} />
        <TextField
          id="logon-username"
          label="Username"
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
          label="Password"
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
            {busy ? 'Logging on…' : 'Log on'}
          </button>
          {view.ssoEnabled ? (
            <button
              type="button"
              className="button button-secondary"
              data-testid="login-sso"
              onClick={() => void auth.ssoStart()}
            >
              Log on with SSO
            </button>
          ) : null}
        </div>
      </form>
    </AuthCard>
  );
}
