import type { Clock } from '../clock';
import type { Db } from '../db/database';
import type { AuditLog } from '../audit/audit-log';
import { ScError, validationError } from '../errors';
import { hasContactSql } from '../users/contacts';
import { parseOrThrow } from '../users/user-store';
import { endpointOrigin } from '../secrets/endpoint-binding';
import type { ManagedPolicy } from './managed-policy';
import {
  POLICY_DOCUMENT_VERSION,
  POLICY_FIELDS,
  SINCH_DEFAULTS,
  SSO_DEFAULTS,
  TWO_FACTOR_DEFAULTS,
  policySchema,
  type PolicyDocument,
  type PolicySources,
  type Method,
  type Policy,
  type Readiness,
  type SinchSettings,
  type SsoSettings,
  type TwoFactorPolicy,
} from '../../contract/domain';

export interface PolicyPatch {
  twoFactor?: Partial<TwoFactorPolicy>;
  sinch?: Partial<SinchSettings>;
  sso?: Partial<SsoSettings>;
}

interface TwoFactorRow {
  enabled: number;
  primary_method: Method;
  fallback_method: TwoFactorPolicy['fallbackMethod'];
  valid_minutes: number;
  max_attempts: number;
  lock_minutes: number;
}
interface SinchRow {
  endpoint: string;
  auth_method: SinchSettings['authMethod'];
  email_sender_address: string;
  email_sender_name: string;
}
interface SsoRow {
  enabled: number;
  issuer: string;
  client_id: string;
  scopes: string;
  username_claim: SsoSettings['usernameClaim'];
  unknown_users: SsoSettings['unknownUsers'];
}

const NO_MANAGED_POLICY: ManagedPolicy = { state: 'absent', path: '' };

/**
 * The Authentication Policy: one typed row per block, validated as a whole, every change audited. The
 * managed policy's fields win over the database's and cannot be changed here.
 */
