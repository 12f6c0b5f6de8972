import { AuthCard } from '../components/ui';
import { auth } from '../store/auth-store';
import { formatMinutes, formatTimeOfDay, useServerNow } from '../time';
import { useEscapeCancels, type ViewOf } from './view';

export function LockedScreen({ view }: { view: ViewOf<'locked'> }) {
  useEscapeCancels();
  const now = useServerNow();
  const over = now >= view.lockedUntil;
  return (
    <AuthCard title="Account locked" testId="screen-locked">
      <div className="notice notice-danger" role="status">
        <p data-testid="locked-message">
          {over ? (
            'The lock has ended. Go back and log on again.'
          ) : (
            <>
              Too many incorrect codes. System Configurator is locked for this account until{' '}
              <strong data-testid="locked-until">{formatTimeOfDay(view.lockedUntil)}</strong> (
              <span data-testid="locked-remaining">{formatMinutes(view.lockedUntil - now)}</span>).
            </>
          )}
        </p>
      </div>
      <p className="lead">
        The lock covers System Configurator log-ons only; nothing else your account uses is affected. An
        administrator can unlock it sooner.
      </p>
      <div className="actions">
        <button
          type="button"
          className="button button-secondary"
          data-testid="locked-back"
          autoFocus
          onClick={() => void auth.cancel()}
        >
          Back to log on
        </button>
      </div>
    </AuthCard>
  );
}
