/**
 * The only reader of process.env. Validated with zod and resolved lazily, so `next build` (which imports route
 * modules) never trips over a missing runtime variable; the server calls `getEnv()` at boot and fails fast there.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { z } from "zod";

const postgresUrl = /^postgres(ql)?:\/\//;
const hexKey = /^[0-9a-fA-F]{64}$/;

const EnvSchema = z.object({
  DATABASE_URL: z
    .string()
    .optional()
    .refine((v) => v === undefined || v === "" || postgresUrl.test(v), {
      message: "must be a postgres:// or postgresql:// URL (leave it unset for the embedded database)",
    }),
  // A direct connection (not through PgBouncer) for migrations: the schema engine's advisory lock is session-level.
  DATABASE_DIRECT_URL: z
    .string()
    .optional()
    .refine((v) => v === undefined || v === "" || postgresUrl.test(v), { message: "must be a postgres:// or postgresql:// URL" }),
  DATA_DIR: z.string().min(1).default("./data"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  NEXTAUTH_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  NEXTAUTH_URL: z.url({ protocol: /^https?$/, message: "must be an http(s) URL such as https://roster.example.com" }).optional(),
  SMTP_URL: z.url({ protocol: /^smtps?$/, message: "must be an smtp:// or smtps:// URL" }).optional(),
  EMAIL_FROM: z.string().min(3).default("Roster <no-reply@localhost>"),
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(7 * 24 * 60).default(30),
  SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(12),
  // Fractions are allowed so tests can use a window of seconds (0.05 = 3 s).
  REAUTH_MINUTES: z.coerce.number().positive().max(24 * 60).default(10),
  DATA_ENCRYPTION_KEY: z.string().regex(hexKey, "must be 32 random bytes written as 64 hex characters (`openssl rand -hex 32`)").optional(),
  DATA_ENCRYPTION_OLD_KEYS: z
    .string()
    .optional()
    .refine((v) => v === undefined || v.split(",").every((k) => hexKey.test(k.trim())), {
      message: "must be a comma-separated list of 64-hex-character keys",
    }),
  TRUSTED_PROXIES: z
    .string()
    .optional()
    .refine((v) => v === undefined || v.split(",").every((a) => net.isIP(a.trim()) !== 0), {
      message: "must be a comma-separated list of IP addresses (the reverse proxies in front of Roster)",
    }),
  // Connections each instance's pg pool may open: instances x this must stay under the server's max_connections
  // (or PgBouncer's pool), minus what migrations and the CLI need.
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(1000).default(10),
  // Named (server-side prepared) statements on PostgreSQL: each connection parses and plans a statement once instead
  // of on every request. "off" for a pooler that cannot carry them (PgBouncer < 1.21 in transaction mode).
  DATABASE_PREPARED_STATEMENTS: z.enum(["on", "off"], { message: 'must be "on" or "off"' }).default("on"),
  // How long a claimed job stays leased to its instance. A live run renews its lease, so this only bounds how long a
  // job of a dead instance waits before another one retries it; tests use a few seconds.
  JOB_LEASE_SECONDS: z.coerce.number().int().min(1).max(24 * 3600).default(300),
  // Pause between job-queue polls of each instance's worker.
  JOB_POLL_MS: z.coerce.number().int().min(10).max(600_000).default(3000),
  NODE_ENV: z.string().default("development"),
});

const RATE_LIMIT_VAR = /^RATE_LIMIT_([A-Z0-9_]+)$/;
const RATE_LIMIT_VALUE = /^(\d{1,9})\/(\d{1,9})$/;

export type Env = {
  databaseUrl: string | null;
  dataDir: string;
  port: number;
  nextAuthSecret: string;
  publicUrl: string;
  smtpUrl: string | null;
  emailFrom: string;
  sessionIdleMs: number;
  sessionMaxMs: number;
  /** How long a password or code entered in a session counts for sensitive changes (re-authentication). */
  reauthMs: number;
  embedded: boolean;
  /** The current data-encryption key (32 bytes) and older ones still accepted for reading. */
  dataKeys: { current: Buffer; old: Buffer[] };
  /** Peers whose X-Forwarded-For is believed; empty: the client IP is the socket peer. */
  trustedProxies: string[];
  /** `RATE_LIMIT_<NAME>=points/seconds` overrides, keyed by NAME (upper snake case). */
  rateLimits: Record<string, { points: number; windowMs: number }>;
  /** The public URL is https: HSTS and __Host-/__Secure- cookies. */
  secureCookies: boolean;
  /** Background jobs: lease of a claimed job and the worker's poll interval (JOB_LEASE_SECONDS, JOB_POLL_MS). */
  jobLeaseMs: number;
  jobPollMs: number;
};

export class ConfigError extends Error {
  override name = "ConfigError";
}

function blankToUndefined(source: NodeJS.ProcessEnv): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(source)) out[k] = v === "" ? undefined : v;
  return out;
}

/** Reads the raw, validated variables without resolving the secret. */
export function readRawEnv(source: NodeJS.ProcessEnv = process.env) {
  const parsed = EnvSchema.safeParse(blankToUndefined(source));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  return parsed.data;
}

/** Reads every RATE_LIMIT_<NAME>=points/seconds; a malformed value is a startup error naming the variable. */
export function readRateLimits(source: NodeJS.ProcessEnv = process.env): Env["rateLimits"] {
  const out: Env["rateLimits"] = {};
  const bad: string[] = [];
  for (const [k, v] of Object.entries(source)) {
    const name = RATE_LIMIT_VAR.exec(k)?.[1];
    if (!name || v === undefined || v === "") continue;
    const m = RATE_LIMIT_VALUE.exec(v.trim());
    if (!m || Number(m[1]) < 1 || Number(m[2]) < 1) bad.push(`  ${k}: must be points/seconds, e.g. 10/900 (both at least 1)`);
    else out[name] = { points: Number(m[1]), windowMs: Number(m[2]) * 1000 };
  }
  if (bad.length) throw new ConfigError(`Invalid configuration:\n${bad.join("\n")}`);
  return out;
}

