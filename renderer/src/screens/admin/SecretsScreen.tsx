import { useEffect, useState, type ReactNode } from 'react';
import type { SecretInfoView } from '@contract/ipc';
import { LiveMessage, TextField } from '../../components/ui';
import { useForm } from '../../components/form';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { admin, SECRET_NAME, useAdmin } from '../../store/admin-store';
import { toWindowError } from '../../api';
import { AdminPage, ReadOnlyNotice } from './AdminPage';
import { TestConnection } from './TestConnection';
import { useT } from '../../i18n/react';
import type { MessageKey } from '../../i18n/i18n';

function stateOf(info: SecretInfoView | undefined): { label: MessageKey; tone: string; text: MessageKey } {
  if (!info) return { label: 'secrets.state.missing', tone: 'danger', text: 'secrets.state.missing.text' };
  if (info.isDefault)
    return { label: 'secrets.state.default', tone: 'info', text: 'secrets.state.default.text' };
  return { label: 'secrets.state.set', tone: 'ok', text: 'secrets.state.set.text' };
}

/** What a delete did: nothing was there, or which secret went. */
function deletedText(deleted: boolean, wasDefault: boolean): MessageKey {
  if (!deleted) return 'secrets.deleted.none';
  return wasDefault ? 'secrets.deleted.default' : 'secrets.deleted.own';
}

export function SecretsScreen({ readOnly }: { readOnly: boolean }) {
  const secrets = useAdmin((s) => s.secrets);
  const state = useAdmin((s) => s.secretsState);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);

  useEffect(() => {
    void admin.loadSecrets();
  }, []);

  const { t, format } = useT();
  const info = secrets?.find((s) => s.name === SECRET_NAME);
  // A secret entered for another endpoint origin is never sent to this one (main/core/secrets/endpoint-binding.ts).
  const shown =
    info && !info.usableAtEndpoint
      ? {
          label: t('secrets.boundElsewhere.label'),
          tone: 'danger',
          text: t('secrets.boundElsewhere.text', { origin: info.boundTo }),
        }
      : (({ label, tone, text }) => ({ label: t(label), tone, text: t(text) }))(stateOf(info));

  async function remove() {
    setConfirming(false);
    setMessage(null);
    setError(null);
    try {
      const wasDefault = Boolean(info?.isDefault);
      setMessage(t(deletedText(await admin.deleteSecret(), wasDefault)));
    } catch (e) {
      setError(toWindowError(e).message);
    }
  }

  return (
    <AdminPage title={t('nav.secrets')} testId="screen-secrets" intro={t('secrets.intro')}>
      {readOnly ? <ReadOnlyNotice /> : null}
      <LiveMessage testId="secrets-load-error" message={state.error?.message} />
      <div className="two-columns">
        <section className="panel" aria-labelledby="secret-title" data-testid="secret-card">
          <div className="panel-heading">
            <h2 id="secret-title">
              <code>{SECRET_NAME}</code>
            </h2>
            {secrets ? (
              <span className={`badge badge-${shown.tone}`} data-testid="secret-state">
                {shown.label}
              </span>
            ) : null}
          </div>
          <p className="muted">{t('secrets.purpose')}</p>
          {secrets ? (
            <>
              <p data-testid="secret-state-text">{shown.text}</p>
              {info ? (
                <dl className="facts">
                  <dt>{t('secrets.authId')}</dt>
                  <dd data-testid="secret-auth-id-value">
                    <code>{info.authId}</code>
                  </dd>
                  <dt>{t('secrets.secret')}</dt>
                  <dd>
                    <span className="muted">{t('secrets.secret.stored')}</span>
                  </dd>
                  <dt>{t('secrets.updated')}</dt>
                  <dd data-testid="secret-updated">
                    {t('secrets.updatedBy', { at: format.dateTime(info.updatedAt), by: info.setBy })}
                  </dd>
                </dl>
              ) : null}
            </>
          ) : (
            <p>{t('app.loading')}</p>
          )}
          <LiveMessage testId="secret-message" tone="success" message={message} />
          <LiveMessage testId="secret-error" message={error} />
          {readOnly || !secrets ? null : (
            <SecretForm
              key={info ? 'set' : 'missing'}
              currentAuthId={info?.authId ?? ''}
              replacing={Boolean(info)}
              onSaved={(text) => {
                setError(null);
                setMessage(text);
              }}
              deleteButton={
                info ? (
                  <button
                    type="button"
                    className="button button-danger-quiet"
                    data-testid="secret-delete"
                    onClick={() => setConfirming(true)}
                  >
                    {t('secrets.delete')}
                  </button>
                ) : null
              }
            />
          )}
        </section>
        <TestConnection readOnly={readOnly} />
      </div>
      {confirming ? (
        <ConfirmDialog
          title={t('secrets.delete.title')}
          testId="secret-delete-dialog"
          confirmLabel={t('secrets.delete.confirm')}
          danger
          onCancel={() => setConfirming(false)}
          onConfirm={() => void remove()}
        >
          <p>
            {t('secrets.delete.body')}
            {info?.isDefault ? null : <> {t('secrets.delete.noRestore')}</>}
          </p>
        </ConfirmDialog>
      ) : null}
    </AdminPage>
  );
}

function SecretForm({
  currentAuthId,
  replacing,
  onSaved,
  deleteButton,
}: {
  currentAuthId: string;
  replacing: boolean;
  onSaved: (message: string) => void;
  deleteButton: ReactNode;
}) {
  const { t } = useT();
  const form = useForm({
    initial: { authId: currentAuthId, secret: '' },
    controls: { authId: 'secret-auth-id', secret: 'secret-value' },
    check: ({ authId, secret }) => ({
      ...(authId.trim() ? {} : { authId: t('secrets.authId.missing') }),
      ...(secret ? {} : { secret: t('secrets.secret.missing') }),
    }),
    async send({ authId, secret }) {
      try {
        await admin.setSecret(authId.trim(), secret);
        onSaved(t('secrets.saved'));
      } finally {
        // Saved or not, the secret leaves the window's memory.
        form.set('secret', '');
      }
    },
  });

  return (
    <form className="form subform" onSubmit={form.onSubmit} noValidate aria-labelledby="secret-form-title">
      <h3 id="secret-form-title">{replacing ? t('secrets.form.replace') : t('secrets.form.set')}</h3>
      <TextField
        id="secret-auth-id"
        label={t('secrets.authId')}
        testId="secret-auth-id"
        hint={t('secrets.authId.hint')}
        autoComplete="off"
        spellCheck={false}
        value={form.values.authId}
        onValue={(v) => form.set('authId', v)}
        error={form.error('authId')}
      />
      <TextField
        id="secret-value"
        label={t('secrets.secret')}
        testId="secret-value"
        type="password"
        hint={t('secrets.secret.hint')}
        autoComplete="off"
        spellCheck={false}
        value={form.values.secret}
        onValue={(v) => form.set('secret', v)}
        error={form.error('secret')}
      />
      <LiveMessage testId="secret-form-error" message={form.formError} />
      <div className="actions actions-split">
        <button type="submit" className="button button-primary" data-testid="secret-save">
          {form.submitting ? t('common.saving') : t('secrets.save')}
        </button>
        {deleteButton}
      </div>
    </form>
  );
}
