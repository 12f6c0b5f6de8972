import { AuthCard, LiveMessage } from '../components/ui';
import { optionalErrorText } from '../i18n/errors';
import type { MessageKey } from '../i18n/i18n';
import { useT } from '../i18n/react';
import { useSingleFlight } from '../components/form';
import { auth, useAuth } from '../store/auth-store';
import { useEscapeCancels, type ViewOf } from './view';

type Refused = ViewOf<'refused'>;

const TITLES: Record<Refused['reason'], MessageKey> = {
  'no-verification-contact': 'refused.noContact.title',
  'verification-unavailable': 'refused.unavailable.title',
  'verification-misconfigured': 'refused.misconfigured.title',
};

/** What actually happened: what passed (password, SSO sign-in, password change), then what did not. */
function bodyKey(view: Refused): MessageKey {
  if (view.reason === 'no-verification-contact') return 'refused.noContact.body';
  if (view.reason === 'verification-misconfigured') return 'refused.misconfigured.body';
  return view.passed === 'sso'
    ? 'refused.unavailable.afterSso'
    : view.passed === 'passwordChange'
      ? 'refused.unavailable.afterPasswordChange'
      : 'refused.unavailable.afterPassword';
}

export function RefusedScreen({ view }: { view: Refused }) {
  useEscapeCancels();
  const { t } = useT();
  const retry = useSingleFlight(auth.retry);
  const actionError = useAuth((s) => s.actionError);
  const misconfigured = view.reason === 'verification-misconfigured';
  return (
    <AuthCard title={t(TITLES[view.reason])} testId="screen-refused">
      <div className={`notice ${view.canRetry ? 'notice-warning' : 'notice-danger'}`} role="status">
        <p data-testid="refused-message" data-reason={view.reason}>
          {t(bodyKey(view))}
        </p>
        {view.error ? (
          <p className="notice-detail" data-testid="refused-detail">
            {optionalErrorText(view.error)}
          </p>
        ) : null}
      </div>
      {misconfigured ? (
        <p className="lead" data-testid="refused-next-step">
          {view.isAdministrator ? t('refused.misconfigured.admin') : t('refused.misconfigured.contactAdmin')}
        </p>
      ) : null}
      <LiveMessage testId="refused-error" message={optionalErrorText(actionError)} />
      <div className="actions">
        {view.canRetry ? (
          <button
            type="button"
            className="button button-primary"
            data-testid="refused-retry"
            autoFocus
            onClick={() => void retry.run()}
          >
            {retry.running ? t('refused.retry.busy') : t('refused.retry')}
          </button>
        ) : null}
        <button
          type="button"
          className={view.canRetry ? 'button button-quiet' : 'button button-secondary'}
          data-testid="refused-back"
          autoFocus={!view.canRetry}
          onClick={() => void auth.cancel()}
        >
          {t('common.backToLogOn')}
        </button>
      </div>
    </AuthCard>
  );
}
