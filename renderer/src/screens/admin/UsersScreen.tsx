import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { UserView } from '@contract/domain';
import { EmptyRow, LiveMessage } from '../../components/ui';
import { admin, useAdmin, USERS_PAGE_SIZE, type UsersQuery } from '../../store/admin-store';
import { toWindowError } from '../../api';
import { useServerNow } from '../../time';
import { AdminPage, ReadOnlyNotice } from './AdminPage';
import { ROLE_LABEL, UserDialog } from './UserDialog';
import { UsersFilters } from './UsersFilters';
import { Pager } from '../../components/Pager';
import { useT } from '../../i18n/react';

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
  const { t, format } = useT();

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
  /** "1–50 of 100,000", each number as the language writes it. */
  const range = {
    from: format.number(offset + 1),
    to: format.number(offset + users.length),
    total: format.number(total),
  };

  async function unlock(user: UserView) {
    setMessage(null);
    setError(null);
    try {
      await admin.unlockUser(user.username);
      setMessage(t('users.unlocked', { name: user.displayName, username: user.username }));
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
      title={t('nav.users')}
      testId="screen-users"
      intro={t('users.intro')}
      actions={
        readOnly ? null : (
          <button
            type="button"
            className="button button-primary"
            data-testid="users-new"
            onClick={() => setEditing('new')}
          >
            {t('users.new')}
          </button>
        )
      }
    >
      {readOnly ? <ReadOnlyNotice /> : null}
      <form className="toolbar" role="search" onSubmit={onSearch}>
        <label htmlFor="users-search">{t('users.search')}</label>
        <input
          id="users-search"
          type="search"
          data-testid="users-search"
          placeholder={t('users.search.placeholder')}
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
      </form>
      <UsersFilters query={query} onChange={change} />
      <p className="muted list-count" data-testid="users-count" aria-live="polite">
        {state.loading && users.length === 0
          ? t('users.count.searching')
          : total === 0
            ? t('users.count.none')
            : t('users.count.range', { from: range.from, to: range.to, count: total })}
      </p>
      <LiveMessage testId="users-message" tone="success" message={message} />
      <LiveMessage testId="users-error" message={error ?? state.error?.message} />
      <div className="table-wrap">
        <table className="table" data-testid="users-table" aria-busy={state.loading}>
          <caption className="visually-hidden">{t('users.caption', range)}</caption>
          <thead>
            <tr>
              <th scope="col" aria-sort={sortOf(query, 'user')}>
                {t('users.column.user')}
              </th>
              <th scope="col">{t('users.column.contacts')}</th>
              <th scope="col">{t('users.column.roles')}</th>
              <th scope="col">{t('users.column.status')}</th>
              <th scope="col">{t('users.column.verification')}</th>
              {readOnly ? null : (
                <th scope="col">
                  <span className="visually-hidden">{t('users.column.actions')}</span>
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
                      <span className="visually-hidden">{t('users.mobile')} </span>
                      {user.mobileInternational ?? <span className="muted">{t('users.mobile.none')}</span>}
                    </span>
                    <span className="cell-line">
                      <span className="visually-hidden">{t('users.email')} </span>
                      {user.email ?? <span className="muted">{t('users.email.none')}</span>}
                    </span>
                  </td>
                  <td>
                    {user.roles.length ? (
                      format.list(user.roles.map((role) => t(ROLE_LABEL[role])))
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </td>
                  <td>
                    <span className={`badge ${user.active ? 'badge-ok' : 'badge-muted'}`}>
                      {user.active ? t('users.status.active') : t('users.status.inactive')}
                    </span>
                    {user.mustChangePassword ? (
                      <span className="cell-sub">{t('users.mustChangePassword')}</span>
                    ) : null}
                  </td>
                  <td>
                    {locked ? (
                      <span className="badge badge-danger" data-testid="user-lock">
                        {t('users.lockedUntil', { time: format.timeOfDay(user.scLockedUntil ?? now) })}
                      </span>
                    ) : null}
                    <span className="cell-sub" data-testid="user-failed">
                      {t('users.failedCodes', { count: user.failedCodeAttempts })}
                    </span>
                    {!readOnly && (locked || user.failedCodeAttempts > 0) ? (
                      <button
                        type="button"
                        className="button button-small button-secondary cell-action"
                        data-testid="user-unlock"
                        aria-label={t(locked ? 'users.unlock.named' : 'users.resetAttempts.named', {
                          username: user.username,
                        })}
                        onClick={() => void unlock(user)}
                      >
                        {locked ? t('users.unlock') : t('users.resetAttempts')}
                      </button>
                    ) : null}
                  </td>
                  {readOnly ? null : (
                    <td className="row-actions cell-shrink">
                      <button
                        type="button"
                        className="button button-small button-secondary"
                        data-testid="user-edit"
                        aria-label={t('users.edit.named', { username: user.username })}
                        onClick={() => setEditing(user)}
                      >
                        {t('users.edit')}
                      </button>
                    </td>
                  )}
                </tr>
              );
            })}
            {users.length === 0 && !state.loading ? (
              <EmptyRow columns={readOnly ? 5 : 6} testId="users-empty">
                {query.search?.trim()
                  ? t('users.empty.search', { search: query.search.trim() })
                  : t('users.empty.filters')}
              </EmptyRow>
            ) : null}
          </tbody>
        </table>
      </div>
      <Pager
        testId="users-pager"
        label={t('users.pages')}
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
