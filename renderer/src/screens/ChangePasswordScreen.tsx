import { useState, type FormEvent } from 'react';
import { AuthCard, LiveMessage, TextField } from '../components/ui';
import { PasswordRules, passwordProblems } from '../components/PasswordRules';
import { auth, useAuth } from '../store/auth-store';
import { useEscapeCancels, type ViewOf } from './view';

export function ChangePasswordScreen({ view }: { view: ViewOf<'passwordChangeRequired'> }) {
  useEscapeCancels();
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [problems, setProblems] = useState<{ password?: string; confirm?: string }>({});
  const actionError = useAuth((s) => s.actionError);
  const busy = useAuth((s) => s.pending > 0);
  const serverError = actionError ?? view.error;
  // main names the field its error concerns; anything else is shown above the form.
  const fieldError = (field: 'newPassword' | 'confirmPassword') =>
    serverError?.field === field ? serverError.message : undefined;
  const formError = serverError && !serverError.field ? serverError.message : null;

  async function submit(event: FormEvent) {
    event.preventDefault();
    const found = passwordProblems(password, confirm, view.passwordRules);
    setProblems(found);
    if (found.password || found.confirm) {
      document.getElementById(found.password ? 'pw-new' : 'pw-confirm')?.focus();
      return;
    }
    await auth.changePassword(password, confirm);
  }

  return (
    <AuthCard title="Change your password" testId="screen-change-password">
      <p className="lead">
        Your administrator asks you to choose a new password before you continue. After that you will receive
        another one-time verification code.
      </p>
      <PasswordRules rules={view.passwordRules} testId="pw-rules" id="pw-rules" />
      <form className="form" onSubmit={submit} noValidate>
        <LiveMessage
          testId="pw-error"
          message={formError ?? (serverError?.field ? 'Check the highlighted field.' : null)}
        />
        <TextField
          id="pw-new"
          label="New password"
          testId="pw-new"
          type="password"
          autoComplete="new-password"
          autoFocus
          value={password}
          onValue={setPassword}
          aria-describedby="pw-rules"
          error={problems.password ?? fieldError('newPassword')}
        />
        <TextField
          id="pw-confirm"
          label="Confirm new password"
          testId="pw-confirm"
          type="password"
          autoComplete="new-password"
          value={confirm}
          onValue={setConfirm}
          error={problems.confirm ?? fieldError('confirmPassword')}
        />
        <div className="actions">
          <button type="submit" className="button button-primary" data-testid="pw-submit">
            {busy ? 'Saving…' : 'Change password'}
          </button>
          <button
            type="button"
            className="button button-quiet"
            data-testid="pw-cancel"
            onClick={() => void auth.cancel()}
          >
            Cancel
          </button>
        </div>
      </form>
    </AuthCard>
  );
}
