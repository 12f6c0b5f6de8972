/**
 * What the login flow needs from a verification provider. The Sinch client implements it over HTTP;
 * tests may use a stand-in. Results are typed; provider failures are thrown as ScError with a
 * `verification-*` code and the provider's errorCode / HTTP status in `details` (never a secret or code).
 */
import type { Method } from '../../contract/domain';

export interface StartVerificationRequest {
  method: Method;
  /** E.164 number for SMS, e-mail address for e-mail (beta). */
  to: string;
  /** Code validity in minutes: sent to Sinch as `smsOptions.expiry` and enforced by the core too. */
  validMinutes: number;
  /** Unique per start; makes a retried start safe (a 409/40900 is resolved by status-by-reference). */
  reference: string;
  /** Accept-Language for the message; default en-US. */
  locale?: string;
}

export interface StartedVerification {
  /** The provider's verification id, used to report the code. */
  id: string;
  method: Method;
}

/** Provider status values, as Sinch names them. */
export type VerificationStatusValue = 'PENDING' | 'SUCCESSFUL' | 'FAIL' | 'DENIED' | 'ABORTED' | 'ERROR';

export interface ReportResult {
  /** `successful`: the code matched. `wrong-code`: 200 FAIL "Invalid code" or 400/40003. `not-valid`: the
   *  verification can no longer be completed (expired, aborted, denied, already reported...). */
  outcome: 'successful' | 'wrong-code' | 'not-valid';
  status: VerificationStatusValue;
  reason?: string;
}

export interface VerificationStatus {
  id: string;
  status: VerificationStatusValue;
  reason?: string;
  reference?: string;
}

export interface Verifier {
  start(request: StartVerificationRequest): Promise<StartedVerification>;
  report(id: string, method: Method, code: string): Promise<ReportResult>;
  status(id: string): Promise<VerificationStatus>;
}
