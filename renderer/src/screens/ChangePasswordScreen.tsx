import { AuthCard, LiveMessage } from '../components/ui';
import { NewPasswordFields, PasswordRules, passwordProblems } from '../components/PasswordRules';
import { useForm } from '../components/form';
import { auth } from '../store/auth-store';
import { useEscapeCancels, useFormError, type ViewOf } from './view';

export function ChangePasswordScreen({ view }: { view: ViewOf<'passwordChangeRequired'> }) {
  useEscapeCancels();
  const { fieldError, formError, hasFieldError } = useFormError(view.error);
  const form = useForm({
    initial: { password: '', confirm: '' },
    controls: { password: 'pw-new', confirm: 'pw-confirm' },
    check: (v) => passwordProblems(v.password, v.confirm, view.passwordRules),
    async send({ password, confirm }) {
      await auth.changePassword(password, confirm);
    },
  });

  return (
    <AuthCard title="Change your password" testId="screen-change-password">
      <p className="lead">
        Your administrator asks you to choose a new password before you continue. After that you will receive
        another one-time verification code.
      </p>
      <PasswordRules rules={view.passwordRules} testId="pw-rules" id="pw-rules" />
      <form className="form" onSubmit={form.onSubmit} noValidate>
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
            value: form.values.password,
            onValue: (v) => form.set('password', v),
            error: form.error('password') ?? fieldError('newPassword'),
          }}
          confirm={{
            id: 'pw-confirm',
            label: 'Confirm new password',
            testId: 'pw-confirm',
            value: form.values.confirm,
            onValue: (v) => form.set('confirm', v),
            error: form.error('confirm') ?? fieldError('confirmPassword'),
          }}
        />
        <div className="actions">
          <button type="submit" className="button button-primary" data-testid="pw-submit">
            {form.submitting ? 'Saving…' : 'Change password'}
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
