/**
 * The channel names alone, with no dependency, so the preload bundle stays a few lines. `ipc.ts` pairs
 * each name with its schemas and access rule; a test checks the two agree.
 */
export const channelNames = {
  auth: {
    state: 'sc:auth:state',
    firstRun: 'sc:auth:firstRun',
    logOn: 'sc:auth:logOn',
    submitCode: 'sc:auth:submitCode',
    resendCode: 'sc:auth:resendCode',
    changePassword: 'sc:auth:changePassword',
    retry: 'sc:auth:retry',
    cancel: 'sc:auth:cancel',
    signOut: 'sc:auth:signOut',
    activity: 'sc:auth:activity',
    ssoStart: 'sc:auth:ssoStart',
    setLanguage: 'sc:auth:setLanguage',
  },
  policy: {
    get: 'sc:policy:get',
    set: 'sc:policy:set',
    readiness: 'sc:policy:readiness',
    sources: 'sc:policy:sources',
  },
  users: {
    list: 'sc:users:list',
    get: 'sc:users:get',
    create: 'sc:users:create',
    update: 'sc:users:update',
    unlock: 'sc:users:unlock',
    setPassword: 'sc:users:setPassword',
  },
  sso: { identities: 'sc:sso:identities', link: 'sc:sso:link', unlink: 'sc:sso:unlink' },
  secrets: { list: 'sc:secrets:list', set: 'sc:secrets:set', delete: 'sc:secrets:delete' },
  audit: {
    query: 'sc:audit:query',
    exportStart: 'sc:audit:exportStart',
    exportStatus: 'sc:audit:exportStatus',
    exportCancel: 'sc:audit:exportCancel',
  },
  verify: { testStart: 'sc:verify:testStart', testConfirm: 'sc:verify:testConfirm' },
} as const;

/** The event main sends to a window whenever its login state changes. */
export const AUTH_STATE_EVENT = 'sc:auth:stateChanged';

/**
 * The one synchronous message: the preload asks it once as the page starts and main answers with what
 * `auth.state` would (through the gateway), so the first frame shows the real screen without a round trip.
 */
export const AUTH_INITIAL_STATE = 'sc:auth:initialState';

export type { AuthView, ScApi } from './ipc';
export type { IpcResult } from './errors';
