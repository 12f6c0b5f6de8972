/**
 * "Link to user…": the identity (issuer, subject, what its provider claimed) and a search for the SC user to
 * link it to. The search asks main for a few matching users at a time (there may be 100,000), never the
 * whole list; nothing is chosen for the administrator, not even the user the claims name.
 */
import { useEffect, useRef, useState } from 'react';
import type { SsoLinkView, UserView } from '@contract/domain';
import { LiveMessage, TextField } from '../../components/ui';
import { Modal } from '../../components/Modal';
import { useForm } from '../../components/form';
import { admin } from '../../store/admin-store';
import { toWindowError } from '../../api';
import { useT } from '../../i18n/react';
import { Claims, type WaitingIdentity } from './SsoClaims';

/** Users shown for a search: enough to pick from, few enough to read. */
const RESULTS_SHOWN = 8;
/** Typing waits this long before asking main. */
const SEARCH_PAUSE_MS = 200;

interface Draft {
  username: string;
}
/** A refused link about the user (unknown, already linked) shows under the search; others for the form. */
const CONTROLS = { username: 'sso-link-search' } as const;

interface Results {
  search: string;
  users: UserView[];
  total: number;
}

export function SsoLinkDialog({
  identity,
  onClose,
  onLinked,
}: {
  identity: WaitingIdentity;
  onClose: () => void;
  onLinked: (linked: SsoLinkView) => void;
}) {
  const { t, format } = useT();
  const [search, setSearch] = useState('');
  const [results, setResults] = useState<Results | null>(null);
  const [searchError, setSearchError] = useState<string | null>(null);
  const request = useRef(0);
  const form = useForm<Draft, 'username'>({
    initial: { username: '' },
    controls: CONTROLS,
    check: (draft) => (draft.username ? {} : { username: t('ssoLink.choose') }),
    async send(draft) {
      onLinked(
        await admin.linkSso({ issuer: identity.issuer, subject: identity.subject, username: draft.username }),
      );
    },
  });
  const { set: choose } = form;
  const chosen = form.values.username;

  useEffect(() => {
    const text = search.trim();
    const mine = ++request.current;
    if (!text) return;
    const timer = window.setTimeout(() => {
      admin.findUsers(text, RESULTS_SHOWN).then(
        (page) => {
          // Only the newest search's answer is shown.
          if (mine !== request.current) return;
          setSearchError(null);
          setResults({ search: text, users: page.users, total: page.total });
        },
        (error: unknown) => {
          if (mine === request.current) setSearchError(toWindowError(error).message);
        },
      );
    }, SEARCH_PAUSE_MS);
    return () => window.clearTimeout(timer);
  }, [search]);

  // Results of an emptied search are not shown; a new search drops the choice (made from other results).
  const shown = search.trim() ? results : null;
  function searchFor(text: string) {
    setSearch(text);
    if (chosen) choose('username', '');
  }

  return (
    <Modal testId="sso-link-dialog" initialFocus="#sso-link-search" onCancel={onClose} wide>
      <form className="form" onSubmit={form.onSubmit} noValidate>
        <h2 id="sso-link-dialog-title">{t('ssoLink.title')}</h2>
        <dl className="facts" data-testid="sso-link-identity">
          <dt>{t('ssoIdentities.subject')}</dt>
          <dd>
            <code>{identity.subject}</code>
          </dd>
          <dt>{t('ssoIdentities.issuer')}</dt>
          <dd>{identity.issuer}</dd>
          <dt>{t('ssoIdentities.column.claims')}</dt>
          <dd>
            <Claims claims={identity.claims} />
          </dd>
        </dl>
        <TextField
          id="sso-link-search"
          type="search"
          label={t('ssoLink.search')}
          testId="sso-link-search"
          placeholder={t('ssoLink.search.placeholder')}
          autoComplete="off"
          spellCheck={false}
          value={search}
          onValue={searchFor}
          hint={t('ssoLink.search.hint')}
          error={form.error('username') ?? searchError}
        />
        {shown ? (
          <fieldset className="choices" data-testid="sso-link-results">
            <legend>{t('ssoLink.results')}</legend>
            {shown.users.map((user) => (
              <label key={user.username} className="choice">
                <input
                  type="radio"
                  name="sso-link-user"
                  value={user.username}
                  data-testid={`sso-link-option-${user.username}`}
                  checked={chosen === user.username}
                  onChange={() => choose('username', user.username)}
                />
                <span>
                  <span className="cell-title">{user.displayName}</span>
                  <span className="cell-sub">
                    {user.username}
                    {user.active ? null : <> · {t('ssoLink.inactive')}</>}
                  </span>
                </span>
              </label>
            ))}
            {shown.users.length === 0 ? (
              <p className="muted" data-testid="sso-link-none">
                {t('ssoLink.results.none', { search: shown.search })}
              </p>
            ) : shown.total > shown.users.length ? (
              <p className="muted" data-testid="sso-link-more">
                {t('ssoLink.results.more', {
                  count: shown.total,
                  shown: format.number(shown.users.length),
                })}
              </p>
            ) : null}
          </fieldset>
        ) : null}
        <LiveMessage testId="sso-link-error" message={form.formError} />
        <div className="actions">
          <button type="submit" className="button button-primary" data-testid="sso-link-submit">
            {form.submitting ? t('common.saving') : t('ssoLink.submit')}
          </button>
          <button
            type="button"
            className="button button-quiet"
            data-testid="sso-link-cancel"
            onClick={onClose}
          >
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
