/**
 * How the schema distributes by tenant on Citus (DEPLOYMENT.md, "Citus: distributing by tenant"; README, "Running on
 * PostgreSQL"). Every table not named here is tenant-owned: distributed by DISTRIBUTION_COLUMN and co-located, so it
 * must carry a NOT NULL `tenantId` in its primary key and in every unique key, and its foreign keys to other tenant
 * tables must include `tenantId` on both sides. tests/integration/tenant-keys.test.ts checks exactly that against the
 * migrated database's catalog, with these lists as its only exceptions.
 */

/** The distribution column of every tenant-owned table. */
export const DISTRIBUTION_COLUMN = "tenantId";

/** Reference tables: small or read everywhere, copied to every node so any shard can join them. */
export const REFERENCE_TABLES = {
  Tenant: "the distribution root: read on every request and looked up by slug (a unique key without tenantId)",
  User: "global identities (unique email), joined into every members page of every tenant",
} as const;

/** Global tables: not tenant-owned, kept on the coordinator (Citus local tables), never joined into a tenant's shard. */
export const GLOBAL_TABLES = {
  AuthSession: "a person's sign-in sessions across tenants; touched on every request",
  AccountToken: "email verification and password reset links of an account",
  TwoFactor: "an account's second factor",
  RecoveryCode: "an account's recovery codes",
  AuthChallenge: "the step between password and second factor at sign-in",
  RateLimit: "shared counters keyed by IP, account or token; upserted on every request",
  Job: "the job queue, polled by every instance with FOR UPDATE SKIP LOCKED",
  EmailDelivery:
    "the email job's state: written with its Job row and updated by the worker in the Job's transaction (tenantId is a plain attribute)",
  OutboxMessage: "local mode's mailbox (no SMTP)",
  AccountEvent: "the audit trail of events without a tenant: a person's own account, requests refused outside any tenant",
  ContentBlob: "content-addressed images of a person (avatars), served by id and shared by identical bytes across tenants",
  _prisma_migrations: "the migration runner's ledger",
} as const;

export type ReferenceTable = keyof typeof REFERENCE_TABLES;
export type GlobalTable = keyof typeof GLOBAL_TABLES;

/** Every table that is not tenant-owned: the exceptions to the tenant-key rule. */
export const NOT_TENANT_OWNED: ReadonlySet<string> = new Set([...Object.keys(REFERENCE_TABLES), ...Object.keys(GLOBAL_TABLES)]);
