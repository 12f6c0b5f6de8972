import { z } from 'zod';
import type { Clock } from '../clock';
import type { Db } from '../db/database';
import { ScError, validationError } from '../errors';
import type { AuditLog } from '../audit/audit-log';
import {
  firstIssue,
  newUserSchema,
  userPatchSchema,
  type NewUserInput,
  type Method,
  type Role,
  type UserPage,
  type UserPatch,
  type UserQuery,
  type UserSort,
  type UserView,
  userSearchSchema,
} from '../../contract/domain';
import { checkNewPassword } from '../auth/password-policy';
import { formatMobileInternational, hasContactSql, normalizeMobile } from './contacts';
import { hashPassword, passwordStamp } from './passwords';
import type { SearchIndex } from './search-index';
import { searchSql, searchTerm } from './search-fold';

interface UserRow {
  id: number;
  username: string;
  display_name: string;
  email: string | null;
  mobile: string | null;
  active: number;
  must_change_password: number;
  password_hash: string | null;
  failed_code_attempts: number;
  sc_locked_until: number | null;
  failed_password_attempts: number;
  password_locked_until: number | null;
  created_at: number;
  updated_at: number;
  roles: string | null;
}

/** A user as the core sees it: the view plus what only the core may read. */
export interface UserRecord extends Omit<UserView, 'mobileInternational'> {
  passwordHash: string | null;
  failedPasswordAttempts: number;
  passwordLockedUntil: number | null;
}

/** Above this many matches a search pages by walking the sort's index instead of the search index's rows. */
const DENSE_SEARCH = 2_000;
/** Each sort's columns, in the order of its index (ties broken by id, so paging is stable). */
const SORT_SQL: Record<UserSort, readonly string[]> = {
  username: ['u.username'],
  displayName: ['u.display_name COLLATE NOCASE', 'u.id'],
  createdAt: ['u.created_at', 'u.id'],
};

const SELECT_USER = `
  SELECT u.*, (SELECT group_concat(role, ',') FROM user_roles r WHERE r.user_id = u.id) AS roles
  FROM users u`;

