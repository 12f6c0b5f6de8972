import { useState, type FormEvent } from 'react';
import { AuthCard, focusFirstProblem, LiveMessage, TextField } from '../components/ui';
import { NewPasswordFields, PasswordRules, passwordProblems } from '../components/PasswordRules';
import { auth, useAuth } from '../store/auth-store';
import { useFormError, type ViewOf } from './view';

type Problems = { username?: string; password?: string; confirm?: string };

export function FirstRunScreen({ view }: { view: ViewOf<'firstRun'> }) {
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
      ...(username.trim() ? {} : { username: 'Username is required.' }),
      ...passwordProblems(password, confirm, view.passwordRules),
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
    <AuthCard title="Set up System Configurator" testId="screen-first-run" wide>
      <p className="lead">
        There is no administrator yet. Create the first administrator account; you will use it to set the
        authentication policy and add other users.
      </p>
      <form className="form" onSubmit={submit} noValidate>
        <LiveMessage testId="firstrun-error" message={formError} />
        <div className="form-grid">
          <TextField
            id="fr-username"
            label="Administrator username"
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
            label="Display name (optional)"
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
          title="The password:"
        />
        <div className="form-grid">
          <NewPasswordFields
            rulesId="fr-rules"
            password={{
              id: 'fr-password',
              label: 'Password',
              testId: 'firstrun-password',
              value: password,
              onValue: setPassword,
              error: problems.password ?? fieldError('password'),
            }}
            confirm={{
              id: 'fr-confirm',
              label: 'Confirm password',
              testId: 'firstrun-confirm',
              value: confirm,
              onValue: setConfirm,
              error: problems.confirm ?? fieldError('confirmPassword'),
            }}
          />
        </div>
        <div className="actions">
          <button type="submit" className="button button-primary" data-testid="firstrun-submit">
            {busy ? 'Creating…' : 'Create administrator'}
          </button>
        </div>
      </form>
    </AuthCard>
  );
}
