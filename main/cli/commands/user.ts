import {
  ROLES,
  newUserSchema,
  userPatchSchema,
  type NewUserInput,
  type Role,
  type UserPatch,
} from '../../contract/domain';
import { normalizeMobile } from '../../core/users/contacts';
import { parseOrThrow } from '../../core/users/user-store';
import { UsageError, expectPositionals, oneOf, trueFalse, type ParsedArgs } from '../args';
import { ACTOR, type Command } from '../command';
import { isLocked, isoTime, table, userLines, userStatus } from '../output';
import { readNewPassword } from './passwords';

// The user store's own cap on one listing.
const LIST_LIMIT = 5000;
const CONTACT_OPTIONS = {
  'display-name': 'string',
  email: 'string',
  mobile: 'string',
  role: 'strings',
} as const;

function roles(args: ParsedArgs): Role[] {
  // `--role administrator --role administrator` means one role; the schema refuses a longer list.
  return [...new Set(args.strings('role').map((role) => oneOf(role, ROLES, 'role')))];
}

/** Runs the core's own checks (zod + libphonenumber) before anything is opened or written. */
function precheckMobile(mobile: string | null | undefined): void {
  if (mobile) normalizeMobile(mobile);
}

/** A new user as typed, checked as the core will check it, before a password prompt or any write. */
export function precheckNewUser(input: NewUserInput): { username: string } {
  const parsed = parseOrThrow(newUserSchema, input);
  precheckMobile(parsed.mobile);
  return parsed;
}

const add: Command = {
  name: 'user add',
  usage:
    'user add NAME [--display-name TEXT] [--email ADDRESS] [--mobile E164] [--role R]... [--must-change-password] [--password-stdin]',
  summary: 'Create a user (without --password-stdin the account has no password: SSO only)',
  options: { ...CONTACT_OPTIONS, 'must-change-password': 'boolean', 'password-stdin': 'boolean' },
  async run(context, args) {
    const [username] = expectPositionals(args, ['NAME'], 'user add') as [string];
    const input: NewUserInput = {
      username,
      displayName: args.string('display-name'),
      email: args.string('email'),
      mobile: args.string('mobile'),
      roles: roles(args),
      mustChangePassword: args.flag('must-change-password'),
    };
    const parsed = precheckNewUser(input);
    const core = context.core();
    // Unknown-user and duplicate checks before the password prompt, so nobody types it for nothing.
    if (core.users.findRecord(parsed.username)) {
      throw new UsageError(`a user named "${parsed.username}" already exists`);
    }
    const password = args.flag('password-stdin')
      ? await readNewPassword(context, parsed.username)
      : undefined;
    const user = await core.users.create({ ...input, password }, ACTOR);
    context.out.result(
      user,
      () => `Created user ${user.username} (roles: ${user.roles.join(', ') || 'none'}).`,
    );
  },
};

