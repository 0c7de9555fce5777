import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

import type {
  AdminRole,
  CredentialGrant,
  CredentialInfo,
  CredentialKind,
  CredentialRepository,
} from '../ports.ts';
import { DEFAULT_ROTATION_GRACE_MS } from '../ports.ts';
import type { Sql } from './database.ts';

// A key reads `<prefix><id>.<secret>`. The id is public (listed, logged, revoked by) and finds the row
// across tenants; the secret is 32 random bytes, of which only a SHA-256 is stored: a key that strong
// needs no slow hash, and a stolen table yields no key. The prefix names the kind, so a key pasted in the
// wrong place is refused by its shape, and secret scanners can recognise it.
const PREFIX: Readonly<Record<CredentialKind, string>> = {
  salesforce_api_key: 'abm_sf_',
  admin_token: 'abm_adm_',
};
const KEY_SHAPE = /^(abm_sf_|abm_adm_)([0-9a-f]{16})\.([A-Za-z0-9_-]{43})$/;
const MAX_KEY_LENGTH = 128;

const hashOf = (secret: string): Buffer => createHash('sha256').update(secret, 'utf8').digest();

interface CredentialRow {
  credential_id: string;
  tenant_id: string;
  kind: string;
  role: string | null;
  label: string | null;
  secret_hash: Buffer;
  created_at: number;
  expires_at: number | null;
  revoked_at: number | null;
}

const grantOf = (row: CredentialRow): CredentialGrant =>
  row.kind === 'admin_token'
    ? { kind: 'admin_token', role: row.role as AdminRole }
    : { kind: row.kind as 'salesforce_api_key' };

const infoOf = (row: CredentialRow): CredentialInfo => ({
  id: row.credential_id,
  grant: grantOf(row),
  label: row.label,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  revokedAt: row.revoked_at,
});

const roleOf = (grant: CredentialGrant): AdminRole | null =>
  grant.kind === 'admin_token' ? grant.role : null;

const LIVE = 'revoked_at IS NULL AND (expires_at IS NULL OR expires_at > @now)';

/** Salesforce API keys and admin tokens, stored as hashes, rotatable with a grace period. */
export function credentialRepository(sql: Sql): CredentialRepository {
  return {
    async issueCredential(tenantId, issue) {
      const graceMs = issue.graceMs ?? DEFAULT_ROTATION_GRACE_MS;
      if (!(graceMs >= 0)) throw new RangeError(`graceMs must be 0 or more, got ${graceMs}`);
      const { grant, now } = issue;
      const id = `${PREFIX[grant.kind]}${randomBytes(8).toString('hex')}`;
      const secret = randomBytes(32).toString('base64url');
      const row: CredentialRow = {
        credential_id: id,
        tenant_id: tenantId,
        kind: grant.kind,
        role: roleOf(grant),
        label: issue.label ?? null,
        secret_hash: hashOf(secret),
        created_at: now,
        expires_at: null,
        revoked_at: null,
      };
      sql.transaction(() => {
        if (issue.rotate ?? true) {
          sql
            .statement(
              `UPDATE credentials SET expires_at = MIN(COALESCE(expires_at, @until), @until)
               WHERE tenant_id = @tenant_id AND kind = @kind AND role IS @role AND ${LIVE}`,
            )
            .run({ tenant_id: tenantId, kind: grant.kind, role: roleOf(grant), now, until: now + graceMs });
        }
        sql
          .statement(
            `INSERT INTO credentials (credential_id, tenant_id, kind, role, label, secret_hash, created_at,
               expires_at, revoked_at)
             VALUES (@credential_id, @tenant_id, @kind, @role, @label, @secret_hash, @created_at, @expires_at,
               @revoked_at)`,
          )
          .run(row);
      });
      return { ...infoOf(row), plaintext: `${id}.${secret}` };
    },

    async revokeCredential(tenantId, credentialId, now) {
      return (
        sql
          .statement(
            `UPDATE credentials SET revoked_at = ?
             WHERE tenant_id = ? AND credential_id = ? AND revoked_at IS NULL`,
          )
          .run(now, tenantId, credentialId).changes > 0
      );
    },

    async listCredentials(tenantId) {
      return sql
        .statement<CredentialRow>(
          `SELECT * FROM credentials INDEXED BY credentials_by_tenant WHERE tenant_id = ?
           ORDER BY created_at DESC, credential_id DESC`,
        )
        .all(tenantId)
        .map(infoOf);
    },

    async resolveCredential(kind, presented, now) {
      if (typeof presented !== 'string' || presented.length > MAX_KEY_LENGTH) return null;
      const match = KEY_SHAPE.exec(presented);
      if (match === null || match[1] !== PREFIX[kind]) return null;
      const [, prefix, id, secret] = match as unknown as [string, string, string, string];
      // Looked up by the public id alone: whether an id exists tells nothing about any secret.
      const row = sql
        .statement<CredentialRow>(
          `SELECT * FROM credentials WHERE credential_id = @id AND kind = @kind AND ${LIVE}`,
        )
        .get({ id: `${prefix}${id}`, kind, now });
      if (row === undefined) return null;
      if (!timingSafeEqual(hashOf(secret), row.secret_hash)) return null;
      return {
        tenantId: row.tenant_id,
        credentialId: row.credential_id,
        grant: grantOf(row),
        expiresAt: row.expires_at,
      };
    },
  };
}
