import { useEffect, useState, type ReactNode } from 'react';
import type { SecretInfoView } from '@contract/ipc';
import { LiveMessage, TextField } from '../../components/ui';
import { useForm } from '../../components/form';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { admin, SECRET_NAME, useAdmin } from '../../store/admin-store';
import { toWindowError } from '../../api';
import { formatDateTime } from '../../time';
import { AdminPage, ReadOnlyNotice } from './AdminPage';
import { TestConnection } from './TestConnection';
import { useT } from '../../i18n/react';

function stateOf(info: SecretInfoView | undefined) {
  if (!info)
    return { label: 'Missing', tone: 'danger', text: 'No secret is set: verification codes cannot be sent.' };
  if (info.isDefault)
    return {
      label: 'Provisioned default',
      tone: 'info',
      text: 'The default secret installed with System Configurator is in use. You can replace it with your own.',
    };
  return { label: 'Set', tone: 'ok', text: 'Your own secret is in use.' };
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

  const { t } = useT();
  const info = secrets?.find((s) => s.name === SECRET_NAME);
  // A secret entered for another endpoint origin is never sent to this one (main/core/secrets/endpoint-binding.ts).
  const shown =
    info && !info.usableAtEndpoint
      ? {
          label: t('secrets.boundElsewhere.label'),
          tone: 'danger',
          text: t('secrets.boundElsewhere.text', { origin: info.boundTo }),
        }
      : stateOf(info);

  async function remove() {
    setConfirming(false);
    setMessage(null);
    setError(null);
    try {
      setMessage(await admin.deleteSecret());
    } catch (e) {
      setError(toWindowError(e).message);
    }
  }

  return (
    <AdminPage
      title="Secrets manager"
      testId="screen-secrets"
      intro="Secrets are kept in the operating system's keychain. System Configurator shows that a secret is set, never its value."
    >
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
          <p className="muted">Authenticates System Configurator to the Sinch Verification API.</p>
          {secrets ? (
            <>
              <p data-testid="secret-state-text">{shown.text}</p>
              {info ? (
                <dl className="facts">
                  <dt>Authentication ID</dt>
                  <dd data-testid="secret-auth-id-value">
                    <code>{info.authId}</code>
                  </dd>
                  <dt>Secret</dt>
                  <dd>
                    <span className="muted">Stored in the OS keychain (not shown)</span>
                  </dd>
                  <dt>Updated</dt>
                  <dd data-testid="secret-updated">
                    {formatDateTime(info.updatedAt)} by {info.setBy}
                  </dd>
                </dl>
              ) : null}
            </>
          ) : (
            <p>Loading…</p>
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
                    Delete secret…
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
          title="Delete the Sinch secret?"
          testId="secret-delete-dialog"
          confirmLabel="Delete secret"
          danger
          onCancel={() => setConfirming(false)}
          onConfirm={() => void remove()}
        >
          <p>
            Verification codes cannot be sent until a secret is set again, so users with two-factor
            authentication cannot log on.
            {info?.isDefault ? null : ' A provisioned default it replaced is not restored.'}
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
  const form = useForm({
    initial: { authId: currentAuthId, secret: '' },
    controls: { authId: 'secret-auth-id', secret: 'secret-value' },
    check: ({ authId, secret }) => ({
      ...(authId.trim() ? {} : { authId: 'Enter the Authentication ID (the Sinch application key).' }),
      ...(secret ? {} : { secret: 'Enter the secret.' }),
    }),
    async send({ authId, secret }) {
      try {
        await admin.setSecret(authId.trim(), secret);
        onSaved('The secret was saved to the OS keychain. It is used from the next verification.');
      } finally {
        // Saved or not, the secret leaves the window's memory.
        form.set('secret', '');
      }
    },
  });

  return (
    <form className="form subform" onSubmit={form.onSubmit} noValidate aria-labelledby="secret-form-title">
      <h3 id="secret-form-title">{replacing ? 'Replace with your own secret' : 'Set the secret'}</h3>
      <TextField
        id="secret-auth-id"
        label="Authentication ID"
        testId="secret-auth-id"
        hint="The application key from the Sinch dashboard."
        autoComplete="off"
        spellCheck={false}
        value={form.values.authId}
        onValue={(v) => form.set('authId', v)}
        error={form.error('authId')}
      />
      <TextField
        id="secret-value"
        label="Secret"
        testId="secret-value"
        type="password"
        hint="Write-only: it goes straight to the OS keychain and is never shown again."
        autoComplete="off"
        spellCheck={false}
        value={form.values.secret}
        onValue={(v) => form.set('secret', v)}
        error={form.error('secret')}
      />
      <LiveMessage testId="secret-form-error" message={form.formError} />
      <div className="actions actions-split">
        <button type="submit" className="button button-primary" data-testid="secret-save">
          {form.submitting ? 'Saving…' : 'Save secret'}
        </button>
        {deleteButton}
      </div>
    </form>
  );
}
