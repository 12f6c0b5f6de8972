import { AuthCard, LiveMessage } from '../components/ui';
import { optionalErrorText } from '../i18n/errors';
import { useT } from '../i18n/react';
import { auth } from '../store/auth-store';
import { useEscapeCancels, type ViewOf } from './view';

export function SsoWaitingScreen({ view }: { view: ViewOf<'ssoWaiting'> }) {
  useEscapeCancels();
  const { t } = useT();
  return (
    <AuthCard title={t('sso.title')} testId="screen-sso">
      <p className="lead" data-testid="sso-waiting">
        {t('sso.waiting')}
      </p>
      <LiveMessage testId="sso-error" message={optionalErrorText(view.error)} />
      <div className="actions">
        <button
          type="button"
          className="button button-secondary"
          data-testid="sso-cancel"
          autoFocus
          onClick={() => void auth.cancel()}
        >
          {t('common.cancel')}
        </button>
      </div>
    </AuthCard>
  );
}
