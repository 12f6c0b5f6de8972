/**
 * Guards the bridge against leaking secrets into the window: drives the whole login flow and the admin
 * screens through the gateway, against the Sinch emulator, and checks that nothing the window receives
 * (pushed states, returned results, error answers) carries a verification code, a provider verification
 * id, the Sinch secret, a password, a password hash, or a key named like one.
 */
import { describe, expect, it, vi } from 'vitest';
import fs from 'node:fs';
import { allChannels, authViewSchema, type AuthView, type ExportJobView } from '../../main/contract/ipc';
import type { SsoProvider } from '../../main/core/auth/auth-service';
import { MINUTE, SECOND } from '../../main/core/clock';
import { startTestEmulator, type TestEmulator } from '../support/emulator';
import {
  ADMIN_PASSWORD,
  gatewayFixture,
  type ContractChannel,
  type GatewayFixture,
} from '../support/gateway-fixture';
import { wrongCodeFor } from '../support/codes';

const MOBILES = { admin: '+46701110001', alice: '+46701110002', mallory: '+46701110003' };
const ERIN_EMAIL = 'erin@example.com';
const PASSWORDS = {
  tooShort: 'Sh0rt-pw-9z',
  wrong: 'wrong-Pa55-guess-k1',
  user: 'user-Pa55word-m4x8-unique',
  changed: 'changed-Pa55word-r7t2-unique',
  mismatch: 'mismatch-Pa55word-v6y3-unique',
};
const ALL_PASSWORDS = [ADMIN_PASSWORD, ...Object.values(PASSWORDS)];

/** Keys that name something secret. A few safe names contain those words and are allowed by name. */
const SECRET_KEY = /code|secret|password|hash|token|otp|pin$/i;
const SAFE_KEYS = new Set([
  'passwordRules',
  'mustChangePassword',
  'hasPassword',
  'failedCodeAttempts',
  'providerErrorCode',
]);

interface Received {
  where: string;
  value: unknown;
}

/** What the window receives: every pushed state, every answer; views also validated strictly. */
class Window {
  readonly received: Received[] = [];
  readonly views: AuthView[] = [];

  constructor(private readonly f: GatewayFixture) {
    f.gateway.onStatePush((client, state) => this.keep(`push to ${client}`, state, true));
  }

  async call(client: string, name: ContractChannel, payload?: unknown): Promise<unknown> {
    const channel = allChannels.find((c) => c.name === name)!;
    const result = await this.f.call(client, name, payload);
    this.received.push({ where: `${name} on ${client}`, value: result });
    if (!result.ok) return result.error;
    // A result is exactly its contract shape: parsing drops unknown keys, so any extra key shows here.
    expect(channel.result.parse(result.value), name).toStrictEqual(result.value);
    if (channel.result === authViewSchema) this.keep(name, result.value as AuthView, false);
    return result.value;
  }

  async view(client: string, name: ContractChannel, payload?: unknown): Promise<AuthView> {
    return (await this.call(client, name, payload)) as AuthView;
  }

  private keep(where: string, state: AuthView, pushed: boolean): void {
    if (pushed) this.received.push({ where, value: state });
    expect(authViewSchema.parse(state), where).toStrictEqual(state);
    this.views.push(state);
  }
}

/** Every place in `value` where a forbidden value or key shows, as readable paths. */
function leaks(value: unknown, forbidden: { strings: string[]; codes: string[] }, path = '$'): string[] {
  const found: string[] = [];
  if (typeof value === 'string') {
    for (const text of forbidden.strings) if (value.includes(text)) found.push(`${path} contains "${text}"`);
    for (const code of forbidden.codes) {
      if (new RegExp(`(?<![0-9A-Z])${code}(?![0-9A-Z])`).test(value))
        found.push(`${path} contains code ${code}`);
    }
    if (value.includes('$argon2')) found.push(`${path} contains an argon2 hash`);
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => found.push(...leaks(item, forbidden, `${path}[${i}]`)));
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, child] of Object.entries(value)) {
      const isErrorCode = key === 'code' && /\.error$/.test(path);
      if (SECRET_KEY.test(key) && !SAFE_KEYS.has(key) && !isErrorCode)
        found.push(`${path}.${key} is a secret-named key`);
      found.push(...leaks(key, forbidden, `${path} key`), ...leaks(child, forbidden, `${path}.${key}`));
    }
  }
  return found;
}

