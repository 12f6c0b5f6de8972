import { AuthCard } from '../components/ui';
import { useT } from '../i18n/react';
import { auth } from '../store/auth-store';
import { useServerNow } from '../time';
import { useEscapeCancels, type ViewOf } from './view';

export function LockedScreen({ view }: { view: ViewOf<'locked'> }) {
  useEscapeCancels();
  const { t, format } = useT();
  const now = useServerNow();
  const over = now >= view.lockedUntil;
  return (
    <AuthCard title={t('locked.title')} testId="screen-locked">
      <div className="notice notice-danger" role="status">
        <p data-testid="locked-message">
          {over ? (
            t('locked.over')
          ) : (
            <>
              {t('locked.message')}{' '}
              <strong data-testid="locked-until">{format.timeOfDay(view.lockedUntil)}</strong> (
              <span data-testid="locked-remaining">{format.minutes(view.lockedUntil - now)}</span>).
            </>
          )}
        </p>
      </div>
      <p className="lead">{t('locked.scope')}</p>
      <div className="actions">
        <button
          type="button"
          className="button button-secondary"
          data-testid="locked-back"
          autoFocus
          onClick={() => void auth.cancel()}
        >
          {t('common.backToLogOn')}
        </button>
      </div>
    </AuthCard>
  );
}
