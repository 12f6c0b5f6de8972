/**
 * Migration 6 (SSO identities linked by issuer + subject; pending identities), from an empty folder and
 * from a database at schema 5, the way the other migrations are tested.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../main/core/db/database';
import { LATEST_SCHEMA_VERSION, migrations } from '../../main/core/db/migrations';
import { tempDir } from '../support/temp-dir';

const ISSUER = 'https://idp.example.com';

function link(db: Db, subject: string, username: string, issuer = ISSUER) {
  return db
    .prepare(
      "INSERT INTO sso_links (issuer, subject, user_id, linked_at, linked_by) VALUES (?, ?, (SELECT id FROM users WHERE username = ?), 1, 'test')",
    )
    .run(issuer, subject, username);
}

function addUser(db: Db, username: string) {
  db.prepare(
    "INSERT INTO users (username, display_name, created_at, updated_at) VALUES (?, 'Some One', 1, 1)",
  ).run(username);
}

function checkConstraints(db: Db) {
  addUser(db, 'alice-new');
  addUser(db, 'bob-new');
  link(db, 'sub-a', 'alice-new');
  // One identity, one user; one user, one identity per issuer; another issuer is another identity.
  expect(() => link(db, 'sub-a', 'bob-new')).toThrow(/UNIQUE/);
  expect(() => link(db, 'sub-b', 'alice-new')).toThrow(/UNIQUE/);
  link(db, 'sub-a', 'bob-new', 'https://other-idp.example.com');
  // Bounded by the database too.
  expect(() => link(db, 's'.repeat(256), 'bob-new')).toThrow(/CHECK/);
  expect(() => link(db, '', 'bob-new')).toThrow(/CHECK/);
  expect(() =>
    db
      .prepare(
        "INSERT INTO sso_pending (issuer, subject, reason, claims, first_seen, last_seen) VALUES (?, 's', 'unmatched', ?, 1, 1)",
      )
      .run(ISSUER, 'x'.repeat(4097)),
  ).toThrow(/CHECK/);
  expect(() =>
    db
      .prepare(
        "INSERT INTO sso_pending (issuer, subject, reason, claims, first_seen, last_seen) VALUES (?, 's', 'other', '{}', 1, 1)",
      )
      .run(ISSUER),
  ).toThrow(/CHECK/);
  // A link goes with its user.
  db.prepare("DELETE FROM users WHERE username = 'alice-new'").run();
  expect(
    db.prepare("SELECT count(*) FROM sso_links WHERE subject = 'sub-a' AND issuer = ?").pluck().get(ISSUER),
  ).toBe(0);
}

describe('migration 6: SSO identity links', () => {
  it('creates the link and pending tables with their constraints from an empty folder', () => {
    const db = openDatabase({ dataDir: tempDir('sc-sso-mig-') });
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
      expect(LATEST_SCHEMA_VERSION).toBeGreaterThanOrEqual(6);
      checkConstraints(db);
    } finally {
      db.close();
    }
  });

  it('migrates a database at schema 5: users kept, no link made up, a backup beside it', () => {
    const dataDir = tempDir('sc-sso-mig-');
    const before = openDatabase({ dataDir, migrations: migrations.slice(0, 5) });
    expect(before.pragma('user_version', { simple: true })).toBe(5);
    addUser(before, 'alice');
    before.close();

    const db = openDatabase({ dataDir });
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
      expect(db.prepare('SELECT username FROM users').pluck().all()).toEqual(['alice']);
      expect(db.prepare('SELECT count(*) FROM sso_links').pluck().get()).toBe(0);
      expect(db.prepare('SELECT count(*) FROM sso_pending').pluck().get()).toBe(0);
      link(db, 'sub-alice', 'alice');
      checkConstraints(db);
    } finally {
      db.close();
    }
    expect(fs.readdirSync(dataDir).some((name) => name.includes('.schema-5.'))).toBe(true);
  });
});

describe('migration 7: identities an administrator unlinked', () => {
  it('migrates a database at schema 6: links and pending identities kept, the unlinked table bounded', () => {
    const dataDir = tempDir('sc-sso-mig-');
    const before = openDatabase({ dataDir, migrations: migrations.slice(0, 6) });
    expect(before.pragma('user_version', { simple: true })).toBe(6);
    addUser(before, 'alice');
    link(before, 'sub-alice', 'alice');
    before
      .prepare(
        "INSERT INTO sso_pending (issuer, subject, reason, claims, first_seen, last_seen) VALUES (?, 'sub-new', 'unmatched', '{}', 1, 2)",
      )
      .run(ISSUER);
    before.close();

    const db = openDatabase({ dataDir });
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
      expect(db.prepare('SELECT subject FROM sso_links').pluck().all()).toEqual(['sub-alice']);
      expect(db.prepare('SELECT subject, reason, last_seen FROM sso_pending').all()).toEqual([
        { subject: 'sub-new', reason: 'unmatched', last_seen: 2 },
      ]);
      const hold = db.prepare(
        "INSERT INTO sso_pending (issuer, subject, reason, claims, first_seen, last_seen) VALUES (?, ?, ?, '{}', 1, 1)",
      );
      hold.run(ISSUER, 'sub-admin', 'administrator');
      expect(() => hold.run(ISSUER, 'sub-other', 'other')).toThrow(/CHECK/);
      const unlinked = db.prepare(
        "INSERT INTO sso_unlinked (issuer, subject, unlinked_at, unlinked_by) VALUES (?, ?, 1, 'admin')",
      );
      unlinked.run(ISSUER, 'sub-old');
      expect(() => unlinked.run(ISSUER, 'sub-old')).toThrow(/UNIQUE|PRIMARY/);
      expect(() => unlinked.run(ISSUER, 's'.repeat(256))).toThrow(/CHECK/);
      expect(() => unlinked.run('', 'sub-x')).toThrow(/CHECK/);
    } finally {
      db.close();
    }
    expect(fs.readdirSync(dataDir).some((name) => name.includes('.schema-6.'))).toBe(true);
  });
});
