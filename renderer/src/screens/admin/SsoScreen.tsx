/**
 * SSO identities (administrators only): the identities waiting for a link (held by main, or unlinked by an
 * administrator) with what their provider claimed, and the identities linked to users. "Link to user…" ties
 * one to the user the administrator chooses; "Unlink" (confirmed) ends a link. Every claim is the identity
 * provider's text, possibly its users' own: main cuts it and escapes control characters, and it is only ever
 * rendered as text.
 */
import { useEffect, useState } from 'react';
import type { SsoIdentities, SsoLinkView } from '@contract/domain';
import { EmptyRow, LiveMessage } from '../../components/ui';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { admin, useAdmin } from '../../store/admin-store';
import { toWindowError } from '../../api';
import { AdminPage } from './AdminPage';
import { SsoLinkDialog } from './SsoLinkDialog';
import { Claims, type WaitingIdentity, type WaitingReason } from './SsoClaims';
import type { MessageKey } from '../../i18n/i18n';
import { useT } from '../../i18n/react';

const REASON_LABEL: Record<WaitingReason, MessageKey> = {
  unmatched: 'ssoIdentities.reason.unmatched',
  'claim-taken': 'ssoIdentities.reason.claimTaken',
  administrator: 'ssoIdentities.reason.administrator',
  unlinked: 'ssoIdentities.reason.unlinked',
};
/** Claims an administrator needs to judge first: someone presenting a linked user's or an administrator's. */
const REASON_TONE: Record<WaitingReason, string> = {
  unmatched: 'info',
  'claim-taken': 'danger',
  administrator: 'danger',
  unlinked: 'muted',
};

function waitingOf(identities: SsoIdentities): WaitingIdentity[] {
  return [
    ...identities.pending.map((p) => ({ ...p, at: p.lastSeen, by: null })),
    ...identities.unlinked.map((u) => ({
      issuer: u.issuer,
      subject: u.subject,
      reason: 'unlinked' as const,
      claims: null,
      at: u.unlinkedAt,
      by: u.unlinkedBy,
    })),
  ];
}

/** An identity: its subject (printable ASCII, checked by main) and its issuer. */
function Identity({ issuer, subject }: { issuer: string; subject: string }) {
  const { t } = useT();
  return (
    <>
      <span className="cell-title">
        <span className="visually-hidden">{t('ssoIdentities.subject')} </span>
        <code data-testid="sso-subject">{subject}</code>
      </span>
      <span className="cell-sub">
        <span className="visually-hidden">{t('ssoIdentities.issuer')} </span>
        <span data-testid="sso-issuer">{issuer}</span>
      </span>
    </>
  );
}

