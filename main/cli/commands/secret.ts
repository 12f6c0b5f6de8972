import {
  KNOWN_SECRETS,
  SINCH_SECRET_NAME,
  type SecretName,
  type SecretStore,
} from '../../core/secrets/secret-store';
import { UsageError, expectPositionals } from '../args';
import { ACTOR, type Command } from '../command';
import { isoTime, table } from '../output';
import { readSecret } from './passwords';

function secretName(name: string): SecretName {
  const match = KNOWN_SECRETS.find((known) => known === name);
  if (!match) throw new UsageError(`unknown secret "${name}"; the only one is "${SINCH_SECRET_NAME}"`);
  return match;
}

const set: Command = {
  name: 'secret set',
  usage: `secret set ${SINCH_SECRET_NAME} --auth-id KEY [--default]`,
  summary:
    'Store a secret in the OS keychain (the secret from stdin); --default installs a provisioned default',
  options: { 'auth-id': 'string', default: 'boolean' },
  async run(context, args) {
    const [name] = expectPositionals(args, ['NAME'], 'secret set') as [string];
    const secretNameValue = secretName(name);
    const authId = args.required('auth-id').trim();
    const asDefault = args.flag('default');
    // A provisioned default may come before the first administrator (installer), so this may create the database.
    const core = context.core({ create: true });
    const existing = core.secrets.info(secretNameValue);
    if (asDefault && existing && !existing.isDefault) {
      throw new UsageError(
        `an administrator's own "${secretNameValue}" secret is set; a provisioned default does not replace it (delete it first)`,
      );
    }
    const secret = await readSecret(context, 'Secret');
    const info = await core.secrets.set({ name: secretNameValue, authId, secret, asDefault }, ACTOR);
    const replaced = existing
      ? existing.isDefault
        ? ' It replaces the provisioned default.'
        : ' It replaces the previous one.'
      : '';
    context.out.result(
      info,
      () =>
        `Stored the ${info.isDefault ? 'provisioned default' : 'own'} "${info.name}" secret in the OS keychain.${replaced}`,
    );
  },
};

/** Said after any change that leaves the Sinch secret bound to another endpoint (null when it is usable). */
export function secretBindingNotice(secrets: SecretStore): string | null {
  const info = secrets.info(SINCH_SECRET_NAME);
  if (!info || info.usableAtEndpoint) return null;
  return `The "${SINCH_SECRET_NAME}" secret was entered for ${info.boundTo} and is not sent to the endpoint now set. Enter it again: sc-admin secret set ${SINCH_SECRET_NAME} --auth-id KEY`;
}

const list: Command = {
  name: 'secret list',
  usage: 'secret list',
  summary: 'Show which secrets are set (never their values)',
  options: {},
  async run(context, args) {
    expectPositionals(args, [], 'secret list');
    const core = context.core();
    const secrets = core.secrets.list();
    const rows = KNOWN_SECRETS.map((name) => {
      const info = secrets.find((s) => s.name === name);
      return { name, set: info !== undefined, info: info ?? null };
    });
    context.out.result(rows, () =>
      table(
        ['NAME', 'STATUS', 'AUTHENTICATION ID', 'KIND', 'SET BY', 'UPDATED'],
        rows.map(({ name, info }) =>
          info
            ? [
                name,
                info.usableAtEndpoint ? 'set' : `entered for ${info.boundTo}: enter it again`,
                info.authId,
                info.isDefault ? 'provisioned default' : 'own',
                info.setBy,
                isoTime(info.updatedAt),
              ]
            : [name, 'not set', '-', '-', '-', '-'],
        ),
      ),
    );
  },
};

const remove: Command = {
  name: 'secret delete',
  usage: 'secret delete NAME',
  summary: 'Delete a secret from the OS keychain (a default it replaced is not restored)',
  options: {},
  async run(context, args) {
    const [name] = expectPositionals(args, ['NAME'], 'secret delete') as [string];
    const result = await context.core().secrets.delete(secretName(name), ACTOR);
    context.out.result(result, () => result.message);
  },
};

export const secretCommands: readonly Command[] = [set, list, remove];
