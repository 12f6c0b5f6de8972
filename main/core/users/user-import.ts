/**
 * Provisioning users from a file: every row was checked before this runs (user-file.ts); here the rows
 * become creates and updates in ONE write transaction, each audited, or nothing at all. A row that
 * matches the user as stored changes nothing, so running the same file twice changes nothing.
 */
import type { Clock } from '../clock';
import type { Db } from '../db/database';
import type { AuditLog } from '../audit/audit-log';
import { ScError } from '../errors';
import type { Role } from '../../contract/domain';
import type { UserFileRow } from './user-file';
import type { SearchIndex } from './search-index';
import type { UserRecord, UserStore } from './user-store';

interface ImportChange {
  username: string;
  kind: 'create' | 'update';
  /** The fields that change (an update), or that the file sets (a create). */
  fields: string[];
}

export interface ImportResult {
  dryRun: boolean;
  created: number;
  updated: number;
  unchanged: number;
  changes: ImportChange[];
}

/** From this many creates (or updates) in one import, the search index is built after it, not row by row. */
const BULK_IMPORT_ROWS = 2_000;

const FIELDS = ['displayName', 'email', 'mobile', 'roles', 'active', 'mustChangePassword'] as const;

export class UserImporter {
  private readonly insertUser;
  private readonly updateUser;
  private readonly deleteRoles;
  private readonly insertRole;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
    private readonly users: UserStore,
    private readonly searchIndex: SearchIndex,
  ) {
    this.insertUser = db.prepare(
      `INSERT INTO users (username, display_name, email, mobile, active, must_change_password, password_hash, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?)`,
    );
    this.updateUser = db.prepare(
      'UPDATE users SET display_name = ?, email = ?, mobile = ?, active = ?, must_change_password = ?, updated_at = ? WHERE id = ?',
    );
    this.deleteRoles = db.prepare('DELETE FROM user_roles WHERE user_id = ?');
    this.insertRole = db.prepare('INSERT INTO user_roles (user_id, role) VALUES (?, ?)');
  }

  /**
   * Creates and updates the users the rows describe. New users get no password (they log on with SSO)
   * and are flagged must-change-password unless the file says otherwise.
   * With `dryRun`, reports the same changes and writes nothing.
   */
  run(rows: readonly UserFileRow[], actor: string, options: { dryRun?: boolean } = {}): ImportResult {
    const dryRun = options.dryRun ?? false;
    return this.db
      .transaction(() => {
        const hadAdministrator = this.users.hasAdministrator();
        const result: ImportResult = { dryRun, created: 0, updated: 0, unchanged: 0, changes: [] };
        // First what changes (reads only; the file holds each username once), then the writes.
        const writes: { row: UserFileRow; current: UserRecord | null; fields: string[] }[] = [];
        for (const row of rows) {
          const current = this.users.findRecord(row.username);
          if (!current) {
            result.created++;
            result.changes.push({ username: row.username, kind: 'create', fields: setFields(row) });
            writes.push({ row, current: null, fields: [] });
            continue;
          }
          const fields = changedFields(row, current);
          if (fields.length === 0) {
            result.unchanged++;
            continue;
          }
          result.updated++;
          result.changes.push({ username: current.username, kind: 'update', fields });
          writes.push({ row, current, fields });
        }
        if (!dryRun) {
          this.leaveToTheIndexBuild(result);
          for (const { row, current, fields } of writes) {
            if (current) this.update(row, current, fields, actor);
            else this.create(row, actor);
          }
        }
        if (!dryRun && hadAdministrator && !this.users.hasAdministrator()) {
          // Throwing rolls the whole import back.
          throw new ScError(
            'conflict',
            'The import would leave no active administrator: keep at least one active user with the administrator role.',
          );
        }
        if (!dryRun && result.changes.length > 0) {
          this.audit.append({
            actor,
            action: 'users.imported',
            outcome: 'success',
            details: { created: result.created, updated: result.updated, unchanged: result.unchanged },
          });
        }
        return result;
      })
      .immediate();
  }

  /**
   * A bulk import does not update the search index user by user (through its triggers, the import's
   * slowest part): the index build adds the new users once, after, and rebuilds it after many updates.
   * In the import's transaction, so a failed import leaves the index as it was too.
   */
  private leaveToTheIndexBuild(result: ImportResult): void {
    if (result.updated >= BULK_IMPORT_ROWS) this.searchIndex.clearForRebuild();
    else if (result.created >= BULK_IMPORT_ROWS) this.searchIndex.deferNewUsers();
  }

  private create(row: UserFileRow, actor: string): void {
    const now = this.clock.now();
    const roles = row.roles ?? [];
    const id = Number(
      this.insertUser.run(
        row.username,
        row.displayName ?? row.username,
        row.email ?? null,
        row.mobile ?? null,
        row.active === false ? 0 : 1,
        row.mustChangePassword === false ? 0 : 1,
        now,
        now,
      ).lastInsertRowid,
    );
    this.writeRoles(id, roles);
    this.audit.append({
      actor,
      action: 'user.created',
      target: row.username,
      outcome: 'success',
      details: {
        source: 'import',
        roles: roles.join(','),
        email: row.email ? 'set' : 'none',
        mobile: row.mobile ? 'set' : 'none',
      },
    });
  }

  private update(row: UserFileRow, current: UserRecord, fields: string[], actor: string): void {
    this.updateUser.run(
      row.displayName ?? current.displayName,
      row.email === undefined ? current.email : row.email,
      row.mobile === undefined ? current.mobile : row.mobile,
      (row.active ?? current.active) ? 1 : 0,
      (row.mustChangePassword ?? current.mustChangePassword) ? 1 : 0,
      this.clock.now(),
      current.id,
    );
    if (row.roles && fields.includes('roles')) this.writeRoles(current.id, row.roles);
    this.audit.append({
      actor,
      action: row.active === false && current.active ? 'user.deactivated' : 'user.changed',
      target: current.username,
      outcome: 'success',
      details: { source: 'import', fields: fields.join(',') },
    });
  }

  private writeRoles(userId: number, roles: readonly Role[]): void {
    this.deleteRoles.run(userId);
    for (const role of roles) this.insertRole.run(userId, role);
  }
}

function setFields(row: UserFileRow): string[] {
  return FIELDS.filter((field) => row[field] !== undefined);
}

function changedFields(row: UserFileRow, current: UserRecord): string[] {
  return FIELDS.filter((field) => {
    const wanted = row[field];
    if (wanted === undefined) return false;
    if (field === 'roles') return (wanted as Role[]).join(',') !== [...current.roles].sort().join(',');
    return wanted !== current[field];
  });
}
