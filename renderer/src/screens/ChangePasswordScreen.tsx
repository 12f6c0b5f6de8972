import { useState, type FormEvent } from 'react';
import { AuthCard, focusFirstProblem, LiveMessage } from '../components/ui';
import { NewPasswordFields, PasswordRules, passwordProblems } from '../components/PasswordRules';
import { auth, useAuth } from '../store/auth-store';
import { useEscapeCancels, useFormError, type ViewOf } from './view';

export function ChangePasswordScreen({ view }: { view: ViewOf<'passwordChangeRequired'> }) {
  useEscapeCancels();
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [problems, setProblems] = useState<{ password?: string; confirm?: string }>({});
  const busy = useAuth((s) => s.pending > 0);
  const { fieldError, formError, hasFieldError } = useFormError(view.error);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const found = passwordProblems(password, confirm, view.passwordRules);
    setProblems(found);
    if (focusFirstProblem(found, { password: 'pw-new', confirm: 'pw-confirm' })) return;
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
          message={formError ?? (hasFieldError ? 'Check the highlighted field.' : null)}
        />
        <NewPasswordFields
          rulesId="pw-rules"
          password={{
            id: 'pw-new',
            label: 'New password',
            testId: 'pw-new',
            autoFocus: true,
            value: password,
            onValue: setPassword,
            error: problems.password ?? fieldError('newPassword'),
          }}
          confirm={{
            id: 'pw-confirm',
            label: 'Confirm new password',
            testId: 'pw-confirm',
            value: confirm,
            onValue: setConfirm,
            error: problems.confirm ?? fieldError('confirmPassword'),
          }}
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
