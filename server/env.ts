/**
 * The only reader of process.env. Validated with zod and resolved lazily, so `next build` (which imports route
 * modules) never trips over a missing runtime variable; the server calls `getEnv()` at boot and fails fast there.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";

const postgresUrl = /^postgres(ql)?:\/\//;

const EnvSchema = z.object({
  DATABASE_URL: z
    .string()
    .optional()
    .refine((v) => v === undefined || v === "" || postgresUrl.test(v), {
      message: "must be a postgres:// or postgresql:// URL (leave it unset for the embedded database)",
    }),
  DATA_DIR: z.string().min(1).default("./data"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  NEXTAUTH_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  NEXTAUTH_URL: z.url({ protocol: /^https?$/, message: "must be an http(s) URL such as https://roster.example.com" }).optional(),
  SMTP_URL: z.url({ protocol: /^smtps?$/, message: "must be an smtp:// or smtps:// URL" }).optional(),
  EMAIL_FROM: z.string().min(3).default("Roster <no-reply@localhost>"),
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(7 * 24 * 60).default(30),
  SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(12),
  NODE_ENV: z.string().default("development"),
});

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
  embedded: boolean;
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
  const file = path.join(path.resolve(raw.DATA_DIR), "nextauth-secret");
  try {
    const existing = fs.readFileSync(/* turbopackIgnore: true */ file, "utf8").trim();
    if (existing.length >= 32) return existing;
  } catch {
    // First start: fall through and create it.
  }
  fs.mkdirSync(/* turbopackIgnore: true */ path.dirname(file), { recursive: true });
  const secret = crypto.randomBytes(32).toString("base64url");
  fs.writeFileSync(/* turbopackIgnore: true */ file, secret + "\n", { mode: 0o600 });
  return secret;
}

const globalForEnv = globalThis as unknown as { rosterEnv?: Env };

/** Validated configuration; throws ConfigError naming the variable that is wrong. */
export function getEnv(): Env {
  if (globalForEnv.rosterEnv) return globalForEnv.rosterEnv;
  const raw = readRawEnv();
  const env: Env = {
    databaseUrl: raw.DATABASE_URL ?? null,
    dataDir: path.resolve(raw.DATA_DIR),
    port: raw.PORT,
    nextAuthSecret: resolveSecret(raw),
    publicUrl: (raw.NEXTAUTH_URL ?? `http://localhost:${raw.PORT}`).replace(/\/+$/, ""),
    smtpUrl: raw.SMTP_URL ?? null,
    emailFrom: raw.EMAIL_FROM,
    sessionIdleMs: raw.SESSION_IDLE_MINUTES * 60_000,
    sessionMaxMs: raw.SESSION_MAX_HOURS * 3_600_000,
    embedded: !raw.DATABASE_URL,
  };
  globalForEnv.rosterEnv = env;
  return env;
}

/** Database selection only; needs no secret (the CLI and tests use it). */
export function getDatabaseConfig(source: NodeJS.ProcessEnv = process.env): { databaseUrl: string | null; dataDir: string } {
  const raw = readRawEnv(source);
  return { databaseUrl: raw.DATABASE_URL ?? null, dataDir: path.resolve(raw.DATA_DIR) };
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