export function SsoScreen() {
  const identities = useAdmin((s) => s.sso);
  const state = useAdmin((s) => s.ssoState);
  const [linking, setLinking] = useState<WaitingIdentity | null>(null);
  const [unlinking, setUnlinking] = useState<SsoLinkView | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const { t, format } = useT();

  useEffect(() => {
    void admin.loadSso();
  }, []);

  async function unlink(link: SsoLinkView) {
    setUnlinking(null);
    setMessage(null);
    setError(null);
    try {
      const done = await admin.unlinkSso({ issuer: link.issuer, subject: link.subject });
      setMessage(t('ssoIdentities.unlinkedMessage', { subject: done.subject, username: done.username }));
    } catch (e) {
      setError(toWindowError(e).message);
    }
  }

  const waiting = identities ? waitingOf(identities) : [];
  const links = identities?.links ?? [];
  return (
    <AdminPage title={t('nav.sso')} testId="screen-sso-identities" intro={t('ssoIdentities.intro')}>
      <LiveMessage testId="sso-message" tone="success" message={message} />
      <LiveMessage testId="sso-error" message={error ?? state.error?.message} />
      <section className="panel panel-table" aria-labelledby="sso-waiting-title" data-testid="sso-waiting">
        <div className="panel-heading">
          <h2 id="sso-waiting-title">{t('ssoIdentities.waiting.title')}</h2>
        </div>
        <p className="muted">{t('ssoIdentities.waiting.hint')}</p>
        <div className="table-wrap">
          <table className="table" data-testid="sso-waiting-table" aria-busy={state.loading}>
            <thead>
              <tr>
                <th scope="col">{t('ssoIdentities.column.identity')}</th>
                <th scope="col">{t('ssoIdentities.column.claims')}</th>
                <th scope="col">{t('ssoIdentities.column.reason')}</th>
              </tr>
            </thead>
            <tbody>
              {waiting.map((identity) => (
                <tr
                  key={`${identity.reason === 'unlinked' ? 'u' : 'p'} ${identity.issuer} ${identity.subject}`}
                  data-testid="sso-waiting-row"
                  data-subject={identity.subject}
                >
                  <th scope="row" className="cell-user">
                    <Identity issuer={identity.issuer} subject={identity.subject} />
                  </th>
                  <td className="details cell-claims">
                    <Claims claims={identity.claims} />
                  </td>
                  <td>
                    <span
                      className={`badge badge-wrap badge-${REASON_TONE[identity.reason]}`}
                      data-testid="sso-reason"
                      data-reason={identity.reason}
                    >
                      {t(REASON_LABEL[identity.reason])}
                    </span>
                    <span className="cell-sub">
                      {identity.by === null
                        ? t('ssoIdentities.lastSeen', { time: format.dateTime(identity.at) })
                        : t('ssoIdentities.unlinkedBy', {
                            time: format.dateTime(identity.at),
                            name: identity.by,
                          })}
                    </span>
                    <button
                      type="button"
                      className="button button-small button-secondary cell-action"
                      data-testid="sso-link-open"
                      aria-label={t('ssoIdentities.link.named', { subject: identity.subject })}
                      onClick={() => {
                        setMessage(null);
                        setLinking(identity);
                      }}
                    >
                      {t('ssoIdentities.link')}
                    </button>
                  </td>
                </tr>
              ))}
              {identities && waiting.length === 0 ? (
                <EmptyRow columns={3} testId="sso-waiting-empty">
                  {t('ssoIdentities.waiting.none')}
                </EmptyRow>
              ) : null}
            </tbody>
          </table>
        </div>
      </section>
      <section className="panel panel-table" aria-labelledby="sso-linked-title" data-testid="sso-linked">
        <div className="panel-heading">
          <h2 id="sso-linked-title">{t('ssoIdentities.linked.title')}</h2>
        </div>
        <div className="table-wrap">
          <table className="table" data-testid="sso-linked-table" aria-busy={state.loading}>
            <thead>
              <tr>
                <th scope="col">{t('ssoIdentities.column.identity')}</th>
                <th scope="col">{t('ssoIdentities.column.user')}</th>
                <th scope="col">{t('ssoIdentities.column.linked')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('ssoIdentities.column.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {links.map((link) => (
                <tr
                  key={`${link.issuer} ${link.subject}`}
                  data-testid="sso-link-row"
                  data-subject={link.subject}
                  data-username={link.username}
                >
                  <th scope="row" className="cell-user">
                    <Identity issuer={link.issuer} subject={link.subject} />
                  </th>
                  <td data-testid="sso-link-user">{link.username}</td>
                  <td>
                    {t('ssoIdentities.linkedBy', {
                      time: format.dateTime(link.linkedAt),
                      name: link.linkedBy,
                    })}
                  </td>
                  <td className="row-actions cell-shrink">
                    <button
                      type="button"
                      className="button button-small button-danger-quiet"
                      data-testid="sso-unlink"
                      aria-label={t('ssoIdentities.unlink.named', {
                        subject: link.subject,
                        username: link.username,
                      })}
                      onClick={() => setUnlinking(link)}
                    >
                      {t('ssoIdentities.unlink')}
                    </button>
                  </td>
                </tr>
              ))}
              {identities && links.length === 0 ? (
                <EmptyRow columns={4} testId="sso-linked-empty">
                  {t('ssoIdentities.linked.none')}
                </EmptyRow>
              ) : null}
            </tbody>
          </table>
        </div>
      </section>
      {linking ? (
        <SsoLinkDialog
          identity={linking}
          onClose={() => setLinking(null)}
          onLinked={(linked) => {
            setLinking(null);
            setError(null);
            setMessage(
              t('ssoIdentities.linkedMessage', { subject: linked.subject, username: linked.username }),
            );
          }}
        />
      ) : null}
      {unlinking ? (
        <ConfirmDialog
          title={t('ssoIdentities.unlink.title')}
          testId="sso-unlink-dialog"
          confirmLabel={t('ssoIdentities.unlink')}
          danger
          onCancel={() => setUnlinking(null)}
          onConfirm={() => void unlink(unlinking)}
        >
          <p>
            {t('ssoIdentities.unlink.body', { username: unlinking.username, subject: unlinking.subject })}
          </p>
        </ConfirmDialog>
      ) : null}
    </AdminPage>
  );
}
