/**
 * Who an identity provider's answer is. An SC user is linked to the provider's issuer + subject (which
 * OpenID Connect guarantees unique and never reassigned), not to a claim its owner may be able to change:
 *
 *   linked subject                         → its linked user, whatever its claims say now (the link wins)
 *   unlinked, claim names a user …
 *     … who has no link for this issuer     → that user; the link is recorded when the log-on completes
 *     … who is linked to another subject    → refused, held as a pending identity ("claim-taken")
 *   unlinked, claim names nobody            → "admin-link": held as a pending identity; "refuse": unknown user
 *
 * The claim is only a first match. `email` matches only with `email_verified: true` (the boolean). An
 * administrator links or unlinks identities (the window, sc-admin); every link and unlink is audited.
 */
import type { AuditLog } from '../audit/audit-log';
import { escapeControlCharacters } from '../audit/untrusted-text';
import type { Clock } from '../clock';
import type { Db } from '../db/database';
import { ScError } from '../errors';
import type { UserRecord, UserStore } from '../users/user-store';
import { parseOrThrow } from '../users/user-store';
import {
  SSO_SHOWN_CLAIMS,
  ssoIdentityKeySchema,
  ssoLinkSchema,
  ssoShownClaimsSchema,
  ssoSubjectSchema,
  type SsoIdentities as SsoIdentitiesView,
  type SsoIdentityKey,
  type SsoLinkInput,
  type SsoLinkView,
  type SsoPendingView,
  type SsoSettings,
  type SsoShownClaims,
} from '../../contract/domain';
import { ssoFailure, ssoRefusal, unknownIdentityRefusal, type SsoFailureReason } from './sso-refusals';

/** What the OpenID round trip learnt, after the token checks: nothing here has been trusted yet. */
export interface SsoAnswer {
  /** The ID token's issuer (openid-client checked it against the discovered metadata). */
  issuer: string;
  subject: unknown;
  /** The ID token's claims, with userinfo's where it was asked. */
  claims: Readonly<Record<string, unknown>>;
}

/** An identity accepted as a first factor: the SC username it maps to, and the identity itself. */
export interface SsoMatch {
  username: string;
  issuer: string;
  subject: string;
}

/** A claim longer than this cannot identify anyone (nor is it shown in full). */
const SSO_CLAIM_MAX_LENGTH = 256;
/** Pending identities kept; past it the longest-unseen go (an identity provider's users cannot fill the disk). */
const SSO_PENDING_MAX = 500;
/** Rows the administrator's list shows of each kind. */
const LIST_LIMIT = 200;

type Outcome = 'success' | 'failure' | 'denied';
interface ProviderFacts {
  username?: string;
  issuer?: string;
  subject?: string;
  reason?: string;
  claim?: string;
}

/** The identity provider's stage of an SSO log-on in the audit log (`logon.sso`): never a token. */
export function auditIdentityProvider(
  audit: Pick<AuditLog, 'append'>,
  outcome: Outcome,
  facts: ProviderFacts,
): void {
  audit.append({
    actor: facts.username ?? 'anonymous',
    action: 'logon.sso',
    target: facts.username ?? null,
    outcome,
    details: {
      stage: 'identity-provider',
      ...(facts.issuer ? { issuer: facts.issuer } : {}),
      ...(facts.subject ? { subject: facts.subject } : {}),
      ...(facts.claim ? { claim: facts.claim } : {}),
      ...(facts.reason ? { reason: facts.reason } : {}),
    },
  });
}

/** Refusals this module audited itself (with the identity); the caller must not audit them again. */
export const IDENTITY_REFUSALS: readonly SsoFailureReason[] = [
  'subject-invalid',
  'missing-claim',
  'email-unverified',
  'unlinked',
  'not-allowed',
];

interface PendingRow {
  issuer: string;
  subject: string;
  reason: SsoPendingView['reason'];
  claims: string;
  first_seen: number;
  last_seen: number;
}
interface UnlinkedRow {
  issuer: string;
  subject: string;
  unlinked_at: number;
  unlinked_by: string;
}
interface LinkRow {
  issuer: string;
  subject: string;
  username: string;
  linked_at: number;
  linked_by: string;
}

