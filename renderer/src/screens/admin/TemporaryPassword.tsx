import { useState } from 'react';
import { PASSWORD_MIN_LENGTH } from '@contract/field-rules';
import { LiveMessage } from '../../components/ui';
import { NewPasswordFields, passwordProblems } from '../../components/PasswordRules';
import { useForm } from '../../components/form';
import { useT } from '../../i18n/react';
import { admin } from '../../store/admin-store';

const CONTROLS = { password: 'user-temp-password', confirm: 'user-temp-password-confirm' } as const;
const MAIN_FIELD: Record<string, keyof typeof CONTROLS> = {
  newPassword: 'password',
  confirmPassword: 'confirm',
};

/**
 * "Set temporary password" in the edit-user dialog: the administrator types a password twice, main stores it
 * with "must change password at next log on", and the fields are emptied at once. Nothing is generated and
 * nothing comes back from main (docs/threat-model.md, "Temporary passwords"). A section of its own, outside
 * the dialog's form (forms cannot nest); its own form so Enter sets the password, not the user's fields.
 */
export function TemporaryPassword({ username }: { username: string }) {
  const { t } = useT();
  const [open, setOpen] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const form = useForm({
    initial: { password: '', confirm: '' },
    controls: CONTROLS,
    check(values) {
      const problems = passwordProblems(
        values.password,
        values.confirm,
        { minLength: PASSWORD_MIN_LENGTH, rules: [] },
        t,
      );
      if (!problems.password && values.password.trim().toLowerCase() === username.toLowerCase())
        problems.password = t('tempPassword.notUsername');
      return problems;
    },
    fieldOf: (field) => MAIN_FIELD[field],
    async send({ password, confirm }) {
      await admin.setTemporaryPassword(username, password, confirm);
      form.reset({ password: '', confirm: '' });
      setOpen(false);
      setDone(t('tempPassword.done', { username }));
    },
  });

  return (
    <section
      className="temp-password"
      aria-labelledby="user-temp-password-title"
      data-testid="user-temp-password-section"
    >
      <h3 id="user-temp-password-title">{t('tempPassword.title')}</h3>
      <LiveMessage testId="user-temp-password-done" message={done} tone="success" />
      {open ? (
        <form className="form" onSubmit={form.onSubmit} noValidate>
          <p className="hint" id="user-temp-password-rules">
            {t('tempPassword.lead', { count: PASSWORD_MIN_LENGTH })}
          </p>
          <NewPasswordFields
            rulesId="user-temp-password-rules"
            password={{
              id: CONTROLS.password,
              label: t('tempPassword.new'),
              testId: CONTROLS.password,
              autoFocus: true,
              value: form.values.password,
              onValue: (v) => form.set('password', v),
              error: form.error('password'),
            }}
            confirm={{
              id: CONTROLS.confirm,
              label: t('tempPassword.confirm'),
              testId: CONTROLS.confirm,
              value: form.values.confirm,
              onValue: (v) => form.set('confirm', v),
              error: form.error('confirm'),
            }}
          />
          <LiveMessage testId="user-temp-password-form-error" message={form.formError} />
          <div className="actions">
            <button type="submit" className="button button-primary" data-testid="user-temp-password-save">
              {form.submitting ? t('common.saving') : t('tempPassword.submit')}
            </button>
            <button
              type="button"
              className="button button-quiet"
              data-testid="user-temp-password-cancel"
              onClick={() => {
                form.reset({ password: '', confirm: '' });
                setOpen(false);
              }}
            >
              {t('common.cancel')}
            </button>
          </div>
        </form>
      ) : (
        <button
          type="button"
          className="button"
          data-testid="user-temp-password-open"
          onClick={() => {
            setDone(null);
            setOpen(true);
          }}
        >
          {t('tempPassword.open')}
        </button>
      )}
    </section>
  );
}
