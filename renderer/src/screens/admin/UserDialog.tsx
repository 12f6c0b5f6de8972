import type { UserView } from '@contract/domain';
import { checkUserFields, type Role } from '@contract/field-rules';
import { CheckboxField, LiveMessage, TextField } from '../../components/ui';
import { messagesByField } from '../../i18n/validation';
import { useForm } from '../../components/form';
import { Modal } from '../../components/Modal';
import { admin } from '../../store/admin-store';
import type { MessageKey } from '../../i18n/i18n';
import { useT } from '../../i18n/react';
import { TemporaryPassword } from './TemporaryPassword';

interface Draft {
  username: string;
  displayName: string;
  email: string;
  mobile: string;
  roles: Role[];
  mustChangePassword: boolean;
  active: boolean;
  password: string;
}
type Field = keyof Draft;
type Errors = Partial<Record<Field, string>>;
/** Each field's control, in page order (the first invalid one gets focus). */
const ID: Record<Field, string> = {
  username: 'user-username',
  displayName: 'user-display-name',
  email: 'user-email',
  mobile: 'user-mobile',
  roles: 'user-role-administrator',
  mustChangePassword: 'user-must-change',
  active: 'user-active',
  password: 'user-password',
};

export const ROLE_LABEL: Record<Role, MessageKey> = {
  administrator: 'role.administrator',
  'read-only': 'role.readOnly',
};

function fromUser(user: UserView | null): Draft {
  return {
    username: user?.username ?? '',
    displayName: user?.displayName ?? '',
    email: user?.email ?? '',
    mobile: user?.mobileInternational ?? '',
    roles: user?.roles ?? [],
    mustChangePassword: user?.mustChangePassword ?? true,
    active: user?.active ?? true,
    password: '',
  };
}

/** The contract's rules for a new user or a change, field by field. */
function check(draft: Draft, isNew: boolean): Errors {
  const common = { email: draft.email.trim(), mobile: draft.mobile.trim(), roles: draft.roles };
  const refusals = isNew
    ? checkUserFields({
        ...common,
        username: draft.username,
        ...(draft.displayName.trim() ? { displayName: draft.displayName } : {}),
        ...(draft.password ? { password: draft.password } : {}),
      })
    : checkUserFields({ ...common, displayName: draft.displayName });
  return messagesByField(refusals) as Errors;
}

/** Create or edit a user, in a modal dialog (Esc or Cancel closes it without saving). */
export function UserDialog({
  user,
  onClose,
  onSaved,
}: {
  user: UserView | null;
  onClose: () => void;
  onSaved: (message: string) => void;
}) {
  const isNew = user === null;
  const { t } = useT();
  const form = useForm<Draft, Field>({
    initial: () => fromUser(user),
    controls: ID,
    check: (draft) => check(draft, isNew),
    async send(draft) {
      const contacts = { email: draft.email.trim() || null, mobile: draft.mobile.trim() || null };
      if (isNew) {
        const created = await admin.createUser({
          username: draft.username.trim(),
          ...(draft.displayName.trim() ? { displayName: draft.displayName.trim() } : {}),
          ...contacts,
          roles: draft.roles,
          mustChangePassword: draft.mustChangePassword,
          active: draft.active,
          ...(draft.password ? { password: draft.password } : {}),
        });
        onSaved(t('userDialog.created', { username: created.username }));
      } else {
        const saved = await admin.updateUser(user.username, {
          displayName: draft.displayName.trim(),
          ...contacts,
          roles: draft.roles,
          mustChangePassword: draft.mustChangePassword,
          active: draft.active,
        });
        onSaved(t('userDialog.saved', { username: saved.username }));
      }
    },
  });
  const { values: draft, set: change } = form;

  function toggleRole(role: Role, on: boolean) {
    change(
      'roles',
      on ? [...draft.roles.filter((r) => r !== role), role] : draft.roles.filter((r) => r !== role),
    );
  }

  return (
    // A new user starts at the username, an edit at the name.
    <Modal
      testId="user-form"
      initialFocus={`#${isNew ? ID.username : ID.displayName}`}
      onCancel={onClose}
      wide
    >
      <form className="form" onSubmit={form.onSubmit} noValidate>
        <h2 id="user-form-title">
          {isNew ? t('users.new') : t('userDialog.editTitle', { username: user.username })}
        </h2>
        <div className="form-grid">
          <TextField
            id={ID.username}
            label={t('logon.username')}
            testId="user-username"
            autoComplete="off"
            autoCapitalize="off"
            spellCheck={false}
            value={draft.username}
            onValue={(v) => change('username', v)}
            readOnly={!isNew}
            hint={isNew ? t('userDialog.username.hint') : t('userDialog.username.fixed')}
            error={form.error('username')}
          />
          <TextField
            id={ID.displayName}
            label={isNew ? t('firstRun.displayName') : t('userDialog.displayName')}
            testId="user-display-name"
            autoComplete="off"
            value={draft.displayName}
            onValue={(v) => change('displayName', v)}
            error={form.error('displayName')}
          />
          <TextField
            id={ID.email}
            label={t('userDialog.email')}
            testId="user-email"
            type="email"
            autoComplete="off"
            spellCheck={false}
            value={draft.email}
            onValue={(v) => change('email', v)}
            hint={t('userDialog.email.hint')}
            error={form.error('email')}
          />
          <TextField
            id={ID.mobile}
            label={t('userDialog.mobile')}
            testId="user-mobile"
            type="tel"
            autoComplete="off"
            value={draft.mobile}
            onValue={(v) => change('mobile', v)}
            hint={t('userDialog.mobile.hint')}
            error={form.error('mobile')}
          />
        </div>
        <div className="two-up">
          <fieldset
            className="choices"
            aria-describedby={form.error('roles') ? 'user-roles-error' : undefined}
          >
            <legend>{t('users.column.roles')}</legend>
            {(['administrator', 'read-only'] as const).map((role) => (
              <CheckboxField
                key={role}
                label={t(ROLE_LABEL[role])}
                testId={`user-role-${role}`}
                checked={draft.roles.includes(role)}
                onChecked={(on) => toggleRole(role, on)}
              />
            ))}
            {form.error('roles') ? (
              <p className="field-error" id="user-roles-error" data-testid="user-roles-error">
                {form.error('roles')}
              </p>
            ) : null}
          </fieldset>
          <fieldset className="choices">
            <legend>{t('userDialog.account')}</legend>
            <CheckboxField
              label={t('userDialog.mustChangePassword')}
              testId="user-must-change"
              checked={draft.mustChangePassword}
              onChecked={(v) => change('mustChangePassword', v)}
            />
            <CheckboxField
              label={t('users.status.active')}
              testId="user-active"
              checked={draft.active}
              onChecked={(v) => change('active', v)}
              hint={t('userDialog.active.hint')}
            />
          </fieldset>
        </div>
        {isNew ? (
          <TextField
            id={ID.password}
            label={t('userDialog.password')}
            testId="user-password"
            type="password"
            autoComplete="new-password"
            value={draft.password}
            onValue={(v) => change('password', v)}
            hint={t('userDialog.password.hint')}
            error={form.error('password')}
          />
        ) : null}
        <LiveMessage testId="user-form-error" message={form.formError} />
        <div className="actions">
          <button type="submit" className="button button-primary" data-testid="user-save">
            {form.submitting ? t('common.saving') : isNew ? t('userDialog.create') : t('common.saveChanges')}
          </button>
          <button type="button" className="button button-quiet" data-testid="user-cancel" onClick={onClose}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
      {isNew ? null : <TemporaryPassword username={user.username} />}
    </Modal>
  );
}