export class SsoIdentities {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
    private readonly users: UserStore,
    /** The issuer SSO is configured for now (the policy's). */
    private readonly configuredIssuer: () => string,
  ) {}

  /**
   * Maps an answer to the SC username it may sign in as, or refuses (ScError 'sso-error', audited with
   * the issuer and subject). Records a pending identity where an administrator must decide.
   */
  resolve(answer: SsoAnswer, settings: SsoSettings): SsoMatch {
    const { issuer } = answer;
    const claim = settings.usernameClaim;
    // openid-client checked the token against the discovered issuer; that must be the configured one.
    if (issuer !== settings.issuer) throw ssoRefusal('issuer-mismatch');
    const parsedSubject = ssoSubjectSchema.safeParse(answer.subject);
    if (!parsedSubject.success) {
      auditIdentityProvider(this.audit, 'failure', { issuer, reason: 'subject-invalid' });
      throw ssoRefusal('subject-invalid');
    }
    const subject = parsedSubject.data;
    /** Audits a refusal with the identity; `reason` is the audit's (claim-taken names the case precisely). */
    const refuse = (reason: string, error: ScError, outcome: Outcome, username?: string) => {
      auditIdentityProvider(this.audit, outcome, {
        ...(username !== undefined ? { username } : {}),
        issuer,
        subject,
        claim,
        reason,
      });
      return error;
    };

    // A refusal is returned, not thrown, from the transaction: its pending identity and audit rows must commit.
    const decided = this.db
      .transaction((): SsoMatch | ScError => {
        const linked = this.linkedUsername(issuer, subject);
        // The link wins: a linked subject is its user, whatever its claims say today.
        if (linked !== null) return { username: linked, issuer, subject };
        // An identity an administrator unlinked signs in as nobody until an administrator links it again.
        if (this.isUnlinked(issuer, subject))
          return refuse(
            'unlinked-by-administrator',
            ssoRefusal(unknownIdentityRefusal(settings.unknownUsers)),
            'denied',
          );

        const value = claimValue(answer.claims, claim, subject);
        // With "admin-link", every identity that matches nobody waits for an administrator.
        const hold = () => {
          if (settings.unknownUsers === 'admin-link')
            this.holdPending(issuer, subject, 'unmatched', answer.claims);
        };
        if (value === null) {
          hold();
          return refuse(
            'missing-claim',
            ssoFailure(
              'missing-claim',
              `Your SSO account does not provide the "${claim}" claim System Configurator needs to know who you are. Ask your administrator.`,
              { claim },
            ),
            'failure',
          );
        }
        if (claim === 'email' && answer.claims.email_verified !== true) {
          hold();
          return refuse('email-unverified', ssoRefusal('email-unverified'), 'failure', value);
        }
        const user = this.users.findRecord(value);
        if (!user) {
          if (settings.unknownUsers === 'refuse') return { username: value, issuer, subject };
          hold();
          return refuse('unlinked', ssoRefusal('unlinked'), 'denied', value);
        }
        if (this.linkedSubject(user.id, issuer) !== null) {
          // Someone else presents a linked user's claim: never that user. An administrator decides.
          this.holdPending(issuer, subject, 'claim-taken', answer.claims);
          const reason = unknownIdentityRefusal(settings.unknownUsers);
          return refuse('claim-taken', ssoRefusal(reason), 'denied', user.username);
        }
        if (isAdministrator(user)) {
          // An administrator account is never linked by a claim the provider's users may set themselves.
          this.holdPending(issuer, subject, 'administrator', answer.claims);
          const reason = unknownIdentityRefusal(settings.unknownUsers);
          return refuse('administrator-claim', ssoRefusal(reason), 'denied', user.username);
        }
        return { username: user.username, issuer, subject };
      })
      .immediate();
    if (decided instanceof ScError) throw decided;
    return decided;
  }

  /** The subject `userId` is linked to at `issuer`, or null. */
  linkedSubject(userId: number, issuer: string): string | null {
    const row = this.db
      .prepare('SELECT subject FROM sso_links WHERE user_id = ? AND issuer = ?')
      .get(userId, issuer) as { subject: string } | undefined;
    return row?.subject ?? null;
  }

  /**
   * Links a claim-matched user to the identity that just signed in as them, unless either is linked
   * already (the database's UNIQUE constraints decide a race). True when the identity is now `userId`'s link.
   */
  recordFirstLink(userId: number, identity: { issuer: string; subject: string }): boolean {
    return this.db
      .transaction(() => {
        const { issuer, subject } = identity;
        const ownerOf = () =>
          this.db
            .prepare('SELECT user_id FROM sso_links WHERE issuer = ? AND subject = ?')
            .pluck()
            .get(issuer, subject) as number | undefined;
        const before = ownerOf();
        if (before !== undefined) return before === userId;
        // An administrator may have unlinked it, or made its user an administrator, while the log-on ran.
        if (this.isUnlinked(issuer, subject)) return false;
        const user = this.users.findRecordById(userId);
        if (!user || isAdministrator(user)) return false;
        const inserted = this.db
          .prepare(
            `INSERT INTO sso_links (issuer, subject, user_id, linked_at, linked_by)
             SELECT ?, ?, id, ?, username FROM users WHERE id = ? ON CONFLICT DO NOTHING`,
          )
          .run(issuer, subject, this.clock.now(), userId).changes;
        const owner = ownerOf();
        if (inserted === 0 || owner !== userId) return owner === userId;
        this.forgetPending(issuer, subject);
        const username = user.username;
        this.audit.append({
          actor: username,
          action: 'sso.linked',
          target: username,
          outcome: 'success',
          details: { issuer, subject, via: 'first-logon' },
        });
        return true;
      })
      .immediate();
  }

  /** Pending identities (longest-waiting last), unlinked ones and links, newest first, for the administrator. */
  list(): SsoIdentitiesView {
    const pending = (
      this.db
        .prepare('SELECT * FROM sso_pending ORDER BY last_seen DESC, issuer, subject LIMIT ?')
        .all(LIST_LIMIT) as PendingRow[]
    ).map(toPendingView);
    const links = (
      this.db
        .prepare(
          `SELECT l.issuer, l.subject, u.username, l.linked_at, l.linked_by
           FROM sso_links l JOIN users u ON u.id = l.user_id
           ORDER BY l.linked_at DESC, l.issuer, l.subject LIMIT ?`,
        )
        .all(LIST_LIMIT) as LinkRow[]
    ).map(toLinkView);
    const unlinked = (
      this.db
        .prepare(
          `SELECT issuer, subject, unlinked_at, unlinked_by FROM sso_unlinked
           ORDER BY unlinked_at DESC, issuer, subject LIMIT ?`,
        )
        .all(LIST_LIMIT) as UnlinkedRow[]
    ).map((row) => ({
      issuer: row.issuer,
      subject: row.subject,
      unlinkedAt: row.unlinked_at,
      unlinkedBy: row.unlinked_by,
    }));
    return { pending, unlinked, links };
  }

  /** An administrator links an identity to the SC user they chose. */
  link(input: SsoLinkInput, actor: string): SsoLinkView {
    const { issuer, subject, username } = parseOrThrow(ssoLinkSchema, input);
    return this.db
      .transaction(() => {
        if (issuer !== this.configuredIssuer())
          throw new ScError(
            'validation',
            `The issuer must be the SSO issuer System Configurator is configured for (${this.configuredIssuer() || 'none'}).`,
            { field: 'issuer' },
          );
        const user = this.users.findRecord(username);
        if (!user) throw new ScError('not-found', `There is no user "${username}".`, { field: 'username' });
        const owner = this.linkedUsername(issuer, subject);
        if (owner !== null)
          throw new ScError(
            'conflict',
            `This SSO identity is already linked to "${owner}". Unlink it first.`,
            { field: 'subject' },
          );
        if (this.linkedSubject(user.id, issuer) !== null)
          throw new ScError(
            'conflict',
            `"${user.username}" is already linked to another identity of this provider. Unlink that one first.`,
            { field: 'username' },
          );
        const now = this.clock.now();
        this.db
          .prepare(
            'INSERT INTO sso_links (issuer, subject, user_id, linked_at, linked_by) VALUES (?, ?, ?, ?, ?)',
          )
          .run(issuer, subject, user.id, now, actor);
        this.forgetPending(issuer, subject);
        this.db.prepare('DELETE FROM sso_unlinked WHERE issuer = ? AND subject = ?').run(issuer, subject);
        this.audit.append({
          actor,
          action: 'sso.linked',
          target: user.username,
          outcome: 'success',
          details: { issuer, subject, via: 'administrator' },
        });
        return { issuer, subject, username: user.username, linkedAt: now, linkedBy: actor };
      })
      .immediate();
  }

  /** An administrator removes a link: the identity's next log-on is matched by its claim again. */
  unlink(key: SsoIdentityKey, actor: string): SsoLinkView {
    const { issuer, subject } = parseOrThrow(ssoIdentityKeySchema, key);
    return this.db
      .transaction(() => {
        const row = this.db
          .prepare(
            `SELECT l.issuer, l.subject, u.username, l.linked_at, l.linked_by
             FROM sso_links l JOIN users u ON u.id = l.user_id WHERE l.issuer = ? AND l.subject = ?`,
          )
          .get(issuer, subject) as LinkRow | undefined;
        if (!row)
          throw new ScError('not-found', 'No user is linked to this SSO identity.', { field: 'subject' });
        this.db.prepare('DELETE FROM sso_links WHERE issuer = ? AND subject = ?').run(issuer, subject);
        this.db
          .prepare(
            `INSERT INTO sso_unlinked (issuer, subject, unlinked_at, unlinked_by) VALUES (?, ?, ?, ?)
             ON CONFLICT (issuer, subject) DO UPDATE SET unlinked_at = excluded.unlinked_at, unlinked_by = excluded.unlinked_by`,
          )
          .run(issuer, subject, this.clock.now(), actor);
        this.audit.append({
          actor,
          action: 'sso.unlinked',
          target: row.username,
          outcome: 'success',
          details: { issuer, subject },
        });
        return toLinkView(row);
      })
      .immediate();
  }

  private linkedUsername(issuer: string, subject: string): string | null {
    const row = this.db
      .prepare(
        'SELECT u.username FROM sso_links l JOIN users u ON u.id = l.user_id WHERE l.issuer = ? AND l.subject = ?',
      )
      .get(issuer, subject) as { username: string } | undefined;
    return row?.username ?? null;
  }

  private isUnlinked(issuer: string, subject: string): boolean {
    return (
      this.db.prepare('SELECT 1 FROM sso_unlinked WHERE issuer = ? AND subject = ?').get(issuer, subject) !==
      undefined
    );
  }

  private holdPending(
    issuer: string,
    subject: string,
    reason: SsoPendingView['reason'],
    claims: Readonly<Record<string, unknown>>,
  ): void {
    const now = this.clock.now();
    const shown = JSON.stringify(shownClaims(claims));
    const isNew =
      this.db.prepare('SELECT 1 FROM sso_pending WHERE issuer = ? AND subject = ?').get(issuer, subject) ===
      undefined;
    this.db
      .prepare(
        `INSERT INTO sso_pending (issuer, subject, reason, claims, first_seen, last_seen)
         VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (issuer, subject) DO UPDATE
           SET reason = excluded.reason, claims = excluded.claims, last_seen = excluded.last_seen`,
      )
      .run(issuer, subject, reason, shown, now, now);
    this.db
      .prepare(
        `DELETE FROM sso_pending WHERE (issuer, subject) IN
           (SELECT issuer, subject FROM sso_pending ORDER BY last_seen DESC, issuer, subject LIMIT -1 OFFSET ?)`,
      )
      .run(SSO_PENDING_MAX);
    if (isNew)
      this.audit.append({
        actor: 'system',
        action: 'sso.pending',
        target: null,
        outcome: 'success',
        details: { issuer, subject, reason },
      });
  }

  private forgetPending(issuer: string, subject: string): void {
    this.db.prepare('DELETE FROM sso_pending WHERE issuer = ? AND subject = ?').run(issuer, subject);
  }
}

