import type { Fallback, Method } from '@contract/domain';
import { useAdmin } from '../../store/admin-store';
import type { MessageKey } from '../../i18n/i18n';
import { useT } from '../../i18n/react';

const NEEDS: Record<Method, MessageKey> = { sms: 'readiness.needs.sms', email: 'readiness.needs.email' };

/** Who could no longer log in with the chosen methods: checked before 2FA is switched on. */
export function ReadinessPanel({
  enabled,
  primary,
  fallback,
}: {
  enabled: boolean;
  primary: Method;
  fallback: Fallback;
}) {
  const { t } = useT();
  const readiness = useAdmin((s) => s.readiness);
  const needs = fallback === 'none' || fallback === primary ? t(NEEDS[primary]) : t('readiness.needs.either');
  const missing = readiness?.usersWithoutContact ?? [];
  const tone = !readiness
    ? ''
    : missing.length === 0
      ? ' readiness-ok'
      : enabled
        ? ' readiness-bad'
        : ' readiness-warn';

  return (
    <aside
      className={`panel readiness${tone}`}
      data-testid="policy-readiness"
      aria-labelledby="readiness-title"
    >
      <h2 id="readiness-title">{t('readiness.title')}</h2>
      <p className="hint">{needs}</p>
      <div aria-live="polite">
        {!readiness ? (
          <p>{t('readiness.checking')}</p>
        ) : missing.length === 0 ? (
          <p data-testid="policy-readiness-summary">
            {t('readiness.allReady', { count: readiness.activeUsers })}
          </p>
        ) : (
          <>
            <p data-testid="policy-readiness-summary">
              <strong>
                {t('readiness.missing', { count: missing.length, total: readiness.activeUsers })}
              </strong>{' '}
              {enabled ? t('readiness.consequenceOn') : t('readiness.consequenceOff')}
            </p>
            <ul className="readiness-list">
              {missing.map((user) => (
                <li key={user.username} data-testid="readiness-user" data-username={user.username}>
                  <span className="readiness-name">{user.displayName}</span>{' '}
                  <span className="muted">({user.username})</span>
                </li>
              ))}
            </ul>
            <p className="hint">{t('readiness.fix')}</p>
          </>
        )}
      </div>
    </aside>
  );
}
