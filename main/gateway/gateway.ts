import type { z } from 'zod';
import { allChannels, type Access, type AuthView } from '../contract/ipc';
import type { IpcError, IpcResult } from '../contract/errors';
import { firstIssue } from '../contract/domain';
import { INTERNAL_ERROR, isScError, toIpcError } from '../core/errors';
import { databasePath, storageErrorOf } from '../core/db/database';
import { handlersFor, type GatewayCore, type HandlerContext } from './handlers';
import type { Session } from '../core/auth/auth-service';
import type { LogSink } from '../core/log-line';

/** Who sent a message, as the transport (Electron's ipcMain, or the browser test host) reports it. */
export interface Sender {
  /** One per window: the login session belongs to it. */
  clientId: string;
  /** The origin of the sending frame, e.g. "app://system-configurator". */
  origin: string;
  /** False for any sub-frame: only the window's main frame may talk to main. */
  isMainFrame: boolean;
}

export interface GatewayOptions {
  /** The only origin allowed to call, e.g. "app://system-configurator". */
  appOrigin: string;
  /** Called for refused or failed calls, with safe facts only (never the payload). */
  log?: LogSink;
}

export type StatePush = (clientId: string, state: AuthView) => void;

/**
 * The only door between a window and the core. For every call it checks the sender (main frame, the
 * app's own origin), then the session and the role, then validates the payload against the contract, and
 * returns a typed result. Handlers never see raw IPC, and no exception or stack trace reaches a window.
 */
export function createGateway(core: GatewayCore, options: GatewayOptions) {
  const handlers = handlersFor(core);
  const byName = new Map(allChannels.map((c) => [c.name, c]));
  const log = options.log ?? (() => {});

  async function invoke(sender: Sender, channelName: string, payload: unknown): Promise<IpcResult<unknown>> {
    if (!sender.isMainFrame || sender.origin !== options.appOrigin) {
      log('gateway.refused', {
        channel: safeName(channelName),
        reason: sender.isMainFrame ? 'origin' : 'sub-frame',
        origin: sender.isMainFrame ? sender.origin : undefined,
      });
      return failure({ code: 'forbidden', message: 'This window may not talk to System Configurator.' });
    }
    const channel = byName.get(channelName);
    const handler = handlers[channelName];
    if (!channel || !handler) return failure({ code: 'not-found', message: 'Unknown request.' });

    try {
      // Who may call first: a window without the right session learns nothing from its payload's fate.
      const session = core.auth.session(sender.clientId);
      const refusal = checkAccess(channel.access, session);
      if (refusal) {
        log('gateway.refused', { channel: channel.name, reason: refusal.code });
        return failure(refusal);
      }
      const parsed = (channel.payload as z.ZodType).safeParse(payload);
      if (!parsed.success) {
        const { field, message, params } = firstIssue(parsed.error);
        return failure({ code: 'validation', message, ...(field ? { field } : {}), params: { ...params } });
      }
      const context: HandlerContext = {
        clientId: sender.clientId,
        session,
        actor: session?.username ?? 'anonymous',
      };
      const value = await (handler as (payload: unknown, context: HandlerContext) => unknown)(
        parsed.data,
        context,
      );
      // Results pass through their schema too: a field that should never leave main (a hash added by
      // mistake, say) is dropped here rather than sent to the window.
      const checked = (channel.result as z.ZodType).safeParse(value);
      if (!checked.success) {
        log('gateway.result-outside-contract', { channel: channel.name });
        return failure(INTERNAL_ERROR);
      }
      return { ok: true, value: checked.data };
    } catch (error) {
      if (isScError(error)) return failure(toIpcError(error));
      const storage = storageErrorOf(error, databasePath(core.dataDir));
      if (storage) {
        log('gateway.failed', { channel: channel.name, errorCode: storage.code });
        return failure(toIpcError(storage));
      }
      log('gateway.failed', {
        channel: channel.name,
        error: error instanceof Error ? error.name : 'unknown error',
      });
      return failure(INTERNAL_ERROR);
    }
  }

  return {
    invoke,
    /** Subscribes the transport to login-state changes (it forwards them to the right window). */
    onStatePush(push: StatePush): () => void {
      return core.auth.onStateChange(push);
    },
    /** The window is gone: end its login session. */
    disconnect(clientId: string): void {
      core.exports.cancelAll(clientId);
      core.auth.disconnect(clientId);
    },
  };
}

export type Gateway = ReturnType<typeof createGateway>;

function checkAccess(access: Access, session: Session | null): IpcError | null {
  if (access === 'anyone') return null;
  if (!session) return { code: 'unauthenticated', message: 'Your session has ended. Log on again.' };
  if (access === 'session') return null;
  const roles = session.roles;
  if (access === 'admin-read' && (roles.includes('administrator') || roles.includes('read-only')))
    return null;
  if (access === 'admin' && roles.includes('administrator')) return null;
  return { code: 'forbidden', message: 'Only an administrator can do this.' };
}

function failure(error: IpcError): IpcResult<never> {
  return { ok: false, error };
}

/** Channel names come from the outside: log only ones that look like ours, and never the payload. */
function safeName(name: string): string {
  return /^sc:[a-z]+:[A-Za-z]+$/.test(name) ? name : '(unknown channel)';
}
