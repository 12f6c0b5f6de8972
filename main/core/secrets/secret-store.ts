import { z } from 'zod';
import type { Clock } from '../clock';
import type { Db } from '../db/database';
import type { AuditLog } from '../audit/audit-log';
import { ScError, isScError } from '../errors';
import { parseOrThrow } from '../users/user-store';
import type { KeychainBackend } from './keychain';
import { endpointOrigin, secretMayGoTo } from './endpoint-binding';

/** The secret that authenticates System Configurator to the Sinch Verification API. */
export const SINCH_SECRET_NAME = 'sinch-verification-api';
export const KNOWN_SECRETS = [SINCH_SECRET_NAME] as const;
export type SecretName = (typeof KNOWN_SECRETS)[number];

/** What anyone may see of a secret: that it is set, by whom and when; never its value. */
export interface SecretInfo {
  name: SecretName;
  authId: string;
  isDefault: boolean;
  setBy: string;
  updatedAt: number;
  /** The endpoint origin the secret was entered for: it is sent nowhere else. */
  boundTo: string;
  /** False once the endpoint points elsewhere: the secret must be entered again. */
  usableAtEndpoint: boolean;
}

const secretInputSchema = z.object({
  name: z.enum(KNOWN_SECRETS, {
    error: `The only secret System Configurator uses is "${SINCH_SECRET_NAME}".`,
  }),
  authId: z.string().trim().min(1, 'Enter the Authentication ID (the Sinch application key).').max(256),
  // Windows Credential Manager holds at most 2,560 bytes; Sinch secrets are about 24 characters.
  secret: z
    .string()
    .min(1, 'Enter the secret.')
    .max(1024, 'The secret is too long (at most 1024 characters).'),
  asDefault: z.boolean().default(false),
});
export type SecretInput = z.input<typeof secretInputSchema>;
/** What the Sinch client authenticates with: the application key and its secret (base64 as Sinch issues it). */
export type SinchCredentials = Pick<z.output<typeof secretInputSchema>, 'authId' | 'secret'>;

export interface DeleteSecretResult {
  deleted: boolean;
  /** A sentence for the admin: what is in force now. */
  message: string;
}

interface MetadataRow {
  name: SecretName;
  auth_id: string;
  is_default: number;
  set_by: string;
  updated_at: number;
  bound_origin: string | null;
}

/**
 * Secrets: values in the OS keychain only, metadata in SQLite. There is no plaintext fallback: when the
 * keychain fails, the typed error says so and nothing is written.
 */
