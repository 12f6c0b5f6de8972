/** The Users screen's filters and sort: each change asks main for the first page again. */
import type { UserSort } from '../../../../main/contract/domain';
import type { UsersQuery } from '../../store/admin-store';
import { SelectField } from '../../components/ui';
import type { MessageKey } from '../../i18n/i18n';
import { useT } from '../../i18n/react';

const SORTS: readonly { value: string; label: MessageKey; sort: UserSort; direction: 'asc' | 'desc' }[] = [
  { value: 'username-asc', label: 'users.sort.usernameAsc', sort: 'username', direction: 'asc' },
  { value: 'username-desc', label: 'users.sort.usernameDesc', sort: 'username', direction: 'desc' },
  { value: 'displayName-asc', label: 'users.sort.nameAsc', sort: 'displayName', direction: 'asc' },
  { value: 'displayName-desc', label: 'users.sort.nameDesc', sort: 'displayName', direction: 'desc' },
  { value: 'createdAt-desc', label: 'users.sort.newest', sort: 'createdAt', direction: 'desc' },
  { value: 'createdAt-asc', label: 'users.sort.oldest', sort: 'createdAt', direction: 'asc' },
];

/** A yes/no filter as a select: '' (any), 'yes' or 'no'. */
const yesNo = (value: boolean | undefined) => (value === undefined ? '' : value ? 'yes' : 'no');
const fromYesNo = (value: string) => (value === '' ? undefined : value === 'yes');

export function UsersFilters({
  query,
  onChange,
}: {
  query: UsersQuery;
  onChange: (patch: UsersQuery) => void;
}) {
  const { t } = useT();
  const sortValue = `${query.sort ?? 'username'}-${query.direction ?? 'asc'}`;
  return (
    <div className="filters filters-users panel" role="group" aria-label={t('users.filters')}>
      <SelectField
        label={t('users.filter.role')}
        testId="users-role"
        value={query.role ?? ''}
        onValue={(v) => onChange({ role: v === '' ? undefined : (v as UsersQuery['role']) })}
        options={[
          { value: '', label: t('users.filter.role.all') },
          { value: 'administrator', label: t('role.administrator') },
          { value: 'read-only', label: t('role.readOnly') },
          { value: 'none', label: t('users.filter.role.none') },
        ]}
      />
      <SelectField
        label={t('users.column.status')}
        testId="users-active"
        value={yesNo(query.active)}
        onValue={(v) => onChange({ active: fromYesNo(v) })}
        options={[
          { value: '', label: t('users.filter.status.all') },
          { value: 'yes', label: t('users.status.active') },
          { value: 'no', label: t('users.status.inactive') },
        ]}
      />
      <SelectField
        label={t('users.filter.lock')}
        testId="users-locked"
        value={yesNo(query.locked)}
        onValue={(v) => onChange({ locked: fromYesNo(v) })}
        options={[
          { value: '', label: t('users.filter.lock.all') },
          { value: 'yes', label: t('users.filter.lock.locked') },
          { value: 'no', label: t('users.filter.lock.notLocked') },
        ]}
      />
      <SelectField
        label={t('users.filter.contact')}
        testId="users-contact"
        value={yesNo(query.missingContact)}
        onValue={(v) => onChange({ missingContact: fromYesNo(v) })}
        options={[
          { value: '', label: t('users.filter.contact.any') },
          { value: 'yes', label: t('users.filter.contact.missing') },
          { value: 'no', label: t('users.filter.contact.present') },
        ]}
      />
      <SelectField
        label={t('users.sort')}
        testId="users-sort"
        value={sortValue}
        onValue={(v) => {
          const choice = SORTS.find((s) => s.value === v);
          if (choice) onChange({ sort: choice.sort, direction: choice.direction });
        }}
        options={SORTS.map(({ value, label }) => ({ value, label: t(label) }))}
      />
    </div>
  );
}