/**
 * The key that encrypts secrets which must be read back (TOTP seeds, later webhook and SSO secrets). Local mode
 * generates one into the data directory like the session secret; with PostgreSQL every instance must share it, and a
 * generated one would make the others' ciphertext unreadable, so it is required there.
 */
function resolveDataKey(raw: ReturnType<typeof readRawEnv>): Buffer {
  if (raw.DATA_ENCRYPTION_KEY) return Buffer.from(raw.DATA_ENCRYPTION_KEY, "hex");
  if (raw.DATABASE_URL) {
    throw new ConfigError(
      "Invalid configuration:\n  DATA_ENCRYPTION_KEY: required when DATABASE_URL is set (generate one with `openssl rand -hex 32`)",
    );
  }
  return Buffer.from(readOrCreateSecretFile(raw.DATA_DIR, "data-encryption-key", () => crypto.randomBytes(32).toString("hex"), (v) => hexKey.test(v)), "hex");
}

function readOrCreateSecretFile(dataDir: string, name: string, make: () => string, valid: (v: string) => boolean): string {
  const file = path.join(path.resolve(dataDir), name);
  try {
    const existing = fs.readFileSync(/* turbopackIgnore: true */ file, "utf8").trim();
    if (valid(existing)) return existing;
  } catch {
    // First start: fall through and create it.
  }
  fs.mkdirSync(/* turbopackIgnore: true */ path.dirname(file), { recursive: true });
  const secret = make();
  fs.writeFileSync(/* turbopackIgnore: true */ file, secret + "\n", { mode: 0o600 });
  return secret;
}

/**
 * In local mode a missing secret is generated once and kept under the data directory, so sessions survive restarts
 * without asking a newcomer to configure anything. With PostgreSQL several instances must share one secret, so a
 * generated one would silently break sign-in across instances: there it is a startup error instead.
 */
function resolveSecret(raw: ReturnType<typeof readRawEnv>): string {
  if (raw.NEXTAUTH_SECRET) return raw.NEXTAUTH_SECRET;
  if (raw.DATABASE_URL) {
    throw new ConfigError(
      "Invalid configuration:\n  NEXTAUTH_SECRET: required when DATABASE_URL is set (generate one with `openssl rand -base64 32`)",
    );
  }
  return readOrCreateSecretFile(raw.DATA_DIR, "nextauth-secret", () => crypto.randomBytes(32).toString("base64url"), (v) => v.length >= 32);
}

const globalForEnv = globalThis as unknown as { rosterEnv?: Env };

/** Validated configuration; throws ConfigError naming the variable that is wrong. */
export function getEnv(): Env {
  if (globalForEnv.rosterEnv) return globalForEnv.rosterEnv;
  const raw = readRawEnv();
  const publicUrl = (raw.NEXTAUTH_URL ?? `http://localhost:${raw.PORT}`).replace(/\/+$/, "");
  const env: Env = {
    databaseUrl: raw.DATABASE_URL ?? null,
    dataDir: path.resolve(raw.DATA_DIR),
    port: raw.PORT,
    nextAuthSecret: resolveSecret(raw),
    publicUrl,
    smtpUrl: raw.SMTP_URL ?? null,
    emailFrom: raw.EMAIL_FROM,
    sessionIdleMs: raw.SESSION_IDLE_MINUTES * 60_000,
    sessionMaxMs: raw.SESSION_MAX_HOURS * 3_600_000,
    reauthMs: Math.round(raw.REAUTH_MINUTES * 60_000),
    embedded: !raw.DATABASE_URL,
    dataKeys: {
      current: resolveDataKey(raw),
      old: (raw.DATA_ENCRYPTION_OLD_KEYS ?? "").split(",").map((k) => k.trim()).filter(Boolean).map((k) => Buffer.from(k, "hex")),
    },
    trustedProxies: (raw.TRUSTED_PROXIES ?? "").split(",").map((a) => a.trim()).filter(Boolean),
    rateLimits: readRateLimits(),
    secureCookies: publicUrl.startsWith("https://"),
    jobLeaseMs: raw.JOB_LEASE_SECONDS * 1000,
    jobPollMs: raw.JOB_POLL_MS,
  };
  globalForEnv.rosterEnv = env;
  return env;
}

/** Database selection only; needs no secret (the CLI and tests use it). */
export function getDatabaseConfig(source: NodeJS.ProcessEnv = process.env): {
  databaseUrl: string | null; dataDir: string; poolMax: number; directUrl: string | null; preparedStatements: boolean;
} {
  const raw = readRawEnv(source);
  return {
    databaseUrl: raw.DATABASE_URL ?? null,
    dataDir: path.resolve(raw.DATA_DIR),
    poolMax: raw.DATABASE_POOL_MAX,
    preparedStatements: raw.DATABASE_PREPARED_STATEMENTS === "on",
    directUrl: raw.DATABASE_URL ? (raw.DATABASE_DIRECT_URL ?? null) : null,
  };
}

/** next-auth reads NEXTAUTH_URL/NEXTAUTH_SECRET from process.env itself; publish the resolved values once at boot. */
export function publishAuthEnv(env: Env): void {
  process.env.NEXTAUTH_SECRET = env.nextAuthSecret;
  process.env.NEXTAUTH_URL = env.publicUrl;
}

/** Test hook: forget the cached configuration. */
export function resetEnvCache(): void {
  delete globalForEnv.rosterEnv;
}
