import { AuthCard, LiveMessage, TextField } from '../components/ui';
import { NewPasswordFields, PasswordRules, passwordProblems } from '../components/PasswordRules';
import { useForm } from '../components/form';
import { auth } from '../store/auth-store';
import { useT } from '../i18n/react';
import { useFormError, type ViewOf } from './view';

export function FirstRunScreen({ view }: { view: ViewOf<'firstRun'> }) {
  const { t } = useT();
  const { fieldError, formError } = useFormError(view.error);
  const form = useForm({
    initial: { username: '', displayName: '', password: '', confirm: '' },
    controls: { username: 'fr-username', password: 'fr-password', confirm: 'fr-confirm' },
    // main checks the username's form and answers for that field; an empty one is caught here.
    check: (v) => ({
      ...(v.username.trim() ? {} : { username: t('firstRun.username.missing') }),
      ...passwordProblems(v.password, v.confirm, view.passwordRules, t),
    }),
    async send({ username, displayName, password, confirm }) {
      await auth.firstRun({
        username: username.trim(),
        ...(displayName.trim() ? { displayName: displayName.trim() } : {}),
        password,
        confirmPassword: confirm,
      });
    },
  });
  const { values } = form;

  return (
    <AuthCard title={t('firstRun.title')} testId="screen-first-run" wide>
      <p className="lead">{t('firstRun.lead')}</p>
      <form className="form" onSubmit={form.onSubmit} noValidate>
        <LiveMessage testId="firstrun-error" message={formError} />
        <div className="form-grid">
          <TextField
            id="fr-username"
            label={t('firstRun.username')}
            testId="firstrun-username"
            autoComplete="username"
            autoCapitalize="off"
            spellCheck={false}
            autoFocus
            value={values.username}
            onValue={(v) => form.set('username', v)}
            error={form.error('username') ?? fieldError('username')}
          />
          <TextField
            id="fr-display-name"
            label={t('firstRun.displayName')}
            testId="firstrun-display-name"
            autoComplete="name"
            value={values.displayName}
            onValue={(v) => form.set('displayName', v)}
            error={fieldError('displayName')}
          />
        </div>
        <PasswordRules
          rules={view.passwordRules}
          testId="firstrun-rules"
          id="fr-rules"
          title={t('passwordRules.titleFirst')}
          firstPassword
        />
        <div className="form-grid">
          <NewPasswordFields
            rulesId="fr-rules"
            password={{
              id: 'fr-password',
              label: t('logon.password'),
              testId: 'firstrun-password',
              value: values.password,
              onValue: (v) => form.set('password', v),
              error: form.error('password') ?? fieldError('password'),
            }}
            confirm={{
              id: 'fr-confirm',
              label: t('firstRun.confirm'),
              testId: 'firstrun-confirm',
              value: values.confirm,
              onValue: (v) => form.set('confirm', v),
              error: form.error('confirm') ?? fieldError('confirmPassword'),
            }}
          />
        </div>
        <div className="actions">
          <button type="submit" className="button button-primary" data-testid="firstrun-submit">
            {form.submitting ? t('firstRun.submit.busy') : t('firstRun.submit')}
          </button>
        </div>
      </form>
    </AuthCard>
  );
}
