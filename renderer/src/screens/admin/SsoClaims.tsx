/** What the SSO screen and its link dialog both show of an identity waiting for an administrator. */
import type { SsoPendingView, SsoShownClaims } from '@contract/domain';
import type { MessageKey } from '../../i18n/i18n';
import { useT } from '../../i18n/react';

/** Why an identity waits: main's reason for a pending one, or an administrator's unlink. */
export type WaitingReason = SsoPendingView['reason'] | 'unlinked';

/** An identity waiting for an administrator, pending or unlinked, as one row. */
export interface WaitingIdentity {
  issuer: string;
  subject: string;
  reason: WaitingReason;
  /** What its provider claimed (pending identities only; an unlink keeps none). */
  claims: SsoShownClaims | null;
  at: number;
  by: string | null;
}

const CLAIM_LABEL: Record<keyof SsoShownClaims, MessageKey> = {
  preferred_username: 'ssoIdentities.claim.preferredUsername',
  email: 'ssoIdentities.claim.email',
  email_verified: 'ssoIdentities.claim.emailVerified',
  name: 'ssoIdentities.claim.name',
};

/** What the provider claimed, each as a label and the text main sent (never markup). */
export function Claims({ claims }: { claims: SsoShownClaims | null }) {
  const { t } = useT();
  const entries = Object.entries(claims ?? {}) as [keyof SsoShownClaims, string][];
  if (entries.length === 0) return <span className="muted">{t('ssoIdentities.claims.none')}</span>;
  return (
    <dl className="detail-list" data-testid="sso-claims">
      {entries.map(([name, value]) => (
        <div key={name} data-claim={name}>
          <dt>{t(CLAIM_LABEL[name])}</dt>
          <dd className="claim-value">
            {name === 'email_verified' ? t(value === 'true' ? 'audit.value.yes' : 'audit.value.no') : value}
          </dd>
        </div>
      ))}
    </dl>
  );
}
