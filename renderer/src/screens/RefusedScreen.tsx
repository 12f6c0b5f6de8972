import { AuthCard, LiveMessage } from '../components/ui';
import { useSingleFlight } from '../components/form';
import { auth, useAuth } from '../store/auth-store';
import { useEscapeCancels, type ViewOf } from './view';

const TEXT = {
  'no-verification-contact': {
    title: 'No verification contact',
    body: 'Your account has no mobile number or e-mail address to send a verification code to, so you cannot log on to System Configurator yet. Ask your administrator to add one.',
  },
  'verification-unavailable': {
    title: 'Verification service unavailable',
    body: 'Your password was accepted, but the verification code could not be sent. No attempt was counted and nothing is locked.',
  },
} as const;

export function RefusedScreen({ view }: { view: ViewOf<'refused'> }) {
  useEscapeCancels();
  const text = TEXT[view.reason];
  const retry = useSingleFlight(auth.retry);
  const actionError = useAuth((s) => s.actionError);
  return (
    <AuthCard title={text.title} testId="screen-refused">
      <div className={`notice ${view.canRetry ? 'notice-warning' : 'notice-danger'}`} role="status">
        <p data-testid="refused-message" data-reason={view.reason}>
          {text.body}
        </p>
        {view.error ? (
          <p className="notice-detail" data-testid="refused-detail">
            {view.error.message}
          </p>
        ) : null}
      </div>
      <LiveMessage testId="refused-error" message={actionError?.message} />
      <div className="actions">
        {view.canRetry ? (
          <button
            type="button"
            className="button button-primary"
            data-testid="refused-retry"
            autoFocus
            onClick={() => void retry.run()}
          >
            {retry.running ? 'Trying again…' : 'Retry'}
          </button>
        ) : null}
        <button
          type="button"
          className={view.canRetry ? 'button button-quiet' : 'button button-secondary'}
          data-testid="refused-back"
          autoFocus={!view.canRetry}
          onClick={() => void auth.cancel()}
        >
          Back to log on
        </button>
      </div>
    </AuthCard>
  );
}
