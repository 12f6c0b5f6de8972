import { AuthCard, LiveMessage } from '../components/ui';
import { auth } from '../store/auth-store';
import { useEscapeCancels, type ViewOf } from './view';

export function SsoWaitingScreen({ view }: { view: ViewOf<'ssoWaiting'> }) {
  useEscapeCancels();
  return (
    <AuthCard title="Continue in your browser" testId="screen-sso">
      <p className="lead" data-testid="sso-waiting">
        We opened your organisation&rsquo;s sign-in page in your web browser. Finish signing in there, then
        come back to this window.
      </p>
      <LiveMessage testId="sso-error" message={view.error?.message} />
      <div className="actions">
        <button
          type="button"
          className="button button-secondary"
          data-testid="sso-cancel"
          autoFocus
          onClick={() => void auth.cancel()}
        >
          Cancel
        </button>
      </div>
    </AuthCard>
  );
}
