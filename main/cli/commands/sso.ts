import type { SsoIdentityKey } from '../../contract/domain';
import type { Core } from '../../core/create-core';
import { UsageError, expectPositionals, type ParsedArgs } from '../args';
import { ACTOR, type Command } from '../command';
import { isoTime, table } from '../output';

/**
 * SSO identities: the provider's identities waiting for an administrator ("admin-link") and the links
 * that tie an issuer + subject to one SC user. The core checks everything (issuer, lengths, conflicts);
 * claims are printed through Output, which escapes their control characters.
 */

/** The identity named on the command line; the issuer defaults to the one SC is configured for. */
function identityKey(core: Core, args: ParsedArgs, command: string): SsoIdentityKey {
  const [subject] = expectPositionals(args, ['SUBJECT'], command) as [string];
  const issuer = args.string('issuer') ?? core.policy.get().sso.issuer;
  if (issuer === '') throw new UsageError('SSO has no issuer configured; give --issuer URL');
  return { issuer, subject };
}

const list: Command = {
  name: 'sso list',
  usage: 'sso list',
  summary: 'SSO identities waiting for an administrator, and the identities linked to users',
  options: {},
  async run(context, args) {
    expectPositionals(args, [], 'sso list');
    const identities = context.core().ssoIdentities.list();
    context.out.result(identities, () => [
      `Pending (${identities.pending.length}): link one with "sc-admin sso link SUBJECT --user NAME"`,
      ...table(
        ['SUBJECT', 'REASON', 'USERNAME CLAIM', 'EMAIL CLAIM', 'LAST SEEN', 'ISSUER'],
        identities.pending.map((identity) => [
          identity.subject,
          identity.reason,
          identity.claims.preferred_username ?? '',
          identity.claims.email ?? '',
          isoTime(identity.lastSeen),
          identity.issuer,
        ]),
      ),
      '',
      `Unlinked by an administrator, refused until linked again (${identities.unlinked.length}):`,
      ...table(
        ['SUBJECT', 'UNLINKED', 'BY', 'ISSUER'],
        identities.unlinked.map((identity) => [
          identity.subject,
          isoTime(identity.unlinkedAt),
          identity.unlinkedBy,
          identity.issuer,
        ]),
      ),
      '',
      `Linked (${identities.links.length}):`,
      ...table(
        ['SUBJECT', 'USER', 'LINKED', 'BY', 'ISSUER'],
        identities.links.map((link) => [
          link.subject,
          link.username,
          isoTime(link.linkedAt),
          link.linkedBy,
          link.issuer,
        ]),
      ),
    ]);
  },
};

const link: Command = {
  name: 'sso link',
  usage: 'sso link SUBJECT --user NAME [--issuer URL]',
  summary: 'Link an SSO identity (issuer + subject) to a user; later SSO log-ons must match it',
  options: { user: 'string', issuer: 'string' },
  async run(context, args) {
    const core = context.core();
    const key = identityKey(core, args, 'sso link');
    const username = args.string('user');
    if (username === undefined) throw new UsageError('sso link needs --user NAME');
    const linked = core.ssoIdentities.link({ ...key, username }, ACTOR);
    context.out.result(linked, () => `Linked ${linked.subject} (${linked.issuer}) to ${linked.username}.`);
  },
};

const unlink: Command = {
  name: 'sso unlink',
  usage: 'sso unlink SUBJECT [--issuer URL]',
  summary: "Remove an identity's link; its SSO log-ons are refused until an administrator links it again",
  options: { issuer: 'string' },
  async run(context, args) {
    const core = context.core();
    const unlinked = core.ssoIdentities.unlink(identityKey(core, args, 'sso unlink'), ACTOR);
    context.out.result(
      unlinked,
      () => `Unlinked ${unlinked.subject} (${unlinked.issuer}) from ${unlinked.username}.`,
    );
  },
};

export const ssoCommands: readonly Command[] = [list, link, unlink];
