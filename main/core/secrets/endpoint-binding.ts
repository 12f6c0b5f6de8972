/**
 * The Sinch secret is bound to the endpoint it was entered for: its origin (scheme, host and port). An
 * administrator who points the endpoint at a server of their own cannot make the app send the secret (or,
 * with Basic, the secret itself in the header) there; the secret must be entered again for the new origin.
 */

/** The origin a secret is bound to, e.g. "https://verification.api.sinch.com". */
export function endpointOrigin(endpoint: string): string {
  return new URL(endpoint).origin;
}

/** True when a secret bound to `boundOrigin` may be sent to `endpoint`. */
export function secretMayGoTo(boundOrigin: string, endpoint: string): boolean {
  return boundOrigin === endpointOrigin(endpoint);
}