export class SecretStore {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
    private readonly keychain: KeychainBackend,
    /** The Sinch endpoint in force (the policy), read at every call. */
    private readonly endpoint: () => string,
  ) {}

  list(): SecretInfo[] {
    const rows = this.db.prepare('SELECT * FROM secret_metadata ORDER BY name').all() as MetadataRow[];
    return rows.map((row) => this.toInfo(row));
  }

  info(name: SecretName): SecretInfo | null {
    const row = this.db.prepare('SELECT * FROM secret_metadata WHERE name = ?').get(name) as
      MetadataRow | undefined;
    return row ? this.toInfo(row) : null;
  }

  /**
   * Stores a secret. `asDefault` marks a provisioned default (installer or sc-admin); an administrator's own
   * secret replaces it. A default never replaces an administrator's own secret.
   */
  async set(input: SecretInput, actor: string): Promise<SecretInfo> {
    const parsed = parseOrThrow(secretInputSchema, input);
    const existing = this.info(parsed.name);
    if (parsed.asDefault && existing && !existing.isDefault) {
      throw new ScError(
        'conflict',
        `An administrator's own "${parsed.name}" secret is set; a provisioned default does not replace it. Delete it first to install a default.`,
      );
    }
    await this.keychainCall(() => this.keychain.set(parsed.name, parsed.secret));
    const now = this.clock.now();
    const boundTo = endpointOrigin(this.endpoint());
    this.db
      .transaction(() => {
        this.db
          .prepare(
            `INSERT INTO secret_metadata (name, auth_id, is_default, set_by, updated_at, bound_origin)
             VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (name) DO UPDATE SET auth_id = excluded.auth_id, is_default = excluded.is_default,
             set_by = excluded.set_by, updated_at = excluded.updated_at, bound_origin = excluded.bound_origin`,
          )
          .run(parsed.name, parsed.authId, parsed.asDefault ? 1 : 0, actor, now, boundTo);
        this.audit.append({
          actor,
          action: 'secret.set',
          target: parsed.name,
          outcome: 'success',
          details: {
            boundTo,
            authId: parsed.authId,
            kind: parsed.asDefault ? 'provisioned default' : 'own',
            replaced: existing ? (existing.isDefault ? 'provisioned default' : 'own') : 'none',
          },
        });
      })
      .immediate();
    return this.info(parsed.name)!;
  }

  async delete(name: string, actor: string): Promise<DeleteSecretResult> {
    const parsedName = parseOrThrow(secretInputSchema.shape.name, name);
    const existing = this.info(parsedName);
    await this.keychainCall(() => this.keychain.delete(parsedName));
    this.db
      .transaction(() => {
        this.db.prepare('DELETE FROM secret_metadata WHERE name = ?').run(parsedName);
        this.audit.append({
          actor,
          action: 'secret.deleted',
          target: parsedName,
          outcome: existing ? 'success' : 'failure',
          details: { kind: existing ? (existing.isDefault ? 'provisioned default' : 'own') : 'none' },
        });
      })
      .immediate();
    if (!existing) return { deleted: false, message: `No "${parsedName}" secret was set; nothing changed.` };
    return {
      deleted: true,
      message: existing.isDefault
        ? `The provisioned default "${parsedName}" secret was deleted. No secret is set now: verification codes cannot be sent until one is set.`
        : `Your own "${parsedName}" secret was deleted. No secret is set now (a provisioned default it replaced is not restored): verification codes cannot be sent until one is set.`,
    };
  }

  /**
   * Read at call time by the Sinch client, so a changed secret applies without a restart. `endpoint` is
   * where the request is about to go: a secret entered for another origin is refused before any request.
   */
  async sinchCredentials(endpoint: string = this.endpoint()): Promise<SinchCredentials> {
    const info = this.info(SINCH_SECRET_NAME);
    if (!info) {
      throw new ScError(
        'secret-missing',
        'The Sinch Verification API secret is not set. An administrator must set it in the Secrets manager.',
      );
    }
    if (!secretMayGoTo(info.boundTo, endpoint)) {
      throw new ScError(
        'secret-missing',
        `The Sinch secret was entered for ${info.boundTo}, not for the endpoint now set (${endpointOrigin(endpoint)}), so it is not sent there. An administrator must enter the secret again in the Secrets manager.`,
        { boundTo: info.boundTo },
      );
    }
    const secret = await this.keychainCall(() => this.keychain.get(SINCH_SECRET_NAME));
    if (secret === null) {
      throw new ScError(
        'secret-missing',
        'The Sinch Verification API secret is missing from the OS keychain (it may have been deleted, or the keychain is locked). An administrator must set it again.',
      );
    }
    return { authId: info.authId, secret };
  }

  private async keychainCall<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (isScError(error)) throw error;
      throw new ScError(
        'keychain-unavailable',
        'OS keychain unavailable: the secret could not be read or stored, and nothing was written. Unlock or start the keychain and try again.',
      );
    }
  }

  private toInfo(row: MetadataRow): SecretInfo {
    const endpoint = this.endpoint();
    // A secret set before binding existed is bound to the endpoint in force until the policy moves it.
    const boundTo = row.bound_origin ?? endpointOrigin(endpoint);
    return {
      name: row.name,
      authId: row.auth_id,
      isDefault: row.is_default === 1,
      setBy: row.set_by,
      updatedAt: row.updated_at,
      boundTo,
      usableAtEndpoint: secretMayGoTo(boundTo, endpoint),
    };
  }
}