export class PolicyStore {
  private readonly selectTwoFactor;
  private readonly selectSinch;
  private readonly selectSso;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
    private readonly managed: ManagedPolicy = NO_MANAGED_POLICY,
  ) {
    this.selectTwoFactor = db.prepare('SELECT * FROM policy_two_factor WHERE id = 1');
    this.selectSinch = db.prepare('SELECT * FROM policy_sinch WHERE id = 1');
    this.selectSso = db.prepare('SELECT * FROM policy_sso WHERE id = 1');
  }

  /** The policy in force: this computer's settings with the managed policy's fields over them. */
  get(): Policy {
    return overlay(this.local(), this.managedPatch());
  }

  /** Where each value in force comes from, and the managed policy file when there is one. */
  sources(): PolicySources {
    const local = this.local();
    const managed = this.managedPatch();
    const defaults: Policy = { twoFactor: TWO_FACTOR_DEFAULTS, sinch: SINCH_DEFAULTS, sso: SSO_DEFAULTS };
    const fields: PolicySources['fields'] = {};
    for (const key of POLICY_FIELDS) {
      fields[key] =
        readPath(managed, key) !== undefined
          ? 'managed'
          : readPath(local, key) === readPath(defaults, key)
            ? 'default'
            : 'local';
    }
    return { managedSource: this.managed.state === 'active' ? this.managed.path : null, fields };
  }

  /** The whole policy in force as a policy document (no secrets: the policy holds none). */
  exportDocument(): PolicyDocument {
    return { version: POLICY_DOCUMENT_VERSION, ...this.get() };
  }

  /**
   * Checks the policy in force is one the app can run with (the managed fields may not fit this
   * computer's own): the same checks as a change. Throws the first problem.
   */
  assertValid(): void {
    checkPolicy(this.get());
  }

  /** This computer's own settings, from the database. */
  private local(): Policy {
    const t = this.selectTwoFactor.get() as TwoFactorRow;
    const s = this.selectSinch.get() as SinchRow;
    const o = this.selectSso.get() as SsoRow;
    return {
      twoFactor: {
        enabled: t.enabled === 1,
        primaryMethod: t.primary_method,
        fallbackMethod: t.fallback_method,
        validMinutes: t.valid_minutes,
        maxAttempts: t.max_attempts,
        lockMinutes: t.lock_minutes,
      },
      sinch: {
        endpoint: s.endpoint,
        authMethod: s.auth_method,
        emailSenderAddress: s.email_sender_address,
        emailSenderName: s.email_sender_name,
      },
      sso: {
        enabled: o.enabled === 1,
        issuer: o.issuer,
        clientId: o.client_id,
        scopes: o.scopes,
        usernameClaim: o.username_claim,
        unknownUsers: o.unknown_users,
      },
    };
  }

  /** The fields the managed policy sets (empty without one). */
  private managedPatch(): PolicyPatch {
    if (this.managed.state !== 'active') return {};
    const { version: _version, ...patch } = this.managed.document;
    return patch;
  }

  /**
   * Merges the patch over this computer's settings, validates the policy that would be in force, writes it
   * and audits what changed. A managed field may be given only with the value it already has.
   */
  set(patch: PolicyPatch, actor: string): Policy {
    this.assertNotManaged(patch);
    return this.db
      .transaction(() => {
        const current = this.local();
        // This computer's settings must hold alone (the database checks them too) and under the managed ones.
        const next = parseOrThrow(policySchema, overlay(current, patch));
        checkPolicy(overlay(next, this.managedPatch()));
        const changed = [
          ...diffKeys('twoFactor', current.twoFactor, next.twoFactor),
          ...diffKeys('sinch', current.sinch, next.sinch),
          ...diffKeys('sso', current.sso, next.sso),
        ];
        if (changed.length === 0) return this.get();
        const now = this.clock.now();
        const t = next.twoFactor;
        this.db
          .prepare(
            `UPDATE policy_two_factor SET enabled = ?, primary_method = ?, fallback_method = ?, valid_minutes = ?,
             max_attempts = ?, lock_minutes = ?, updated_at = ?, updated_by = ? WHERE id = 1`,
          )
          .run(
            t.enabled ? 1 : 0,
            t.primaryMethod,
            t.fallbackMethod,
            t.validMinutes,
            t.maxAttempts,
            t.lockMinutes,
            now,
            actor,
          );
        const s = next.sinch;
        this.db
          .prepare(
            `UPDATE policy_sinch SET endpoint = ?, auth_method = ?, email_sender_address = ?, email_sender_name = ?,
             updated_at = ?, updated_by = ? WHERE id = 1`,
          )
          .run(s.endpoint, s.authMethod, s.emailSenderAddress, s.emailSenderName, now, actor);
        const o = next.sso;
        this.db
          .prepare(
            `UPDATE policy_sso SET enabled = ?, issuer = ?, client_id = ?, scopes = ?, username_claim = ?,
             unknown_users = ?, updated_at = ?, updated_by = ? WHERE id = 1`,
          )
          .run(
            o.enabled ? 1 : 0,
            o.issuer,
            o.clientId,
            o.scopes,
            o.usernameClaim,
            o.unknownUsers,
            now,
            actor,
          );
        const details: Record<string, string | number | boolean> = {};
        for (const key of changed) details[key] = String(readPath(next, key));
        const stranded = this.pinSecretsToOrigin(current.sinch.endpoint, next.sinch.endpoint);
        if (stranded)
          details.sinchCredentials = `entered for ${stranded}: must be entered again for the new endpoint`;
        this.audit.append({
          actor,
          action: 'policy.changed',
          target: 'authentication-policy',
          outcome: 'success',
          details,
        });
        return this.get();
      })
      .immediate();
  }

  /** The managed fields a patch would change; refused with the file that manages them. */
  private assertNotManaged(patch: PolicyPatch): void {
    const managed = this.managedPatch();
    const effective = this.get();
    for (const key of POLICY_FIELDS) {
      const wanted = readPath(patch, key);
      if (wanted === undefined || readPath(managed, key) === undefined) continue;
      if (wanted === readPath(effective, key)) continue;
      throw managedFieldError(key, this.managed.path);
    }
  }

  /**
   * The endpoint's origin moves: a secret set before secrets were bound (bound_origin NULL) stays bound to
   * the origin it was used with. Returns the origin of a secret that can no longer be used, if any.
   */
  private pinSecretsToOrigin(before: string, after: string): string | null {
    const from = endpointOrigin(before);
    if (from === endpointOrigin(after)) return null;
    this.db.prepare('UPDATE secret_metadata SET bound_origin = ? WHERE bound_origin IS NULL').run(from);
    const bound = this.db
      .prepare("SELECT bound_origin FROM secret_metadata WHERE name = 'sinch-verification-api'")
      .pluck()
      .get() as string | undefined;
    return bound !== undefined && bound !== endpointOrigin(after) ? bound : null;
  }

  /**
   * Active users with no contact for the chosen methods: were 2FA on with these methods, they could no
   * longer log in. Pass a draft policy to check before saving.
   */
  readiness(
    twoFactor: Pick<TwoFactorPolicy, 'primaryMethod' | 'fallbackMethod'> = this.get().twoFactor,
  ): Readiness {
    const usersWithoutContact = this.db
      .prepare(
        `SELECT username, display_name AS displayName FROM users WHERE active = 1 AND NOT ${hasContactSql(methodsOf(twoFactor))} ORDER BY username`,
      )
      .all() as Readiness['usersWithoutContact'];
    const activeUsers = (
      this.db.prepare('SELECT count(*) AS n FROM users WHERE active = 1').get() as { n: number }
    ).n;
    return { usersWithoutContact, activeUsers };
  }
}