const set: Command = {
  name: 'user set',
  usage:
    'user set NAME [--display-name TEXT] [--email ADDRESS | --no-email] [--mobile E164 | --no-mobile] [--role R]... [--must-change-password true|false] [--active true|false] [--password-stdin [--must-change]]',
  summary:
    'Change a user; --role replaces the roles; --password-stdin sets a password read from stdin (--must-change: a temporary one)',
  options: {
    ...CONTACT_OPTIONS,
    'no-email': 'boolean',
    'no-mobile': 'boolean',
    'must-change-password': 'string',
    active: 'string',
    'password-stdin': 'boolean',
    'must-change': 'boolean',
  },
  async run(context, args) {
    const [username] = expectPositionals(args, ['NAME'], 'user set') as [string];
    const patch: UserPatch = {};
    for (const contact of ['email', 'mobile'] as const) {
      if (args.has(contact) && args.flag(`no-${contact}`)) {
        throw new UsageError(`give either --${contact} or --no-${contact}, not both`);
      }
      if (args.has(contact)) patch[contact] = args.string(contact);
      if (args.flag(`no-${contact}`)) patch[contact] = null;
    }
    if (args.has('display-name')) patch.displayName = args.string('display-name');
    if (args.has('role')) patch.roles = roles(args);
    const mustChange = args.string('must-change-password');
    if (mustChange !== undefined) patch.mustChangePassword = trueFalse(mustChange, 'must-change-password');
    const active = args.string('active');
    if (active !== undefined) patch.active = trueFalse(active, 'active');
    const setsPassword = args.flag('password-stdin');
    if (args.flag('must-change') && !setsPassword) {
      throw new UsageError(
        '--must-change goes with --password-stdin (to flag an account without a new password: --must-change-password true)',
      );
    }
    if (setsPassword && mustChange !== undefined) {
      throw new UsageError(
        'with --password-stdin, use --must-change (or nothing) instead of --must-change-password',
      );
    }
    if (Object.keys(patch).length === 0 && !setsPassword) {
      throw new UsageError(
        'nothing to change: give at least one of --display-name, --email, --no-email, --mobile, --no-mobile, --role, --must-change-password, --active, --password-stdin',
      );
    }
    const parsed = parseOrThrow(userPatchSchema, patch);
    precheckMobile(parsed.mobile);
    const core = context.core();
    if (!setsPassword) {
      const user = core.users.update(username, patch, ACTOR);
      context.out.result(user, () => `Updated user ${user.username}.`);
      return;
    }
    // The user must exist before anybody types a password for them.
    const target = core.users.get(username);
    const password = await readNewPassword(context, target.username);
    if (Object.keys(patch).length > 0) core.users.update(username, patch, ACTOR);
    const temporary = args.flag('must-change');
    const user = await core.users.setPasswordFor(
      username,
      { newPassword: password, confirmPassword: password },
      ACTOR,
      { mustChange: temporary },
    );
    context.out.result(user, () =>
      temporary
        ? `Set a temporary password for ${user.username}: they must change it at their next log on.`
        : `Set a password for ${user.username}.`,
    );
  },
};

const list: Command = {
  name: 'user list',
  usage: 'user list [--search TEXT]',
  summary: 'List users (search matches username, display name and e-mail)',
  options: { search: 'string' },
  async run(context, args) {
    expectPositionals(args, [], 'user list');
    const core = context.core();
    const users = core.users.list({ search: args.string('search'), limit: LIST_LIMIT });
    if (users.length === LIST_LIMIT)
      context.err.write(`sc-admin: showing the first ${LIST_LIMIT} users; narrow with --search\n`);
    const now = core.clock.now();
    context.out.result(users, () =>
      users.length === 0
        ? 'No users.'
        : table(
            ['USERNAME', 'DISPLAY NAME', 'ROLES', 'STATUS', 'E-MAIL', 'MOBILE'],
            users.map((u) => [
              u.username,
              u.displayName,
              u.roles.join(',') || '-',
              userStatus(u, now),
              u.email ?? '-',
              u.mobile ?? '-',
            ]),
          ),
    );
  },
};

const show: Command = {
  name: 'user show',
  usage: 'user show NAME',
  summary: 'Show one user',
  options: {},
  async run(context, args) {
    const [username] = expectPositionals(args, ['NAME'], 'user show') as [string];
    const core = context.core();
    const user = core.users.get(username);
    context.out.result(user, () => userLines(user, core.clock.now()));
  },
};

const deactivate: Command = {
  name: 'user deactivate',
  usage: 'user deactivate NAME',
  summary: 'Deactivate a user (the last active administrator cannot be)',
  options: {},
  async run(context, args) {
    const [username] = expectPositionals(args, ['NAME'], 'user deactivate') as [string];
    const user = context.core().users.deactivate(username, ACTOR);
    context.out.result(user, () => `Deactivated user ${user.username}.`);
  },
};

const unlock: Command = {
  name: 'user unlock',
  usage: 'user unlock NAME',
  summary: "End a user's System Configurator lock and reset failed attempts",
  options: {},
  async run(context, args) {
    const [username] = expectPositionals(args, ['NAME'], 'user unlock') as [string];
    const core = context.core();
    const before = core.users.get(username);
    const user = core.users.unlock(username, ACTOR);
    const wasLocked = isLocked(before, core.clock.now());
    context.out.result({ ...user, wasLocked }, () =>
      wasLocked
        ? `Unlocked user ${user.username} (was locked until ${isoTime(before.scLockedUntil)}); failed attempts reset.`
        : `User ${user.username} was not locked; failed attempts reset.`,
    );
  },
};

export const userCommands: readonly Command[] = [add, set, list, show, deactivate, unlock];
