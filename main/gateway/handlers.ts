import type { Core } from '../core/create-core';
import type { ConnectionTest } from '../core/verify/connection-test';
import type { AuditExports } from '../core/audit/export-jobs';
import { ScError } from '../core/errors';
import { methodsOf } from '../core/policy/policy-store';
import type { AuthService, Session } from '../core/auth/auth-service';
import type { LanguageSetting } from '../core/preferences/language';
import type { channels } from '../contract/ipc';
import type { z } from 'zod';

export interface HandlerContext {
  clientId: string;
  session: Session | null;
  /** Who the audit log names: the signed-in user, or "anonymous". */
  actor: string;
}

type Channels = typeof channels;
type PayloadOf<C> = C extends { payload: infer P extends z.ZodType } ? z.output<P> : never;
type ResultOf<C> = C extends { result: infer R extends z.ZodType } ? z.input<R> : never;
export type Handler<C = unknown> = (
  payload: PayloadOf<C>,
  context: HandlerContext,
) => ResultOf<C> | Promise<ResultOf<C>>;

type HandlerTable = {
  [A in keyof Channels as `${string & A}`]: { [V in keyof Channels[A]]: Handler<Channels[A][V]> };
};

/** What the gateway serves: the core with its login flow and Test connection (createAppCore's result). */
export type GatewayCore = Core & {
  auth: AuthService;
  connectionTest: ConnectionTest;
  language: LanguageSetting;
  exports: AuditExports;
};

/** The session of an administrator's call (the gateway checked it before the handler runs). */
function signedIn(context: HandlerContext): Session {
  if (!context.session) throw new ScError('unauthenticated', 'Your session has ended. Log on again.');
  return context.session;
}

/** What each channel does: one line per use case, the core does the work. */
function table(core: GatewayCore): HandlerTable {
  const { auth, users, ssoIdentities, policy, secrets, audit, connectionTest, language, exports } = core;
  return {
    auth: {
      state: (_p, c) => auth.state(c.clientId),
      firstRun: (p, c) => auth.firstRun(c.clientId, p),
      logOn: (p, c) => auth.logOn(c.clientId, p),
      submitCode: (p, c) => auth.submitCode(c.clientId, p.code),
      resendCode: (_p, c) => auth.resendCode(c.clientId),
      changePassword: (p, c) => auth.changePassword(c.clientId, p),
      retry: (_p, c) => auth.retry(c.clientId),
      cancel: (_p, c) => auth.cancel(c.clientId),
      signOut: (_p, c) => auth.signOut(c.clientId),
      activity: (_p, c) => (auth.activity(c.clientId), null),
      ssoStart: (_p, c) => auth.ssoStart(c.clientId),
      setLanguage: (p, c) => (language.choose(p.locale), auth.state(c.clientId)),
    },
    policy: {
      get: () => policy.get(),
      set: (p, c) => policy.set(p, c.actor),
      readiness: (p) => policy.readiness(p),
      sources: () => policy.sources(),
    },
    users: {
      list: (p) => users.page(p ?? {}, methodsOf(policy.get().twoFactor)),
      get: (p) => users.get(p.username),
      create: (p, c) => users.create(p, c.actor),
      update: (p, c) => users.update(p.username, p.patch, c.actor),
      unlock: (p, c) => users.unlock(p.username, c.actor),
      // Always must-change: a password someone else chose is only a way in to choose one's own.
      setPassword: (p, c) => users.setPasswordFor(p.username, p, c.actor, { mustChange: true }),
    },
    sso: {
      identities: () => ssoIdentities.list(),
      link: (p, c) => ssoIdentities.link(p, c.actor),
      unlink: (p, c) => ssoIdentities.unlink(p, c.actor),
    },
    secrets: {
      list: () => secrets.list(),
      set: (p, c) => secrets.set({ ...p, asDefault: false }, c.actor),
      delete: (p, c) => secrets.delete(p.name, c.actor),
    },
    audit: {
      query: (p) => audit.query({ ...p, action: p.action || undefined }),
      exportStart: (p, c) => exports.start(c.clientId, c.actor, { ...p, action: p.action || undefined }),
      exportStatus: (p, c) => exports.status(c.clientId, p.id),
      exportCancel: (p, c) => exports.cancel(c.clientId, p.id),
    },
    verify: {
      testStart: (p, c) => connectionTest.start(c.clientId, signedIn(c), p.method),
      testConfirm: (p, c) => connectionTest.confirm(c.clientId, signedIn(c), p.code),
    },
  };
}

/** The handlers keyed by channel name ("sc:users:list"). */
export function handlersFor(core: GatewayCore): Record<string, Handler> {
  const flat: Record<string, Handler> = {};
  for (const [area, verbs] of Object.entries(table(core))) {
    for (const [verb, handler] of Object.entries(verbs as Record<string, Handler>))
      flat[`sc:${area}:${verb}`] = handler;
  }
  return flat;
}
