import { AuthService, type SsoProvider } from './auth/auth-service';
import type { LogSink } from './log-line';
import { AuditExports, type ChooseExportFile } from './audit/export-jobs';
import { createCore, type CoreOptions } from './create-core';
import { createSinchVerifier } from './verify/sinch-client';
import { ConnectionTest } from './verify/connection-test';
import type { CustomFetch } from 'openid-client';
import { createOidcSso } from './sso/oidc-sso';
import { LanguageSetting } from './preferences/language';
import { SMS_LANGUAGE_TAGS } from '../contract/locale';
import { startBackgroundBuild, type BackgroundBuildOptions } from './users/background-build';

export interface AppCoreOptions extends CoreOptions {
  /** Signed-in sessions end after this long without activity (default 30 minutes). */
  idleTimeoutMs?: number;
  sso?: SsoProvider;
  /** Opens the system browser (the shell: shell.openExternal); given it, SSO is built from the policy. */
  openExternal?: (url: string) => Promise<void>;
  /** Accept-Language for verification messages; by default the window's language. */
  locale?: string;
  /** The OS's preferred languages (Electron's app.getPreferredSystemLanguages; the browser host's locale). */
  systemLocales?: readonly string[];
  /** Sinch HTTP time-out (default 10 s). */
  sinchTimeoutMs?: number;
  /** Structured facts about Sinch exchanges (operation, status, provider code, duration); never secrets. */
  log?: LogSink;
  /** Asks where to save an audit export (the shell: a native save dialog); without it the window cannot export. */
  chooseExportFile?: ChooseExportFile;
  /**
   * The HTTP transport to Sinch and the SSO provider. The Electron shell passes Chromium's (system proxy,
   * OS certificate store); sc-admin, the tests and the browser host leave it out and use Node's own.
   */
  fetch?: typeof fetch;
  /**
   * Builds the search index of a large database after start-up, in steps between the event loop's other
   * work (the shell and the browser host; see users/background-build.ts). Without it a large database's
   * search reads the users table until some process builds the index.
   */
  backgroundBuild?: Omit<BackgroundBuildOptions, 'log'>;
}

/** openid-client's bodies are typed Uint8Array<ArrayBufferLike>; fetch's types want one over an ArrayBuffer. */
function oidcFetch(transport: typeof fetch): CustomFetch {
  return (url, options) => transport(url, { ...options, body: options.body as RequestInit['body'] });
}

/**
 * The whole core with the login flow: the storage core, the Sinch client reading the policy and the
 * keychain at call time, and the auth service. The shell, sc-admin, the tests, the benchmark and the
 * browser test host all build it here.
 */
export function createAppCore(options: AppCoreOptions) {
  const core = createCore(options);
  const language = new LanguageSetting({
    dataDir: options.dataDir,
    ...(options.systemLocales ? { systemLocales: options.systemLocales } : {}),
  });
  const smsLocale = () => options.locale ?? SMS_LANGUAGE_TAGS[language.current()];
  const verifier =
    core.verifier ??
    createSinchVerifier({
      settings: () => core.policy.get().sinch,
      credentials: (endpoint) => core.secrets.sinchCredentials(endpoint),
      clock: core.clock,
      ...(options.sinchTimeoutMs !== undefined ? { timeoutMs: options.sinchTimeoutMs } : {}),
      ...(options.log ? { log: options.log } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
  const { openExternal } = options;
  const sso =
    options.sso ??
    (openExternal
      ? createOidcSso({
          policy: () => core.policy.get().sso,
          openExternal,
          clock: core.clock,
          audit: core.audit,
          identities: core.ssoIdentities,
          ...(options.fetch ? { fetch: oidcFetch(options.fetch) } : {}),
        })
      : undefined);
  const auth = new AuthService({
    db: core.db,
    clock: core.clock,
    users: core.users,
    policy: core.policy,
    audit: core.audit,
    verifier,
    ...(sso ? { sso } : {}),
    ssoLinks: core.ssoIdentities,
    ...(options.idleTimeoutMs !== undefined ? { idleTimeoutMs: options.idleTimeoutMs } : {}),
    locale: smsLocale,
    language: () => language.current(),
  });
  const connectionTest = new ConnectionTest({
    verifier,
    users: core.users,
    policy: core.policy,
    audit: core.audit,
    clock: core.clock,
    locale: smsLocale,
  });
  const exports = new AuditExports({
    audit: core.audit,
    dataDir: options.dataDir,
    clock: core.clock,
    ...(options.chooseExportFile ? { chooseFile: options.chooseExportFile } : {}),
  });
  const searchIndexBuild = options.backgroundBuild
    ? startBackgroundBuild(core.db, core.searchIndex, {
        ...options.backgroundBuild,
        ...(options.log ? { log: options.log } : {}),
      })
    : null;
  const close = () => {
    searchIndexBuild?.stop();
    exports.close();
    core.close();
  };
  return { ...core, close, verifier, auth, connectionTest, language, exports, searchIndexBuild };
}

export type AppCore = ReturnType<typeof createAppCore>;
