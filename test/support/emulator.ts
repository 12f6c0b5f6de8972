/**
 * Test helper: a Sinch emulator on 127.0.0.1 with a free port, plus matching settings, credentials and a
 * ready client. Always close it: `afterEach(() => emu.close())`.
 *
 *   const emu = await startTestEmulator({ clock });
 *   const verifier = testVerifier(emu, { clock });            // signed auth, no retry delays
 *   const { id } = await verifier.start({ method: 'sms', to: '+46700000000', validMinutes: 5, reference: 'r1' });
 *   await verifier.report(id, 'sms', emu.lastCodeFor('+46700000000')!);
 */
import { startSinchEmulator } from '../../tools/sinch-emulator/server';
import type { EmulatorOptions, SinchEmulator } from '../../tools/sinch-emulator/server';
import { createSinchVerifier } from '../../main/core/verify/sinch-client';
import type { SinchVerifier, SinchVerifierOptions } from '../../main/core/verify/sinch-client';
import type { SinchSettings } from '../../main/contract/domain';
import type { SinchCredentials } from '../../main/core/secrets/secret-store';

export interface TestEmulator extends SinchEmulator {
  credentials: SinchCredentials;
  /** Settings pointing at this emulator; `signed` unless told otherwise. */
  settings(authMethod?: SinchSettings['authMethod']): SinchSettings;
}

export async function startTestEmulator(
  options: Omit<EmulatorOptions, 'port' | 'host'> = {},
): Promise<TestEmulator> {
  const emulator = await startSinchEmulator({ ...options, port: 0, host: '127.0.0.1' });
  return Object.assign(emulator, {
    credentials: { authId: emulator.key, secret: emulator.secret },
    settings: (authMethod: SinchSettings['authMethod'] = 'signed'): SinchSettings => ({
      endpoint: emulator.url,
      authMethod,
      emailSenderAddress: 'noreply@sc.example',
      emailSenderName: 'System Configurator',
    }),
  });
}

/** A client for this emulator: its settings and credentials, no retry delays; override anything. */
export function testVerifier(
  emulator: TestEmulator,
  overrides: Partial<SinchVerifierOptions> & { authMethod?: SinchSettings['authMethod'] } = {},
): SinchVerifier {
  const { authMethod, ...rest } = overrides;
  return createSinchVerifier({
    settings: () => emulator.settings(authMethod),
    credentials: async () => emulator.credentials,
    retryDelaysMs: [0],
    ...rest,
  });
}
