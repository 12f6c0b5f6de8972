import { useEffect, useMemo, useState } from 'react';
import { activityReporter, auth } from '../store/auth-store';
import { admin } from '../store/admin-store';
import { PolicyScreen } from './admin/PolicyScreen';
import { SecretsScreen } from './admin/SecretsScreen';
import { UsersScreen } from './admin/UsersScreen';
import { AuditScreen } from './admin/AuditScreen';
import { SsoScreen } from './admin/SsoScreen';
import { LanguagePicker } from '../components/LanguagePicker';
import { useT } from '../i18n/react';
import { adminMessagesReady } from '../i18n/admin-messages';
import type { MessageKey } from '../i18n/i18n';
import type { ViewOf } from './view';

/** Settles when the Shell can render: its messages in the language shown are here. */
export const shellReady = adminMessagesReady;

/** `adminOnly`: not shown to read-only users (main refuses them its changes, and its data is for linking). */
const SECTIONS = [
  { id: 'policy', label: 'nav.policy', testId: 'nav-policy', adminOnly: false },
  { id: 'secrets', label: 'nav.secrets', testId: 'nav-secrets', adminOnly: false },
  { id: 'users', label: 'nav.users', testId: 'nav-users', adminOnly: false },
  { id: 'sso', label: 'nav.sso', testId: 'nav-sso', adminOnly: true },
  { id: 'audit', label: 'nav.audit', testId: 'nav-audit', adminOnly: false },
] as const satisfies readonly { id: string; label: MessageKey; testId: string; adminOnly: boolean }[];
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

  const sections = SECTIONS.filter((s) => isAdmin || !s.adminOnly);
  // A section this user may not see (roles are re-read at every call) falls back to the first.
  const current = sections.find((s) => s.id === section) ?? SECTIONS[0];
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
              {sections.map((s) => (
                <li key={s.id}>
                  <button
                    type="button"
                    data-testid={s.testId}
                    aria-current={s.id === current.id ? 'page' : undefined}
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
          ) : current.id === 'policy' ? (
            <PolicyScreen readOnly={!isAdmin} />
          ) : current.id === 'secrets' ? (
            <SecretsScreen readOnly={!isAdmin} />
          ) : current.id === 'users' ? (
            <UsersScreen readOnly={!isAdmin} />
          ) : current.id === 'sso' ? (
            <SsoScreen />
          ) : (
            <AuditScreen />
          )}
        </main>
      </div>
    </div>
  );
}
