import type { NewUserInput } from '../../contract/domain';
import { ScError } from '../../core/errors';
import { expectPositionals } from '../args';
import { ACTOR, type Command } from '../command';
import { readNewPassword } from './passwords';
import { precheckNewUser } from './user';

export const initCommand: Command = {
  name: 'init',
  usage: 'init --admin NAME [--display-name TEXT] [--email ADDRESS] [--mobile E164]',
  summary: 'Create the database and its first administrator (password from stdin)',
  options: { admin: 'string', 'display-name': 'string', email: 'string', mobile: 'string' },
  async run(context, args) {
    expectPositionals(args, [], 'init');
    const input: NewUserInput = {
      username: args.required('admin'),
      displayName: args.string('display-name'),
      email: args.string('email'),
      mobile: args.string('mobile'),
      roles: ['administrator'],
    };
    // Check what was typed before asking for a password or creating anything.
    const parsed = precheckNewUser(input);
    if (context.hasDatabase()) refuseIfAdministrator(context.core());

    const password = await readNewPassword(context, parsed.username);
    const core = context.core({ create: true });
    refuseIfAdministrator(core);
    const user = await core.users.create({ ...input, password }, ACTOR);
    core.audit.append({
      actor: ACTOR,
      action: 'admin.initialized',
      target: user.username,
      outcome: 'success',
    });
    context.out.result({ dataDir: context.dataDir, user }, () => [
      `Created administrator ${user.username} in ${context.dataDir}.`,
    ]);
  },
};

function refuseIfAdministrator(core: { users: { hasAdministrator(): boolean } }): void {
  if (core.users.hasAdministrator()) {
    throw new ScError(
      'conflict',
      'an active administrator already exists; add more with "sc-admin user add NAME --role administrator --password-stdin"',
    );
  }
}
