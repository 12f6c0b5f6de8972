/**
 * Invariants of the log-on under random interleavings: fast-check drives random sequences of log-ons
 * (right, wrong, unknown), right and wrong codes, resends, cancels, parallel bursts, restarts, clock moves
 * and administrator changes (deactivate, reactivate, unlock, maximum attempts) against the real auth
 * service over SQLite, and checks after every step:
 *  - nobody is signed in without both factors (2FA is on): every "signed in" follows a right code;
 *  - failed codes never exceed the highest maximum the policy has had, and a locked account is sent no code;
 *  - no session survives deactivation;
 *  - no code, password or hash reaches a view model or the audit log.
 * The verification provider is an in-process stand-in (codes are letters, so they cannot hide in numbers).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AuthView } from '../../main/contract/ipc';
import { createAppCore, type AppCore } from '../../main/core/app-core';
import { MINUTE, ManualClock } from '../../main/core/clock';
import { InMemoryKeychain } from '../../main/core/secrets/keychain';
import type { ReportResult, Verifier } from '../../main/core/verify/verifier';
import { tempDir } from '../support/temp-dir';

const USERS = ['alice', 'bob'] as const;
const WINDOWS = ['w1', 'w2'] as const;
const PASSWORDS: Record<string, string> = { alice: 'alice correct horse 1', bob: 'bob correct horse 22' };
const WRONG_PASSWORD = 'an entirely wrong passphrase';
const MOBILE: Record<string, string> = { alice: '+46701230001', bob: '+46701230002' };

type User = (typeof USERS)[number];
type Window = (typeof WINDOWS)[number];

/** The provider: one random letter code per start; a report is one-shot, as at Sinch. */
class StandInProvider implements Verifier {
  readonly issued = new Set<string>();
  /** Right codes reported, per mobile number. */
  readonly accepted = new Map<string, number>();
  readonly violations: string[] = [];
  private readonly live = new Map<string, { to: string; code: string; open: boolean }>();
  private next = 0;
  constructor(private readonly isLocked: (to: string) => boolean) {}

  async start(request: { to: string }) {
    if (this.isLocked(request.to)) this.violations.push(`a code was sent to locked ${request.to}`);
    const code = Array.from(
      { length: 6 },
      () => 'ABCDEFGHJKMNPQRSTUVWXYZ'[Math.floor(Math.random() * 23)],
    ).join('');
    const id = `v${++this.next}`;
    this.issued.add(code);
    this.live.set(id, { to: request.to, code, open: true });
    return { id, method: 'sms' as const };
  }

  async report(id: string, _method: 'sms' | 'email', code: string): Promise<ReportResult> {
    const live = this.live.get(id);
    if (!live || !live.open) return { outcome: 'not-valid', status: 'FAIL', reason: 'Expired' };
    live.open = false;
    if (live.code !== code) return { outcome: 'wrong-code', status: 'FAIL', reason: 'Invalid code' };
    this.accepted.set(live.to, (this.accepted.get(live.to) ?? 0) + 1);
    return { outcome: 'successful', status: 'SUCCESSFUL' };
  }

  async status(id: string) {
    return { id, status: 'PENDING' as const };
  }

  lastCodeFor(to: string): string | null {
    const codes = [...this.live.values()].filter((v) => v.to === to);
    return codes.at(-1)?.code ?? null;
  }
}

interface Real {
  core: AppCore;
  readonly clock: ManualClock;
  readonly provider: StandInProvider;
  readonly dataDir: string;
  readonly views: AuthView[];
  maxEver: number;
  restart(): void;
}

type Model = Record<string, never>;

async function setUp(): Promise<Real> {
  const clock = new ManualClock();
  const dataDir = tempDir('sc-model-');
  const keychain = new InMemoryKeychain();
  let core: AppCore;
  const provider = new StandInProvider((to) => {
    const row = core.db.prepare('SELECT sc_locked_until FROM users WHERE mobile = ?').get(to) as
      { sc_locked_until: number | null } | undefined;
    return row?.sc_locked_until != null && row.sc_locked_until > clock.now();
  });
  const build = () => createAppCore({ dataDir, clock, keychain, verifier: provider });
  core = build();
  core.policy.set({ twoFactor: { enabled: true, maxAttempts: 3, lockMinutes: 10, validMinutes: 5 } }, 'test');
  for (const username of USERS) {
    await core.users.create(
      { username, password: PASSWORDS[username], mobile: MOBILE[username], roles: ['read-only'] },
      'test',
    );
  }
  await core.users.create({ username: 'boss', roles: ['administrator'] }, 'test');
  return {
    get core() {
      return core;
    },
    clock,
    provider,
    dataDir,
    views: [],
    maxEver: 3,
    restart() {
      core.close();
      core = build();
    },
  };
}

// ---- Commands ----

