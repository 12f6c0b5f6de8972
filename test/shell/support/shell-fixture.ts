/**
 * Starts the real shell (main/shell/lifecycle.ts) against the stand-in `electron` (the test file mocks it),
 * with a stand-in core and gateway that record what the shell does with them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { vi } from 'vitest';
import type { IpcResult } from '../../../main/contract/errors';
import type { AuthView } from '../../../main/contract/ipc';
import { ENTRY_PAGES } from '../../../main/contract/entry-page';
import type { Sender, StatePush } from '../../../main/gateway/gateway';
import { startShell, type ShellDeps } from '../../../main/shell/lifecycle';
import { tempDir } from '../../support/temp-dir';
import { app } from './fake-electron';

export interface RecordingGateway {
  invoke: ReturnType<
    typeof vi.fn<(sender: Sender, channel: string, payload: unknown) => Promise<IpcResult<unknown>>>
  >;
  onStatePush(push: StatePush): () => void;
  disconnect: ReturnType<typeof vi.fn<(clientId: string) => void>>;
  /** Pushes a state as the auth service would. */
  push(clientId: string, state: AuthView): void;
}

export function recordingGateway(): RecordingGateway {
  let current: StatePush | null = null;
  return {
    invoke: vi.fn(async () => ({ ok: true as const, value: null })),
    onStatePush(push) {
      current = push;
      return () => {
        current = null;
      };
    },
    disconnect: vi.fn(),
    push(clientId, state) {
      current?.(clientId, state);
    },
  };
}

export function stubCore() {
  return { close: vi.fn(), auth: { sweepIdle: vi.fn() } };
}
export type StubCore = ReturnType<typeof stubCore>;

/** A renderer folder with its pages (main/contract/entry-page.ts) and a script, as the Vite build leaves it. */
export function rendererDir(): string {
  const dir = tempDir('sc-renderer-');
  for (const page of ENTRY_PAGES)
    fs.writeFileSync(
      path.join(dir, page),
      `<!doctype html><title>System Configurator</title><!-- ${page} -->`,
    );
  fs.mkdirSync(path.join(dir, 'assets'));
  fs.writeFileSync(path.join(dir, 'assets', 'index-abc123.js'), 'console.log("hi")');
  return dir;
}

export async function startTestShell(overrides: Partial<ShellDeps<StubCore>> = {}) {
  const userData = tempDir('sc-userdata-');
  app.paths.userData = userData;
  app.paths.logs = path.join(userData, 'logs');
  const core = stubCore();
  const gateway = recordingGateway();
  const openCore = vi.fn<ShellDeps<StubCore>['openCore']>(() => core);
  const running = await startShell<StubCore>({
    argv: ['/opt/System Configurator/system-configurator'],
    env: {},
    paths: { rendererDir: rendererDir(), preload: '/opt/sc/resources/app.asar/dist/preload/index.cjs' },
    checkKeychain: async () => {},
    openCore,
    createGateway: () => gateway,
    ...overrides,
  });
  return { running, core, gateway, openCore, userData };
}
