import type { PasswordRules as Rules } from '@contract/ipc';
import { TextField, type TextFieldProps } from './ui';
import { useT, type Translate } from '../i18n/react';

/** The password policy, shown before anyone types. */
export function PasswordRules({
  rules,
  testId,
  id,
  title,
  firstPassword,
}: {
  rules: Rules;
  testId: string;
  id: string;
  title?: string;
  /** The first administrator has no current password to differ from. */
  firstPassword?: boolean;
}) {
  const { t } = useT();
  const shown = [
    t('passwordRules.minLength', { count: rules.minLength }),
    t('passwordRules.notUsername'),
    ...(firstPassword ? [] : [t('passwordRules.notCurrent')]),
    t('passwordRules.match'),
  ];
  return (
    <div className="rules" id={id} data-testid={testId}>
      <p className="rules-title">{title ?? t('passwordRules.title')}</p>
      <ul>
        {shown.map((rule) => (
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
  t: Translate,
): { password?: string; confirm?: string } {
  const problems: { password?: string; confirm?: string } = {};
  if (!password) problems.password = t('password.missing');
  else if (password.length < rules.minLength)
    problems.password = t('password.tooShort', { count: rules.minLength, typed: password.length });
  if (!confirm) problems.confirm = t('password.confirmMissing');
  else if (password && confirm !== password) problems.confirm = t('password.mismatch');
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
