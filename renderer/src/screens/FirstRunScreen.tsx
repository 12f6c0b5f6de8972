import { useState, type FormEvent } from 'react';
import { AuthCard, focusFirstProblem, LiveMessage, TextField } from '../components/ui';
import { NewPasswordFields, PasswordRules, passwordProblems } from '../components/PasswordRules';
import { auth, useAuth } from '../store/auth-store';
import { useT } from '../i18n/react';
import { useFormError, type ViewOf } from './view';

type Problems = { username?: string; password?: string; confirm?: string };

export function FirstRunScreen({ view }: { view: ViewOf<'firstRun'> }) {
  const { t } = useT();
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [problems, setProblems] = useState<Problems>({});
  const busy = useAuth((s) => s.pending > 0);
  const { fieldError, formError } = useFormError(view.error);

  async function submit(event: FormEvent) {
    event.preventDefault();
    // main checks the username's form and answers for that field; an empty one is caught here.
    const found: Problems = {
      ...(username.trim() ? {} : { username: t('firstRun.username.missing') }),
      ...passwordProblems(password, confirm, view.passwordRules, t),
    };
    setProblems(found);
    if (focusFirstProblem(found, { username: 'fr-username', password: 'fr-password', confirm: 'fr-confirm' }))
      return;
    await auth.firstRun({
      username: username.trim(),
      ...(displayName.trim() ? { displayName: displayName.trim() } : {}),
      password,
      confirmPassword: confirm,
    });
  }

  return (
    <AuthCard title={t('firstRun.title')} testId="screen-first-run" wide>
      <p className="lead">{t('firstRun.lead')}</p>
      <form className="form" onSubmit={submit} noValidate>
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
            value={username}
            onValue={setUsername}
            error={problems.username ?? fieldError('username')}
          />
          <TextField
            id="fr-display-name"
            label={t('firstRun.displayName')}
            testId="firstrun-display-name"
            autoComplete="name"
            value={displayName}
            onValue={setDisplayName}
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
              value: password,
              onValue: setPassword,
              error: problems.password ?? fieldError('password'),
            }}
            confirm={{
              id: 'fr-confirm',
              label: t('firstRun.confirm'),
              testId: 'firstrun-confirm',
              value: confirm,
              onValue: setConfirm,
              error: problems.confirm ?? fieldError('confirmPassword'),
            }}
          />
        </div>
        <div className="actions">
          <button type="submit" className="button button-primary" data-testid="firstrun-submit">
            {busy ? t('firstRun.submit.busy') : t('firstRun.submit')}
          </button>
        </div>
      </form>
    </AuthCard>
  );
}
