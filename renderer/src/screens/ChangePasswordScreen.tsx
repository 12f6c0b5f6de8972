import { useState, type FormEvent } from 'react';
import { AuthCard, focusFirstProblem, LiveMessage } from '../components/ui';
import { NewPasswordFields, PasswordRules, passwordProblems } from '../components/PasswordRules';
import { auth, useAuth } from '../store/auth-store';
import { useT } from '../i18n/react';
import { useEscapeCancels, useFormError, type ViewOf } from './view';

export function ChangePasswordScreen({ view }: { view: ViewOf<'passwordChangeRequired'> }) {
  useEscapeCancels();
  const { t } = useT();
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [problems, setProblems] = useState<{ password?: string; confirm?: string }>({});
  const busy = useAuth((s) => s.pending > 0);
  const { fieldError, formError, hasFieldError } = useFormError(view.error);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const found = passwordProblems(password, confirm, view.passwordRules, t);
    setProblems(found);
    if (focusFirstProblem(found, { password: 'pw-new', confirm: 'pw-confirm' })) return;
    await auth.changePassword(password, confirm);
  }

  return (
    <AuthCard title={t('changePassword.title')} testId="screen-change-password">
      <p className="lead">{t('changePassword.lead')}</p>
      <PasswordRules rules={view.passwordRules} testId="pw-rules" id="pw-rules" />
      <form className="form" onSubmit={submit} noValidate>
        <LiveMessage
          testId="pw-error"
          message={formError ?? (hasFieldError ? t('common.checkHighlighted') : null)}
        />
        <NewPasswordFields
          rulesId="pw-rules"
          password={{
            id: 'pw-new',
            label: t('changePassword.new'),
            testId: 'pw-new',
            autoFocus: true,
            value: password,
            onValue: setPassword,
            error: problems.password ?? fieldError('newPassword'),
          }}
          confirm={{
            id: 'pw-confirm',
            label: t('changePassword.confirm'),
            testId: 'pw-confirm',
            value: confirm,
            onValue: setConfirm,
            error: problems.confirm ?? fieldError('confirmPassword'),
          }}
        />
        <div className="actions">
          <button type="submit" className="button button-primary" data-testid="pw-submit">
            {busy ? t('common.saving') : t('changePassword.submit')}
          </button>
          <button
            type="button"
            className="button button-quiet"
            data-testid="pw-cancel"
            onClick={() => void auth.cancel()}
          >
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </AuthCard>
  );
}
