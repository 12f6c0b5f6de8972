/** The Users screen's filters and sort: each change asks main for the first page again. */
import type { UserSort } from '../../../../main/contract/domain';
import type { UsersQuery } from '../../store/admin-store';
import { SelectField } from '../../components/ui';

const SORTS: readonly { value: string; label: string; sort: UserSort; direction: 'asc' | 'desc' }[] = [
  { value: 'username-asc', label: 'Username, A to Z', sort: 'username', direction: 'asc' },
  { value: 'username-desc', label: 'Username, Z to A', sort: 'username', direction: 'desc' },
  { value: 'displayName-asc', label: 'Name, A to Z', sort: 'displayName', direction: 'asc' },
  { value: 'displayName-desc', label: 'Name, Z to A', sort: 'displayName', direction: 'desc' },
  { value: 'createdAt-desc', label: 'Newest first', sort: 'createdAt', direction: 'desc' },
  { value: 'createdAt-asc', label: 'Oldest first', sort: 'createdAt', direction: 'asc' },
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
  const sortValue = `${query.sort ?? 'username'}-${query.direction ?? 'asc'}`;
  return (
    <div className="filters filters-users panel" role="group" aria-label="Filter and sort users">
      <SelectField
        label="Role"
        testId="users-role"
        value={query.role ?? ''}
        onValue={(v) => onChange({ role: v === '' ? undefined : (v as UsersQuery['role']) })}
        options={[
          { value: '', label: 'All roles' },
          { value: 'administrator', label: 'Administrator' },
          { value: 'read-only', label: 'Read-only' },
          { value: 'none', label: 'No role' },
        ]}
      />
      <SelectField
        label="Status"
        testId="users-active"
        value={yesNo(query.active)}
        onValue={(v) => onChange({ active: fromYesNo(v) })}
        options={[
          { value: '', label: 'Active and inactive' },
          { value: 'yes', label: 'Active' },
          { value: 'no', label: 'Inactive' },
        ]}
      />
      <SelectField
        label="Lock"
        testId="users-locked"
        value={yesNo(query.locked)}
        onValue={(v) => onChange({ locked: fromYesNo(v) })}
        options={[
          { value: '', label: 'Locked or not' },
          { value: 'yes', label: 'Locked now' },
          { value: 'no', label: 'Not locked' },
        ]}
      />
      <SelectField
        label="Verification contact"
        testId="users-contact"
        value={yesNo(query.missingContact)}
        onValue={(v) => onChange({ missingContact: fromYesNo(v) })}
        options={[
          { value: '', label: 'Any' },
          { value: 'yes', label: 'Missing for the current methods' },
          { value: 'no', label: 'Has one for the current methods' },
        ]}
      />
      <SelectField
        label="Sort by"
        testId="users-sort"
        value={sortValue}
        onValue={(v) => {
          const choice = SORTS.find((s) => s.value === v);
          if (choice) onChange({ sort: choice.sort, direction: choice.direction });
        }}
        options={SORTS.map(({ value, label }) => ({ value, label }))}
      />
    </div>
  );
}
