/**
 * What the administration screens show: the policy, the readiness check, users, SSO identities, secrets and
 * the audit log.
 * Loaded through `window.sc` on demand; every change answers with the new data, which replaces the old.
 */
import { create } from 'zustand';
import type { AuditEntryView, SecretInfoView } from '@contract/ipc';
import type { WindowError } from '../error-messages';
import type {
  AuditAction,
  Fallback,
  Method,
  NewUserInput,
  Policy,
  PolicySources,
  Readiness,
  SsoIdentities,
  SsoIdentityKey,
  SsoLinkInput,
  SsoLinkView,
  UserPage,
  UserPatch,
  UserQuery,
  UserView,
} from '@contract/domain';
import { sc, toWindowError, unwrap } from '../api';

/** The one secret this window manages (in the OS keychain). */
export const SECRET_NAME = 'sinch-verification-api';

export interface AuditFilter {
  from?: number;
  to?: number;
  user?: string;
  action?: AuditAction;
}

/** The Users screen's question to main: search, filters, sort and where the page starts. */
export type UsersQuery = Omit<UserQuery, 'limit'>;
export const USERS_PAGE_SIZE = 50;

interface Loadable {
  loading: boolean;
  error: WindowError | null;
}

interface AdminStore {
  policy: Policy | null;
  /** Where each value in force comes from; a managed field cannot be changed in this window. */
  policySources: PolicySources | null;
  /** Counts policy loads: the form starts again from what was loaded, not from a stale copy. */
  policyLoads: number;
  policyState: Loadable;
  readiness: Readiness | null;
  /** The page shown and the true total of users matching the query. */
  users: UserView[];
  usersTotal: number;
  usersQuery: UsersQuery;
  usersState: Loadable;
  /** SSO identities waiting for a link (pending or unlinked) and those linked to users. */
  sso: SsoIdentities | null;
  ssoState: Loadable;
  secrets: SecretInfoView[] | null;
  secretsState: Loadable;
  audit: { entries: AuditEntryView[]; nextBeforeId: number | null; filter: AuditFilter };
  auditState: Loadable;
}

const idle: Loadable = { loading: false, error: null };

const initial = (): AdminStore => ({
  policy: null,
  policySources: null,
  policyLoads: 0,
  policyState: idle,
  readiness: null,
  users: [],
  usersTotal: 0,
  usersQuery: {},
  usersState: idle,
  sso: null,
  ssoState: idle,
  secrets: null,
  secretsState: idle,
  audit: { entries: [], nextBeforeId: null, filter: {} },
  auditState: idle,
});

export const useAdmin = create<AdminStore>()(initial);

const set = useAdmin.setState;
const get = useAdmin.getState;

/** Runs a load, keeping its slice's loading flag and error. */
async function load<K extends 'policyState' | 'usersState' | 'ssoState' | 'secretsState' | 'auditState'>(
  key: K,
  work: () => Promise<void>,
): Promise<void> {
  set({ [key]: { loading: true, error: null } } as Pick<AdminStore, K>);
  try {
    await work();
    set({ [key]: idle } as Pick<AdminStore, K>);
  } catch (error) {
    set({ [key]: { loading: false, error: toWindowError(error) } } as Pick<AdminStore, K>);
  }
}

