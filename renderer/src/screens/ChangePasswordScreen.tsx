import { AuthCard, LiveMessage } from '../components/ui';
import { NewPasswordFields, PasswordRules, passwordProblems } from '../components/PasswordRules';
import { useForm } from '../components/form';
import { auth } from '../store/auth-store';
import { useT } from '../i18n/react';
import { useEscapeCancels, useFormError, type ViewOf } from './view';

export function ChangePasswordScreen({ view }: { view: ViewOf<'passwordChangeRequired'> }) {
  useEscapeCancels();
  const { t } = useT();
  const { fieldError, formError, hasFieldError } = useFormError(view.error);
  const form = useForm({
    initial: { password: '', confirm: '' },
    controls: { password: 'pw-new', confirm: 'pw-confirm' },
    check: (v) => passwordProblems(v.password, v.confirm, view.passwordRules, t),
    async send({ password, confirm }) {
      await auth.changePassword(password, confirm);
    },
  });

  return (
    <AuthCard title={t('changePassword.title')} testId="screen-change-password">
      <p className="lead">{t('changePassword.lead')}</p>
      <PasswordRules rules={view.passwordRules} testId="pw-rules" id="pw-rules" />
      <form className="form" onSubmit={form.onSubmit} noValidate>
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
            value: form.values.password,
            onValue: (v) => form.set('password', v),
            error: form.error('password') ?? fieldError('newPassword'),
          }}
          confirm={{
            id: 'pw-confirm',
            label: t('changePassword.confirm'),
            testId: 'pw-confirm',
            value: form.values.confirm,
            onValue: (v) => form.set('confirm', v),
            error: form.error('confirm') ?? fieldError('confirmPassword'),
          }}
        />
        <div className="actions">
          <button type="submit" className="button button-primary" data-testid="pw-submit">
            {form.submitting ? t('common.saving') : t('changePassword.submit')}
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