/** A step of the sequence: it acts, then every invariant is checked. */
abstract class Step implements fc.AsyncCommand<Model, Real> {
  check(): boolean {
    return true;
  }
  async run(_model: Model, real: Real): Promise<void> {
    await this.act(real);
    checkInvariants(real);
  }
  abstract act(real: Real): Promise<void>;
  abstract toString(): string;
}

class LogOn extends Step {
  constructor(
    readonly window: Window,
    readonly username: string,
    readonly right: boolean,
  ) {
    super();
  }
  async act(r: Real) {
    const password = this.right ? (PASSWORDS[this.username] ?? WRONG_PASSWORD) : WRONG_PASSWORD;
    // A person at a signed-in window signs out before logging on (else the log-on is only refused).
    if (r.core.auth.state(this.window).step === 'signedIn') r.views.push(r.core.auth.signOut(this.window));
    r.views.push(await r.core.auth.logOn(this.window, { username: this.username, password }));
  }
  toString() {
    return `logOn(${this.window}, ${this.username}, ${this.right ? 'right' : 'wrong'})`;
  }
}

class SubmitCode extends Step {
  constructor(
    readonly window: Window,
    readonly right: boolean,
    readonly copies: number,
  ) {
    super();
  }
  async act(r: Real) {
    const state = r.core.auth.state(this.window);
    // The masked destination keeps the last two digits: enough to tell whose code screen this is.
    const to =
      state.step === 'awaitingCode'
        ? Object.values(MOBILE).find((m) => m.endsWith(state.maskedDestination.slice(-2)))
        : undefined;
    const right = to ? r.provider.lastCodeFor(to) : null;
    const code = this.right && right ? right : 'WRONGX';
    const views = await Promise.all(
      Array.from({ length: this.copies }, () => r.core.auth.submitCode(this.window, code)),
    );
    r.views.push(...views);
  }
  toString() {
    return `submitCode(${this.window}, ${this.right ? 'right' : 'wrong'}, ×${this.copies})`;
  }
}

/** A whole log-on: the right password, then the code the provider sent. */
class FullLogOn extends Step {
  constructor(
    readonly window: Window,
    readonly username: User,
  ) {
    super();
  }
  async act(r: Real) {
    await new LogOn(this.window, this.username, true).act(r);
    await new SubmitCode(this.window, true, 1).act(r);
  }
  toString() {
    return `fullLogOn(${this.window}, ${this.username})`;
  }
}

/** The right password, then wrong codes one after another (each sends a new code, until the lock). */
class Guesses extends Step {
  constructor(
    readonly window: Window,
    readonly username: User,
    readonly count: number,
  ) {
    super();
  }
  async act(r: Real) {
    await new LogOn(this.window, this.username, true).act(r);
    for (let i = 0; i < this.count; i++) await new SubmitCode(this.window, false, 1).act(r);
  }
  toString() {
    return `guesses(${this.window}, ${this.username}, ×${this.count})`;
  }
}

class Burst extends Step {
  constructor(
    readonly username: User,
    readonly copies: number,
  ) {
    super();
  }
  async act(r: Real) {
    const tries = Array.from({ length: this.copies }, (_, i) =>
      r.core.auth.logOn(WINDOWS[i % WINDOWS.length]!, {
        username: this.username,
        password: i === this.copies - 1 ? PASSWORDS[this.username]! : WRONG_PASSWORD,
      }),
    );
    r.views.push(...(await Promise.all(tries)));
  }
  toString() {
    return `burst(${this.username}, ×${this.copies})`;
  }
}

class Act extends Step {
  constructor(
    readonly what: 'resend' | 'cancel' | 'signOut' | 'state',
    readonly window: Window,
  ) {
    super();
  }
  async act(r: Real) {
    const auth = r.core.auth;
    const w = this.window;
    r.views.push(
      this.what === 'resend'
        ? await auth.resendCode(w)
        : this.what === 'cancel'
          ? auth.cancel(w)
          : this.what === 'signOut'
            ? auth.signOut(w)
            : auth.state(w),
    );
  }
  toString() {
    return `${this.what}(${this.window})`;
  }
}

class Admin extends Step {
  constructor(
    readonly what: 'deactivate' | 'activate' | 'unlock' | 'maxAttempts',
    readonly username: User,
    readonly max: number,
  ) {
    super();
  }
  async act(r: Real) {
    const { users, policy } = r.core;
    if (this.what === 'deactivate') users.update(this.username, { active: false }, 'boss');
    if (this.what === 'activate') users.update(this.username, { active: true }, 'boss');
    if (this.what === 'unlock') users.unlock(this.username, 'boss');
    if (this.what === 'maxAttempts') {
      policy.set({ twoFactor: { maxAttempts: this.max } }, 'boss');
      r.maxEver = Math.max(r.maxEver, this.max);
    }
  }
  toString() {
    return this.what === 'maxAttempts' ? `maxAttempts(${this.max})` : `${this.what}(${this.username})`;
  }
}