export const admin = {
  /** Forgets everything (on leaving the signed-in shell): nothing of one session stays for the next. */
  reset: () => set(initial(), true),
  loadPolicy: () =>
    load('policyState', async () => {
      const [policy, policySources] = await Promise.all([
        unwrap(sc().policy.get()),
        unwrap(sc().policy.sources()),
      ]);
      set({ policy, policySources, policyLoads: get().policyLoads + 1 });
    }),
  /** Throws an ApiError (with the field) when main refuses the change. */
  async savePolicy(next: Pick<Policy, 'twoFactor' | 'sinch'>): Promise<Policy> {
    const saved = await unwrap(sc().policy.set({ twoFactor: next.twoFactor, sinch: next.sinch }));
    set({ policy: saved });
    return saved;
  },
  async checkReadiness(primaryMethod: Method, fallbackMethod: Fallback): Promise<void> {
    try {
      set({ readiness: await unwrap(sc().policy.readiness({ primaryMethod, fallbackMethod })) });
    } catch {
      set({ readiness: null });
    }
  },

  /**
   * Loads the page for a query: `change` replaces parts of the current one (a changed search, filter or sort
   * starts again at the first page unless it names an offset). Only the newest request's answer is shown.
   */
  loadUsers: (change: UsersQuery = {}) =>
    load('usersState', async () => {
      const current = get().usersQuery;
      const query: UsersQuery = { ...current, ...change };
      if (change.offset === undefined && Object.keys(change).length > 0) query.offset = 0;
      const request = ++usersRequest;
      set({ usersQuery: query });
      const page = await unwrap(sc().users.list({ ...withoutEmpty(query), limit: USERS_PAGE_SIZE }));
      if (request !== usersRequest) return;
      set({ users: page.users, usersTotal: page.total, usersQuery: { ...query, offset: page.offset } });
    }),
  async createUser(input: NewUserInput): Promise<UserView> {
    const user = await unwrap(sc().users.create(input));
    await admin.loadUsers();
    return user;
  },
  async updateUser(username: string, patch: UserPatch): Promise<UserView> {
    return replaceUser(await unwrap(sc().users.update({ username, patch })));
  },
  async unlockUser(username: string): Promise<UserView> {
    return replaceUser(await unwrap(sc().users.unlock({ username })));
  },
  /** A temporary password the administrator typed twice; main stores it with "must change". */
  async setTemporaryPassword(
    username: string,
    newPassword: string,
    confirmPassword: string,
  ): Promise<UserView> {
    return replaceUser(await unwrap(sc().users.setPassword({ username, newPassword, confirmPassword })));
  },

  loadSso: () =>
    load('ssoState', async () => {
      set({ sso: await unwrap(sc().sso.identities()) });
    }),
  /** Links an identity to the user the administrator chose; throws an ApiError (with the field) when refused. */
  async linkSso(input: SsoLinkInput): Promise<SsoLinkView> {
    const linked = await unwrap(sc().sso.link(input));
    await admin.loadSso();
    return linked;
  },
  async unlinkSso(key: SsoIdentityKey): Promise<SsoLinkView> {
    const unlinked = await unwrap(sc().sso.unlink(key));
    await admin.loadSso();
    return unlinked;
  },
  /** A few users matching a search, to choose one from (the Users screen's page stays as it is). */
  findUsers: (search: string, limit: number): Promise<UserPage> =>
    unwrap(sc().users.list({ search: search.trim(), limit })),

  loadSecrets: () =>
    load('secretsState', async () => {
      set({ secrets: await unwrap(sc().secrets.list()) });
    }),
  async setSecret(authId: string, secret: string): Promise<SecretInfoView> {
    const info = await unwrap(sc().secrets.set({ name: SECRET_NAME, authId, secret }));
    await admin.loadSecrets();
    return info;
  },
  /** True when a secret was there to delete (the screen says what that means in the window's language). */
  async deleteSecret(): Promise<boolean> {
    const result = await unwrap(sc().secrets.delete({ name: SECRET_NAME }));
    await admin.loadSecrets();
    return result.deleted;
  },

  /** The first (newest) page for a filter. */
  loadAudit: (filter: AuditFilter = get().audit.filter) =>
    load('auditState', async () => {
      const page = await unwrap(sc().audit.query({ ...clean(filter), limit: 50 }));
      set({ audit: { entries: page.entries, nextBeforeId: page.nextBeforeId, filter } });
    }),
  /** The next (older) page, appended. */
  loadOlderAudit: () =>
    load('auditState', async () => {
      const { entries, nextBeforeId, filter } = get().audit;
      if (nextBeforeId === null) return;
      const page = await unwrap(sc().audit.query({ ...clean(filter), beforeId: nextBeforeId, limit: 50 }));
      set({ audit: { entries: [...entries, ...page.entries], nextBeforeId: page.nextBeforeId, filter } });
    }),
  /** Main asks where to save (its own dialog) and writes there; null when the dialog was cancelled. */
  startAuditExport: () => unwrap(sc().audit.exportStart(clean(get().audit.filter))),
  auditExportStatus: (id: string) => unwrap(sc().audit.exportStatus({ id })),
  cancelAuditExport: (id: string) => unwrap(sc().audit.exportCancel({ id })),
};

let usersRequest = 0;

/** Drops unset parts and an empty search, so main gets only the question asked. */
function withoutEmpty(query: UsersQuery): UsersQuery {
  const search = query.search?.trim();
  return Object.fromEntries(
    Object.entries({ ...query, search: search || undefined }).filter(([, value]) => value !== undefined),
  ) as UsersQuery;
}

/** Puts main's answer for one user in place of the listed copy. */
function replaceUser(user: UserView): UserView {
  set({ users: get().users.map((u) => (u.username === user.username ? user : u)) });
  return user;
}

function clean(filter: AuditFilter): AuditFilter {
  return {
    ...(filter.from !== undefined ? { from: filter.from } : {}),
    ...(filter.to !== undefined ? { to: filter.to } : {}),
    ...(filter.user?.trim() ? { user: filter.user.trim() } : {}),
    ...(filter.action ? { action: filter.action } : {}),
  };
}
