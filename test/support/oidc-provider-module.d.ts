/**
 * The little of oidc-provider (v9, shipped without types) that the test identity provider uses. Tests
 * only: the app never imports oidc-provider.
 */
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export interface AccountClaims {
    sub: string;
    [claim: string]: unknown;
  }

  export interface Account {
    accountId: string;
    claims(use: string, scope: string): Promise<AccountClaims> | AccountClaims;
  }

  export interface ClientMetadata {
    client_id: string;
    application_type?: 'native' | 'web';
    token_endpoint_auth_method?: 'none' | 'client_secret_basic' | 'client_secret_post';
    redirect_uris: string[];
    grant_types?: string[];
    response_types?: string[];
    id_token_signed_response_alg?: string;
  }

  export interface JsonWebKey {
    kty: string;
    kid?: string;
    alg?: string;
    use?: string;
    [member: string]: unknown;
  }

  export interface Configuration {
    clients?: ClientMetadata[];
    findAccount?: (ctx: unknown, id: string) => Promise<Account | undefined> | Account | undefined;
    claims?: Record<string, string[] | null>;
    jwks?: { keys: JsonWebKey[] };
    cookies?: { keys?: string[] };
    features?: Record<string, { enabled: boolean }>;
    pkce?: { required?: () => boolean };
    ttl?: Record<string, number>;
    conformIdTokenClaims?: boolean;
    scopes?: string[];
  }

  export default class Provider {
    constructor(issuer: string, configuration?: Configuration);
    readonly issuer: string;
    callback(): (request: IncomingMessage, response: ServerResponse) => void;
    on(event: string, listener: (...args: unknown[]) => void): this;
  }
}