function expectStep<S extends AuthView['step']>(view: AuthView, step: S): Extract<AuthView, { step: S }> {
  expect(view.step, JSON.stringify(view.error)).toBe(step);
  return view as Extract<AuthView, { step: S }>;
}

function lastCode(emulator: TestEmulator, to: string): string {
  const code = emulator.lastCodeFor(to);
  if (!code) throw new Error(`no code sent to ${to}`);
  return code;
}

function wrongCodeTo(emulator: TestEmulator, to: string): string {
  return wrongCodeFor(lastCode(emulator, to));
}

describe('bridge: nothing secret crosses to the window', () => {
  it('walks every login state and admin screen without a code, id, secret, password or hash reaching the window', async () => {
    let releaseSso: (identity: { username: string; subject: string }) => void = () => {};
    const sso: SsoProvider = {
      isEnabled: () => true,
      authenticate: () => new Promise((resolve) => (releaseSso = resolve)),
    };
    const f = await gatewayFixture({ core: { sso } });
    const emulator = await startTestEmulator({ clock: f.clock });
    try {
      const w = new Window(f);

      // First run: the rules, a refused weak password, then the first administrator.
      expectStep(await w.view('admin', 'sc:auth:state'), 'firstRun');
      const weak = expectStep(
        await w.view('admin', 'sc:auth:firstRun', {
          username: 'admin',
          password: PASSWORDS.tooShort,
          confirmPassword: PASSWORDS.tooShort,
        }),
        'firstRun',
      );
      expect(weak.error?.code).toBe('validation');
      const created = { username: 'admin', password: ADMIN_PASSWORD, confirmPassword: ADMIN_PASSWORD };
      expectStep(await w.view('admin', 'sc:auth:firstRun', created), 'signedOut');
      const wrong = await w.view('admin', 'sc:auth:logOn', { username: 'admin', password: PASSWORDS.wrong });
      expect(expectStep(wrong, 'signedOut').error?.code).toBe('invalid-credentials');
      expectStep(
        await w.view('admin', 'sc:auth:logOn', { username: 'admin', password: ADMIN_PASSWORD }),
        'signedIn',
      );

      // The administrator sets up Sinch, the users and 2FA; tests the connection both ways.
      await w.call('admin', 'sc:policy:set', {
        sinch: { ...emulator.settings('signed'), emailSenderAddress: 'noreply@sc.example' },
      });
      await w.call('admin', 'sc:secrets:set', { name: 'sinch-verification-api', ...emulator.credentials });
      await w.call('admin', 'sc:users:update', { username: 'admin', patch: { mobile: MOBILES.admin } });
      const users = [
        { username: 'alice', mobile: MOBILES.alice },
        { username: 'erin', email: ERIN_EMAIL },
        { username: 'mallory', mobile: MOBILES.mallory, mustChangePassword: true },
        { username: 'nobody' },
      ];
      for (const user of users) {
        await w.call('admin', 'sc:users:create', { ...user, password: PASSWORDS.user, roles: ['read-only'] });
      }
      await w.call('admin', 'sc:verify:testStart', { method: 'sms' });
      const tested = await w.call('admin', 'sc:verify:testConfirm', {
        code: lastCode(emulator, MOBILES.admin),
      });
      expect(tested).toMatchObject({ outcome: 'successful' });
      await w.call('admin', 'sc:verify:testStart', { method: 'sms' });
      await w.call('admin', 'sc:verify:testConfirm', { code: wrongCodeTo(emulator, MOBILES.admin) });
      await w.call('admin', 'sc:policy:readiness', { primaryMethod: 'sms', fallbackMethod: 'email' });
      await w.call('admin', 'sc:policy:set', {
        twoFactor: { enabled: true, primaryMethod: 'sms', fallbackMethod: 'email' },
      });

      // SMS: malformed and wrong codes, resend cooldown, resend, the right code, sign-out.
      const alice = { username: 'alice', password: PASSWORDS.user };
      const sms = expectStep(await w.view('alice', 'sc:auth:logOn', alice), 'awaitingCode');
      expect(sms.method).toBe('sms');
      expect(
        expectStep(await w.view('alice', 'sc:auth:submitCode', { code: 'abc' }), 'awaitingCode').error?.code,
      ).toBe('validation');
      const wrongOnce = await w.view('alice', 'sc:auth:submitCode', {
        code: wrongCodeTo(emulator, MOBILES.alice),
      });
      expect(expectStep(wrongOnce, 'awaitingCode').error?.code).toBe('wrong-code');
      expect(expectStep(await w.view('alice', 'sc:auth:resendCode'), 'awaitingCode').error?.code).toBe(
        'resend-cooldown',
      );
      f.clock.advance(31 * SECOND);
      expectStep(await w.view('alice', 'sc:auth:resendCode'), 'awaitingCode');
      const code = ` ${lastCode(emulator, MOBILES.alice).slice(0, 3)} ${lastCode(emulator, MOBILES.alice).slice(3)}\n`;
      expectStep(await w.view('alice', 'sc:auth:submitCode', { code }), 'signedIn');
      await w.call('alice', 'sc:auth:activity');
      expectStep(await w.view('alice', 'sc:auth:signOut'), 'signedOut');

      // E-mail (the fallback), then cancel.
      const email = expectStep(
        await w.view('erin', 'sc:auth:logOn', { username: 'erin', password: PASSWORDS.user }),
        'awaitingCode',
      );
      expect(email.method).toBe('email');
      expectStep(await w.view('erin', 'sc:auth:cancel'), 'signedOut');

      // Password change: code, refused and accepted new passwords, the second code.
      expectStep(
        await w.view('mallory', 'sc:auth:logOn', { username: 'mallory', password: PASSWORDS.user }),
        'awaitingCode',
      );
      const mustChange = await w.view('mallory', 'sc:auth:submitCode', {
        code: lastCode(emulator, MOBILES.mallory),
      });
      expectStep(mustChange, 'passwordChangeRequired');
      const mismatch = await w.view('mallory', 'sc:auth:changePassword', {
        newPassword: PASSWORDS.changed,
        confirmPassword: PASSWORDS.mismatch,
      });
      expect(expectStep(mismatch, 'passwordChangeRequired').error?.code).toBe('validation');
      const second = await w.view('mallory', 'sc:auth:changePassword', {
        newPassword: PASSWORDS.changed,
        confirmPassword: PASSWORDS.changed,
      });
      expect(expectStep(second, 'awaitingCode').purpose).toBe('afterPasswordChange');
      expectStep(
        await w.view('mallory', 'sc:auth:submitCode', { code: lastCode(emulator, MOBILES.mallory) }),
        'signedIn',
      );
      expectStep(await w.view('mallory', 'sc:auth:signOut'), 'signedOut');

      // Refusals: no contact; provider down (then retry), then three wrong codes lock, and the lock shows.
      const noContact = await w.view('nobody', 'sc:auth:logOn', {
        username: 'nobody',
        password: PASSWORDS.user,
      });
      expect(expectStep(noContact, 'refused').reason).toBe('no-verification-contact');
      emulator.injectFaults({ status: 503, count: 10 });
      const down = expectStep(await w.view('alice', 'sc:auth:logOn', alice), 'refused');
      expect(down.reason).toBe('verification-unavailable');
      expect(down.error).not.toBeNull();
      emulator.clearFaults();
      expectStep(await w.view('alice', 'sc:auth:retry'), 'awaitingCode');
      for (let i = 0; i < 3; i++) {
        await w.view('alice', 'sc:auth:submitCode', { code: wrongCodeTo(emulator, MOBILES.alice) });
      }
      expectStep(await w.view('alice', 'sc:auth:state'), 'locked');
      expectStep(await w.view('alice', 'sc:auth:cancel'), 'signedOut');
      expectStep(await w.view('alice', 'sc:auth:logOn', alice), 'locked');
      expectStep(await w.view('alice', 'sc:auth:cancel'), 'signedOut');

      // SSO: waiting for the browser, then the same code step.
      const ssoDone = w.view('sso', 'sc:auth:ssoStart');
      await vi.waitFor(() => expect(w.views.map((v) => v.step)).toContain('ssoWaiting'));
      releaseSso({ username: 'erin', subject: 'sub-erin' });
      expectStep(await ssoDone, 'awaitingCode');
      expectStep(
        await w.view('sso', 'sc:auth:submitCode', { code: lastCode(emulator, ERIN_EMAIL) }),
        'signedIn',
      );

      // Password throttling for an unknown user.
      let throttled: AuthView | null = null;
      for (let i = 0; i < 6 && !throttled; i++) {
        const view = await w.view('ghost', 'sc:auth:logOn', { username: 'ghost', password: PASSWORDS.wrong });
        if (view.error?.code === 'password-throttled') throttled = view;
      }
      expect(throttled).not.toBeNull();

      // Every admin screen, after all of the above is in the audit log.
      await w.call('admin', 'sc:users:unlock', { username: 'alice' });
      await w.call('admin', 'sc:users:list');
      for (const { username } of [...users, { username: 'admin' }])
        await w.call('admin', 'sc:users:get', { username });
      await w.call('admin', 'sc:users:get', { username: 'missing' });
      await w.call('admin', 'sc:secrets:list');
      await w.call('admin', 'sc:policy:get');
      await w.call('admin', 'sc:policy:readiness');
      let page = (await w.call('admin', 'sc:audit:query', { limit: 50 })) as { nextBeforeId: number | null };
      while (page.nextBeforeId !== null) {
        page = (await w.call('admin', 'sc:audit:query', {
          limit: 50,
          beforeId: page.nextBeforeId,
        })) as typeof page;
      }
      // The export writes in main; the window gets the job (where, how many), never a row.
      let job = (await w.call('admin', 'sc:audit:exportStart', {})) as ExportJobView;
      while (job.state === 'running') {
        await new Promise((resolve) => setTimeout(resolve, 10));
        job = (await w.call('admin', 'sc:audit:exportStatus', { id: job.id })) as ExportJobView;
      }
      expect(job.state).toBe('done');
      expect(fs.readFileSync(job.file, 'utf8')).toContain('code.failure');

      // Idle time-out ends the administrator's session.
      f.clock.advance(31 * MINUTE);
      const expired = expectStep(await w.view('admin', 'sc:auth:state'), 'signedOut');
      expect(expired.notice).toBe('sessionExpired');

      // The walk covered every state the window can receive, both refusals, both methods and error views.
      const steps = new Set(w.views.map((v) => v.step));
      expect([...steps].sort()).toEqual(authViewSchema.options.map((o) => o.shape.step.value).sort());
      const refusals = new Set(w.views.flatMap((v) => (v.step === 'refused' ? [v.reason] : [])));
      expect([...refusals].sort()).toEqual(['no-verification-contact', 'verification-unavailable']);
      const methods = new Set(w.views.flatMap((v) => (v.step === 'awaitingCode' ? [v.method] : [])));
      expect([...methods].sort()).toEqual(['email', 'sms']);
      expect(w.views.filter((v) => v.error !== null).length).toBeGreaterThanOrEqual(8);

      // ...and none of it carries anything secret.
      const outbox = emulator.outbox();
      expect(outbox.length).toBeGreaterThanOrEqual(10);
      const forbidden = {
        strings: [emulator.secret, emulator.credentials.secret, ...ALL_PASSWORDS, ...outbox.map((m) => m.id)],
        codes: outbox.map((m) => m.code),
      };
      expect(leaks({ planted: outbox[0]!.code, id: outbox[0]!.id, token: 1 }, forbidden)).toHaveLength(3);
      const found = w.received.flatMap(({ where, value }) =>
        leaks(value, forbidden).map((l) => `${where}: ${l}`),
      );
      expect(found).toEqual([]);
      expect(w.received.length).toBeGreaterThan(80);
    } finally {
      await emulator.close();
    }
  });
});
