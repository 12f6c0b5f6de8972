import type { Fallback, Method } from '@contract/domain';
import { useAdmin } from '../../store/admin-store';

const CONTACT: Record<Method, string> = { sms: 'a mobile number', email: 'an e-mail address' };

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
  const readiness = useAdmin((s) => s.readiness);
  const needs = fallback === 'none' ? CONTACT[primary] : `${CONTACT[primary]} or ${CONTACT[fallback]}`;
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
      <h2 id="readiness-title">Readiness check</h2>
      <p className="hint">With these methods every user needs {needs}.</p>
      <div aria-live="polite">
        {!readiness ? (
          <p>Checking users…</p>
        ) : missing.length === 0 ? (
          <p data-testid="policy-readiness-summary">
            All {readiness.activeUsers} active users have a contact for these methods.
          </p>
        ) : (
          <>
            <p data-testid="policy-readiness-summary">
              <strong>
                {missing.length} of {readiness.activeUsers} active users
              </strong>{' '}
              have no contact for these methods.{' '}
              {enabled
                ? 'With two-factor authentication on, they cannot log in.'
                : 'If you switch two-factor authentication on, they could no longer log in.'}
            </p>
            <ul className="readiness-list">
              {missing.map((user) => (
                <li key={user.username} data-testid="readiness-user" data-username={user.username}>
                  <span className="readiness-name">{user.displayName}</span>{' '}
                  <span className="muted">({user.username})</span>
                </li>
              ))}
            </ul>
            <p className="hint">Add their mobile numbers or e-mail addresses under Users.</p>
          </>
        )}
      </div>
    </aside>
  );
}
