import type { PasswordRules as Rules } from '@contract/ipc';
import { TextField, type TextFieldProps } from './ui';

/** The password policy, shown before anyone types. */
export function PasswordRules({
  rules,
  testId,
  id,
  title = 'Your new password:',
}: {
  rules: Rules;
  testId: string;
  id: string;
  title?: string;
}) {
  return (
    <div className="rules" id={id} data-testid={testId}>
      <p className="rules-title">{title}</p>
      <ul>
        {rules.rules.map((rule) => (
          <li key={rule}>{rule}</li>
        ))}
      </ul>
    </div>
  );
}

/** Checks the window can make before sending (main checks everything again). */
export function passwordProblems(
  password: string,
  confirm: string,
  rules: Rules,
): { password?: string; confirm?: string } {
  const problems: { password?: string; confirm?: string } = {};
  if (!password) problems.password = 'Enter a new password.';
  else if (password.length < rules.minLength)
    problems.password = `Use at least ${rules.minLength} characters (${password.length} so far).`;
  if (!confirm) problems.confirm = 'Type the new password again.';
  else if (password && confirm !== password) problems.confirm = 'The two passwords do not match.';
  return problems;
}

type PasswordFieldProps = Omit<TextFieldProps, 'type' | 'autoComplete'>;

/** A new password and its confirmation; the password field is described by the rules shown with it. */
export function NewPasswordFields({
  rulesId,
  password,
  confirm,
}: {
  rulesId: string;
  password: PasswordFieldProps;
  confirm: PasswordFieldProps;
}) {
  return (
    <>
      <TextField type="password" autoComplete="new-password" aria-describedby={rulesId} {...password} />
      <TextField type="password" autoComplete="new-password" {...confirm} />
    </>
  );
}