/** The methods a code may go by under a policy: the primary, and the fallback when there is one. */
export function methodsOf(twoFactor: Pick<TwoFactorPolicy, 'primaryMethod' | 'fallbackMethod'>): Method[] {
  return twoFactor.fallbackMethod === 'none'
    ? [twoFactor.primaryMethod]
    : [twoFactor.primaryMethod, twoFactor.fallbackMethod];
}

/** A key present but undefined (IPC keeps such keys) leaves the setting as it is. */
function definedOnly<T extends object>(patch: T | undefined): Partial<T> {
  return Object.fromEntries(
    Object.entries(patch ?? {}).filter(([, value]) => value !== undefined),
  ) as Partial<T>;
}

/** The patch's defined fields over the policy, block by block. */
function overlay(policy: Policy, patch: PolicyPatch): Policy {
  return {
    twoFactor: { ...policy.twoFactor, ...definedOnly(patch.twoFactor) },
    sinch: { ...policy.sinch, ...definedOnly(patch.sinch) },
    sso: { ...policy.sso, ...definedOnly(patch.sso) },
  };
}

/** The rules a policy in force must meet: each field's, the blocks', and the e-mail sender for e-mail 2FA. */
function checkPolicy(policy: Policy): Policy {
  const next = parseOrThrow(policySchema, policy);
  const usesEmail = next.twoFactor.primaryMethod === 'email' || next.twoFactor.fallbackMethod === 'email';
  if (next.twoFactor.enabled && usesEmail && next.sinch.emailSenderAddress === '') {
    throw validationError(
      'sinch.emailSenderAddress',
      'Enter the e-mail sender address before using Email (beta) for 2FA.',
      { rule: 'required' },
    );
  }
  return next;
}

/** The answer to changing a field the organisation manages: what, and which file decides it. */
export function managedFieldError(field: string, source: string): ScError {
  return new ScError(
    'managed-by-organisation',
    `${field} is managed by your organisation (${source}) and cannot be changed on this computer.`,
    { field },
  );
}

function diffKeys<T extends object>(prefix: string, before: T, after: T): string[] {
  return (Object.keys(after) as (keyof T)[])
    .filter((key) => before[key] !== after[key])
    .map((key) => `${prefix}.${String(key)}`);
}

function readPath(policy: Policy | PolicyPatch, key: string): unknown {
  const [block, field] = key.split('.') as [keyof Policy, string];
  return (policy[block] as Record<string, unknown> | undefined)?.[field];
}
