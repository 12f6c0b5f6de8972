import { randomUUID } from 'node:crypto';
import { emailSchema, type Method } from '../../contract/domain';
import type { AuditOutcome } from '../../core/audit/audit-log';
import { maskEmail, maskPhone } from '../../core/auth/masking';
import { ScError, isScError, providerDetails } from '../../core/errors';
import { normalizeMobile } from '../../core/users/contacts';
import type { ReportResult } from '../../core/verify/verifier';
import { UsageError, expectPositionals } from '../args';
import { ACTOR, type Command } from '../command';
import { EXIT } from '../exit-codes';

const OUTCOME_TEXT: Record<ReportResult['outcome'], string> = {
  successful: 'Verification successful: the Sinch settings and secret work.',
  'wrong-code':
    'The code was not accepted (wrong code). The settings and secret work; run the test again to retry.',
  'not-valid': 'The verification can no longer be completed (expired or replaced). Run the test again.',
};

function destination(to: string): { method: Method; to: string; masked: string } {
  const trimmed = to.trim();
  if (trimmed.includes('@')) {
    const parsed = emailSchema.safeParse(trimmed);
    if (!parsed.success) throw new UsageError(`--to: "${to}" is not a valid e-mail address`);
    return { method: 'email', to: parsed.data, masked: maskEmail(parsed.data) };
  }
  let number: string;
  try {
    number = normalizeMobile(trimmed);
  } catch (error) {
    // The core names the field "mobile"; here the admin typed --to.
    throw new UsageError(`--to: ${error instanceof Error ? error.message : 'not a valid E.164 number'}`);
  }
  return { method: 'sms', to: number, masked: maskPhone(number) };
}

export const verifyTestCommand: Command = {
  name: 'verify-test',
  usage: 'verify-test --to +46700000000|user@example.com',
  summary: 'Send a test code with the saved Sinch settings and secret, then check the code typed on stdin',
  options: { to: 'string' },
  async run(context, args) {
    expectPositionals(args, [], 'verify-test');
    const target = destination(args.required('to'));
    const core = context.core();
    const policy = core.policy.get();
    // Loaded here: axios alone costs more start-up time than everything else the other commands need.
    const { createSinchVerifier } = await import('../../core/verify/sinch-client');
    const verifier = createSinchVerifier({
      settings: () => core.policy.get().sinch,
      credentials: (endpoint) => core.secrets.sinchCredentials(endpoint),
    });
    const audit = (outcome: AuditOutcome, details: Record<string, string | number | boolean | null>) =>
      core.audit.append({
        actor: ACTOR,
        action: 'verify.test',
        target: target.masked,
        outcome,
        details: {
          method: target.method,
          endpoint: policy.sinch.endpoint,
          authMethod: policy.sinch.authMethod,
          ...details,
        },
      });

    let started: { id: string };
    try {
      started = await verifier.start({
        method: target.method,
        to: target.to,
        validMinutes: policy.twoFactor.validMinutes,
        reference: `sc-admin-test-${randomUUID()}`,
      });
    } catch (error) {
      if (isScError(error)) audit('error', { step: 'start', ...providerDetails(error) });
      throw error;
    }
    context.out.result(
      { event: 'sent', method: target.method, maskedDestination: target.masked },
      () => `Code sent to ${target.masked}`,
    );

    if (context.input.isTTY) context.err.write('Enter the code from the message: ');
    const line = await context.input.readLine();
    const code = line?.replace(/\s+/g, '') ?? '';
    if (code === '') {
      audit('failure', { step: 'report', result: 'no code entered' });
      throw new ScError('validation', 'no code on stdin; the test was not completed');
    }

    let result: ReportResult;
    try {
      result = await verifier.report(started.id, target.method, code);
    } catch (error) {
      if (isScError(error)) audit('error', { step: 'report', ...providerDetails(error) });
      throw error;
    }
    audit(result.outcome === 'successful' ? 'success' : 'failure', {
      step: 'report',
      result: result.outcome,
      status: result.status,
    });
    context.out.result(
      { event: 'reported', outcome: result.outcome, status: result.status },
      () => OUTCOME_TEXT[result.outcome],
    );
    return result.outcome === 'successful' ? EXIT.ok : EXIT.failure;
  },
};
