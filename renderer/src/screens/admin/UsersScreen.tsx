import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { UserView } from '@contract/domain';
import { LiveMessage, plural } from '../../components/ui';
import { admin, useAdmin, USERS_PAGE_SIZE, type UsersQuery } from '../../store/admin-store';
import { toWindowError } from '../../api';
import { formatTimeOfDay, useServerNow } from '../../time';
import { AdminPage, ReadOnlyNotice } from './AdminPage';
import { ROLE_LABEL, UserDialog } from './UserDialog';
import { UsersFilters } from './UsersFilters';
import { formatCount, Pager } from '../../components/Pager';

export function UsersScreen({ readOnly }: { readOnly: boolean }) {
  const users = useAdmin((s) => s.users);
  const total = useAdmin((s) => s.usersTotal);
  const query = useAdmin((s) => s.usersQuery);
  const state = useAdmin((s) => s.usersState);
  const [search, setSearch] = useState(() => useAdmin.getState().usersQuery.search ?? '');
  const [editing, setEditing] = useState<UserView | 'new' | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const now = useServerNow(15_000);
  const searchTimer = useRef<number | undefined>(undefined);
  const first = useRef(true);

  useEffect(() => {
    // The first load is at once (keeping the page the screen was left on); typing waits for a pause.
    if (first.current) {
      first.current = false;
      void admin.loadUsers();
      return;
    }
    const timer = window.setTimeout(() => void admin.loadUsers({ search }), 200);
    searchTimer.current = timer;
    return () => window.clearTimeout(timer);
  }, [search]);

  const change = (patch: UsersQuery) => void admin.loadUsers(patch);
  const offset = query.offset ?? 0;

  async function unlock(user: UserView) {
    setMessage(null);
    setError(null);
    try {
      await admin.unlockUser(user.username);
      setMessage(`${user.displayName} (${user.username}) is unlocked and their failed attempts are reset.`);
    } catch (e) {
      setError(toWindowError(e).message);
    }
  }

  function onSearch(event: FormEvent) {
    event.preventDefault();
    // Enter searches at once; the typing pause would only search again.
    window.clearTimeout(searchTimer.current);
    void admin.loadUsers({ search });
  }

  return (
    <AdminPage
      title="Users"
      testId="screen-users"
      intro="People who can log on to System Configurator, their roles and the contacts their verification codes go to."
      actions={
        readOnly ? null : (
          <button
            type="button"
            className="button button-primary"
            data-testid="users-new"
            onClick={() => setEditing('new')}
          >
            New user
          </button>
        )
      }
    >
      {readOnly ? <ReadOnlyNotice /> : null}
      <form className="toolbar" role="search" onSubmit={onSearch}>
        <label htmlFor="users-search">Search users</label>
        <input
          id="users-search"
          type="search"
          data-testid="users-search"
          placeholder="Name, username or e-mail"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
      </form>
      <UsersFilters query={query} onChange={change} />
      <p className="muted list-count" data-testid="users-count" aria-live="polite">
        {state.loading && users.length === 0
          ? 'Searching…'
          : total === 0
            ? 'No users'
            : `${formatCount(offset + 1)}–${formatCount(offset + users.length)} of ${formatCount(total)} ${total === 1 ? 'user' : 'users'}`}
      </p>
      <LiveMessage testId="users-message" tone="success" message={message} />
      <LiveMessage testId="users-error" message={error ?? state.error?.message} />
      <div className="table-wrap">
        <table className="table" data-testid="users-table" aria-busy={state.loading}>
          <caption className="visually-hidden">
            Users, {formatCount(offset + 1)} to {formatCount(offset + users.length)} of {formatCount(total)}
          </caption>
          <thead>
            <tr>
              <th scope="col" aria-sort={sortOf(query, 'user')}>
                User
              </th>
              <th scope="col">Contacts for codes</th>
              <th scope="col">Roles</th>
              <th scope="col">Status</th>
              <th scope="col">Verification</th>
              {readOnly ? null : (
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {users.map((user) => {
              const locked = user.scLockedUntil !== null && user.scLockedUntil > now;
              return (
                <tr
                  key={user.username}
                  data-testid={`user-row-${user.username}`}
                  data-username={user.username}
                >
                  <th scope="row" className="cell-user">
                    <span className="cell-title">{user.displayName}</span>
                    <span className="cell-sub">{user.username}</span>
                  </th>
                  <td>
                    <span className="cell-line">
                      <span className="visually-hidden">Mobile number: </span>
                      {user.mobile ?? <span className="muted">No mobile number</span>}
                    </span>
                    <span className="cell-line">
                      <span className="visually-hidden">E-mail address: </span>
                      {user.email ?? <span className="muted">No e-mail address</span>}
                    </span>
                  </td>
                  <td>
                    {user.roles.length ? (
                      user.roles.map((role) => ROLE_LABEL[role]).join(', ')
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </td>
                  <td>
                    <span className={`badge ${user.active ? 'badge-ok' : 'badge-muted'}`}>
                      {user.active ? 'Active' : 'Inactive'}
                    </span>
                    {user.mustChangePassword ? <span className="cell-sub">Must change password</span> : null}
                  </td>
                  <td>
                    {locked ? (
                      <span className="badge badge-danger" data-testid="user-lock">
                        Locked until {formatTimeOfDay(user.scLockedUntil ?? now)}
                      </span>
                    ) : null}
                    <span className="cell-sub" data-testid="user-failed">
                      {user.failedCodeAttempts === 0
                        ? 'No failed codes'
                        : plural(user.failedCodeAttempts, 'failed code')}
                    </span>
                    {!readOnly && (locked || user.failedCodeAttempts > 0) ? (
                      <button
                        type="button"
                        className="button button-small button-secondary cell-action"
                        data-testid="user-unlock"
                        aria-label={`${locked ? 'Unlock' : 'Reset attempts of'} ${user.username}`}
                        onClick={() => void unlock(user)}
                      >
                        {locked ? 'Unlock' : 'Reset attempts'}
                      </button>
                    ) : null}
                  </td>
                  {readOnly ? null : (
                    <td className="row-actions cell-shrink">
                      <button
                        type="button"
                        className="button button-small button-secondary"
                        data-testid="user-edit"
                        aria-label={`Edit ${user.username}`}
                        onClick={() => setEditing(user)}
                      >
                        Edit
                      </button>
                    </td>
                  )}
                </tr>
              );
            })}
            {users.length === 0 && !state.loading ? (
              <tr>
                <td colSpan={readOnly ? 5 : 6} className="empty" data-testid="users-empty">
                  {query.search?.trim()
                    ? `No users match “${query.search.trim()}”.`
                    : 'No users match these filters.'}
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
      <Pager
        testId="users-pager"
        label="Pages of users"
        offset={offset}
        pageSize={USERS_PAGE_SIZE}
        total={total}
        onOffset={(next) => change({ offset: next })}
      />
      {editing ? (
        <UserDialog
          user={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={(text) => {
            setEditing(null);
            setError(null);
            setMessage(text);
          }}
        />
      ) : null}
    </AdminPage>
  );
}

/** aria-sort for the User column: sorted by username or display name, and which way. */
function sortOf(query: UsersQuery, column: 'user'): 'ascending' | 'descending' | undefined {
  const sort = query.sort ?? 'username';
  if (column === 'user' && (sort === 'username' || sort === 'displayName'))
    return query.direction === 'desc' ? 'descending' : 'ascending';
  return undefined;
}