class Restart extends Step {
  async act(r: Real) {
    r.restart();
  }
  toString() {
    return 'restart';
  }
}

class Clock extends Step {
  constructor(readonly ms: number) {
    super();
  }
  async act(r: Real) {
    r.clock.advance(this.ms);
    r.core.auth.sweepIdle();
  }
  toString() {
    return `clock+${Math.round(this.ms / 1000)}s`;
  }
}

// ---- Invariants ----

/** What the runs reached, so a run that never signs anyone in or locks anyone cannot pass unnoticed. */
const reached = { signedIn: 0, locked: 0, revoked: 0 };

function checkInvariants(r: Real): void {
  const { core, provider } = r;
  for (const view of r.views) {
    if (view.step === 'signedIn') reached.signedIn++;
    if (view.step === 'locked') reached.locked++;
  }
  reached.revoked = Math.max(reached.revoked, core.audit.query({ action: 'logon.revoked' }).entries.length);
  // Nobody signed in without both factors: each "signed in" of a user follows a right code of theirs.
  for (const username of USERS) {
    const signedIn = core.audit.query({ action: 'logon.success', user: username, limit: 1000 }).entries
      .length;
    expect(signedIn, `${username} signed in more often than a right code was reported`).toBeLessThanOrEqual(
      provider.accepted.get(MOBILE[username]!) ?? 0,
    );
  }
  expect(provider.violations).toEqual([]);
  for (const username of USERS) {
    const user = core.users.get(username);
    expect(user.failedCodeAttempts).toBeLessThanOrEqual(r.maxEver);
    for (const window of WINDOWS) {
      const session = core.auth.session(window);
      if (session?.username === username)
        expect(user.active, `${username} deactivated yet signed in`).toBe(true);
    }
  }
  const hashes = core.db
    .prepare('SELECT password_hash FROM users WHERE password_hash IS NOT NULL')
    .pluck()
    .all();
  const published =
    JSON.stringify(r.views.splice(0)) + JSON.stringify(core.audit.query({ limit: 1000 }).entries);
  for (const secret of [
    ...provider.issued,
    ...Object.values(PASSWORDS),
    WRONG_PASSWORD,
    ...(hashes as string[]),
  ])
    expect(published.includes(secret), 'a code, password or hash was published').toBe(false);
  expect(published).not.toContain('$argon2');
}

const window = fc.constantFrom(...WINDOWS);
const user = fc.constantFrom(...USERS);
const commands = [
  fc.tuple(window, user).map(([w, u]) => new FullLogOn(w, u)),
  fc.tuple(window, fc.constantFrom(1, 4)).map(([w, n]) => new SubmitCode(w, false, n)),
  fc.tuple(window, user, fc.integer({ min: 1, max: 4 })).map(([w, u, n]) => new Guesses(w, u, n)),
  fc
    .tuple(window, fc.constantFrom<string>(...USERS, 'nobody'), fc.boolean())
    .map(([w, u, right]) => new LogOn(w, u, right)),
  fc
    .tuple(window, fc.boolean(), fc.constantFrom(1, 1, 4))
    .map(([w, right, n]) => new SubmitCode(w, right, n)),
  fc.tuple(user, fc.integer({ min: 2, max: 6 })).map(([u, n]) => new Burst(u, n)),
  fc
    .tuple(fc.constantFrom('resend', 'cancel', 'signOut', 'state') as fc.Arbitrary<Act['what']>, window)
    .map(([what, w]) => new Act(what, w)),
  fc
    .tuple(
      fc.constantFrom('deactivate', 'activate', 'unlock', 'maxAttempts') as fc.Arbitrary<Admin['what']>,
      user,
      fc.integer({ min: 1, max: 5 }),
    )
    .map(([what, u, max]) => new Admin(what, u, max)),
  fc.constant(null).map(() => new Restart()),
  fc.constantFrom(31_000, 2 * MINUTE, 6 * MINUTE, 11 * MINUTE).map((ms) => new Clock(ms)),
];

describe('the log-on under random interleavings', () => {
  it('keeps its invariants after every step', async () => {
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands: 24, size: 'max' }), async (steps) => {
        const real = await setUp();
        try {
          await fc.asyncModelRun(() => ({ model: {}, real }), steps);
        } finally {
          real.core.close();
        }
      }),
      {
        numRuns: Number(process.env.SC_MODEL_RUNS ?? 12),
        seed: Number(process.env.SC_MODEL_SEED ?? 20_261_129),
      },
    );
    console.info(`model: reached ${JSON.stringify(reached)}`);
    expect(reached.signedIn).toBeGreaterThan(0);
    expect(reached.locked).toBeGreaterThan(0);
  }, 120_000);
});
