/**
 * The IPC contract holds together: the dependency-free name list the preload uses and the schema module main
 * validates against name the same channels, every channel has exactly one handler, and `ScApi` (what
 * `window.sc` implements) has the contract's shape.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { AUTH_STATE_EVENT, channelNames as names } from '../../main/contract/channel-names';
import {
  allChannels,
  channels,
  type AuthView,
  type ChannelName,
  type ExportJobView,
  type ScApi,
} from '../../main/contract/ipc';
import type { IpcResult } from '../../main/contract/errors';
import type { Policy, UserView } from '../../main/contract/domain';
import { createAppCore } from '../../main/core/app-core';
import { ManualClock } from '../../main/core/clock';
import { InMemoryKeychain } from '../../main/core/secrets/keychain';
import { handlersFor } from '../../main/gateway/handlers';
import { tempDir } from '../support/temp-dir';

type Names = typeof names;
/** Every name in channel-names.ts, as a union type. */
type NameFromList = { [A in keyof Names]: Names[A][keyof Names[A]] }[keyof Names];

const NAME_PATTERN = /^sc:[a-z]+:[A-Za-z]+$/;

function areasAndVerbs(tree: Record<string, Record<string, unknown>>): string[] {
  return Object.entries(tree).flatMap(([area, verbs]) => Object.keys(verbs).map((verb) => `${area}.${verb}`));
}

describe('contract: channel-names.ts and ipc.ts agree', () => {
  it('have the same areas and verbs', () => {
    expect(Object.keys(names)).toEqual(Object.keys(channels));
    expect(areasAndVerbs(names)).toEqual(areasAndVerbs(channels));
  });

  it('give each area and verb the same channel name, sc:<area>:<verb>', () => {
    for (const [area, verbs] of Object.entries(channels)) {
      for (const [verb, channel] of Object.entries(verbs)) {
        const name = (names as Record<string, Record<string, string>>)[area]?.[verb];
        expect(channel.name, `${area}.${verb}`).toBe(name);
        expect(channel.name).toBe(`sc:${area}:${verb}`);
      }
    }
  });

  it('names every channel sc:<area>:<verb>, each once, and the state event apart from them', () => {
    const all = allChannels.map((c) => c.name);
    for (const name of all) expect(name).toMatch(NAME_PATTERN);
    expect(new Set(all).size).toBe(all.length);
    expect(all).toHaveLength(areasAndVerbs(channels).length);
    expect(AUTH_STATE_EVENT).toMatch(NAME_PATTERN);
    expect(all).not.toContain(AUTH_STATE_EVENT);
  });

  it('keeps the admin areas behind an administrator or read-only session', () => {
    for (const channel of allChannels) {
      const area = channel.name.split(':')[1];
      if (area === 'auth') continue;
      expect(['admin', 'admin-read'], channel.name).toContain(channel.access);
    }
    // What changes something is for administrators only.
    const changes = ['sc:policy:set', 'sc:users:create', 'sc:users:update', 'sc:users:unlock'];
    for (const name of [...changes, 'sc:secrets:set', 'sc:secrets:delete', 'sc:verify:testStart']) {
      expect(allChannels.find((c) => c.name === name)?.access, name).toBe('admin');
    }
  });

  it('refuses unknown keys in every payload', () => {
    for (const channel of allChannels) {
      expect(channel.payload.safeParse({ unexpected: 1 }).success, channel.name).toBe(false);
      expect(channel.payload.safeParse(JSON.parse('{"__proto__":{"x":1}}')).success, channel.name).toBe(
        false,
      );
    }
  });
});

describe('contract: the gateway has one handler per channel', () => {
  it('has a handler for every channel and none without a channel', () => {
    const core = createAppCore({
      dataDir: tempDir(),
      clock: new ManualClock(),
      keychain: new InMemoryKeychain(),
    });
    try {
      const handlers = handlersFor(core);
      expect(Object.keys(handlers).sort()).toEqual(allChannels.map((c) => c.name).sort());
      for (const handler of Object.values(handlers)) expect(typeof handler).toBe('function');
    } finally {
      core.close();
    }
  });
});

describe('contract: ScApi', () => {
  it('is one function per channel, grouped by area, plus the state subscription and the start state', () => {
    expectTypeOf<keyof ScApi>().toEqualTypeOf<keyof typeof channels | 'onAuthState' | 'initialAuthState'>();
    expectTypeOf<keyof ScApi['auth']>().toEqualTypeOf<keyof typeof channels.auth>();
    expectTypeOf<keyof ScApi['users']>().toEqualTypeOf<keyof typeof channels.users>();
    expectTypeOf<'sc:auth:logOn'>().toExtend<ChannelName>();
    expectTypeOf<ChannelName>().toEqualTypeOf<NameFromList>();
    expectTypeOf<'sc:auth:nope'>().not.toExtend<ChannelName>();
  });

  it('types payloads from the schemas: required where the schema needs one, optional where it may be empty', () => {
    expectTypeOf<Parameters<ScApi['auth']['logOn']>>().toEqualTypeOf<
      [payload: { username: string; password: string }]
    >();
    expectTypeOf<ScApi['auth']['state']>().toBeCallableWith();
    expectTypeOf<ScApi['auth']['signOut']>().toBeCallableWith();
    expectTypeOf<ScApi['users']['list']>().toBeCallableWith();
    expectTypeOf<ScApi['users']['get']>().toBeCallableWith({ username: 'alice' });
    expectTypeOf<ScApi['secrets']['set']>().parameter(0).toHaveProperty('secret');
  });

  it('types results as IpcResult of the result schema', () => {
    expectTypeOf<ReturnType<ScApi['auth']['logOn']>>().toEqualTypeOf<Promise<IpcResult<AuthView>>>();
    expectTypeOf<ReturnType<ScApi['users']['get']>>().toEqualTypeOf<Promise<IpcResult<UserView>>>();
    expectTypeOf<ReturnType<ScApi['policy']['get']>>().toEqualTypeOf<Promise<IpcResult<Policy>>>();
    expectTypeOf<ReturnType<ScApi['audit']['exportStart']>>().toEqualTypeOf<
      Promise<IpcResult<ExportJobView | null>>
    >();
    expectTypeOf<ScApi['onAuthState']>().toEqualTypeOf<(listener: (state: AuthView) => void) => () => void>();
    expectTypeOf<ScApi['initialAuthState']>().toEqualTypeOf<() => IpcResult<AuthView> | null>();
  });
});
