/** One screen per login step; the signed-in shell once the user is in. */
import { lazy, Suspense, useEffect } from 'react';
import { useAuth } from './store/auth-store';
import { FirstRunScreen } from './screens/FirstRunScreen';
import { LogOnScreen } from './screens/LogOnScreen';
import { CodeScreen } from './screens/CodeScreen';
import { ChangePasswordScreen } from './screens/ChangePasswordScreen';
import { LockedScreen } from './screens/LockedScreen';
import { RefusedScreen } from './screens/RefusedScreen';
import { SsoWaitingScreen } from './screens/SsoWaitingScreen';
import { AuthCard, LiveMessage } from './components/ui';
import { useT } from './i18n/react';
import { optionalErrorText } from './i18n/errors';

/**
 * The signed-in part (administration screens and their messages) loads only once
 * someone is in, and shows once its messages in the language shown are here.
 */
const Shell = lazy(() =>
  import('./screens/Shell').then(async (m) => {
    await m.shellReady;
    return { default: m.Shell };
  }),
);

export function App() {
  const view = useAuth((s) => s.view);
  const actionError = useAuth((s) => s.actionError);
  const step = view?.step ?? 'loading';
  const { t } = useT();

  useEffect(() => {
    document.body.dataset.step = step;
  }, [step]);

  if (!view && actionError?.code === 'managed-policy-refused') {
    return (
      <AuthCard title={t('managedPolicy.refused.title')} testId="screen-managed-refused">
        <div className="notice notice-danger" role="alert">
          <p data-testid="managed-refused-message">{t('managedPolicy.refused.body')}</p>
          <p className="notice-detail" data-testid="managed-refused-detail">
            {actionError.message}
          </p>
        </div>
      </AuthCard>
    );
  }
  if (!view) {
    return (
      <AuthCard title={t('app.starting')} testId="screen-loading">
        <LiveMessage testId="loading-error" message={optionalErrorText(actionError)} />
      </AuthCard>
    );
  }
  switch (view.step) {
    case 'firstRun':
      return <FirstRunScreen view={view} />;
    case 'signedOut':
      return <LogOnScreen view={view} />;
    case 'ssoWaiting':
      return <SsoWaitingScreen view={view} />;
    case 'awaitingCode':
      return <CodeScreen key={`${view.expiresAt}:${view.attemptsLeft}:${view.resendsLeft}`} view={view} />;
    case 'passwordChangeRequired':
      return <ChangePasswordScreen view={view} />;
    case 'locked':
      return <LockedScreen view={view} />;
    case 'refused':
      return <RefusedScreen view={view} />;
    case 'signedIn':
      return (
        <Suspense fallback={<p className="visually-hidden">{t('app.loading')}</p>}>
          <Shell view={view} />
        </Suspense>
      );
  }
}