/** Users, their roles and contacts. Every change is validated, runs in a transaction and is audited. */
export class UserStore {
  private readonly byUsername;
  private readonly byId;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
    private readonly searchIndex: SearchIndex,
  ) {
    this.byUsername = db.prepare(`${SELECT_USER} WHERE u.username = ?`);
    this.byId = db.prepare(`${SELECT_USER} WHERE u.id = ?`);
  }

  /** The full record (with the hash) for the auth flow; null when there is no such user. */
  findRecord(username: string): UserRecord | null {
    const row = this.byUsername.get(username) as UserRow | undefined;
    return row ? toRecord(row) : null;
  }

  findRecordById(id: number): UserRecord | null {
    const row = this.byId.get(id) as UserRow | undefined;
    return row ? toRecord(row) : null;
  }

  get(username: string): UserView {
    const record = this.findRecord(username);
    if (!record) throw new ScError('not-found', `There is no user "${username}".`, { field: 'username' });
    return toView(record);
  }

  /** The first `limit` users (default 500) matching `search`, by username. */
  list(options: { search?: string; limit?: number; offset?: number } = {}): UserView[] {
    return this.page({ ...options, limit: Math.min(Math.max(options.limit ?? 500, 1), 5000) }, []).users;
  }

  /**
   * One page of users and the true total, search, filters and sort done in SQL on indexes. A search matches
   * a user whose username, display name or e-mail contains it, both folded by one rule (search-fold.ts: any
   * letter in either case, compatibility forms alike; `%`, `_` and `\` are plain characters). From three
   * folded characters the trigram index (users_search) picks the candidates and LIKE confirms them; shorter
   * searches test every row of the folded copy. While the index is being built, only the users it does not
   * hold yet are read from the users table (and folded as they are read), so the answer is the same and the
   * work shrinks as the build goes on (searchSql). When a search matches many users, the page walks the
   * sort's index and tests each row, which stops after one page; when it matches few, it starts from them.
   * `contactMethods`: the current policy's methods, for the "missing contact" filter.
   *
   * One read transaction: the index's state, the count and the page come from one snapshot, so another
   * process's commit in between (sc-admin's re-import empties the index) cannot hide users or make the
   * count and the page disagree.
   */
  page(query: UserQuery & { limit?: number }, contactMethods: readonly Method[]): UserPage {
    return this.db.transaction(() => this.pageInSnapshot(query, contactMethods))();
  }

  private pageInSnapshot(query: UserQuery & { limit?: number }, contactMethods: readonly Method[]): UserPage {
    const limit = Math.max(query.limit ?? 50, 1);
    const offset = Math.max(query.offset ?? 0, 0);
    const search = query.search === undefined ? '' : parseOrThrow(userSearchSchema, query.search).trim();
    const filters: string[] = [];
    const params: Record<string, string | number> = {};
    if (query.role === 'none') filters.push('NOT EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id)');
    else if (query.role) {
      filters.push('u.id IN (SELECT user_id FROM user_roles WHERE role = @role)');
      params.role = query.role;
    }
    if (query.active !== undefined) filters.push(`u.active = ${query.active ? 1 : 0}`);
    if (query.locked !== undefined) {
      filters.push(
        query.locked
          ? 'u.sc_locked_until > @now'
          : '(u.sc_locked_until IS NULL OR u.sc_locked_until <= @now)',
      );
      params.now = this.clock.now();
    }
    if (query.missingContact !== undefined)
      filters.push(`${query.missingContact ? 'NOT ' : ''}${hasContactSql(contactMethods, 'u')}`);

    // Both forms match exactly the users whose folded fields contain the folded term (search-fold.ts).
    const term = search ? searchTerm(search) : null;
    const { complete, through } = term ? this.searchIndex.coverage() : { complete: true, through: 0 };
    if (term) {
      params.like = term.like;
      params.match = term.match;
      if (!complete) params.through = through;
    }
    const where = (clause: string | null) => {
      const all = clause ? [clause, ...filters] : filters;
      return all.length ? `WHERE ${all.join(' AND ')}` : '';
    };
    const total = (
      this.db
        .prepare(
          `SELECT count(*) AS n FROM users u ${where(term ? searchSql.set({ withIndex: term.trigram, complete }) : null)}`,
        )
        .get(params) as { n: number }
    ).n;
    // Few matches: start from the search index; many: walk the sort order and test each row (stops early).
    const pageSearch = !term
      ? null
      : total <= DENSE_SEARCH
        ? searchSql.set({ withIndex: term.trigram, complete })
        : searchSql.row({ complete });
    const direction = query.direction === 'desc' ? 'DESC' : 'ASC';
    const order = SORT_SQL[query.sort ?? 'username'].map((column) => `${column} ${direction}`).join(', ');
    const rows =
      offset >= total
        ? []
        : (this.db
            .prepare(`${SELECT_USER} ${where(pageSearch)} ORDER BY ${order} LIMIT @limit OFFSET @offset`)
            .all({ ...params, limit, offset }) as UserRow[]);
    return { users: rows.map((row) => toView(toRecord(row))), total, offset };
  }

  /** Every user in username order, read one at a time (an export of any size). */
  *all(): Generator<UserView> {
    for (const row of this.db.prepare(`${SELECT_USER} ORDER BY u.username`).iterate()) {
      yield toView(toRecord(row as UserRow));
    }
  }

  hasAdministrator(): boolean {
    return (
      this.db
        .prepare(
          "SELECT 1 FROM users u JOIN user_roles r ON r.user_id = u.id WHERE r.role = 'administrator' AND u.active = 1 LIMIT 1",
        )
        .get() !== undefined
    );
  }

  /**
   * `firstAdministrator` makes the insert conditional, in the same transaction, on there being no active
   * administrator yet, so two simultaneous first-run forms cannot both create one.
   */
  async create(
    input: NewUserInput,
    actor: string,
    options: { firstAdministrator?: boolean } = {},
  ): Promise<UserView> {
    const parsed = parseOrThrow(newUserSchema, input);
    const mobile = parsed.mobile ? normalizeMobile(parsed.mobile) : null;
    if (this.findRecord(parsed.username)) {
      throw new ScError('conflict', `A user named "${parsed.username}" already exists.`, {
        field: 'username',
        rule: 'taken',
        value: parsed.username,
      });
    }
    // Hash outside the transaction: it is slow and touches no data.
    const passwordHash = parsed.password === undefined ? null : await hashPassword(parsed.password);
    const now = this.clock.now();
    const id = this.db
      .transaction(() => {
        if (options.firstAdministrator && this.hasAdministrator()) {
          throw new ScError('conflict', 'System Configurator already has an administrator. Log on.');
        }
        if (this.findRecord(parsed.username)) {
          throw new ScError('conflict', `A user named "${parsed.username}" already exists.`, {
            field: 'username',
            rule: 'taken',
            value: parsed.username,
          });
        }
        const result = this.db
          .prepare(
            `INSERT INTO users (username, display_name, email, mobile, active, must_change_password, password_hash, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            parsed.username,
            parsed.displayName ?? parsed.username,
            parsed.email ?? null,
            mobile,
            parsed.active ? 1 : 0,
            parsed.mustChangePassword ? 1 : 0,
            passwordHash,
            now,
            now,
          );
        const userId = Number(result.lastInsertRowid);
        this.writeRoles(userId, parsed.roles);
        this.audit.append({
          actor,
          action: 'user.created',
          target: parsed.username,
          outcome: 'success',
          details: {
            roles: parsed.roles.join(','),
            email: parsed.email ? 'set' : 'none',
            mobile: mobile ? 'set' : 'none',
          },
        });
        return userId;
      })
      .immediate();
    return toView(this.findRecordById(id)!);
  }

  update(username: string, patch: UserPatch, actor: string): UserView {
    const parsed = parseOrThrow(userPatchSchema, patch);
    const mobile = parsed.mobile ? normalizeMobile(parsed.mobile) : parsed.mobile;
    return this.db
      .transaction(() => {
        const current = this.findRecord(username);
        if (!current)
          throw new ScError('not-found', `There is no user "${username}".`, { field: 'username' });
        if (
          parsed.roles &&
          !parsed.roles.includes('administrator') &&
          current.roles.includes('administrator')
        ) {
          this.assertNotLastAdministrator(current.id, 'roles');
        }
        if (parsed.active === false && current.roles.includes('administrator'))
          this.assertNotLastAdministrator(current.id, 'active');
        const next = {
          display_name: parsed.displayName ?? current.displayName,
          email: parsed.email === undefined ? current.email : parsed.email,
          mobile: mobile === undefined ? current.mobile : mobile,
          active: parsed.active === undefined ? current.active : parsed.active,
          must_change_password: parsed.mustChangePassword ?? current.mustChangePassword,
        };
        this.db
          .prepare(
            'UPDATE users SET display_name = ?, email = ?, mobile = ?, active = ?, must_change_password = ?, updated_at = ? WHERE id = ?',
          )
          .run(
            next.display_name,
            next.email,
            next.mobile,
            next.active ? 1 : 0,
            next.must_change_password ? 1 : 0,
            this.clock.now(),
            current.id,
          );
        if (parsed.roles) this.writeRoles(current.id, parsed.roles);
        const changed = Object.keys(parsed).filter((key) => parsed[key as keyof typeof parsed] !== undefined);
        this.audit.append({
          actor,
          action: parsed.active === false && current.active ? 'user.deactivated' : 'user.changed',
          target: current.username,
          outcome: 'success',
          details: { fields: changed.join(',') },
        });
        return toView(this.findRecordById(current.id)!);
      })
      .immediate();
  }

  deactivate(username: string, actor: string): UserView {
    return this.update(username, { active: false }, actor);
  }

  /** Ends an SC lock and resets the failed-code count (an administrator's unlock). */
  unlock(username: string, actor: string): UserView {
    return this.db
      .transaction(() => {
        const current = this.findRecord(username);
        if (!current)
          throw new ScError('not-found', `There is no user "${username}".`, { field: 'username' });
        this.db
          .prepare(
            'UPDATE users SET failed_code_attempts = 0, sc_locked_until = NULL, failed_password_attempts = 0, password_locked_until = NULL, updated_at = ? WHERE id = ?',
          )
          .run(this.clock.now(), current.id);
        this.audit.append({
          actor,
          action: 'account.unlocked',
          target: current.username,
          outcome: 'success',
          details: {
            failedCodeAttempts: current.failedCodeAttempts,
            wasLocked: isLocked(current, this.clock.now()),
          },
        });
        return toView(this.findRecordById(current.id)!);
      })
      .immediate();
  }

  /**
   * A user's own new password (the caller has checked the password policy): stored, clearing must-change,
   * only over the password `replacing` (the stamp its log-on checked). Returns the new password's stamp (the
   * log-on that changed it keeps its session), or null when the password was replaced meanwhile (an
   * administrator's reset, here or in sc-admin, or another window's change): that one stays.
   */
  async setPassword(
    userId: number,
    password: string,
    actor: string,
    replacing: string,
  ): Promise<string | null> {
    const passwordHash = await hashPassword(password);
    const stored = this.db
      .transaction(() => {
        const current = this.findRecordById(userId);
        if (!current) throw new ScError('not-found', 'There is no such user.');
        if (current.passwordHash === null || passwordStamp(current.passwordHash) !== replacing) return false;
        this.db
          .prepare(
            'UPDATE users SET password_hash = ?, must_change_password = 0, updated_at = ? WHERE id = ?',
          )
          .run(passwordHash, this.clock.now(), userId);
        this.audit.append({
          actor,
          action: 'password.changed',
          target: current.username,
          outcome: 'success',
        });
        return true;
      })
      .immediate();
    return stored ? passwordStamp(passwordHash) : null;
  }

  /**
   * An administrator gives a user a password (a first one, or a temporary one after a forgotten password):
   * checked against the password policy, hashed, and stored with `mustChange` (the window always sets it; the
   * user then picks their own at the next log-on). Earlier password failures were guesses at the old password,
   * so they are cleared; an SC lock (codes) is not. Audited with who and whether, never the password.
   */
  async setPasswordFor(
    username: string,
    input: { newPassword: string; confirmPassword: string },
    actor: string,
    options: { mustChange: boolean },
  ): Promise<UserView> {
    const target = this.findRecord(username);
    if (!target) throw new ScError('not-found', `There is no user "${username}".`, { field: 'username' });
    checkNewPassword({ username: target.username, ...input });
    // Hash outside the transaction: it is slow and touches no data.
    const passwordHash = await hashPassword(input.newPassword);
    return this.db
      .transaction(() => {
        const current = this.findRecordById(target.id);
        if (!current)
          throw new ScError('not-found', `There is no user "${username}".`, { field: 'username' });
        this.db
          .prepare(
            `UPDATE users SET password_hash = ?, must_change_password = ?, failed_password_attempts = 0,
               password_locked_until = NULL, updated_at = ? WHERE id = ?`,
          )
          .run(passwordHash, options.mustChange ? 1 : 0, this.clock.now(), current.id);
        this.audit.append({
          actor,
          action: 'password.set',
          target: current.username,
          outcome: 'success',
          details: { mustChange: options.mustChange, replaced: current.passwordHash !== null },
        });
        return toView(this.findRecordById(current.id)!);
      })
      .immediate();
  }

  /**
   * Stores a stronger hash of the same password (a log-on re-hashing with today's parameters), only if the
   * stored hash is still `previous` (a password changed meanwhile wins). True when it was stored.
   */
  upgradePasswordHash(userId: number, previous: string, next: string): boolean {
    return (
      this.db
        .prepare('UPDATE users SET password_hash = ? WHERE id = ? AND password_hash = ?')
        .run(next, userId, previous).changes === 1
    );
  }

  private writeRoles(userId: number, roles: readonly Role[]): void {
    this.db.prepare('DELETE FROM user_roles WHERE user_id = ?').run(userId);
    const insert = this.db.prepare('INSERT INTO user_roles (user_id, role) VALUES (?, ?)');
    for (const role of new Set(roles)) insert.run(userId, role);
  }

  private assertNotLastAdministrator(userId: number, field: 'roles' | 'active'): void {
    const others = this.db
      .prepare(
        "SELECT count(*) AS n FROM users u JOIN user_roles r ON r.user_id = u.id WHERE r.role = 'administrator' AND u.active = 1 AND u.id <> ?",
      )
      .get(userId) as { n: number };
    if (others.n === 0) {
      throw new ScError(
        'conflict',
        'This is the last active administrator: make another user an administrator first.',
        { field, rule: 'lastAdministrator' },
      );
    }
  }
}

function isLocked(user: { scLockedUntil: number | null }, now: number): boolean {
  return user.scLockedUntil !== null && user.scLockedUntil > now;
}

export function parseOrThrow<T extends z.core.$ZodType>(schema: T, input: unknown): z.output<T> {
  const result = z.safeParse(schema, input);
  if (!result.success) {
    const { field, message, params } = firstIssue(result.error);
    throw validationError(field, message, params);
  }
  return result.data;
}

function toRecord(row: UserRow): UserRecord {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    email: row.email,
    mobile: row.mobile,
    roles: (row.roles ? row.roles.split(',') : []).sort() as Role[],
    active: row.active === 1,
    mustChangePassword: row.must_change_password === 1,
    hasPassword: row.password_hash !== null,
    failedCodeAttempts: row.failed_code_attempts,
    scLockedUntil: row.sc_locked_until,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    passwordHash: row.password_hash,
    failedPasswordAttempts: row.failed_password_attempts,
    passwordLockedUntil: row.password_locked_until,
  };
}

function toView(record: UserRecord): UserView {
  return {
    id: record.id,
    username: record.username,
    displayName: record.displayName,
    email: record.email,
    mobile: record.mobile,
    mobileInternational: record.mobile === null ? null : formatMobileInternational(record.mobile),
    roles: record.roles,
    active: record.active,
    mustChangePassword: record.mustChangePassword,
    hasPassword: record.hasPassword,
    failedCodeAttempts: record.failedCodeAttempts,
    scLockedUntil: record.scLockedUntil,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}
