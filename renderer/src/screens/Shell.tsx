import '../zod-setup';
import { useEffect, useMemo, useState } from 'react';
import { activityReporter, auth } from '../store/auth-store';
import { admin } from '../store/admin-store';
import { PolicyScreen } from './admin/PolicyScreen';
import { SecretsScreen } from './admin/SecretsScreen';
import { UsersScreen } from './admin/UsersScreen';
import { AuditScreen } from './admin/AuditScreen';
import { LanguagePicker } from '../components/LanguagePicker';
import { useT } from '../i18n/react';
import type { MessageKey } from '../i18n/i18n';
import type { ViewOf } from './view';

const SECTIONS = [
  { id: 'policy', label: 'nav.policy', testId: 'nav-policy' },
  { id: 'secrets', label: 'nav.secrets', testId: 'nav-secrets' },
  { id: 'users', label: 'nav.users', testId: 'nav-users' },
  { id: 'audit', label: 'nav.audit', testId: 'nav-audit' },
] as const satisfies readonly { id: string; label: MessageKey; testId: string }[];
type Section = (typeof SECTIONS)[number]['id'];

/** Input that counts as activity for the idle time-out. */
const ACTIVITY_EVENTS = ['keydown', 'pointerdown', 'wheel'] as const;

export function Shell({ view }: { view: ViewOf<'signedIn'> }) {
  const { user } = view;
  const { t } = useT();
  const isAdmin = user.roles.includes('administrator');
  const canSeeAdmin = isAdmin || user.roles.includes('read-only');
  const [section, setSection] = useState<Section>('policy');
  const report = useMemo(() => activityReporter(), []);

  // Leaving the shell (sign-out, time-out) drops the administration data from memory.
  useEffect(() => () => admin.reset(), []);

  useEffect(() => {
    for (const type of ACTIVITY_EVENTS) document.addEventListener(type, report, { passive: true });
    return () => {
      for (const type of ACTIVITY_EVENTS) document.removeEventListener(type, report);
    };
  }, [report]);

  const current = SECTIONS.find((s) => s.id === section) ?? SECTIONS[0];
  const sectionTitle = t(current.label);
  const appName = t('app.name');
  useEffect(() => {
    document.title = canSeeAdmin ? `${sectionTitle} · ${appName}` : appName;
    return () => {
      document.title = appName;
    };
  }, [sectionTitle, appName, canSeeAdmin]);

  return (
    <div className="shell" data-testid="screen-shell">
      <a className="skip-link" href="#content">
        {t('shell.skipToContent')}
      </a>
      <header className="topbar">
        <p className="brand brand-inverse">
          <span className="brand-mark" aria-hidden="true" />
          {t('app.name')}
        </p>
        <div className="topbar-user">
          <LanguagePicker className="language-picker-inverse" />
          <span className="user-name" data-testid="shell-user">
            {user.displayName}
          </span>
          <span className="user-role" data-testid="shell-role">
            {isAdmin ? t('role.administrator') : canSeeAdmin ? t('role.readOnly') : t('role.user')}
          </span>
          <button
            type="button"
            className="button button-inverse"
            data-testid="sign-out"
            onClick={() => void auth.signOut()}
          >
            {t('shell.signOut')}
          </button>
        </div>
      </header>
      <div className="shell-body">
        {canSeeAdmin ? (
          <nav className="sidenav" aria-label={t('shell.nav')}>
            <ul>
              {SECTIONS.map((s) => (
                <li key={s.id}>
                  <button
                    type="button"
                    data-testid={s.testId}
                    aria-current={s.id === section ? 'page' : undefined}
                    onClick={() => setSection(s.id)}
                  >
                    {t(s.label)}
                  </button>
                </li>
              ))}
            </ul>
          </nav>
        ) : null}
        <main className="content" id="content" tabIndex={-1}>
          {!canSeeAdmin ? (
            <section className="panel" data-testid="shell-welcome" aria-labelledby="welcome-title">
              <h1 id="welcome-title">{t('shell.welcome.title', { name: user.displayName })}</h1>
              <p>{t('shell.welcome.body')}</p>
            </section>
          ) : section === 'policy' ? (
            <PolicyScreen readOnly={!isAdmin} />
          ) : section === 'secrets' ? (
            <SecretsScreen readOnly={!isAdmin} />
          ) : section === 'users' ? (
            <UsersScreen readOnly={!isAdmin} />
          ) : (
            <AuditScreen />
          )}
        </main>
      </div>
    </div>
  );
}
