/**
 * The layers' import rules are kept by the linter (eslint.config.js, tools/eslint/layer-imports.js): ESLint
 * itself, with the project's configuration, lints sources placed at each folder's paths (in memory; nothing
 * is written) and must report each forbidden import and let the allowed ones through.
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { layerFindings } from '../support/layer-lint';

const FORBIDDEN: [file: string, source: string][] = [
  // main/core: never electron, the shell or the gateway
  ['main/core/auth/x.ts', "import { app } from 'electron';"],
  ['main/core/auth/x.ts', "import { net } from 'electron/main';"],
  ['main/core/auth/x.ts', "import { createWindow } from '../../shell/window';"],
  ['main/core/x.ts', "export { createGateway } from '../gateway/gateway';"],
  ['main/core/verify/x.ts', "const m = await import('../../shell/network');"],
  // the renderer: of main, only the contract
  ['renderer/src/screens/X.tsx', "import { createAppCore } from '../../../main/core/create-core';"],
  ['renderer/src/x.ts', "import { channels } from '@contract/../gateway/handlers';"],
  ['renderer/src/x.ts', "import type { Gateway } from '../../main/gateway/gateway';"],
  ['renderer/src/x.ts', "import { shell } from 'electron';"],
  ['renderer/src/x.ts', "import '../../preload/index';"],
  // the preload: electron and the channel names, nothing more
  ['preload/index.ts', "import { authViewSchema } from '../main/contract/ipc';"],
  ['preload/index.ts', "import { z } from 'zod';"],
  ['preload/index.ts', "import type { Db } from '../main/core/db/database';"],
  // the contract: zod and its own files
  ['main/contract/x.ts', "import { parsePhoneNumber } from 'libphonenumber-js';"],
  ['main/contract/x.ts', "import { ScError } from '../core/errors';"],
  ['main/contract/x.ts', "import { readFileSync } from 'node:fs';"],
];

const ALLOWED: [file: string, source: string][] = [
  [
    'main/core/auth/x.ts',
    "import { z } from 'zod';\nimport { ScError } from '../errors';\nimport type { Policy } from '../../contract/domain';",
  ],
  [
    'main/shell/x.ts',
    "import { app } from 'electron';\nimport { createAppCore } from '../core/create-core';",
  ],
  [
    'renderer/src/x.ts',
    "import type { ScApi } from '@contract/ipc';\nimport { policySchema } from '../../main/contract/domain';\nimport { create } from 'zustand';",
  ],
  [
    'preload/index.ts',
    "import { contextBridge } from 'electron';\nimport { channelNames } from '../main/contract/channel-names';",
  ],
  ['main/contract/x.ts', "import { z } from 'zod';\nimport { channelNames } from './channel-names';"],
];

describe('the linter keeps the layers', () => {
  it.each(FORBIDDEN)('%s: reports %s', async (file, source) => {
    const findings = await layerFindings(file, `${source}\nexport const used = 1;\n`);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toContain('may not import');
  });

  it.each(ALLOWED)('%s: lets through %s', async (file, source) => {
    expect(await layerFindings(file, `${source}\nexport const used = 1;\n`)).toEqual([]);
  });

  it('the real preload imports only electron and the channel names', async () => {
    const preload = fs.readFileSync(new URL('../../preload/index.ts', import.meta.url), 'utf8');
    expect(await layerFindings('preload/index.ts', preload)).toEqual([]);
  });
});
