/**
 * The app (bundled to dist/main/app.js, loaded by the entry, index.ts): the real core, the OS keychain
 * through keytar, the gateway, and the paths of the built renderer and preload next to this bundle.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog } from 'electron';
import { createAppCore, type AppCore } from '../core/app-core';
import { ScError } from '../core/errors';
import { managedPolicySource } from '../core/policy/managed-policy';
import { createKeytarKeychain, probeKeychain } from '../core/secrets/keytar-keychain';
import { createGateway } from '../gateway/gateway';
import { startShell } from './lifecycle';
import { issuerBoundOpener } from './security';
import { systemLocales } from './locale';

export async function runApp(): Promise<void> {
  await startShell({
    argv: process.argv,
    env: process.env,
    paths: {
      rendererDir: fileURLToPath(new URL('../renderer/', import.meta.url)),
      preload: fileURLToPath(new URL('../preload/index.cjs', import.meta.url)),
    },
    async checkKeychain() {
      const probe = await probeKeychain();
      if (!probe.ok) {
        throw new ScError('keychain-unavailable', `OS keychain unavailable: ${probe.reason}`, {
          keychain: probe.failure,
        });
      }
    },
    openCore(dataDir, { log, opener, fetch }) {
      const core: AppCore = createAppCore({
        dataDir,
        keychain: createKeytarKeychain(),
        systemLocales: systemLocales(),
        managedPolicy: managedPolicySource(process.platform, process.env),
        log: (event, fields) => log.info(event, fields),
        chooseExportFile: chooseSaveFile,
        // A large database's search index is built after start-up, between the window's IPC calls
        backgroundBuild: {},
        // Sinch and SSO through Chromium's network stack (system proxy, OS certificates)
        fetch,
        // SSO opens the system browser only on the configured issuer's origin
        openExternal: issuerBoundOpener(opener, () => core.policy.get().sso.issuer),
      });
      return core;
    },
    createGateway,
  });
}

/** The native save dialog for an audit export, over the window that asked; null when cancelled. */
async function chooseSaveFile(suggestedName: string): Promise<string | null> {
  const options: Electron.SaveDialogOptions = {
    title: 'Export the audit log',
    defaultPath: path.join(app.getPath('documents'), suggestedName),
    filters: [{ name: 'CSV', extensions: ['csv'] }],
    properties: ['createDirectory', 'showOverwriteConfirmation'],
  };
  const window = BrowserWindow.getFocusedWindow();
  const { canceled, filePath } = window
    ? await dialog.showSaveDialog(window, options)
    : await dialog.showSaveDialog(options);
  return canceled || !filePath ? null : filePath;
}