function isAdministrator(user: Pick<UserRecord, 'roles'>): boolean {
  return user.roles.includes('administrator');
}

/** The matching claim's value, trimmed and bounded; `sub` is the subject itself. Null when unusable. */
function claimValue(
  claims: Readonly<Record<string, unknown>>,
  claim: SsoSettings['usernameClaim'],
  subject: string,
): string | null {
  if (claim === 'sub') return subject;
  const value = claims[claim];
  const text = typeof value === 'string' ? value.trim() : '';
  return text === '' || text.length > SSO_CLAIM_MAX_LENGTH ? null : text;
}

/** The claims an administrator sees of a pending identity: strings cut and escaped, booleans as words. */
function shownClaims(claims: Readonly<Record<string, unknown>>): SsoShownClaims {
  const shown: SsoShownClaims = {};
  for (const name of SSO_SHOWN_CLAIMS) {
    const value = claims[name];
    if (typeof value === 'boolean') shown[name] = String(value);
    else if (typeof value === 'string') shown[name] = boundedText(value);
  }
  return shown;
}

/** At most SSO_CLAIM_MAX_LENGTH characters of `text`, control characters escaped, an ellipsis when cut. */
function boundedText(text: string): string {
  const chars = [...text.slice(0, SSO_CLAIM_MAX_LENGTH * 2)];
  const cut = chars.length > SSO_CLAIM_MAX_LENGTH || text.length > SSO_CLAIM_MAX_LENGTH * 2;
  const escaped = escapeControlCharacters(chars.slice(0, SSO_CLAIM_MAX_LENGTH).join(''));
  const limited = [...escaped].slice(0, SSO_CLAIM_MAX_LENGTH).join('');
  return limited.length < escaped.length || cut ? `${limited}…` : limited;
}

function toPendingView(row: PendingRow): SsoPendingView {
  let claims: SsoShownClaims = {};
  try {
    const parsed = ssoShownClaimsSchema.safeParse(JSON.parse(row.claims));
    if (parsed.success) claims = parsed.data;
  } catch {
    claims = {};
  }
  return {
    issuer: row.issuer,
    subject: row.subject,
    reason: row.reason,
    claims,
    firstSeen: row.first_seen,
    lastSeen: row.last_seen,
  };
}

function toLinkView(row: LinkRow): SsoLinkView {
  return {
    issuer: row.issuer,
    subject: row.subject,
    username: row.username,
    linkedAt: row.linked_at,
    linkedBy: row.linked_by,
  };
}
